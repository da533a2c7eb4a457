"""The rule registry: every rule declares itself once, with its documentation.

A rule's explanation *is* its documentation: ``svgx rule CODE``, the server's hover and
the ``codeDescription`` page all render :meth:`Rule.explanation`.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from .diagnostics import Severity

FAMILIES: dict[str, tuple[str, str]] = {
    "SVX0": ("reading", "every step"),
    "SVX1": ("schema", "validate-schema"),
    "SVX2": ("symbols", "validate-symbol"),
    "SVX3": ("behavior", "validate-behavior"),
    "SVX4": ("registry", "validate-registry"),
    "SVX5": ("compliance", "validate-compliance"),
    "SVX9": ("tool", "every step"),
}

_CODE = re.compile(r"SVX[0-9]{3}")
_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    why: str
    example: str
    fixed: str
    fix: str | None = None  # title of the safe fix, when the rule has one

    @property
    def family(self) -> str:
        return FAMILIES[self.code[:4]][0]

    @property
    def step(self) -> str:
        return FAMILIES[self.code[:4]][1]

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    def explanation(self) -> str:
        """Markdown documentation of the rule."""
        parts = [
            f"# {self.code} {self.name}",
            "",
            f"Family: {self.family} ({self.step}). Default severity: {self.severity}."
            + (f" Fix available: {self.fix}." if self.fix else ""),
            "",
            "## What it does",
            self.summary,
            "",
            "## Why it matters",
            self.why,
        ]
        if self.example:
            parts += ["", "## Example", "```", self.example, "```"]
        if self.fixed:
            parts += ["", "Use instead:", "```", self.fixed, "```"]
        return "\n".join(parts) + "\n"


_RULES: dict[str, Rule] = {}


def define(
    code: str,
    name: str,
    severity: str,
    summary: str,
    *,
    why: str,
    example: str = "",
    fixed: str = "",
    fix: str | None = None,
) -> Rule:
    """Register a rule and return it. Codes and names are unique and never reused."""
    if not _CODE.fullmatch(code) or code[:4] not in FAMILIES:
        raise ValueError(f"bad rule code {code!r}")
    if not _NAME.fullmatch(name):
        raise ValueError(f"rule name {name!r} must be kebab-case")
    if code in _RULES:
        raise ValueError(f"rule {code} defined twice")
    if any(r.name == name for r in _RULES.values()):
        raise ValueError(f"rule name {name!r} used twice")
    rule = Rule(
        code=code,
        name=name,
        severity=Severity.parse(severity),
        summary=textwrap.dedent(summary).strip(),
        why=textwrap.dedent(why).strip(),
        example=textwrap.dedent(example).strip("\n"),
        fixed=textwrap.dedent(fixed).strip("\n"),
        fix=fix,
    )
    _RULES[code] = rule
    return rule


def _load() -> None:
    # Importing the check modules registers their rules.
    from . import checks  # noqa: F401


def all_rules() -> list[Rule]:
    _load()
    return [_RULES[c] for c in sorted(_RULES)]


def get(code: str) -> Rule | None:
    _load()
    return _RULES.get(code.upper())


def matches(code: str, selectors: list[str] | tuple[str, ...]) -> bool:
    """True when ``code`` is named by a selector: a full code, a prefix, or ``ALL``."""
    return any(s == "ALL" or code.startswith(s) for s in selectors)
