"""SVX2xx: symbols — canonical symbol files and JSON symbols (svgx.md §8)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace

from ..diagnostics import Diagnostic, Edit, Fix, Related, Span
from ..documents import Document, FileKind
from ..engine import CheckContext, check, check_function
from ..index import symbol_element
from ..jsonvalidate import validate
from ..rules import define
from ..suggest import did_you_mean, hint
from ..symbolview import (
    Markup,
    SymbolView,
    draws_something,
    from_json,
    from_svgx,
    json_markup,
    viewbox_of,
)
from ..xmlread import SvgxDoc, parse

define(
    "SVX201",
    "incomplete-symbol-metadata",
    "error",
    "A symbol file's `arx:symbol` (in `svg:metadata`) lacks one of `id`, `name`, `system`, "
    "`object-type`, `behavior-profile`, or gives one of them empty.",
    why="The metadata is what makes a drawing a reusable symbol: the registry, the coverage of "
    "the system schemas and every drawing placing the symbol rely on all five fields.",
    example='<metadata><arx:symbol id="AV_Display_001" name="LED Display"/></metadata>',
    fixed='<metadata><arx:symbol id="AV_Display_001" name="LED Display" system="audiovisual"\n'
    '    object-type="audiovisual.display" behavior-profile="display_behavior"/></metadata>',
)
define(
    "SVX202",
    "symbol-id-file-name",
    "error",
    "The symbol's id is not the name of its file (`<library>/<system>/<SymbolId>.svgx`, or "
    "`<SymbolId>.json` for a JSON symbol).",
    why="Symbols are found by id; the file name is the id so that a library can be browsed "
    "and two symbols cannot silently claim one id.",
    example='symbols/audiovisual/Display.svgx: <arx:symbol id="AV_Display_001" …/>',
    fixed='symbols/audiovisual/AV_Display_001.svgx: <arx:symbol id="AV_Display_001" …/>',
)
define(
    "SVX203",
    "symbol-naming",
    "warning",
    "A symbol id that breaks the naming convention (letters and digits in `_`-separated "
    "parts, starting with a letter: `AV_Display_001`), or a name that is empty, has "
    "surrounding white space or control characters, or is longer than 80 characters.",
    why="Ids end up in file names, registry keys and URLs; names are shown in pickers. Spaces, "
    "dots and dashes in ids break tools that split on them.",
    example='<arx:symbol id="av display-1" name=" LED Display " …/>',
    fixed='<arx:symbol id="AV_Display_1" name="LED Display" …/>',
)
define(
    "SVX204",
    "unknown-symbol-system",
    "error",
    "The symbol's `system` is not a system defined by any system schema of the workspace "
    "(`schemas/<system>/schema.json`). Checked when the workspace has at least one schema.",
    why="A symbol belongs to a building system; with an unknown system it can be neither "
    "validated against object types nor counted in coverage.",
    example='<arx:symbol system="audio_visual" …/>',
    fixed='<arx:symbol system="audiovisual" …/>',
)
define(
    "SVX205",
    "symbol-type-not-in-system",
    "error",
    "The symbol's object type is not an object of its own system's schema: the schema does "
    "not define it, or the type belongs to another system.",
    why="The original pipeline's rule: no symbol without a matching object type. A symbol whose "
    "type its system does not define is never placed correctly nor counted in coverage.",
    example='<arx:symbol system="electrical" object-type="electrical.panel" …/>',
    fixed='<arx:symbol system="electrical" object-type="electrical.electrical_panel" …/>',
)
define(
    "SVX206",
    "port-outside-viewbox",
    "error",
    "A port (`arx:port`, or an entry of a JSON symbol's `connections`) lies outside the "
    "symbol's viewBox (or outside `0 0 width height`).",
    why="Connections are drawn to ports: a port outside the drawing attaches wires to nothing "
    "visible and is usually a typo in a coordinate.",
    example='<svg viewBox="0 0 60 60" …><metadata><arx:symbol …>\n'
    '  <arx:port name="power" x="30" y="75" type="power"/>',
    fixed='  <arx:port name="power" x="30" y="58" type="power"/>',
)
define(
    "SVX207",
    "duplicate-port",
    "error",
    "Two ports of one symbol have the same name.",
    why="Connections name the port they attach to; with two of one name the connection is "
    "ambiguous.",
    example='<arx:port name="power" x="0" y="0" type="power"/>\n<arx:port name="power" x="60" y="0" type="power"/>',
    fixed='<arx:port name="power" x="0" y="0" type="power"/>\n<arx:port name="power_aux" x="60" y="0" type="power"/>',
)
define(
    "SVX208",
    "symbol-draws-nothing",
    "error",
    "The symbol has no graphic element (path, rect, circle, text, use, …) outside metadata, "
    "defs, title and desc.",
    why="A symbol is a drawing: one that renders nothing makes its objects invisible in every "
    "plan that places it.",
    example="<svg …><metadata><arx:symbol …/></metadata></svg>",
    fixed='<svg …><metadata><arx:symbol …/></metadata><rect width="60" height="60"/></svg>',
)
define(
    "SVX209",
    "invalid-json-symbol",
    "error",
    "A JSON symbol is not valid JSON, lacks a required field (`id`, `name`, `system`, `svg`), "
    "gives one of the wrong type (shape A: `svg` is a string; shape B: an object with "
    "`content`), or repeats a key.",
    why="JSON symbols are read by other tools that expect both shapes of svgx.md §8 exactly; a "
    "field of the wrong type breaks them at load time.",
    example='{"id": "AV_Speaker_001", "system": "audiovisual", "svg": {"width": 60}}',
    fixed='{"id": "AV_Speaker_001", "name": "Ceiling Speaker", "system": "audiovisual",\n'
    ' "svg": {"content": "<circle cx=\'30\' cy=\'30\' r=\'25\'/>", "width": 60, "height": 60}}',
)
define(
    "SVX210",
    "json-symbol-markup-not-well-formed",
    "error",
    "The SVG markup inside a JSON symbol's string is not well-formed XML; the parser's message "
    "is shown at the exact characters of the JSON string.",
    why="The markup is inserted into drawings as is: markup that does not parse breaks every "
    "drawing that uses the symbol.",
    example="\"svg\": \"<svg viewBox='0 0 60 60'><circle r='25'></svg>\"",
    fixed="\"svg\": \"<svg viewBox='0 0 60 60'><circle r='25'/></svg>\"",
)

_ID = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME = 80


def _stem(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    for ext in (".svgx", ".svg", ".json"):
        if name.endswith(ext):
            return name[: -len(ext)]
    return name


# --------------------------------------------------------------------------- shared


def _common(ctx: CheckContext, view: SymbolView) -> Iterator[Diagnostic]:
    """SVX202–SVX207: what both forms have in common."""
    sid, name = view.get("id"), view.get("name")
    stem = _stem(ctx.document.path)
    if sid and sid != stem:
        yield ctx.report(
            "SVX202",
            view.span("id"),
            f"symbol id {sid!r} does not match the file name {stem!r}",
            data={"id": sid, "file_name": stem},
        )
    if sid and not _ID.match(sid):
        yield ctx.report(
            "SVX203",
            view.span("id"),
            f"symbol id {sid!r} breaks the naming convention: letters and digits in "
            "'_'-separated parts, starting with a letter (e.g. AV_Display_001)",
        )
    if name is not None:
        problem = None
        if not name.strip():
            problem = "is empty"
        elif name != name.strip():
            problem = "has white space around it"
        elif _CONTROL.search(name):
            problem = "holds control characters"
        elif len(name) > MAX_NAME:
            problem = f"is {len(name)} characters long (at most {MAX_NAME})"
        if problem:
            fix = None
            if problem == "has white space around it" and view.form == "svgx":
                fix = _trim_fix(ctx.svgx)
            yield ctx.report(
                "SVX203", view.span("name"), f"symbol name {name!r} {problem}", fix=fix
            )
    yield from _system_and_type(ctx, view)
    yield from _ports(ctx, view)


def _trim_fix(doc: SvgxDoc) -> Fix | None:
    """Delete the white space around the symbol's name= value as written: writing back the
    decoded value would turn ``&amp;`` or ``&quot;`` into bare ``&`` or ``"``."""
    el = symbol_element(doc.root)
    decoded = doc.attr_value_offsets(el, "name") if el is not None else None
    if decoded is None:
        return None
    value, offsets = decoded
    lead, keep = len(value) - len(value.lstrip()), len(value.rstrip())
    edits = []
    if lead:
        edits.append(Edit(Span(offsets[0], offsets[lead]), ""))
    if keep < len(value):
        edits.append(Edit(Span(offsets[keep], offsets[-1]), ""))
    return Fix("trim the name", tuple(edits)) if edits else None


def _system_and_type(ctx: CheckContext, view: SymbolView) -> Iterator[Diagnostic]:
    ws = ctx.workspace
    if ws is None:
        return
    systems = ws.systems()
    if not systems:
        return  # nothing is known about systems without a schema
    system, otype = view.get("system"), view.get("object-type")
    if system and system not in systems:
        guess = did_you_mean(system, systems)
        yield ctx.report(
            "SVX204",
            view.span("system"),
            f"unknown system {system!r}: no system schema defines it{hint(guess)}",
            data={"system": system, "suggestion": guess},
        )
        return
    if not system or not otype:
        return
    res = ws.resolve_type(otype, system)
    if res.known and res.system == system:
        return
    if res.known:
        msg = f"object type {otype!r} belongs to system {res.system!r}, not to the symbol's system {system!r}"
    else:
        pool = [f"{system}.{o}" for o in sorted(systems[system])]
        guess = (
            res.suggestion
            if res.system == system
            else did_you_mean(f"{system}.{otype.split('.')[-1]}", pool)
        )
        msg = f"object type {otype!r} is not defined by the {system} schema{hint(guess)}"
    yield ctx.report(
        "SVX205", view.span("object-type"), msg, data={"object_type": otype, "system": system}
    )


def _ports(ctx: CheckContext, view: SymbolView) -> Iterator[Diagnostic]:
    seen: dict[str, Span] = {}
    for port in view.ports:
        if port.name is not None:
            if port.name in seen:
                yield ctx.report(
                    "SVX207",
                    port.name_span,
                    f"port {port.name!r} is defined twice",
                    related=(Related(f"first port {port.name!r}", seen[port.name]),),
                )
            else:
                seen[port.name] = port.name_span
        vb = view.viewbox
        if vb is None or port.x is None or port.y is None:
            continue
        x0, y0, w, h = vb
        x_out = not x0 <= port.x <= x0 + w
        y_out = not y0 <= port.y <= y0 + h
        if x_out or y_out:
            label = repr(port.name) if port.name else "port"
            # Underline the coordinate at fault; both (or the port) when both are.
            at = port.x_span if x_out and not y_out else port.y_span if y_out and not x_out else None
            yield ctx.report(
                "SVX206",
                at or port.where,
                f"port {label} at ({_n(port.x)}, {_n(port.y)}) lies outside the viewBox "
                f"{_n(x0)} {_n(y0)} {_n(w)} {_n(h)}",
            )


def _n(v: float) -> str:
    return str(int(v)) if v == int(v) else str(v)


# --------------------------------------------------------------------------- symbol files


@check_function(
    "symbol-file",
    frozenset({FileKind.SVGX}),
    ("SVX201", "SVX202", "SVX203", "SVX204", "SVX205", "SVX206", "SVX207", "SVX208"),
)
def symbol_file(ctx: CheckContext) -> Iterator[Diagnostic]:
    if "symbol" not in ctx.text:
        return
    view = from_svgx(ctx.svgx)
    if view is None:
        return
    missing = [
        f for f in ("id", "name", "system", "object-type", "behavior-profile") if not view.get(f)
    ]
    if missing:
        names = ", ".join(f"`{m}`" for m in missing)
        yield ctx.report(
            "SVX201", view.anchor, f"arx:symbol lacks {names}", data={"missing": missing}
        )
    yield from _common(ctx, view)
    if ctx.svgx.root is not None and not draws_something(ctx.svgx.root):
        yield ctx.report(
            "SVX208",
            ctx.svgx.tag_span(ctx.svgx.root),
            "the symbol draws nothing: no graphic element outside metadata and defs",
        )


# --------------------------------------------------------------------------- JSON symbols

_WELL_FORMED = {"SVX001", "SVX002"}


def _embedded(ctx: CheckContext, markup: Markup) -> Iterator[Diagnostic]:
    """The markup's own diagnostics (SVGX and compliance rules), moved into the JSON string."""
    inner = Document(ctx.document.path, markup.text, FileKind.SVGX)
    whole = markup.node.span
    # Every rule runs on the markup; the outer engine applies the config to the JSON file.
    everything = ctx.settings.model_copy(
        update={"select": ("ALL",), "ignore": (), "severity": {}, "per_file_ignores": {}}
    )
    for d in check(inner, None, everything):
        if markup.prefix and d.span.start < markup.prefix and d.code not in _WELL_FORMED:
            continue  # about the <svg> wrapper a fragment gets for parsing, not the file
        span = markup.to_file(d.span) or whole
        fix = None
        if d.fix is not None:
            edits = []
            for e in d.fix.edits:
                target = markup.to_file(e.span)
                if target is None:
                    break
                edits.append(Edit(target, json.dumps(e.new_text, ensure_ascii=False)[1:-1]))
            else:
                fix = replace(d.fix, edits=tuple(edits))
        related = tuple(
            replace(r, span=markup.to_file(r.span) or whole) for r in d.related if r.path is None
        )
        if d.code in _WELL_FORMED:
            message = d.message.removeprefix("not well-formed: ")
            yield ctx.report("SVX210", span, f"embedded SVG markup is not well-formed: {message}")
            continue
        yield replace(d, span=span, fix=fix, related=related, path=ctx.document.path)


@check_function(
    "json-symbol",
    frozenset({FileKind.JSON_SYMBOL}),
    (
        "SVX202",
        "SVX203",
        "SVX204",
        "SVX205",
        "SVX206",
        "SVX207",
        "SVX208",
        "SVX209",
        "SVX210",
        "SVX0",
        "SVX1",
        "SVX5",
    ),
)
def json_symbol(ctx: CheckContext) -> Iterator[Diagnostic]:
    doc = ctx.json
    if doc.error is not None:
        span, message = doc.error
        yield ctx.report("SVX209", span, f"JSON symbol is not valid JSON: {message}")
        return
    for dup in doc.duplicates:
        related = (Related("first occurrence", dup.first),)
        if dup.path == ("connections",):
            yield ctx.report(
                "SVX207", dup.again, f"port {dup.key!r} is defined twice", related=related
            )
        else:
            where = "/".join(map(str, dup.path)) or "(top level)"
            yield ctx.report(
                "SVX209",
                dup.again,
                f"{where}: key {dup.key!r} appears twice; the last one wins",
                related=related,
            )
    for span, message, _ in validate(doc, "json-symbol.schema.json"):
        yield ctx.report("SVX209", span, message)
    view = from_json(doc)
    if view is None:
        return
    yield from _common(ctx, view)
    markup = json_markup(doc)
    if markup is None:
        return
    yield from _embedded(ctx, markup)
    parsed = parse(markup.text)
    if view.viewbox is None and parsed.root is not None:
        view.viewbox = viewbox_of(parsed.root)
        yield from (d for d in _ports(ctx, view) if d.code == "SVX206")
    if parsed.well_formed and not draws_something(parsed.root):
        yield ctx.report(
            "SVX208",
            markup.node.span,
            "the symbol's markup draws nothing: no graphic element outside metadata and defs",
        )
