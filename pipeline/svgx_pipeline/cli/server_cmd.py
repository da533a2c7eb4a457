"""``svgx server``: the language server (the ``svgx_lsp`` package, imported only here)."""

from __future__ import annotations

import argparse

from . import CliError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "server",
        help="run the language server",
        description="Run the SVGX language server over stdio (or TCP, for debugging).",
    )
    # The options live with the server; importing it here would pull pygls into every
    # `svgx` command, so they are declared twice only in name: see svgx_lsp.main.
    p.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default)")
    p.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP socket instead (for debugging)")
    p.add_argument("--log-file", metavar="FILE", help="write the server's log to FILE")
    p.add_argument(
        "--log-level",
        default="WARNING",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="log level (default: WARNING)",
    )
    p.set_defaults(handler=run_server)


def run_server(args: argparse.Namespace) -> int:
    try:
        from svgx_lsp.main import serve
    except ImportError as exc:
        raise CliError(f"the language server is not installed ({exc}); reinstall svgx") from None
    try:
        return serve(args)
    except ValueError as exc:
        raise CliError(str(exc)) from None
