"""Writes the SVX3xx rule fixtures (tests/fixtures/rules/SVX3xx/lamp.behavior.json).

Each fixture is the clean BASE profile with one edit that triggers its rule. Kept as a
script so that the fixtures stay small variations of one readable profile; run it, then
update the snapshots with SVGX_UPDATE_SNAPSHOTS=1 and read them.
"""

from __future__ import annotations

from pathlib import Path

BASE = """{
  "id": "lamp_behavior",
  "version": "1.0.0",
  "system": "electrical",
  "applies_to": ["electrical.lighting_fixture"],
  "variables": {
    "voltage": {"kind": "input", "unit": "V", "default": 120, "min": 108, "max": 132},
    "power": {"kind": "input", "unit": "W", "default": 60, "min": 0, "max": 100},
    "current": {"kind": "output", "unit": "A", "formula": "power / voltage"}
  },
  "constraints": [{"name": "rated", "expr": "current <= 1"}],
  "states": {
    "initial": "off",
    "states": {"off": {}, "on": {}},
    "transitions": [
      {"from": "off", "to": "on", "event": "power_on"},
      {"from": "on", "to": "off", "event": "power_off"}
    ]
  },
  "triggers": [{"event": "click", "action": "power_on"}]
}
"""

CURRENT = '"current": {"kind": "output", "unit": "A", "formula": "power / voltage"}'
STATES = '"states": {"off": {}, "on": {}}'
LAST_T = '{"from": "on", "to": "off", "event": "power_off"}'

EDITS: dict[str, list[tuple[str, str]]] = {
    "SVX301": [('"power / voltage"', '"power / (voltage"')],
    "SVX302": [('"power / voltage"', '"__import__(\'os\').system(\'x\')"')],
    "SVX303": [('"power / voltage"', '"power / voltge"')],
    "SVX304": [(CURRENT, CURRENT + ',\n    "voltage": {"kind": "input", "unit": "V", "default": 230}')],
    "SVX305": [(CURRENT, CURRENT + ',\n    "a": {"kind": "output", "formula": "b + current"},'
                '\n    "b": {"kind": "output", "formula": "a * 2"}')],
    "SVX306": [('"power / voltage"', '"power + voltage"')],
    "SVX307": [('"unit": "A", "formula"', '"unit": "W", "formula"')],
    "SVX308": [('"unit": "A", "formula"', '"unit": "mA", "formula"'), ('current <= 1"', 'current <= 1000"')],
    "SVX309": [('"unit": "V"', '"unit": "volts"')],
    "SVX310": [('"default": 120', '"default": 140')],
    "SVX311": [('"constraints"', '"thresholds": [{"variable": "curent", "above": {"critical": 2}}],\n  "constraints"')],
    "SVX312": [('"initial": "off"', '"initial": "of"')],
    "SVX313": [(LAST_T, LAST_T + ',\n      {"from": "on", "to": "stanby", "event": "idle"}')],
    "SVX314": [(STATES, '"states": {"off": {}, "on": {}, "eco": {}}'),
               (LAST_T, LAST_T + ',\n      {"from": "eco", "to": "off", "event": "wake"}')],
    "SVX315": [(LAST_T, LAST_T + ',\n      {"from": "on", "to": "on", "event": "power_off"}')],
    "SVX316": [('"action": "power_on"', '"action": "power_onn"')],
    "SVX317": [('current <= 1"', 'current <= 0.4"')],
    "SVX318": [('current <= 1"', 'current <= 0.8"')],
    "SVX319": [(CURRENT, CURRENT + ',\n    "idle": {"kind": "parameter", "unit": "W", "default": 0},'
                '\n    "ratio": {"kind": "output", "formula": "power / idle"}')],
    "SVX320": [('"version": "1.0.0"', '"version": "1.0",\n  "colour": "red"')],
    "SVX321": [(CURRENT, CURRENT + ',\n    "frequency": {"kind": "input", "unit": "Hz", "default": 60}')],
    "SVX322": [('"power / voltage"', '"power / voltage ^ 1"')],
    "SVX323": [(STATES, '"states": {"off": {}, "on": {}, "fault": {}}'),
               (LAST_T, LAST_T + ',\n      {"from": "on", "to": "fault", "event": "overheat"}')],
    "SVX324": [('"kind": "output", "unit": "A"', '"kind": "input", "unit": "A"')],
}


def main() -> None:
    root = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
    for code, edits in EDITS.items():
        text = BASE
        for old, new in edits:
            assert old in text, (code, old)
            text = text.replace(old, new, 1)
        folder = root / code
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "lamp.behavior.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
