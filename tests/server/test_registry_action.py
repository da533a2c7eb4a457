"""SVX404: "add this symbol to the registry" rewrites the registry through the registry
module, and the finding goes away."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from .conftest import Session

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "rules" / "SVX404"


@pytest.fixture
def workspace_files() -> dict[str, str]:
    return {
        p.relative_to(FIXTURE).as_posix(): p.read_text("utf-8")
        for p in FIXTURE.rglob("*")
        if p.is_file() and p.name != "expected.txt"
    }


def unregistered(diags: list[types.Diagnostic]) -> bool:
    return any(d.code == "SVX404" for d in diags)


async def test_add_the_symbol_to_the_registry(s: Session) -> None:
    uri = s.open("symbols/audiovisual/AV_Display_002.svgx")
    d404 = next(d for d in await s.diagnostics(uri, unregistered) if d.code == "SVX404")
    found = (
        await s.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=d404.range,
                context=types.CodeActionContext(diagnostics=[d404]),
            )
        )
        or []
    )
    # The client library reads a CodeAction that has a command as a bare Command, with the
    # action's command object turned into its repr (the union is ambiguous to cattrs);
    # an editor reads the JSON. Recover the command from either shape.
    commands = []
    for a in found:
        if isinstance(a, types.CodeAction) and a.command is not None:
            commands.append((a.command.command, a.command.arguments))
        elif isinstance(a, types.Command) and a.command.startswith("{"):
            inner = ast.literal_eval(a.command)
            commands.append((inner["command"], inner["arguments"]))
    name, arguments = next(c for c in commands if c[0] == "svgx.registry.addSymbol")
    before = len(s.published)
    result = await s.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=name, arguments=arguments)
    )
    assert Path(result["registry"]) == s.root / "symbol_index.json"
    ids = [e["id"] for e in json.loads((s.root / "symbol_index.json").read_text("utf-8"))["symbols"]]
    assert ids == ["AV_Display_001", "AV_Display_002"]
    if s.pull:
        assert not unregistered(await s.diagnostics(uri))
    else:
        await s.wait_published(uri, lambda p: not unregistered(list(p.diagnostics)), after=before)


async def test_the_registry_command_never_writes_outside_the_workspace(s: Session) -> None:
    """The command's arguments come from the client: a registry path that leaves the
    workspace is refused, and nothing is written there."""
    uri = s.uri("symbols/audiovisual/AV_Display_002.svgx")
    for reg in ("../outside.json", str(s.root.parent / "abs.json"), "notes.txt"):
        with pytest.raises(JsonRpcException):
            await s.client.workspace_execute_command_async(
                types.ExecuteCommandParams(command="svgx.registry.addSymbol", arguments=[{"uri": uri, "registry": reg}])
            )
    assert not (s.root.parent / "outside.json").exists()
    assert not (s.root.parent / "abs.json").exists()
    assert not (s.root / "notes.txt").exists()
