"""The main job: the pipeline over the project's example workspace, recorded."""

from __future__ import annotations

from pathlib import Path

from svgx_pipeline import runner
from svgx_pipeline.runner import RunOptions
from svgx_pipeline.workspace import Workspace

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "building"


def test_the_example_runs_and_is_recorded(tmp_path: Path) -> None:
    ws = Workspace(EXAMPLE)
    before = (EXAMPLE / "symbol_index.json").read_bytes()
    db = tmp_path / "pipeline.db"
    summary = runner.execute(ws, RunOptions(db=db))
    assert summary.store_error is None
    assert summary.status in ("passed", "failed"), summary.format_text()
    assert all(s.status != "error" for s in summary.steps)
    assert {"audiovisual", "electrical"} <= set(ws.systems())
    (listed,) = runner.history(ws, db=db)
    assert listed["id"] == summary.id and listed["status"] == summary.status
    if (EXAMPLE.parents[1] / ".git").exists():  # a clone: the run names the commit
        commit = listed["git_commit"]
        assert commit and len(commit) == 40 and int(commit, 16) >= 0
    if summary.status == "failed":  # a failed run leaves the registry exactly as it was
        assert (EXAMPLE / "symbol_index.json").read_bytes() == before
