"""Shared pieces of the real-editor tests: the server executable and a scratch workspace."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "building"
ARTIFACTS = Path(os.environ.get("SVGX_TEST_ARTIFACTS", ROOT / "tests" / "editors" / "artifacts"))


def svgx_executable() -> Path:
    """The `svgx` of the Python environment running the tests (the project's .venv)."""
    beside = Path(sys.executable).parent / "svgx"
    if beside.is_file():
        return beside
    found = shutil.which("svgx")
    if found is None:
        pytest.fail("no svgx executable beside the test interpreter nor on PATH: pip install -e .")
    return Path(found)


@pytest.fixture(scope="session")
def svgx() -> Path:
    """The `svgx` executable, checked to have the `server` command the editors start."""
    exe = svgx_executable()
    proc = subprocess.run([str(exe), "server", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"`{exe} server` is not available (the language server):\n{proc.stderr}"
    return exe


def copy_workspace(source: Path, target: Path) -> Path:
    """A copy of a workspace folder, without any database or cache it may hold."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".svgx", "__pycache__", "node_modules"))
    return target


def pipeline_runs(svgx: Path, workspace: Path) -> list[dict]:
    """The runs recorded in the workspace's database, read through the CLI (newest first)."""
    proc = subprocess.run(
        [str(svgx), "pipeline", "list", "--format", "json"],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, f"svgx pipeline list failed: {proc.stderr}"
    data = json.loads(proc.stdout)
    return data["runs"] if isinstance(data, dict) and "runs" in data else data


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """A folder for this test's screenshots and logs (gitignored)."""
    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


# --- the VS Code extension and the code-server toolchain (scripts/ci-editors-setup) --------

EXTENSION = ROOT / "editors" / "vscode"
CACHE = Path(os.environ.get("SVGX_CI_CACHE", Path.home() / ".cache" / "svgx-ci"))
SETUP_HINT = "run scripts/ci-editors-setup to install it"


def npm_run(script: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["npm", "run", "--silent", script],
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def extension_deps() -> Path:
    """editors/vscode with its npm dependencies installed; skips where npm or they are missing."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed: the VS Code extension cannot be built here")
    if not (EXTENSION / "node_modules" / ".bin" / "vsce").exists():
        pytest.skip(f"the extension's npm dependencies are not installed ({SETUP_HINT})")
    return EXTENSION


@pytest.fixture(scope="session")
def vsix(extension_deps: Path) -> Path:
    """The .vsix, built once per test session from the current sources."""
    target = extension_deps / "svgx.vsix"
    target.unlink(missing_ok=True)
    proc = npm_run("package")
    assert proc.returncode == 0, f"npm run package failed:\n{proc.stdout}\n{proc.stderr}"
    assert target.is_file()
    return target
