"""``svgx pipeline execute|list|status|show|stats`` (pipeline.md §1–§6)."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from .. import runner
from ..report import FileResult, render
from ..scope import ScopeError
from ..store import StoreError
from ..workspace import Workspace, find_root
from . import EXIT_FAILED, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, CliError

EXIT_CANCELLED = 130


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "pipeline",
        help="run the validation pipeline and read its record",
        description="Run the validation steps and quality gates, update the registry, and "
        "read the record of past runs.",
    )
    cmds = p.add_subparsers(dest="pipeline_command", metavar="COMMAND")
    p.set_defaults(handler=lambda _args: _usage(p))

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--db", metavar="PATH", help="database (default: <workspace>/.svgx/pipeline.db)")
        q.add_argument("--format", choices=("text", "json"), default="text")

    ex = cmds.add_parser("execute", help="run the pipeline over a workspace")
    ex.add_argument("path", nargs="?", type=Path, default=Path("."), help="workspace (default: .)")
    ex.add_argument("--system", metavar="S", help="only this system")
    ex.add_argument("--object", metavar="T", help="only this object type (e.g. audiovisual.display)")
    ex.add_argument("--step", metavar="NAME", choices=runner.STEPS, help="run this step alone")
    ex.add_argument("--dry-run", action="store_true", help="validate and gate, write nothing")
    ex.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        help="worker processes (default: one per core for a large workspace)",
    )
    common(ex)
    ex.set_defaults(handler=run_execute)

    ls = cmds.add_parser("list", help="recent runs, one line each")
    ls.add_argument("path", nargs="?", type=Path, default=Path("."), help="workspace (default: .)")
    ls.add_argument("--system", metavar="S")
    ls.add_argument("--status", choices=("running", "passed", "failed", "error", "interrupted", "cancelled"))
    ls.add_argument("--limit", type=_positive, default=20, metavar="N", help="at most N runs (default: 20)")
    common(ls)
    ls.set_defaults(handler=run_list)

    st = cmds.add_parser("status", help="one run: steps, gates, counts, duration")
    st.add_argument("id", nargs="?", default="latest", help="run id or a unique prefix (default: latest)")
    st.add_argument("--workspace", "-C", type=Path, default=Path("."), metavar="PATH")
    common(st)
    st.set_defaults(handler=run_status)

    sh = cmds.add_parser("show", help="the diagnostics of one run")
    sh.add_argument("id", help="run id, a unique prefix, or latest")
    sh.add_argument("--workspace", "-C", type=Path, default=Path("."), metavar="PATH")
    sh.add_argument("--code", help="only this rule code")
    sh.add_argument("--file", help="only this file (workspace-relative path)")
    sh.add_argument("--severity", choices=("error", "warning", "info"))
    common(sh)
    sh.set_defaults(handler=run_show)

    sa = cmds.add_parser("stats", help="success rate, mean duration, most frequent codes")
    sa.add_argument("path", nargs="?", type=Path, default=Path("."), help="workspace (default: .)")
    sa.add_argument("--system", metavar="S")
    common(sa)
    sa.set_defaults(handler=run_stats)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _usage(p: argparse.ArgumentParser) -> int:
    p.print_help(sys.stderr)
    return EXIT_USAGE


def _workspace(path: Path) -> Workspace:
    if not path.exists():
        raise CliError(f"{path}: no such file or folder")
    return Workspace(find_root(path))


def _db(args: argparse.Namespace) -> str | None:
    """``--db`` as given on the command line: a path relative to the current folder."""
    if args.db is None or "://" in args.db:
        return args.db
    return str(Path(args.db).resolve())


def _store_error(exc: StoreError) -> CliError:
    return CliError(f"{exc.message}\nsvgx: {exc.hint}", EXIT_USAGE)


def _emit(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


# ---------------------------------------------------------------------- execute


class _ProgressPrinter:
    """Live progress on a terminal (one rewritten line); plain lines off a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.step: str | None = None
        self.shown = -1

    def __call__(self, step: str, index: int, total: int, done: int, files: int) -> None:
        if not self.live:
            if step != self.step:
                self.step = step
                self.stream.write(f"[{index}/{total}] {step}: {files} files\n")
                self.stream.flush()
            return
        # Redraw at most about 100 times a step, so a large run is not slowed by the terminal.
        tick = done * 100 // max(files, 1)
        if step == self.step and tick == self.shown and done != files:
            return
        self.step, self.shown = step, tick
        self.stream.write(f"\r\x1b[K[{index}/{total}] {step}: {done}/{files} files")
        self.stream.flush()

    def close(self) -> None:
        if self.live and self.step is not None:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


class _CancelOnInterrupt:
    """The first Ctrl-C asks the run to stop between files (it is recorded ``cancelled``);
    a second one interrupts at once."""

    def __init__(self) -> None:
        self.requested = False
        self.previous: Callable[[int, FrameType | None], Any] | int | None = None

    def __enter__(self) -> _CancelOnInterrupt:
        self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, _signum: int, _frame: FrameType | None) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc: object) -> None:
        signal.signal(signal.SIGINT, self.previous)  # type: ignore[arg-type]

    def __call__(self) -> bool:
        return self.requested


def run_execute(args: argparse.Namespace) -> int:
    ws = _workspace(args.path)
    options = runner.RunOptions(
        system=args.system,
        object=args.object,
        step=args.step,
        dry_run=args.dry_run,
        trigger="cli",
        db=_db(args),
        jobs=max(args.jobs, 0),
    )
    progress = _ProgressPrinter(sys.stderr)
    try:
        with _CancelOnInterrupt() as cancel:
            summary = runner.execute(ws, options, progress=progress, cancelled=cancel)
    except ScopeError as exc:
        raise CliError(str(exc)) from None
    finally:
        progress.close()
    if args.format == "json":
        _emit(_json(summary))
    else:
        results = _file_results(ws, summary)
        if results:
            sys.stdout.write(render("text", results))
        sys.stdout.write(summary.format_text())
    sys.stdout.flush()
    if summary.store_error is not None:
        # The results are printed; the record could not be written: say so, exit 2.
        raise _store_error(summary.store_error)
    return {
        "passed": EXIT_OK,
        "failed": EXIT_FAILED,
        "error": EXIT_INTERNAL,
        "cancelled": EXIT_CANCELLED,
    }.get(summary.status, EXIT_INTERNAL)


def _json(summary: runner.RunSummary) -> dict[str, Any]:
    from ..text import LineIndex

    data = summary.to_dict(diagnostics=True)
    indexes: dict[str, LineIndex] = {}
    for step in data["steps"]:
        for d in step.get("diagnostics", []):
            path = d["file"] or ""
            index = indexes.setdefault(path, LineIndex(summary.texts.get(path, "")))
            (l1, c1), (l2, c2) = index.position(d["span"][0]), index.position(d["span"][1])
            d["location"] = {
                "row": l1 + 1,
                "column": c1 + 1,
                "end_row": l2 + 1,
                "end_column": c2 + 1,
            }
    return data


def _display(ws: Workspace, rel: str) -> str:
    try:
        return os.path.relpath(ws.root / rel)
    except ValueError:
        return str(ws.root / rel)


def _file_results(ws: Workspace, summary: runner.RunSummary) -> list[FileResult]:
    by_file: dict[str, list[Any]] = {}
    for d in summary.diagnostics():
        by_file.setdefault(d.path or "", []).append(d)
    return [
        FileResult(
            _display(ws, path),
            summary.texts.get(path, ""),
            sorted(diags, key=lambda d: d.sort_key()),
        )
        for path, diags in sorted(by_file.items())
    ]


# ---------------------------------------------------------------------- reading the record


def run_list(args: argparse.Namespace) -> int:
    ws = _workspace(args.path)
    try:
        runs = runner.history(ws, limit=args.limit, db=_db(args), system=args.system, status=args.status)
    except StoreError as exc:
        raise _store_error(exc) from None
    if args.format == "json":
        _emit(runs)
        return EXIT_OK
    if not runs:
        if args.system is not None or args.status is not None:
            sys.stdout.write("no recorded run matches --system/--status (without them, all runs are listed)\n")
        else:
            sys.stdout.write("no runs recorded yet (`svgx pipeline execute` records one)\n")
        return EXIT_OK
    for r in runs:
        sys.stdout.write(_run_line(r) + "\n")
    return EXIT_OK


def _scope(r: dict[str, Any]) -> str:
    parts = [
        f"system={r['system']}" if r.get("system") else "",
        f"object={r['object']}" if r.get("object") else "",
        f"step={r['step']}" if r.get("step") else "",
    ]
    return " ".join(p for p in parts if p) or "workspace"


def _duration(ms: float | None) -> str:
    return "-" if ms is None else f"{ms / 1000:.2f} s"


def _run_line(r: dict[str, Any]) -> str:
    counts = f"{r['errors']}E {r['warnings']}W {r['infos']}I"
    return (
        f"{r['id'][:8]}  {r['started_at'][:19].replace('T', ' ')}Z  {r['status']:<11}  "
        f"{_duration(r['duration_ms']):>8}  {counts:<14}  {r['trigger']:<4}  {_scope(r)}"
    )


def run_status(args: argparse.Namespace) -> int:
    ws = _workspace(args.workspace)
    try:
        run = runner.status(ws, None if args.id == "latest" else args.id, db=_db(args))
    except StoreError as exc:
        raise _store_error(exc) from None
    except runner.RunNotFound as exc:
        raise CliError(f"{exc.args[0]} in this workspace's record (`svgx pipeline list` shows the runs)") from None
    if args.format == "json":
        _emit(run)
        return EXIT_OK
    out = [
        f"run {run['id']}",
        f"  status    {run['status']}",
        f"  scope     {_scope(run)}{'  (dry run)' if run['dry_run'] else ''}",
        f"  started   {run['started_at']}   finished {run['finished_at'] or '-'}   {_duration(run['duration_ms'])}",
        f"  trigger   {run['trigger']}   svgx {run['tool_version']}   config {run['config_hash']}"
        + (f"   commit {run['git_commit'][:12]}" if run.get("git_commit") else ""),
        f"  files     {run['files_total']}   {run['errors']} errors, {run['warnings']} warnings, {run['infos']} infos",
        "steps:",
    ]
    for s in run["steps"]:
        out.append(
            f"  {s['name']:<19}  {s['status']:<9} {s['files_checked']:>5} files  "
            f"{s['errors']}E {s['warnings']}W {s['infos']}I  {_duration(s['duration_ms'])}"
            + (f"  ({s['detail']})" if s.get("detail") else "")
        )
    if run["gates"]:
        out.append("gates:")
        out.extend(f"  {'PASS' if g['passed'] else 'FAIL'}  {g['gate']}: {g['detail']}" for g in run["gates"])
    crashes = [a for a in run["audit"] if a["details"].get("event") == "crash"]
    if crashes:
        out.append("crashes (tracebacks: `svgx pipeline status --format json`):")
        out.extend(
            f"  {a['details'].get('step')}: {a['details'].get('check', 'the step')} "
            f"{('in ' + a['details']['file']) if a['details'].get('file') else ''}".rstrip()
            for a in crashes
        )
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK


def _recorded_path(ws: Workspace, given: str | None) -> str | None:
    """``--file`` as the record names files: workspace-relative, ``/``-separated. A path
    that is not a file of the workspace but exists from the current folder (``./x``, an
    absolute path, a path from a subfolder) is taken from there."""
    if given is None:
        return None
    path = Path(given)
    if not path.is_absolute() and (ws.root / path).is_file():
        return ws.relpath(ws.root / path)
    if path.exists():
        return ws.relpath(path.resolve())
    return path.as_posix()


def run_show(args: argparse.Namespace) -> int:
    ws = _workspace(args.workspace)
    try:
        diags = runner.diagnostics(
            ws,
            args.id,
            db=_db(args),
            code=args.code and args.code.upper(),
            file=_recorded_path(ws, args.file),
            severity=args.severity,
        )
    except StoreError as exc:
        raise _store_error(exc) from None
    except runner.RunNotFound as exc:
        raise CliError(f"{exc.args[0]} in this workspace's record (`svgx pipeline list` shows the runs)") from None
    if args.format == "json":
        _emit(diags)
        return EXIT_OK
    for d in diags:
        sys.stdout.write(
            f"{d['file']}:{d['start_line']}:{d['start_column']}: {d['severity']}: "
            f"{d['code']} {d['message']}  [{d['step']}]\n"
        )
    sys.stdout.write(f"{len(diags)} diagnostic{'s' if len(diags) != 1 else ''}\n")
    return EXIT_OK


def run_stats(args: argparse.Namespace) -> int:
    ws = _workspace(args.path)
    try:
        data = runner.stats(ws, db=_db(args), system=args.system)
    except StoreError as exc:
        raise _store_error(exc) from None
    if args.format == "json":
        _emit(data)
        return EXIT_OK
    rate = "-" if data["success_rate"] is None else f"{data['success_rate'] * 100:.0f}%"
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(data["by_status"].items())) or "none"
    lines = [
        f"runs           {data['runs']} ({statuses})",
        f"success rate   {rate}",
        f"mean duration  {_duration(data['mean_duration_ms'])}",
        "most frequent codes:",
    ]
    lines.extend(
        f"  {c['code']}  {c['count']:>6} times in {c['runs']} run{'s' if c['runs'] != 1 else ''}"
        for c in data["top_codes"]
    )
    if not data["top_codes"]:
        lines.append("  (none)")
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK
