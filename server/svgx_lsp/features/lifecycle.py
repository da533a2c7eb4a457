"""initialize / initialized / shutdown / exit, and workspace folders."""

from __future__ import annotations

from lsprotocol import types
from pygls.uris import to_fs_path

from ..server import SvgxServer  # noqa: TC001 (pygls reads the annotations at run time)


def register(server: SvgxServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(ls: SvgxServer, params: types.InitializeParams) -> None:
        ls.setup(params)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: SvgxServer, params: types.InitializedParams) -> None:
        from . import configuration, watched

        watched.register_watchers(ls)
        await configuration.refresh(ls)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: SvgxServer, params: None) -> None:
        if ls._analyzer is not None:
            ls._analyzer.shutdown()

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(ls: SvgxServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        from pathlib import Path

        removed = {Path(p).resolve() for f in params.event.removed if (p := to_fs_path(f.uri))}
        added = [Path(p).resolve() for f in params.event.added if (p := to_fs_path(f.uri))]
        ls.workspaces.folders = [f for f in ls.workspaces.folders if f not in removed] + added
