"""One module per LSP feature; each defines ``register(server)``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..server import SvgxServer


def register_all(server: SvgxServer) -> None:
    from . import code_actions, commands, configuration, diagnostics, lifecycle, watched

    for module in (lifecycle, configuration, diagnostics, watched, code_actions, commands):
        module.register(server)
