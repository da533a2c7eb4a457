"""server.md §1: nothing under pipeline/ imports the protocol library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PIPELINE = Path(__file__).resolve().parents[2] / "pipeline"
PROTOCOL = ("pygls", "lsprotocol")


def _imports(tree: ast.AST) -> list[tuple[str, ast.AST, bool]]:
    """(module, node, at module level) for every import in a module."""
    out = []
    top = set(map(id, getattr(tree, "body", [])))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        out += [(n, node, id(node) in top) for n in names]
    return out


def test_pipeline_never_imports_the_protocol_library() -> None:
    offenders = []
    for path in sorted(PIPELINE.rglob("*.py")):
        for name, node, at_top in _imports(ast.parse(path.read_text("utf-8"))):
            root = name.split(".")[0]
            if root in PROTOCOL or (root == "svgx_lsp" and at_top):
                offenders.append(f"{path.relative_to(PIPELINE)}:{node.lineno}: {name}")  # type: ignore[attr-defined]
    assert not offenders, "pipeline/ imports the protocol layer:\n" + "\n".join(offenders)


def test_the_cli_loads_without_pygls() -> None:
    code = (
        "import sys; from svgx_pipeline.cli import build_parser; build_parser();"
        "import svgx_pipeline.engine;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol', 'svgx_lsp')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
