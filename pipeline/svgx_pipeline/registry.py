"""The symbol registry ``symbol_index.json`` (svgx.md §10): built from the symbol files,
deterministic (sorted, no timestamps), written atomically."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from .index import SymbolInfo
from .workspace import Workspace

REGISTRY_NAME = "symbol_index.json"
FORMAT_VERSION = 1


def registry_path(ws: Workspace) -> Path:
    """The registry at the library root: the one already there, else ``symbol_index.json``."""
    regs = [r for r in ws.registries() if "/" not in r.path]
    return ws.root / (regs[0].path if regs else REGISTRY_NAME)


def entry_for(ws: Workspace, s: SymbolInfo, base: str = "") -> dict[str, Any]:
    """The registry entry a symbol should have (``base``: the registry's folder)."""
    otype = s.object_type
    if otype:
        res = ws.resolve_type(otype, s.system)
        if res.base:
            otype = ".".join((res.base, *res.variant))
    path = s.path[len(base) + 1 :] if base else s.path
    return {
        "id": s.id,
        "path": path,
        "format": s.form,
        "system": s.system,
        "object_type": otype,
        "behavior_profile": s.behavior_profile,
        "hash": s.hash,
    }


def symbols_under(ws: Workspace, base: str) -> list[SymbolInfo]:
    return [s for s in ws.symbols() if not base or s.path.startswith(base + "/")]


def build_registry(ws: Workspace, registry: str | None = None) -> dict[str, Any]:
    """The registry's content for the symbols under its folder, sorted by id then path."""
    rel = registry if registry is not None else ws.relpath(registry_path(ws))
    base = rel.rpartition("/")[0]
    entries = [entry_for(ws, s, base) for s in symbols_under(ws, base)]
    entries.sort(key=lambda e: (e["id"], e["path"]))
    return {"version": FORMAT_VERSION, "generated_by": "svgx registry update", "symbols": entries}


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_registry(ws: Workspace, data: dict[str, Any], path: Path | None = None) -> Path:
    """Write the registry atomically: a temporary file in the same folder, fsync, rename.
    On any failure the old file is left as it was and the temporary file is removed."""
    target = path or registry_path(ws)
    text = dumps(data)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp makes the file 0600; the registry is shared, so it keeps the old file's
        # mode, or gets the one an ordinary new file would (0666 less the umask).
        os.fchmod(fd, _mode_for(target))
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where supported
        dfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    ws.refresh(target)
    return target


def _current(ws: Workspace, target: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(ws.read(target).text)
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def registry_diff(ws: Workspace, path: Path | None = None) -> list[str]:
    """Human lines of what ``svgx registry update`` would change; empty when up to date."""
    target = path or registry_path(ws)
    rel = ws.relpath(target)
    want = build_registry(ws, rel)
    have = _current(ws, target)
    if have is None:
        if not target.exists():
            return [f"create {rel} with {len(want['symbols'])} symbol(s)"]
        return [f"rewrite {rel}: it is not a readable registry"]
    lines: list[str] = []
    old = (
        {(e.get("id"), e.get("path")): e for e in have.get("symbols", []) if isinstance(e, dict)}
        if isinstance(have.get("symbols"), list)
        else {}
    )
    new = {(e["id"], e["path"]): e for e in want["symbols"]}
    for key in sorted(set(old) | set(new), key=lambda k: (str(k[0]), str(k[1]))):
        sid, spath = key
        if key not in new:
            lines.append(f"- {sid} ({spath}): no such symbol any more")
        elif key not in old:
            lines.append(f"+ {sid} ({spath})")
        else:
            changed = [f for f in new[key] if old[key].get(f) != new[key][f]]
            if changed:
                lines.append(f"~ {sid} ({spath}): {', '.join(changed)}")
    if not lines and ws.read(target).text != dumps(want):
        lines.append(f"~ {rel}: layout or header differs from the generated form")
    return lines
