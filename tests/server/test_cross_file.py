"""Cross-file effects: a profile edited in the editor, or changed on disk, updates the
diagnostics of the open drawing that names it; the missing profile can be created."""

from __future__ import annotations

import json

import pytest
from lsprotocol import types

from .conftest import Session

DRAWING = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:arx="http://arxos.io/svgx" viewBox="0 0 100 100">
  <title>Floor 1</title>
  <arx:object id="d1" type="audiovisual.display" behavior="display_behavior"/>
</svg>
"""
SCHEMA = {
    "system": "audiovisual",
    "description": "audiovisual system",
    "version": "1.0.0",
    "objects": {"display": {"behavior_profile": "display_behavior"}},
}


def profile(profile_id: str) -> str:
    return (
        json.dumps(
            {
                "id": profile_id,
                "version": "1.0.0",
                "system": "audiovisual",
                "applies_to": ["audiovisual.display"],
                "description": "test profile",
                "variables": {"voltage": {"kind": "input", "unit": "V", "default": 120, "min": 100, "max": 130}},
            },
            indent=2,
        )
        + "\n"
    )


@pytest.fixture
def workspace_files() -> dict[str, str]:
    return {
        "svgx.toml": 'select = ["SVX401"]\n',
        "schemas/audiovisual/schema.json": json.dumps(SCHEMA, indent=2),
        "drawings/floor1.svgx": DRAWING,
        "profiles/display.behavior.json": profile("display_behavior"),
    }


def missing(diags: list[types.Diagnostic]) -> bool:
    return any(d.code == "SVX401" for d in diags)


async def test_editing_a_profile_updates_the_drawing(s: Session) -> None:
    drawing = s.open("drawings/floor1.svgx")
    assert not missing(await s.diagnostics(drawing))
    prof = s.open("profiles/display.behavior.json", language_id="json")
    await s.diagnostics(prof)
    before = len(s.published)
    # Rename the profile in the editor (unsaved): the drawing now names a missing profile.
    s.replace_all(prof, profile("display_behaviour"))
    if s.pull:
        assert missing(await s.diagnostics(drawing))
    else:
        await s.wait_published(drawing, lambda p: missing(list(p.diagnostics)), after=before)
    # And back.
    before = len(s.published)
    s.replace_all(prof, profile("display_behavior"))
    if s.pull:
        assert not missing(await s.diagnostics(drawing))
    else:
        await s.wait_published(drawing, lambda p: not missing(list(p.diagnostics)), after=before)


async def test_a_profile_changed_on_disk_updates_the_drawing(s: Session) -> None:
    drawing = s.open("drawings/floor1.svgx")
    assert not missing(await s.diagnostics(drawing))
    path = s.root / "profiles/display.behavior.json"
    before = len(s.published)
    path.unlink()
    s.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=path.as_uri(), type=types.FileChangeType.Deleted)]
        )
    )
    if s.pull:
        assert missing(await s.diagnostics(drawing))
    else:
        await s.wait_published(drawing, lambda p: missing(list(p.diagnostics)), after=before)


async def test_create_the_missing_profile(s: Session) -> None:
    (s.root / "profiles/display.behavior.json").unlink()
    drawing = s.open("drawings/floor1.svgx")
    diags = await s.diagnostics(drawing, missing)
    d401 = next(d for d in diags if d.code == "SVX401")
    found = (
        await s.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=drawing),
                range=d401.range,
                context=types.CodeActionContext(diagnostics=[d401]),
            )
        )
        or []
    )
    create = next(a for a in found if a.title.startswith("Create behavior profile 'display_behavior'"))
    assert create.edit is not None and create.edit.document_changes
    op, content = create.edit.document_changes
    assert isinstance(op, types.CreateFile) and isinstance(content, types.TextDocumentEdit)
    target = s.root / "profiles" / "display_behavior.behavior.json"
    assert op.uri == target.as_uri()
    text = content.edits[0].new_text
    created = json.loads(text)
    assert created["id"] == "display_behavior" and created["applies_to"] == ["audiovisual.display"]
    # What the editor does with it: create the file, open it with the text.
    before = len(s.published)
    s.open("profiles/display_behavior.behavior.json", text, language_id="json")
    if s.pull:
        assert not missing(await s.diagnostics(drawing))
    else:
        await s.wait_published(drawing, lambda p: not missing(list(p.diagnostics)), after=before)
