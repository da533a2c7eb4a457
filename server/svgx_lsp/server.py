"""The server object: the state the feature modules share, and their registration.

Each module under ``features/`` registers its own handlers with ``register(server)``;
this module holds no handler.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from svgx_pipeline import __version__
from svgx_pipeline.text import Encoding

from . import convert
from .analysis import Analyzer, Result
from .documents import DocumentStore
from .protocol import SvgxProtocol
from .settings import EditorSettings
from .workspaces import WorkspaceEntry, Workspaces

log = logging.getLogger(__name__)


class SvgxServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "svgx",
            __version__,
            protocol_cls=SvgxProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.documents = DocumentStore()
        self.workspaces = Workspaces()
        self.encoding: Encoding = "utf-16"
        self.pull = False  # the client pulls diagnostics (textDocument/diagnostic)
        self.refresh_support = False  # ... and accepts workspace/diagnostic/refresh
        self.editor = EditorSettings()
        self._analyzer: Analyzer | None = None
        # Published diagnostics of files that are not open (validateWorkspace, config).
        self.closed_published: set[str] = set()
        self.settings_ready: asyncio.Future[None] | None = None  # a settings refresh under way
        # Re-indexing after files changed on disk, under way: a pull waits for them, so it
        # never answers from the state before a change the client already told us about.
        self.disk_refreshes: set[asyncio.Future[None]] = set()

    # -- set-up -----------------------------------------------------------------------

    def setup(self, params: types.InitializeParams) -> None:
        folders = [Path(p) for f in params.workspace_folders or [] if (p := to_fs_path(f.uri))]
        if not folders and params.root_uri and (p := to_fs_path(params.root_uri)):
            folders = [Path(p)]
        elif not folders and params.root_path:
            folders = [Path(params.root_path)]
        self.workspaces = Workspaces(folders)
        caps = params.capabilities
        self.pull = caps.text_document is not None and caps.text_document.diagnostic is not None
        ws_caps = caps.workspace
        self.refresh_support = bool(ws_caps and ws_caps.diagnostics and ws_caps.diagnostics.refresh_support)

    def adjust_capabilities(self, capabilities: types.ServerCapabilities) -> None:
        """Called by the protocol once pygls has built the capabilities: announce only
        what this client will use."""
        if capabilities.position_encoding is not None:
            self.encoding = convert.encoding_of(capabilities.position_encoding)
        if not self.pull:
            capabilities.diagnostic_provider = None

    @property
    def analyzer(self) -> Analyzer:
        if self._analyzer is None:
            self._analyzer = Analyzer(
                asyncio.get_running_loop(),
                self.documents,
                self.workspaces,
                self.encoding,
                self.publish,
                self.dependents_changed,
                self.trace_message,
            )
        return self._analyzer

    # -- results ----------------------------------------------------------------------

    def publish(self, result: Result) -> None:
        if self.pull:
            return  # the client asks for them (textDocument/diagnostic)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=result.uri, diagnostics=result.diagnostics, version=result.version)
        )

    def publish_closed(self, uri: str, diagnostics: list[types.Diagnostic]) -> None:
        """Diagnostics of a file that is not open (push mode only)."""
        if self.pull:
            return
        if diagnostics:
            self.closed_published.add(uri)
        elif uri not in self.closed_published:
            return
        else:
            self.closed_published.discard(uri)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))

    def dependents_changed(self, entry: WorkspaceEntry, rels: set[str]) -> None:
        """Files others depend on changed: re-validate the open ones that may be affected."""
        touched = False
        for doc in self.documents:
            if doc.path is not None and entry.ws.relpath(doc.path) in rels:
                self.analyzer.touch(doc.uri)
                touched = True
        if touched and self.pull and self.refresh_support:
            self.workspace_diagnostic_refresh(None)

    def trace_message(self, message: str) -> None:
        if self.editor.trace != "off":
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Log, message=message))

    def report_server_error(self, error: Exception, source: object) -> None:
        # Log it where the user sees it, without a modal message for every hiccup.
        log.error("server error (%s): %s", getattr(source, "__name__", source), error)
        try:
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=f"svgx: {error}"))
        except Exception:  # the transport may be gone
            pass


def build_server() -> SvgxServer:
    from .features import register_all

    server = SvgxServer()
    register_all(server)
    return server
