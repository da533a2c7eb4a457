"""Open / change / close, push and pull, and exact positions in both encodings."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .conftest import DRAWING, Session


def codes(diags: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diags)


async def test_capabilities_match_the_client(s: Session) -> None:
    caps = s.result.capabilities  # type: ignore[union-attr]
    if s.profile == "neovim":
        assert s.encoding == "utf-8" and s.pull
        assert caps.diagnostic_provider.workspace_diagnostics  # type: ignore[union-attr]
    else:
        assert s.encoding == "utf-16" and not s.pull
    sync = caps.text_document_sync
    assert sync.change == types.TextDocumentSyncKind.Incremental and sync.open_close and sync.save  # type: ignore[union-attr]
    assert set(caps.execute_command_provider.commands) >= {  # type: ignore[union-attr]
        "svgx.pipeline.execute",
        "svgx.pipeline.status",
        "svgx.pipeline.history",
        "svgx.validateWorkspace",
    }
    # Announced only what is implemented.
    assert caps.hover_provider is None and caps.completion_provider is None


async def test_open_change_close(s: Session) -> None:
    uri = s.open("drawings/room.svgx")
    assert await s.diagnostics(uri) == []
    # Break the end tag of <svg>: not well-formed.
    s.change(uri, (4, 2), (4, 5), "svh")
    diags = await s.diagnostics(uri, lambda d: bool(d))
    assert codes(diags) == ["SVX001"]
    d = diags[0]
    assert d.source == "svgx" and d.severity == types.DiagnosticSeverity.Error
    assert d.code_description is not None and d.code_description.href.endswith("/SVX001.md")
    # Repair it: the diagnostics of the newest version are empty again.
    s.change(uri, (4, 2), (4, 5), "svg")
    assert await s.diagnostics(uri, lambda d: not d) == []
    if not s.pull:
        before = len(s.published)
        s.close(uri)
        cleared = await s.wait_published(uri, after=before)
        assert list(cleared.diagnostics) == []


@pytest.fixture
def workspace_files() -> dict[str, str]:
    return {
        "svgx.toml": "",
        "drawings/room.svgx": DRAWING,
        # Non-ASCII before the error: 'é' is 2 UTF-8 bytes / 1 UTF-16 unit, '𝄞' is 4 / 2.
        "drawings/music.svgx": (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><title>t</title>'
            '<text>é𝄞</text><rect x="1" y="1" y="2"/></svg>\n'
        ),
    }


async def test_positions_are_exact_in_the_negotiated_encoding(s: Session) -> None:
    uri = s.open("drawings/music.svgx")
    diags = await s.diagnostics(uri, lambda d: bool(d))
    d = next(d for d in diags if d.code == "SVX001")
    line = s.texts[uri].split("\n")[0]
    offset = line.index('y="2"')  # the duplicate attribute
    if s.encoding == "utf-8":
        expected = len(line[:offset].encode("utf-8"))
    else:
        expected = len(line[:offset].encode("utf-16-le")) // 2
    assert d.range.start.line == 0
    assert d.range.start.character == expected, (d.range, expected)


async def test_incremental_edit_after_non_ascii_text(s: Session) -> None:
    """An edit's range is read in the negotiated units: replace the ``y`` of the
    duplicate attribute by ``w`` (a change after 'é𝄞' on the same line)."""
    uri = s.open("drawings/music.svgx")
    await s.diagnostics(uri, lambda d: bool(d))
    line = s.texts[uri].split("\n")[0]
    offset = line.index('y="2"')
    if s.encoding == "utf-8":
        col = len(line[:offset].encode("utf-8"))
    else:
        col = len(line[:offset].encode("utf-16-le")) // 2
    s.change(uri, (0, col), (0, col + 1), "w")
    assert await s.diagnostics(uri, lambda d: not d) == []
