"""Text sync and diagnostics: push (publishDiagnostics) or pull (textDocument/diagnostic,
workspace/diagnostic), whichever the client supports."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from ..analysis import analyse_file
from ..server import SvgxServer  # noqa: TC001 (pygls reads the annotations at run time)
from ..workspaces import WorkspaceEntry

DIAGNOSTIC_OPTIONS = types.DiagnosticOptions(
    identifier="svgx", inter_file_dependencies=True, workspace_diagnostics=True
)


def register(server: SvgxServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SvgxServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.documents.open(params.text_document)
        ls.closed_published.discard(params.text_document.uri)
        ls.analyzer.touch(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SvgxServer, params: types.DidChangeTextDocumentParams) -> None:
        if ls.documents.change(params, ls.encoding) is not None:
            ls.analyzer.touch(params.text_document.uri, debounce=True)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: SvgxServer, params: types.DidSaveTextDocumentParams) -> None:
        if ls.documents.get(params.text_document.uri) is not None:
            ls.analyzer.touch(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: SvgxServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        doc = ls.documents.close(uri)
        ls.analyzer.forget(uri)
        if not ls.pull:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        if doc is None or doc.path is None:
            return
        entry = ls.workspaces.for_path(doc.path)
        path = doc.path
        d = entry.document(path, doc.text, doc.version, doc.language_id)
        open_paths = ls.analyzer.open_paths(entry)

        def clear() -> set[str]:
            with entry.lock.write():
                return entry.clear_overlay(d.path, d.kind, open_paths)

        affected = await asyncio.get_running_loop().run_in_executor(ls.analyzer.pool, clear)
        if affected:
            ls.dependents_changed(entry, affected)

    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, DIAGNOSTIC_OPTIONS)
    async def document_diagnostic(
        ls: SvgxServer, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport:
        uri = params.text_document.uri
        if ls.settings_ready is not None and not ls.settings_ready.done():
            await asyncio.shield(ls.settings_ready)
        pending = [f for f in ls.disk_refreshes if not f.done()]
        if pending:
            await asyncio.shield(asyncio.gather(*pending))
        result = await ls.analyzer.current(uri)
        if result is None:
            path = _path(uri)
            if path is None or not path.is_file():
                return types.RelatedFullDocumentDiagnosticReport(items=[])
            entry = ls.workspaces.for_path(path)
            _, items = await asyncio.get_running_loop().run_in_executor(
                ls.analyzer.pool, analyse_file, entry, path, ls.encoding
            )
            return types.RelatedFullDocumentDiagnosticReport(items=items)
        if params.previous_result_id == result.result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result.result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=result.diagnostics, result_id=result.result_id)

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    async def workspace_diagnostic(
        ls: SvgxServer, params: types.WorkspaceDiagnosticParams
    ) -> types.WorkspaceDiagnosticReport:
        items: list[types.WorkspaceDocumentDiagnosticReport] = []
        pending = [f for f in ls.disk_refreshes if not f.done()]
        if pending:
            await asyncio.shield(asyncio.gather(*pending))
        for uri, version, diags in await validate_workspace(ls):
            items.append(types.WorkspaceFullDocumentDiagnosticReport(uri=uri, items=diags, version=version))
        return types.WorkspaceDiagnosticReport(items=items)


def _path(uri: str) -> Path | None:
    from pygls.uris import to_fs_path

    p = to_fs_path(uri)
    return Path(p) if p else None


def revalidate_all(ls: SvgxServer) -> None:
    for doc in ls.documents:
        ls.analyzer.touch(doc.uri)
    if ls.pull and ls.refresh_support:
        ls.workspace_diagnostic_refresh(None)
    elif not ls.pull:
        asyncio.ensure_future(_publish_config_problems(ls))


async def _publish_config_problems(ls: SvgxServer) -> None:
    """The config file in force carries SVX902 even when it is not open."""
    loop = asyncio.get_running_loop()
    for entry in ls.workspaces.entries():
        path = entry.config_path
        if path is None or ls.documents.get(path.as_uri()) is not None:
            continue
        uri, items = await loop.run_in_executor(ls.analyzer.pool, analyse_file, entry, path, ls.encoding)
        if ls.documents.get(uri) is None:
            ls.publish_closed(uri, items)


def _discover(entry: WorkspaceEntry) -> list[Path]:
    return list(entry.ws.discover())


async def validate_workspace(ls: SvgxServer) -> list[tuple[str, int | None, list[types.Diagnostic]]]:
    """Diagnostics of every file of every workspace, open or not: open files as the editor
    has them, the others from disk."""
    loop = asyncio.get_running_loop()
    entries: list[WorkspaceEntry] = ls.workspaces.entries() or (
        [e] if (e := ls.workspaces.primary()) is not None else []
    )
    out: list[tuple[str, int | None, list[types.Diagnostic]]] = []
    seen: set[str] = set()
    for entry in entries:
        paths = await loop.run_in_executor(ls.analyzer.pool, _discover, entry)
        if entry.config_path is not None:
            paths.append(entry.config_path)
        for path in paths:
            uri = path.as_uri()
            if uri in seen:
                continue
            seen.add(uri)
            if ls.documents.get(uri) is not None:
                result = await ls.analyzer.current(uri)
                if result is not None:
                    out.append((uri, result.version, result.diagnostics))
                continue
            uri, items = await loop.run_in_executor(ls.analyzer.pool, analyse_file, entry, path, ls.encoding)
            out.append((uri, None, items))
    return out
