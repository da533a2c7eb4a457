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
