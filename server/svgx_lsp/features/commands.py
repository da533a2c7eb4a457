"""``workspace/executeCommand``: the pipeline from the editor, its record, and
validating the whole workspace."""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from svgx_pipeline import runner
from svgx_pipeline.workspace import Workspace

from ..server import SvgxServer  # noqa: TC001 (pygls reads the annotations at run time)
from ..workspaces import WorkspaceEntry

log = logging.getLogger(__name__)

EXECUTE = "svgx.pipeline.execute"
STATUS = "svgx.pipeline.status"
HISTORY = "svgx.pipeline.history"
VALIDATE = "svgx.validateWorkspace"

# Pipeline runs get their own thread: live diagnostics keep flowing while one runs.
_PIPELINE = ThreadPoolExecutor(1, thread_name_prefix="svgx-pipeline")


def _options(args: tuple[Any, ...]) -> dict[str, Any]:
    if not args or args[0] is None:
        return {}
    if not isinstance(args[0], dict):
        raise JsonRpcInvalidParams(f"expected an object of options, got {type(args[0]).__name__}")
    return args[0]


def _text_option(opts: dict[str, Any], *names: str) -> str | None:
    """An optional string option (the first of its spellings given); a wrong type is the
    client's error (invalid params), not an internal one."""
    for name in names:
        value = opts.get(name)
        if value is not None:
            if not isinstance(value, str):
                raise JsonRpcInvalidParams(f"option {name!r} must be a string, got {type(value).__name__}")
            return value
    return None


def _int_option(opts: dict[str, Any], name: str, default: int) -> int:
    value = opts.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise JsonRpcInvalidParams(f"option {name!r} must be a whole number of at least 1, got {value!r}")
    return value


def _entry(ls: SvgxServer) -> WorkspaceEntry:
    entry = ls.workspaces.primary()
    if entry is None:
        raise ValueError("no workspace folder is open")
    return entry


def register(server: SvgxServer) -> None:
    @server.command(EXECUTE)
    async def execute(ls: SvgxServer, *args: Any) -> dict[str, Any]:
        opts = _options(args)
        entry = _entry(ls)
        options = runner.RunOptions(
            system=_text_option(opts, "system"),
            object=_text_option(opts, "object"),
            dry_run=bool(opts.get("dryRun", opts.get("dry_run", False))),
            trigger="lsp",
        )
        loop = asyncio.get_running_loop()
        stop = threading.Event()
        _on_cancel(ls, stop)
        progress = await _Progress.start(ls, "SVGX pipeline" + (" (dry run)" if options.dry_run else ""), stop)

        def report(step: str, index: int, total: int, files_done: int, files_total: int) -> None:
            loop.call_soon_threadsafe(progress.report, step, index, total, files_done, files_total)

        # The run reads the files as saved: it is recorded, and the record must say what
        # is on disk, not what an editor buffer held.
        def run() -> Any:
            return runner.execute(Workspace.load(entry.root), options, report, stop.is_set)

        fut = loop.run_in_executor(_PIPELINE, run)
        try:
            summary = await asyncio.shield(fut)
        except asyncio.CancelledError:
            stop.set()  # $/cancelRequest: the runner stops between files and records "cancelled"
            try:
                await fut
            finally:
                progress.end("cancelled")
            raise
        data = summary.to_dict()
        status = str(data.get("status", ""))
        progress.end(status)
        unsaved = sum(1 for d in ls.documents if _unsaved(d))
        text = summary.format_text().strip()
        if unsaved:
            text += f"\n({unsaved} open file(s) have unsaved changes; the run used the saved files.)"
        kind = types.MessageType.Info if status in ("passed", "dry-run", "ok") else types.MessageType.Warning
        ls.window_show_message(types.ShowMessageParams(type=kind, message=text))
        return data

    @server.command(STATUS)
    async def status(ls: SvgxServer, *args: Any) -> dict[str, Any]:
        opts = _options(args)
        entry = _entry(ls)
        run_id = _text_option(opts, "runId", "run_id")
        return await asyncio.get_running_loop().run_in_executor(
            _PIPELINE, lambda: runner.status(Workspace.load(entry.root), run_id)
        )

    @server.command(HISTORY)
    async def history(ls: SvgxServer, *args: Any) -> list[dict[str, Any]]:
        opts = _options(args)
        entry = _entry(ls)
        limit = _int_option(opts, "limit", 20)
        return await asyncio.get_running_loop().run_in_executor(
            _PIPELINE, lambda: runner.history(Workspace.load(entry.root), limit)
        )

    @server.command(VALIDATE)
    async def validate(ls: SvgxServer, *args: Any) -> dict[str, Any]:
        from .diagnostics import validate_workspace

        results = await validate_workspace(ls)
        counts: Counter[str] = Counter()
        files_with_problems = 0
        for uri, _version, diags in results:
            if ls.documents.get(uri) is None:
                ls.publish_closed(uri, diags)
            if diags:
                files_with_problems += 1
            for d in diags:
                counts[_SEVERITY_NAME.get(d.severity, "hint")] += 1  # type: ignore[arg-type]
        if ls.pull and ls.refresh_support:
            ls.workspace_diagnostic_refresh(None)
        return {
            "files": len(results),
            "filesWithProblems": files_with_problems,
            "errors": counts["error"],
            "warnings": counts["warning"],
            "infos": counts["info"],
        }


_SEVERITY_NAME = {
    types.DiagnosticSeverity.Error: "error",
    types.DiagnosticSeverity.Warning: "warning",
    types.DiagnosticSeverity.Information: "info",
}


def _on_cancel(ls: SvgxServer, stop: threading.Event) -> None:
    """Set ``stop`` when the client cancels this request (``$/cancelRequest``).

    pygls runs a command inside its executeCommand handler, so a cancellation cancels the
    outer request's future (and answers it) while this coroutine goes on; the run must be
    told. The request id is in pygls's context for the handler (no public API for it)."""
    msg_id = ls.protocol.msg_id
    outer = ls.protocol._request_futures.get(msg_id) if msg_id is not None else None
    if outer is not None:
        outer.add_done_callback(lambda f: stop.set() if f.cancelled() else None)


def _unsaved(doc) -> bool:  # type: ignore[no-untyped-def]
    path = doc.path
    if path is None:
        return False
    try:
        return path.read_text("utf-8") != doc.text
    except (OSError, UnicodeDecodeError):
        return True


class _Progress:
    """Server-initiated work-done progress, one report per step (a no-op for clients
    without ``window.workDoneProgress``)."""

    def __init__(self, ls: SvgxServer, token: str | None) -> None:
        self.ls = ls
        self.token = token

    @classmethod
    async def start(cls, ls: SvgxServer, title: str, stop: threading.Event) -> _Progress:
        window = ls.client_capabilities.window
        if not (window and window.work_done_progress):
            return cls(ls, None)
        token = f"svgx-pipeline-{uuid.uuid4()}"
        try:
            await ls.work_done_progress.create_async(token)
        except Exception as exc:  # the client refused: run without a progress bar
            log.warning("window/workDoneProgress/create failed: %s", exc)
            return cls(ls, None)
        # window/workDoneProgress/cancel (the bar's cancel button) cancels this future.
        ls.work_done_progress.tokens[token].add_done_callback(lambda f: stop.set() if f.cancelled() else None)
        ls.work_done_progress.begin(token, types.WorkDoneProgressBegin(title=title, cancellable=True, percentage=0))
        return cls(ls, token)

    def report(self, step: str, index: int, total: int, files_done: int, files_total: int) -> None:
        if self.token is None:
            return
        # index counts steps from 1; a step is done in proportion to its files.
        done = (index - 1 + (files_done / files_total if files_total else 0)) / total if total else 0
        message = f"{step} ({index}/{total})" + (f": {files_done}/{files_total} files" if files_total else "")
        self.ls.work_done_progress.report(
            self.token,
            types.WorkDoneProgressReport(
                message=message, percentage=max(0, min(100, int(done * 100))), cancellable=True
            ),
        )

    def end(self, status: str) -> None:
        if self.token is None:
            return
        self.ls.work_done_progress.end(self.token, types.WorkDoneProgressEnd(message=status))
        self.ls.work_done_progress.tokens.pop(self.token, None)
