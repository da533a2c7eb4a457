"""Every rule has docs, a fixture folder and an exact snapshot of the CLI's output on it.

A fixture is ``tests/fixtures/rules/<CODE>/``: a small workspace (files, and an optional
``svgx.toml``) whose ``expected.txt`` is exactly what ``svgx check . --format text``
prints when run inside it. ``SVGX_UPDATE_SNAPSHOTS=1`` rewrites the snapshots.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from svgx_pipeline import rules
from svgx_pipeline.cli import main
from svgx_pipeline.report import DOCS_DIR

from .conftest import UPDATE

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
# Rules that no input file can trigger, with the test that covers them instead.
NO_FIXTURE = {
    "SVX903": "tests/test_engine.py::test_exception_in_a_check_becomes_one_diagnostic",
}
CODES = [r.code for r in rules.all_rules()]


@pytest.mark.parametrize("code", CODES)
def test_rule_is_documented(code: str) -> None:
    rule = rules.get(code)
    assert rule is not None
    assert rule.summary and rule.why, f"{code} lacks its explanation"
    assert rule.example or code in NO_FIXTURE, f"{code} lacks an example"
    page = DOCS_DIR / f"{code}.md"
    assert page.is_file(), f"{code} has no docs page: run `svgx rules --write-docs`"
    assert page.read_text("utf-8") == rule.explanation(), f"{page} is stale: run `svgx rules --write-docs`"


@pytest.mark.parametrize("code", CODES)
def test_rule_has_fixture(code: str) -> None:
    if code in NO_FIXTURE:
        return
    folder = FIXTURES / code
    assert folder.is_dir(), f"{code} has no fixture folder {folder}"
    assert (folder / "expected.txt").is_file(), f"{code} has no snapshot expected.txt"


FOLDERS = sorted(p for p in FIXTURES.iterdir() if p.is_dir()) if FIXTURES.is_dir() else []


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_fixture_snapshot(folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(folder)
    main(["check", ".", "--format", "text", "--jobs", "1"])
    out = capsys.readouterr().out
    expected = folder / "expected.txt"
    if UPDATE:
        expected.write_text(out, encoding="utf-8")
    assert out == expected.read_text("utf-8")
    assert f" {folder.name}" in out, f"the fixture for {folder.name} does not trigger it"
