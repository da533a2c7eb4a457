"""Build the behavior model from a profile's JSON or from an inline ``arx:behavior``.

The readers are defensive: a value of the wrong type is left out of the model (the JSON
Schema check reports it as SVX320), so the semantic checks never see garbage.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from ..jsonread import JNode, JsonDoc, JsonPath
from ..xmlread import SvgxDoc, is_arx, local
from .model import (
    Behavior,
    Constraint,
    Duplicate,
    Level,
    Machine,
    Num,
    Src,
    Threshold,
    Transition,
    Trigger,
    Var,
    Where,
    fixed,
)

# --------------------------------------------------------------------------- profiles


class _Json:
    def __init__(self, doc: JsonDoc) -> None:
        self.doc = doc

    def where(self, path: JsonPath, key: bool = False) -> Where:
        doc = self.doc
        return lambda: doc.span(path, key=key)

    def src(self, path: JsonPath) -> Src | None:
        node = self.doc.node(path)
        if node is None or node.kind != "string":
            return None
        doc = self.doc
        n: JNode = node
        return Src(str(n.value), lambda: doc.string_offsets(n))

    def num(self, path: JsonPath) -> Num | None:
        node = self.doc.node(path)
        if node is None or node.kind != "number":
            return None
        return Num(float(node.value), self.where(path))

    def string(self, path: JsonPath) -> str | None:
        node = self.doc.node(path)
        return str(node.value) if node is not None and node.kind == "string" else None


def from_profile(doc: JsonDoc) -> Behavior:
    b = Behavior("profile")
    value = doc.value
    if not isinstance(value, dict):
        return b
    j = _Json(doc)
    b.profile_id = value.get("id") if isinstance(value.get("id"), str) else None
    variables = value.get("variables")
    if isinstance(variables, dict):
        for name, spec in variables.items():
            if not isinstance(spec, dict):
                continue
            p: JsonPath = ("variables", name)
            kind = spec["kind"] if isinstance(spec.get("kind"), str) else "input"
            b.variables.append(
                Var(
                    name=name,
                    where=j.where(p, key=True),
                    kind=kind,
                    unit=j.src((*p, "unit")),
                    default=j.num((*p, "default")),
                    min=j.num((*p, "min")),
                    max=j.num((*p, "max")),
                    formula=j.src((*p, "formula")),
                )
            )
    for dup in doc.duplicates:
        if dup.path == ("variables",):
            first, again = dup.first, dup.again
            b.duplicates.append(Duplicate(dup.key, fixed(again), fixed(first)))
    thresholds = value.get("thresholds")
    if isinstance(thresholds, list):
        for i, t in enumerate(thresholds):
            if not isinstance(t, dict) or not isinstance(t.get("variable"), str):
                continue
            levels = []
            for side in ("above", "below"):
                sv = t.get(side)
                if isinstance(sv, dict):
                    for level in ("warning", "critical"):
                        n = j.num(("thresholds", i, side, level))
                        if n is not None:
                            levels.append(Level(side, level, n))
            b.thresholds.append(
                Threshold(
                    t["variable"],
                    j.where(("thresholds", i, "variable")),
                    levels,
                    j.src(("thresholds", i, "unit")),
                )
            )
    constraints = value.get("constraints")
    if isinstance(constraints, list):
        for i, c in enumerate(constraints):
            expr = j.src(("constraints", i, "expr")) if isinstance(c, dict) else None
            if expr is None or not isinstance(c, dict):
                continue
            name = c["name"] if isinstance(c.get("name"), str) else f"#{i + 1}"
            b.constraints.append(Constraint(name, expr, j.where(("constraints", i, "expr"))))
    states = value.get("states")
    if isinstance(states, dict):
        b.machine = _machine(j, states)
    triggers = value.get("triggers")
    if isinstance(triggers, list):
        for i, t in enumerate(triggers):
            if isinstance(t, dict) and isinstance(t.get("action"), str):
                event = t["event"] if isinstance(t.get("event"), str) else ""
                b.triggers.append(Trigger(event, t["action"], j.where(("triggers", i, "action"))))
    return b


def _machine(j: _Json, states: dict[str, Any]) -> Machine:
    names: dict[str, tuple[Where, bool]] = {}
    inner = states.get("states")
    if isinstance(inner, dict):
        for name, spec in inner.items():
            terminal = isinstance(spec, dict) and spec.get("terminal") is True
            names[name] = (j.where(("states", "states", name), key=True), terminal)
    initial = states.get("initial") if isinstance(states.get("initial"), str) else None
    transitions = []
    raw = states.get("transitions")
    if isinstance(raw, list):
        for i, t in enumerate(raw):
            if not isinstance(t, dict):
                continue
            p: JsonPath = ("states", "transitions", i)
            src, dst, event = (t.get(k) for k in ("from", "to", "event"))
            if not (isinstance(src, str) and isinstance(dst, str)):
                continue
            transitions.append(
                Transition(
                    src,
                    j.where((*p, "from")),
                    dst,
                    j.where((*p, "to")),
                    event if isinstance(event, str) else "",
                    j.where((*p, "event")),
                    j.src((*p, "guard")),
                    j.where(p),
                )
            )
    initial_where = (
        j.where(("states", "initial")) if initial is not None else j.where(("states",), key=True)
    )
    return Machine(j.where(("states",), key=True), initial, initial_where, names, transitions)


# --------------------------------------------------------------------------- inline


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        v = float(text.strip())
    except ValueError:
        return None
    return v if v == v and abs(v) != float("inf") else None


class _Xml:
    def __init__(self, doc: SvgxDoc) -> None:
        self.doc = doc

    def attr_where(self, el: etree._Element, key: str) -> Where:
        doc = self.doc
        return lambda: doc.attr_value_span(el, key)

    def src(self, el: etree._Element, key: str) -> Src | None:
        value = el.get(key)
        if value is None:
            return None
        doc = self.doc

        def offsets() -> list[int]:
            got = doc.attr_value_offsets(el, key)
            if got is None:
                start = doc.tag_span(el).start
                return [start] * (len(value) + 1)
            return got[1]

        return Src(value, offsets)

    def num(self, el: etree._Element, key: str) -> Num | None:
        v = _number(el.get(key))
        return Num(v, self.attr_where(el, key)) if v is not None else None


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    # Canonical (arx:) and legacy unprefixed children alike: match on the local name.
    return [c for c in el if isinstance(c.tag, str) and local(c.tag) == name]


def from_inline(doc: SvgxDoc, behavior: etree._Element) -> Behavior:
    """The model of one ``arx:behavior`` element (its object's ``behavior=`` included)."""
    b = Behavior("inline")
    x = _Xml(doc)
    seen: dict[str, Where] = {}

    def add(var: Var) -> None:
        if var.name in seen:
            b.duplicates.append(Duplicate(var.name, var.where, seen[var.name]))
            return
        seen[var.name] = var.where
        b.variables.append(var)

    for group in _children(behavior, "variables"):
        for v in _children(group, "variable"):
            name = v.get("name")
            if not name:
                continue
            value = x.num(v, "value")
            if value is None and v.get("value") is None:
                tv = _number(v.text)
                if tv is not None:
                    value = Num(tv, _text_where(doc, v))
            add(
                Var(
                    name,
                    x.attr_where(v, "name"),
                    "input",
                    unit=x.src(v, "unit"),
                    default=value,
                    min=x.num(v, "min"),
                    max=x.num(v, "max"),
                )
            )
    for group in _children(behavior, "calculations"):
        for c in _children(group, "calculation"):
            name = c.get("name")
            if not name:
                continue
            add(
                Var(
                    name,
                    x.attr_where(c, "name"),
                    "output",
                    unit=x.src(c, "unit"),
                    formula=x.src(c, "formula"),
                    origin="calculation",
                )
            )
    for group in _children(behavior, "triggers"):
        for t in _children(group, "trigger"):
            action = t.get("action")
            if action:
                b.triggers.append(Trigger(t.get("event") or "", action, x.attr_where(t, "action")))
    profile_el, key = behavior, "profile"
    if behavior.get("profile") is None:
        parent = behavior.getparent()
        if (
            parent is not None
            and is_arx(parent.tag)
            and local(parent.tag) == "object"
            and parent.get("behavior") is not None
        ):
            profile_el, key = parent, "behavior"
    pid = profile_el.get(key)
    if pid:
        b.profile_id = pid.strip()
        b.profile_where = x.attr_where(profile_el, key)
    return b


def _text_where(doc: SvgxDoc, el: etree._Element) -> Where:
    return lambda: doc.text_span(el)


def inline_behaviors(doc: SvgxDoc) -> list[etree._Element]:
    """Every ``arx:behavior`` element of a drawing (not ``arx:behavior=`` attributes)."""
    if doc.root is None:
        return []
    return [
        el
        for el in doc.root.iter()
        if isinstance(el.tag, str) and is_arx(el.tag) and local(el.tag) == "behavior"
    ]
