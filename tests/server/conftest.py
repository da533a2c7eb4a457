"""End-to-end fixtures: the real server over stdio, driven with the recorded client
capabilities of VS Code (push diagnostics, UTF-16) and Neovim (pull, UTF-8)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

PROFILES = ["visual-studio-code", "neovim"]
TIMEOUT = 30  # an upper bound for a reply, not a wait: every wait ends on a message

DRAWING = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:arx="http://arxos.io/svgx" viewBox="0 0 100 100">
  <title>Room</title>
  <rect x="0" y="0" width="10" height="10"/>
</svg>
"""


class Session:
    """A client plus what the tests need: every publishDiagnostics kept in order, and one
    way to get a document's diagnostics whether the client pushes or pulls."""

    def __init__(self, client: LanguageClient, root: Path, profile: str) -> None:
        self.client = client
        self.root = root
        self.profile = profile
        self.published: list[types.PublishDiagnosticsParams] = []
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.result: types.InitializeResult | None = None
        self.registrations: list[types.Registration] = []

    @property
    def pull(self) -> bool:
        assert self.result is not None
        return self.result.capabilities.diagnostic_provider is not None

    @property
    def encoding(self) -> str:
        assert self.result is not None
        enc = self.result.capabilities.position_encoding
        return str(enc.value if hasattr(enc, "value") else enc)

    def uri(self, rel: str) -> str:
        return (self.root / rel).as_uri()

    def open(self, rel: str, text: str | None = None, language_id: str = "svgx") -> str:
        uri = self.uri(rel)
        if text is None:
            text = (self.root / rel).read_text("utf-8")
        self.versions[uri] = 1
        self.texts[uri] = text
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)
            )
        )
        return uri

    def change(self, uri: str, start: tuple[int, int], end: tuple[int, int], text: str) -> int:
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            start=types.Position(line=start[0], character=start[1]),
                            end=types.Position(line=end[0], character=end[1]),
                        ),
                        text=text,
                    )
                ],
            )
        )
        return self.versions[uri]

    def replace_all(self, uri: str, text: str) -> int:
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return self.versions[uri]

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    async def wait_published(
        self, uri: str, pred: Callable[[types.PublishDiagnosticsParams], bool] = lambda p: True, *, after: int = 0
    ) -> types.PublishDiagnosticsParams:
        """The first publishDiagnostics for ``uri`` (from index ``after``) that ``pred`` accepts."""
        async with asyncio.timeout(TIMEOUT):
            while True:
                for p in self.published[after:]:
                    if p.uri == uri and pred(p):
                        return p
                await self.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    async def diagnostics(
        self, uri: str, pred: Callable[[list[types.Diagnostic]], bool] = lambda d: True
    ) -> list[types.Diagnostic]:
        """The diagnostics of the newest version of ``uri`` that ``pred`` accepts."""
        if self.pull:
            # A pull is answered for the newest text, after the edits sent before it.
            async with asyncio.timeout(TIMEOUT):
                report = await self.client.text_document_diagnostic_async(
                    types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
                )
            items = list(getattr(report, "items", []) or [])
            assert pred(items), f"pulled diagnostics do not match: {[(d.code, d.message) for d in items]}"
            return items
        version = self.versions.get(uri)
        p = await self.wait_published(
            uri, lambda p: (version is None or p.version == version) and pred(list(p.diagnostics))
        )
        return list(p.diagnostics)


def make_workspace(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def workspace_files() -> dict[str, str]:
    """Files of the test's workspace; a test overrides this fixture to change them."""
    return {"svgx.toml": "", "drawings/room.svgx": DRAWING}


@pytest.fixture
def editor_settings() -> dict[str, Any]:
    """The client's ``svgx`` settings section."""
    return {}


@pytest_lsp.fixture(
    params=PROFILES,
    config=ClientServerConfig(server_command=[sys.executable, "-m", "svgx_lsp.main", "--stdio"]),
)
async def session(
    lsp_client: LanguageClient,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    workspace_files: dict[str, str],
    editor_settings: dict[str, Any],
):  # type: ignore[no-untyped-def]
    root = make_workspace(tmp_path / "ws", workspace_files)
    s = Session(lsp_client, root, request.param)
    features = lsp_client.protocol.fm.features
    original = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def record(params: types.PublishDiagnosticsParams) -> None:
        s.published.append(params)
        original(params)

    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        s.registrations.extend(params.registrations)

    lsp_client.set_configuration({"svgx": editor_settings})
    s.result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")],
        )
    )
    request.node.svgx_session = s
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def s(session: LanguageClient, request: pytest.FixtureRequest) -> Session:
    return request.node.svgx_session  # type: ignore[no-any-return]


def _offset(text: str, pos: types.Position, encoding: str) -> int:
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: pos.line])
    line = lines[pos.line] if pos.line < len(lines) else ""
    units = 0
    for i, ch in enumerate(line):
        if units >= pos.character:
            return start + i
        units += len(ch.encode("utf-8")) if encoding == "utf-8" else len(ch.encode("utf-16-le")) // 2
    return start + len(line)


def apply_text_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    """What an editor does with the edits of a WorkspaceEdit (in the negotiated units)."""
    spans = [(_offset(text, e.range.start, encoding), _offset(text, e.range.end, encoding), e.new_text) for e in edits]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def edits_for(edit: types.WorkspaceEdit, uri: str) -> list[types.TextEdit]:
    out: list[types.TextEdit] = []
    if edit.changes:
        out += edit.changes.get(uri, [])
    for change in edit.document_changes or []:
        if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri:
            out += [e for e in change.edits if isinstance(e, types.TextEdit)]
    return out
