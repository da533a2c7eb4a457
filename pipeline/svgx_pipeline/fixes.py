"""Applying safe fixes to a text."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .diagnostics import Diagnostic, Edit, Fix


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """Apply every fix whose edits overlap no fix applied before it; return the new text and
    how many fixes were applied. Fixes that conflict wait for the next round."""
    chosen: list[Edit] = []
    applied = 0
    taken: list[tuple[int, int]] = []
    for fix in fixes:
        spans = [(e.span.start, e.span.end) for e in fix.edits]
        if any(_overlaps(s, t) for s in spans for t in taken):
            continue
        taken.extend(spans)
        chosen.extend(fix.edits)
        applied += 1
    out = text
    for edit in sorted(chosen, key=lambda e: (e.span.start, e.span.end), reverse=True):
        out = out[: edit.span.start] + edit.new_text + out[edit.span.end :]
    return out, applied


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] and b[0] == b[1]:
        return a[0] == b[0]  # two insertions at one place: order would be ambiguous
    return a[0] < b[1] and b[0] < a[1] or (a[0] == a[1] and b[0] < a[0] < b[1]) or (
        b[0] == b[1] and a[0] < b[0] < a[1]
    )


def fix_all(
    text: str, analyse: Callable[[str], list[Diagnostic]], *, rounds: int = 10
) -> tuple[str, int, list[Diagnostic]]:
    """Fix, re-analyse, repeat until nothing fixable is left (or ``rounds`` is reached).

    Returns the fixed text, the number of fixes applied and the remaining diagnostics.
    """
    total = 0
    diags = analyse(text)
    for _ in range(rounds):
        fixes = [d.fix for d in diags if d.fix is not None]
        if not fixes:
            break
        text, n = apply_fixes(text, fixes)
        if n == 0:
            break
        total += n
        diags = analyse(text)
    return text, total, diags
