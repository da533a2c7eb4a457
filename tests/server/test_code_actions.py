"""Code actions: the rule's fix from Diagnostic.data, fix all, and suppression."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .conftest import Session, apply_text_edits, edits_for

HANDLERS = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:arx="http://arxos.io/svgx" viewBox="0 0 100 100">
  <g>
    <rect x="0" y="0" width="10" height="10" onclick="alert(1)"/>
    <circle cx="5" cy="5" r="2" onload="go()"/>
  </g>
</svg>
"""


@pytest.fixture
def workspace_files() -> dict[str, str]:
    return {"svgx.toml": "", "drawings/handlers.svgx": HANDLERS}


async def actions(s: Session, uri: str, diags: list[types.Diagnostic], only: list[str] | None = None):  # type: ignore[no-untyped-def]
    rng = (
        diags[0].range
        if diags
        else types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    )
    return (
        await s.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=rng,
                context=types.CodeActionContext(diagnostics=diags, only=only),
            )
        )
        or []
    )


def apply(s: Session, uri: str, action: types.CodeAction) -> None:
    assert action.edit is not None
    new = apply_text_edits(s.texts[uri], edits_for(action.edit, uri), s.encoding)
    s.replace_all(uri, new)


async def test_quick_fix_removes_the_finding(s: Session) -> None:
    uri = s.open("drawings/handlers.svgx")
    diags = await s.diagnostics(uri, lambda d: len([x for x in d if x.code == "SVX502"]) == 2)
    onclick = next(d for d in diags if d.code == "SVX502" and "onclick" in d.message)
    found = await actions(s, uri, [onclick])
    fix = next(a for a in found if a.kind == types.CodeActionKind.QuickFix and a.is_preferred)
    assert list(fix.diagnostics or []) == [onclick]
    apply(s, uri, fix)
    after = await s.diagnostics(uri, lambda d: len([x for x in d if x.code == "SVX502"]) == 1)
    assert "onclick" not in s.texts[uri] and 'onload="go()"' in s.texts[uri]
    assert [d.code for d in after if d.code == "SVX502"] == ["SVX502"]


async def test_fix_all(s: Session) -> None:
    uri = s.open("drawings/handlers.svgx")
    await s.diagnostics(uri, lambda d: any(x.code == "SVX502" for x in d))
    found = await actions(s, uri, [], only=["source.fixAll"])
    fix_all = [a for a in found if a.kind == "source.fixAll.svgx"]
    assert len(fix_all) == 1, found
    apply(s, uri, fix_all[0])
    after = await s.diagnostics(uri, lambda d: not any(x.code == "SVX502" for x in d))
    assert "onclick" not in s.texts[uri] and "onload" not in s.texts[uri]
    assert not [d for d in after if d.data and "fix" in d.data]


async def test_fix_all_beside_the_quick_fixes_comes_from_the_diagnostics(s: Session) -> None:
    # Without `only` (the light bulb on a cursor move) fix-all is one pass over the fixes the
    # diagnostics carry, not a re-analysis; applying it still removes every fixable finding.
    uri = s.open("drawings/handlers.svgx")
    diags = await s.diagnostics(uri, lambda d: len([x for x in d if x.code == "SVX502"]) == 2)
    found = await actions(s, uri, [d for d in diags if d.code == "SVX502"])
    (fix_all,) = [a for a in found if a.kind == "source.fixAll.svgx"]
    assert fix_all.title == "Fix all svgx problems (2 fixes)"
    apply(s, uri, fix_all)
    await s.diagnostics(uri, lambda d: not any(x.code == "SVX502" for x in d))
    assert "onclick" not in s.texts[uri] and "onload" not in s.texts[uri]


async def test_ignore_for_this_element(s: Session) -> None:
    uri = s.open("drawings/handlers.svgx")
    diags = await s.diagnostics(uri, lambda d: any(x.code == "SVX502" for x in d))
    onload = next(d for d in diags if d.code == "SVX502" and "onload" in d.message)
    found = await actions(s, uri, [onload])
    ignore = next(a for a in found if a.title == "Ignore SVX502 for this element")
    apply(s, uri, ignore)
    assert '    <!-- svgx: ignore SVX502 -->\n    <circle cx="5"' in s.texts[uri]
    after = await s.diagnostics(uri, lambda d: len([x for x in d if x.code == "SVX502"]) == 1)
    assert not any(d.code == "SVX901" for d in after)  # the comment suppresses what it names


async def test_no_fix_for_a_stale_diagnostic(s: Session) -> None:
    """A diagnostic of an older version carries edits for the older text: no quick fix."""
    uri = s.open("drawings/handlers.svgx")
    diags = await s.diagnostics(uri, lambda d: any(x.code == "SVX502" for x in d))
    s.change(uri, (0, 0), (0, 0), "\n")
    await s.diagnostics(uri, lambda d: any(x.code == "SVX502" for x in d))
    found = await actions(s, uri, [d for d in diags if d.code == "SVX502"][:1])
    assert not [a for a in found if a.kind == types.CodeActionKind.QuickFix and a.edit is not None]
