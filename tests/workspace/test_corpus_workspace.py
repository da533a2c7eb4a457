"""../shared/corpus/arxos as a workspace: what its files say about each other.

Derived by reading the files: the four JSON symbols (shape A) name behavior profiles that
no file provides; the drawing uses ``electrical.panel.main`` and
``electrical.light_fixture.surface_mount`` (the schema calls them ``electrical_panel`` and
``lighting_fixture``) and ``room``, ``door.single``, ``window.double_glazed`` of a system
(architecture) without a schema; the schemas' relationships name objects that exist in no
schema (``audio_system``, ``remote_control``, ...); the audiovisual ``power_supply`` names
``electrical_panel`` without its system.
"""

from __future__ import annotations

from pathlib import Path

from svgx_pipeline.engine import check
from svgx_pipeline.workspace import Workspace


def _by_code(ws: Workspace, rel: str, code: str) -> list[str]:
    doc = ws.read(rel)
    return [doc.text[d.span.start : d.span.end] for d in check(doc, ws) if d.code == code]


def test_corpus_index(corpus: Path) -> None:
    ws = Workspace(corpus)
    assert set(ws.systems()) == {"audiovisual", "electrical"}
    assert {"display", "projector", "speaker", "control_system", "screen"} <= ws.systems()[
        "audiovisual"
    ]
    assert {"electrical_panel", "lighting_fixture", "electrical_outlet"} <= ws.systems()[
        "electrical"
    ]
    assert [(s.id, s.object_type) for s in ws.symbols()] == [
        ("AV_Control_001", "control_system"),
        ("AV_Display_001", "display"),
        ("AV_Projector_001", "projector"),
        ("AV_Speaker_001", "speaker"),
    ]
    assert ws.profile_ids() == set()


def test_corpus_symbols_name_profiles_no_file_provides(corpus: Path) -> None:
    ws = Workspace(corpus)
    for sid, profile in [
        ("AV_Display_001", "display_behavior"),
        ("AV_Speaker_001", "speaker_behavior"),
        ("AV_Projector_001", "projector_behavior"),
        ("AV_Control_001", "control_system_behavior"),
    ]:
        rel = f"arx-symbol-library/audiovisual/{sid}.json"
        assert _by_code(ws, rel, "SVX401") == [f'"{profile}"']
        # The symbols are otherwise sound: their types exist, their markup parses.
        assert _by_code(ws, rel, "SVX402") == [] and _by_code(ws, rel, "SVX205") == []
        assert _by_code(ws, rel, "SVX210") == [] and _by_code(ws, rel, "SVX206") == []


def test_corpus_drawing_types(corpus: Path) -> None:
    ws = Workspace(corpus)
    doc = ws.read("drawings/basic_room.svgx")
    found = {
        doc.text[d.span.start : d.span.end]: d.message for d in check(doc, ws) if d.code == "SVX402"
    }
    assert set(found) == {
        "room",
        "electrical.panel.main",
        "electrical.light_fixture.surface_mount",
        "door.single",
        "window.double_glazed",
    }
    assert "did you mean `electrical.electrical_panel.main`" in found["electrical.panel.main"]
    assert (
        "did you mean `electrical.lighting_fixture.surface_mount`"
        in found["electrical.light_fixture.surface_mount"]
    )
    assert "'room' is not a known system" in found["room"]


def test_corpus_schema_relationships_and_coverage(corpus: Path) -> None:
    ws = Workspace(corpus)
    av = _by_code(ws, "schemas/audiovisual/schema.json", "SVX408")
    assert '"audio_system"' in av and '"remote_control"' in av and '"electrical_panel"' in av
    assert '"control_system"' not in av and '"projector"' not in av  # these exist
    el = _by_code(ws, "schemas/electrical/schema.json", "SVX408")
    assert '"building_management_system"' in el and '"electrical_panel"' not in el
    assert _by_code(ws, "schemas/audiovisual/schema.json", "SVX115") == []
    assert _by_code(ws, "schemas/electrical/schema.json", "SVX115") == []
    # Coverage: every object type lacks a profile; four audiovisual ones have a symbol.
    doc = ws.read("schemas/audiovisual/schema.json")
    coverage = {
        d.data["object_type"]: d.data["missing"] for d in check(doc, ws) if d.code == "SVX409"
    }
    assert coverage["audiovisual.display"] == ["profile"]
    assert coverage["audiovisual.screen"] == ["symbol", "profile"]
