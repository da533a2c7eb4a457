"""What the code actions compute, apart from the protocol: suppression comments, the
missing profile's file, and the minimal edit that turns one text into another."""

from __future__ import annotations

import json
from pathlib import Path

from svgx_pipeline.diagnostics import Edit, Span
from svgx_pipeline.xmlread import TagTok, scan

SUPPRESS = "<!-- svgx: ignore {code} -->"


def innermost_tag(tags: list[TagTok], offset: int) -> TagTok | None:
    """The innermost element whose extent (start tag to end tag) holds ``offset``."""
    best = None
    for t in tags:
        if t.start > offset:
            break
        end = t.end if t.end >= 0 else t.start_end
        if t.start <= offset < max(end, t.start + 1):
            best = t
    return best


def suppression_edit(text: str, offset: int, code: str, tags: list[TagTok] | None = None) -> Edit | None:
    """Insert ``<!-- svgx: ignore CODE -->`` before the element holding ``offset``, on its
    own line indented like the element when the element starts its line. ``tags``: the
    text's scanned start tags, when the caller has them (one scan for many findings)."""
    if tags is None:
        tags, _ = scan(text)
    tag = innermost_tag(tags, offset)
    if tag is None:
        return None
    line_start = text.rfind("\n", 0, tag.start) + 1
    indent = text[line_start : tag.start]
    comment = SUPPRESS.format(code=code)
    if indent.strip() == "":
        return Edit(Span(tag.start, tag.start), f"{comment}\n{indent}")
    return Edit(Span(tag.start, tag.start), comment)


def minimal_edit(old: str, new: str) -> Edit | None:
    """One edit that turns ``old`` into ``new`` (common prefix and suffix kept)."""
    if old == new:
        return None
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    return Edit(Span(start, end_old), new[start:end_new])


def profile_location(root: Path, existing: list[Path], profile_id: str) -> Path:
    """Where a new profile goes: beside the existing ones, else in ``profiles/``."""
    folder = existing[0].parent if existing else root / "profiles"
    return folder / f"{profile_id}.behavior.json"


def object_facts(text: str, offset: int) -> tuple[str | None, str | None]:
    """(system, object type) of the object whose markup holds ``offset``: the element's own
    ``type=``/``system=``, or its enclosing object's (for ``<arx:behavior profile=…>``)."""
    tags, _ = scan(text)
    holders = [t for t in tags if t.start <= offset < max(t.end if t.end >= 0 else t.start_end, t.start + 1)]
    for tag in reversed(holders):
        type_tok, system_tok = tag.attr("type"), tag.attr("system")
        if type_tok is not None or system_tok is not None:
            object_type = type_tok.raw if type_tok is not None else None
            system = system_tok.raw if system_tok is not None else None
            if system is None and object_type:
                system = object_type.split(".")[0]
            return system, object_type
    return None, None


def profile_text(profile_id: str, system: str | None = None, object_type: str | None = None) -> str:
    """The starter profile of ``svgx behavior new`` (it validates clean) for the id an
    object names, serving that object's type."""
    from svgx_pipeline.cli.behavior_cmd import starter

    system = system or (object_type.split(".")[0] if object_type else "general")
    applies_to = [object_type] if object_type else [f"{system}.{profile_id}"]
    return json.dumps(starter(profile_id, system, applies_to), indent=2, ensure_ascii=False) + "\n"
