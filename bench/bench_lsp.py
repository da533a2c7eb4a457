"""Benchmark of the language server (issue 6). Not a test: run it by hand; the figures go
to docs/server.md.

1. Keystroke to diagnostics: a client opens a ~100 KB drawing and applies 200
   single-character edits, each as soon as the diagnostics of the previous one arrived;
   the time from each didChange to the publishDiagnostics of that version (median, p95),
   as a ratio to `engine.check` of the same text in-process, measured in this run.
2. Coalescing: the same 200 edits sent as fast as the client can write them; how many
   analyses the server ran (its trace: kept and dropped results) for 200 edits, and the
   time from the last edit to the diagnostics of the last version.
3. Start-up: process start to the `initialize` result, as a ratio to a bare pygls server
   started the same way.
4. Memory: the server's RSS with 1,000 documents open, against its RSS after start-up.

    python bench/bench_lsp.py [--edits 200] [--docs 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from svgx_pipeline.documents import Document, FileKind
from svgx_pipeline.engine import check
from svgx_pipeline.workspace import Workspace

SERVER = [sys.executable, "-m", "svgx_lsp.main"]
BARE_SERVER = [
    sys.executable,
    "-c",
    "from pygls.lsp.server import LanguageServer; LanguageServer('bare', '0').start_io()",
]


def drawing(target_bytes: int) -> str:
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:arx="http://arxos.io/svgx" viewBox="0 0 10000 1000">\n'
        "  <title>Bench floor — Büro 1</title>\n"
        "  <!-- edits go here: -->\n"
    )
    parts = [head]
    i = 0
    size = len(head)
    while size < target_bytes:
        # A few findings, as a drawing being edited has: one event handler in 25 groups.
        handler = ' onclick="x()"' if i % 25 == 0 else ""
        block = (
            f'  <g id="g{i}">\n'
            f'    <rect x="{i % 9000}" y="{i % 900}" width="20" height="10"{handler}/>\n'
            f'    <arx:object id="lf{i}" type="electrical.lighting_fixture" system="electrical">\n'
            f'      <arx:geometry x="{i % 9000}" y="{i % 900}" width="20" height="10"/>\n'
            "    </arx:object>\n"
            "  </g>\n"
        )
        parts.append(block)
        size += len(block)
        i += 1
    parts.append("</svg>\n")
    return "".join(parts)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Client:
    def __init__(self, trace: bool = False) -> None:
        self.lc = LanguageClient("svgx-bench", "1")
        self.published: dict[str, list[tuple[int | None, float]]] = {}
        self.logs: list[str] = []
        self.waiters: list[tuple[str, int | None, asyncio.Future[float]]] = []
        self.trace = trace

        @self.lc.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            now = time.perf_counter()
            self.published.setdefault(params.uri, []).append((params.version, now))
            for w in list(self.waiters):
                uri, version, fut = w
                if uri == params.uri and (version is None or params.version == version) and not fut.done():
                    fut.set_result(now)
                    self.waiters.remove(w)

        @self.lc.feature(types.WINDOW_LOG_MESSAGE)
        def logged(params: types.LogMessageParams) -> None:
            self.logs.append(params.message)

        @self.lc.feature(types.WORKSPACE_CONFIGURATION)
        def configuration(params: types.ConfigurationParams) -> list[Any]:
            return [{"trace": "verbose" if self.trace else "off"} for _ in params.items]

    def wait(self, uri: str, version: int | None) -> asyncio.Future[float]:
        fut: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        for v, t in self.published.get(uri, []):
            if version is None or v == version:
                fut.set_result(t)
                return fut
        self.waiters.append((uri, version, fut))
        return fut

    async def start(self, root: Path, command: list[str] = SERVER) -> float:
        t0 = time.perf_counter()
        await self.lc.start_io(*command)
        await self.lc.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(
                    workspace=types.WorkspaceClientCapabilities(configuration=True),
                    text_document=types.TextDocumentClientCapabilities(
                        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True)
                    ),
                ),
                root_uri=root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="bench")],
            )
        )
        elapsed = time.perf_counter() - t0
        self.lc.initialized(types.InitializedParams())
        return elapsed

    def open(self, uri: str, text: str) -> None:
        self.lc.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uri, language_id="svgx", version=1, text=text)
            )
        )

    def insert(self, uri: str, version: int, line: int, col: int, text: str) -> float:
        pos = types.Position(line=line, character=col)
        t = time.perf_counter()
        self.lc.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=types.Range(start=pos, end=pos), text=text)
                ],
            )
        )
        return t

    async def stop(self) -> None:
        await self.lc.shutdown_async(None)
        self.lc.exit(None)
        await self.lc.stop()

    def pid(self) -> int:
        assert self.lc._server is not None
        return self.lc._server.pid


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class InProcess:
    """`engine.check` of the same texts in this process: the baseline."""

    def __init__(self, root: Path, rel: str) -> None:
        self.ws = Workspace(root)
        self.rel = rel

    def time(self, text: str) -> tuple[float, float, int]:
        """Seconds of `check` alone, of the editor's share (overlay + check), and the count
        of diagnostics."""
        doc = Document(self.rel, text, FileKind.SVGX)
        t0 = time.perf_counter()
        diags = check(doc, self.ws)
        t1 = time.perf_counter()
        self.ws.set_overlay(self.ws.root / self.rel, text)
        check(doc, self.ws)
        t2 = time.perf_counter()
        return t1 - t0, t2 - t1, len(diags)


async def keystrokes(root: Path, text: str, edits: int) -> dict[str, float]:
    rel = "drawings/bench.svgx"
    uri = (root / rel).as_uri()
    line = text.split("\n").index("  <!-- edits go here: -->")
    col = len("  <!-- edits go here: ")
    c = Client()
    await c.start(root)
    c.open(uri, text)
    await c.wait(uri, 1)
    baseline = InProcess(root, rel)
    baseline.time(text)  # warm, as the server is (imports, rule registry)
    latencies: list[float] = []
    checks: list[float] = []
    overlaid: list[float] = []
    for i in range(edits):
        version = i + 2
        fut = c.wait(uri, version)
        sent = c.insert(uri, version, line, col + i, "x")
        latencies.append(await fut - sent)
        # The baseline for this version, measured now: the same text, the same machine load.
        text = (
            text[: text.index("<!-- edits go here: ") + len("<!-- edits go here: ")]
            + "x"
            + text[text.index("<!-- edits go here: ") + len("<!-- edits go here: ") :]
        )
        alone, with_overlay, count = baseline.time(text)
        checks.append(alone)
        overlaid.append(with_overlay)
    await c.stop()
    base = statistics.median(checks)
    return {
        "diagnostics": count,
        "check_ms": base * 1000,
        "overlay_check_ms": statistics.median(overlaid) * 1000,
        "overlay_ratio": statistics.median(latencies) / statistics.median(overlaid),
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": pct(latencies, 0.95) * 1000,
        "median_ratio": statistics.median(latencies) / base,
        "p95_ratio": pct(latencies, 0.95) / base,
    }


async def burst(root: Path, text: str, edits: int) -> dict[str, float]:
    rel = "drawings/bench.svgx"
    uri = (root / rel).as_uri()
    line = text.split("\n").index("  <!-- edits go here: -->")
    col = len("  <!-- edits go here: ")
    c = Client(trace=True)
    await c.start(root)
    c.open(uri, text)
    await c.wait(uri, 1)
    c.logs.clear()
    published_before = len(c.published[uri])
    last = 0.0
    for i in range(edits):
        last = c.insert(uri, i + 2, line, col + i, "x")
    done = await c.wait(uri, edits + 1)
    # The trace is sent before each publication: what arrived so far is complete.
    kept = sum(1 for m in c.logs if m.startswith("analysed "))
    dropped = sum(1 for m in c.logs if m.startswith("dropped "))
    versions = [v for v, _ in c.published[uri][published_before:]]
    await c.stop()
    assert versions == sorted(versions), f"an older version was published after a newer one: {versions}"
    return {
        "edits": edits,
        "analyses": kept + dropped,
        "published": len(versions),
        "dropped": dropped,
        "last_edit_to_diagnostics_ms": (done - last) * 1000,
    }


async def startup(root: Path, repeat: int) -> dict[str, float]:
    ours, bare = [], []
    for _ in range(repeat):
        for command, out in ((SERVER, ours), (BARE_SERVER, bare)):
            c = Client()
            out.append(await c.start(root, command))
            await c.stop()
    return {
        "svgx_ms": statistics.median(ours) * 1000,
        "bare_pygls_ms": statistics.median(bare) * 1000,
        "ratio": statistics.median(ours) / statistics.median(bare),
    }


async def memory(root: Path, docs: int) -> dict[str, float]:
    c = Client()
    await c.start(root)
    small = drawing(2000)
    # One round trip so the server is fully started before the baseline is read.
    probe = (root / "drawings/probe.svgx").as_uri()
    c.open(probe, small)
    await c.wait(probe, 1)
    base = rss_kib(c.pid())
    futures = []
    for i in range(docs):
        uri = (root / f"drawings/d{i:04}.svgx").as_uri()
        futures.append(c.wait(uri, 1))
        c.open(uri, small.replace("Bench floor", f"Bench floor {i}"))
    await asyncio.gather(*futures)
    after = rss_kib(c.pid())
    await c.stop()
    return {
        "docs": docs,
        "doc_bytes": len(small),
        "rss_start_mib": base / 1024,
        "rss_open_mib": after / 1024,
        "per_doc_kib": (after - base) / docs,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "svgx.toml").write_text("")
        (root / "drawings").mkdir()
        text = drawing(100 * 1024)
        # On disk too, so that the in-process baseline sees the workspace the server sees
        # (its index holds the drawing) and `svgx check` would report the same.
        (root / "drawings" / "bench.svgx").write_text(text, encoding="utf-8")
        print(f"drawing: {len(text.encode()):,} bytes")
        k = await keystrokes(root, text, args.edits)
        print(
            f"keystroke -> diagnostics ({args.edits} edits, each after the previous one's diagnostics): "
            f"median {k['median_ms']:.1f} ms ({k['median_ratio']:.2f}x check), "
            f"p95 {k['p95_ms']:.1f} ms ({k['p95_ratio']:.2f}x); "
            f"in-process check {k['check_ms']:.1f} ms (median, interleaved; {k['diagnostics']} diagnostics)"
        )
        print(
            f"  against the editor's share in-process (set_overlay + check, {k['overlay_check_ms']:.1f} ms): "
            f"median {k['overlay_ratio']:.2f}x"
        )
        b = await burst(root, text, args.edits)
        print(
            f"burst of {b['edits']} edits: {b['analyses']} analyses ({b['published']} published, "
            f"{b['dropped']} dropped as superseded); "
            f"last edit -> its diagnostics {b['last_edit_to_diagnostics_ms']:.1f} ms"
        )
        s = await startup(root, args.repeat)
        print(
            f"start -> initialize result: {s['svgx_ms']:.0f} ms (bare pygls server {s['bare_pygls_ms']:.0f} ms, "
            f"{s['ratio']:.2f}x)"
        )
        m = await memory(root, args.docs)
        print(
            f"RSS: {m['rss_start_mib']:.1f} MiB after start, {m['rss_open_mib']:.1f} MiB with {m['docs']} documents "
            f"of {m['doc_bytes']:,} bytes open ({m['per_doc_kib']:.1f} KiB per document)"
        )


if __name__ == "__main__":
    asyncio.run(main())
