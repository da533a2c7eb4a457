from __future__ import annotations

import shutil
from pathlib import Path

import pytest

WORKSPACES = Path(__file__).resolve().parents[1] / "fixtures" / "workspaces"


@pytest.fixture
def clean_ws(tmp_path: Path) -> Path:
    """A copy of the clean two-system fixture workspace (tests may edit it)."""
    dest = tmp_path / "clean"
    shutil.copytree(WORKSPACES / "clean", dest)
    return dest


@pytest.fixture
def defects_ws(tmp_path: Path) -> Path:
    dest = tmp_path / "defects"
    shutil.copytree(WORKSPACES / "defects", dest)
    return dest
