"""SVX401, SVX402, SVX406–SVX409: what files say about each other (the workspace index).

Every finding sits on the exact characters in the file that names the thing; duplicates
carry related information pointing at the other file(s).
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ..diagnostics import Diagnostic, Edit, Fix, Related, Span
from ..documents import FileKind
from ..engine import CheckContext, check_function
from ..jsonread import parse_json
from ..rules import define
from ..suggest import did_you_mean, hint
from ..symbolview import from_json, from_svgx
from ..workspace import Workspace
from ..xmlread import ARX_NAMESPACES, SvgxDoc, is_arx, local, parse

define(
    "SVX401",
    "unknown-behavior-profile",
    "error",
    "A behavior profile is named that no `*.behavior.json` of the workspace provides: a "
    "drawing's `behavior=` (on `arx:object`), `profile=` (on `arx:behavior`) or `arx:behavior=`, "
    "or a symbol's behavior profile.",
    why="The original pipeline's rule: no SVGX without a matching behavior profile. Inline "
    "behavior is checked against its profile's units and ranges; without the profile that "
    "check cannot happen and the object has no defined behavior.",
    example='<arx:object id="d1" type="audiovisual.display" behavior="display_behaviour"/>',
    fixed='<arx:object id="d1" type="audiovisual.display" behavior="display_behavior"/>',
    fix="use the nearest existing profile id",
)
define(
    "SVX402",
    "unknown-object-type",
    "error",
    "An object type that no system schema defines: a drawing's `type=` (on `arx:object`) or "
    "`arx:type=`, or the object type of a symbol whose system is unknown. When the first "
    "segment is a known system, the second must be an object of its schema "
    "(`electrical.panel` → `electrical.electrical_panel`). Checked when the workspace has at "
    "least one system schema.",
    why="Object types are what the building model is made of; a misspelt type silently drops "
    "the object out of its system, its coverage and its behavior.",
    example='<arx:object id="p1" type="electrical.panel.main"/>',
    fixed='<arx:object id="p1" type="electrical.electrical_panel.main"/>',
    fix="use the nearest defined object type",
)
define(
    "SVX406",
    "duplicate-symbol-id",
    "error",
    "Two symbols of the library (symbol files or JSON symbols) have the same id.",
    why="Drawings, the registry and the editors find symbols by id: with two of one id, which "
    "one is used depends on the order files are read in.",
    example="symbols/audiovisual/AV_Display_001.svgx and arx-symbol-library/audiovisual/"
    "AV_Display_001.json both with id AV_Display_001",
    fixed="one of them renamed, e.g. AV_Display_002",
)
define(
    "SVX407",
    "duplicate-profile-id",
    "error",
    "Two behavior profiles of the workspace have the same `id`.",
    why="Objects and symbols name their profile by id: with two, the behavior an object gets "
    "depends on which file is read first.",
    example="profiles/display.behavior.json and profiles/display2.behavior.json both with "
    '"id": "display_behavior"',
    fixed='the second renamed: "id": "display_wall_behavior"',
)
define(
    "SVX408",
    "unknown-relationship-target",
    "warning",
    "A relationship of a system schema object names an object that does not exist: neither an "
    "object of the same schema nor `<system>.<object>` of another known system.",
    why="Relationships describe how the building's parts connect; one that names nothing is a "
    "typo or a missing object type, and connection checks built on it are meaningless.",
    example='"relationships": {"connected_to": ["control_sytem", "power_supply"]}',
    fixed='"relationships": {"connected_to": ["control_system", "power_supply"]}',
)
define(
    "SVX409",
    "object-type-coverage",
    "warning",
    "An object type of a system schema has no symbol, or no behavior profile (its "
    "`behavior_profile` names no existing profile and no profile `applies_to` it). Counted by "
    "the pipeline's coverage gate.",
    why="The original pipeline's rule: every object type has a symbol to draw it and a profile "
    "that gives it behavior. Coverage tells what is left to do in a library.",
    example='"objects": {"screen": {"behavior_profile": "screen_behavior"}}\n'
    "(and no symbol of type audiovisual.screen, no screen_behavior profile)",
    fixed="a symbol symbols/audiovisual/AV_Screen_001.svgx and profiles/screen.behavior.json",
)


def _profile_finding(ctx: CheckContext, ws: Workspace, name: str, span: Span) -> Diagnostic | None:
    if name in ws.profile_ids():
        return None
    guess = did_you_mean(name, ws.profile_ids())
    return ctx.report(
        "SVX401",
        span,
        f"behavior profile {name!r} not found in the workspace{hint(guess)}",
        fix=_rename(ctx, span, name, guess, "use the existing profile"),
        data={"profile": name, "profile_id": name, "suggestion": guess},
    )


def _type_finding(ctx: CheckContext, ws: Workspace, name: str, span: Span) -> Diagnostic | None:
    if not ws.systems():
        return None
    res = ws.resolve_type(name)
    if res.known:
        return None
    if res.system is None:
        first = name.split(".")[0]
        why = f"{first!r} is not a known system ({', '.join(sorted(ws.systems()))})"
    elif res.object is None:
        why = f"it names the system {res.system!r} but no object of it"
    else:
        why = f"the {res.system} schema has no object {res.object!r}"
    return ctx.report(
        "SVX402",
        span,
        f"object type {name!r} is not defined: {why}{hint(res.suggestion)}",
        fix=_rename(ctx, span, name, res.suggestion, "use the object type"),
        data={"object_type": name, "suggestion": res.suggestion},
    )


def _rename(ctx: CheckContext, span: Span, name: str, suggestion: str | None, title: str) -> Fix | None:
    """Replace a misspelt name by the one near name that exists, where the span holds exactly
    the name as written (an XML attribute value; not a JSON string with its quotes)."""
    if not suggestion or ctx.text[span.start : span.end] != name:
        return None
    return Fix(f"{title} {suggestion!r}", (Edit(span, suggestion),))


def _arx_attr_key(el: etree._Element, name: str) -> str | None:
    for ns in ARX_NAMESPACES:
        key = f"{{{ns}}}{name}"
        if el.get(key) is not None:
            return key
    return None


def _drawing_refs(doc: SvgxDoc) -> Iterator[tuple[str, str, Span]]:
    """(kind, name, span) of every profile and object type a drawing names."""
    for el in doc.elements():
        if is_arx(el.tag):
            name = local(el.tag)
            if name == "object":
                if el.get("type"):
                    yield "type", el.get("type", ""), doc.attr_value_span(el, "type")
                if el.get("behavior"):
                    yield "profile", el.get("behavior", ""), doc.attr_value_span(el, "behavior")
            elif name == "behavior" and el.get("profile"):
                yield "profile", el.get("profile", ""), doc.attr_value_span(el, "profile")
            continue
        for attr, kind in (("type", "type"), ("behavior", "profile")):
            key = _arx_attr_key(el, attr)
            if key is not None and el.get(key):
                yield kind, el.get(key, ""), doc.attr_value_span(el, key)


@check_function(
    "references", frozenset({FileKind.SVGX, FileKind.JSON_SYMBOL}), ("SVX401", "SVX402", "SVX406")
)
def references(ctx: CheckContext) -> Iterator[Diagnostic]:
    ws = ctx.workspace
    if ws is None:
        return
    if ctx.document.kind is FileKind.JSON_SYMBOL:
        if ctx.json.error is not None:
            return
        view = from_json(ctx.json)
    else:
        view = from_svgx(ctx.svgx) if "symbol" in ctx.text else None
        if view is None:
            for kind, name, span in _drawing_refs(ctx.svgx):
                found = (_profile_finding if kind == "profile" else _type_finding)(
                    ctx, ws, name, span
                )
                if found is not None:
                    yield found
            return
    if view is None:
        return
    profile = view.get("behavior-profile")
    if profile:
        found = _profile_finding(ctx, ws, profile, view.span("behavior-profile"))
        if found is not None:
            yield found
    system, otype = view.get("system"), view.get("object-type")
    if otype and (not system or system not in ws.systems()):
        # SVX205 judges a type against its own known system; here no system is known.
        found = _type_finding(ctx, ws, otype, view.span("object-type"))
        if found is not None:
            yield found
    sid = view.get("id")
    if sid:
        others = [s for s in ws.symbols(sid) if s.path != ctx.document.path]
        if others:
            related = tuple(
                Related(f"symbol {sid!r} also defined here", _symbol_id_span(ws, s.path), s.path)
                for s in others
            )
            where = ", ".join(s.path for s in others)
            yield ctx.report(
                "SVX406",
                view.span("id"),
                f"symbol id {sid!r} is also used by {where}",
                related=related,
                data={"id": sid},
            )


def _symbol_id_span(ws: Workspace, path: str) -> Span:
    try:
        doc = ws.read(path)
    except OSError:
        return Span(0, 0)
    if doc.kind is FileKind.JSON_SYMBOL:
        view = from_json(parse_json(doc.text))
    else:
        view = from_svgx(parse(doc.text))
    return view.span("id") if view is not None else Span(0, 0)


@check_function("duplicate-profiles", frozenset({FileKind.BEHAVIOR}), ("SVX407",))
def duplicate_profiles(ctx: CheckContext) -> Iterator[Diagnostic]:
    ws = ctx.workspace
    if ws is None or ctx.json.error is not None:
        return
    value = ctx.json.value
    pid = value.get("id") if isinstance(value, dict) else None
    if not isinstance(pid, str) or not pid:
        return
    others = [p for p in ws.profiles(pid) if p.path != ctx.document.path]
    if not others:
        return
    related = []
    for p in others:
        try:
            other = parse_json(ws.read(p.path).text)
            span = other.span(("id",))
        except OSError:
            span = Span(0, 0)
        related.append(Related(f"profile {pid!r} also defined here", span, p.path))
    where = ", ".join(p.path for p in others)
    yield ctx.report(
        "SVX407",
        ctx.json.span(("id",)),
        f"behavior profile id {pid!r} is also used by {where}",
        related=related,
        data={"id": pid},
    )


# --------------------------------------------------------------------------- schemas


def _coverage(ws: Workspace) -> tuple[set[str], set[str]]:
    """(object types with a symbol, object types a profile applies to), as ``system.object``."""
    with_symbol: set[str] = set()
    for s in ws.symbols():
        if s.object_type:
            base = ws.resolve_type(s.object_type, s.system).base
            if base:
                with_symbol.add(base)
    applied: set[str] = set()
    for pid in ws.profile_ids():
        for p in ws.profiles(pid):
            for t in p.applies_to:
                base = ws.resolve_type(t, p.system).base
                if base:
                    applied.add(base)
    return with_symbol, applied


@check_function("schema-references", frozenset({FileKind.SYSTEM_SCHEMA}), ("SVX408", "SVX409"))
def schema_references(ctx: CheckContext) -> Iterator[Diagnostic]:
    ws = ctx.workspace
    doc = ctx.json
    if ws is None or doc.error is not None or not isinstance(doc.value, dict):
        return
    system = doc.value.get("system")
    objects = doc.value.get("objects")
    if not isinstance(system, str) or not isinstance(objects, dict):
        return
    systems = ws.systems()
    own = set(objects) | set(systems.get(system, ()))
    all_types = ws.all_types()
    for obj_name, obj in objects.items():
        if not isinstance(obj, dict) or not isinstance(obj.get("relationships"), dict):
            continue
        for rel, targets in obj["relationships"].items():
            if not isinstance(targets, list):
                continue
            for i, target in enumerate(targets):
                if not isinstance(target, str):
                    continue
                sysname, _, other = target.partition(".")
                if not other and target in own:
                    continue
                if other and other in systems.get(sysname, ()):
                    continue
                if other:
                    guess = did_you_mean(target, all_types)
                    why = (
                        f"system {sysname!r} is unknown"
                        if sysname not in systems
                        else f"the {sysname} schema has no object {other!r}"
                    )
                else:
                    elsewhere = [
                        f"{s}.{target}"
                        for s in sorted(systems)
                        if s != system and target in systems[s]
                    ]
                    guess = elsewhere[0] if elsewhere else did_you_mean(target, sorted(own))
                    why = f"the {system} schema has no object {target!r}"
                    if elsewhere:
                        why += "; an object of another system is written <system>.<object>"
                yield ctx.report(
                    "SVX408",
                    doc.span(("objects", obj_name, "relationships", rel, i)),
                    f"{obj_name}.{rel} names {target!r}, which does not exist: {why}{hint(guess)}",
                    data={"target": target, "suggestion": guess},
                )
    with_symbol, applied = _coverage(ws)
    profiles = ws.profile_ids()
    for obj_name, obj in objects.items():
        full = f"{system}.{obj_name}"
        missing = []
        if full not in with_symbol:
            missing.append("no symbol")
        named = obj.get("behavior_profile") if isinstance(obj, dict) else None
        if full not in applied and not (isinstance(named, str) and named in profiles):
            missing.append(
                f"no behavior profile ({named!r} not found)"
                if isinstance(named, str)
                else "no behavior profile"
            )
        if missing:
            yield ctx.report(
                "SVX409",
                doc.span(("objects", obj_name), key=True),
                f"object type {full} has {' and '.join(missing)}",
                data={
                    "object_type": full,
                    "missing": ["symbol" if m == "no symbol" else "profile" for m in missing],
                },
            )
