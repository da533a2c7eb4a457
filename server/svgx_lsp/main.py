"""``svgx-lsp`` / ``svgx server``: start the language server (stdio by default)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from svgx_pipeline import __version__


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default)")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP socket instead (for debugging)")
    parser.add_argument("--log-file", metavar="FILE", help="write the server's log to FILE")
    parser.add_argument(
        "--log-level",
        default="WARNING",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="log level (default: WARNING)",
    )


def parse_tcp(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"--tcp expects HOST:PORT, got {value!r}")
    return host or "127.0.0.1", int(port)


def serve(args: argparse.Namespace) -> int:
    """Run the server until the client says ``exit`` or closes the connection."""
    tcp = parse_tcp(args.tcp) if args.tcp else None  # a bad value fails before any set-up
    handlers: list[logging.Handler] = (
        [logging.FileHandler(args.log_file, encoding="utf-8")] if args.log_file else [logging.StreamHandler(sys.stderr)]
    )
    logging.basicConfig(
        level=args.log_level, handlers=handlers, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )

    from .server import build_server

    server = build_server()
    if tcp is not None:
        server.start_tcp(*tcp)
    else:
        server.start_io()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="svgx-lsp", description="The SVGX language server.")
    parser.add_argument("--version", action="version", version=f"svgx-lsp {__version__}")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return serve(args)
    except ValueError as exc:
        print(f"svgx-lsp: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
