"""Regressions found by an adversarial read of the analysis core: one test per bug."""

from __future__ import annotations

from svgx_pipeline import engine
from svgx_pipeline.diagnostics import Diagnostic
from svgx_pipeline.documents import Document, FileKind
from svgx_pipeline.fixes import fix_all


def check(text: str, path: str = "d.svgx", kind: FileKind = FileKind.SVGX) -> list[Diagnostic]:
    return engine.check(Document(path, text, kind))


def fixed(text: str, path: str = "d.svgx") -> str:
    new, _, _ = fix_all(text, lambda t: check(t, path))
    return new


def test_undeclared_prefix_other_than_arx_is_not_namespace_well_formed() -> None:
    text = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>t</title>'
        '<rect id="x" width="1" height="1"/><use xlink:href="#x"/><bim:thing/></svg>'
    )
    found = [(d.code, text[d.span.start : d.span.end]) for d in check(text)]
    assert found == [("SVX001", "xlink"), ("SVX001", "bim")]
    new = fixed(text)
    assert 'xmlns:xlink="http://www.w3.org/1999/xlink"' in new
    assert [d.code for d in check(new)] == ["SVX001"]  # bim: has no known URI to declare
