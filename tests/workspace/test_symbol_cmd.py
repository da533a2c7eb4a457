"""``svgx symbol new`` writes a symbol that checks clean and registers it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from svgx_pipeline.cli import main
from svgx_pipeline.engine import check
from svgx_pipeline.workspace import Workspace


def test_new_symbol_checks_clean_and_is_registered(
    clean_ws: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(clean_ws)
    code = main(
        [
            "symbol",
            "new",
            "EL_Outlet_002",
            "--system",
            "electrical",
            "--object-type",
            "electrical_outlet",
        ]
    )
    assert code == 0, capsys.readouterr().err
    path = clean_ws / "symbols" / "electrical" / "EL_Outlet_002.svgx"
    ws = Workspace(clean_ws)
    assert check(ws.read(path), ws) == []
    data = json.loads((clean_ws / "symbol_index.json").read_text("utf-8"))
    entry = next(e for e in data["symbols"] if e["id"] == "EL_Outlet_002")
    assert entry["object_type"] == "electrical.electrical_outlet"
    assert entry["behavior_profile"] == "electrical_outlet_behavior"
    # The rest of the workspace is still clean, the registry included.
    assert not [
        d for p in ws.discover() for d in check(ws.read(p), ws) if not d.code.startswith("SVX3")
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["EL-Bad", "--system", "electrical", "--object-type", "electrical_outlet"],
            "must be letters and digits",
        ),
        (
            ["EL_X_001", "--system", "electric", "--object-type", "electrical_outlet"],
            "did you mean `electrical`",
        ),
        (
            ["EL_X_001", "--system", "electrical", "--object-type", "panel"],
            "did you mean `electrical.electrical_panel`",
        ),
        (
            ["EL_Panel_001", "--system", "electrical", "--object-type", "electrical_panel"],
            "exists; use --force",
        ),
    ],
)
def test_new_symbol_refuses_bad_input(
    clean_ws: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(clean_ws)
    assert main(["symbol", "new", *args]) == 2
    assert message in capsys.readouterr().err
