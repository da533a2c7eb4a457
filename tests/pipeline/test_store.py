"""The record: migrations, refusing newer schemas, reaping dead runs, faults of the file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from svgx_pipeline import runner, store
from svgx_pipeline.cli import main
from svgx_pipeline.runner import RunOptions
from svgx_pipeline.store import SCHEMA_VERSION, SqliteStore, StoreError, open_store
from svgx_pipeline.workspace import Workspace

from .helpers import MECHANICS_CONFIG, write_workspace


def test_an_older_database_is_upgraded_and_keeps_its_runs(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = SqliteStore(path, migrate=False)
    old.migrate(target=1)
    with old._write() as conn:
        conn.execute(
            "INSERT INTO executions (id, status, trigger_name, started_at, workspace, tool_version, "
            "config_hash, finished_at, duration_ms) VALUES ('old-run', 'passed', 'cli', "
            "'2024-01-01T00:00:00.000000Z', '/w', '0.0.1', 'abc', '2024-01-01T00:00:01.000000Z', 1000)"
        )
    old.close()
    upgraded = open_store(path)
    assert upgraded.schema_version() == SCHEMA_VERSION == 2
    (run,) = upgraded.executions()
    assert run["id"] == "old-run" and run["status"] == "passed" and run["pid"] is None
    indexes = {r["name"] for r in upgraded._query("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"executions_started", "diagnostics_code"} <= indexes
    upgraded.close()
    ws = Workspace(write_workspace(tmp_path / "ws"))
    assert runner.execute(ws, RunOptions(db=path)).status == "passed"
    assert [r["id"] for r in runner.history(ws, db=path)][1] == "old-run"


def test_a_newer_database_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_version VALUES (99, 'later')")
    with pytest.raises(StoreError) as info:
        open_store(path)
    assert "schema version 99, newer than this svgx understands (2)" in info.value.message
    assert "upgrade svgx" in info.value.hint


def test_list_uses_an_index() -> None:
    s = open_store(":memory:")
    plan = " ".join(
        str(r)
        for r in s._query("EXPLAIN QUERY PLAN SELECT id FROM executions ORDER BY started_at DESC, id DESC LIMIT 20")
    )
    assert "executions_started" in plan, plan
    s.close()


def test_a_running_row_whose_process_is_gone_becomes_interrupted(tmp_path: Path) -> None:
    ws = Workspace(write_workspace(tmp_path))
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # its pid is now free: a process that is gone
    s = open_store(tmp_path / ".svgx" / "pipeline.db")
    s.begin_execution(
        {
            "id": "dead-run",
            "status": "running",
            "trigger_name": "cli",
            "started_at": store.now(),
            "workspace": str(tmp_path),
            "tool_version": "x",
            "config_hash": "y",
            "pid": child.pid,
            "host": __import__("socket").gethostname(),
        }
    )
    s.close()
    run = runner.status(ws, "dead-run")
    assert run["status"] == "interrupted"
    assert run["audit"][-1]["details"] == {"event": "interrupted", "reason": "its process is gone"}


def _execute_cli(ws: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = main(["pipeline", "execute", str(ws), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def _no_success_claimed(db: Path) -> None:
    if not db.is_file():
        return
    try:
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT status FROM executions").fetchall()
    except sqlite3.DatabaseError:
        return  # still unreadable: it claims nothing
    assert ("passed",) not in rows


def test_corrupt_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = write_workspace(tmp_path, broken=True)
    db = ws / ".svgx" / "pipeline.db"
    db.parent.mkdir()
    db.write_bytes(b"this is not a database, it is a text file " * 100)
    code, out, err = _execute_cli(ws, capsys)
    assert code == 2
    assert "SVX001 not well-formed" in out and "run " in out, "the validation results are still printed"
    lines = err.strip().splitlines()[-2:]
    assert lines[0].startswith("svgx: pipeline database") and "not a usable SQLite database" in lines[0]
    assert lines[1] == "svgx: move the file away (a new one is created), or choose another with --db PATH"
    assert "Traceback" not in err
    _no_success_claimed(db)


@pytest.mark.parametrize("how", ["parent-is-a-file", "path-is-a-folder", "read-only"])
def test_database_not_writable(tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str) -> None:
    ws = write_workspace(tmp_path)
    if how == "parent-is-a-file":
        (ws / "blocker").write_text("")
        db = ws / "blocker" / "pipeline.db"
    elif how == "path-is-a-folder":
        db = ws / "db-folder"
        db.mkdir()
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes through file permissions")
        db = ws / "ro.db"
        open_store(db).close()
        db.chmod(0o444)
    code, out, err = _execute_cli(ws, capsys, "--db", str(db))
    assert code == 2
    assert "steps:" in out and "validate-schema" in out
    lines = [line for line in err.strip().splitlines() if not line.startswith("[")]
    assert len(lines) == 2 and lines[0].startswith("svgx: ") and "--db PATH" in lines[1], err
    if db.is_file():
        _no_success_claimed(db)


def test_database_locked_beyond_the_timeout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = write_workspace(tmp_path, config="database-timeout = 0.2\n" + MECHANICS_CONFIG)
    db = ws / ".svgx" / "pipeline.db"
    open_store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, out, err = _execute_cli(ws, capsys)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 2
    assert "PASS  max-errors" in out, "the validation results are still printed"
    lines = err.strip().splitlines()[-2:]
    assert "is locked: another process held it longer than 0.2 s" in lines[0]
    assert lines[1].startswith("svgx: wait for the other run to finish")
    _no_success_claimed(db)
    assert runner.history(Workspace(ws)) == [], "nothing was recorded at all"


def test_postgresql_is_named_not_silently_ignored(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="postgresql:// is not supported by this svgx yet"):
        open_store("postgresql://ci@db/svgx")


def test_locked_half_way_leaves_no_row_claiming_success(tmp_path: Path) -> None:
    ws = Workspace(write_workspace(tmp_path, broken=False, config="database-timeout = 0.2\n" + MECHANICS_CONFIG))
    db = tmp_path / ".svgx" / "pipeline.db"
    open_store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)

    def progress(step: str, index: int, total: int, done: int, files: int) -> None:
        # The test's own connection takes the write lock as validate-behavior starts (so its
        # record fails) and lets go as validate-registry starts.
        if step == "validate-behavior" and done == 0:
            holder.execute("BEGIN EXCLUSIVE")
        if step == "validate-registry" and done == 0:
            holder.execute("ROLLBACK")

    summary = runner.execute(ws, RunOptions(), progress=progress)
    holder.close()
    assert summary.status == "passed", "the validation itself passed"
    assert summary.store_error is not None and "is locked" in summary.store_error.message
    run = runner.status(ws)
    assert run["status"] == "error" and run["finished_at"]
    assert [s["name"] for s in run["steps"]] == ["validate-schema", "validate-symbol"]
    assert run["audit"][-1]["details"]["event"] == "abandoned"
    assert not (tmp_path / "symbol_index.json").exists(), "no unaudited registry change"
    assert "could not be recorded" in (summary.steps[-1].detail or "")
