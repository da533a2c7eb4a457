"""``svgx symbol new NAME --system S --object-type T``: a valid symbol file from the
template, registered in ``symbol_index.json``."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from string import Template
from xml.sax.saxutils import escape

from ..registry import build_registry, write_registry
from ..suggest import did_you_mean, hint
from ..workspace import Workspace
from . import CliError

TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "symbol.svgx"
_ID = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*\Z")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("symbol", help="scaffold symbols", description="Create symbol files.")
    ssub = p.add_subparsers(dest="symbol_command", metavar="ACTION", required=True)
    new = ssub.add_parser("new", help="write a new symbol file from the template and register it")
    new.add_argument(
        "name", metavar="NAME", help="the symbol id, e.g. AV_Display_002 (also the file name)"
    )
    new.add_argument("--system", required=True, help="system name, e.g. audiovisual")
    new.add_argument(
        "--object-type", required=True, help="object type, e.g. audiovisual.display or display"
    )
    new.add_argument("--profile", help="behavior profile id (default: the schema object's profile)")
    new.add_argument("--title", help="human-readable name (default: from NAME)")
    new.add_argument(
        "--library", default="symbols", help="library folder under the workspace (default: symbols)"
    )
    new.add_argument("--workspace", type=Path, default=None, help="the workspace (default: .)")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.set_defaults(handler=run_new)


def run_new(args: argparse.Namespace) -> int:
    ws = Workspace.load(args.workspace or Path.cwd())
    sid = args.name
    if not _ID.match(sid):
        raise CliError(
            f"symbol id {sid!r} must be letters and digits in '_'-separated parts (e.g. AV_Display_002)"
        )
    systems = ws.systems()
    if args.system not in systems:
        known = ", ".join(sorted(systems)) or "none: add schemas/<system>/schema.json first"
        raise CliError(
            f"unknown system {args.system!r}{hint(did_you_mean(args.system, systems))}; known systems: {known}"
        )
    res = ws.resolve_type(args.object_type, args.system)
    if not res.known or res.system != args.system:
        raise CliError(
            f"the {args.system} schema defines no object type {args.object_type!r}"
            f"{hint(res.suggestion)}"
        )
    full = ".".join((res.base or "", *res.variant))
    obj = next(
        o for sc in ws.schemas(args.system) if (o := sc.object(res.object or "")) is not None
    )
    profile = args.profile or obj.behavior_profile or f"{res.object}_behavior"
    target = ws.root / args.library / args.system / f"{sid}.svgx"
    if target.exists() and not args.force:
        raise CliError(f"{ws.relpath(target)} exists; use --force to overwrite it")
    title = args.title or " ".join(p for p in sid.split("_") if not p.isdigit()) or sid
    values = {
        "id": sid,
        "name": title,
        "system": args.system,
        "object_type": full,
        "profile": profile,
        "category": res.object or "",
        "description": f"{title}: symbol of {full}",
        "label": (res.object or sid).replace("_", " ").upper()[:14],
    }
    text = Template(TEMPLATE.read_text("utf-8")).substitute(
        {k: escape(v, {'"': "&quot;"}) for k, v in values.items()}
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    ws.refresh(target)
    written = write_registry(ws, build_registry(ws))
    sys.stdout.write(f"wrote {ws.relpath(target)} and registered it in {ws.relpath(written)}\n")
    if profile not in ws.profile_ids():
        sys.stdout.write(
            f"note: behavior profile {profile!r} does not exist yet (`svgx behavior new`)\n"
        )
    return 0
