from __future__ import annotations

import pytest
from svgx_pipeline.text import LineIndex

TEXT = "ab\n€x😀y\r\nlast"


@pytest.mark.parametrize(
    ("offset", "encoding", "expected"),
    [
        (0, "utf-32", (0, 0)),
        (3, "utf-32", (1, 0)),
        (5, "utf-32", (1, 2)),  # after "€x"
        (6, "utf-16", (1, 4)),  # after "€x😀": the emoji is two UTF-16 units
        (6, "utf-8", (1, 8)),  # 3 + 1 + 4 bytes
        (len(TEXT), "utf-32", (2, 4)),
    ],
)
def test_position(offset: int, encoding: str, expected: tuple[int, int]) -> None:
    assert LineIndex(TEXT).position(offset, encoding) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("encoding", ["utf-32", "utf-16", "utf-8"])
def test_offset_round_trips(encoding: str) -> None:
    idx = LineIndex(TEXT)
    for off in range(len(TEXT) + 1):
        if TEXT[off - 1 : off] == "\r" or TEXT[off : off + 1] == "\n" and TEXT[off - 1 : off] == "\r":
            continue
        line, col = idx.position(off, encoding)  # type: ignore[arg-type]
        assert idx.offset(line, col, encoding) == off  # type: ignore[arg-type]


def test_line_end_excludes_crlf() -> None:
    idx = LineIndex(TEXT)
    assert TEXT[idx.line_start(1) : idx.line_end(1)] == "€x😀y"


def test_a_lone_carriage_return_ends_a_line_as_in_lsp() -> None:
    text = "a\rbc\r\nd\ne"
    idx = LineIndex(text)
    assert idx.line_count == 4
    assert [text[idx.line_start(i) : idx.line_end(i)] for i in range(4)] == ["a", "bc", "d", "e"]
    assert idx.position(text.index("c")) == (1, 1)
