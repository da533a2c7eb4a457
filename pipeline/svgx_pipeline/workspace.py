"""The workspace: a root folder, its configuration, and the files of every kind in it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from .config import ConfigProblem, LoadedConfig, Settings, load_config
from .documents import Document, FileKind, decode, glob_match

ROOT_MARKERS = ("svgx.toml", "symbol_index.json", "schemas")


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


class Workspace:
    def __init__(self, root: Path, config: LoadedConfig | None = None) -> None:
        self.root = root.resolve()
        self.config = config or load_config(self.root)
        self.kinds = self.settings.paths.kinds()

    @classmethod
    def load(cls, path: Path) -> Workspace:
        return cls(find_root(path))

    @property
    def settings(self) -> Settings:
        return self.config.settings

    @property
    def config_problems(self) -> tuple[ConfigProblem, ...]:
        return self.config.problems

    def relpath(self, path: Path | str) -> str:
        p = Path(path)
        if not p.is_absolute():
            p = self.root / p
        try:
            return p.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return p.resolve().as_posix()

    def classify(self, path: Path | str) -> FileKind:
        return self.kinds.classify(self.relpath(path))

    def excluded(self, rel: str) -> bool:
        return any(glob_match(rel, pat) for pat in self.settings.paths.exclude)

    def discover(self) -> Iterator[Path]:
        """Every file of a known kind under the root, sorted; symlinks are never followed."""
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
            base = Path(dirpath)
            rel_dir = base.relative_to(self.root).as_posix()
            dirnames[:] = sorted(
                d for d in dirnames
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
        """The document at ``path``; an unreadable file raises ``OSError``."""
        p = Path(path)
        if not p.is_absolute():
            p = self.root / p
        text, errors = decode(p.read_bytes())
        rel = self.relpath(p)
        return Document(rel, text, self.kinds.classify(rel), decode_errors=errors)
