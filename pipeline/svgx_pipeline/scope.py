"""Which files a pipeline run covers: the whole workspace, one system, or one object type.

The systems and their object types come from the system schemas found in the workspace
(``schemas/<system>/schema.json``). A file belongs to system ``S`` when it lives in a folder
named ``S`` (``schemas/S/``, ``symbols/S/``, ``<library>/S/``), when it is the behavior
profile one of ``S``'s object types names, or when a drawing places an object of ``S``.
The registry is shared by every system and is always in scope.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .documents import Document, FileKind


class ScopeError(ValueError):
    """The scope names a system or object type the workspace does not define."""


@dataclass(frozen=True)
class SystemInfo:
    name: str
    schema_path: str
    # object name -> the behavior profile id its schema names (None when it names none)
    objects: dict[str, str | None] = field(default_factory=dict)


def read_systems(docs: list[Document]) -> dict[str, SystemInfo]:
    """The systems defined by the system schemas among ``docs`` (unparsable ones skipped:
    the schema step reports them)."""
    systems: dict[str, SystemInfo] = {}
    for doc in docs:
        if doc.kind is not FileKind.SYSTEM_SCHEMA:
            continue
        folder = Path(doc.path).parent.name
        try:
            value = json.loads(doc.text)
        except ValueError:
            value = None
        declared = value.get("system") if isinstance(value, dict) else None
        name = declared if isinstance(declared, str) else folder
        objects: dict[str, str | None] = {}
        raw = value.get("objects") if isinstance(value, dict) else None
        if isinstance(raw, dict):
            for obj, spec in raw.items():
                profile = spec.get("behavior_profile") if isinstance(spec, dict) else None
                objects[str(obj)] = profile if isinstance(profile, str) else None
        systems.setdefault(name, SystemInfo(name, doc.path, objects))
    return systems


def _profile_id(doc: Document) -> str:
    name = Path(doc.path).name
    stem = name[: -len(".behavior.json")] if name.endswith(".behavior.json") else Path(name).stem
    try:
        value = json.loads(doc.text)
    except ValueError:
        return stem
    pid = value.get("id") if isinstance(value, dict) else None
    return pid if isinstance(pid, str) else stem


def _mentions(text: str, system: str, obj: str | None) -> bool:
    """Does an SVGX or JSON text place or describe an object of ``system`` (type ``obj``)?"""
    s = re.escape(system)
    if obj is None:
        pattern = rf"""(?:\bsystem|object-type|\btype|"system"|"object_type")\s*[=:]\s*["']{s}(?:["'.])"""
    else:
        o = re.escape(obj)
        keys = r"""(?:object-type|\btype|"object_type"|"object-type")"""
        pattern = rf"""{keys}\s*[=:]\s*["']{s}\.{o}(?:["'.])"""
    return re.search(pattern, text) is not None


def select(docs: list[Document], system: str | None, obj: str | None) -> list[Document]:
    """The documents in scope; raises :class:`ScopeError` for an unknown system or type."""
    if system is None and obj is None:
        return docs
    systems = read_systems(docs)
    known = ", ".join(sorted(systems)) or "none: the workspace has no schemas/<system>/schema.json"
    object_name: str | None = None
    if obj is not None:
        head, _, rest = obj.partition(".")
        if rest and head in systems:
            if system is not None and system != head:
                raise ScopeError(f"object type {obj!r} is of system {head!r}, not {system!r}")
            system, object_name = head, rest.split(".")[0]
        elif system is not None:
            object_name = obj.split(".")[0]
        else:
            owners = [s for s, info in systems.items() if obj in info.objects]
            if len(owners) != 1:
                types = sorted(f"{s}.{o}" for s, info in systems.items() for o in info.objects)
                raise ScopeError(
                    f"unknown object type {obj!r}"
                    + (f" (defined by {', '.join(owners)}: write <system>.{obj})" if owners else "")
                    + f"; known types: {', '.join(types) or 'none'}"
                )
            system, object_name = owners[0], obj
    assert system is not None
    if system not in systems:
        raise ScopeError(f"unknown system {system!r}; known systems: {known}")
    info = systems[system]
    if object_name is not None and object_name not in info.objects:
        names = ", ".join(f"{system}.{o}" for o in sorted(info.objects)) or "none"
        raise ScopeError(f"system {system!r} defines no object type {object_name!r}; its types: {names}")
    wanted = [object_name] if object_name is not None else list(info.objects)
    profiles = {info.objects[o] for o in wanted if info.objects.get(o)}
    out = []
    for doc in docs:
        parts = Path(doc.path).parts[:-1]
        if doc.kind is FileKind.REGISTRY or doc.path == info.schema_path:
            out.append(doc)
        elif doc.kind is FileKind.SYSTEM_SCHEMA:
            continue
        elif doc.kind is FileKind.BEHAVIOR:
            if _profile_id(doc) in profiles or (object_name is None and system in parts):
                out.append(doc)
        elif object_name is None and system in parts:
            out.append(doc)
        elif _mentions(doc.text, system, object_name):
            out.append(doc)
    return out
