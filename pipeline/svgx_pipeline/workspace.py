"""The workspace: a root folder, its configuration, the files of every kind in it, and an
index of what they say about each other (systems, object types, symbols, profiles).

The index is built lazily on first use and kept up to date one file at a time:
:meth:`Workspace.set_overlay` replaces one file's text as an editor does on each keystroke,
re-indexes that file only, and returns the files whose diagnostics may change.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .config import ConfigProblem, LoadedConfig, Settings, load_config
from .documents import Document, FileKind, decode, glob_match
from .index import (
    ANY,
    FileFacts,
    Key,
    ProfileInfo,
    RegistryInfo,
    SchemaInfo,
    SymbolInfo,
    extract,
)
from .suggest import did_you_mean

ROOT_MARKERS = ("svgx.toml", "symbol_index.json", "schemas")
INDEXED = (
    FileKind.SVGX,
    FileKind.BEHAVIOR,
    FileKind.SYSTEM_SCHEMA,
    FileKind.JSON_SYMBOL,
    FileKind.REGISTRY,
)


def find_root(start: Path) -> Path:
    """The workspace a path belongs to: the nearest folder with a config, a registry or a
    ``schemas`` folder; the start folder itself when there is none."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in [folder, *folder.parents]:
        if any((candidate / m).exists() for m in ROOT_MARKERS):
            return candidate
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "[tool.svgx" in pyproject.read_text("utf-8", "replace"):
            return candidate
    return folder


@dataclass(frozen=True)
class TypeResolution:
    """What an object type names (svgx.md §6)."""

    text: str
    system: str | None  # the schema's system, when the first segment is a known system
    object: str | None  # the object name (second segment), when given
    variant: tuple[str, ...]
    known: bool  # the schema defines the object
    suggestion: str | None  # a near known type, for "did you mean"

    @property
    def base(self) -> str | None:
        """``system.object`` without the variant."""
        return f"{self.system}.{self.object}" if self.system and self.object else None


class Workspace:
    def __init__(self, root: Path, config: LoadedConfig | None = None) -> None:
        self.root = root.resolve()
        self.config = config or load_config(self.root)
        self.kinds = self.settings.paths.kinds()
        self._overlays: dict[str, str] = {}
        self._facts: dict[str, FileFacts] | None = None
        self._users: dict[Key, set[str]] = {}
        self._schemas: dict[str, dict[str, SchemaInfo]] = {}
        self._symbols: dict[str, dict[str, SymbolInfo]] = {}
        self._profiles: dict[str, dict[str, ProfileInfo]] = {}
        self._registries: dict[str, RegistryInfo] = {}
        self._object_ids: dict[str, set[str]] = {}
        self._types: dict[str, set[str]] | None = None  # system -> object names, derived

    @classmethod
    def load(cls, path: Path) -> Workspace:
        return cls(find_root(path))

    @property
    def settings(self) -> Settings:
        return self.config.settings

    @property
    def config_problems(self) -> tuple[ConfigProblem, ...]:
        return self.config.problems

    # -- files ---------------------------------------------------------------------

    def relpath(self, path: Path | str) -> str:
        p = Path(path)
        if not p.is_absolute():
            p = self.root / p
        try:
            return p.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return p.resolve().as_posix()

    def inside(self, rel: str) -> bool:
        return not rel.startswith("/") and not rel.startswith("../") and rel != ".."

    def classify(self, path: Path | str) -> FileKind:
        return self.kinds.classify(self.relpath(path))

    def excluded(self, rel: str) -> bool:
        return any(glob_match(rel, pat) for pat in self.settings.paths.exclude)

    def discover(self, under: Path | None = None) -> Iterator[Path]:
        """Every file of a known kind under the root (or only under its folder ``under``),
        sorted; symlinks are never followed (neither out of the root nor round a loop)."""
        start = self.root
        if under is not None:
            start = under.resolve()
            if start != self.root and self.root not in start.parents:
                return
            # The walk from the root would not enter ``under`` through a link or an excluded folder.
            for folder in [start, *start.parents]:
                if folder == self.root:
                    break
                rel_dir = folder.relative_to(self.root).as_posix()
                if folder.is_symlink() or self.excluded(f"{rel_dir}/x"):
                    return
        for dirpath, dirnames, filenames in os.walk(start, followlinks=False):
            base = Path(dirpath)
            rel_dir = base.relative_to(self.root).as_posix()
            dirnames[:] = sorted(
                d
                for d in dirnames
                if not (base / d).is_symlink()
                and not self.excluded(f"{rel_dir}/{d}/x" if rel_dir != "." else f"{d}/x")
            )
            for name in sorted(filenames):
                path = base / name
                if path.is_symlink():
                    continue
                rel = path.relative_to(self.root).as_posix()
                if self.excluded(rel):
                    continue
                kind = self.kinds.classify(rel)
                if kind not in (FileKind.OTHER, FileKind.CONFIG):
                    yield path

    def read(self, path: Path | str) -> Document:
        """The document at ``path`` (its editor overlay when there is one); an unreadable
        file raises ``OSError``."""
        p = Path(path)
        if not p.is_absolute():
            p = self.root / p
        rel = self.relpath(p)
        if rel in self._overlays:
            return Document(rel, self._overlays[rel], self.kinds.classify(rel))
        text, errors = decode(p.read_bytes())
        return Document(rel, text, self.kinds.classify(rel), decode_errors=errors)

    # -- the index -------------------------------------------------------------------

    def _ensure(self) -> dict[str, FileFacts]:
        if self._facts is None:
            self._facts = {}
            for path in self.discover():
                try:
                    doc = self.read(path)
                except OSError:
                    continue
                self._add(extract(doc.path, doc.text, doc.kind))
            for rel, text in self._overlays.items():
                kind = self.kinds.classify(rel)
                if rel not in self._facts and kind in INDEXED:
                    self._add(extract(rel, text, kind))
        return self._facts

    def facts(self, path: Path | str) -> FileFacts | None:
        return self._ensure().get(self.relpath(path))

    def all_facts(self) -> list[FileFacts]:
        return [self._ensure()[p] for p in sorted(self._ensure())]

    def _add(self, f: FileFacts) -> None:
        assert self._facts is not None
        self._facts[f.path] = f
        for key in f.uses:
            self._users.setdefault(key, set()).add(f.path)
        if f.schema:
            self._schemas.setdefault(f.schema.system, {})[f.path] = f.schema
            self._types = None
        if f.symbol:
            self._symbols.setdefault(f.symbol.id, {})[f.path] = f.symbol
        if f.profile:
            self._profiles.setdefault(f.profile.id, {})[f.path] = f.profile
        if f.registry:
            self._registries[f.path] = f.registry
        for oid in f.object_ids:
            self._object_ids.setdefault(oid, set()).add(f.path)

    def _remove(self, path: str) -> FileFacts | None:
        assert self._facts is not None
        f = self._facts.pop(path, None)
        if f is None:
            return None
        for key in f.uses:
            self._drop(self._users, key, path)
        if f.schema:
            self._drop(self._schemas, f.schema.system, path)
            self._types = None
        if f.symbol:
            self._drop(self._symbols, f.symbol.id, path)
        if f.profile:
            self._drop(self._profiles, f.profile.id, path)
        self._registries.pop(path, None)
        for oid in f.object_ids:
            self._drop(self._object_ids, oid, path)
        return f

    @staticmethod
    def _drop(table: dict, key: object, path: str) -> None:  # type: ignore[type-arg]
        inner = table.get(key)
        if inner is None:
            return
        if isinstance(inner, set):
            inner.discard(path)
        else:
            inner.pop(path, None)
        if not inner:
            del table[key]

    def _affected(self, path: str, old: FileFacts | None, new: FileFacts | None) -> set[str]:
        changed = (old.defines if old else frozenset()) ^ (new.defines if new else frozenset())
        out = {path}
        for ns, name, _ in changed:
            out |= self._users.get((ns, name), set())
            out |= self._users.get((ns, ANY), set())
        return out

    def _reindex(self, rel: str, text: str | None) -> set[str]:
        """Replace one file's facts (``text=None``: the file is gone); the affected files."""
        facts = self._ensure()
        kind = self.kinds.classify(rel)
        if kind is FileKind.CONFIG and self.inside(rel):
            return self._reload_config()
        if kind not in INDEXED or not self.inside(rel):
            return {rel}
        old = self._remove(rel) if rel in facts else None
        new = extract(rel, text, kind) if text is not None else None
        if new is not None:
            self._add(new)
        return self._affected(rel, old, new)

    def _reload_config(self) -> set[str]:
        self.config = load_config(self.root)
        self.kinds = self.settings.paths.kinds()
        self._facts = None
        return set(self._ensure()) | set(self._overlays)

    def set_overlay(self, path: Path | str, text: str) -> set[str]:
        """Replace one file's content as an editor does; return the relative paths whose
        diagnostics may change (the file itself included)."""
        rel = self.relpath(path)
        self._overlays[rel] = text
        if self._facts is None:
            self._ensure()
            return {rel}  # first use: everything was just indexed with the overlay
        return self._reindex(rel, text)

    def clear_overlay(self, path: Path | str) -> set[str]:
        """Forget the editor's copy of a file: the file on disk counts again."""
        rel = self.relpath(path)
        if self._overlays.pop(rel, None) is None:
            return set()
        return self.refresh(path)

    def refresh(self, path: Path | str) -> set[str]:
        """Re-read one file from disk (created, changed or deleted outside the editor)."""
        rel = self.relpath(path)
        if rel in self._overlays:
            return {rel}  # the editor's copy wins until it is closed
        p = self.root / rel
        text: str | None = None
        if self.inside(rel) and p.is_file() and not p.is_symlink() and not self.excluded(rel):
            try:
                text = decode(p.read_bytes())[0]
            except OSError:
                text = None
        return self._reindex(rel, text)

    # -- queries of the contract -----------------------------------------------------

    def profile_ids(self) -> set[str]:
        self._ensure()
        return set(self._profiles)

    def profile(self, profile_id: str) -> Document | None:
        """The current text of the behavior profile with that id (overlays included)."""
        self._ensure()
        paths = self._profiles.get(profile_id)
        if not paths:
            return None
        try:
            return self.read(sorted(paths)[0])
        except OSError:
            return None

    def profiles(self, profile_id: str) -> list[ProfileInfo]:
        """Every profile file with that id (more than one is SVX407)."""
        self._ensure()
        return [v for _, v in sorted(self._profiles.get(profile_id, {}).items())]

    def systems(self) -> dict[str, frozenset[str]]:
        """System name → the object names its schema(s) define."""
        return {s: frozenset(o) for s, o in self._system_types().items()}

    def _system_types(self) -> dict[str, set[str]]:
        self._ensure()
        if self._types is None:
            self._types = {}
            for system, by_path in self._schemas.items():
                names = self._types.setdefault(system, set())
                for sc in by_path.values():
                    names.update(o.name for o in sc.objects)
        return self._types

    def schemas(self, system: str | None = None) -> list[SchemaInfo]:
        self._ensure()
        groups = [self._schemas.get(system, {})] if system else list(self._schemas.values())
        return sorted((sc for g in groups for sc in g.values()), key=lambda s: s.path)

    def all_types(self) -> list[str]:
        return sorted(f"{s}.{o}" for s, objs in self._system_types().items() for o in objs)

    def resolve_type(self, text: str, system: str | None = None) -> TypeResolution:
        """Resolve an object type; ``system`` (a symbol's) resolves a relative name."""
        systems = self._system_types()
        parts = tuple(text.split("."))
        if parts[0] in systems:
            sysname, rest = parts[0], parts[1:]
        elif system is not None and system in systems:
            sysname, rest = system, parts  # relative to the given system: "display"
        else:
            guess = did_you_mean(".".join(parts[:2]), self.all_types())
            return TypeResolution(
                text, None, None, parts[2:], False, _with_variant(guess, parts[2:])
            )
        assert sysname is not None
        obj = rest[0] if rest else None
        known = obj is not None and obj in systems[sysname]
        suggestion = None
        if not known:
            pool = [f"{sysname}.{o}" for o in sorted(systems[sysname])]
            guess = did_you_mean(f"{sysname}.{obj}", pool) if obj else None
            suggestion = _with_variant(guess, rest[1:])
        return TypeResolution(text, sysname, obj, rest[1:], known, suggestion)

    def object_type_known(self, type_: str) -> bool:
        return self.resolve_type(type_).known

    def symbols(self, symbol_id: str | None = None) -> list[SymbolInfo]:
        """Every symbol (with that id), sorted by path."""
        self._ensure()
        groups = [self._symbols.get(symbol_id, {})] if symbol_id else list(self._symbols.values())
        return sorted((s for g in groups for s in g.values()), key=lambda s: (s.id, s.path))

    def registries(self) -> list[RegistryInfo]:
        self._ensure()
        return [self._registries[p] for p in sorted(self._registries)]

    def registry_for(self, rel: str) -> RegistryInfo | None:
        """The registry that covers a file: the nearest one in a folder above it."""
        best: RegistryInfo | None = None
        for reg in self.registries():
            folder = reg.path.rpartition("/")[0]
            if (not folder or rel.startswith(folder + "/")) and (
                best is None or len(folder) > len(best.path.rpartition("/")[0])
            ):
                best = reg
        return best

    def object_id_files(self, object_id: str) -> set[str]:
        self._ensure()
        return set(self._object_ids.get(object_id, set()))

    def dependents(self, keys: Iterable[Key]) -> set[str]:
        self._ensure()
        out: set[str] = set()
        for key in keys:
            out |= self._users.get(key, set())
        return out


def _with_variant(base: str | None, variant: tuple[str, ...]) -> str | None:
    if base is None:
        return None
    return ".".join((base, *variant))
