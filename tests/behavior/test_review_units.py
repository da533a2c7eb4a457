"""Regressions from the adversarial review of units, temperatures and simulation."""

from __future__ import annotations

from .helpers import check_profile, profile


def _messages(text: str, code: str) -> list[str]:
    return [d.message for d in check_profile(text) if d.code == code]


def test_threshold_in_celsius_on_a_fahrenheit_variable_converts_the_offset() -> None:
    text = profile(
        {"t": {"kind": "input", "unit": "degF", "default": 80}},
        thresholds=[{"variable": "t", "unit": "degC", "above": {"warning": 30}}],
    )
    # 30 degC is 86 degF: 80 degF is below it (the factor alone made it 54 degF).
    assert _messages(text, "SVX317") == []
    hot = text.replace('"default": 80', '"default": 90')
    assert _messages(hot, "SVX317") == [
        "at the defaults `t` = 90 degF, above the warning threshold 86 degF"
    ]


def test_sine_of_an_angle_in_degrees_is_taken_in_radians() -> None:
    text = profile(
        {"a": {"kind": "input", "unit": "deg", "default": 30},
         "q": {"kind": "output", "formula": "sin(a)"}},
        constraints=[{"name": "half", "expr": "q > 0.49 and q < 0.51"}],
    )
    # sin(30 deg) = 0.5; as a number of radians sin(30) = -0.988.
    assert _messages(text, "SVX317") == []


def test_operands_in_different_units_are_noted_and_converted() -> None:
    w_plus_kw = profile(
        {"a": {"kind": "input", "unit": "W", "default": 1},
         "b": {"kind": "input", "unit": "kW", "default": 2},
         "q": {"kind": "output", "unit": "W", "formula": "a + b"}},
        constraints=[{"name": "sum", "expr": "q > 2000"}],
    )
    # Silent before (only `kW + W` was caught, through the result's unit); the simulation
    # added 1 + 2 = 3 W.
    assert _messages(w_plus_kw, "SVX308") == [
        "formula of `q`: adding W and kW: same dimension, other scale (1 kW = 1000 W)"
    ]
    assert _messages(w_plus_kw, "SVX317") == []
    celsius_vs_fahrenheit = profile(
        {"a": {"kind": "input", "unit": "degC", "default": 30},
         "b": {"kind": "input", "unit": "degF", "default": 80}},
        constraints=[{"name": "warmer", "expr": "a > b"}],
    )
    # 30 degC is 86 degF: the constraint holds (it was reported false, 30 < 80).
    assert _messages(celsius_vs_fahrenheit, "SVX317") == []
    assert _messages(celsius_vs_fahrenheit, "SVX308") == [
        "constraint warmer: comparing (>) degC and degF: same dimension, other scale "
        "(degF is converted to degC)"
    ]


def test_celsius_plus_kelvin_is_a_position_plus_a_difference() -> None:
    text = profile(
        {"a": {"kind": "input", "unit": "degC", "default": 30},
         "rise": {"kind": "input", "unit": "K", "default": 5},
         "fahrenheit_ambient": {"kind": "input", "unit": "degF", "default": 77},
         "q": {"kind": "output", "unit": "degC", "formula": "a + rise"},
         "r": {"kind": "output", "unit": "degF", "formula": "fahrenheit_ambient + rise"}},
        constraints=[{"name": "q35", "expr": "q > 34.9 and q < 35.1"},
                     {"name": "r86", "expr": "r > 85.9 and r < 86.1"}],
    )
    assert _messages(text, "SVX317") == []  # 35 degC; 77 degF + 5 K = 86 degF
    assert _messages(text, "SVX308") == [
        "formula of `r`: adding degF and K: same dimension, other scale (1 K = 1.8 degF)"
    ]
