"""Printing diagnostics: text, json, sarif, github and junit.

This is one of the two edges where code-point spans become lines and columns
(1-based here, counted in code points; SARIF says so with ``columnKind``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from . import __version__
from . import rules as rule_registry
from .diagnostics import Diagnostic, Severity
from .text import LineIndex

DOCS_DIR = Path(__file__).parent / "docs"
FORMATS = ("text", "json", "sarif", "github", "junit")


def docs_url(code: str) -> str:
    """Where the rule's documentation page is: the page shipped inside the package."""
    return (DOCS_DIR / f"{code}.md").resolve().as_uri()


@dataclass
class FileResult:
    path: str  # as shown to the user
    text: str
    diagnostics: list[Diagnostic]

    def __post_init__(self) -> None:
        self._lines: LineIndex | None = None

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    def start_end(self, d: Diagnostic) -> tuple[tuple[int, int], tuple[int, int]]:
        """1-based (line, column) of the start and end of a diagnostic."""
        (l1, c1), (l2, c2) = self.lines.position(d.span.start), self.lines.position(d.span.end)
        return (l1 + 1, c1 + 1), (l2 + 1, c2 + 1)


def _all(results: Iterable[FileResult]) -> list[tuple[FileResult, Diagnostic]]:
    return [(r, d) for r in results for d in r.diagnostics]


def counts(results: Iterable[FileResult]) -> Counter[Severity]:
    return Counter(d.severity for _, d in _all(results))


def format_text(results: Sequence[FileResult], *, summary: bool = True) -> str:
    out = []
    for r, d in _all(results):
        (line, col), _ = r.start_end(d)
        mark = " [*]" if d.fix else ""
        out.append(f"{r.path}:{line}:{col}: {d.severity}: {d.code}{mark} {d.message}")
    if summary:
        c = counts(results)
        total = sum(c.values())
        fixable = sum(1 for _, d in _all(results) if d.fix)
        if total:
            severities = (Severity.ERROR, Severity.WARNING, Severity.INFO)
            parts = [f"{c[s]} {s}{'s' if c[s] != 1 else ''}" for s in severities if c[s]]
            files = f"{len(results)} file{'s' if len(results) != 1 else ''}"
            found = f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) in {files}."
            if fixable:
                found += f" {fixable} fixable with --fix (marked [*])."
            out.append(found)
        else:
            out.append(f"All checks passed ({len(results)} file{'s' if len(results) != 1 else ''}).")
    return "\n".join(out) + "\n"


def _location(r: FileResult, start: int, end: int) -> dict[str, Any]:
    (l1, c1), (l2, c2) = r.lines.position(start), r.lines.position(end)
    return {"row": l1 + 1, "column": c1 + 1, "end_row": l2 + 1, "end_column": c2 + 1}


def to_json(results: Sequence[FileResult]) -> list[dict[str, Any]]:
    items = []
    for r, d in _all(results):
        rule = rule_registry.get(d.code)
        item: dict[str, Any] = {
            "code": d.code,
            "name": rule.name if rule else None,
            "severity": str(d.severity),
            "message": d.message,
            "filename": r.path,
            "location": _location(r, d.span.start, d.span.end),
            "span": [d.span.start, d.span.end],
            "fix": None,
            "related": [
                {"message": rel.message, "filename": rel.path or r.path,
                 **({"location": _location(r, rel.span.start, rel.span.end)}
                    if rel.path in (None, d.path)
                    else {"span": [rel.span.start, rel.span.end]})}
                for rel in d.related
            ],
            "url": docs_url(d.code),
        }
        if d.fix:
            item["fix"] = {
                "message": d.fix.title,
                "edits": [
                    {"content": e.new_text, **_location(r, e.span.start, e.span.end)} for e in d.fix.edits
                ],
            }
        items.append(item)
    return items


def format_json(results: Sequence[FileResult]) -> str:
    return json.dumps(to_json(results), indent=2, ensure_ascii=False) + "\n"


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def to_sarif(results: Sequence[FileResult]) -> dict[str, Any]:
    rules = rule_registry.all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    sarif_results = []
    for r, d in _all(results):
        (l1, c1), (l2, c2) = r.start_end(d)
        res: dict[str, Any] = {
            "ruleId": d.code,
            "ruleIndex": index.get(d.code, -1),
            "level": _SARIF_LEVEL.get(d.severity, "note"),
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": Path(r.path).as_posix()},
                        "region": {"startLine": l1, "startColumn": c1, "endLine": l2, "endColumn": c2},
                    }
                }
            ],
        }
        if d.fix:
            res["fixes"] = [
                {
                    "description": {"text": d.fix.title},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": Path(r.path).as_posix()},
                            "replacements": [
                                {
                                    "deletedRegion": _sarif_region(r, e.span.start, e.span.end),
                                    "insertedContent": {"text": e.new_text},
                                }
                                for e in d.fix.edits
                            ],
                        }
                    ],
                }
            ]
        sarif_results.append(res)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "svgx",
                        "version": __version__,
                        "rules": [
                            {
                                "id": rule.code,
                                "name": rule.name,
                                "shortDescription": {"text": rule.summary.split("\n")[0]},
                                "fullDescription": {"text": rule.summary},
                                "help": {"text": rule.why, "markdown": rule.explanation()},
                                "helpUri": docs_url(rule.code),
                                "defaultConfiguration": {"level": _SARIF_LEVEL.get(rule.severity, "none")},
                            }
                            for rule in rules
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }


def _sarif_region(r: FileResult, start: int, end: int) -> dict[str, int]:
    (l1, c1), (l2, c2) = r.lines.position(start), r.lines.position(end)
    return {"startLine": l1 + 1, "startColumn": c1 + 1, "endLine": l2 + 1, "endColumn": c2 + 1}


def format_sarif(results: Sequence[FileResult]) -> str:
    return json.dumps(to_sarif(results), indent=2, ensure_ascii=False) + "\n"


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


_GH_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def format_github(results: Sequence[FileResult]) -> str:
    out = []
    for r, d in _all(results):
        (l1, c1), (l2, c2) = r.start_end(d)
        props = f"file={_gh_escape(r.path, True)},line={l1},col={c1},endLine={l2},endColumn={c2},title={d.code}"
        out.append(f"::{_GH_LEVEL.get(d.severity, 'notice')} {props}::{_gh_escape(f'{d.code} {d.message}')}")
    return "\n".join(out) + ("\n" if out else "")


def format_junit(results: Sequence[FileResult]) -> str:
    total = sum(len(r.diagnostics) for r in results)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="svgx" tests="{max(total, len(results))}" failures="{total}">',
    ]
    for r in results:
        n = len(r.diagnostics)
        lines.append(f"  <testsuite name={quoteattr(r.path)} tests=\"{max(n, 1)}\" failures=\"{n}\">")
        if not r.diagnostics:
            lines.append(f"    <testcase name=\"svgx\" classname={quoteattr(r.path)}/>")
        for d in r.diagnostics:
            (l1, c1), _ = r.start_end(d)
            name = quoteattr(f"{d.code} at {l1}:{c1}")
            lines.append(f"    <testcase name={name} classname={quoteattr(r.path)} line=\"{l1}\">")
            lines.append(
                f"      <failure message={quoteattr(d.message)} type={quoteattr(str(d.severity))}>"
                f"{escape(f'{r.path}:{l1}:{c1}: {d.code} {d.message}')}</failure>"
            )
            lines.append("    </testcase>")
        lines.append("  </testsuite>")
    lines.append("</testsuites>")
    return "\n".join(lines) + "\n"


def format_statistics(results: Sequence[FileResult]) -> str:
    c: Counter[str] = Counter(d.code for _, d in _all(results))
    fixable = {d.code for _, d in _all(results) if d.fix}
    out = []
    for code, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = rule_registry.get(code)
        out.append(f"{n:5d}  {code}  {'[*]' if code in fixable else '   '} {rule.name if rule else ''}")
    return "\n".join(out) + ("\n" if out else "")


def render(fmt: str, results: Sequence[FileResult]) -> str:
    return {
        "text": format_text,
        "json": format_json,
        "sarif": format_sarif,
        "github": format_github,
        "junit": format_junit,
    }[fmt](results)
