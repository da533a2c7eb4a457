"""The server survives bad requests, handles a 20 MB document without holding up the
others, and exits cleanly on ``exit`` or when stdin closes."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from .conftest import DRAWING, Session


async def test_bad_requests_get_errors_and_the_server_keeps_serving(s: Session) -> None:
    with pytest.raises(JsonRpcException):
        await s.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="svgx.pipeline.history", arguments=["not an object"])
        )
    with pytest.raises(JsonRpcException):
        await s.client.workspace_execute_command_async(types.ExecuteCommandParams(command="svgx.nope"))
    # Options of the wrong type are the client's error (invalid params), said plainly.
    for command, options in (("svgx.pipeline.execute", {"object": ["a"]}), ("svgx.pipeline.history", {"limit": "x"})):
        with pytest.raises(JsonRpcException) as bad:
            await s.client.workspace_execute_command_async(
                types.ExecuteCommandParams(command=command, arguments=[options])
            )
        assert "must be" in str(bad.value), bad.value
    # A code action for diagnostics whose data this server did not write.
    junk = types.Diagnostic(
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=1)),
        message="x",
        source="svgx",
        code="SVX502",
        data={"version": 1, "fix": {"edits": "garbage"}},
    )
    uri = s.open("drawings/room.svgx")
    found = await s.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=junk.range,
            context=types.CodeActionContext(diagnostics=[junk]),
        )
    )
    assert not [a for a in found or [] if a.kind == types.CodeActionKind.QuickFix and a.is_preferred]
    # Still serving: the document's diagnostics come.
    s.change(uri, (0, 0), (0, 0), "")
    assert await s.diagnostics(uri) == []


async def test_a_20_mb_document_gets_reading_checks_only_and_does_not_block(s: Session) -> None:
    rect = '  <rect x="0" y="0" width="10" height="10"/>\n'
    big = DRAWING.replace("</svg>", rect * (20 * 1024 * 1024 // len(rect)) + "</svg>")
    assert len(big) > 20 * 1024 * 1024
    big_uri = s.open("drawings/big.svgx", big)
    small = s.open("drawings/room.svgx")
    s.change(small, (4, 2), (4, 5), "svh")  # not well-formed
    small_diags = await s.diagnostics(small, lambda d: any(x.code == "SVX001" for x in d))
    assert small_diags
    big_diags = await s.diagnostics(big_uri, lambda d: any(x.code == "SVX005" for x in d))
    assert [d.code for d in big_diags] == ["SVX005"]


def test_the_server_exits_when_stdin_closes() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "svgx_lsp.main"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdin is not None
    proc.stdin.close()
    try:
        rc = proc.wait(timeout=60)
    finally:
        proc.kill()
    assert rc == 0, proc.stderr.read().decode() if proc.stderr else ""


async def test_exit_after_shutdown_ends_the_process(s: Session) -> None:
    await s.client.shutdown_async(None)
    s.client.exit(None)
    server = s.client._server
    assert server is not None
    async with asyncio.timeout(60):
        rc = await server.wait()
    assert rc == 0
    s.client.capabilities = None  # already shut down: the fixture must not do it again
