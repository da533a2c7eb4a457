"""The config file edited in the editor re-validates the open drawings; validating the
whole workspace reports files that are not open; saving re-validates."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .conftest import DRAWING, Session

HANDLER = DRAWING.replace('height="10"/>', 'height="10" onclick="x()"/>')


@pytest.fixture
def workspace_files() -> dict[str, str]:
    return {"svgx.toml": "", "drawings/a.svgx": HANDLER, "drawings/b.svgx": HANDLER, "drawings/ok.svgx": DRAWING}


def has_handler(diags: list[types.Diagnostic]) -> bool:
    return any(d.code == "SVX502" for d in diags)


async def test_editing_the_config_revalidates_open_drawings(s: Session) -> None:
    drawing = s.open("drawings/a.svgx")
    assert has_handler(await s.diagnostics(drawing, has_handler))
    config = s.open("svgx.toml", language_id="toml")
    await s.diagnostics(config)
    before = len(s.published)
    s.replace_all(config, 'ignore = ["SVX502"]\n')
    if s.pull:
        await s.diagnostics(config)  # the config's own analysis applies it
        assert not has_handler(await s.diagnostics(drawing))
    else:
        await s.wait_published(drawing, lambda p: not has_handler(list(p.diagnostics)), after=before)


async def test_validate_workspace_covers_files_that_are_not_open(s: Session) -> None:
    s.open("drawings/a.svgx")
    counts = await s.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="svgx.validateWorkspace", arguments=[])
    )
    assert counts["files"] >= 3 and counts["filesWithProblems"] == 2 and counts["errors"] == 2
    if not s.pull:
        b = s.uri("drawings/b.svgx")
        published = await s.wait_published(b, lambda p: has_handler(list(p.diagnostics)))
        assert published.version is None  # not open: no version
    else:
        report = await s.client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[]))
        by_uri = {item.uri: list(item.items) for item in report.items}
        assert has_handler(by_uri[s.uri("drawings/b.svgx")]) and not by_uri[s.uri("drawings/ok.svgx")]


async def test_save_revalidates(s: Session) -> None:
    uri = s.open("drawings/a.svgx")
    await s.diagnostics(uri, has_handler)
    before = len(s.published)
    s.client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    if s.pull:
        assert has_handler(await s.diagnostics(uri))
    else:
        again = await s.wait_published(uri, after=before)
        assert again.version == 1 and has_handler(list(again.diagnostics))
