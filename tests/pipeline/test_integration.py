"""The pipeline with the parts other modules provide: the real registry, SVX409, a terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from svgx_pipeline import runner
from svgx_pipeline.runner import RunOptions
from svgx_pipeline.workspace import Workspace

from .helpers import SCHEMA, write_workspace


def test_coverage_gate_cannot_pass_with_its_rule_switched_off(tmp_path: Path) -> None:
    ws = Workspace(write_workspace(tmp_path, config='ignore = ["SVX409"]\n'))
    gate = {g.gate: g for g in runner.execute(ws, RunOptions(dry_run=True)).gates}["coverage"]
    assert not gate.passed and "SVX409 is switched off" in gate.detail


def test_coverage_gate_counts_svx409(tmp_path: Path) -> None:
    write_workspace(tmp_path, config="")
    schema = json.loads(json.dumps(SCHEMA))
    schema["objects"]["screen"] = {
        "properties": {},
        "relationships": {},
        "behavior_profile": "screen_behavior",
    }
    (tmp_path / "schemas/audiovisual/schema.json").write_text(json.dumps(schema, indent=2))
    summary = runner.execute(Workspace(tmp_path), RunOptions(dry_run=True))
    gate = {g.gate: g for g in summary.gates}["coverage"]
    assert not gate.passed and "SVX409" in gate.detail and "screen" in gate.detail


def test_live_progress_on_a_terminal(tmp_path: Path) -> None:
    ws = write_workspace(tmp_path)
    master, slave = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "svgx_pipeline", "pipeline", "execute", str(ws), "--dry-run"],
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closes when the child ends
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    out, _ = child.communicate(timeout=120)
    assert b"\r\x1b[K[1/6] validate-schema: 0/8 files" in seen
    assert b"\r\x1b[K[5/6] validate-compliance: 8/8 files" in seen
    assert seen.endswith(b"\r\x1b[K"), "the progress line is cleared before the summary"
    assert b"dry run: nothing was written" in out
