"""Faults with real processes: SIGKILL inside a step, four concurrent writers."""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from svgx_pipeline import runner
from svgx_pipeline.workspace import Workspace

from .helpers import write_workspace

WAIT = 120  # seconds: an upper bound on waiting for an event, never a delay


def test_sigkill_inside_a_step_leaves_a_consistent_record(tmp_path: Path) -> None:
    ws = write_workspace(tmp_path, broken=True)
    read_end, write_end = os.pipe()
    env = {**os.environ, "SVGX_PIPELINE_TEST_PAUSE": f"validate-behavior:/dev/fd/{write_end}"}
    child = subprocess.Popen(
        [sys.executable, "-m", "svgx_pipeline", "pipeline", "execute", str(ws)],
        env=env,
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], WAIT)
        assert ready, "the run never reached validate-behavior"
        assert os.read(read_end, 100) == b"inside validate-behavior\n", child.stderr.read() if child.stderr else ""
        child.send_signal(signal.SIGKILL)
        assert child.wait(WAIT) == -signal.SIGKILL
    finally:
        os.close(read_end)
        if child.poll() is None:
            child.kill()
        if child.stderr:
            child.stderr.close()
    db = ws / ".svgx" / "pipeline.db"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT status FROM executions").fetchall() == [("running",)]
        steps = conn.execute("SELECT name, status FROM steps ORDER BY position").fetchall()
        assert steps == [("validate-schema", "failed"), ("validate-symbol", "passed")]
        assert conn.execute("SELECT step_name, code FROM diagnostics").fetchall() == [("validate-schema", "SVX001")]
    run = runner.status(Workspace(ws))
    assert run["status"] == "interrupted"
    assert not run["gates"] and run["finished_at"] is None


WRITER = """
import sys
from pathlib import Path
from svgx_pipeline import runner
from svgx_pipeline.workspace import Workspace
ws = Workspace(Path(sys.argv[1]))
for _ in range(int(sys.argv[3])):
    s = runner.execute(ws, runner.RunOptions(db=sys.argv[2]))
    assert s.store_error is None, s.store_error
"""


def test_four_processes_write_one_database_at_once(tmp_path: Path) -> None:
    ws = write_workspace(tmp_path / "ws", broken=True)
    db = tmp_path / "shared.db"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(ws), str(db), "25"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    errors = [p.communicate(timeout=WAIT * 3)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM executions").fetchone() == (
            100,
            100,
        )
        assert conn.execute("SELECT DISTINCT status FROM executions").fetchall() == [("failed",)]
        per_run = conn.execute(
            "SELECT e.id, (SELECT COUNT(*) FROM steps s WHERE s.execution_id = e.id),"
            " (SELECT COUNT(*) FROM diagnostics d WHERE d.execution_id = e.id),"
            " (SELECT COUNT(*) FROM gates g WHERE g.execution_id = e.id) FROM executions e"
        ).fetchall()
    assert {(s, d, g) for _, s, d, g in per_run} == {(6, 1, 3)}
    assert len({pid for (pid,) in sqlite3.connect(db).execute("SELECT DISTINCT pid FROM executions")}) == 4
