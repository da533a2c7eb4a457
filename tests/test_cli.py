"""The `svgx check` command as users and CI call it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
from svgx_pipeline.cli import main

BAD = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n'
    '  <title>Café ☕</title>\n  <rect width="1" height="1" onclick="x()"/>\n</svg>\n'
)
GOOD = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n  <title>ok</title>\n</svg>\n'


def svgx(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "svgx_pipeline", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "bad.svgx").write_text(BAD, encoding="utf-8")
    (tmp_path / "good.svgx").write_text(GOOD, encoding="utf-8")
    return tmp_path


def test_text_format_and_exit_codes(folder: Path) -> None:
    p = svgx("check", ".", cwd=folder)
    assert p.returncode == 1
    assert p.stdout.splitlines()[0] == (
        "bad.svgx:3:30: error: SVX502 [*] event handler onclick= is script; "
        "SVGX behavior belongs in arx:behavior triggers"
    )
    assert svgx("check", "good.svgx", cwd=folder).returncode == 0
    assert svgx("check", ".", "--exit-zero", cwd=folder).returncode == 0
    assert svgx("check", ".", "--ignore", "SVX502", cwd=folder).returncode == 0
    assert svgx("check", ".", "--select", "SVX1", cwd=folder).returncode == 0
    missing = svgx("check", "nope.svgx", cwd=folder)
    assert missing.returncode == 2 and missing.stderr.strip() == "svgx: nope.svgx: no such file or folder"
    bad_select = svgx("check", ".", "--select", "E501", cwd=folder)
    assert bad_select.returncode == 2 and "E501" in bad_select.stderr and "Traceback" not in bad_select.stderr


def test_json_format_positions_count_code_points(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    main(["check", "bad.svgx", "--format", "json"])
    (item,) = json.loads(capsys.readouterr().out)
    assert item["code"] == "SVX502" and item["name"] == "event-handler"
    assert item["location"] == {"row": 3, "column": 30, "end_row": 3, "end_column": 37}
    assert item["fix"]["edits"][0]["content"] == ""
    assert item["url"].endswith("/SVX502.md") and Path(item["url"].removeprefix("file://")).is_file()


REGION_KEYS = ("startLine", "startColumn", "endLine", "endColumn")
# The parts of the SARIF 2.1.0 schema that consumers (GitHub code scanning) rely on.
SARIF_SCHEMA = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["tool", "results"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name", "rules"],
                    "properties": {"name": {"type": "string"}, "rules": {"type": "array", "items": {
                        "type": "object", "required": ["id", "shortDescription"],
                        "properties": {"id": {"type": "string"}, "defaultConfiguration": {
                            "type": "object", "properties": {
                                "level": {"enum": ["none", "note", "warning", "error"]}}}}}}}}}},
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                "results": {"type": "array", "items": {
                    "type": "object", "required": ["ruleId", "level", "message", "locations"],
                    "properties": {
                        "ruleId": {"type": "string", "pattern": "^SVX[0-9]{3}$"},
                        "level": {"enum": ["none", "note", "warning", "error"]},
                        "message": {"type": "object", "required": ["text"]},
                        "locations": {"type": "array", "minItems": 1, "items": {
                            "type": "object", "required": ["physicalLocation"], "properties": {"physicalLocation": {
                                "type": "object", "required": ["artifactLocation", "region"], "properties": {
                                    "artifactLocation": {"type": "object", "required": ["uri"]},
                                    "region": {
                                        "type": "object", "required": list(REGION_KEYS),
                                        "properties": {k: {"type": "integer", "minimum": 1} for k in REGION_KEYS},
                                    },
                                }}}}},
                    }}},
            }}},
    },
}


def test_sarif_validates_structurally(folder: Path) -> None:
    p = svgx("check", ".", "--format", "sarif", cwd=folder)
    sarif = json.loads(p.stdout)
    jsonschema.validate(sarif, SARIF_SCHEMA)
    run = sarif["runs"][0]
    (res,) = run["results"]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rule_ids[res["ruleIndex"]] == res["ruleId"] == "SVX502"
    region = res["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 30, "endLine": 3, "endColumn": 37}


def test_github_and_junit(folder: Path) -> None:
    gh = svgx("check", "bad.svgx", "--format", "github", cwd=folder).stdout
    assert gh.startswith(
        "::error file=bad.svgx,line=3,col=30,endLine=3,endColumn=37,title=SVX502::SVX502 event handler"
    )
    junit = svgx("check", ".", "--format", "junit", cwd=folder).stdout
    tree = ElementTree.fromstring(junit)
    assert tree.get("failures") == "1"
    assert [s.get("name") for s in tree.iter("testsuite")] == ["bad.svgx", "good.svgx"]


def test_fix_in_place_and_from_stdin(folder: Path) -> None:
    p = svgx("check", "bad.svgx", "--fix", cwd=folder)
    assert p.returncode == 0
    assert (folder / "bad.svgx").read_text("utf-8") == BAD.replace(' onclick="x()"', "")
    s = svgx("check", "--stdin-filename", "other.svgx", "--fix", cwd=folder, stdin=BAD)
    assert s.stdout == BAD.replace(' onclick="x()"', "")
    s = svgx("check", "--stdin-filename", "other.svgx", cwd=folder, stdin=BAD)
    assert s.returncode == 1 and s.stdout.startswith("other.svgx:3:30: error: SVX502")


def test_statistics(folder: Path) -> None:
    p = svgx("check", ".", "--statistics", cwd=folder)
    assert p.stdout.split() == ["1", "SVX502", "[*]", "event-handler"]


def test_folders_are_checked_in_parallel_with_the_same_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(40):
        (tmp_path / f"f{i:02}.svgx").write_text(BAD if i % 3 == 0 else GOOD)
    monkeypatch.chdir(tmp_path)
    main(["check", ".", "--jobs", "1"])
    serial = capsys.readouterr().out
    main(["check", ".", "--jobs", "2"])
    assert capsys.readouterr().out == serial
    assert serial.count("SVX502") == 14


def test_rules_and_rule(folder: Path) -> None:
    rules = json.loads(svgx("rules", "--format", "json", cwd=folder).stdout)
    svx501 = next(r for r in rules if r["code"] == "SVX501")
    assert {"code": "SVX501", "name": "disallowed-element"}.items() <= svx501.items()
    assert svgx("rule", "SVX501", cwd=folder).stdout.startswith("# SVX501 disallowed-element")
    unknown = svgx("rule", "SVX5011", cwd=folder)
    assert unknown.returncode == 2 and "did you mean" in unknown.stderr and "SVX501" in unknown.stderr


def test_fix_keeps_a_bom_on_stdin_and_refuses_invalid_utf8(folder: Path) -> None:
    bom = b"\xef\xbb\xbf"
    p = subprocess.run([sys.executable, "-m", "svgx_pipeline", "check", "--stdin-filename", "x.svgx", "--fix"],
                       cwd=folder, input=bom + BAD.encode(), capture_output=True, timeout=120)
    assert p.stdout == bom + BAD.replace(' onclick="x()"', "").encode()
    latin1 = BAD.replace(" ☕", "").encode("latin-1")
    (folder / "latin1.svgx").write_bytes(latin1)
    p2 = svgx("check", "latin1.svgx", "--fix", cwd=folder)
    assert "latin1.svgx: not fixed: it is not valid UTF-8" in p2.stderr
    assert (folder / "latin1.svgx").read_bytes() == latin1
