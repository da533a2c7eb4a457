"""The registry: deterministic, written atomically, checked by the CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from svgx_pipeline import registry
from svgx_pipeline.cli import main
from svgx_pipeline.engine import check
from svgx_pipeline.registry import build_registry, dumps, registry_diff, write_registry
from svgx_pipeline.workspace import Workspace


def test_registry_is_deterministic_and_up_to_date(clean_ws: Path) -> None:
    ws = Workspace(clean_ws)
    data = build_registry(ws)
    assert data == build_registry(Workspace(clean_ws))
    assert (clean_ws / "symbol_index.json").read_text("utf-8") == dumps(data)
    assert registry_diff(ws) == []
    entry = next(e for e in data["symbols"] if e["id"] == "AV_Control_001")
    assert entry == {
        "id": "AV_Control_001",
        "path": "arx-symbol-library/audiovisual/AV_Control_001.json",
        "format": "json",
        "system": "audiovisual",
        "object_type": "audiovisual.control_system",  # relative "control_system" resolved
        "behavior_profile": "control_system_behavior",  # shape B: from metadata
        "hash": entry["hash"],
    }
    assert [e["id"] for e in data["symbols"]] == sorted(e["id"] for e in data["symbols"])


def test_failed_write_leaves_the_old_registry_intact(
    clean_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = Workspace(clean_ws)
    target = clean_ws / "symbol_index.json"
    before = target.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(registry.os, "replace", broken_replace)
    data = build_registry(ws)
    data["symbols"] = data["symbols"][:1]
    with pytest.raises(OSError):
        write_registry(ws, data)
    assert target.read_bytes() == before
    assert sorted(p.name for p in clean_ws.iterdir() if p.name.startswith(".symbol_index")) == []


def test_write_replaces_atomically_and_reindexes(clean_ws: Path) -> None:
    ws = Workspace(clean_ws)
    (clean_ws / "symbols" / "audiovisual" / "AV_Display_001.svgx").unlink()
    ws.refresh(clean_ws / "symbols" / "audiovisual" / "AV_Display_001.svgx")
    assert registry_diff(ws) == [
        "- AV_Display_001 (symbols/audiovisual/AV_Display_001.svgx): no such symbol any more"
    ]
    inode_dir = os.stat(clean_ws).st_ino
    write_registry(ws, build_registry(ws))
    assert os.stat(clean_ws).st_ino == inode_dir
    assert registry_diff(ws) == []
    reg = ws.read("symbol_index.json")
    assert not [d for d in check(reg, ws) if d.code.startswith("SVX4")]


def test_registry_cli(
    defects_ws: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(defects_ws)
    assert main(["registry", "check"]) == 1
    out = capsys.readouterr().out
    assert "+ EL_Outlet_002 (arx-symbol-library/electrical/EL_Outlet_002.json)" in out
    assert "- EL_Panel_002 (symbols/electrical/EL_Panel_002.svgx): no such symbol any more" in out
    assert "~ AV_Display_001 (symbols/audiovisual/AV_Display_001.svgx): hash" in out
    assert main(["registry", "update", "--dry-run"]) == 0
    assert main(["registry", "check"]) == 1
    capsys.readouterr()
    assert main(["registry", "update"]) == 0
    assert "wrote symbol_index.json" in capsys.readouterr().out
    assert main(["registry", "check", str(defects_ws)]) == 0
    data = json.loads((defects_ws / "symbol_index.json").read_text("utf-8"))
    assert "EL_Panel_002" not in {e["id"] for e in data["symbols"]}


def test_registry_cli_on_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["registry", "check", str(tmp_path / "nope")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_stale_field_fix_updates_the_entry(defects_ws: Path) -> None:
    from svgx_pipeline.fixes import fix_all

    ws = Workspace(defects_ws)
    reg = ws.read("symbol_index.json")
    fixed, applied, remaining = fix_all(
        reg.text, lambda t: check(reg.__class__(reg.path, t, reg.kind), ws)
    )
    assert applied == 1
    assert not [d for d in remaining if d.code == "SVX405"]
    assert json.loads(fixed)  # still valid JSON
