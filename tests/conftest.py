from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "arxos"
UPDATE = os.environ.get("SVGX_UPDATE_SNAPSHOTS") == "1"


@pytest.fixture
def corpus() -> Path:
    """The real-world files of ../shared/corpus/arxos; skips where ../shared is absent."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus/arxos is absent (a user's clone has no ../shared)")
    return CORPUS
