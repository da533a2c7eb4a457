"""What a correct tool says about the format's own example drawing, derived from the file.

basic_room.svgx repeats an attribute on one element (not well-formed) and writes behavior
and physics children without the arx: prefix. The expectations below are computed by
reading the file independently of the tool (plain text search and lxml in recover mode).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from svgx_pipeline.documents import Document
from svgx_pipeline.engine import check
from svgx_pipeline.text import LineIndex

ARX = "http://arxos.io/svgx"


def test_basic_room(corpus: Path) -> None:
    path = corpus / "drawings" / "basic_room.svgx"
    text = path.read_text("utf-8")
    diags = check(Document("drawings/basic_room.svgx", text))
    lines = LineIndex(text)

    # The repeated attribute: the second occurrence of an attribute name inside one tag.
    dup = re.search(r'<[^>]*?\s(\w+)="[^"]*"[^>]*?\s(\1)="[^"]*"', text)
    assert dup is not None
    (wf,) = [d for d in diags if d.code == "SVX001"]
    assert (wf.span.start, wf.span.end) == (dup.start(2), dup.end(2))
    assert text[wf.span.start : wf.span.end] == dup.group(1)
    assert wf.fix is not None, "both copies hold the same value: removing one is safe"

    # Unprefixed children of arx elements: one finding per topmost such element.
    root = etree.fromstring(text.encode(), etree.XMLParser(recover=True, resolve_entities=False))
    expected_lines = set()
    for el in root.iter():
        parent = el.getparent()
        if (isinstance(el.tag, str) and parent is not None and not el.tag.startswith(f"{{{ARX}}}")
                and str(parent.tag).startswith(f"{{{ARX}}}")):
            expected_lines.add(el.sourceline)
    got = {lines.position(d.span.start)[0] + 1 for d in diags if d.code == "SVX110"}
    assert got == expected_lines
    for d in diags:
        if d.code == "SVX110":
            assert text[d.span.start : d.span.end] == text[d.span.start : d.span.end].strip("<")
            assert re.match(r"[a-z]+", text[d.span.start : d.span.end])

    # Nothing else at error level in the structure and compliance families.
    others = {d.code for d in diags if d.code[:4] in ("SVX0", "SVX1", "SVX5") and d.severity.name == "ERROR"}
    assert others == {"SVX001"}
