"""The small frozen types every check produces: spans, edits, fixes, diagnostics.

Spans are code-point offsets into the document text (Python ``str`` indices). Turning
them into lines and columns in a client's encoding happens once, at the edge
(``svgx_pipeline.text.LineIndex``), never inside a rule.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any


class Severity(enum.IntEnum):
    """Severity of a finding; ``OFF`` disables a rule. Higher is more severe."""

    OFF = 0
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            names = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of {names})") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Span:
    """Half-open range ``[start, end)`` of code points in the document text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span {self.start}..{self.end}")

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end or (self.start == self.end == offset)

    def shift(self, delta: int) -> Span:
        return Span(self.start + delta, self.end + delta)


@dataclass(frozen=True)
class Edit:
    """Replace the text of ``span`` with ``new_text``."""

    span: Span
    new_text: str


@dataclass(frozen=True)
class Fix:
    """A set of non-overlapping edits that together repair one finding.

    Every fix shipped by a rule is *safe*: applying it never changes what the file means
    beyond repairing the finding, so ``--fix`` and ``source.fixAll`` may apply it unasked.
    """

    title: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Related:
    """Another place involved in a finding (the first of two duplicate ids, say)."""

    message: str
    span: Span
    path: str | None = None  # None: the same document


class Tag(enum.Enum):
    UNNECESSARY = "unnecessary"
    DEPRECATED = "deprecated"


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    span: Span
    severity: Severity
    path: str | None = None
    fix: Fix | None = None
    related: tuple[Related, ...] = ()
    tags: tuple[Tag, ...] = ()
    # Structured facts for tools (e.g. the missing profile id for "create it" actions).
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    def with_path(self, path: str | None) -> Diagnostic:
        return replace(self, path=path)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path or "", self.span.start, self.span.end, self.code)
