"""svgx.pipeline.execute from the editor: work-done progress per step, the summary shown
and returned, the run recorded (trigger lsp) and found in the database; cancellation."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from .conftest import DRAWING, TIMEOUT, Session

runner = pytest.importorskip("svgx_pipeline.runner", reason="the pipeline runner has not landed in this branch")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "building"


@pytest.fixture
def workspace_files() -> dict[str, str]:
    # The example's own files, not a record a previous `scripts/run` left in .svgx/.
    files = {
        p.relative_to(EXAMPLE).as_posix(): p.read_text("utf-8")
        for p in EXAMPLE.rglob("*")
        if p.is_file() and ".svgx" not in p.relative_to(EXAMPLE).parts
    }
    files["svgx.toml"] = files.get("svgx.toml", "") + '\ndatabase = ".svgx/runs.db"\n'
    return files


def recorded(root: Path) -> list[dict]:  # type: ignore[type-arg]
    from svgx_pipeline.workspace import Workspace

    return runner.history(Workspace.load(root), 10)  # type: ignore[no-any-return]


async def execute(s: Session, args: dict) -> dict:  # type: ignore[type-arg]
    async with asyncio.timeout(TIMEOUT * 4):
        return await s.client.workspace_execute_command_async(  # type: ignore[no-any-return]
            types.ExecuteCommandParams(command="svgx.pipeline.execute", arguments=[args])
        )


async def test_execute_reports_progress_and_records_the_run(s: Session) -> None:
    summary = await execute(s, {})
    assert summary["trigger"] == "lsp" and summary["status"] in ("passed", "failed")
    reports = [
        r for token, rs in s.client.progress_reports.items() if str(token).startswith("svgx-pipeline") for r in rs
    ]
    assert isinstance(reports[0], types.WorkDoneProgressBegin) and reports[0].cancellable
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)
    steps = {r.message.split(" (")[0] for r in reports if isinstance(r, types.WorkDoneProgressReport) and r.message}
    assert {st["name"] for st in summary["steps"] if st["status"] != "skipped"} <= steps
    assert any("validate-schema" in m.message for m in s.client.messages)
    runs = recorded(s.root)
    assert runs and runs[0]["id"] == summary["id"] and runs[0]["trigger"] == "lsp"
    # And the record through the server's own commands.
    history = await s.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="svgx.pipeline.history", arguments=[{"limit": 5}])
    )
    assert history[0]["id"] == summary["id"]
    status = await s.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="svgx.pipeline.status", arguments=[{"runId": summary["id"]}])
    )
    assert status["id"] == summary["id"]


async def test_dry_run_records_nothing(s: Session) -> None:
    summary = await execute(s, {"dryRun": True})
    assert summary["dry_run"] is True
    assert recorded(s.root) == []


async def test_cancel_request_cancels_the_run(s: Session) -> None:
    # Enough files that the run is still going when the cancellation arrives.
    for i in range(400):
        (s.root / "drawings" / f"extra{i:03}.svgx").write_text(DRAWING, encoding="utf-8")
    msg_id = str(uuid.uuid4())
    future = asyncio.wrap_future(
        s.client.protocol.send_request(
            types.WORKSPACE_EXECUTE_COMMAND,
            types.ExecuteCommandParams(command="svgx.pipeline.execute", arguments=[{}]),
            msg_id=msg_id,
        )
    )
    async with asyncio.timeout(TIMEOUT * 4):
        while not any(
            isinstance(r, types.WorkDoneProgressReport) for rs in s.client.progress_reports.values() for r in rs
        ):
            await s.client.wait_for_notification(types.PROGRESS)
    s.client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=msg_id))
    with pytest.raises(JsonRpcException) as err:
        async with asyncio.timeout(TIMEOUT * 4):
            await future
    assert "cancel" in str(err.value).lower()
    # The request is answered at once; the run stops at the next file and records itself,
    # then the progress ends.
    async with asyncio.timeout(TIMEOUT * 4):
        while not any(
            isinstance(r, types.WorkDoneProgressEnd) for rs in s.client.progress_reports.values() for r in rs
        ):
            await s.client.wait_for_notification(types.PROGRESS)
    runs = recorded(s.root)
    assert runs and runs[0]["status"] == "cancelled" and runs[0]["trigger"] == "lsp"
