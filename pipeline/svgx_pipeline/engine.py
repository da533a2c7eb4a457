"""The one entry point: ``check(document, workspace, settings) -> list[Diagnostic]``.

Checks are generators registered per file kind. The engine runs each one guarded (an
exception becomes one SVX903 diagnostic naming the check; the others still run), then
applies the configuration and the suppression comments.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from . import rules as rule_registry
from .config import Settings
from .diagnostics import Diagnostic, Edit, Fix, Related, Severity, Span, Tag
from .documents import Document, FileKind
from .jsonread import JsonDoc, parse_json
from .xmlread import SvgxDoc, parse

if TYPE_CHECKING:
    from .workspace import Workspace


class CheckContext:
    """What a check sees: the document, its parsed form, the settings, the workspace."""

    def __init__(
        self, document: Document, settings: Settings, workspace: Workspace | None = None
    ) -> None:
        self.document = document
        self.settings = settings
        self.workspace = workspace
        self.text = document.text
        # Checks that raised here: (check name, its codes, traceback). The pipeline records
        # the traceback in its audit log; the SVX903 diagnostic carries only the message.
        self.crashes: list[tuple[str, tuple[str, ...], str]] = []

    @cached_property
    def svgx(self) -> SvgxDoc:
        return parse(self.text)

    @cached_property
    def json(self) -> JsonDoc:
        return parse_json(self.text)

    def report(
        self,
        code: str,
        span: Span,
        message: str,
        *,
        fix: Fix | None = None,
        related: Iterable[Related] = (),
        tags: Iterable[Tag] = (),
        data: dict[str, Any] | None = None,
    ) -> Diagnostic:
        rule = rule_registry.get(code)
        if rule is None:
            raise KeyError(f"no rule {code}")
        return Diagnostic(
            code=code,
            message=message,
            span=span,
            severity=rule.severity,
            path=self.document.path,
            fix=fix,
            related=tuple(related),
            tags=tuple(tags),
            data=data or {},
        )


CheckFn = Callable[[CheckContext], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Check:
    name: str
    kinds: frozenset[FileKind]
    codes: tuple[str, ...]
    run: CheckFn
    reading: bool = False  # runs even on files over the size limit


_CHECKS: list[Check] = []


def check_function(
    name: str, kinds: Iterable[FileKind], codes: Iterable[str], *, reading: bool = False
) -> Callable[[CheckFn], CheckFn]:
    """Register a check: a generator of diagnostics for documents of the given kinds."""

    def register(fn: CheckFn) -> CheckFn:
        _CHECKS.append(Check(name, frozenset(kinds), tuple(codes), fn, reading))
        return fn

    return register


def checks_for(kind: FileKind) -> list[Check]:
    rule_registry._load()  # import the check modules (all_rules() would sort every rule on each call)
    return [c for c in _CHECKS if kind in c.kinds]


# --------------------------------------------------------------------------- suppression

_SUPPRESS = re.compile(r"^\s*svgx:\s*(ignore-file|ignore)\b(.*?)\s*$", re.S)
_CODE_LIST = re.compile(r"SVX[0-9]{3}")


@dataclass
class Suppression:
    codes: tuple[str, ...]
    comment: Span
    scope: Span | None  # None: the whole file
    used: set[str] = field(default_factory=set)


def suppressions(doc: SvgxDoc) -> list[Suppression]:
    if "svgx:" not in doc.text:
        return []
    out: list[Suppression] = []
    tags = doc.tag_tokens
    for c in doc.comments:
        m = _SUPPRESS.match(doc.text[c.body_span.start : c.body_span.end])
        if not m:
            continue
        codes = tuple(_CODE_LIST.findall(m.group(2).upper()))
        if m.group(1) == "ignore-file":
            out.append(Suppression(codes, c.span, None))
            continue
        nxt = next((t for t in tags if t.start >= c.span.end), None)
        scope = Span(nxt.start, nxt.end) if nxt else Span(c.span.end, c.span.end)
        out.append(Suppression(codes, c.span, scope))
    return out


def _apply_suppressions(
    ctx: CheckContext, diags: list[Diagnostic], settings: Settings,
    families: tuple[str, ...] | None = None,
) -> list[Diagnostic]:
    """Drop suppressed findings; report suppressions that suppress nothing (SVX901).

    ``families``: the code prefixes that were checked (None: all). A suppression of a rule
    that did not run in this step is not unused."""
    sups = suppressions(ctx.svgx)
    if not sups:
        return diags
    kept: list[Diagnostic] = []
    for d in diags:
        hit = False
        for s in sups:
            if d.code in s.codes and (
                s.scope is None or s.scope.start <= d.span.start < max(s.scope.end, s.scope.start + 1)
            ):
                s.used.add(d.code)
                hit = True
        if not hit:
            kept.append(d)
    for s in sups:
        # In a run limited to some families, only their codes can prove a comment unused;
        # a comment naming no code is reported once, by the run that includes SVX9.
        if families is not None and not (s.codes or "SVX9".startswith(families)):
            continue
        unused = [c for c in s.codes if c not in s.used and (families is None or c.startswith(families))]
        if not s.codes:
            msg = "suppression comment names no rule code (write e.g. `svgx: ignore SVX501`)"
        elif unused:
            what = "the file" if s.scope is None else "the next element"
            msg = f"suppression of {', '.join(unused)} suppresses nothing in {what}"
        else:
            continue
        sev = settings.severity_of("SVX901", Severity.WARNING, ctx.document.path)
        if sev is not Severity.OFF:
            fix = _suppression_fix(ctx.text, s, unused)
            kept.append(ctx.report("SVX901", s.comment, msg, fix=fix, tags=(Tag.UNNECESSARY,)).with_severity(sev))
    return kept


def _suppression_fix(text: str, s: Suppression, unused: list[str]) -> Fix:
    """Remove the comment (with its line when it stands alone), or only its unused codes."""
    still = [c for c in s.codes if c not in unused]
    if still:
        kind = "ignore-file" if s.scope is None else "ignore"
        return Fix(f"remove {', '.join(unused)} from the comment",
                   (Edit(s.comment, f"<!-- svgx: {kind} {' '.join(still)} -->"),))
    start, end = s.comment.start, s.comment.end
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    if text[line_start:start].strip() == "" and text[end:line_end].strip() == "":
        start, end = line_start, min(line_end + 1, len(text))
    return Fix("remove the comment", (Edit(Span(start, end), ""),))


# --------------------------------------------------------------------------- the engine


def _internal_error(ctx: CheckContext, chk: Check, exc: BaseException) -> Diagnostic:
    where = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    codes = ", ".join(chk.codes[:6]) + ("…" if len(chk.codes) > 6 else "")
    return ctx.report(
        "SVX903",
        Span(0, 0),
        f"internal error in check {chk.name} ({codes}): {where}; the other checks ran. Please report this.",
    )


def run_checks(ctx: CheckContext, checks: Iterable[Check]) -> Iterator[Diagnostic]:
    for chk in checks:
        try:
            yield from chk.run(ctx)
        except Exception as exc:  # a broken rule must never take the others down
            ctx.crashes.append((chk.name, chk.codes, traceback.format_exc()))
            yield _internal_error(ctx, chk, exc)


def check(
    document: Document,
    workspace: Workspace | None = None,
    settings: Settings | None = None,
    *,
    families: Iterable[str] | None = None,
    context: CheckContext | None = None,
) -> list[Diagnostic]:
    """All diagnostics for one document, configured, suppressed and sorted.

    ``families`` limits the run to code prefixes (``("SVX1",)``): the pipeline's steps.
    ``context`` reuses a context made for this document by an earlier call (its parsed
    trees are cached), so running the steps one by one parses each file once.
    """
    settings = settings or (workspace.settings if workspace is not None else Settings())
    families = tuple(families) if families is not None else None
    if context is not None and context.document is document and context.settings is settings:
        ctx = context
    else:
        ctx = CheckContext(document, settings, workspace)
    checks = checks_for(document.kind)
    if families is not None:
        prefixes = tuple(families)
        checks = [c for c in checks if any(code.startswith(prefixes) for code in c.codes)]
    limit, chars = settings.limits.max_file_size, len(document.text)
    # The limit is in bytes (as SVX005 says); a text can be under it in code points but
    # over it in UTF-8. Encoding is only needed when the text could be that close.
    too_big = chars > limit or (
        chars * 4 > limit and len(document.text.encode("utf-8", "surrogatepass")) > limit
    )
    if too_big:
        checks = [c for c in checks if c.reading]
    raw = list(run_checks(ctx, checks))
    if too_big and (families is None or any("SVX0".startswith(f) or f.startswith("SVX0") for f in families)):
        size = len(document.text.encode("utf-8", "surrogatepass"))
        raw.append(
            ctx.report(
                "SVX005",
                Span(0, 0),
                f"file is {size:,} bytes, over the analysis limit of {settings.limits.max_file_size:,}"
                " (limits.max-file-size): only reading checks ran",
            )
        )
    if families is not None:
        prefixes = tuple(families)
        raw = [d for d in raw if d.code.startswith(prefixes) or d.code == "SVX903"]
    configured: list[Diagnostic] = []
    for d in raw:
        rule = rule_registry.get(d.code)
        default = rule.severity if rule else d.severity
        sev = settings.severity_of(d.code, default, document.path)
        if sev is Severity.OFF:
            continue
        configured.append(d if sev == d.severity else d.with_severity(sev))
    if document.kind is FileKind.SVGX and not too_big:
        configured = _apply_suppressions(ctx, configured, settings, families)
    unique = {(d.code, d.span, d.message): d for d in configured}
    return sorted(unique.values(), key=Diagnostic.sort_key)
