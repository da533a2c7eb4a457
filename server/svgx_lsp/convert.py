"""The edge: code-point spans and core diagnostics become LSP ranges and diagnostics.

Nothing else in the server computes a line or a column.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from lsprotocol import types
from svgx_pipeline.diagnostics import Diagnostic, Fix, Severity, Span, Tag
from svgx_pipeline.report import docs_url as _docs_url
from svgx_pipeline.text import Encoding, LineIndex

SOURCE = "svgx"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
_TAGS = {Tag.UNNECESSARY: types.DiagnosticTag.Unnecessary, Tag.DEPRECATED: types.DiagnosticTag.Deprecated}


@lru_cache(maxsize=1024)
def docs_url(code: str) -> str:
    """The rule's documentation page (resolving the path costs a system call: once per code)."""
    return _docs_url(code)


def encoding_of(kind: str | types.PositionEncodingKind) -> Encoding:
    value = kind.value if isinstance(kind, types.PositionEncodingKind) else str(kind)
    return {"utf-8": "utf-8", "utf-16": "utf-16", "utf-32": "utf-32"}.get(value, "utf-16")  # type: ignore[return-value]


def position(lines: LineIndex, offset: int, encoding: Encoding) -> types.Position:
    line, col = lines.position(offset, encoding)
    return types.Position(line=line, character=col)


def to_range(lines: LineIndex, span: Span, encoding: Encoding) -> types.Range:
    return types.Range(start=position(lines, span.start, encoding), end=position(lines, span.end, encoding))


def fix_edits(lines: LineIndex, fix: Fix, encoding: Encoding) -> list[types.TextEdit]:
    return [types.TextEdit(range=to_range(lines, e.span, encoding), new_text=e.new_text) for e in fix.edits]


def to_lsp(
    d: Diagnostic,
    lines: LineIndex,
    encoding: Encoding,
    *,
    uri: str,
    version: int | None,
    related_uri: Any = None,
) -> types.Diagnostic:
    """One core diagnostic in the client's terms.

    ``data`` carries what code actions need, so they never re-run the analysis: the fix's
    edits (already in the client's units), the rule's facts (``d.data``), the version the
    edits apply to, and the code-point span.
    """
    data: dict[str, Any] = {"span": [d.span.start, d.span.end], "version": version}
    if d.fix is not None:
        data["fix"] = {
            "title": d.fix.title,
            "edits": [
                {"range": _range_json(to_range(lines, e.span, encoding)), "newText": e.new_text} for e in d.fix.edits
            ],
        }
    if d.data:
        data["facts"] = d.data
    related = []
    for rel in d.related:
        if rel.path is None or rel.path == d.path:
            loc = types.Location(uri=uri, range=to_range(lines, rel.span, encoding))
        elif related_uri is not None and (target := related_uri(rel.path, rel.span)) is not None:
            loc = target
        else:
            continue
        related.append(types.DiagnosticRelatedInformation(location=loc, message=rel.message))
    return types.Diagnostic(
        range=to_range(lines, d.span, encoding),
        message=d.message,
        severity=_SEVERITY.get(d.severity, types.DiagnosticSeverity.Hint),
        code=d.code,
        code_description=types.CodeDescription(href=docs_url(d.code)),
        source=SOURCE,
        tags=[_TAGS[t] for t in d.tags] or None,
        related_information=related or None,
        data=data,
    )


def _range_json(r: types.Range) -> dict[str, Any]:
    return {
        "start": {"line": r.start.line, "character": r.start.character},
        "end": {"line": r.end.line, "character": r.end.character},
    }


def range_from_json(value: Any) -> types.Range:
    return types.Range(
        start=types.Position(line=int(value["start"]["line"]), character=int(value["start"]["character"])),
        end=types.Position(line=int(value["end"]["line"]), character=int(value["end"]["character"])),
    )
