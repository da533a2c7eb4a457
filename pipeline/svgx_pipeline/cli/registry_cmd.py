"""``svgx registry update [PATH]`` and ``svgx registry check [PATH]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..registry import build_registry, registry_diff, registry_path, write_registry
from ..workspace import Workspace
from . import EXIT_FAILED, EXIT_OK, CliError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "registry",
        help="the symbol registry symbol_index.json",
        description="Regenerate or check the symbol registry (symbol_index.json).",
    )
    rsub = p.add_subparsers(dest="registry_command", metavar="ACTION", required=True)
    up = rsub.add_parser("update", help="rewrite symbol_index.json from the symbol files")
    up.add_argument("path", nargs="?", type=Path, default=None, help="the workspace (default: .)")
    up.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")
    up.set_defaults(handler=run_update)
    ck = rsub.add_parser("check", help="exit 1 when symbol_index.json is not up to date")
    ck.add_argument("path", nargs="?", type=Path, default=None, help="the workspace (default: .)")
    ck.set_defaults(handler=run_check)


def _workspace(path: Path | None) -> Workspace:
    given = path or Path.cwd()
    if not given.exists():
        raise CliError(f"{given}: no such file or folder")
    return Workspace.load(given)


def run_update(args: argparse.Namespace) -> int:
    ws = _workspace(args.path)
    changes = registry_diff(ws)
    target = registry_path(ws)
    if not changes:
        sys.stdout.write(f"{ws.relpath(target)} is up to date\n")
        return EXIT_OK
    for line in changes:
        sys.stdout.write(line + "\n")
    if args.dry_run:
        sys.stdout.write("(dry run: nothing written)\n")
        return EXIT_OK
    data = build_registry(ws)
    try:
        written = write_registry(ws, data)
    except OSError as exc:
        raise CliError(
            f"cannot write {target}: {exc.strerror or exc}; the old registry is unchanged"
        ) from None
    sys.stdout.write(f"wrote {ws.relpath(written)} ({len(data['symbols'])} symbols)\n")
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    ws = _workspace(args.path)
    changes = registry_diff(ws)
    target = ws.relpath(registry_path(ws))
    if not changes:
        sys.stdout.write(f"{target} is up to date\n")
        return EXIT_OK
    for line in changes:
        sys.stdout.write(line + "\n")
    sys.stdout.write(f"{target} is out of date: run `svgx registry update`\n")
    return EXIT_FAILED
