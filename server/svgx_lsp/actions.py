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


def suppression_edit(text: str, offset: int, code: str) -> Edit | None:
    """Insert ``<!-- svgx: ignore CODE -->`` before the element holding ``offset``, on its
    own line indented like the element when the element starts its line."""
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


def profile_text(profile_id: str, system: str | None = None, object_type: str | None = None) -> str:
    """A minimal behavior profile (behavior-profile.md §1) for the id an object names."""
    profile: dict[str, object] = {
        "id": profile_id,
        "version": "1.0.0",
    }
    if system:
        profile["system"] = system
    if object_type:
        profile["applies_to"] = [object_type]
    profile["description"] = f"Behavior of {object_type or profile_id}"
    profile["variables"] = {}
    return json.dumps(profile, indent=2, ensure_ascii=False) + "\n"
