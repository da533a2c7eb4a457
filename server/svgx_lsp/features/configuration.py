"""Settings from the editor (``workspace/configuration``, section ``svgx``)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from lsprotocol import types
from svgx_pipeline.config import Settings

from ..server import SvgxServer  # noqa: TC001 (pygls reads the annotations at run time)
from ..settings import layer

log = logging.getLogger(__name__)
SECTION = "svgx"


def register(server: SvgxServer) -> None:
    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def configuration_changed(ls: SvgxServer, params: types.DidChangeConfigurationParams) -> None:
        pushed = params.settings.get(SECTION) if isinstance(params.settings, dict) else None
        await refresh(ls, pushed)


async def refresh(ls: SvgxServer, pushed: Any = None) -> None:
    """Ask the client for the ``svgx`` section (or use what it pushed), validate it over
    the config file, and re-validate every open document."""
    # Pulls wait for this, so that they are answered with the settings in force.
    ready = asyncio.get_running_loop().create_future()
    ls.settings_ready = ready
    try:
        await _refresh(ls, pushed)
    finally:
        ready.set_result(None)


async def _refresh(ls: SvgxServer, pushed: Any) -> None:
    raw: Any = pushed
    caps = ls.client_capabilities.workspace
    if caps is not None and caps.configuration:
        primary = ls.workspaces.primary()
        scope = primary.root.as_uri() if primary is not None else None
        try:
            answer = await ls.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(scope_uri=scope, section=SECTION)])
            )
            raw = answer[0] if answer else None
        except Exception as exc:  # a client that fails the request keeps the config file's settings
            log.warning("workspace/configuration failed: %s", exc)
    primary = ls.workspaces.primary()
    base = primary.ws.settings if primary is not None else Settings()
    editor = layer(base, raw)
    ls.editor = editor
    # Taking every workspace's write lock waits for analyses in flight: off the message loop.
    await asyncio.get_running_loop().run_in_executor(
        ls.analyzer.pool, ls.workspaces.set_editor_overrides, editor.overrides, editor.problems
    )
    for problem in editor.problems:
        ls.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Warning, message=f"svgx: invalid setting {problem}")
        )
    from .diagnostics import revalidate_all

    revalidate_all(ls)
