"""The documents the editor has open, with incremental changes applied exactly.

pygls keeps its own copies split with ``str.splitlines``, which also breaks lines at
U+2028, form feeds and other characters the protocol does not count as line ends, and
rebuilds that list on every change. The server keeps the text itself and converts
positions with ``text.LineIndex`` (the same line model the diagnostics are converted with)
in the negotiated encoding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path
from svgx_pipeline.text import Encoding, LineIndex


@dataclass
class OpenDocument:
    uri: str
    text: str
    version: int
    language_id: str = ""
    _lines: LineIndex | None = field(default=None, repr=False)

    @property
    def path(self) -> Path | None:
        fs = to_fs_path(self.uri)
        return Path(fs) if fs else None

    @property
    def lines(self) -> LineIndex:
        if self._lines is None or self._lines.text is not self.text:
            self._lines = LineIndex(self.text)
        return self._lines

    def apply(self, change: types.TextDocumentContentChangeEvent, encoding: Encoding) -> None:
        if isinstance(change, types.TextDocumentContentChangePartial):
            lines = self.lines
            start = offset_at(lines, change.range.start, encoding)
            end = offset_at(lines, change.range.end, encoding)
            if end < start:
                start, end = end, start
            self.text = self.text[:start] + change.text + self.text[end:]
        else:
            self.text = change.text
        self._lines = None


def offset_at(lines: LineIndex, pos: types.Position, encoding: Encoding) -> int:
    """Code-point offset of an LSP position; a position past a line's end clamps to it."""
    return lines.offset(pos.line, pos.character, encoding)


class DocumentStore:
    """Open documents by URI."""

    def __init__(self) -> None:
        self._docs: dict[str, OpenDocument] = {}

    def open(self, item: types.TextDocumentItem) -> OpenDocument:
        doc = OpenDocument(item.uri, item.text, item.version, item.language_id)
        self._docs[item.uri] = doc
        return doc

    def change(self, params: types.DidChangeTextDocumentParams, encoding: Encoding) -> OpenDocument | None:
        doc = self._docs.get(params.text_document.uri)
        if doc is None:
            return None
        for change in params.content_changes:
            doc.apply(change, encoding)
        doc.version = params.text_document.version
        return doc

    def close(self, uri: str) -> OpenDocument | None:
        return self._docs.pop(uri, None)

    def get(self, uri: str) -> OpenDocument | None:
        return self._docs.get(uri)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(list(self._docs.values()))

    def __len__(self) -> int:
        return len(self._docs)
