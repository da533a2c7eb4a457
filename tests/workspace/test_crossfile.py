"""The multi-system fixture workspaces: one defect of each cross-file kind, and a clean one."""

from __future__ import annotations

from pathlib import Path

from svgx_pipeline.diagnostics import Diagnostic
from svgx_pipeline.engine import check
from svgx_pipeline.workspace import Workspace

from .conftest import WORKSPACES


def check_all(root: Path) -> list[Diagnostic]:
    ws = Workspace(root)
    out: list[Diagnostic] = []
    for path in ws.discover():
        out.extend(check(ws.read(path), ws))
    return out


def found(diags: list[Diagnostic]) -> set[tuple[str, str, str]]:
    """(path, code, the text the span covers) of each finding."""
    texts: dict[str, str] = {}
    out = set()
    for d in diags:
        assert d.path is not None
        if d.path not in texts:
            texts[d.path] = (
                (WORKSPACES / "defects" / d.path).read_text("utf-8")
                if (WORKSPACES / "defects" / d.path).exists()
                else ""
            )
        out.add((d.path, d.code, texts[d.path][d.span.start : d.span.end]))
    return out


def test_clean_workspace_has_no_finding() -> None:
    # SVX3xx (behavior profiles' own rules) belong to the behavior checks, not to this test.
    diags = [d for d in check_all(WORKSPACES / "clean") if not d.code.startswith("SVX3")]
    assert diags == []


def test_each_cross_file_defect_is_found_on_the_exact_text() -> None:
    diags = [d for d in check_all(WORKSPACES / "defects") if not d.code.startswith("SVX3")]
    assert found(diags) == {
        ("drawings/floor1.svgx", "SVX401", "display_behaviour"),
        ("drawings/floor1.svgx", "SVX402", "electrical.panel"),
        ("symbol_index.json", "SVX403", '"symbols/electrical/EL_Panel_002.svgx"'),
        ("arx-symbol-library/electrical/EL_Outlet_002.json", "SVX404", '"EL_Outlet_002"'),
        ("symbol_index.json", "SVX405", f'"{_hash_in_registry("AV_Display_001")}"'),
        ("arx-symbol-library/electrical/EL_Panel_001.json", "SVX406", '"EL_Panel_001"'),
        ("symbols/electrical/EL_Panel_001.svgx", "SVX406", "EL_Panel_001"),
        ("profiles/display.behavior.json", "SVX407", '"display_behavior"'),
        ("profiles/display_wall.behavior.json", "SVX407", '"display_behavior"'),
        ("schemas/audiovisual/schema.json", "SVX408", '"media_playr"'),
        ("schemas/audiovisual/schema.json", "SVX409", '"projector"'),
    }


def _hash_in_registry(symbol_id: str) -> str:
    import json

    data = json.loads((WORKSPACES / "defects" / "symbol_index.json").read_text("utf-8"))
    return next(e["hash"] for e in data["symbols"] if e["id"] == symbol_id)


def test_did_you_mean_and_related_information() -> None:
    diags = {d.code: d for d in check_all(WORKSPACES / "defects")}
    assert "did you mean `electrical.electrical_panel`" in diags["SVX402"].message
    assert "did you mean `display_behavior`" in diags["SVX401"].message
    dup = diags["SVX406"]
    assert len(dup.related) == 1 and dup.related[0].path is not None
    other = (WORKSPACES / "defects" / dup.related[0].path).read_text("utf-8")
    assert other[dup.related[0].span.start : dup.related[0].span.end].strip('"') == "EL_Panel_001"


def test_without_a_workspace_no_cross_file_rule_runs() -> None:
    ws = Workspace(WORKSPACES / "defects")
    doc = ws.read("drawings/floor1.svgx")
    assert not [d for d in check(doc) if d.code.startswith("SVX4")]


def test_json_symbol_markup_findings_land_inside_the_json_string(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    sym = tmp_path / "arx-symbol-library" / "audiovisual" / "AV_X_001.json"
    sym.parent.mkdir(parents=True)
    # The é is written as an escape: offsets inside the string must count it as one character.
    text = (
        '{"id": "AV_X_001", "name": "X", "system": "audiovisual", "svg": "<svg xmlns=\'http://www.w3.org/'
        "2000/svg' viewBox='0 0 9 9'><title>\\u00e9</title><script>alert(1)</script><rect width='1' "
        "height='1' onclick='x()'/></svg>\"}"
    )
    sym.write_text(text, encoding="utf-8")
    ws = Workspace(tmp_path)
    diags = {d.code: d for d in check(ws.read(sym), ws)}
    assert text[diags["SVX501"].span.start : diags["SVX501"].span.end].startswith("script")
    assert text[diags["SVX502"].span.start : diags["SVX502"].span.end].startswith("onclick")


def test_a_shape_b_fragment_is_not_blamed_for_its_parsing_wrapper(tmp_path: Path) -> None:
    folder = tmp_path / "arx-symbol-library" / "audiovisual"
    folder.mkdir(parents=True)
    text = (
        '{"id": "AV_Frag_001", "name": "Fragment", "system": "audiovisual", "description": "d",'
        ' "category": "c", "svg": {"content": "<g><rect width=\'10\' height=\'10\' onclick=\'x()\'/></g>",'
        ' "width": 10, "height": 10}, "properties": {}, "connections": [], "tags": [], "metadata": {}}'
    )
    (folder / "AV_Frag_001.json").write_text(text)
    ws = Workspace(tmp_path)
    found = check(ws.read("arx-symbol-library/audiovisual/AV_Frag_001.json"), ws)
    assert [(d.code, text[d.span.start : d.span.end]) for d in found if d.code.startswith("SVX5")] == [
        ("SVX502", "onclick")
    ], "no SVX512 (no title) for the <svg> the fragment is wrapped in"
