"""The SVGX 1.0 vocabulary (svgx.md §4–§6): arx elements, attributes and value types."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

# --------------------------------------------------------------------------- value types

_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
OBJECT_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
SYSTEM_NAME = re.compile(r"[a-z][a-z0-9_]*")
OBJECT_TYPE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*")
NUMBER = re.compile(_NUMBER)
LENGTH = re.compile(rf"({_NUMBER})\s*(mm|cm|m|in|ft|px)?")
ANGLE = re.compile(rf"({_NUMBER})\s*(deg|rad|grad|turn)?")
DURATION = re.compile(rf"({_NUMBER})\s*(s|ms|min|h)?")
SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")
VECTOR = re.compile(rf"\s*{_NUMBER}\s*,\s*{_NUMBER}\s*,\s*{_NUMBER}\s*")

CONNECTION_TYPES = (
    "power", "data", "control", "video", "audio", "signal", "water", "air", "gas", "fuel",
    "refrigerant", "steam", "other",
)
ANCHORS = ("floor", "wall", "ceiling", "roof", "ground", "free")
DIRECTIONS = ("down", "up", "left", "right", "horizontal", "vertical")
CONSTRAINT_TYPES = ("fixed", "pinned", "sliding", "hinged")
UNITS_OF_LENGTH = ("mm", "cm", "m", "in", "ft")
SIMULATIONS = ("structural", "fluid_dynamics", "heat_transfer", "electrical", "rf_propagation")
MASS_UNITS = ("kg", "g", "lb", "t", "oz")


@dataclass(frozen=True)
class ValueType:
    """A value type: a name for messages and a validator returning an error or None."""

    name: str
    validate: Callable[[str], str | None]


def _pattern(name: str, rx: re.Pattern[str], hint: str) -> ValueType:
    def validate(v: str) -> str | None:
        return None if rx.fullmatch(v.strip()) else f"expected {hint}"

    return ValueType(name, validate)


def _enum(name: str, values: tuple[str, ...]) -> ValueType:
    def validate(v: str) -> str | None:
        return None if v.strip() in values else f"expected one of {', '.join(values)}"

    return ValueType(name, validate)


def _number(name: str, rx: re.Pattern[str], hint: str, *, min_value: float | None = None,
            strict_min: bool = False) -> ValueType:
    def validate(v: str) -> str | None:
        m = rx.fullmatch(v.strip())
        if not m:
            return f"expected {hint}"
        value = float(m.group(1) if m.groups() else m.group(0))
        if value != value or value in (float("inf"), float("-inf")):
            return f"expected a finite {hint}"
        if min_value is not None and (value < min_value or (strict_min and value == min_value)):
            return f"expected {hint} {'>' if strict_min else '≥'} {min_value:g}"
        return None

    return ValueType(name, validate)


def _nonempty(v: str) -> str | None:
    return None if v.strip() else "expected a non-empty value"


def _direction(v: str) -> str | None:
    if v.strip() in DIRECTIONS or VECTOR.fullmatch(v):
        return None
    return f"expected one of {', '.join(DIRECTIONS)}, or a vector x,y,z"


def _point(v: str) -> str | None:
    if v.strip() in ANCHORS or VECTOR.fullmatch(v) or re.fullmatch(rf"\s*{_NUMBER}\s*,\s*{_NUMBER}\s*", v):
        return None
    return f"expected one of {', '.join(ANCHORS)}, or a point x,y[,z]"


T_TEXT = ValueType("text", _nonempty)
T_IDENTIFIER = _pattern("identifier", IDENTIFIER, "an identifier ([A-Za-z_][A-Za-z0-9_]*)")
T_OBJECT_ID = _pattern("object id", OBJECT_ID, "an object id ([A-Za-z_][A-Za-z0-9_.-]*)")
T_REF = _pattern("object reference", OBJECT_ID, "the id of an arx:object in this file")
T_SYSTEM = _pattern("system name", SYSTEM_NAME, "a system name ([a-z][a-z0-9_]*)")
T_OBJECT_TYPE = _pattern("object type", OBJECT_TYPE, "an object type (dot-separated lower-case names)")
T_PROFILE = _pattern("behavior-profile id", IDENTIFIER, "a behavior-profile id (an identifier)")
T_NUMBER = _number("number", NUMBER, "a number")
T_POSITIVE = _number("number", NUMBER, "a number", min_value=0, strict_min=True)
T_LENGTH = _number("length", LENGTH, "a length (number with optional mm, cm, m, in, ft, px)")
T_LENGTH_NONNEG = _number("length", LENGTH, "a length (number with optional mm, cm, m, in, ft, px)", min_value=0)
T_ANGLE = _number("angle", ANGLE, "an angle (number with optional deg or rad)")
T_DURATION = _number("duration", DURATION, "a duration (seconds, or a number with s, ms, min or h)", min_value=0)
T_SEMVER = _pattern("version", SEMVER, "a semantic version such as 1.0.0")
T_CONNECTION = _enum("connection type", CONNECTION_TYPES)
T_ANCHOR = _enum("anchor", ANCHORS)
T_CONSTRAINT = _enum("constraint type", CONSTRAINT_TYPES)
T_UNITS = _enum("drawing unit", UNITS_OF_LENGTH)
T_SIMULATION = _enum("simulation", SIMULATIONS)
T_DIRECTION = ValueType("direction", _direction)
T_POINT = ValueType("point", _point)
T_MASS_UNIT = _enum("mass unit", MASS_UNITS)
T_ANY = ValueType("value", lambda v: None)  # free text, checked elsewhere (units, formulas)


@dataclass(frozen=True)
class Attr:
    type: ValueType
    required: bool = False
    ref: bool = False  # names an arx:object id in this file (SVX112)


@dataclass(frozen=True)
class Element:
    attrs: dict[str, Attr]
    children: dict[str, bool] = field(default_factory=dict)  # name -> may appear only once
    parents: frozenset[str] | None = None  # None: anywhere in the drawing (an SVG parent)
    value: ValueType | None = None  # the value as an attribute or as text, exactly one
    value_attr: str = "value"  # the attribute that may hold that value
    text: ValueType | None = None  # required text content
    legacy: dict[str, str] = field(default_factory=dict)  # legacy attribute -> canonical


def _p(*names: str) -> frozenset[str]:
    return frozenset(names)


ELEMENTS: dict[str, Element] = {
    "object": Element(
        {
            "id": Attr(T_OBJECT_ID, True),
            "type": Attr(T_OBJECT_TYPE, True),
            "system": Attr(T_SYSTEM),
            "behavior": Attr(T_PROFILE),
            "upstream": Attr(T_REF, ref=True),
            "name": Attr(T_TEXT),
        },
        {"geometry": True, "tags": True, "properties": True, "behavior": True, "physics": True},
    ),
    "geometry": Element(
        {
            "x": Attr(T_NUMBER), "y": Attr(T_NUMBER), "z": Attr(T_NUMBER),
            "width": Attr(T_LENGTH_NONNEG), "height": Attr(T_LENGTH_NONNEG),
            "depth": Attr(T_LENGTH_NONNEG), "rotation": Attr(T_ANGLE),
        },
        parents=_p("object"),
    ),
    "tags": Element({}, {"tag": False}, parents=_p("object")),
    "tag": Element({}, parents=_p("tags"), text=T_TEXT),
    "properties": Element({}, {"property": False}, parents=_p("object")),
    "property": Element(
        {"name": Attr(T_IDENTIFIER, True), "value": Attr(T_ANY, True), "unit": Attr(T_ANY)},
        parents=_p("properties"),
    ),
    "behavior": Element(
        {"id": Attr(T_OBJECT_ID), "profile": Attr(T_PROFILE)},
        {"variables": True, "calculations": True, "triggers": True},
        parents=_p("object"),
    ),
    "variables": Element({}, {"variable": False}, parents=_p("behavior")),
    "variable": Element(
        {
            "name": Attr(T_IDENTIFIER, True), "unit": Attr(T_ANY),
            "min": Attr(T_NUMBER), "max": Attr(T_NUMBER), "value": Attr(T_NUMBER),
        },
        parents=_p("variables"),
        value=T_NUMBER,
    ),
    "calculations": Element({}, {"calculation": False}, parents=_p("behavior")),
    "calculation": Element(
        {"name": Attr(T_IDENTIFIER, True), "formula": Attr(T_TEXT, True), "unit": Attr(T_ANY)},
        parents=_p("calculations"),
    ),
    "triggers": Element({}, {"trigger": False}, parents=_p("behavior")),
    "trigger": Element(
        {"event": Attr(T_IDENTIFIER, True), "action": Attr(T_IDENTIFIER, True), "delay": Attr(T_DURATION)},
        parents=_p("triggers"),
    ),
    "physics": Element(
        {"id": Attr(T_OBJECT_ID)},
        {"mass": True, "anchor": True, "forces": True, "constraints": True},
        parents=_p("object"),
    ),
    "mass": Element({"unit": Attr(T_MASS_UNIT), "value": Attr(T_POSITIVE)}, parents=_p("physics"), value=T_POSITIVE),
    "anchor": Element({"point": Attr(T_ANCHOR)}, parents=_p("physics"), value=T_ANCHOR, value_attr="point"),
    "forces": Element({}, {"force": False}, parents=_p("physics")),
    "force": Element(
        {
            "type": Attr(T_IDENTIFIER, True), "direction": Attr(T_DIRECTION),
            "value": Attr(T_NUMBER), "unit": Attr(T_ANY),
        },
        parents=_p("forces"),
        legacy={"name": "type", "magnitude": "value"},
    ),
    "constraints": Element({}, {"constraint": False}, parents=_p("physics")),
    "constraint": Element(
        {"type": Attr(T_CONSTRAINT, True), "point": Attr(T_POINT, True)}, parents=_p("constraints")
    ),
    "system": Element(
        {"id": Attr(T_OBJECT_ID, True), "type": Attr(T_SYSTEM, True), "name": Attr(T_TEXT)},
        {"components": True, "connections": True},
    ),
    "components": Element({}, {"component": False}, parents=_p("system")),
    "component": Element(
        {"ref": Attr(T_REF, True, ref=True), "id": Attr(T_OBJECT_ID), "type": Attr(T_OBJECT_TYPE)},
        parents=_p("components"),
    ),
    "connections": Element({}, {"connection": False}, parents=_p("system")),
    "connection": Element(
        {"from": Attr(T_REF, True, ref=True), "to": Attr(T_REF, True, ref=True), "type": Attr(T_CONNECTION, True)},
        parents=_p("connections"),
    ),
    "symbol": Element(
        {
            "id": Attr(T_OBJECT_ID, True), "name": Attr(T_TEXT, True), "system": Attr(T_SYSTEM, True),
            "object-type": Attr(T_OBJECT_TYPE, True), "behavior-profile": Attr(T_PROFILE, True),
            "version": Attr(T_SEMVER), "category": Attr(T_TEXT), "description": Attr(T_TEXT),
        },
        {"port": False},
        parents=_p("metadata"),
    ),
    "port": Element(
        {"name": Attr(T_IDENTIFIER, True), "x": Attr(T_NUMBER, True), "y": Attr(T_NUMBER, True),
         "type": Attr(T_CONNECTION, True)},
        parents=_p("symbol"),
    ),
}

# arx attributes on SVG elements (svgx.md §5)
SVG_ATTRS: dict[str, Attr] = {
    "layer": Attr(T_TEXT),
    "precision": Attr(T_LENGTH_NONNEG),
    "units": Attr(T_UNITS),
    "scale": Attr(T_POSITIVE),
    "floor": Attr(T_TEXT),
    "room": Attr(T_TEXT),
    "zone": Attr(T_TEXT),
    "object": Attr(T_REF, ref=True),
    "type": Attr(T_OBJECT_TYPE),
    "system": Attr(T_SYSTEM),
    "behavior": Attr(T_PROFILE),
    "simulation": Attr(T_SIMULATION),
    "color": Attr(T_SYSTEM),
    "version": Attr(ValueType("version", lambda v: None if v.strip() == "1.0" else "expected 1.0")),
}

# Children that real files write without the arx: prefix (svgx.md §4, legacy form).
ARX_CHILD_NAMES = frozenset(n for n, e in ELEMENTS.items() if e.parents)
