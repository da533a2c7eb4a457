"""What validation proves about a behavior (behavior-profile.md §4, points 2-8).

``analyse(behavior, options)`` turns the model into findings: names, cycles, units, ranges,
thresholds, the state machine, triggers and the two simulations. It knows nothing of the
engine or of how findings are shown; the check module turns findings into diagnostics.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..diagnostics import Edit, Fix, Related, Span, Tag
from .formula import Binary, Name, Node, Parsed, parse_formula, tokenize, walk
from .infer import BOOL, PLAIN, Evaluation, Failure, Inference, Q, _same, q_of
from .model import BUILTIN_ACTIONS, Behavior, Src, Var
from .units import Unit, UnitProblem, dims_name, parse_unit

_CONSTANTS = frozenset({"pi", "e"})


@dataclass(frozen=True)
class Finding:
    code: str
    span: Span
    message: str
    fix: Fix | None = None
    related: tuple[Related, ...] = ()
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True)
class Options:
    strict: bool = False
    max_length: int = 1000
    max_depth: int = 50
    max_corners: int = 64
    # Events a trigger may name when the behavior has no state machine of its own (inline
    # behavior of an object that names a profile: the profile's events). None: unknown.
    external_events: frozenset[str] | None = frozenset()


def fmt(value: float) -> str:
    if value == 0:
        return "0"
    return f"{value:.6g}"


def with_unit(value: float, unit: str) -> str:
    return f"{fmt(value)} {unit}" if unit else fmt(value)


def _nearest(word: str, candidates: Iterable[str]) -> str | None:
    got = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.7)
    return got[0] if got else None


Scale = tuple[float, float]  # a threshold's value in its variable's unit: value * [0] + [1]


def _limit(value: float, scale: Scale) -> float:
    return value * scale[0] + scale[1]


def _replace_fix(span: Span, old: str, new: str) -> Fix:
    return Fix(f"replace `{old}` with `{new}`", (Edit(span, new),))


@dataclass
class _Formula:
    src: Src
    tree: Node | None
    names: set[str] = field(default_factory=set)


class _Analysis:
    def __init__(self, b: Behavior, opts: Options) -> None:
        self.b = b
        self.opts = opts
        self.out: list[Finding] = []
        self.vars: dict[str, Var] = {v.name: v for v in b.variables}
        self.units: dict[str, Unit] = {}
        self.formulas: dict[str, _Formula] = {}
        self.types: dict[str, Q | None] = {}
        self.node_types: dict[str, dict[int, Q | None]] = {}
        self.order: list[str] = []
        self.used: set[str] = set()
        self.broken: set[str] = set()

    def add(self, code: str, span: Span, message: str, **kw: object) -> None:
        self.out.append(Finding(code, span, message, **kw))  # type: ignore[arg-type]

    # -- formulas and names ------------------------------------------------------------

    def parse(self, src: Src, what: str) -> _Formula:
        p: Parsed = parse_formula(src.value, self.opts.max_length, self.opts.max_depth)
        for c in p.carets:
            span = src.span(c, c + 1)
            self.add(
                "SVX322",
                span,
                f"{what}: `^` is a legacy spelling of `**` (power)",
                fix=Fix("replace `^` with `**`", (Edit(span, "**"),)),
                tags=(Tag.DEPRECATED,),
            )
        if p.error is not None:
            e = p.error
            self.add(e.code, src.span(e.start, e.end), f"{what}: {e.message}")
            # What the broken formula mentions still counts as used (no SVX321 noise).
            self.used |= {t.text for t in tokenize(src.value) if t.kind == "name"}
            return _Formula(src, None)
        assert p.tree is not None
        f = _Formula(src, p.tree)
        for n in walk(p.tree):
            if not isinstance(n, Name):
                continue
            f.names.add(n.id)
            if n.id in self.vars or n.id in ("pi", "e"):
                continue
            span = src.span(n.start, n.end)
            near = _nearest(n.id, self.vars)
            hint = f"; did you mean `{near}`?" if near else ""
            if near:
                self.used.add(near)  # the fix will use it: no SVX321 on top
            kind = (
                "variable of the profile"
                if self.b.source == "profile"
                else "variable or calculation of this behavior"
            )
            self.add(
                "SVX303",
                span,
                f"{what}: `{n.id}` is not a {kind}{hint}",
                fix=_replace_fix(span, n.id, near) if near else None,
            )
        self.used |= f.names
        return f

    def names(self) -> None:
        for d in self.b.duplicates:
            self.add(
                "SVX304",
                d.where(),
                f"`{d.name}` is defined twice",
                related=(Related(f"first definition of `{d.name}`", d.first()),),
            )
        for v in self.b.variables:
            if v.unit is not None:
                self.unit(v.unit, f"`{v.name}`")
            if self.b.source == "profile":
                if v.kind in ("input", "parameter") and v.formula is not None:
                    self.add(
                        "SVX324",
                        v.formula.span(),
                        f"`{v.name}` is an {v.kind} but has a formula: an input is set from "
                        "outside; make it an output or state, or drop the formula",
                    )
                elif v.kind in ("output", "state") and v.formula is None:
                    self.add(
                        "SVX324",
                        v.where(),
                        f"`{v.name}` is an {v.kind} without a formula: "
                        "give it a formula, or make it an input",
                    )
            if v.formula is not None:
                self.formulas[v.name] = self.parse(v.formula, f"formula of `{v.name}`")

    def unit(self, src: Src, owner: str) -> Unit | None:
        got = parse_unit(src.value)
        if isinstance(got, UnitProblem):
            span = src.span(got.start, got.end)
            near = (
                f"; did you mean {', '.join(f'`{s}`' for s in got.suggestions)}?"
                if got.suggestions
                else ""
            )
            fix = None
            if got.fix is not None:
                whole = src.span()
                fix = Fix(f"write the unit as `{got.fix.strip()}`", (Edit(whole, got.fix.strip()),))
            self.add("SVX309", span, f"unknown unit `{got.atom}` for {owner}{near}", fix=fix)
            return None
        if not got.canonical:
            return None
        return got

    # -- dependencies --------------------------------------------------------------------

    def cycles(self) -> set[str]:
        deps = {
            n: [d for d in sorted(f.names) if d in self.formulas] for n, f in self.formulas.items()
        }
        decl = {v.name: i for i, v in enumerate(self.b.variables)}
        in_cycle: set[str] = set()
        reported: set[frozenset[str]] = set()
        state: dict[str, int] = {}
        for start in self.formulas:
            if state.get(start):
                continue
            stack: list[tuple[str, int]] = [(start, 0)]
            path: list[str] = [start]
            state[start] = 1
            while stack:
                node, i = stack[-1]
                if i < len(deps[node]):
                    stack[-1] = (node, i + 1)
                    nxt = deps[node][i]
                    if state.get(nxt) == 1:
                        cyc = path[path.index(nxt) :]
                        key = frozenset(cyc)
                        in_cycle |= key
                        if key not in reported:
                            reported.add(key)
                            self.report_cycle(cyc, decl)
                    elif not state.get(nxt):
                        state[nxt] = 1
                        stack.append((nxt, 0))
                        path.append(nxt)
                else:
                    state[node] = 2
                    stack.pop()
                    path.pop()
        # Everything that depends on a cycle has no order either.
        changed = True
        while changed:
            changed = False
            for n, ds in deps.items():
                if n not in in_cycle and any(d in in_cycle for d in ds):
                    in_cycle.add(n)
                    changed = True
        return in_cycle

    def report_cycle(self, cyc: list[str], decl: dict[str, int]) -> None:
        k = min(range(len(cyc)), key=lambda i: decl.get(cyc[i], 0))
        cyc = cyc[k:] + cyc[:k]
        first, second = cyc[0], cyc[1 % len(cyc)]
        f = self.formulas[first]
        span = f.src.span()
        if f.tree is not None:
            for n in walk(f.tree):
                if isinstance(n, Name) and n.id == second:
                    span = f.src.span(n.start, n.end)
                    break
        path = " → ".join([*cyc, cyc[0]])
        related = tuple(
            Related(f"`{m}` takes part in the cycle", self.formulas[m].src.span()) for m in cyc[1:]
        )
        self.add("SVX305", span, f"dependency cycle: {path}", related=related)

    def topo(self, blocked: set[str]) -> None:
        done: set[str] = set()
        pending = [n for n in self.formulas if n not in blocked]
        while pending:
            progress = []
            for n in pending:
                if all(d in done or d not in self.formulas for d in self.formulas[n].names):
                    progress.append(n)
            if not progress:  # pragma: no cover - cycles were removed
                break
            for n in progress:
                done.add(n)
                self.order.append(n)
            pending = [n for n in pending if n not in done]

    # -- units ---------------------------------------------------------------------------

    def infer(self) -> None:
        for v in self.b.variables:
            u = parse_unit(v.unit.value) if v.unit is not None else None
            if isinstance(u, Unit) and u.canonical:
                self.units[v.name] = u
                self.types[v.name] = q_of(u)
            elif v.unit is None and v.formula is None and self.b.source == "profile":
                self.types[v.name] = PLAIN
            else:
                self.types[v.name] = None
        for name in self.order:
            f = self.formulas[name]
            if f.tree is None:
                continue
            inf = Inference(self.types, self.opts.strict)
            got = inf.run(f.tree)
            self.node_types[name] = inf.types
            for p in inf.problems:
                self.add("SVX306", f.src.span(p.start, p.end), f"formula of `{name}`: {p.message}")
            for p in inf.scales:
                self.add("SVX308", f.src.span(p.start, p.end), f"formula of `{name}`: {p.message}")
            if inf.problems:
                self.broken.add(name)  # simulating a dimensionally wrong formula proves nothing
            declared = self.units.get(name)
            if declared is None:
                self.types[name] = (
                    None
                    if got is None
                    else Q(
                        got.dims, got.factor, got.offset, got.temp, False, got.boolean, got.label
                    )
                )
                continue
            if got is None or got.literal:
                continue
            d = q_of(declared)
            declared_src = self.vars[name].unit
            if got.boolean or not _same(got.dims, d.dims) or (
                got.factor and abs(got.factor / d.factor - 1) > 1e-9
            ):  # spans are computed only for findings: clean drawings never pay for them
                unit_span = declared_src.span() if declared_src is not None else f.src.span()
                rel = (Related(f"declared unit of `{name}`", unit_span),)
            if got.boolean:
                self.add(
                    "SVX307",
                    f.src.span(),
                    f"`{name}` is declared in {declared.text.strip()} but its "
                    "formula yields a truth value",
                    related=rel,
                )
            elif not _same(got.dims, d.dims):
                self.add(
                    "SVX307",
                    f.src.span(),
                    f"`{name}` is declared in {declared.text.strip()} ({dims_name(d.dims)}) but its "
                    f"formula yields {got.describe()}",
                    related=rel,
                )
            elif got.factor and abs(got.factor / d.factor - 1) > 1e-9:
                ratio = got.factor / d.factor
                shown = got.label or "SI units"
                self.add(
                    "SVX308",
                    f.src.span(),
                    f"`{name}` is declared in {declared.text.strip()} but its formula yields {shown}: "
                    f"1 {shown} = {fmt(ratio)} {declared.text.strip()}",
                    related=rel,
                )

    def expression(self, src: Src, what: str) -> tuple[_Formula, dict[int, Q | None]]:
        f = self.parse(src, what)
        types: dict[int, Q | None] = {}
        if f.tree is not None:
            inf = Inference(self.types, self.opts.strict)
            got = inf.run(f.tree)
            types = inf.types
            for p in inf.problems:
                self.add("SVX306", src.span(p.start, p.end), f"{what}: {p.message}")
            for p in inf.scales:
                self.add("SVX308", src.span(p.start, p.end), f"{what}: {p.message}")
            if inf.problems:
                f.tree = None  # not simulated
            if got is not None and not got.boolean and not inf.problems:
                self.add(
                    "SVX301",
                    src.span(),
                    f"{what}: `{src.value}` is not a condition "
                    "(expected a comparison such as `current <= 1.5`)",
                )
        return f, types

    # -- ranges and thresholds -----------------------------------------------------------

    def ranges(self) -> None:
        for v in self.b.variables:
            lo, hi, d = v.min, v.max, v.default
            if lo is not None and hi is not None and lo.value > hi.value:
                self.add(
                    "SVX310",
                    lo.where(),
                    f"`{v.name}`: min {fmt(lo.value)} is above max {fmt(hi.value)}",
                )
                continue
            if d is None:
                continue
            word = "value" if self.b.source == "inline" else "default"
            if lo is not None and d.value < lo.value:
                self.add(
                    "SVX310",
                    d.where(),
                    f"`{v.name}`: {word} {fmt(d.value)} is below min {fmt(lo.value)}",
                )
            elif hi is not None and d.value > hi.value:
                self.add(
                    "SVX310",
                    d.where(),
                    f"`{v.name}`: {word} {fmt(d.value)} is above max {fmt(hi.value)}",
                )

    def thresholds(self) -> list[tuple[int, Scale]]:
        """Check thresholds; return, per threshold, the (factor, shift) converting its values."""
        scales: list[tuple[int, Scale]] = []
        for i, t in enumerate(self.b.thresholds):
            if t.variable not in self.vars:
                span = t.where()
                near = _nearest(t.variable, self.vars)
                hint = f"; did you mean `{near}`?" if near else ""
                self.add(
                    "SVX311",
                    span,
                    f"threshold on `{t.variable}`, which is not a variable{hint}",
                    fix=_replace_fix(span, f'"{t.variable}"', f'"{near}"') if near else None,
                )
                continue
            self.used.add(t.variable)
            scale: Scale = (1.0, 0.0)
            if t.unit is not None:
                tu = self.unit(t.unit, f"the threshold on `{t.variable}`")
                vu = self.units.get(t.variable)
                if tu is not None and vu is not None:
                    if not _same(tu.dims, vu.dims):
                        self.add(
                            "SVX311",
                            t.unit.span(),
                            f"threshold unit {tu.text.strip()} ({dims_name(tu.dims)}) "
                            f"does not fit `{t.variable}` in {vu.text.strip()} ({dims_name(vu.dims)})",
                        )
                        continue
                    # SI = value * factor + offset on both sides: 30 degC on a degF
                    # variable is 86 degF, not 30 * 1.8.
                    scale = (tu.factor / vu.factor, (tu.offset - vu.offset) / vu.factor)
            scales.append((i, scale))
            by = {(lv.side, lv.level): lv for lv in t.levels}
            for side, wrong in (("above", lambda w, c: w >= c), ("below", lambda w, c: w <= c)):
                w, c = by.get((side, "warning")), by.get((side, "critical"))
                if w is not None and c is not None and wrong(w.value.value, c.value.value):
                    rel = "below" if side == "above" else "above"
                    self.add(
                        "SVX311",
                        w.value.where(),
                        f"threshold on `{t.variable}` {side}: warning {fmt(w.value.value)} must be "
                        f"{rel} critical {fmt(c.value.value)}",
                    )
            highs = [lv.value.value for lv in t.levels if lv.side == "above"]
            lows = [lv.value.value for lv in t.levels if lv.side == "below"]
            if highs and lows and min(highs) <= max(lows):
                lv = next(x for x in t.levels if x.side == "above" and x.value.value == min(highs))
                self.add(
                    "SVX311",
                    lv.value.where(),
                    f"threshold on `{t.variable}`: above {fmt(min(highs))} overlaps below {fmt(max(lows))}, "
                    "so every value crosses one of them",
                )
        return scales

    # -- state machine and triggers ------------------------------------------------------

    def machine(self) -> set[str]:
        m = self.b.machine
        if m is None:
            return set()
        states = m.states
        events = {t.event for t in m.transitions if t.event}
        if m.initial is None:
            self.add("SVX312", m.initial_where(), "the state machine has no initial state")
        elif m.initial not in states:
            span = m.initial_where()
            near = _nearest(m.initial, states)
            hint = f"; did you mean `{near}`?" if near else ""
            self.add(
                "SVX312",
                span,
                f"initial state `{m.initial}` is not a state{hint}",
                fix=_replace_fix(span, f'"{m.initial}"', f'"{near}"') if near else None,
            )
        for t in m.transitions:
            for name, where in ((t.src, t.src_where), (t.dst, t.dst_where)):
                if name not in states:
                    span = where()
                    near = _nearest(name, states)
                    hint = f"; did you mean `{near}`?" if near else ""
                    self.add(
                        "SVX313",
                        span,
                        f"transition names `{name}`, which is not a state{hint}",
                        fix=_replace_fix(span, f'"{name}"', f'"{near}"') if near else None,
                    )
            if t.guard is not None:
                self.expression(t.guard, f"guard of {t.src} → {t.dst}")
        if m.initial in states:
            seen = {m.initial}
            frontier = [m.initial]
            out: dict[str, list[str]] = {}
            for t in m.transitions:
                out.setdefault(t.src, []).append(t.dst)
            while frontier:
                s = frontier.pop()
                for d in out.get(s, ()):
                    if d in states and d not in seen:
                        seen.add(d)
                        frontier.append(d)
            for s, (where, _terminal) in states.items():
                if s not in seen:
                    self.add(
                        "SVX314",
                        where(),
                        f"state `{s}` cannot be reached from the initial state `{m.initial}`",
                    )
        firsts: dict[tuple[str, str], int] = {}
        for i, t in enumerate(m.transitions):
            if t.guard is not None:
                continue
            key = (t.src, t.event)
            if key in firsts:
                other = m.transitions[firsts[key]]
                self.add(
                    "SVX315",
                    t.event_where(),
                    f"two unguarded transitions leave `{t.src}` on `{t.event}` (to `{other.dst}` and "
                    f"`{t.dst}`): which one is taken is undefined",
                    related=(Related("the first one", other.where()),),
                )
            else:
                firsts[key] = i
        leaving = {t.src for t in m.transitions}
        for s, (where, terminal) in states.items():
            if not terminal and s not in leaving:
                self.add(
                    "SVX323",
                    where(),
                    f"state `{s}` has no outgoing transition and is not marked "
                    "terminal: once entered it is never left",
                )
        return events

    def triggers(self, events: set[str]) -> None:
        known = set(events)
        if self.b.machine is None and self.opts.external_events is None:
            return  # inline behavior of an object whose profile is not available
        if self.b.machine is None and self.opts.external_events:
            known |= self.opts.external_events
        for t in self.b.triggers:
            if t.action in known or t.action in BUILTIN_ACTIONS:
                continue
            span = t.action_where()
            near = _nearest(t.action, known | set(BUILTIN_ACTIONS))
            hint = f"; did you mean `{near}`?" if near else ""
            handled = ", ".join(f"`{e}`" for e in sorted(known)) or "none"
            quote = '"' if self.b.source == "profile" else ""
            self.add(
                "SVX316",
                span,
                f"trigger action `{t.action}` is handled by no transition (events: {handled}; "
                f"built-in actions: {', '.join(BUILTIN_ACTIONS)}){hint}",
                fix=_replace_fix(span, f"{quote}{t.action}{quote}", f"{quote}{near}{quote}")
                if near
                else None,
            )

    # -- simulation ----------------------------------------------------------------------

    def unit_text(self, name: str) -> str:
        u = self.units.get(name)
        return u.text.strip() if u is not None else ""

    # Simulation works on the numbers as written, each in its variable's declared unit, the
    # way the runtimes that read these files compute (the corpus converts kW by hand:
    # `power / (voltage * current / 1000)`). Where a formula's own unit differs in scale
    # from the declared one, SVX308 says so with the factor.
    def to_si(self, name: str, value: float) -> float:
        return value

    def from_si(self, name: str, value: float) -> float:
        return value

    def given(self) -> dict[str, float]:
        return {
            v.name: self.to_si(v.name, v.default.value)
            for v in self.b.variables
            if v.formula is None and v.default is not None
        }

    def evaluate(
        self, env: dict[str, float], needed: set[str] | None, report: bool
    ) -> dict[str, float]:
        env = dict(env)
        for name in self.order:
            if needed is not None and name not in needed:
                continue
            f = self.formulas[name]
            if (
                f.tree is None
                or name in self.broken
                or any(n not in env for n in f.names - _CONSTANTS)
            ):
                continue
            types = self.node_types.get(name, {})
            got = Evaluation(env, types).run(f.tree)
            if isinstance(got, Failure):
                if report:
                    self.add(
                        "SVX319",
                        f.src.span(got.start, got.end),
                        f"evaluating `{name}` at the defaults: {got.message}",
                    )
                continue
            top = types.get(id(f.tree))
            if top is not None and top.literal:
                got = self.to_si(name, got)
            env[name] = got
        return env

    def condition(
        self, src: Src, env: dict[str, float], types: dict[int, Q | None], tree: Node
    ) -> float | Failure:
        return Evaluation(env, types).run(tree)

    def values(self, names: Iterable[str], env: dict[str, float]) -> str:
        decl = {v.name: i for i, v in enumerate(self.b.variables)}
        return ", ".join(
            f"{n} = {with_unit(self.from_si(n, env[n]), self.unit_text(n))}"
            for n in sorted(names, key=lambda x: decl.get(x, 0))
            if n in env
        )

    def closure(self, names: Iterable[str]) -> set[str]:
        out: set[str] = set()
        todo = list(names)
        while todo:
            n = todo.pop()
            if n in out:
                continue
            out.add(n)
            if n in self.formulas:
                todo.extend(self.formulas[n].names)
        return out

    def simulate(
        self,
        scales: list[tuple[int, Scale]],
        constraints: list[tuple[int, _Formula, dict[int, Q | None]]],
    ) -> None:
        base = self.given()
        env = self.evaluate(base, None, True)
        if self.b.source != "profile":
            return
        crossed_at_defaults: set[tuple[int, str]] = set()
        for i, scale in scales:
            t = self.b.thresholds[i]
            if t.variable not in env:
                continue
            value = self.from_si(t.variable, env[t.variable])
            hit = self.crossed(t.levels, value, scale)
            if hit is not None:
                lv = hit
                crossed_at_defaults.add((i, lv.side))
                unit = self.unit_text(t.variable)
                self.add(
                    "SVX317",
                    lv.value.where(),
                    f"at the defaults `{t.variable}` = {with_unit(value, unit)}, {lv.side} the {lv.level} "
                    f"threshold {with_unit(_limit(lv.value.value, scale), unit)}",
                )
        failed_at_defaults: set[int] = set()
        for i, f, types in constraints:
            c = self.b.constraints[i]
            assert f.tree is not None
            if any(n not in env for n in f.names - _CONSTANTS):
                continue
            got = self.condition(c.expr, env, types, f.tree)
            if isinstance(got, Failure):
                self.add(
                    "SVX319",
                    c.expr.span(got.start, got.end),
                    f"evaluating constraint {c.name} at the defaults: {got.message}",
                )
                failed_at_defaults.add(i)
            elif not got:
                failed_at_defaults.add(i)
                self.add(
                    "SVX317",
                    c.expr.span(),
                    f"constraint {c.name} ({c.expr.value}) is false at the defaults: "
                    f"{self.values(f.names & set(self.vars), env)}",
                )
        self.corners(base, scales, constraints, crossed_at_defaults, failed_at_defaults)

    def crossed(self, levels: list, value: float, scale: Scale):  # type: ignore[no-untyped-def]
        order = {"critical": 0, "warning": 1}
        for lv in sorted(levels, key=lambda x: order[x.level]):
            limit = _limit(lv.value.value, scale)
            if (lv.side == "above" and value > limit) or (lv.side == "below" and value < limit):
                return lv
        return None

    def ranged(self, names: set[str]) -> list[Var]:
        return [
            v
            for v in self.b.variables
            if v.name in names
            and v.kind == "input"
            and v.formula is None
            and v.min is not None
            and v.max is not None
            and v.min.value < v.max.value
        ]

    def corner_envs(
        self, base: dict[str, float], inputs: list[Var]
    ) -> tuple[list[dict[str, float]], int]:
        """Environments at the corners of the input box; all-low and all-high come first,
        so a capped run still tries the extremes of monotone formulas."""
        n = len(inputs)
        total = 2**n if n < 60 else 2**60
        lows, highs = (0,) * n, (1,) * n
        rest = (c for c in itertools.product((0, 1), repeat=n) if c != lows and c != highs)
        combos = itertools.islice(itertools.chain([lows, highs], rest), self.opts.max_corners)
        envs = []
        for combo in combos:
            env = dict(base)
            for v, pick in zip(inputs, combo, strict=True):
                bound = v.max if pick else v.min
                assert bound is not None
                env[v.name] = self.to_si(v.name, bound.value)
            envs.append(env)
        return envs, total

    def capped(self, total: int) -> str:
        if total <= self.opts.max_corners:
            return ""
        return (
            f" (checked {self.opts.max_corners} of {total} corners: limits.max-simulation-corners)"
        )

    def corners(
        self,
        base: dict[str, float],
        scales: list[tuple[int, Scale]],
        constraints: list[tuple[int, _Formula, dict[int, Q | None]]],
        crossed: set[tuple[int, str]],
        failed: set[int],
    ) -> None:
        for i, scale in scales:
            t = self.b.thresholds[i]
            needed = self.closure([t.variable])
            inputs = self.ranged(needed)
            if not inputs:
                continue
            envs, total = self.corner_envs(base, inputs)
            for side in ("above", "below"):
                levels = [lv for lv in t.levels if lv.side == side]
                if not levels or (i, side) in crossed:
                    continue
                worst: tuple[float, dict[str, float]] | None = None
                for env in envs:
                    got = self.evaluate(env, needed, False)
                    if t.variable not in got:
                        continue
                    value = self.from_si(t.variable, got[t.variable])
                    if worst is None or (value > worst[0] if side == "above" else value < worst[0]):
                        worst = (value, got)
                if worst is None:
                    continue
                lv = self.crossed(levels, worst[0], scale)
                if lv is None:
                    continue
                unit = self.unit_text(t.variable)
                self.add(
                    "SVX318",
                    lv.value.where(),
                    f"`{t.variable}` can reach {with_unit(worst[0], unit)}, {side} the {lv.level} threshold "
                    f"{with_unit(_limit(lv.value.value, scale), unit)}, when "
                    f"{self.values([v.name for v in inputs], worst[1])}{self.capped(total)}",
                )
        for i, f, types in constraints:
            if i in failed:
                continue
            c = self.b.constraints[i]
            assert f.tree is not None
            needed = self.closure(f.names)
            inputs = self.ranged(needed)
            if not inputs:
                continue
            envs, total = self.corner_envs(base, inputs)
            failing: tuple[float, dict[str, float], str] | None = None
            for env in envs:
                got_env = self.evaluate(env, needed, False)
                if any(n not in got_env for n in f.names - _CONSTANTS):
                    continue
                ok = self.condition(c.expr, got_env, types, f.tree)
                if isinstance(ok, Failure) or not ok:
                    why = (
                        ok.message
                        if isinstance(ok, Failure)
                        else self.values(f.names & set(self.vars), got_env)
                    )
                    amount = self.violation(f.tree, got_env, types)
                    if failing is None or amount > failing[0]:
                        failing = (amount, got_env, why)
            if failing is not None:
                self.add(
                    "SVX318",
                    c.expr.span(),
                    f"constraint {c.name} ({c.expr.value}) fails: {failing[2]} when "
                    f"{self.values([v.name for v in inputs], failing[1])}{self.capped(total)}",
                )

    def violation(self, tree: Node, env: dict[str, float], types: dict[int, Q | None]) -> float:
        """How far a failing comparison is from holding, to report the worst corner."""
        if not isinstance(tree, Binary) or tree.op not in ("<", "<=", ">", ">="):
            return 0.0
        a = Evaluation(env, types).run(tree.left)
        b = Evaluation(env, types).run(tree.right)
        if isinstance(a, Failure) or isinstance(b, Failure):
            return float("inf")
        return a - b if tree.op in ("<", "<=") else b - a

    # -- unused --------------------------------------------------------------------------

    def unused(self) -> None:
        if self.b.source != "profile":
            return
        for v in self.b.variables:
            if v.kind == "input" and v.formula is None and v.name not in self.used:
                self.add(
                    "SVX321",
                    v.where(),
                    f"input `{v.name}` is used by no formula, guard, constraint or threshold",
                    tags=(Tag.UNNECESSARY,),
                )

    def run(self) -> list[Finding]:
        self.names()
        blocked = self.cycles()
        self.topo(blocked)
        self.infer()
        self.ranges()
        scales = self.thresholds()
        constraints = []
        for i, c in enumerate(self.b.constraints):
            f, types = self.expression(c.expr, f"constraint {c.name}")
            if f.tree is not None:
                constraints.append((i, f, types))
        events = self.machine()
        self.triggers(events)
        self.unused()
        self.simulate(scales, constraints)
        return self.out


def analyse(behavior: Behavior, options: Options | None = None) -> list[Finding]:
    """Every finding about one behavior (a profile, or one inline ``arx:behavior``)."""
    return _Analysis(behavior, options or Options()).run()


__all__ = ["BOOL", "Finding", "Options", "analyse", "fmt", "with_unit"]
