"""The protocol layer: position-encoding negotiation and the text-sync notifications.

pygls picks the client's first preferred encoding; server.md §2 asks for UTF-8 whenever
the client offers it, else UTF-16, so the offer is narrowed before pygls sees it. Text
sync goes to the server's own document store (see documents.py) instead of pygls's.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from lsprotocol import types
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method


def negotiate_encoding(capabilities: types.ClientCapabilities) -> types.PositionEncodingKind:
    offered = capabilities.general.position_encodings if capabilities.general else None
    if offered and types.PositionEncodingKind.Utf8 in offered:
        return types.PositionEncodingKind.Utf8
    return types.PositionEncodingKind.Utf16


class SvgxProtocol(LanguageServerProtocol):
    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, types.InitializeResult]:
        chosen = negotiate_encoding(params.capabilities)
        general = params.capabilities.general or types.GeneralClientCapabilities()
        general.position_encodings = [chosen]
        params.capabilities.general = general
        result: types.InitializeResult = yield from super().lsp_initialize(params)
        hook = getattr(self._server, "adjust_capabilities", None)
        if hook is not None:
            hook(result.capabilities)
        return result

    def _user(self, method: str, params: Any) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams) -> Generator[Any, Any, None]:
        yield from self._user(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Generator[Any, Any, None]:
        yield from self._user(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams) -> Generator[Any, Any, None]:
        yield from self._user(types.TEXT_DOCUMENT_DID_CLOSE, params)
