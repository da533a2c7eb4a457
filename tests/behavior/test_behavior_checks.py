"""Positions, units, temperatures, simulation, inline behavior and the corpus drawing."""

from __future__ import annotations

from pathlib import Path

from svgx_pipeline.config import Settings
from svgx_pipeline.documents import Document, FileKind
from svgx_pipeline.engine import check
from svgx_pipeline.fixes import apply_fixes

from .helpers import check_profile, check_svgx, codes, drawing, profile


def _at(text: str, d: object) -> str:
    span = d.span  # type: ignore[attr-defined]
    return text[span.start:span.end]


def test_xml_entities_keep_columns_exact() -> None:
    text = drawing(
        '      <variables><variable name="a" unit="V">1</variable></variables>\n'
        '      <calculations><calculation name="c" formula="if(a &lt; 2 &amp;&amp; a, a, voltge)"/>'
        "</calculations>")
    diags = check_svgx(text)
    assert [d.code for d in diags] == ["SVX302"]
    assert _at(text, diags[0]) == "&amp;&amp;"
    text2 = text.replace("&amp;&amp; a", "and a")
    diags = check_svgx(text2)
    assert [d.code for d in diags] == ["SVX303"]
    assert _at(text2, diags[0]) == "voltge"


def test_json_escapes_keep_columns_exact() -> None:
    base = profile({"a": {"kind": "input", "unit": "V", "default": 1},
                    "voltage": {"kind": "input", "unit": "V", "default": 1},
                    "x": {"kind": "output", "unit": "V", "formula": "PLACEHOLDER"}})
    text = base.replace("PLACEHOLDER", 'a + \\"s\\"')
    diags = [d for d in check_profile(text) if d.code != "SVX321"]
    assert [d.code for d in diags] == ["SVX302"]
    assert _at(text, diags[0]) == '\\"s\\"'
    text = base.replace("PLACEHOLDER", "a + \\u00e9")
    diags = [d for d in check_profile(text) if d.code != "SVX321"]
    assert [d.code for d in diags] == ["SVX302"]
    assert _at(text, diags[0]) == "\\u00e9"
    text = base.replace("PLACEHOLDER", "\\u0061 + voltge").replace('"a":', '"\\u0061":')
    diags = [d for d in check_profile(text) if d.code != "SVX321"]
    assert [d.code for d in diags] == ["SVX303"]
    assert _at(text, diags[0]) == "voltge"
    assert diags[0].fix is not None


def test_fixes_repair_caret_name_and_unit() -> None:
    text = profile({"voltage": {"kind": "input", "unit": "volts", "default": 2},
                    "sq": {"kind": "output", "formula": "voltge ^ 2"}})
    diags = check_profile(text)
    assert sorted(codes(diags)) == ["SVX303", "SVX309", "SVX322"]
    fixed = apply_fixes(text, [d.fix for d in diags if d.fix])
    fixed_text = fixed[0] if isinstance(fixed, tuple) else fixed
    assert '"formula": "voltage ** 2"' in fixed_text and '"unit": "V"' in fixed_text
    assert check_profile(fixed_text) == [] or codes(check_profile(fixed_text)) == ["SVX306"]


def test_units_dimensions_and_scale() -> None:
    v = {"voltage": {"kind": "input", "unit": "V", "default": 120},
         "current": {"kind": "input", "unit": "A", "default": 1}}
    assert codes(check_profile(profile({**v, "p": {"kind": "output", "unit": "W",
                                                  "formula": "voltage + current"}}))) == ["SVX306"]
    assert codes(check_profile(profile({**v, "p": {"kind": "output", "unit": "W",
                                                  "formula": "voltage / current"}}))) == ["SVX307"]
    d = check_profile(profile({**v, "p": {"kind": "output", "unit": "kW", "formula": "voltage * current"}}))
    assert codes(d) == ["SVX308"] and "0.001 kW" in d[0].message
    d = check_profile(profile({**v, "p": {"kind": "output", "formula": "sin(voltage) * current"}}))
    assert codes(d) == ["SVX306"]


def test_strict_mode_reports_bare_numbers() -> None:
    text = profile({"power": {"kind": "input", "unit": "kW", "default": 48},
                    "eff": {"kind": "output", "formula": "power / (power + 2)"}})
    assert codes(check_profile(text)) == []
    strict = Settings(units="strict")
    assert codes(check_profile(text, strict)) == ["SVX306"]


def test_temperatures_are_offset_units() -> None:
    variables = {
        "ambient": {"kind": "input", "unit": "C", "default": 25},
        "heating": {"kind": "parameter", "unit": "K/W", "default": 0.1},
        "power": {"kind": "input", "unit": "W", "default": 300},
        "temperature": {"kind": "state", "unit": "degC", "formula": "ambient + heating * power"},
    }
    text = profile(variables, thresholds=[{"variable": "temperature", "above": {"critical": 50}}])
    diags = check_profile(text)
    # C is a temperature (not coulomb): 25 °C plus a 30 K rise is 55 °C, above 50 °C.
    assert codes(diags) == ["SVX317"]
    assert "`temperature` = 55 degC" in diags[0].message
    variables["temperature"]["unit"] = "degF"
    diags = check_profile(profile(variables))
    assert codes(diags) == ["SVX308"] and "1 C = 1.8 degF" in diags[0].message
    sqrt = profile({"t": {"kind": "input", "unit": "degC", "default": 4},
                    "r": {"kind": "output", "formula": "sqrt(t)"}})
    assert codes(check_profile(sqrt)) == ["SVX306"]


def test_the_spec_example_reports_the_corner() -> None:
    text = profile({
        "voltage": {"kind": "input", "unit": "V", "default": 120, "min": 100, "max": 130},
        "power_draw": {"kind": "input", "unit": "W", "default": 120, "min": 0, "max": 200},
        "current": {"kind": "output", "unit": "A", "formula": "power_draw / voltage"},
    }, constraints=[{"name": "within_rated_current", "expr": "current <= 1.5"}])
    diags = check_profile(text)
    assert [d.message for d in diags] == [
        "constraint within_rated_current (current <= 1.5) fails: current = 2 A "
        "when voltage = 100 V, power_draw = 200 W"]


def test_corners_are_capped() -> None:
    variables = {f"p{i}": {"kind": "input", "unit": "W", "default": 1, "min": 0, "max": 2} for i in range(8)}
    variables["total"] = {"kind": "output", "unit": "W", "formula": " + ".join(f"p{i}" for i in range(8))}
    text = profile(variables, thresholds=[{"variable": "total", "above": {"critical": 15}}])
    capped = Settings.model_validate({"limits": {"max_simulation_corners": 16}})
    diags = check_profile(text, capped)
    # all-low and all-high corners come first, so the cap still finds the extreme
    assert codes(diags) == ["SVX318"] and "checked 16 of 256 corners" in diags[0].message
    wide = Settings.model_validate({"limits": {"max_simulation_corners": 1000}})
    diags = check_profile(text, wide)
    assert codes(diags) == ["SVX318"] and "checked" not in diags[0].message
    assert "total can reach 16 W" in diags[0].message.replace("`", "")


def test_cycle_reports_its_path() -> None:
    text = profile({"a": {"kind": "output", "formula": "b + 1"}, "b": {"kind": "output", "formula": "c"},
                    "c": {"kind": "output", "formula": "a"}})
    diags = check_profile(text)
    assert [d.message for d in diags] == ["dependency cycle: a → b → c → a"]
    assert len(diags[0].related) == 2


def test_inline_legacy_children_and_triggers() -> None:
    text = drawing(
        '      <variables><variable name="v" unit="V" value="120"/></variables>\n'
        '      <calculations><calculation name="v" formula="v * 2"/></calculations>\n'
        '      <arx:triggers><arx:trigger event="click" action="explode"/></arx:triggers>')
    assert sorted(codes(check_svgx(text))) == ["SVX304", "SVX316"]


class _Ws:
    def __init__(self, profiles: dict[str, str]) -> None:
        self.profiles = profiles
        self.settings = Settings()

    def profile(self, pid: str) -> Document | None:
        text = self.profiles.get(pid)
        return Document(f"{pid}.behavior.json", text, FileKind.BEHAVIOR) if text else None


def test_inline_variables_checked_against_the_profile() -> None:
    prof = profile({"voltage": {"kind": "input", "unit": "V", "default": 120, "min": 100, "max": 130},
                    "current": {"kind": "input", "unit": "A", "default": 1}},
                   states={"initial": "off", "states": {"off": {}, "on": {}},
                           "transitions": [{"from": "off", "to": "on", "event": "power_on"},
                                           {"from": "on", "to": "off", "event": "power_off"}]})
    text = drawing(
        '      <arx:variables><arx:variable name="voltage" unit="kV">0.48</arx:variable>'
        '<arx:variable name="current" unit="W">2</arx:variable></arx:variables>\n'
        '      <arx:triggers><arx:trigger event="click" action="power_on"/>'
        '<arx:trigger event="time" action="shutdown"/></arx:triggers>',
        'id="o1" type="electrical.panel" behavior="test_behavior"')
    ws = _Ws({"test_behavior": prof})
    diags = check(Document("d.svgx", text, FileKind.SVGX), ws, families=("SVX3",))  # type: ignore[arg-type]
    got = [(d.code, text[d.span.start:d.span.end]) for d in diags]
    assert got == [("SVX308", "kV"), ("SVX310", "0.48"), ("SVX307", "W"), ("SVX316", "shutdown")]
    assert "480 V is above the maximum 130 V" in diags[1].message


def test_corpus_drawing_inline_behavior(corpus: Path) -> None:
    text = (corpus / "drawings" / "basic_room.svgx").read_text("utf-8")
    doc = Document("drawings/basic_room.svgx", text, FileKind.SVGX)
    # efficiency = brightness / power (lm/W), power / (power + 2) in lenient mode, C as °C:
    assert check(doc, families=("SVX3",)) == []
    strict = check(doc, settings=Settings(units="strict"), families=("SVX3",))
    assert [(d.code, text[d.span.start:d.span.end]) for d in strict] == [("SVX306", "+")]
    assert "bare number and kW" in strict[0].message
