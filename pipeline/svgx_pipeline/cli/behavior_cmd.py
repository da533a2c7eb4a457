"""``svgx behavior new NAME --system S --applies-to TYPE``: a starter profile that validates."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from . import EXIT_OK, CliError

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SYSTEM = re.compile(r"[a-z][a-z0-9_]*")
_TYPE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("behavior", help="work with behavior profiles")
    actions = p.add_subparsers(dest="behavior_command", metavar="ACTION")
    new = actions.add_parser("new", help="write a starter behavior profile",
                             description="Write NAME.behavior.json: a small profile (power, "
                             "current, a threshold, an on/off state machine) that validates clean.")
    new.add_argument("name", help="profile id, e.g. display_behavior")
    new.add_argument("--system", required=True, help="system name, e.g. audiovisual")
    new.add_argument("--applies-to", required=True, action="append", metavar="TYPE",
                     help="object type the profile serves, e.g. audiovisual.display (repeatable)")
    new.add_argument("--output", "-o", type=Path, default=Path("."), metavar="DIR",
                     help="folder to write into (default: the current folder)")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.set_defaults(handler=run_new)
    p.set_defaults(handler=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    raise CliError("behavior: name an action (new)")


def starter(name: str, system: str, applies_to: list[str]) -> dict[str, object]:
    """The starter profile: every section present, every value consistent."""
    return {
        "$schema": "https://arxos.io/svgx/behavior-profile-1.0.schema.json",
        "id": name,
        "version": "0.1.0",
        "system": system,
        "applies_to": applies_to,
        "description": f"Behavior of {', '.join(applies_to)}",
        "variables": {
            "voltage": {"kind": "input", "unit": "V", "default": 120, "min": 108, "max": 132},
            "power": {"kind": "input", "unit": "W", "default": 60, "min": 0, "max": 100},
            "current": {"kind": "output", "unit": "A", "formula": "power / voltage"},
        },
        "thresholds": [{"variable": "current", "above": {"warning": 1, "critical": 1.5}}],
        "constraints": [{"name": "within_rated_current", "expr": "current <= 1.5"}],
        "states": {
            "initial": "off",
            "states": {"off": {}, "on": {}},
            "transitions": [
                {"from": "off", "to": "on", "event": "power_on", "guard": "voltage >= 108"},
                {"from": "on", "to": "off", "event": "power_off"},
            ],
        },
        "triggers": [{"event": "click", "action": "toggle"}],
    }


def run_new(args: argparse.Namespace) -> int:
    if not _IDENT.fullmatch(args.name):
        raise CliError(f"profile id {args.name!r} must be an identifier (letters, digits, _)")
    if not _SYSTEM.fullmatch(args.system):
        raise CliError(f"system {args.system!r} must be lower case: letters, digits and _")
    for t in args.applies_to:
        if not _TYPE.fullmatch(t):
            raise CliError(f"object type {t!r} must be dot-separated lower-case names")
    folder: Path = args.output
    if folder.exists() and not folder.is_dir():
        raise CliError(f"{folder}: not a folder")
    path = folder / f"{args.name}.behavior.json"
    if path.exists() and not args.force:
        raise CliError(f"{path} exists (use --force to overwrite)")
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(starter(args.name, args.system, list(args.applies_to)), indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {path}\n")
    return EXIT_OK
