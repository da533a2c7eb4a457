"""One model of behavior for both sources: a profile (JSON) and inline ``arx:behavior``.

Positions are kept as locators that compute a span only when a finding needs one, so a
clean drawing with thousands of inline behaviors never pays for span computation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..diagnostics import Span

Where = Callable[[], Span]


class Src:
    """A piece of text as decoded (a formula, a unit) and where each character is in the file."""

    __slots__ = ("value", "_offsets", "_get")

    def __init__(self, value: str, get_offsets: Callable[[], list[int]]) -> None:
        self.value = value
        self._offsets: list[int] | None = None
        self._get = get_offsets

    def offsets(self) -> list[int]:
        if self._offsets is None:
            offs = self._get()
            if len(offs) != len(self.value) + 1:  # defensive: never index out of range
                base = offs[0] if offs else 0
                offs = [base + i for i in range(len(self.value) + 1)]
            self._offsets = offs
        return self._offsets

    def span(self, start: int = 0, end: int | None = None) -> Span:
        offs = self.offsets()
        n = len(self.value)
        end = n if end is None else end
        s = offs[max(0, min(start, n))]
        e = offs[max(0, min(end, n))]
        return Span(s, max(s, e))


def fixed(span: Span) -> Where:
    return lambda: span


@dataclass
class Num:
    value: float
    where: Where


@dataclass
class Var:
    name: str
    where: Where  # the name (a JSON key, a name= value)
    kind: str  # input, output, state, parameter (inline: variable -> input, calculation -> output)
    unit: Src | None = None
    default: Num | None = None
    min: Num | None = None
    max: Num | None = None
    formula: Src | None = None
    origin: str = "variable"  # variable / calculation (inline), for messages

    @property
    def computed(self) -> bool:
        return self.formula is not None


@dataclass
class Level:
    side: str  # above, below
    level: str  # warning, critical
    value: Num


@dataclass
class Threshold:
    variable: str
    where: Where
    levels: list[Level]
    unit: Src | None = None


@dataclass
class Constraint:
    name: str
    expr: Src
    where: Where


@dataclass
class Transition:
    src: str
    src_where: Where
    dst: str
    dst_where: Where
    event: str
    event_where: Where
    guard: Src | None
    where: Where


@dataclass
class Machine:
    where: Where
    initial: str | None
    initial_where: Where
    states: dict[str, tuple[Where, bool]]  # name -> (where, terminal)
    transitions: list[Transition]


@dataclass
class Trigger:
    event: str
    action: str
    action_where: Where


@dataclass
class Duplicate:
    name: str
    where: Where
    first: Where


@dataclass
class Behavior:
    source: str  # "profile" or "inline"
    variables: list[Var] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    thresholds: list[Threshold] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    machine: Machine | None = None
    triggers: list[Trigger] = field(default_factory=list)
    profile_id: str | None = None  # inline: the profile the object names
    profile_where: Where | None = None

    def var(self, name: str) -> Var | None:
        for v in self.variables:
            if v.name == name:
                return v
        return None


BUILTIN_ACTIONS = ("toggle", "reset", "auto_off")
