"""The formula language: data-driven valid / invalid / hostile cases, and properties."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from svgx_pipeline.behavior.formula import parse_formula

from .helpers import check_profile, codes, profile

CASES: dict[str, list[dict[str, Any]]] = json.loads(
    (Path(__file__).parent / "formula_cases.json").read_text("utf-8")
)


@pytest.mark.parametrize("case", CASES["valid"], ids=[c["description"] for c in CASES["valid"]])
def test_valid_formulas_parse(case: dict[str, Any]) -> None:
    parsed = parse_formula(case["formula"])
    assert parsed.error is None, parsed.error
    assert parsed.tree is not None
    assert list(parsed.carets) == case.get("carets", [])


@pytest.mark.parametrize("case", CASES["invalid"] + CASES["hostile"],
                         ids=[c["description"] for c in CASES["invalid"] + CASES["hostile"]])
def test_invalid_formulas_give_code_and_columns(case: dict[str, Any]) -> None:
    parsed = parse_formula(case["formula"])
    assert parsed.tree is None
    assert parsed.error is not None
    assert (parsed.error.code, parsed.error.start, parsed.error.end) == (
        case["code"], case["start"], case["end"]), parsed.error.message


def test_hostile_formula_in_a_profile_executes_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    formula = f"__import__('os').system('touch {marker}')"
    diags = check_profile(profile({"x": {"kind": "output", "formula": formula}}))
    assert "SVX302" in codes(diags)
    assert not marker.exists()


def test_ten_thousand_nested_parentheses_are_bounded() -> None:
    deep = "(" * 10_000 + "1" + ")" * 10_000
    parsed = parse_formula(deep)
    assert parsed.error is not None and parsed.error.code == "SVX301"
    assert "limit of 1,000" in parsed.error.message
    # With the length limit lifted, the depth limit still stops it.
    parsed = parse_formula(deep, max_length=100_000, max_depth=50)
    assert parsed.error is not None and "nested deeper than the limit of 50" in parsed.error.message


def test_power_tower_overflow_is_a_diagnostic() -> None:
    diags = check_profile(profile({"x": {"kind": "output", "formula": "9**9**9**9"}}))
    assert [(d.code, "overflow" in d.message) for d in diags] == [("SVX319", True)]


def test_division_by_zero_in_the_untaken_branch_is_not_reported() -> None:
    text = profile({
        "i": {"kind": "input", "unit": "A", "default": 0},
        "p": {"kind": "input", "unit": "W", "default": 10},
        "r": {"kind": "output", "formula": "if(i > 0, p / i, 0)"},
    })
    assert codes(check_profile(text)) == []


ALPHABET = st.sampled_from(list("abxyz0123456789.+-*/%^()<>=!,  _'\"[]{}:;&|\\`#@~é") + [
    "**", "and ", "or ", "not ", "if(", "sqrt(", "clamp(", "lambda ", "__", "e", "pi", "1e999"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_random_text_never_raises(text: str) -> None:
    parsed = parse_formula(text)
    assert (parsed.tree is None) == (parsed.error is not None)
    diags = check_profile(profile({
        "a": {"kind": "input", "unit": "V", "default": 1, "min": 0, "max": 2},
        "b": {"kind": "input", "unit": "A", "default": 1},
        "x": {"kind": "output", "formula": text},
    }, constraints=[{"name": "c", "expr": text}]))
    assert "SVX903" not in codes(diags)


VALID = [c["formula"] for c in CASES["valid"]]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(VALID), st.integers(0, 200), st.integers(0, 3), st.sampled_from(list("()+*/,x1.^ ")))
def test_mutated_valid_formulas_never_raise(base: str, at: int, op: int, ch: str) -> None:
    at = at % (len(base) + 1)
    mutated = [base[:at] + ch + base[at:], base[:at] + base[at + 1:], base[:at] + ch + base[at + 1:], base[::-1]][op]
    parsed = parse_formula(mutated)
    assert (parsed.tree is None) == (parsed.error is not None)
    if parsed.error is not None:
        assert 0 <= parsed.error.start <= parsed.error.end <= len(mutated)
    variables = {n: {"kind": "input", "unit": "W", "default": 1, "min": 0, "max": 3}
                 for n in ("x", "y", "z", "power", "voltage", "current")}
    variables["out"] = {"kind": "output", "unit": "W", "formula": mutated}
    assert "SVX903" not in codes(check_profile(profile(variables)))
