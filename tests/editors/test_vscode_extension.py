"""The VS Code extension builds, lints and passes its own unit tests (node's test runner)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from .conftest import ROOT, npm_run


def test_lint_and_typecheck(extension_deps: Path):
    for script in ("lint", "typecheck"):
        proc = npm_run(script)
        assert proc.returncode == 0, f"npm run {script}:\n{proc.stdout}\n{proc.stderr}"


def test_unit_tests(extension_deps: Path):
    proc = npm_run("test")
    assert proc.returncode == 0, f"npm test:\n{proc.stdout}\n{proc.stderr}"
    assert "# fail 0" in proc.stdout and "# pass " in proc.stdout, proc.stdout


def test_vsix_contents(vsix: Path):
    with zipfile.ZipFile(vsix) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("extension/package.json"))
        schema = json.loads(z.read("extension/schemas/behavior-profile-1.0.schema.json"))
    assert {
        "extension/dist/extension.js",
        "extension/syntaxes/svgx.tmLanguage.json",
        "extension/language-configuration.json",
        "extension/readme.md",  # vsce lower-cases it
    } <= names, sorted(names)
    assert not any("node_modules" in n or n.startswith("extension/src/") for n in names), sorted(names)
    # The schema shipped is the pipeline's own, byte for byte the same document.
    source = ROOT / "pipeline" / "svgx_pipeline" / "schemas" / "behavior-profile-1.0.schema.json"
    assert schema == json.loads(source.read_text(encoding="utf-8"))
    # engines.vscode matches the pinned @types/vscode (the API the code was compiled against).
    dev = json.loads((ROOT / "editors" / "vscode" / "package.json").read_text())["devDependencies"]
    assert manifest["engines"]["vscode"] == "^" + dev["@types/vscode"]
    titles = {c["title"] for c in manifest["contributes"]["commands"]}
    assert titles == {
        "Run Pipeline",
        "Run Pipeline (Dry Run)",
        "Run Pipeline for System…",
        "Show Pipeline History",
        "Validate Workspace",
        "Restart Server",
    }
