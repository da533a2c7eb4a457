"""The workspace index: lazy, incremental (equal to a rebuild), and never out of the root."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from svgx_pipeline.workspace import Workspace


def snapshot(ws: Workspace) -> dict[str, object]:
    """Everything the index answers, in comparable form."""
    return {
        "facts": ws.all_facts(),
        "systems": ws.systems(),
        "profiles": sorted(ws.profile_ids()),
        "symbols": ws.symbols(),
        "registries": ws.registries(),
        "types": ws.all_types(),
    }


def rebuilt(ws: Workspace) -> Workspace:
    """A fresh index of the same files, with the same editor overlays."""
    fresh = Workspace(ws.root)
    for rel, text in ws._overlays.items():
        fresh.set_overlay(rel, text)
    return fresh


def test_contract_queries(clean_ws: Path) -> None:
    ws = Workspace.load(clean_ws / "drawings" / "floor1.svgx")
    assert ws.root == clean_ws.resolve()
    assert ws.systems() == {
        "audiovisual": frozenset({"display", "speaker", "control_system"}),
        "electrical": frozenset({"electrical_panel", "lighting_fixture", "electrical_outlet"}),
    }
    assert "display_behavior" in ws.profile_ids()
    doc = ws.profile("display_behavior")
    assert doc is not None and json.loads(doc.text)["id"] == "display_behavior"
    assert ws.profile("no_such_behavior") is None
    assert ws.object_type_known("audiovisual.display")
    assert ws.object_type_known("electrical.lighting_fixture.surface_mount")  # a variant
    assert not ws.object_type_known("electrical.panel")
    assert [s.id for s in ws.symbols()] == [
        "AV_Control_001",
        "AV_Display_001",
        "AV_Speaker_001",
        "EL_Light_001",
        "EL_Outlet_001",
        "EL_Panel_001",
    ]
    assert ws.object_id_files("display1") == {"drawings/floor1.svgx"}


def test_profile_reads_the_editor_overlay(clean_ws: Path) -> None:
    ws = Workspace(clean_ws)
    path = "profiles/display.behavior.json"
    edited = ws.read(path).text.replace("for tests", "edited in the editor")
    ws.set_overlay(path, edited)
    doc = ws.profile("display_behavior")
    assert doc is not None and "edited in the editor" in doc.text
    ws.clear_overlay(path)
    doc = ws.profile("display_behavior")
    assert doc is not None and "edited in the editor" not in doc.text


EDITS = [
    # (file, old, new): a profile renamed, a schema object renamed, a symbol retyped, ...
    ("profiles/display.behavior.json", '"id": "display_behavior"', '"id": "screen_behavior"'),
    ("schemas/electrical/schema.json", '"lighting_fixture": {', '"luminaire": {'),
    (
        "symbols/audiovisual/AV_Display_001.svgx",
        'object-type="audiovisual.display"',
        'object-type="audiovisual.speaker"',
    ),
    (
        "arx-symbol-library/audiovisual/AV_Speaker_001.json",
        '"id": "AV_Speaker_001"',
        '"id": "AV_Speaker_009"',
    ),
    ("symbol_index.json", '"version": 1', '"version": 2'),
    ("drawings/floor1.svgx", 'id="display1"', 'id="display9"'),
    (
        "schemas/audiovisual/schema.json",
        '"system": "audiovisual"',
        '"system": "audio',
    ),  # broken JSON
]


@pytest.mark.parametrize(("rel", "old", "new"), EDITS, ids=[e[0] for e in EDITS])
def test_incremental_update_equals_full_rebuild(
    clean_ws: Path, rel: str, old: str, new: str
) -> None:
    ws = Workspace(clean_ws)
    snapshot(ws)  # build the index first: the edit must be incremental
    text = (clean_ws / rel).read_text("utf-8")
    assert old in text
    affected = ws.set_overlay(rel, text.replace(old, new))
    assert rel in affected
    assert snapshot(ws) == snapshot(rebuilt(ws))
    ws.clear_overlay(rel)
    assert snapshot(ws) == snapshot(Workspace(clean_ws))


def test_edit_tells_which_files_may_change(clean_ws: Path) -> None:
    ws = Workspace(clean_ws)
    ws.systems()
    profile = "profiles/display.behavior.json"
    text = ws.read(profile).text
    # Renaming the profile changes the drawing and the symbol naming it, and the schema's coverage.
    affected = ws.set_overlay(profile, text.replace('"display_behavior"', '"screen_behavior"'))
    assert {
        profile,
        "drawings/floor1.svgx",
        "symbols/audiovisual/AV_Display_001.svgx",
        "schemas/audiovisual/schema.json",
    } <= affected
    assert "arx-symbol-library/electrical/EL_Outlet_001.json" not in affected
    # Retyping a symbol changes the registry's view of it and the schemas' coverage.
    sym = "symbols/audiovisual/AV_Display_001.svgx"
    affected = ws.set_overlay(
        sym, ws.read(sym).text.replace('"audiovisual.display"', '"audiovisual.speaker"')
    )
    assert {sym, "symbol_index.json", "schemas/audiovisual/schema.json"} <= affected
    # A drawing's edit that changes nothing others depend on affects only itself.
    drawing = "drawings/floor1.svgx"
    affected = ws.set_overlay(drawing, ws.read(drawing).text.replace("Floor 1", "Floor one"))
    assert affected == {drawing}


def test_a_new_file_and_a_deleted_file(clean_ws: Path) -> None:
    ws = Workspace(clean_ws)
    ws.symbols()
    new = clean_ws / "arx-symbol-library" / "electrical" / "EL_Outlet_002.json"
    data = json.loads(
        (clean_ws / "arx-symbol-library/electrical/EL_Outlet_001.json").read_text("utf-8")
    )
    data["id"] = "EL_Outlet_002"
    new.write_text(json.dumps(data), encoding="utf-8")
    affected = ws.refresh(new)
    assert "symbol_index.json" in affected
    assert "EL_Outlet_002" in {s.id for s in ws.symbols()}
    new.unlink()
    ws.refresh(new)
    assert snapshot(ws) == snapshot(Workspace(clean_ws))


def test_config_change_reindexes_everything(clean_ws: Path) -> None:
    ws = Workspace(clean_ws)
    assert ws.symbols()
    affected = ws.set_overlay("svgx.toml", "")
    assert "drawings/floor1.svgx" in affected


def test_symlinks_are_never_followed(clean_ws: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "schemas" / "hvac").mkdir(parents=True)
    (outside / "schemas" / "hvac" / "schema.json").write_text(
        '{"system": "hvac", "objects": {"duct": {}}}', encoding="utf-8"
    )
    (outside / "Stray_001.svgx").write_text("<svg/>", encoding="utf-8")
    try:
        os.symlink(outside, clean_ws / "linked_out")  # a folder out of the root
        os.symlink(clean_ws, clean_ws / "symbols" / "loop")  # a loop back to the root
        os.symlink(
            outside / "Stray_001.svgx", clean_ws / "symbols" / "Stray_001.svgx"
        )  # a file out
    except OSError:
        pytest.skip("symlinks are not available here")
    ws = Workspace(clean_ws)
    files = [ws.relpath(p) for p in ws.discover()]
    assert not any(f.startswith(("linked_out", "symbols/loop")) or "Stray" in f for f in files)
    assert "hvac" not in ws.systems()
    assert len(files) == len(set(files))
    # An editor event for a path through the link is not indexed either.
    ws.refresh(clean_ws / "symbols" / "Stray_001.svgx")
    assert "Stray_001" not in {s.id for s in ws.symbols()}


def test_discover_under_a_folder_finds_what_the_whole_walk_finds_there(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    for rel in ("drawings/a.svgx", "drawings/sub/b.svgx", "other/c.svgx", "node_modules/pkg/d.svgx"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("<svg/>")
    ws = Workspace(tmp_path)
    whole = list(ws.discover())
    drawings = tmp_path / "drawings"
    assert list(ws.discover(under=drawings)) == [f for f in whole if drawings in f.parents]
    assert list(ws.discover(under=tmp_path / "node_modules" / "pkg")) == []  # excluded, as in the walk
    assert list(ws.discover(under=tmp_path.parent)) == []  # outside the root
