"""Regressions from an adversarial second read of the runner, its record and the registry."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from svgx_pipeline import runner
from svgx_pipeline.cli import main
from svgx_pipeline.documents import Document
from svgx_pipeline.registry import build_registry, write_registry
from svgx_pipeline.runner import RunOptions
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


def _two_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    write_workspace(tmp_path)
    ids = []
    for _ in range(2):
        main(["pipeline", "execute", str(tmp_path), "--format", "json"])
        ids.append(json.loads(capsys.readouterr().out)["id"])
    return ids


@pytest.mark.parametrize("given", ["%", "_", "", "____%"])
def test_status_prefix_is_not_a_like_pattern(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], given: str
) -> None:
    _two_runs(tmp_path, capsys)
    assert main(["pipeline", "status", given, "-C", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"no run {given!r}" in err and "ambiguous" not in err


def test_status_accepts_a_unique_prefix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = _two_runs(tmp_path, capsys)
    assert main(["pipeline", "status", ids[0][:8], "-C", str(tmp_path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == ids[0]


@pytest.mark.parametrize("limit", ["0", "-1", "x"])
def test_list_limit_below_one_is_a_usage_error_not_an_empty_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], limit: str
) -> None:
    _two_runs(tmp_path, capsys)
    with pytest.raises(SystemExit) as exc:
        main(["pipeline", "list", str(tmp_path), "--limit", limit])
    assert exc.value.code == 2
    captured = capsys.readouterr()
    assert "no runs recorded yet" not in captured.out and "--limit" in captured.err


@pytest.mark.parametrize("filters", [["--status", "passed"], ["--system", "nope"]])
def test_list_with_filters_matching_nothing_does_not_call_the_record_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], filters: list[str]
) -> None:
    write_workspace(tmp_path, broken=True)
    main(["pipeline", "execute", str(tmp_path)])
    capsys.readouterr()
    assert main(["pipeline", "list", str(tmp_path), *filters]) == 0
    out = capsys.readouterr().out
    assert "no runs recorded yet" not in out and "no recorded run matches" in out


def test_show_file_filter_accepts_the_paths_a_user_types(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_workspace(tmp_path, broken=True)
    main(["pipeline", "execute", str(tmp_path)])
    capsys.readouterr()
    rel = "symbols/electrical/EL_Switch_001.svgx"
    monkeypatch.chdir(tmp_path / "symbols")
    for given in (rel, f"./{rel}", str(tmp_path / rel), "electrical/EL_Switch_001.svgx"):
        assert main(["pipeline", "show", "latest", "-C", str(tmp_path), "--file", given, "--format", "json"]) == 0
        diags = json.loads(capsys.readouterr().out)
        assert diags and {d["file"] for d in diags} == {rel}, given


def test_a_step_run_alone_does_not_pass_over_a_broken_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = write_workspace(tmp_path, config='[limits]\nmax-depth = "twelve"\n')
    code = main(["pipeline", "execute", str(ws), "--step", "validate-symbol", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1 and data["status"] == "failed"
    (step,) = data["steps"]
    assert step["name"] == "validate-symbol" and [d["code"] for d in step["diagnostics"]] == ["SVX902"]


def test_a_run_over_nothing_creates_no_registry(tmp_path: Path) -> None:
    summary = runner.execute(Workspace(tmp_path), RunOptions())
    assert summary.status == "passed"
    assert not (tmp_path / "symbol_index.json").exists()
    assert (tmp_path / ".svgx" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_a_scoped_run_keeps_an_unreadable_file_of_its_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = Workspace(write_workspace(tmp_path))
    real_read = Workspace.read

    def read(self: Workspace, path: Path | str) -> Document:
        if str(path).endswith("AV_Display_001.svgx"):
            raise PermissionError(13, "Permission denied")
        return real_read(self, path)

    monkeypatch.setattr(Workspace, "read", read)
    scoped = runner.execute(ws, RunOptions(dry_run=True, system="audiovisual"))
    assert scoped.status == "failed" and "SVX001" in [d.code for d in scoped.diagnostics()]
    other = runner.execute(ws, RunOptions(dry_run=True, system="electrical"))
    assert "SVX001" not in [d.code for d in other.diagnostics()]


def test_a_run_that_could_not_be_recorded_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = write_workspace(tmp_path)
    bad = tmp_path / "bad.db"
    bad.write_text("not a database")
    assert main(["pipeline", "execute", str(ws), "--db", str(bad)]) == 2
    assert "NOT recorded" in capsys.readouterr().out
    assert main(["pipeline", "execute", str(ws), "--db", str(bad), "--format", "json"]) == 2
    assert json.loads(capsys.readouterr().out)["recorded"] is False
