"""The analysis core never imports the protocol libraries (server.md §1)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "pipeline"
FORBIDDEN = ("pygls", "lsprotocol")


def test_no_protocol_imports_under_pipeline() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.relative_to(CORE)}:{node.lineno} {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_importing_the_core_and_checking_loads_no_protocol_library() -> None:
    code = (
        "import sys\n"
        "from svgx_pipeline.engine import check\n"
        "from svgx_pipeline.documents import Document\n"
        "check(Document('a.svgx', '<svg xmlns=\"http://www.w3.org/2000/svg\"/>'))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
