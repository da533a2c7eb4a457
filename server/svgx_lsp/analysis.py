"""Analysis off the message loop, coalesced per document.

Every change bumps the document's *revision*; so does a change to a file it depends on.
At most one analysis per document runs at a time, always on the newest text; when it
ends, its result is kept only if the document is still at the revision it analysed (else
it is dropped, never published, and the newest revision is analysed instead). Edits
that arrive while an analysis runs are therefore coalesced into one analysis of the
newest version, with no timer to wait for.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from svgx_pipeline import engine
from svgx_pipeline.diagnostics import Diagnostic, Severity, Span
from svgx_pipeline.documents import Document, FileKind
from svgx_pipeline.text import Encoding, LineIndex

from . import convert
from .documents import DocumentStore
from .workspaces import WorkspaceEntry, Workspaces

log = logging.getLogger(__name__)

# Edits closer together than this are analysed once. Small, so that a single keystroke
# is not kept waiting: the coalescing mostly comes from edits that arrive while an
# analysis runs (server.md §2: no fixed debounce longer than ~50 ms).
DEBOUNCE_SECONDS = 0.005
WORKERS = 2  # a huge document must not hold up the others


@dataclass(frozen=True)
class Result:
    uri: str
    version: int | None
    revision: int
    diagnostics: list[types.Diagnostic]
    seconds: float
    result_id: str


@dataclass
class _Slot:
    revision: int = 0
    running: bool = False
    queued: bool = False
    result: Result | None = None
    waiters: list[asyncio.Future[Result]] = field(default_factory=list)


@dataclass(frozen=True)
class _Job:
    uri: str
    path: Path
    text: str
    version: int | None
    language_id: str
    revision: int
    entry: WorkspaceEntry
    open_paths: tuple[str, ...]


class Analyzer:
    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        documents: DocumentStore,
        workspaces: Workspaces,
        encoding: Encoding,
        publish: Callable[[Result], None],
        on_affected: Callable[[WorkspaceEntry, set[str]], None],
        trace: Callable[[str], None] | None = None,
    ) -> None:
        self.loop = loop
        self.documents = documents
        self.workspaces = workspaces
        self.encoding = encoding
        self.publish = publish
        self.on_affected = on_affected
        self.trace = trace
        self.pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="svgx-analysis")
        self._slots: dict[str, _Slot] = {}
        self.analyses_run = 0  # counted for the benchmark (coalescing at work)
        self.results_dropped = 0
        self._ids = itertools.count(1)  # next() on a count is atomic: worker threads share it
        self._idle: list[asyncio.Future[None]] = []

    # -- scheduling (message-loop thread only) ------------------------------------

    def touch(self, uri: str, *, debounce: bool = False) -> None:
        """The document (or something it depends on) changed: analyse its newest text."""
        slot = self._slots.setdefault(uri, _Slot())
        slot.revision += 1
        if slot.running or slot.queued:
            return  # the running analysis will be followed by one of the newest text
        slot.queued = True
        if debounce:
            self.loop.call_later(DEBOUNCE_SECONDS, self._start, uri)
        else:
            self.loop.call_soon(self._start, uri)

    def forget(self, uri: str) -> None:
        slot = self._slots.pop(uri, None)
        if slot is not None:
            for w in slot.waiters:
                if not w.done():
                    w.cancel()

    async def settle(self, exclude: str | None = None) -> None:
        """Wait until the analyses under way for other documents are done, so that what a
        pull returns reflects every edit received before it (a profile edited just before
        the drawing that uses it is pulled, say)."""
        for _ in range(len(self._slots) + 8):
            if not any(s.running or s.queued for u, s in self._slots.items() if u != exclude):
                return
            idle: asyncio.Future[None] = self.loop.create_future()
            self._idle.append(idle)
            await idle

    async def current(self, uri: str) -> Result | None:
        """The result for the document's current revision, waiting for it if needed."""
        await self.settle(exclude=uri)
        slot = self._slots.get(uri)
        if slot is None:
            if self.documents.get(uri) is None:
                return None
            self.touch(uri)
            slot = self._slots[uri]
        if slot.result is not None and slot.result.revision == slot.revision:
            return slot.result
        if not (slot.running or slot.queued):
            slot.revision += 1
            slot.queued = True
            self.loop.call_soon(self._start, uri)
        fut: asyncio.Future[Result] = self.loop.create_future()
        slot.waiters.append(fut)
        try:
            return await fut
        finally:
            if fut in slot.waiters:
                slot.waiters.remove(fut)

    def _start(self, uri: str) -> None:
        slot = self._slots.get(uri)
        doc = self.documents.get(uri)
        if slot is None or doc is None:
            return
        slot.queued = False
        path = doc.path
        if path is None:
            return
        entry = self.workspaces.for_path(path)
        job = _Job(
            uri,
            path,
            doc.text,
            doc.version,
            doc.language_id,
            slot.revision,
            entry,
            tuple(self.open_paths(entry)),
        )
        slot.running = True
        fut = self.loop.run_in_executor(self.pool, self._run, job)
        fut.add_done_callback(lambda f: self._done(job, f, slot))

    def open_paths(self, entry: WorkspaceEntry) -> list[str]:
        out = []
        roots: dict[Path, Path] = {}  # the root of each folder, looked up once per call
        for d in self.documents:
            if d.path is None:
                continue
            folder = d.path.parent
            if folder not in roots:
                roots[folder] = self.workspaces.root_for(d.path)
            if roots[folder] == entry.root:
                out.append(entry.ws.relpath(d.path))
        return out

    def _done(self, job: _Job, fut: asyncio.Future[Result], started: _Slot) -> None:
        idle, self._idle = self._idle, []
        for waiter in idle:
            if not waiter.done():
                waiter.set_result(None)
        slot = self._slots.get(job.uri)
        self.analyses_run += 1
        if slot is not started:
            # Closed meanwhile, and maybe opened again: the new slot's revisions count
            # from scratch, so this result must not pass for one of the reopened text.
            self.results_dropped += 1
            if self.trace:
                self.trace(f"dropped {job.uri} v{job.version}: closed while analysed")
            return
        slot.running = False
        try:
            result = fut.result()
        except Exception as exc:  # never let one document's failure stop the others
            log.exception("analysis of %s failed", job.uri)
            result = self._failure(job, exc)
        if slot.revision != job.revision or self.documents.get(job.uri) is None:
            self.results_dropped += 1
            if self.trace:
                self.trace(f"dropped {job.uri} v{job.version}: superseded while analysed")
            if self.documents.get(job.uri) is not None and not slot.queued:
                slot.queued = True
                self.loop.call_soon(self._start, job.uri)
            return
        slot.result = result
        if self.trace:
            self.trace(f"analysed {job.uri} v{job.version} in {result.seconds * 1000:.1f} ms")
        for w in slot.waiters:
            if not w.done():
                w.set_result(result)
        slot.waiters.clear()
        self.publish(result)

    def _failure(self, job: _Job, exc: BaseException) -> Result:
        d = Diagnostic(
            "SVX903",
            f"internal error in the server while analysing this file: {type(exc).__name__}: {exc}; please report this",
            Span(0, 0),
            Severity.ERROR,
        )
        lines = LineIndex(job.text)
        lsp = [convert.to_lsp(d, lines, self.encoding, uri=job.uri, version=job.version)]
        return Result(job.uri, job.version, job.revision, lsp, 0.0, self._next_id())

    def _next_id(self) -> str:
        return f"{id(self):x}-{next(self._ids)}"

    # -- the analysis itself (worker threads) -------------------------------------

    def _run(self, job: _Job) -> Result:
        t0 = time.perf_counter()
        entry = job.entry
        doc = entry.document(job.path, job.text, job.version, job.language_id)
        affected: set[str] = set()
        if entry.needs_overlay(doc):
            with entry.lock.write():
                if doc.kind is FileKind.CONFIG and entry.is_config(job.path):
                    affected = entry.set_config_text(doc, job.open_paths)
                else:
                    affected = entry.set_overlay(doc, job.open_paths)
        if affected:
            self.loop.call_soon_threadsafe(self.on_affected, entry, affected)
        with entry.lock.read():
            diags = analyse(doc, entry)
        lines = LineIndex(job.text)
        indexes: dict[str, LineIndex | None] = {}  # other files' lines, read once per analysis
        lsp = [
            convert.to_lsp(
                d,
                lines,
                self.encoding,
                uri=job.uri,
                version=job.version,
                related_uri=lambda p, s: self.location(entry, p, s, indexes),
            )
            for d in diags
        ]
        return Result(job.uri, job.version, job.revision, lsp, time.perf_counter() - t0, self._next_id())

    def location(
        self,
        entry: WorkspaceEntry,
        rel: str,
        span: Span,
        indexes: dict[str, LineIndex | None] | None = None,
    ) -> types.Location | None:
        """A span in another file, converted with that file's current text. ``indexes``
        keeps each file's lines for one analysis, so many findings pointing at one profile
        or schema read it once."""
        path = entry.root / rel
        uri = path.as_uri()
        if indexes is not None and rel in indexes:
            lines = indexes[rel]
        else:
            doc = self.documents.get(uri)
            text = doc.text if doc is not None else None
            if text is None:
                try:
                    text = path.read_text("utf-8", "replace")
                except OSError:
                    text = None
            lines = LineIndex(text) if text is not None else None
            if indexes is not None:
                indexes[rel] = lines
        if lines is None:
            return None
        return types.Location(uri=uri, range=convert.to_range(lines, span, self.encoding))

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def analyse(doc: Document, entry: WorkspaceEntry) -> list[Diagnostic]:
    """Every diagnostic for one document, as the CLI would report it; the config file in
    force also carries the problems of the editor's settings (SVX902)."""
    if doc.kind is FileKind.OTHER:
        return []
    diags = engine.check(doc, entry.ws, entry.settings)
    if doc.kind is FileKind.CONFIG and entry.is_config(entry.root / doc.path):
        diags += [
            Diagnostic("SVX902", f"invalid editor setting {p}", Span(0, 0), Severity.ERROR, doc.path)
            for p in entry.editor_problems
            if entry.settings.severity_of("SVX902", Severity.ERROR, doc.path) is not Severity.OFF
        ]
    return diags


def analyse_file(entry: WorkspaceEntry, path: Path, encoding: Encoding) -> tuple[str, list[types.Diagnostic]]:
    """The LSP diagnostics of a file that is not open, read from disk (worker threads)."""
    uri = path.as_uri()
    try:
        doc = entry.ws.read(path)
    except OSError as exc:
        d = Diagnostic("SVX001", f"cannot read the file: {exc.strerror or exc}", Span(0, 0), Severity.ERROR)
        return uri, [convert.to_lsp(d, LineIndex(""), encoding, uri=uri, version=None)]
    doc = entry.document(path, doc.text, None, "") if doc.kind is FileKind.OTHER else doc
    with entry.lock.read():
        diags = analyse(doc, entry)
    lines = LineIndex(doc.text)
    return uri, [convert.to_lsp(d, lines, encoding, uri=uri, version=None) for d in diags]
