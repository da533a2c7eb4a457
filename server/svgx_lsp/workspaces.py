"""The workspace models behind the open documents: which root a file belongs to, its
settings (config file under the editor's settings), and the editor's unsaved text.

The workspace model is shared by the analysis threads: changes to it (overlays, a new
config) take the write side of a lock, analyses the read side, so analyses run side by
side while an edit to a profile is being indexed by nobody else.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from svgx_pipeline.config import ConfigProblem, Settings, load_config, parse_config_text
from svgx_pipeline.documents import Document, FileKind
from svgx_pipeline.workspace import Workspace, find_root


class RWLock:
    """Many readers or one writer; a waiting writer holds new readers back."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            while self._writer or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


class WorkspaceEntry:
    """One workspace root: its model, the editor's settings over its config, its lock."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lock = RWLock()
        self.ws = Workspace(root)
        self._editor_overrides: dict[str, object] = {}
        self.editor_problems: list[str] = []
        self.settings = self.ws.settings
        # The text last handed to the model for each relative path (None: cleared).
        self._overlaid: dict[str, str] = {}

    # -- configuration -------------------------------------------------------------

    @property
    def config_path(self) -> Path | None:
        return self.ws.config.path

    @property
    def config_problems(self) -> tuple[ConfigProblem, ...]:
        return self.ws.config_problems

    def is_config(self, path: Path) -> bool:
        """Whether ``path`` is the config file in force (or would be, once created)."""
        if self.config_path is not None:
            return path.resolve() == self.config_path.resolve()
        return path.resolve().parent == self.root and path.name == "svgx.toml"

    def set_editor_overrides(self, overrides: dict[str, object], problems: Iterable[str] = ()) -> None:
        """Layer validated editor settings (``settings.layer``) over the config file's."""
        self._editor_overrides = dict(overrides)
        self.editor_problems = list(problems)
        self._recompute()

    def _recompute(self) -> None:
        base = self.ws.settings
        if not self._editor_overrides:
            self.settings = base
            return
        try:
            self.settings = Settings.model_validate({**base.model_dump(), **self._editor_overrides})
        except ValueError:  # validated against another root's config; cannot happen per key
            self.settings = base

    def reload_config(self, text: str | None = None, name: str | None = None) -> None:
        """Read the config again: from the editor's text of it, or from disk."""
        path = self.ws.config.path
        if text is not None and name is not None:
            loaded = parse_config_text(text, name, str(path) if path else None)
        else:
            loaded = load_config(self.root)
        new = Workspace(self.root, loaded)
        # The new model must see the editor's unsaved files too, except config files: an
        # overlay of one makes the model reload the config from disk.
        for rel, content in self._overlaid.items():
            if new.kinds.classify(rel) is not FileKind.CONFIG:
                new.set_overlay(self.root / rel, content)
        self.ws = new
        self._recompute()

    def set_config_text(self, doc: Document, open_paths: Iterable[str]) -> set[str]:
        """The editor's text of the config in force: it applies at once, saved or not."""
        if self._overlaid.get(doc.path) == doc.text:
            return set()
        self._overlaid[doc.path] = doc.text
        self.reload_config(doc.text, doc.path.rsplit("/", 1)[-1])
        return set(open_paths) - {doc.path}

    # -- documents -----------------------------------------------------------------

    def document(self, path: Path, text: str, version: int | None, language_id: str) -> Document:
        rel = self.ws.relpath(path)
        return Document(rel, text, kind_of(self.ws, path, rel, language_id), version)

    def needs_overlay(self, doc: Document) -> bool:
        """Whether the model has yet to see this text of ``doc`` (read without the lock:
        a stale answer only costs one uncontended write)."""
        return self._overlaid.get(doc.path) != doc.text

    def set_overlay(self, doc: Document, open_paths: Iterable[str]) -> set[str]:
        """Give the model the editor's text of ``doc``; the relative paths that may change.

        Call with the write lock held."""
        if self._overlaid.get(doc.path) == doc.text:
            return set()
        self._overlaid[doc.path] = doc.text
        affected = set(self.ws.set_overlay(self.root / doc.path, doc.text)) - {doc.path}
        if doc.kind is FileKind.REGISTRY:
            # Every open document, not only the index's dependents: see file_changed_on_disk.
            affected |= set(open_paths) - {doc.path}
        return affected

    def clear_overlay(self, doc_path: str, kind: FileKind, open_paths: Iterable[str]) -> set[str]:
        if self._overlaid.pop(doc_path, None) is None:
            return set()
        if kind is FileKind.CONFIG and self.is_config(self.root / doc_path):
            self.reload_config()  # the saved config counts again
            return set(open_paths) - {doc_path}
        return set(self.ws.clear_overlay(self.root / doc_path) or ()) - {doc_path}

    def file_changed_on_disk(self, rel: str, kind: FileKind, open_paths: Iterable[str]) -> set[str]:
        """A file changed outside the editor; the paths whose diagnostics may change."""
        if rel in self._overlaid:
            return set()  # the editor's text wins while it is open
        affected = set(self.ws.refresh(self.root / rel) or ())
        if kind is FileKind.REGISTRY:
            affected |= set(open_paths)  # the registry's findings (SVX403-405) name symbols anywhere
        return affected


def kind_of(ws: Workspace, path: Path, rel: str, language_id: str) -> FileKind:
    """The kind from the path patterns of the workspace's config; the editor's language id
    and the file name only decide files outside those patterns."""
    kind = ws.kinds.classify(rel)
    if kind is FileKind.OTHER and path.name in ("svgx.toml",):
        return FileKind.CONFIG
    if kind is FileKind.OTHER:
        if path.name.endswith(".behavior.json"):
            return FileKind.BEHAVIOR
        if language_id == "svgx" or path.suffix == ".svgx":
            return FileKind.SVGX
    if kind is FileKind.CONFIG and path.name == "pyproject.toml":
        text = _read(path)
        if text is not None and "[tool.svgx" not in text:
            return FileKind.OTHER
    return kind


def _read(path: Path) -> str | None:
    try:
        return path.read_text("utf-8", "replace")
    except OSError:
        return None


class Workspaces:
    """Every workspace the open files belong to, by root."""

    def __init__(self, folders: Iterable[Path] = ()) -> None:
        self.folders = [f.resolve() for f in folders]
        self._entries: dict[Path, WorkspaceEntry] = {}
        self.editor_overrides: dict[str, object] = {}
        self.editor_problems: list[str] = []

    def root_for(self, path: Path) -> Path:
        path = path.resolve()
        found = find_root(path)
        containing = [f for f in self.folders if f == path or f in path.parents]
        if containing:
            folder = max(containing, key=lambda f: len(f.parts))
            if not (found == folder or folder in found.parents):
                return folder
        return found

    def for_path(self, path: Path) -> WorkspaceEntry:
        root = self.root_for(path)
        entry = self._entries.get(root)
        if entry is None:
            entry = WorkspaceEntry(root)
            if self.editor_overrides or self.editor_problems:
                entry.set_editor_overrides(self.editor_overrides, self.editor_problems)
            self._entries[root] = entry
        return entry

    def primary(self) -> WorkspaceEntry | None:
        if self.folders:
            return self.for_path(self.folders[0])
        return next(iter(self._entries.values()), None)

    def entries(self) -> list[WorkspaceEntry]:
        return list(self._entries.values())

    def set_editor_overrides(self, overrides: dict[str, object], problems: Iterable[str] = ()) -> None:
        self.editor_overrides = dict(overrides)
        self.editor_problems = list(problems)
        for entry in self._entries.values():
            with entry.lock.write():
                entry.set_editor_overrides(overrides, problems)
