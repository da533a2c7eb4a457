"""Where the pipeline's steps run: in this process, or over worker processes.

Either way each file is parsed once per run: its check context (parsed trees included)
lives for the whole run, in the process that analyses it. A worker keeps one shard of the
files for the whole run; every step's chunks are queued to it up front, in step order.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from .config import Settings
from .diagnostics import Diagnostic
from .documents import Document, FileKind
from .engine import CheckContext, check
from .workspace import Workspace

# Files analysed per step: (path, kind, diagnostics, crashes of checks as (name, codes, traceback)).
FileOutcome = tuple[str, FileKind, list[Diagnostic], list[tuple[str, tuple[str, ...], str]]]
PARALLEL_THRESHOLD = 64  # below this many files, worker processes cost more than they save
CHUNK = 32  # files per task sent to a worker: the grain of progress and cancellation


def _registry_update(ws: Workspace, write: bool) -> tuple[list[str], str | None]:
    """What update-registry would change and, when ``write``, the registry path written
    (``None`` when nothing changed)."""
    from . import registry  # the workspace model's module

    data = registry.build_registry(ws)
    if not data["symbols"] and not registry.registry_path(ws).exists():
        return [], None  # no symbols and no registry: nothing to index, no file to create
    changes = list(registry.registry_diff(ws))
    if not write or not changes:
        return changes, None
    path = registry.write_registry(ws, data)
    return changes, ws.relpath(path)


class _InProcess:
    """Runs the steps here; each file's context (its parsed trees) lives for the whole run."""

    def __init__(self, ws: Workspace, settings: Settings, docs: list[Document]) -> None:
        self.ws, self.settings, self.docs = ws, settings, docs
        self.contexts: dict[str, CheckContext] = {}

    def step(self, name: str, fams: tuple[str, ...]) -> Iterator[FileOutcome]:
        for n, doc in enumerate(self.docs, start=1):
            ctx = self.contexts.get(doc.path)
            if ctx is None:
                ctx = self.contexts[doc.path] = CheckContext(doc, self.settings, self.ws)
            before = len(ctx.crashes)
            diags = check(doc, self.ws, self.settings, families=fams, context=ctx)
            yield doc.path, doc.kind, diags, ctx.crashes[before:]
            if n == 1:
                _pause_for_tests(name)

    def registry_update(self, write: bool) -> tuple[list[str], str | None]:
        return _registry_update(self.ws, write)

    def close(self) -> None:
        self.contexts.clear()


_WORKER: dict[str, Any] = {}


def _worker_init(root: str, settings_json: str) -> None:
    _WORKER["ws"] = Workspace(Path(root))
    _WORKER["settings"] = Settings.model_validate_json(settings_json)
    _WORKER["contexts"] = {}


def _worker_step(fams: tuple[str, ...], payload: list[Document | str]) -> list[FileOutcome]:
    """In a worker: one chunk of one step. A document comes once, with the first step; later
    steps name it by path and reuse its context (so it is parsed once per run here too)."""
    ws, settings, contexts = _WORKER["ws"], _WORKER["settings"], _WORKER["contexts"]
    out: list[FileOutcome] = []
    for item in payload:
        if isinstance(item, Document):
            ctx = contexts[item.path] = CheckContext(item, settings, ws)
        else:
            ctx = contexts[item]
        before = len(ctx.crashes)
        diags = check(ctx.document, ws, settings, families=fams, context=ctx)
        out.append((ctx.document.path, ctx.document.kind, diags, ctx.crashes[before:]))
    return out


def _worker_registry(write: bool) -> tuple[list[str], str | None]:
    return _registry_update(_WORKER["ws"], write)


class _Workers:
    """Runs the steps over shards of the files in worker processes, one shard per worker
    for the whole run, so that each worker keeps the contexts of its files across steps.

    Every step's chunks are queued at the start, in step order, to each worker: a worker
    that finishes its share of a step goes on with the next one instead of waiting for the
    slowest shard. A step is finished (and recorded) when all of its chunks are in."""

    def __init__(
        self,
        ws: Workspace,
        settings: Settings,
        docs: list[Document],
        jobs: int,
        steps: list[tuple[str, tuple[str, ...]]],
    ) -> None:
        args = (str(ws.root), settings.model_dump_json())
        self.executors = [
            ProcessPoolExecutor(max_workers=1, initializer=_worker_init, initargs=args) for _ in range(jobs)
        ]
        shards = [docs[i::jobs] for i in range(jobs)]
        self.futures: dict[str, list[Future[list[FileOutcome]]]] = {name: [] for name, _ in steps}
        for executor, shard in zip(self.executors, shards, strict=True):
            for n, (name, fams) in enumerate(steps):
                for i in range(0, len(shard), CHUNK):
                    part = shard[i : i + CHUNK]
                    # A document travels once, with the first step; later steps name it.
                    payload: list[Document | str] = list(part) if n == 0 else [d.path for d in part]
                    self.futures[name].append(executor.submit(_worker_step, fams, payload))

    def step(self, name: str, fams: tuple[str, ...]) -> Iterator[FileOutcome]:
        completed = False
        try:
            for fut in as_completed(self.futures[name]):
                yield from fut.result()
            completed = True
        finally:
            if not completed:  # cancelled or broken: nothing queued after this may run
                for futures in self.futures.values():
                    for fut in futures:
                        fut.cancel()

    def registry_update(self, write: bool) -> tuple[list[str], str | None]:
        # In the first worker, whose workspace index is already built by the steps.
        return self.executors[0].submit(_worker_registry, write).result()

    def close(self) -> None:
        for executor in self.executors:
            executor.shutdown(wait=True, cancel_futures=True)


def make_analyser(
    ws: Workspace,
    settings: Settings,
    docs: list[Document],
    steps: list[tuple[str, tuple[str, ...]]],
    *,
    jobs: int = 0,
    trigger: str = "cli",
) -> Analyser:
    """Where the steps run: worker processes for a large run from the command line (``jobs``
    0: automatic), else this process."""
    if jobs == 0:
        auto = trigger == "cli" and len(docs) >= PARALLEL_THRESHOLD
        jobs = len(os.sched_getaffinity(0)) if auto and hasattr(os, "sched_getaffinity") else 1
    jobs = min(jobs, len(docs))
    if jobs <= 1:
        return _InProcess(ws, settings, docs)
    return _Workers(ws, settings, docs, jobs, steps)


def _pause_for_tests(step: str) -> None:
    """Tests only: ``SVGX_PIPELINE_TEST_PAUSE=<step>:<fifo>`` makes the run announce on the
    fifo that it is inside that step (one file done, nothing of the step committed) and
    then wait to be killed. Unset, it costs one dict lookup."""
    spec = os.environ.get("SVGX_PIPELINE_TEST_PAUSE")
    if not spec:
        return
    name, _, fifo = spec.partition(":")
    if name != step:
        return
    with open(fifo, "w", encoding="utf-8") as f:
        f.write(f"inside {step}\n")
    while True:
        signal.pause()


Analyser = _InProcess | _Workers
