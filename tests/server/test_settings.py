"""Editor settings (workspace/configuration) over the config file; invalid ones reported."""

from __future__ import annotations

from typing import Any

import pytest
from lsprotocol import types

from .conftest import TIMEOUT, Session

HANDLER = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
  <rect width="1" height="1" onclick="x()"/>
</svg>
"""


@pytest.fixture
def workspace_files() -> dict[str, str]:
    return {"svgx.toml": 'ignore = ["SVX512"]\n', "drawings/a.svgx": HANDLER}


@pytest.fixture
def editor_settings() -> dict[str, Any]:
    # One valid setting (SVX502 becomes a warning) and two invalid ones.
    return {"severity": {"SVX502": "warning"}, "select": ["NOPE"], "units": "metric"}


async def _messages(s: Session, n: int) -> list[types.ShowMessageParams]:
    import asyncio

    async with asyncio.timeout(TIMEOUT):
        while len(s.client.messages) < n:
            await s.client.wait_for_notification(types.WINDOW_SHOW_MESSAGE)
    return list(s.client.messages)


async def test_invalid_settings_are_reported_and_the_rest_applies(s: Session) -> None:
    messages = await _messages(s, 2)
    text = "\n".join(m.message for m in messages)
    assert "svgx.select" in text and "NOPE" in text and "svgx.units" in text
    assert all(m.type == types.MessageType.Warning for m in messages)
    uri = s.open("drawings/a.svgx")
    diags = await s.diagnostics(uri, lambda d: any(x.code == "SVX502" for x in d))
    handler = next(d for d in diags if d.code == "SVX502")
    assert handler.severity == types.DiagnosticSeverity.Warning  # the valid setting applies
    assert not any(d.code == "SVX512" for d in diags)  # the config file still applies
    # The invalid settings also show as SVX902 on the config file.
    config = s.open("svgx.toml", language_id="toml")
    problems = await s.diagnostics(config, lambda d: len([x for x in d if x.code == "SVX902"]) == 2)
    assert all("invalid editor setting" in d.message for d in problems if d.code == "SVX902")


async def test_changed_settings_apply_without_restart(s: Session) -> None:
    await _messages(s, 2)
    uri = s.open("drawings/a.svgx")
    await s.diagnostics(uri, lambda d: any(x.code == "SVX502" for x in d))
    s.client.set_configuration({"svgx": {"ignore": ["SVX502"]}})
    s.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={}))
    if s.pull:
        # Wait for the server to have asked for the new settings: the config file's
        # SVX902 of the old settings is then gone.
        config = s.open("svgx.toml", language_id="toml")
        await s.diagnostics(config, lambda d: not d)
        assert not any(x.code == "SVX502" for x in await s.diagnostics(uri))
    else:
        await s.diagnostics(uri, lambda d: not any(x.code == "SVX502" for x in d))
