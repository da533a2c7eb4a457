"""Regressions found by an adversarial read of the analysis core: one test per bug."""

from __future__ import annotations

from pathlib import Path

import pytest
from svgx_pipeline import engine
from svgx_pipeline.config import Settings
from svgx_pipeline.diagnostics import Diagnostic, Severity
from svgx_pipeline.documents import Document, FileKind
from svgx_pipeline.fixes import fix_all
from svgx_pipeline.xmlread import parse


def check(text: str, path: str = "d.svgx", kind: FileKind = FileKind.SVGX) -> list[Diagnostic]:
    return engine.check(Document(path, text, kind))


def fixed(text: str, path: str = "d.svgx") -> str:
    new, _, _ = fix_all(text, lambda t: check(t, path))
    return new


def test_undeclared_prefix_other_than_arx_is_not_namespace_well_formed() -> None:
    text = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>t</title>'
        '<rect id="x" width="1" height="1"/><use xlink:href="#x"/><bim:thing/></svg>'
    )
    found = [(d.code, text[d.span.start : d.span.end]) for d in check(text)]
    assert found == [("SVX001", "xlink"), ("SVX001", "bim")]
    new = fixed(text)
    assert 'xmlns:xlink="http://www.w3.org/1999/xlink"' in new
    assert [d.code for d in check(new)] == ["SVX001"]  # bim: has no known URI to declare


def test_qualify_fix_uses_the_prefix_the_file_binds_to_arx() -> None:
    text = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:a="http://arxos.io/svgx" viewBox="0 0 10 10">'
        '<title>t</title><a:object id="o1" type="room"><a:behavior><variables>'
        '<variable name="v" unit="V" value="1"/></variables></a:behavior></a:object></svg>'
    )
    (d,) = check(text)
    assert d.code == "SVX110" and "write <a:variables>" in d.message
    assert d.fix is not None
    new, _, rest = fix_all(text, check, rounds=1)
    assert "<a:variables><a:variable " in new and "</a:variables>" in new and "xmlns:arx" not in new
    assert rest == []


def test_per_file_ignores_and_ignore_win_over_a_severity_entry() -> None:
    # The README's own example: SVX110 made an error, but ignored in legacy drawings.
    settings = Settings.model_validate(
        {"severity": {"SVX110": "error"}, "per_file_ignores": {"drawings/legacy/*.svgx": ["SVX110"]}}
    )
    assert settings.severity_of("SVX110", Severity.WARNING, "drawings/legacy/a.svgx") is Severity.OFF
    assert settings.severity_of("SVX110", Severity.WARNING, "drawings/new/a.svgx") is Severity.ERROR
    ignored = Settings.model_validate({"severity": {"SVX110": "error"}, "ignore": ["SVX110"]})
    assert ignored.severity_of("SVX110", Severity.WARNING, "a.svgx") is Severity.OFF
    # A severity entry still enables a rule that is off by default.
    assert Settings(severity={"SVX510": Severity.INFO}).severity_of("SVX510", Severity.OFF) is Severity.INFO


def test_empty_file_is_one_finding() -> None:
    for text in ("", "  \n\t\n", "\ufeff"):
        assert [(d.code, d.message) for d in check(text)] == [("SVX001", "not well-formed: the file is empty")]


def test_argument_count_messages_say_what_is_wrong() -> None:
    from svgx_pipeline.behavior.formula import parse_formula

    def message(text: str) -> str:
        parsed = parse_formula(text)
        assert parsed.error is not None
        return parsed.error.message

    assert message("min()") == "min() takes at least 1 argument, got 0"
    assert message("max(" + ", ".join(["1"] * 65) + ")") == "max() takes at most 64 arguments, got 65"
    assert message("floor(1, 2)") == "floor() takes 1 argument, got 2"
    assert message("clamp(1)") == "clamp() takes 3 arguments, got 1"


def test_parse_error_column_counts_characters_not_bytes() -> None:
    # libxml2 counts é and 🏢 as one column each; reading the column as bytes moved the
    # position left by one per extra UTF-8 byte before it on the line.
    text = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><title>éééé🏢</title>'
        '<rect width="1" & height="1"/></svg>\n'
    )
    (err,) = parse(text).errors
    assert text[err.span.start : err.span.end] == "&"


def test_tag_mismatch_underlines_the_end_tag() -> None:
    text = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">\r\n<g>\r\n<rect width="1"></g >\r\n</svg>\r\n'
    (err,) = parse(text).errors
    assert text[err.span.start : err.span.end] == "g" and text[err.span.start - 2 : err.span.start] == "</"


def test_trimming_a_symbol_name_keeps_its_entities() -> None:
    from svgx_pipeline.workspace import Workspace

    folder = Path(__file__).parent / "fixtures" / "rules" / "SVX203"
    ws = Workspace(folder)
    path = "symbols/audiovisual/av-display.svgx"
    text = (folder / path).read_text("utf-8").replace('name=" LED Display "', 'name=" LED &amp; &quot;Pro&quot; "')

    def analyse(t: str) -> list[Diagnostic]:
        return engine.check(Document(path, t, FileKind.SVGX), ws)

    assert any(d.code == "SVX203" and d.fix for d in analyse(text))
    new, _, _ = fix_all(text, analyse)
    assert 'name="LED &amp; &quot;Pro&quot;"' in new
    assert parse(new).well_formed


def test_a_step_does_not_call_suppressions_of_other_steps_unused() -> None:
    text = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><title>t</title>\n'
        "<!-- svgx: ignore SVX501 -->\n<script/>\n<!-- svgx: ignore SVX502 -->\n<rect/></svg>"
    )

    def found(families: tuple[str, ...] | None) -> list[tuple[str, str]]:
        return [(d.code, text[d.span.start : d.span.end]) for d in engine.check(
            Document("d.svgx", text, FileKind.SVGX), families=families)]

    unused_502 = [("SVX901", "<!-- svgx: ignore SVX502 -->")]
    assert found(None) == unused_502
    assert found(("SVX1",)) == []  # the schema step ran neither SVX501 nor SVX502
    assert found(("SVX5",)) == unused_502


def test_fix_keeps_bom_and_crlf_and_never_rewrites_invalid_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from svgx_pipeline.cli import main

    head = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">\r\n<title>caf'
    latin1 = tmp_path / "latin1.svgx"
    latin1.write_bytes(head + b'\xe9</title><rect onclick="x"/></svg>\r\n')
    bom = tmp_path / "bom.svgx"
    bom.write_bytes(b"\xef\xbb\xbf" + head + b'\xc3\xa9</title><rect onclick="x"/></svg>\r\n')
    monkeypatch.chdir(tmp_path)
    main(["check", "--fix", "--jobs", "1", "."])
    capsys.readouterr()
    assert latin1.read_bytes() == head + b'\xe9</title><rect onclick="x"/></svg>\r\n'
    assert bom.read_bytes() == b"\xef\xbb\xbf" + head + b"\xc3\xa9</title><rect/></svg>\r\n"


def test_profile_variable_name_that_is_not_an_identifier_is_reported_at_its_key() -> None:
    text = (
        '{"id": "t_behavior", "version": "1.0.0", "system": "electrical", "applies_to": ["electrical.x"],\n'
        ' "variables": {"v": {"kind": "input", "default": 1}, "w\\u00e9": {"kind": "input", "default": 1}},\n'
        ' "states": {"initial": "on", "states": {"on": {}, "2nd": {}}, "transitions": []}}'
    )
    found = [(text[d.span.start : d.span.end], d.message)
             for d in check(text, "t.behavior.json", FileKind.BEHAVIOR) if d.code == "SVX320"]
    assert found == [
        ('"w\\u00e9"', "`wé` in variables is not an identifier (letters, digits and _, not starting with a digit)"),
        ('"2nd"', "`2nd` in states.states is not an identifier (letters, digits and _, not starting with a digit)"),
    ]


def test_json_trailing_comma_is_reported_at_the_comma() -> None:
    from svgx_pipeline.jsonread import parse_json

    text = '{"symbols": [\n  {"id": "a"},\n]}'
    doc = parse_json(text)
    assert doc.error is not None
    span, message = doc.error
    assert text[span.start : span.end] == "," and span.start == text.index("},") + 1
    assert message == "trailing comma before ']'"


def test_a_bad_severity_is_reported_at_its_line_and_keeps_the_others() -> None:
    from svgx_pipeline.config import parse_config_text

    text = 'select = ["ALL"]\n[severity]\nSVX509 = "info"\nSVX501 = "loud"\n'
    loaded = parse_config_text(text, "svgx.toml", "svgx.toml")
    assert loaded.settings.severity == {"SVX509": Severity.INFO}
    (problem,) = loaded.problems
    assert text[problem.span.start : problem.span.end] == '"loud"'
    assert problem.message.startswith("invalid setting severity.SVX501: unknown severity 'loud'")


def test_bad_select_on_the_command_line_is_one_plain_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from svgx_pipeline.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["check", ".", "--select", "SVX5,FOO"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "svgx: invalid --select/--extend-select/--ignore: not a rule code or prefix: FOO"


def test_file_size_limit_counts_bytes() -> None:
    from svgx_pipeline.config import Limits

    text = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><title>' + "é" * 70 + "</title></svg>"
    assert len(text) < 200 < len(text.encode("utf-8"))
    settings = Settings(limits=Limits(max_file_size=200))
    found = engine.check(Document("d.svgx", text, FileKind.SVGX), None, settings)
    assert [d.code for d in found] == ["SVX005"]
    assert f"file is {len(text.encode('utf-8'))} bytes, over the analysis limit of 200" in found[0].message


def test_a_file_svgx_has_no_checks_for_is_not_reported_as_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from svgx_pipeline.cli import main

    (tmp_path / "notes.txt").write_text("hello\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "notes.txt"]) == 0
    out, err = capsys.readouterr()
    assert out == "All checks passed (0 files).\n"
    assert "notes.txt: not a kind of file svgx checks" in err
