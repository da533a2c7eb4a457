"""The engine: the one entry point, config, suppressions, and isolation of broken checks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from svgx_pipeline import engine
from svgx_pipeline.config import Settings
from svgx_pipeline.diagnostics import Diagnostic, Severity, Span
from svgx_pipeline.documents import Document, FileKind
from svgx_pipeline.fixes import fix_all

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:arx="http://arxos.io/svgx" viewBox="0 0 10 10">\n  <title>t</title>\n{}</svg>\n'


def codes(text: str, settings: Settings | None = None, path: str = "d.svgx") -> list[str]:
    return [d.code for d in engine.check(Document(path, text, FileKind.SVGX), None, settings)]


def test_check_in_three_lines() -> None:
    doc = Document("d.svgx", SVG.format('  <rect width="1" height="1" onclick="x()"/>\n'))
    (d,) = engine.check(doc)
    assert (d.code, d.severity, doc.text[d.span.start : d.span.end]) == ("SVX502", Severity.ERROR, "onclick")


def test_exception_in_a_check_becomes_one_diagnostic(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(ctx: engine.CheckContext) -> Iterator[Diagnostic]:
        yield ctx.report("SVX501", Span(0, 1), "before the crash")
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(engine, "_CHECKS", [*engine._CHECKS, engine.Check("broken", frozenset({FileKind.SVGX}), ("SVX501",), broken)])
    found = engine.check(Document("d.svgx", SVG.format('  <rect width="1" height="1" onclick="x()"/>\n')))
    internal = [d for d in found if d.code == "SVX903"]
    assert len(internal) == 1
    assert "check broken (SVX501)" in internal[0].message and "ZeroDivisionError: boom" in internal[0].message
    assert "SVX502" in [d.code for d in found], "the other checks still ran"


def test_select_ignore_severity_and_per_file_ignores() -> None:
    text = SVG.format('  <rect width="1" height="1" onclick="x()" style="fill:red"/>\n  <script/>\n')
    assert codes(text) == ["SVX502", "SVX501"]
    assert codes(text, Settings(ignore=("SVX50",))) == []
    assert codes(text, Settings(select=("SVX501",))) == ["SVX501"]
    assert codes(text, Settings(select=("ALL", "SVX510"))) == ["SVX502", "SVX510", "SVX501"]
    sev = {d.code: d.severity for d in engine.check(Document("d.svgx", text), None, Settings(severity={"SVX501": Severity.WARNING}))}
    assert sev["SVX501"] is Severity.WARNING
    assert codes(text, Settings(per_file_ignores={"legacy/*.svgx": ("SVX5",)}), "legacy/d.svgx") == []
    assert codes(text, Settings(per_file_ignores={"legacy/*.svgx": ("SVX5",)}), "new/d.svgx") != []


def test_suppression_comment_covers_the_next_element_and_its_subtree() -> None:
    text = SVG.format(
        "  <!-- svgx: ignore SVX501 -->\n  <g><script/></g>\n  <script/>\n"
    )
    found = engine.check(Document("d.svgx", text))
    assert [d.code for d in found] == ["SVX501"]
    assert text[found[0].span.start :].startswith("script/>\n</svg>")


def test_file_suppression_and_unused_ones() -> None:
    text = SVG.format("  <!-- svgx: ignore-file SVX501 SVX502 -->\n  <script/>\n")
    found = engine.check(Document("d.svgx", text))
    assert [d.code for d in found] == ["SVX901"]
    assert "SVX502" in found[0].message and "SVX501" not in found[0].message


def test_fixes_reach_a_clean_file() -> None:
    text = SVG.format('  <rect width="1" height="1" onclick="x()"/>\n  <script>evil()</script>\n')
    fixed, applied, remaining = fix_all(text, lambda t: engine.check(Document("d.svgx", t)))
    assert applied == 2 and remaining == []
    assert fixed == SVG.format('  <rect width="1" height="1"/>\n')


def test_results_are_sorted_and_carry_the_path() -> None:
    found = engine.check(Document("a/b.svgx", SVG.format("  <script/>\n  <rectt/>\n")))
    assert [d.span.start for d in found] == sorted(d.span.start for d in found)
    assert {d.path for d in found} == {"a/b.svgx"}
