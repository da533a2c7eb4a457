"""The ``svgx`` command. Each ``*_cmd`` module in this package adds its subcommands.

Exit codes (pipeline.md §6): 0 passed, 1 errors found / gates failed, 2 usage or
configuration error, 3 internal error.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import traceback
from collections.abc import Sequence

from .. import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class CliError(Exception):
    """A failure to tell the user in one or two plain lines, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="svgx",
        description="Validate SVGX building-system drawings, symbols, schemas and behavior profiles.",
    )
    parser.add_argument("--version", action="version", version=f"svgx {__version__}")
    parser.add_argument("--verbose", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.name.endswith("_cmd"):
            importlib.import_module(f"{__name__}.{module.name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.handler(args) or 0)
    except CliError as exc:
        print(f"svgx: {exc.message}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("svgx: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: a plain message, exit 3
        if args.verbose:
            traceback.print_exc()
        print(f"svgx: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("svgx: run again with --verbose for the traceback, and please report it", file=sys.stderr)
        return EXIT_INTERNAL
