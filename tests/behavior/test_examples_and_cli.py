"""The example building's profiles, and `svgx behavior new`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from svgx_pipeline.cli import main
from svgx_pipeline.documents import Document, FileKind
from svgx_pipeline.engine import check

PROFILES = Path(__file__).resolve().parents[2] / "examples" / "building" / "profiles"
EXPECTED = {
    "display_behavior", "projector_behavior", "speaker_behavior", "control_system_behavior",
    "electrical_panel_behavior", "lighting_fixture_behavior", "electrical_outlet_behavior",
}


def test_example_profiles_are_clean_but_for_the_known_defect() -> None:
    files = sorted(PROFILES.glob("*.behavior.json"))
    assert {f.name.split(".")[0] for f in files} == EXPECTED
    found = []
    for f in files:
        text = f.read_text("utf-8")
        assert json.loads(text)["id"] == f.name.split(".")[0]
        for d in check(Document(f"profiles/{f.name}", text, FileKind.BEHAVIOR)):
            found.append((f.name, d.code, text[d.span.start:d.span.end]))
    # The one realistic defect: a distance subtracted from a level in dB.
    assert found == [("speaker_behavior.behavior.json", "SVX306", "-")]


def test_behavior_new_writes_a_clean_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["behavior", "new", "lamp_behavior", "--system", "electrical",
               "--applies-to", "electrical.lighting_fixture", "--output", str(tmp_path / "p")])
    assert rc == 0
    path = tmp_path / "p" / "lamp_behavior.behavior.json"
    data = json.loads(path.read_text("utf-8"))
    assert data["id"] == "lamp_behavior" and data["applies_to"] == ["electrical.lighting_fixture"]
    assert check(Document("lamp_behavior.behavior.json", path.read_text("utf-8"), FileKind.BEHAVIOR)) == []
    capsys.readouterr()
    assert main(["check", str(path)]) == 0
    # An existing file is not overwritten; a bad id is a usage error.
    assert main(["behavior", "new", "lamp_behavior", "--system", "electrical",
                 "--applies-to", "electrical.lighting_fixture", "--output", str(tmp_path / "p")]) == 2
    assert main(["behavior", "new", "9lamp", "--system", "electrical", "--applies-to", "x"]) == 2
    assert "must be an identifier" in capsys.readouterr().err
