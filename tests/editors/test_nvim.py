"""The real Neovim (Debian's 0.7.2 here) as an LSP client of `svgx server`, driven headless.

Opens a drawing through the plugin in editors/nvim, waits for the server's diagnostics, runs
:SvgxPipeline, :SvgxHistory and :SvgxValidateWorkspace, and finds the run in the database.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import EXAMPLE, ROOT, copy_workspace, pipeline_runs

PLUGIN = ROOT / "editors" / "nvim"
CORPUS = ROOT.parent / "shared" / "corpus" / "arxos"
DRIVER = Path(__file__).with_name("nvim_driver.lua")
NVIM = shutil.which("nvim")

pytestmark = pytest.mark.skipif(
    NVIM is None,
    reason="nvim is not installed (scripts/ci-editors-setup installs Debian's neovim)",
)


def run_nvim(svgx: Path, file: Path, out: Path, artifacts: Path) -> dict:
    env = dict(os.environ)
    env.update(
        SVGX_PLUGIN=str(PLUGIN),
        SVGX_CMD=json.dumps([str(svgx), "server"]),
        SVGX_FILE=str(file),
        SVGX_OUT=str(out),
        SVGX_TIMEOUT_MS="60000",
        # Keep Neovim's state, shada and logs out of the home folder.
        XDG_STATE_HOME=str(artifacts / "state"),
        XDG_DATA_HOME=str(artifacts / "data"),
        XDG_CACHE_HOME=str(artifacts / "cache"),
        XDG_CONFIG_HOME=str(artifacts / "config"),
    )
    proc = subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "-i", "NONE", "-c", f"luafile {DRIVER}"],
        cwd=file.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    (artifacts / "nvim-stderr.txt").write_text(proc.stdout + proc.stderr)
    assert out.is_file(), f"nvim wrote no result (rc {proc.returncode}): {proc.stderr[-2000:]}"
    result = json.loads(out.read_text())
    (artifacts / "result.json").write_text(json.dumps(result, indent=2))
    assert "error" not in result, f"{result['error']}\n{result.get('messages', '')}"
    return result


@pytest.fixture
def drawing(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    """basic_room.svgx of the arxos corpus in a scratch workspace, else the example drawing."""
    if CORPUS.is_dir():
        ws = copy_workspace(CORPUS, tmp_path / "arxos")
        (ws / "svgx.toml").write_text("")  # the workspace root for the plugin and the server
        return ws / "drawings" / "basic_room.svgx", "corpus"
    if not (EXAMPLE / "drawings" / "floor1.svgx").is_file():
        pytest.fail("neither ../shared/corpus/arxos nor examples/building/drawings/floor1.svgx exists")
    ws = copy_workspace(EXAMPLE, tmp_path / "building")
    return ws / "drawings" / "floor1.svgx", "example"


def test_diagnostics_pipeline_history_and_quickfix(svgx, drawing, tmp_path, artifacts):
    file, which = drawing
    ws = file.parent.parent
    result = run_nvim(svgx, file, tmp_path / "result.json", artifacts)

    assert result["filetype"] == "svgx"
    diags = result["diagnostics"]
    assert diags and all(d["source"] == "svgx" for d in diags)
    if which == "corpus":
        # <variable name="humidity" unit="%" unit="%"> on line 91: the repeated attribute.
        # Not well-formed XML, so the reading checks report it (and only it).
        repeated = [d for d in diags if d["code"] == "SVX001"]
        assert repeated, diags
        d = repeated[0]
        assert d["lnum"] == 90, d
        line = file.read_text(encoding="utf-8").splitlines()[90]
        assert line[d["col"] :].startswith("unit"), (line, d)
        assert "unit" in d["message"]

    summary = result["summary"]
    assert summary["status"] in {"passed", "failed"}, summary
    lines = result["pipeline_lines"]
    assert lines[0].startswith(f"Run {summary['id']}: {summary['status']}"), lines
    assert any(line.strip().startswith("validate-schema:") for line in lines), lines

    assert any(line.startswith(summary["id"]) for line in result["history_lines"]), result

    runs = pipeline_runs(svgx, ws)
    mine = [r for r in runs if r["id"] == summary["id"]]
    assert mine, runs
    assert mine[0]["trigger"] == "lsp"
    assert mine[0]["status"] == summary["status"]

    qf = result["quickfix"]
    assert qf, "the quickfix list is empty after :SvgxValidateWorkspace"
    assert any(Path(item["file"]).name == file.name for item in qf), qf
