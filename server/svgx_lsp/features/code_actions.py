"""Code actions: each rule's safe fix as a quick fix (carried in ``Diagnostic.data``, so
nothing is re-analysed), fix all, suppress here, create the missing profile, and add a
symbol to the registry."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import to_fs_path
from svgx_pipeline import registry
from svgx_pipeline.diagnostics import Diagnostic, Edit, Fix, Span
from svgx_pipeline.documents import FileKind
from svgx_pipeline.fixes import apply_fixes, fix_all
from svgx_pipeline.text import LineIndex
from svgx_pipeline.xmlread import scan

from .. import actions, convert
from ..analysis import analyse
from ..documents import OpenDocument
from ..server import SvgxServer  # noqa: TC001 (pygls reads the annotations at run time)

FIX_ALL = "source.fixAll.svgx"
KINDS = [types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll, FIX_ALL]
REGISTRY_COMMAND = "svgx.registry.addSymbol"


def wanted(only: list[str] | None, kind: str) -> bool:
    """Whether an action of ``kind`` answers a request limited to ``only``."""
    if not only:
        return True
    return any(kind == k or kind.startswith(k + ".") for k in only)


def register(server: SvgxServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=False),
    )
    async def code_action(ls: SvgxServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return None
        only = [str(k.value if hasattr(k, "value") else k) for k in params.context.only or []]
        out: list[types.CodeAction] = []
        ours = [d for d in params.context.diagnostics if d.source == convert.SOURCE and isinstance(d.data, dict)]
        current = [d for d in ours if _data(d).get("version") == doc.version]
        if wanted(only, types.CodeActionKind.QuickFix.value):
            out += [a for d in current if (a := _quick_fix(ls, doc, d)) is not None]
            out += await _suppressions(ls, doc, current)
            out += [a for d in ours if (a := _create_profile(ls, doc, d)) is not None]
            out += [a for d in ours if (a := _add_to_registry(ls, doc, d)) is not None]
        if only and any(wanted([k], FIX_ALL) for k in only):
            # Asked for by name (on save, or "Fix all"): fix, re-analyse, repeat.
            action = await _fix_all(ls, doc)
            if action is not None:
                out.append(action)
        elif not only and any("fix" in _data(d) for d in current):
            # Offered beside the quick fixes on every cursor move: one pass over the fixes
            # the diagnostics carry, with no re-analysis, so the light bulb stays instant.
            action = _fix_all_from_diagnostics(ls, doc, current)
            if action is not None:
                out.append(action)
        return out

    @server.command(REGISTRY_COMMAND)
    async def add_symbol(ls: SvgxServer, *args: Any) -> dict[str, Any]:
        """Rewrite the symbol's registry from the symbol files (the registry module's
        deterministic build, written atomically), then re-validate what depends on it."""
        opts = args[0] if args and isinstance(args[0], dict) else {}
        path = to_fs_path(str(opts.get("uri", ""))) if opts.get("uri") else None
        entry = ls.workspaces.for_path(Path(path)) if path else ls.workspaces.primary()
        if entry is None:
            raise ValueError("no workspace is open")
        reg = opts.get("registry")
        target = entry.root / reg if isinstance(reg, str) else registry.registry_path(entry.ws)
        # The arguments come from the client: never write outside the workspace.
        if not entry.ws.inside(entry.ws.relpath(target)) or target.suffix != ".json":
            raise ValueError(f"the registry must be a .json file inside the workspace, not {reg!r}")

        open_paths = ls.analyzer.open_paths(entry)

        def write() -> tuple[str, set[str]]:
            with entry.lock.write():
                rel = entry.ws.relpath(target)
                data = registry.build_registry(entry.ws, rel if isinstance(reg, str) else None)
                written = registry.write_registry(entry.ws, data, target)
                return str(written), entry.file_changed_on_disk(rel, FileKind.REGISTRY, open_paths)

        written, affected = await asyncio.get_running_loop().run_in_executor(ls.analyzer.pool, write)
        ls.dependents_changed(entry, affected)
        return {"registry": written}


def _data(d: types.Diagnostic) -> dict[str, Any]:
    return d.data if isinstance(d.data, dict) else {}


def _edit(ls: SvgxServer, uri: str, version: int | None, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
    caps = ls.client_capabilities.workspace
    if caps and caps.workspace_edit and caps.workspace_edit.document_changes:
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                    edits=edits,  # type: ignore[arg-type]
                )
            ]
        )
    return types.WorkspaceEdit(changes={uri: edits})


def _quick_fix(ls: SvgxServer, doc: OpenDocument, d: types.Diagnostic) -> types.CodeAction | None:
    fix = _data(d).get("fix")
    if not fix:
        return None
    try:
        edits = [
            types.TextEdit(range=convert.range_from_json(e["range"]), new_text=str(e["newText"])) for e in fix["edits"]
        ]
        title = str(fix["title"])
    except (KeyError, TypeError, ValueError):
        return None  # not data this server wrote
    return types.CodeAction(
        title=f"{title} ({d.code})",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[d],
        is_preferred=True,
        edit=_edit(ls, doc.uri, doc.version, edits),
    )


async def _suppressions(ls: SvgxServer, doc: OpenDocument, diags: list[types.Diagnostic]) -> list[types.CodeAction]:
    if not diags or doc.path is None:
        return []
    entry = ls.workspaces.for_path(doc.path)
    if entry.document(doc.path, "", None, doc.language_id).kind is not FileKind.SVGX:
        return []
    # The text, its lines and its version together: edits computed for one version must
    # never be labelled with a newer one that a didChange brought in meanwhile.
    text, lines, encoding, version = doc.text, doc.lines, ls.encoding, doc.version

    def compute() -> list[tuple[types.Diagnostic, Edit]]:
        out = []
        tags, _ = scan(text)  # once for all the findings
        for d in diags:
            span = _data(d).get("span")
            if not (isinstance(span, list) and span and isinstance(span[0], int)):
                continue  # not data this server wrote
            edit = actions.suppression_edit(text, span[0], str(d.code), tags)
            if edit is not None:
                out.append((d, edit))
        return out

    found = await asyncio.get_running_loop().run_in_executor(ls.analyzer.pool, compute)
    return [
        types.CodeAction(
            title=f"Ignore {d.code} for this element",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[d],
            edit=_edit(
                ls,
                doc.uri,
                version,
                [types.TextEdit(range=convert.to_range(lines, e.span, encoding), new_text=e.new_text)],
            ),
        )
        for d, e in found
    ]


def _create_profile(ls: SvgxServer, doc: OpenDocument, d: types.Diagnostic) -> types.CodeAction | None:
    facts = _data(d).get("facts") or {}
    # The agreed key is "profile_id"; the workspace's rule also spells it "profile".
    profile_id = facts.get("profile_id", facts.get("profile"))
    if d.code != "SVX401" or not isinstance(profile_id, str) or doc.path is None:
        return None
    caps = ls.client_capabilities.workspace
    ops = caps.workspace_edit.resource_operations if caps and caps.workspace_edit else None
    if not ops or types.ResourceOperationKind.Create not in ops:
        return None
    entry = ls.workspaces.for_path(doc.path)
    existing = [p for p in _profiles(entry)]
    target = actions.profile_location(entry.root, existing, profile_id)
    span = _data(d).get("span")
    system, object_type = facts.get("system"), facts.get("object_type")
    if not object_type and isinstance(span, list) and span and isinstance(span[0], int):
        system, object_type = actions.object_facts(doc.text, span[0])
    text = actions.profile_text(profile_id, system, object_type)
    uri = target.as_uri()
    return types.CodeAction(
        title=f"Create behavior profile {profile_id!r} ({entry.ws.relpath(target)})",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[d],
        edit=types.WorkspaceEdit(
            document_changes=[
                types.CreateFile(uri=uri, options=types.CreateFileOptions(ignore_if_exists=True)),
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                    edits=[
                        types.TextEdit(
                            range=types.Range(
                                start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
                            ),
                            new_text=text,
                        )
                    ],  # type: ignore[list-item]
                ),
            ]
        ),
    )


def _profiles(entry):  # type: ignore[no-untyped-def]
    return sorted(p for p in entry.ws.discover() if entry.ws.classify(p) is FileKind.BEHAVIOR)


def _add_to_registry(ls: SvgxServer, doc: OpenDocument, d: types.Diagnostic) -> types.CodeAction | None:
    if d.code != "SVX404" or REGISTRY_COMMAND not in ls.protocol.fm.commands:
        return None
    facts = _data(d).get("facts") or {}
    name = facts.get("symbol_id") or facts.get("id") or "this symbol"
    return types.CodeAction(
        title=f"Add {name} to the registry (rewrites symbol_index.json from the symbol files)",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[d],
        command=types.Command(
            title="Add to the registry",
            command=REGISTRY_COMMAND,
            arguments=[{"uri": doc.uri, "registry": facts.get("registry")}],
        ),
    )


def _fix_all_from_diagnostics(
    ls: SvgxServer, doc: OpenDocument, diags: list[types.Diagnostic]
) -> types.CodeAction | None:
    lines, encoding = doc.lines, ls.encoding
    fixes: list[Fix] = []
    for d in diags:
        fix = _data(d).get("fix")
        if not fix:
            continue
        try:
            edits = []
            for e in fix["edits"]:
                r = convert.range_from_json(e["range"])
                start = lines.offset(r.start.line, r.start.character, encoding)
                end = lines.offset(r.end.line, r.end.character, encoding)
                edits.append(Edit(Span(start, max(start, end)), str(e["newText"])))
            fixes.append(Fix(str(fix["title"]), tuple(edits)))
        except (KeyError, TypeError, ValueError):
            continue  # not data this server wrote
    new, applied = apply_fixes(doc.text, fixes)
    return _fix_all_action(ls, doc, doc.text, new, applied, doc.version)


def _fix_all_action(
    ls: SvgxServer, doc: OpenDocument, old: str, new: str, applied: int, version: int | None
) -> types.CodeAction | None:
    edit = actions.minimal_edit(old, new)
    if edit is None:
        return None
    lines = LineIndex(old)
    return types.CodeAction(
        title=f"Fix all svgx problems ({applied} fix{'es' if applied != 1 else ''})",
        kind=FIX_ALL,
        edit=_edit(
            ls,
            doc.uri,
            version,
            [types.TextEdit(range=convert.to_range(lines, edit.span, ls.encoding), new_text=edit.new_text)],
        ),
    )


async def _fix_all(ls: SvgxServer, doc: OpenDocument) -> types.CodeAction | None:
    if doc.path is None:
        return None
    entry = ls.workspaces.for_path(doc.path)
    base = entry.document(doc.path, doc.text, doc.version, doc.language_id)
    old, version = doc.text, doc.version

    def compute() -> tuple[str, int]:
        def run(t: str) -> list[Diagnostic]:
            with entry.lock.read():
                return analyse(replace(base, text=t), entry)

        new, applied, _ = fix_all(old, run)
        return new, applied

    new, applied = await asyncio.get_running_loop().run_in_executor(ls.analyzer.pool, compute)
    return _fix_all_action(ls, doc, old, new, applied, version)
