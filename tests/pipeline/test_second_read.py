"""Regressions from an adversarial second read of the runner, its record and the registry."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from svgx_pipeline.cli import main
from svgx_pipeline.registry import build_registry, write_registry
from svgx_pipeline.workspace import Workspace

from .helpers import write_workspace


def test_registry_write_keeps_an_ordinary_file_mode(tmp_path: Path) -> None:
    ws = Workspace(write_workspace(tmp_path))
    old = os.umask(0o022)
    try:
        target = write_registry(ws, build_registry(ws))
        assert stat.S_IMODE(target.stat().st_mode) == 0o644  # not mkstemp's 0600
        target.chmod(0o664)
        write_registry(ws, build_registry(ws))
        assert stat.S_IMODE(target.stat().st_mode) == 0o664  # an existing file keeps its mode
    finally:
        os.umask(old)


def test_registry_update_cli_twice_gives_identical_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_workspace(tmp_path)
    assert main(["registry", "update", str(tmp_path)]) == 0
    first = (tmp_path / "symbol_index.json").read_bytes()
    assert main(["registry", "update", str(tmp_path)]) == 0
    assert (tmp_path / "symbol_index.json").read_bytes() == first
    assert "is up to date" in capsys.readouterr().out
