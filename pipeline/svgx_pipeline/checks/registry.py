"""SVX403–SVX405 and SVX410: the registry ``symbol_index.json`` against the symbol files."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..diagnostics import Diagnostic, Edit, Fix, Span
from ..documents import FileKind
from ..engine import CheckContext, check_function
from ..registry import entry_for
from ..rules import define
from ..symbolview import from_json, from_svgx

define(
    "SVX403",
    "registry-entry-missing-file",
    "error",
    "An entry of `symbol_index.json` names a file that does not exist, or that holds no "
    "symbol. Regenerate the registry with `svgx registry update`.",
    why="Tools load symbols through the registry; an entry without its file fails at the moment "
    "somebody places the symbol.",
    example='{"id": "AV_Screen_001", "path": "symbols/audiovisual/AV_Screen_001.svgx", …}\n'
    "(the file was deleted)",
    fixed="the entry removed by `svgx registry update`",
)
define(
    "SVX404",
    "symbol-not-in-registry",
    "warning",
    "A symbol (symbol file or JSON symbol) is missing from the registry that covers its folder. "
    "Reported on the symbol's id; only when a registry exists. Run `svgx registry update`.",
    why="What is not in the registry does not exist for the tools that read it: the symbol "
    "cannot be found in pickers nor placed by id.",
    example="arx-symbol-library/audiovisual/AV_Speaker_002.json, added after the last update",
    fixed="`svgx registry update` (the entry is added)",
)
define(
    "SVX405",
    "registry-entry-stale",
    "warning",
    "An entry of `symbol_index.json` no longer matches its symbol file: its id, system, object "
    "type, behavior profile, format or content hash differ.",
    why="A stale registry sends tools to the old version of a symbol (its old type, profile or "
    "drawing) while validation looks at the new one.",
    example='"hash": "sha256:0b1f…" (the file changed since)',
    fixed='"hash": "sha256:9c2e…" (written by `svgx registry update`)',
    fix="update the entry's field from the symbol file",
)
define(
    "SVX410",
    "invalid-registry",
    "error",
    "`symbol_index.json` is not valid JSON, or not a registry: an object with a `symbols` "
    "array whose entries are objects with string `id` and `path`.",
    why="The registry is generated; one that cannot be read is damaged or hand-edited. "
    "`svgx registry update` rewrites it.",
    example='{"symbols": {"AV_Display_001": "…"}}',
    fixed='{"generated_by": "svgx registry update", "symbols": [{"id": "AV_Display_001", "path": "…", …}], "version": 1}',
)


@check_function("registry-file", frozenset({FileKind.REGISTRY}), ("SVX403", "SVX405", "SVX410"))
def registry_file(ctx: CheckContext) -> Iterator[Diagnostic]:
    doc = ctx.json
    if doc.error is not None:
        span, message = doc.error
        yield ctx.report(
            "SVX410", span, f"registry is not valid JSON: {message}; run `svgx registry update`"
        )
        return
    value = doc.value
    if not isinstance(value, dict) or not isinstance(value.get("symbols"), list):
        yield ctx.report(
            "SVX410",
            doc.span(("symbols",)) if isinstance(value, dict) else doc.span(()),
            "registry has no `symbols` array; run `svgx registry update`",
        )
        return
    ws = ctx.workspace
    base = ctx.document.path.rpartition("/")[0]
    seen: dict[str, int] = {}
    for i, item in enumerate(value["symbols"]):
        node = doc.node(("symbols", i))
        head = Span(node.span.start, node.span.start + 1) if node else doc.span(("symbols",))
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("id"), str)
            or not isinstance(item.get("path"), str)
        ):
            yield ctx.report("SVX410", head, f"registry entry {i} lacks a string `id` and `path`")
            continue
        if ws is None:
            continue
        rel = f"{base}/{item['path']}" if base else item["path"]
        if item["path"] in seen:
            yield ctx.report(
                "SVX405",
                doc.span(("symbols", i, "path")),
                f"registry lists {item['path']} twice (entries {seen[item['path']]} and {i})",
            )
            continue
        seen[item["path"]] = i
        facts = ws.facts(rel)
        if facts is None or facts.symbol is None:
            why = "does not exist" if facts is None else "holds no symbol"
            yield ctx.report(
                "SVX403",
                doc.span(("symbols", i, "path")),
                f"registry entry {item['id']!r}: {item['path']} {why}; run `svgx registry update`",
                data={"id": item["id"], "path": item["path"]},
            )
            continue
        want = entry_for(ws, facts.symbol, base)
        for name, expected in want.items():
            if name == "path":
                continue
            have = item.get(name)
            if have == expected:
                continue
            if name in item:
                span = doc.span(("symbols", i, name))
                fix = Fix(
                    f"set {name} to {json.dumps(expected)}",
                    (Edit(span, json.dumps(expected, ensure_ascii=False)),),
                )
                what = (
                    "the file changed since the registry was written"
                    if name == "hash"
                    else f"registry says {json.dumps(have)}, the file says {json.dumps(expected)}"
                )
                yield ctx.report(
                    "SVX405",
                    span,
                    f"registry entry {item['id']!r} is stale: {name}: {what}",
                    fix=fix,
                    data={"field": name},
                )
            else:
                yield ctx.report(
                    "SVX405",
                    head,
                    f"registry entry {item['id']!r} lacks `{name}`; run `svgx registry update`",
                    data={"field": name},
                )


@check_function("symbol-registered", frozenset({FileKind.SVGX, FileKind.JSON_SYMBOL}), ("SVX404",))
def symbol_registered(ctx: CheckContext) -> Iterator[Diagnostic]:
    ws = ctx.workspace
    if ws is None:
        return
    if ctx.document.kind is FileKind.JSON_SYMBOL:
        view = from_json(ctx.json) if ctx.json.error is None else None
    else:
        view = from_svgx(ctx.svgx) if "symbol" in ctx.text else None
    if view is None or not view.get("id"):
        return
    reg = ws.registry_for(ctx.document.path)
    if reg is None or reg.entries is None:
        return
    base = reg.path.rpartition("/")[0]
    mine = ctx.document.path[len(base) + 1 :] if base else ctx.document.path
    if any(e.path == mine for e in reg.entries):
        return
    sid = view.get("id")
    yield ctx.report(
        "SVX404",
        view.span("id"),
        f"symbol {sid!r} is not in the registry {reg.path}; run `svgx registry update`",
        data={"id": sid, "registry": reg.path},
    )
