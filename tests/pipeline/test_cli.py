"""`svgx pipeline …` end to end in-process: exit codes, text and JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from svgx_pipeline.cli import main

from .helpers import write_workspace


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_execute_then_read_the_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(write_workspace(tmp_path, broken=True))
    code, out, err = run(capsys, "pipeline", "execute", ws)
    assert code == 1
    assert "EL_Switch_001.svgx:1:85: error: SVX001 not well-formed" in out
    assert "  FAIL  max-errors: 1 error (at most 0 allowed)" in out
    assert "[1/6] validate-schema: 9 files" in err, "plain progress lines off a terminal"
    code, out, _ = run(capsys, "pipeline", "list", ws, "--format", "json")
    (listed,) = json.loads(out)
    assert code == 0 and listed["status"] == "failed" and listed["errors"] == 1
    code, out, _ = run(capsys, "pipeline", "list", ws)
    assert out.startswith(listed["id"][:8]) and " failed " in out
    code, out, _ = run(capsys, "pipeline", "status", listed["id"][:8], "-C", ws)
    assert code == 0 and f"run {listed['id']}" in out and "validate-schema      failed" in out
    code, out, _ = run(capsys, "pipeline", "show", "latest", "-C", ws, "--format", "json", "--code", "svx001")
    assert [(d["file"], d["start_line"], d["code"], d["step"]) for d in json.loads(out)] == [
        ("symbols/electrical/EL_Switch_001.svgx", 1, "SVX001", "validate-schema")
    ]
    code, out, _ = run(capsys, "pipeline", "show", "latest", "-C", ws, "--severity", "warning")
    assert out == "0 diagnostics\n"
    code, out, _ = run(capsys, "pipeline", "stats", ws, "--format", "json")
    stats = json.loads(out)
    assert stats["runs"] == 1 and stats["success_rate"] == 0 and stats["top_codes"][0]["code"] == "SVX001"


def test_execute_json_is_one_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(write_workspace(tmp_path, broken=True))
    code, out, _ = run(capsys, "pipeline", "execute", ws, "--format", "json", "--dry-run")
    data = json.loads(out)
    assert code == 1 and data["status"] == "failed" and data["dry_run"] and data["db"] is None
    (d,) = data["steps"][0]["diagnostics"]
    assert d["code"] == "SVX001" and d["location"]["row"] == 1 and d["location"]["column"] == 85
    assert not (tmp_path / ".svgx").exists()


def test_passing_run_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "pipeline", "execute", str(write_workspace(tmp_path)))
    assert code == 0 and " passed in " in out


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(write_workspace(tmp_path))
    code, _, err = run(capsys, "pipeline", "execute", ws, "--system", "hvac")
    assert code == 2 and err == "svgx: unknown system 'hvac'; known systems: audiovisual, electrical\n"
    code, _, err = run(capsys, "pipeline", "status", "nope", "-C", ws)
    assert code == 2 and "no run 'nope'" in err
    code, _, err = run(capsys, "pipeline", "execute", str(tmp_path / "missing"))
    assert code == 2 and "no such file or folder" in err


def test_reading_an_empty_record_creates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(write_workspace(tmp_path))
    code, out, _ = run(capsys, "pipeline", "list", ws)
    assert code == 0 and out == "no runs recorded yet (`svgx pipeline execute` records one)\n"
    code, _, err = run(capsys, "pipeline", "status", "-C", ws)
    assert code == 2 and "no run recorded yet" in err
    assert not (tmp_path / ".svgx").exists()


def test_db_option_is_relative_to_the_current_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = write_workspace(tmp_path / "ws")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "pipeline", "execute", "ws", "--db", "runs.db")
    assert code == 0 and "recorded in runs.db" in out and (tmp_path / "runs.db").is_file()
    assert not (ws / "runs.db").exists()


def test_config_problems_are_reported_by_validate_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = write_workspace(tmp_path, config='[limits]\nmax-depth = "twelve"\n')
    code, out, _ = run(capsys, "pipeline", "execute", str(ws), "--format", "json", "--dry-run")
    data = json.loads(out)
    (d,) = [d for d in data["steps"][0]["diagnostics"] if d["code"] == "SVX902"]
    assert d["file"] == "svgx.toml" and d["location"]["row"] == 2 and code == 1
