"""The pipeline in-process: steps, scope, gates, dry run, crashes, cancellation, progress."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from svgx_pipeline import engine, registry, runner
from svgx_pipeline.diagnostics import Diagnostic, Span
from svgx_pipeline.documents import Document, FileKind
from svgx_pipeline.runner import RunOptions
from svgx_pipeline.scope import ScopeError
from svgx_pipeline.workspace import Workspace

from .helpers import write_workspace


def ws_at(tmp_path: Path, **kw: object) -> Workspace:
    return Workspace(write_workspace(tmp_path, **kw))  # type: ignore[arg-type]


def db_rows(ws: Workspace, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(ws.root / ".svgx" / "pipeline.db") as conn:
        return conn.execute(sql).fetchall()


def test_clean_workspace_passes_and_is_recorded(tmp_path: Path) -> None:
    ws = ws_at(tmp_path)
    summary = runner.execute(ws, RunOptions())
    assert summary.status == "passed", summary.format_text()
    assert [s.name for s in summary.steps] == list(runner.STEPS)
    assert all(s.status == "passed" for s in summary.steps[:5])
    assert summary.steps[0].files_checked == 5  # three symbols and two schemas have SVX0/SVX1 checks
    run = runner.status(ws)
    assert run["id"] == summary.id and run["status"] == "passed"
    assert [s["name"] for s in run["steps"]] == list(runner.STEPS)
    assert [g["gate"] for g in run["gates"]] == ["max-errors", "max-warnings", "required-steps"]
    assert run["config_hash"] == ws.settings.fingerprint()
    assert run["config"]["gates"]["coverage"] is False
    actions = [a["action"] for a in run["audit"]]
    assert actions[0] == "execute" and actions.count("validate") >= 5
    assert run["pid"] and run["host"]


def test_errors_fail_the_gate_and_land_in_the_record(tmp_path: Path) -> None:
    ws = ws_at(tmp_path, broken=True)
    summary = runner.execute(ws, RunOptions())
    assert summary.status == "failed"
    gate = {g.gate: g for g in summary.gates}["max-errors"]
    assert not gate.passed and gate.detail == "1 error (at most 0 allowed)"
    upd = summary.steps[-1]
    assert upd.name == "update-registry" and upd.status == "skipped" and "gates failed" in (upd.detail or "")
    rows = db_rows(ws, "SELECT step_name, file, start_line, start_column, code, severity FROM diagnostics")
    assert rows == [("validate-schema", "symbols/electrical/EL_Switch_001.svgx", 1, 85, "SVX001", "error")]
    audit = db_rows(ws, "SELECT action FROM audit WHERE action = 'rollback'")
    assert audit == [("rollback",)]


def test_a_crashing_step_is_recorded_as_error_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(ctx: engine.CheckContext) -> Iterator[Diagnostic]:
        raise ZeroDivisionError("boom in behavior")
        yield  # a generator, like every check

    crash = engine.Check("crashing-behavior", frozenset({FileKind.BEHAVIOR}), ("SVX399",), broken)
    monkeypatch.setattr(engine, "_CHECKS", [*engine._CHECKS, crash])
    ws = ws_at(tmp_path, broken=True, config="[gates]\ncoverage = false\n")
    summary = runner.execute(ws, RunOptions())
    by_name = {s.name: s for s in summary.steps}
    assert by_name["validate-behavior"].status == "error"
    assert by_name["validate-compliance"].status == "passed", "the steps after it still ran"
    assert by_name["validate-schema"].status == "failed"
    assert summary.status == "error"
    assert not {g.gate: g for g in summary.gates}["required-steps"].passed
    run = runner.status(ws)
    crashes = [a["details"] for a in run["audit"] if a["details"].get("event") == "crash"]
    assert len(crashes) == 3  # one per profile
    assert all("ZeroDivisionError: boom in behavior" in c["traceback"] for c in crashes)
    assert crashes[0]["check"] == "crashing-behavior" and crashes[0]["step"] == "validate-behavior"
    assert {s["name"]: s["status"] for s in run["steps"]}["validate-behavior"] == "error"


def test_each_file_is_parsed_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = engine.parse

    def counting(text: str):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(text)

    monkeypatch.setattr(engine, "parse", counting)
    ws = ws_at(tmp_path, config="[gates]\ncoverage = false\n")
    runner.execute(ws, RunOptions(dry_run=True))
    assert len(calls) == 3  # three SVGX symbols, five steps


def test_unknown_system_lists_the_known_ones(tmp_path: Path) -> None:
    ws = ws_at(tmp_path)
    with pytest.raises(ScopeError, match=r"unknown system 'plumbing'; known systems: audiovisual, electrical"):
        runner.execute(ws, RunOptions(system="plumbing"))
    with pytest.raises(ScopeError, match=r"audiovisual.display, audiovisual.projector"):
        runner.execute(ws, RunOptions(object="audiovisual.screen"))
    assert not (ws.root / ".svgx").exists(), "a refused scope records nothing"


def test_system_and_object_scope_select_their_files(tmp_path: Path) -> None:
    ws = ws_at(tmp_path, broken=True)
    summary = runner.execute(ws, RunOptions(system="audiovisual"))
    assert summary.status == "passed", "the broken file is an electrical symbol"
    assert set(summary.texts) == {
        "schemas/audiovisual/schema.json",
        "symbols/audiovisual/AV_Display_001.svgx",
        "symbols/audiovisual/AV_Projector_001.svgx",
        "profiles/display_behavior.behavior.json",
        "profiles/projector_behavior.behavior.json",
    }
    assert "scoped run" in (summary.steps[-1].detail or "")
    one = runner.execute(ws, RunOptions(object="audiovisual.display"))
    assert set(one.texts) == {
        "schemas/audiovisual/schema.json",
        "symbols/audiovisual/AV_Display_001.svgx",
        "profiles/display_behavior.behavior.json",
    }
    assert runner.execute(ws, RunOptions(system="electrical")).status == "failed"
    assert [r["system"] for r in runner.history(ws, system="audiovisual")] == ["audiovisual"]


def test_one_step_alone(tmp_path: Path) -> None:
    ws = ws_at(tmp_path, broken=True)
    summary = runner.execute(ws, RunOptions(step="validate-compliance"))
    assert [s.name for s in summary.steps] == ["validate-compliance"]
    assert summary.status == "passed", "the SVX001 error belongs to validate-schema, which did not run"
    assert [g.gate for g in summary.gates] == ["max-errors", "max-warnings", "required-steps"]
    assert [s["name"] for s in runner.status(ws)["steps"]] == ["validate-compliance"]
    with pytest.raises(ScopeError, match="update-registry cannot run alone"):
        runner.execute(ws, RunOptions(step="update-registry"))


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    ws = ws_at(tmp_path, broken=True)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    summary = runner.execute(ws, RunOptions(dry_run=True))
    assert summary.status == "failed" and summary.db is None
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert "dry run: nothing was written" in summary.format_text()


def test_workspace_without_svgx_files(tmp_path: Path) -> None:
    (tmp_path / "svgx.toml").write_text("[gates]\ncoverage = false\n")
    summary = runner.execute(Workspace(tmp_path), RunOptions())
    assert summary.status == "passed" and summary.files_total == 0
    assert all(s.files_checked == 0 for s in summary.steps)
    assert runner.status(Workspace(tmp_path))["files_total"] == 0


def test_an_unreadable_file_is_a_diagnostic_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = ws_at(tmp_path)
    real = ws.read

    def read(path: Path | str) -> Document:
        if str(path).endswith("AV_Projector_001.svgx"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(ws, "read", read)
    summary = runner.execute(ws, RunOptions())
    diags = summary.diagnostics()
    assert [(d.code, d.path, d.message) for d in diags] == [
        (
            "SVX001",
            "symbols/audiovisual/AV_Projector_001.svgx",
            "cannot read the file: Permission denied",
        )
    ]
    assert summary.steps[0].files_checked == 4 and all(s.status != "error" for s in summary.steps)


def test_cancelled_between_files(tmp_path: Path) -> None:
    ws = ws_at(tmp_path)
    polls = iter(range(1000))
    summary = runner.execute(ws, RunOptions(), cancelled=lambda: next(polls) >= 12)
    statuses = [s.status for s in summary.steps]
    assert summary.status == "cancelled" and "cancelled" in statuses
    assert statuses[statuses.index("cancelled") + 1 :] == ["skipped"] * (
        len(statuses) - statuses.index("cancelled") - 1
    )
    run = runner.status(ws)
    assert run["status"] == "cancelled" and "cancel" in [a["action"] for a in run["audit"]]


def test_progress_reports_steps_and_files(tmp_path: Path) -> None:
    ws = ws_at(tmp_path)
    seen: list[tuple[str, int, int, int, int]] = []
    runner.execute(ws, RunOptions(dry_run=True), progress=lambda *a: seen.append(a))
    assert seen[0] == ("validate-schema", 1, 6, 0, 8)
    assert ("validate-schema", 1, 6, 8, 8) in seen and seen[-1] == (
        "validate-compliance",
        5,
        6,
        8,
        8,
    )


def test_family_limited_checks_do_not_call_other_suppressions_unused() -> None:
    text = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>t</title>\n'
        "<!-- svgx: ignore SVX501 -->\n<script/>\n<!-- svgx: ignore SVX502 -->\n<rect/>\n</svg>\n"
    )
    doc = Document("d.svgx", text)
    assert [d.code for d in engine.check(doc, families=("SVX0", "SVX1", "SVX9"))] == []
    assert [(d.code, d.span) for d in engine.check(doc, families=("SVX5",))] == [
        ("SVX901", Span(text.index("<!-- svgx: ignore SVX502"), text.index("\n<rect")))
    ]


def test_update_registry_runs_only_when_every_gate_passes(tmp_path: Path) -> None:
    ws = ws_at(tmp_path, broken=True)
    assert runner.execute(ws, RunOptions()).status == "failed"
    assert not (tmp_path / "symbol_index.json").exists()
    (tmp_path / "symbols/electrical/EL_Switch_001.svgx").unlink()
    summary = runner.execute(Workspace(tmp_path), RunOptions())
    assert summary.status == "passed", summary.format_text()
    assert summary.registry_changes == ["create symbol_index.json with 3 symbol(s)"]
    data = json.loads((tmp_path / "symbol_index.json").read_text())
    assert [e["id"] for e in data["symbols"]] == ["AV_Display_001", "AV_Projector_001", "EL_Outlet_001"]
    assert summary.steps[-1].status == "passed"
    audit = [a for a in runner.status(ws)["audit"] if a["action"] == "update-registry"]
    assert audit[0]["details"] == {"path": "symbol_index.json", "changes": summary.registry_changes}
    again = runner.execute(Workspace(tmp_path), RunOptions())
    assert again.registry_changes == [] and again.steps[-1].detail == "registry already up to date"


def test_dry_run_prints_what_update_registry_would_change(tmp_path: Path) -> None:
    ws = ws_at(tmp_path)
    summary = runner.execute(ws, RunOptions(dry_run=True))
    assert summary.status == "passed"
    text = summary.format_text()
    assert "update-registry would change:\n  create symbol_index.json with 3 symbol(s)" in text
    assert not (tmp_path / "symbol_index.json").exists() and not (tmp_path / ".svgx").exists()


def test_a_failing_registry_write_is_an_error_and_a_rollback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(ws: object, data: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(registry, "write_registry", fail)
    ws = ws_at(tmp_path)
    summary = runner.execute(ws, RunOptions())
    assert summary.status == "error" and summary.steps[-1].status == "error"
    assert not (tmp_path / "symbol_index.json").exists()
    rollback = [a for a in runner.status(ws)["audit"] if a["action"] == "rollback"]
    assert "No space left on device" in rollback[0]["details"]["reason"]


def _outcome(
    s: runner.RunSummary,
) -> list[tuple[str, str, int, list[tuple[str, str | None, Span]]]]:
    return [
        (st.name, st.status, st.files_checked, [(d.code, d.path, d.span) for d in st.diagnostics]) for st in s.steps
    ]


def test_worker_processes_give_the_same_run_as_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(ctx: engine.CheckContext) -> Iterator[Diagnostic]:
        if "projector" in ctx.document.path:
            raise ValueError("only for projectors")
        return iter(())

    crash = engine.Check("picky-behavior", frozenset({FileKind.BEHAVIOR}), ("SVX398",), broken)
    monkeypatch.setattr(engine, "_CHECKS", [*engine._CHECKS, crash])
    ws = ws_at(tmp_path, broken=True, config="[gates]\ncoverage = false\n")
    for i in range(40):  # enough files for several chunks per worker
        (tmp_path / f"drawings/d{i:02d}.svgx").parent.mkdir(exist_ok=True)
        (tmp_path / f"drawings/d{i:02d}.svgx").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><title>d</title>'
            + ("<script/>" if i % 7 == 0 else "")
            + "</svg>\n"
        )
    one = runner.execute(ws, RunOptions(jobs=1, dry_run=True))
    seen: list[tuple[str, int, int, int, int]] = []
    two = runner.execute(ws, RunOptions(jobs=2, dry_run=True), progress=lambda *a: seen.append(a))
    assert _outcome(two) == _outcome(one)
    assert two.status == "error" and {s.name: s.status for s in two.steps}["validate-behavior"] == "error"
    assert "only for projectors" in two.steps[2].tracebacks[0]
    assert ("validate-compliance", 5, 6, 49, 49) in seen


def test_worker_processes_stop_when_cancelled(tmp_path: Path) -> None:
    ws = ws_at(tmp_path)
    for i in range(200):
        (tmp_path / f"drawings/d{i:03d}.svgx").parent.mkdir(exist_ok=True)
        (tmp_path / f"drawings/d{i:03d}.svgx").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    done: list[int] = []
    summary = runner.execute(
        ws,
        RunOptions(jobs=2),
        progress=lambda *a: done.append(a[3]),
        cancelled=lambda: len(done) > 40,
    )
    assert summary.status == "cancelled" and summary.steps[0].status == "cancelled"
    assert runner.status(ws)["status"] == "cancelled"


def test_worker_processes_update_the_registry(tmp_path: Path) -> None:
    ws = ws_at(tmp_path)
    summary = runner.execute(ws, RunOptions(jobs=2))
    assert summary.status == "passed", summary.format_text()
    assert summary.registry_changes == ["create symbol_index.json with 3 symbol(s)"]
    assert summary.steps[-1].detail == "1 change(s) written to symbol_index.json"
    assert (tmp_path / "symbol_index.json").is_file()
