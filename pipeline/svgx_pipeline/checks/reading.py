"""SVX0xx: turning a file into a tree (parse, encoding, size)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from ..diagnostics import Diagnostic, Edit, Fix, Span
from ..documents import FileKind
from ..engine import CheckContext, check_function
from ..rules import define
from ..xmlread import KNOWN_PREFIXES

define(
    "SVX001", "not-well-formed", "error",
    "The file is not well-formed XML; the parser's own message is shown at its position.",
    why="A file that is not well-formed is rejected by browsers and by every XML tool. "
    "Checks that can still run on the recovered tree do, so one slip does not hide the rest.",
    example='<variable name="humidity" unit="%" unit="%">45</variable>',
    fixed='<variable name="humidity" unit="%">45</variable>',
)
define(
    "SVX002", "not-xml", "error",
    "The file does not hold XML at all, e.g. a JSON document saved with the .svgx extension.",
    why="An SVGX file must be an SVG document. A JSON symbol belongs in a .json file of the "
    "symbol library, where it is checked as a JSON symbol.",
    example='{"id": "AV_Display_001", "svg": "<svg …>"}',
    fixed='<svg xmlns="http://www.w3.org/2000/svg" xmlns:arx="http://arxos.io/svgx" viewBox="0 0 80 60">…</svg>',
)
define(
    "SVX003", "not-utf8", "error",
    "The file declares an encoding other than UTF-8, or holds bytes that are not valid UTF-8.",
    why="SVGX is UTF-8 only. Other encodings are read differently by different tools, and "
    "invalid bytes turn into replacement characters that silently change names and values.",
    example='<?xml version="1.0" encoding="ISO-8859-1"?>',
    fixed='<?xml version="1.0" encoding="UTF-8"?>',
)
define(
    "SVX004", "doctype", "error",
    "A DOCTYPE or an entity declaration is present. It is never loaded or expanded.",
    why="DTDs and entities are how XML files attack their readers (billion laughs, external "
    "entities reading local files). SVGX needs neither; the tool does not honour them.",
    example='<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    fixed="(no DOCTYPE)",
)
define(
    "SVX005", "file-too-large", "warning",
    "The file is larger than the analysis limit (`limits.max-file-size`); only the reading "
    "checks (encoding, DOCTYPE) ran.",
    why="Live analysis must stay fast. Raise the limit in the config if such files are expected.",
    example="a 20 MB drawing with the default limit of 10 MiB",
)

_DOCTYPE = re.compile(r"<!DOCTYPE\b", re.I)
_ENTITY = re.compile(r"<!ENTITY\b[^>]*>?", re.I)
_DECL = re.compile(r"""\A\s*<\?xml[^>]*?\bencoding\s*=\s*(["'])([^"']*)\1""")

_SVGX = frozenset({FileKind.SVGX})


@check_function("encoding", _SVGX, ("SVX002", "SVX003", "SVX004"), reading=True)
def encoding(ctx: CheckContext) -> Iterator[Diagnostic]:
    text = ctx.text
    for offset, message in ctx.document.decode_errors:
        yield ctx.report("SVX003", Span(offset, min(offset + 1, len(text))), f"file holds {message}")
    m = _DECL.match(text)
    if m and m.group(2).lower().replace("_", "-") not in ("utf-8", "utf8"):
        yield ctx.report(
            "SVX003",
            Span(m.start(2), m.end(2)),
            f"encoding {m.group(2)!r} declared: SVGX files are UTF-8",
        )
    head = text.lstrip("\ufeff \t\r\n")
    if head and not head.startswith("<"):
        start = len(text) - len(head)
        kind = "text"
        if head[0] in "{[":
            try:
                value = json.loads(text)
                kind = "a JSON symbol" if isinstance(value, dict) and "svg" in value else "a JSON document"
            except ValueError:
                kind = "JSON-like text"
        snippet = head[:20].split("\n")[0]
        yield ctx.report(
            "SVX002",
            Span(start, start + len(snippet)),
            f"not XML: the file is {kind} (starts with {snippet!r}); an SVGX file starts with '<'",
        )
    for dm in _DOCTYPE.finditer(text):
        yield ctx.report("SVX004", Span(dm.start(), dm.end()), "DOCTYPE present: it is not loaded")
    for em in _ENTITY.finditer(text):
        name = em.group(0).split()[1] if len(em.group(0).split()) > 1 else "?"
        yield ctx.report(
            "SVX004",
            Span(em.start(), em.end()),
            f"entity declaration {name!r} present: entities are never expanded",
        )


@check_function("well-formedness", _SVGX, ("SVX001",))
def well_formed(ctx: CheckContext) -> Iterator[Diagnostic]:
    head = ctx.text.lstrip("\ufeff \t\r\n")
    if head and not head.startswith("<"):
        return  # SVX002 says it better
    if not head:
        # libxml2 would add its own "Document is empty": one finding says it.
        yield ctx.report("SVX001", Span(0, 0), "not well-formed: the file is empty")
        return
    for err in ctx.svgx.errors:
        yield ctx.report("SVX001", err.span, f"not well-formed: {err.message}", fix=_duplicate_fix(ctx, err.span))
    yield from _undeclared_prefixes(ctx)


def _undeclared_prefixes(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Prefixes other than arx (SVX101) used without a declaration, e.g. ``xlink:href``.

    The tree was built with them declared so that the other checks could run, but browsers
    and XML tools reject such a file."""
    doc = ctx.svgx
    for prefix in sorted(doc.undeclared_prefixes - {"arx"}):
        head = prefix + ":"
        first = next(
            (t.name_span for t in doc.tag_tokens if t.qname.startswith(head)),
            next((a.name_span for t in doc.tag_tokens for a in t.attrs if a.qname.startswith(head)), None),
        )
        if first is None:
            continue
        uri = KNOWN_PREFIXES.get(prefix)
        fix = None
        if uri is not None and doc.tag_tokens:
            at = doc.tag_tokens[0].name_span.end
            fix = Fix(f"declare xmlns:{prefix} on the root", (Edit(Span(at, at), f' xmlns:{prefix}="{uri}"'),))
        hint = f'declare xmlns:{prefix}="{uri}" on the root' if uri else f"declare xmlns:{prefix} on the root"
        yield ctx.report(
            "SVX001",
            Span(first.start, first.start + len(prefix)),
            f"not well-formed: the {prefix}: prefix is used but not declared, so the file is not "
            f"namespace-well-formed; {hint}",
            fix=fix,
        )


def _duplicate_fix(ctx: CheckContext, span: Span) -> Fix | None:
    """Removing a repeated attribute is safe when both copies hold the same value."""
    for tok in ctx.svgx.tag_tokens:
        if tok.start <= span.start < tok.start_end:
            for i, a in enumerate(tok.attrs):
                if a.name_span == span:
                    first = next((b for b in tok.attrs[:i] if b.qname == a.qname), None)
                    if first is not None and first.raw == a.raw:
                        prev_end = tok.attrs[i - 1].value_span.end + 1
                        return Fix(
                            f"remove the repeated {a.qname}={a.raw!r}",
                            (Edit(Span(prev_end, a.value_span.end + 1), ""),),
                        )
            return None
    return None
