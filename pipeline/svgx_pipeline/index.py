"""What one file says to the rest of the workspace: its *facts*.

The workspace index is the union of the facts of every file. Facts are extracted from
one file's text alone (so re-indexing one file after an edit never reads another) with
the fast C parsers (``json.loads``, lxml): positions are not needed here, only in the
checks of the file itself, which parse it again with the position-keeping readers.

Each file also says which *keys* its diagnostics depend on (``uses``) and which keys it
provides (``defines``, with a payload that changes when what it provides changes). The
workspace compares the old and new ``defines`` of an edited file to tell which other files
may see different diagnostics.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .documents import FileKind
from .xmlread import ARX_NAMESPACES, SVG_NS, is_arx, local, parse

Key = tuple[str, str]  # (namespace, name)
Define = tuple[str, str, str]  # (namespace, name, payload)

# Keys whose name is "*": a file using ("symbol-file", "*") depends on every symbol file.
ANY = "*"


def content_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class SymbolInfo:
    """A symbol as the library sees it (canonical ``.svgx`` symbol file or JSON symbol)."""

    id: str
    path: str
    form: str  # "svgx" or "json"
    name: str | None
    system: str | None
    object_type: str | None  # as written (JSON: may be relative to ``system``)
    behavior_profile: str | None
    hash: str


@dataclass(frozen=True)
class ProfileInfo:
    id: str
    path: str
    system: str | None
    applies_to: tuple[str, ...]


@dataclass(frozen=True)
class SchemaObject:
    name: str
    behavior_profile: str | None
    relationships: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class SchemaInfo:
    system: str
    path: str
    objects: tuple[SchemaObject, ...]

    def object(self, name: str) -> SchemaObject | None:
        for o in self.objects:
            if o.name == name:
                return o
        return None


@dataclass(frozen=True)
class RegistryEntry:
    id: str
    path: str
    fields: tuple[tuple[str, str | None], ...]  # every other field, sorted

    def get(self, name: str) -> str | None:
        return dict(self.fields).get(name)


@dataclass(frozen=True)
class RegistryInfo:
    path: str
    entries: tuple[RegistryEntry, ...] | None  # None: the file is not a readable registry


@dataclass(frozen=True)
class Reference:
    """A name one file uses that another file must define (for the dependency map)."""

    kind: str  # "profile" or "type"
    value: str


@dataclass(frozen=True)
class FileFacts:
    path: str
    kind: FileKind
    hash: str
    schema: SchemaInfo | None = None
    symbol: SymbolInfo | None = None
    profile: ProfileInfo | None = None
    registry: RegistryInfo | None = None
    object_ids: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    uses: frozenset[Key] = field(default_factory=frozenset)
    defines: frozenset[Define] = field(default_factory=frozenset)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


# --------------------------------------------------------------------------- per kind


def symbol_element(root: etree._Element | None) -> etree._Element | None:
    """The ``arx:symbol`` inside the root's ``svg:metadata``, if the document is a symbol."""
    if root is None:
        return None
    for meta in root.iter(f"{{{SVG_NS}}}metadata"):
        for child in meta:
            if is_arx(child.tag) and local(child.tag) == "symbol":
                return child
    return None


def arx_attr(el: etree._Element, name: str) -> str | None:
    """An attribute of an arx element (unprefixed) or an ``arx:`` attribute of any element."""
    value = el.get(name)
    if value is not None:
        return value
    for ns in ARX_NAMESPACES:
        value = el.get(f"{{{ns}}}{name}")
        if value is not None:
            return value
    return None


def _svgx_facts(path: str, text: str, digest: str) -> FileFacts:
    doc = parse(text)
    root = doc.root
    sym_el = symbol_element(root)
    if sym_el is not None:
        sid = sym_el.get("id")
        symbol = None
        refs: list[Reference] = []
        if sid:
            symbol = SymbolInfo(
                id=sid,
                path=path,
                form="svgx",
                name=sym_el.get("name"),
                system=sym_el.get("system"),
                object_type=sym_el.get("object-type"),
                behavior_profile=sym_el.get("behavior-profile"),
                hash=digest,
            )
        for attr, kind in (("behavior-profile", "profile"), ("object-type", "type")):
            v = sym_el.get(attr)
            if v:
                refs.append(Reference(kind, v))
        return FileFacts(path, FileKind.SVGX, digest, symbol=symbol, references=tuple(refs))
    ids: list[str] = []
    refs = []
    if root is not None:
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            name = local(el.tag)
            arx_el = is_arx(el.tag)
            if arx_el and name == "object":
                if el.get("id"):
                    ids.append(el.get("id", ""))
                if el.get("type"):
                    refs.append(Reference("type", el.get("type", "")))
                if el.get("behavior"):
                    refs.append(Reference("profile", el.get("behavior", "")))
            elif arx_el and name == "behavior":
                if el.get("profile"):
                    refs.append(Reference("profile", el.get("profile", "")))
            elif not arx_el:
                for attr, kind in (("type", "type"), ("behavior", "profile")):
                    for ns in ARX_NAMESPACES:
                        v = el.get(f"{{{ns}}}{attr}")
                        if v:
                            refs.append(Reference(kind, v))
    return FileFacts(path, FileKind.SVGX, digest, object_ids=tuple(ids), references=tuple(refs))


def json_symbol_type(value: dict[str, Any]) -> str | None:
    """The object type a JSON symbol names: ``object_type``, else ``properties.type``."""
    for key in ("object_type", "object-type"):
        if isinstance(value.get(key), str):
            return str(value[key])
    props = value.get("properties")
    if isinstance(props, dict) and isinstance(props.get("type"), str):
        return str(props["type"])
    return None


def json_symbol_profile(value: dict[str, Any]) -> str | None:
    """The behavior profile a JSON symbol names (``behavior_profile``, or in ``metadata``)."""
    if isinstance(value.get("behavior_profile"), str):
        return str(value["behavior_profile"])
    meta = value.get("metadata")
    if isinstance(meta, dict) and isinstance(meta.get("behavior_profile"), str):
        return str(meta["behavior_profile"])
    return None


def _json_symbol_facts(path: str, text: str, digest: str) -> FileFacts:
    value = _load_json(text)
    if not isinstance(value, dict) or not isinstance(value.get("id"), str) or not value["id"]:
        return FileFacts(path, FileKind.JSON_SYMBOL, digest)
    otype = json_symbol_type(value)
    profile = json_symbol_profile(value)
    symbol = SymbolInfo(
        id=value["id"],
        path=path,
        form="json",
        name=_str(value.get("name")),
        system=_str(value.get("system")),
        object_type=otype,
        behavior_profile=profile,
        hash=digest,
    )
    refs = [Reference("type", otype)] if otype else []
    if profile:
        refs.append(Reference("profile", profile))
    return FileFacts(path, FileKind.JSON_SYMBOL, digest, symbol=symbol, references=tuple(refs))


def _profile_facts(path: str, text: str, digest: str) -> FileFacts:
    value = _load_json(text)
    if not isinstance(value, dict) or not isinstance(value.get("id"), str) or not value["id"]:
        return FileFacts(path, FileKind.BEHAVIOR, digest)
    applies = value.get("applies_to")
    applies_to = (
        tuple(a for a in applies if isinstance(a, str)) if isinstance(applies, list) else ()
    )
    info = ProfileInfo(value["id"], path, _str(value.get("system")), applies_to)
    return FileFacts(path, FileKind.BEHAVIOR, digest, profile=info)


def _schema_facts(path: str, text: str, digest: str) -> FileFacts:
    value = _load_json(text)
    if not isinstance(value, dict) or not isinstance(value.get("system"), str):
        return FileFacts(path, FileKind.SYSTEM_SCHEMA, digest)
    objects: list[SchemaObject] = []
    raw_objects = value.get("objects")
    if isinstance(raw_objects, dict):
        for name, obj in raw_objects.items():
            if not isinstance(obj, dict):
                objects.append(SchemaObject(name, None, ()))
                continue
            rels: list[tuple[str, tuple[str, ...]]] = []
            raw_rels = obj.get("relationships")
            if isinstance(raw_rels, dict):
                for rel, targets in raw_rels.items():
                    if isinstance(targets, list):
                        rels.append((rel, tuple(t for t in targets if isinstance(t, str))))
            objects.append(SchemaObject(name, _str(obj.get("behavior_profile")), tuple(rels)))
    info = SchemaInfo(value["system"], path, tuple(objects))
    return FileFacts(path, FileKind.SYSTEM_SCHEMA, digest, schema=info)


REGISTRY_FIELDS = ("format", "system", "object_type", "behavior_profile", "hash")


def _registry_facts(path: str, text: str, digest: str) -> FileFacts:
    value = _load_json(text)
    entries: list[RegistryEntry] | None = None
    if isinstance(value, dict) and isinstance(value.get("symbols"), list):
        entries = []
        for item in value["symbols"]:
            if (
                isinstance(item, dict)
                and isinstance(item.get("id"), str)
                and isinstance(item.get("path"), str)
            ):
                fields = tuple(sorted((k, _str(item.get(k))) for k in REGISTRY_FIELDS))
                entries.append(RegistryEntry(item["id"], item["path"], fields))
    info = RegistryInfo(path, tuple(entries) if entries is not None else None)
    return FileFacts(path, FileKind.REGISTRY, digest, registry=info)


_EXTRACT = {
    FileKind.SVGX: _svgx_facts,
    FileKind.JSON_SYMBOL: _json_symbol_facts,
    FileKind.BEHAVIOR: _profile_facts,
    FileKind.SYSTEM_SCHEMA: _schema_facts,
    FileKind.REGISTRY: _registry_facts,
}


def extract(path: str, text: str, kind: FileKind) -> FileFacts:
    """The facts of one file, from its text alone. Never raises on bad input."""
    digest = content_hash(text)
    fn = _EXTRACT.get(kind)
    facts = fn(path, text, digest) if fn else FileFacts(path, kind, digest)
    uses, defines = dependencies(facts)
    return FileFacts(
        facts.path,
        facts.kind,
        facts.hash,
        facts.schema,
        facts.symbol,
        facts.profile,
        facts.registry,
        facts.object_ids,
        facts.references,
        frozenset(uses),
        frozenset(defines),
    )


# --------------------------------------------------------------------------- dependencies


def _type_keys(value: str, system: str | None = None) -> set[Key]:
    parts = value.split(".")
    keys: set[Key] = {("system", parts[0]), ("systems", ANY)}
    if system:
        keys.add(("system", system))
    return keys


def dependencies(f: FileFacts) -> tuple[set[Key], set[Define]]:
    """What the file's diagnostics depend on, and what it provides to other files."""
    uses: set[Key] = set()
    defines: set[Define] = set()
    for ref in f.references:
        if ref.kind == "profile":
            uses.add(("profile", ref.value))
        else:
            uses |= _type_keys(ref.value, f.symbol.system if f.symbol else None)
    if f.symbol is not None:
        s = f.symbol
        uses |= {("symbol", s.id), ("registry-file", ANY)}
        if s.system:
            uses.add(("system", s.system))
        defines.add(("symbol", s.id, f"{s.path}|{s.system}|{s.object_type}|{s.behavior_profile}"))
        defines.add(("symbol-file", f.path, f.hash))
    elif f.kind in (FileKind.SVGX, FileKind.JSON_SYMBOL):
        # A file that stops being a symbol changes what the registry must hold.
        defines.add(("symbol-file", f.path, "none"))
    if f.profile is not None:
        uses.add(("profile", f.profile.id))
        defines.add(("profile", f.profile.id, f.hash))
    if f.schema is not None:
        sc = f.schema
        names = ",".join(sorted(o.name for o in sc.objects))
        defines.add(("system", sc.system, f.hash))
        defines.add(("systems", ANY, f"{sc.system}:{names}"))
        uses |= {("system", sc.system), ("systems", ANY), ("symbol", ANY), ("profile", ANY)}
    if f.registry is not None:
        uses |= {("symbol-file", ANY), ("symbol", ANY)}
        defines.add(("registry-file", f.path, f.hash))
    return uses, defines
