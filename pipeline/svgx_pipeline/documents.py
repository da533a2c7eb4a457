"""Documents, their kinds, and path globs."""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath


class FileKind(enum.Enum):
    SVGX = "svgx"
    BEHAVIOR = "behavior-profile"
    SYSTEM_SCHEMA = "system-schema"
    JSON_SYMBOL = "json-symbol"
    REGISTRY = "registry"
    CONFIG = "config"
    OTHER = "other"


@functools.lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Translate a path glob (``**`` spans folders, ``*`` and ``?`` do not) to a regex."""
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 1)
            if j == -1:
                out.append(re.escape(c))
            else:
                out.append("[" + pattern[i + 1 : j].replace("\\", "\\\\") + "]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def glob_match(path: str, pattern: str) -> bool:
    """Match a relative POSIX path against a glob; a pattern without ``/`` matches names."""
    if "/" not in pattern:
        return _glob_regex(pattern).match(PurePosixPath(path).name) is not None
    return _glob_regex(pattern.lstrip("/")).match(path.lstrip("/")) is not None


@dataclass(frozen=True)
class KindPatterns:
    """Which paths hold which kind of file (svgx.md §1); from the config's ``paths``."""

    svgx: tuple[str, ...] = ("**/*.svgx", "**/*.svg")
    behavior: tuple[str, ...] = ("**/*.behavior.json",)
    system_schema: tuple[str, ...] = ("**/schemas/*/schema.json", "schemas/*/schema.json")
    json_symbol: tuple[str, ...] = (
        "**/arx-symbol-library/**/*.json",
        "arx-symbol-library/**/*.json",
        "**/symbols/**/*.json",
        "symbols/**/*.json",
    )
    registry: tuple[str, ...] = ("symbol_index.json",)
    config: tuple[str, ...] = ("svgx.toml", "pyproject.toml")

    def classify(self, path: str) -> FileKind:
        return _classify(self, path)


@functools.lru_cache(maxsize=65536)
def _classify(patterns: KindPatterns, path: str) -> FileKind:
    p = path.replace("\\", "/")
    # Most specific first: a profile or the registry inside a symbol folder is still one.
    for kind, globs in (
        (FileKind.BEHAVIOR, patterns.behavior),
        (FileKind.REGISTRY, patterns.registry),
        (FileKind.SYSTEM_SCHEMA, patterns.system_schema),
        (FileKind.JSON_SYMBOL, patterns.json_symbol),
        (FileKind.SVGX, patterns.svgx),
        (FileKind.CONFIG, patterns.config),
    ):
        if any(glob_match(p, pat) for pat in globs):
            return kind
    return FileKind.OTHER


@dataclass(frozen=True)
class Document:
    """One file's text as the analysis sees it.

    ``path`` is the POSIX path relative to the workspace root when there is one
    (absolute otherwise); it is what diagnostics carry and what globs match.
    """

    path: str
    text: str
    kind: FileKind = FileKind.SVGX
    version: int | None = None
    # Reading problems found while turning bytes into text (SVX003), as (offset, message).
    decode_errors: tuple[tuple[int, str], ...] = field(default=(), compare=False)


def decode(data: bytes) -> tuple[str, tuple[tuple[int, str], ...]]:
    """Decode file bytes as UTF-8; invalid bytes become U+FFFD and are reported."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", "replace")
        text = data.decode("utf-8", "replace")
        bad = data[exc.start : exc.end].hex(" ")
        return text, ((len(prefix), f"bytes that are not valid UTF-8 (0x{bad}) at byte {exc.start}"),)
