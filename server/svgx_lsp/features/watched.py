"""Files changed outside the editor (``workspace/didChangeWatchedFiles``)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

from ..server import SvgxServer  # noqa: TC001 (pygls reads the annotations at run time)

log = logging.getLogger(__name__)
WATCH_GLOBS = ("**/*.svgx", "**/*.svg", "**/*.json", "**/svgx.toml", "**/pyproject.toml")


def register_watchers(ls: SvgxServer) -> None:
    """Ask the client to watch the files the analysis reads, when it can register that."""
    caps = ls.client_capabilities.workspace
    watched = caps.did_change_watched_files if caps is not None else None
    if watched is None or not watched.dynamic_registration:
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=g) for g in WATCH_GLOBS]
    )
    ls.client_register_capability(
        types.RegistrationParams(
            registrations=[
                types.Registration(
                    id="svgx-watched-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
                )
            ]
        )
    )


def register(server: SvgxServer) -> None:
    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched_files_changed(ls: SvgxServer, params: types.DidChangeWatchedFilesParams) -> None:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        ls.disk_refreshes.add(done)  # before the first await: a pull that follows waits for it
        try:
            await _apply_changes(ls, params, loop)
        finally:
            done.set_result(None)
            ls.disk_refreshes.discard(done)


async def _apply_changes(
    ls: SvgxServer, params: types.DidChangeWatchedFilesParams, loop: asyncio.AbstractEventLoop
) -> None:
    config_changed = False
    for change in params.changes:
        fs = to_fs_path(change.uri)
        if not fs:
            continue
        path = Path(fs)
        entry = ls.workspaces.for_path(path)
        if entry.is_config(path):
            if ls.documents.get(path.as_uri()) is not None:
                continue  # the editor's text of it is in force
            await loop.run_in_executor(ls.analyzer.pool, _reload, entry)
            config_changed = True
            continue
        rel = entry.ws.relpath(path)
        kind = entry.ws.kinds.classify(rel)
        open_paths = ls.analyzer.open_paths(entry)

        def changed(entry=entry, rel=rel, kind=kind, open_paths=open_paths) -> set[str]:  # type: ignore[no-untyped-def]
            with entry.lock.write():
                return entry.file_changed_on_disk(rel, kind, open_paths)

        affected = await loop.run_in_executor(ls.analyzer.pool, changed)
        if affected:
            ls.dependents_changed(entry, affected)
    if config_changed:
        from .diagnostics import revalidate_all

        revalidate_all(ls)


def _reload(entry) -> None:  # type: ignore[no-untyped-def]
    with entry.lock.write():
        entry.reload_config()
