"""Regressions from a second read of the server, as an editor drives it."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from lsprotocol import types

from .conftest import DRAWING, TIMEOUT, Session

RECT = '  <rect x="0" y="0" width="10" height="10"/>\n'


def codes(diags: Sequence[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diags)


@pytest.fixture
def editor_settings() -> dict[str, object]:
    return {"trace": "messages"}  # the analyses are logged: a test can wait for one to end


def logged(s: Session, uri: str) -> list[str]:
    return [m.message for m in s.client.log_messages if uri in m.message]


async def wait_logged(s: Session, pred) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(TIMEOUT):
        while not pred():
            await s.client.wait_for_notification(types.WINDOW_LOG_MESSAGE)


async def test_a_result_for_a_closed_document_never_stands_for_its_reopened_text(s: Session) -> None:
    """Open a slow document, close it and open it again (version 1 again, other text):
    the first open's analysis ends last and must be dropped, not published or kept as
    the result of the new text."""
    await s.diagnostics(s.open("drawings/room.svgx"))
    big = DRAWING.replace("</svg>", RECT * (8 * 1024 * 1024 // len(RECT)) + "</svg>")
    uri = s.open("drawings/big.svgx", big)
    s.close(uri)
    s.open("drawings/big.svgx", DRAWING.replace("</svg>", "</svh>"))
    assert codes(await s.diagnostics(uri, lambda d: bool(d))) == ["SVX001"]

    def old_one_ended() -> bool:
        messages = logged(s, uri)
        return any("dropped" in m for m in messages) or sum("analysed" in m for m in messages) >= 2

    await wait_logged(s, old_one_ended)
    if s.pull:
        assert codes(await s.diagnostics(uri)) == ["SVX001"]
    else:
        assert codes(next(p for p in reversed(s.published) if p.uri == uri).diagnostics) == ["SVX001"]
