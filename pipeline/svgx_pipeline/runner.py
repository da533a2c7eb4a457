"""The pipeline (pipeline.md §1–§4): validation steps over a scope, quality gates, the
registry update, and the record of the run.

``execute(ws, RunOptions(...), progress=, cancelled=) -> RunSummary`` is the one entry
point; the CLI, the language server and a future HTTP API call it. Each step runs the
engine with its rule families over the files in scope; every file is parsed once for the
whole run (its check context is reused across steps). A step whose checks crash is
recorded ``error`` with the traceback in the audit log, and the run goes on.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, scope
from .analysers import Analyser, make_analyser
from .config import STEPS as VALIDATION_STEPS
from .diagnostics import Diagnostic, Severity, Span
from .documents import Document, FileKind
from .engine import checks_for
from .store import DiagnosticRow, SqlStore, StoreError, now, open_store, resolve_location
from .text import LineIndex
from .workspace import Workspace

UPDATE_REGISTRY = "update-registry"
STEPS: tuple[str, ...] = (*VALIDATION_STEPS, UPDATE_REGISTRY)
FAMILIES: dict[str, tuple[str, ...]] = {
    "validate-schema": ("SVX0", "SVX1", "SVX9"),
    "validate-symbol": ("SVX2",),
    "validate-behavior": ("SVX3",),
    "validate-registry": ("SVX4",),
    "validate-compliance": ("SVX5",),
}
COVERAGE_CODE = "SVX409"

Progress = Callable[[str, int, int, int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class RunOptions:
    system: str | None = None
    object: str | None = None
    step: str | None = None
    dry_run: bool = False
    trigger: str = "cli"
    db: str | Path | None = None
    # Worker processes: 0 = automatic (one per core for a large run from the CLI; the
    # language server's runs stay in its process, where its unsaved editor buffers are),
    # 1 = in this process.
    jobs: int = 0


@dataclass
class StepResult:
    name: str
    status: str = "skipped"  # passed, failed, error, skipped, cancelled
    started_at: str | None = None
    finished_at: str | None = None
    duration_ms: float = 0.0
    files_checked: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    detail: str | None = None
    tracebacks: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        c = Counter(d.severity for d in self.diagnostics)
        return {
            "errors": c[Severity.ERROR],
            "warnings": c[Severity.WARNING],
            "infos": c[Severity.INFO],
        }

    def to_dict(self, diagnostics: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "status": self.status,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "duration_ms": round(self.duration_ms, 3),
            "files_checked": self.files_checked,
            **self.counts(),
            "detail": self.detail,
        }
        if diagnostics:
            out["diagnostics"] = [_diag_dict(d) for d in self.diagnostics]
        return out


@dataclass(frozen=True)
class GateResult:
    gate: str
    passed: bool
    detail: str


@dataclass
class RunSummary:
    id: str
    status: str
    options: RunOptions
    started_at: str
    finished_at: str | None = None
    duration_ms: float = 0.0
    steps: list[StepResult] = field(default_factory=list)
    gates: list[GateResult] = field(default_factory=list)
    db: str | None = None
    store_error: StoreError | None = None
    registry_changes: list[str] = field(default_factory=list)
    files_total: int = 0
    texts: dict[str, str] = field(default_factory=dict, repr=False)  # path -> text, for printing

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def diagnostics(self) -> list[Diagnostic]:
        return [d for s in self.steps for d in s.diagnostics]

    def to_dict(self, diagnostics: bool = False) -> dict[str, Any]:
        """The run as plain JSON-serialisable data (what ``--format json`` prints)."""
        o = self.options
        return {
            "id": self.id,
            "status": self.status,
            "trigger": o.trigger,
            "dry_run": o.dry_run,
            "scope": {"system": o.system, "object": o.object, "step": o.step},
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "duration_ms": round(self.duration_ms, 3),
            "files_total": self.files_total,
            "steps": [s.to_dict(diagnostics) for s in self.steps],
            "gates": [{"gate": g.gate, "passed": g.passed, "detail": g.detail} for g in self.gates],
            "registry_changes": self.registry_changes,
            "db": self.db,
            "recorded": not o.dry_run and self.db is not None and self.store_error is None,
            "db_error": None
            if self.store_error is None
            else {"message": self.store_error.message, "hint": self.store_error.hint},
        }

    def format_text(self) -> str:
        """Per step: status, counts, duration; per gate: passed or why not; the outcome."""
        lines = []
        width = max(len(s.name) for s in self.steps) if self.steps else 10
        for s in self.steps:
            c = s.counts()
            counts = f"{c['errors']} errors, {c['warnings']} warnings, {c['infos']} infos"
            extra = f"  ({s.detail})" if s.detail else ""
            lines.append(
                f"  {s.name:<{width}}  {s.status:<9} {s.files_checked:>5} files  {counts:<36} "
                f"{s.duration_ms / 1000:7.2f} s{extra}"
            )
        if self.gates:
            lines.append("gates:")
            for g in self.gates:
                lines.append(f"  {'PASS' if g.passed else 'FAIL'}  {g.gate}: {g.detail}")
        if self.options.dry_run:
            if self.registry_changes:
                lines.append("update-registry would change:")
                lines.extend(f"  {c}" for c in self.registry_changes)
            lines.append("dry run: nothing was written")
        where = f", recorded in {_shown(self.db)}" if self.db and self.store_error is None else ""
        if self.store_error is not None and not self.options.dry_run:
            where = ", NOT recorded: the pipeline database could not be written (see below)"
        lines.append(f"run {self.id[:8]} {self.status} in {self.duration_ms / 1000:.2f} s{where}")
        return "steps:\n" + "\n".join(lines) + "\n"


def _unreadable_in_scope(path: str, options: RunOptions, ws: Workspace) -> bool:
    """An unreadable file cannot say its system: a scoped run keeps it unless its path names
    another known system (``symbols/electrical/…`` is out of an audiovisual run)."""
    wanted = options.system or (options.object.split(".")[0] if options.object else None)
    if wanted is None:
        return True
    folders = set(path.split("/")[:-1])
    try:
        known = set(ws.systems())
    except Exception:  # a broken index must not hide an unreadable file
        return True
    return wanted in folders or not (folders & known)


def _shown(path: str) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _diag_dict(d: Diagnostic) -> dict[str, Any]:
    return {
        "code": d.code,
        "severity": str(d.severity),
        "message": d.message,
        "file": d.path,
        "span": [d.span.start, d.span.end],
    }


# ---------------------------------------------------------------------- the run


class _Recorder:
    """Writes the run to the store as it goes; after the first store failure it stops
    writing, keeps the error, and lets the validation finish (its results still print)."""

    def __init__(self, store: SqlStore | None, error: StoreError | None = None) -> None:
        self.store = store
        self.error = error

    @property
    def active(self) -> bool:
        return self.store is not None and self.error is None

    def __call__(self, method: str, *args: Any) -> None:
        if self.store is None or self.error is not None:
            return
        try:
            getattr(self.store, method)(*args)
        except StoreError as exc:
            self.error = exc
            return
        if method == "begin_execution":
            self.begun = args[0]["id"]

    begun: str | None = None

    def close(self) -> None:
        """After a failure half-way, one attempt to mark the partial row ``error`` so that
        it never reads as still running (if this fails too, the row stays ``running`` and
        the next run or status call marks it interrupted once this process is gone)."""
        if self.store is None:
            return
        if self.error is not None and self.begun is not None:
            try:
                self.store.abandon_execution(self.begun, f"record incomplete: {self.error.message}")
            except StoreError:
                pass
        self.store.close()


def _git_commit(root: Path) -> str | None:
    if not any((p / ".git").exists() for p in [root, *root.parents]):
        return None
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and len(commit) >= 40 else None


def _read_all(ws: Workspace) -> tuple[list[Document], list[Diagnostic]]:
    docs: list[Document] = []
    problems: list[Diagnostic] = []
    for path in ws.discover():
        try:
            docs.append(ws.read(path))
        except OSError as exc:
            problems.append(
                Diagnostic(
                    "SVX001",
                    f"cannot read the file: {exc.strerror or exc}",
                    Span(0, 0),
                    Severity.ERROR,
                    ws.relpath(path),
                )
            )
    return docs, problems


def _config_diagnostics(ws: Workspace) -> tuple[list[Diagnostic], dict[str, str]]:
    loaded = ws.config
    if not loaded.problems or loaded.path is None:
        return [], {}
    rel = ws.relpath(loaded.path)
    try:
        text = loaded.path.read_text("utf-8", "replace")
    except OSError:
        text = ""
    sev = ws.settings.severity_of("SVX902", Severity.ERROR, rel)
    if sev is Severity.OFF:
        return [], {}
    return [Diagnostic("SVX902", p.message, p.span, sev, rel) for p in loaded.problems], {rel: text}


def _row_diagnostics(step: str, diags: Iterable[Diagnostic], lines: Callable[[str], LineIndex]) -> list[DiagnosticRow]:
    rows = []
    for d in diags:
        index = lines(d.path or "")
        (l1, c1), (l2, c2) = index.position(d.span.start), index.position(d.span.end)
        rows.append(
            DiagnosticRow(
                step,
                d.path or "",
                l1 + 1,
                c1 + 1,
                l2 + 1,
                c2 + 1,
                d.code,
                str(d.severity),
                d.message,
            )
        )
    return rows


def _selected_steps(options: RunOptions) -> list[str]:
    if options.step is None:
        return list(STEPS)
    if options.step == UPDATE_REGISTRY:
        raise scope.ScopeError(
            "update-registry cannot run alone: it runs after the gates of a full run "
            "(run `svgx pipeline execute` without --step)"
        )
    if options.step not in FAMILIES:
        raise scope.ScopeError(f"unknown step {options.step!r}; steps are {', '.join(VALIDATION_STEPS)}")
    return [options.step]


def execute(
    ws: Workspace,
    options: RunOptions | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> RunSummary:
    """Run the pipeline over ``ws`` and record it (unless a dry run).

    Raises :class:`scope.ScopeError` for an unknown system, object type or step (nothing is
    run or recorded then). Database problems never stop the validation: they are returned
    in ``summary.store_error`` and the run is not recorded as passed.
    """
    options = options or RunOptions()
    settings = ws.settings
    step_names = _selected_steps(options)
    t0 = time.perf_counter()
    all_docs, unreadable = _read_all(ws)
    docs = scope.select(all_docs, options.system, options.object)
    unreadable = [d for d in unreadable if _unreadable_in_scope(d.path or "", options, ws)]
    config_diags, config_texts = _config_diagnostics(ws)

    summary = RunSummary(str(uuid.uuid4()), "running", options, now(), files_total=len(docs))
    summary.texts = {d.path: d.text for d in docs} | config_texts

    recorder = _Recorder(None)
    if not options.dry_run:
        location = resolve_location(ws.root, settings.database, options.db)
        summary.db = str(location)
        try:
            store = open_store(location, settings.database_timeout)
        except StoreError as exc:
            recorder = _Recorder(None, exc)
        else:
            recorder = _Recorder(store)
            recorder("reap_interrupted")
            recorder(
                "begin_execution",
                {
                    "id": summary.id,
                    "status": "running",
                    "trigger_name": options.trigger,
                    "system_name": options.system,
                    "object_type": options.object,
                    "step_name": options.step,
                    "dry_run": 0,
                    "started_at": summary.started_at,
                    "workspace": str(ws.root),
                    "tool_version": __version__,
                    "config_hash": settings.fingerprint(),
                    "config_json": settings.model_dump_json(),
                    "git_commit": _git_commit(ws.root),
                    "files_total": len(docs),
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                },
            )

    line_cache: dict[str, LineIndex] = {}

    def lines(path: str) -> LineIndex:
        if path not in line_cache:
            line_cache[path] = LineIndex(summary.texts.get(path, ""))
        return line_cache[path]

    validation = [s for s in step_names if s != UPDATE_REGISTRY]
    analyser = make_analyser(
        ws, settings, docs, [(n, FAMILIES[n]) for n in validation], jobs=options.jobs, trigger=options.trigger
    )
    is_cancelled = cancelled or (lambda: False)
    total = len(step_names)
    was_cancelled = False
    first = True
    try:
        for index, name in enumerate(validation, start=1):
            result = StepResult(name)
            summary.steps.append(result)
            if was_cancelled or is_cancelled():
                was_cancelled = True
                result.detail = "run cancelled"
                continue
            result.status, result.started_at = "running", now()
            s0 = time.perf_counter()
            audit: list[tuple[str, dict[str, Any]]] = []
            applies: dict[FileKind, bool] = {}
            try:
                fams = FAMILIES[name]
                # Reading and configuration problems belong to the first step that runs
                # (validate-schema in a full run): a --step run must not pass over them.
                if first:
                    result.diagnostics.extend(unreadable)
                    result.diagnostics.extend(config_diags)
                first = False
                if progress:
                    progress(name, index, total, 0, len(docs))
                done = 0
                for path, kind, diags, crashes in analyser.step(name, fams):
                    done += 1
                    if kind not in applies:
                        applies[kind] = any(c.startswith(fams) for chk in checks_for(kind) for c in chk.codes)
                    if applies[kind]:
                        result.files_checked += 1
                    result.diagnostics.extend(diags)
                    for check_name, _codes, tb in crashes:
                        result.tracebacks.append(tb)
                        audit.append(
                            (
                                "validate",
                                {
                                    "event": "crash",
                                    "step": name,
                                    "file": path,
                                    "check": check_name,
                                    "traceback": tb,
                                },
                            )
                        )
                    if progress:
                        progress(name, index, total, done, len(docs))
                    if is_cancelled():
                        was_cancelled = True
                        break
                result.diagnostics.sort(key=Diagnostic.sort_key)
            except Exception as exc:  # the step itself broke (not one check): record and go on
                tb = traceback.format_exc()
                result.tracebacks.append(tb)
                result.detail = f"step crashed: {type(exc).__name__}: {exc}"
                audit.append(("validate", {"event": "crash", "step": name, "traceback": tb}))
            result.duration_ms = (time.perf_counter() - s0) * 1000
            result.finished_at = now()
            c = result.counts()
            if was_cancelled:
                result.status = "cancelled"
                audit.append(("cancel", {"step": name, "reason": "cancelled by the caller"}))
            elif result.tracebacks:
                result.status = "error"
                if result.detail is None:
                    result.detail = f"{len(result.tracebacks)} check(s) crashed; tracebacks in the audit log"
            else:
                result.status = "failed" if c["errors"] else "passed"
            audit.append(
                (
                    "validate",
                    {
                        "event": "finished",
                        "step": name,
                        "status": result.status,
                        "files": result.files_checked,
                        **c,
                    },
                )
            )
            recorder(
                "record_step",
                summary.id,
                index,
                _step_row(result),
                _row_diagnostics(name, result.diagnostics, lines) if recorder.active else [],
                audit,
            )

        summary.gates = [] if was_cancelled else evaluate_gates(summary, settings, validation)
        gates_ok = bool(summary.gates) and all(g.passed for g in summary.gates)
        final_audit: list[tuple[str, dict[str, Any]]] = []
        if UPDATE_REGISTRY in step_names:
            upd = StepResult(UPDATE_REGISTRY)
            summary.steps.append(upd)
            unrecorded = not options.dry_run and recorder.error is not None
            _update_registry(analyser, summary, upd, gates_ok, was_cancelled, unrecorded, final_audit)
            recorder("record_step", summary.id, len(step_names), _step_row(upd), [], [])
    finally:
        analyser.close()

    crashed = any(s.status == "error" for s in summary.steps)
    if was_cancelled:
        summary.status = "cancelled"
    elif crashed:
        summary.status = "error"
    else:
        summary.status = "passed" if gates_ok else "failed"
    summary.finished_at = now()
    summary.duration_ms = (time.perf_counter() - t0) * 1000
    totals = Counter(d.severity for d in summary.diagnostics())
    final_audit.append(("execute", {"event": "finished", "status": summary.status}))
    recorder(
        "finish_execution",
        summary.id,
        {
            "status": summary.status,
            "finished_at": summary.finished_at,
            "duration_ms": summary.duration_ms,
            "errors": totals[Severity.ERROR],
            "warnings": totals[Severity.WARNING],
            "infos": totals[Severity.INFO],
        },
        [(g.gate, g.passed, g.detail) for g in summary.gates],
        final_audit,
    )
    summary.store_error = recorder.error
    recorder.close()
    return summary


def _step_row(r: StepResult) -> dict[str, Any]:
    return {
        "name": r.name,
        "status": r.status,
        "started_at": r.started_at,
        "finished_at": r.finished_at,
        "duration_ms": r.duration_ms,
        "files_checked": r.files_checked,
        **r.counts(),
        "detail": r.detail,
    }


def evaluate_gates(summary: RunSummary, settings: Any, ran: list[str]) -> list[GateResult]:
    """The quality gates of pipeline.md §2 over the validation steps of this run."""
    g = settings.gates
    diags = [d for s in summary.steps if s.name in FAMILIES for d in s.diagnostics]
    errors = sum(1 for d in diags if d.severity is Severity.ERROR)
    warnings = sum(1 for d in diags if d.severity is Severity.WARNING)
    out = [
        GateResult(
            "max-errors",
            errors <= g.max_errors,
            f"{errors} error{'s' if errors != 1 else ''} (at most {g.max_errors} allowed)",
        ),
        GateResult(
            "max-warnings",
            g.max_warnings is None or warnings <= g.max_warnings,
            f"{warnings} warning{'s' if warnings != 1 else ''} "
            + ("(no limit)" if g.max_warnings is None else f"(at most {g.max_warnings} allowed)"),
        ),
    ]
    by_name = {s.name: s for s in summary.steps}
    if g.coverage and "validate-registry" in ran:
        out.append(_coverage_gate(by_name["validate-registry"], settings))
    required = [s for s in g.required_steps if s in ran]
    bad = [f"{s} {by_name[s].status}" for s in required if by_name[s].status not in ("passed", "failed")]
    out.append(
        GateResult(
            "required-steps",
            not bad,
            f"did not complete: {', '.join(bad)}"
            if bad
            else f"{len(required)} required step{'s' if len(required) != 1 else ''} ran without crashing",
        )
    )
    return out


def _coverage_gate(reg: StepResult, settings: Any) -> GateResult:
    """Coverage is what SVX409 finds; it cannot pass when that rule did not look."""
    waive = "set gates.coverage = false to waive this gate"
    if settings.severity_of(COVERAGE_CODE, Severity.WARNING) is Severity.OFF:
        return GateResult("coverage", False, f"{COVERAGE_CODE} is switched off in the config; {waive}")
    if reg.status == "error":
        return GateResult("coverage", False, "validate-registry crashed: coverage unknown")
    gaps = [d for d in reg.diagnostics if d.code == COVERAGE_CODE]
    if gaps:
        shown = "; ".join(d.message for d in gaps[:3]) + ("; …" if len(gaps) > 3 else "")
        return GateResult("coverage", False, f"{len(gaps)} gap(s) ({COVERAGE_CODE}): {shown}")
    return GateResult("coverage", True, "every object type in scope has a symbol and a behavior profile")


def _update_registry(
    analyser: Analyser,
    summary: RunSummary,
    upd: StepResult,
    gates_ok: bool,
    cancelled: bool,
    unrecorded: bool,
    audit: list[tuple[str, dict[str, Any]]],
) -> None:
    opts = summary.options
    if cancelled:
        upd.detail = "run cancelled"
        return
    if not gates_ok:
        upd.detail = "gates failed: the registry is left as it was"
        audit.append(("rollback", {"reason": "gates failed", "registry": "unchanged"}))
        return
    if unrecorded:  # every change is audited: without a record, nothing is changed
        upd.detail = "the run could not be recorded: the registry is left as it was"
        return
    if opts.system is not None or opts.object is not None:
        upd.detail = "scoped run: the registry covers the whole library (run without --system/--object)"
        return
    upd.started_at = now()
    s0 = time.perf_counter()
    try:
        changes, written = analyser.registry_update(write=not opts.dry_run)
        summary.registry_changes = changes
        if opts.dry_run:
            upd.detail = f"dry run: {len(changes)} change(s) not written"
        elif written is not None:
            upd.detail = f"{len(changes)} change(s) written to {written}"
            audit.append(("update-registry", {"path": written, "changes": changes}))
        else:
            upd.detail = "registry already up to date"
            audit.append(("update-registry", {"changes": []}))
        upd.status = "passed" if not opts.dry_run else "skipped"
    except Exception as exc:  # the write is atomic: a failure leaves the old registry in place
        tb = traceback.format_exc()
        upd.status = "error"
        upd.tracebacks.append(tb)
        upd.detail = f"step crashed: {type(exc).__name__}: {exc}"
        audit.append(("rollback", {"reason": upd.detail, "registry": "unchanged", "traceback": tb}))
    upd.duration_ms = (time.perf_counter() - s0) * 1000
    upd.finished_at = now()


# ---------------------------------------------------------------------- reading the record


class RunNotFound(LookupError):
    pass


def _open_for(ws: Workspace, db: str | Path | None) -> SqlStore:
    """The record for reading. Where none was written yet, an empty one in memory: reading
    never creates a database file."""
    location = resolve_location(ws.root, ws.settings.database, db)
    if isinstance(location, Path) and not location.exists():
        return open_store(":memory:")
    store = open_store(location, ws.settings.database_timeout)
    store.reap_interrupted()
    return store


def history(
    ws: Workspace,
    limit: int = 20,
    db: str | Path | None = None,
    *,
    system: str | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """Recent runs, newest first (``running`` rows whose process died become interrupted)."""
    store = _open_for(ws, db)
    try:
        return store.executions(limit=limit, system=system, status=status)
    finally:
        store.close()


def status(ws: Workspace, run_id: str | None = None, db: str | Path | None = None) -> dict[str, Any]:
    """One run with its steps, gates and audit log; the latest when ``run_id`` is None.
    Raises :class:`RunNotFound` when there is no such run (or no run at all)."""
    store = _open_for(ws, db)
    try:
        run = store.execution(run_id)
    finally:
        store.close()
    if run is None:
        raise RunNotFound("no run recorded yet" if run_id in (None, "latest") else f"no run {run_id!r}")
    return run


def diagnostics(
    ws: Workspace, run_id: str, db: str | Path | None = None, **filters: str | None
) -> list[dict[str, Any]]:
    store = _open_for(ws, db)
    try:
        run = store.execution(run_id)
        if run is None:
            raise RunNotFound(f"no run {run_id!r}")
        return store.diagnostics(run["id"], **filters)
    finally:
        store.close()


def stats(ws: Workspace, db: str | Path | None = None, system: str | None = None) -> dict[str, Any]:
    store = _open_for(ws, db)
    try:
        return store.stats(system=system)
    finally:
        store.close()
