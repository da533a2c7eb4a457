"""A symbol with the places of its parts, for the checks of the symbol's own file.

Both forms of svgx.md §8 become one :class:`SymbolView`: a canonical symbol file (the
``arx:symbol`` in ``svg:metadata``) and a JSON symbol (shape A with the whole ``<svg>`` as
a string, shape B with a fragment in ``svg.content``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Span
from .index import json_symbol_profile, json_symbol_type, symbol_element
from .jsonread import JNode, JsonDoc, JsonPath
from .xmlread import ARX_NS, SVG_NS, SvgxDoc, is_arx, local

_NUMBER = re.compile(r"\s*[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\s*\Z")
_PX = re.compile(r"\s*([-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)\s*(?:px)?\s*\Z")


def number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and _NUMBER.match(value):
        return float(value)
    return None


def viewbox_of(root: Any) -> tuple[float, float, float, float] | None:
    """The root's viewBox, else ``0 0 width height`` (unitless or px)."""
    if root is None:
        return None
    vb = root.get("viewBox")
    if vb:
        parts = [p for p in re.split(r"[\s,]+", vb.strip()) if p]
        nums = [number(p) for p in parts]
        if len(nums) == 4 and all(n is not None for n in nums):
            return (nums[0], nums[1], nums[2], nums[3])  # type: ignore[return-value]
        return None
    w, h = root.get("width"), root.get("height")
    mw, mh = _PX.match(w or ""), _PX.match(h or "")
    if mw and mh:
        return (0.0, 0.0, float(mw.group(1)), float(mh.group(1)))
    return None


@dataclass
class Port:
    name: str | None
    x: float | None
    y: float | None
    name_span: Span
    where: Span  # the coordinates (or the port itself)
    x_span: Span | None = None  # each coordinate's value, to underline the one at fault
    y_span: Span | None = None


@dataclass
class SymbolView:
    form: str  # "svgx" or "json"
    anchor: Span  # where findings about the symbol as a whole go
    fields: dict[str, str | None] = field(default_factory=dict)
    spans: dict[str, Span] = field(default_factory=dict)
    ports: list[Port] = field(default_factory=list)
    viewbox: tuple[float, float, float, float] | None = None

    def get(self, name: str) -> str | None:
        return self.fields.get(name)

    def span(self, name: str) -> Span:
        return self.spans.get(name, self.anchor)


SVGX_FIELDS = ("id", "name", "system", "object-type", "behavior-profile")


def from_svgx(doc: SvgxDoc) -> SymbolView | None:
    el = symbol_element(doc.root)
    if el is None:
        return None
    view = SymbolView("svgx", doc.tag_span(el))
    for name in SVGX_FIELDS:
        view.fields[name] = el.get(name)
        if el.get(name) is not None:
            view.spans[name] = doc.attr_value_span(el, name)
    for port in el:
        if not (is_arx(port.tag) and local(port.tag) == "port"):
            continue
        pname = port.get("name")
        x, y = number(port.get("x")), number(port.get("y"))
        where = doc.attr_value_span(port, "x") if port.get("x") is not None else doc.tag_span(port)
        if port.get("y") is not None and port.get("x") is not None:
            where = Span(where.start, doc.attr_value_span(port, "y").end)
        name_span = doc.attr_value_span(port, "name") if pname is not None else doc.tag_span(port)
        x_span = doc.attr_value_span(port, "x") if port.get("x") is not None else None
        y_span = doc.attr_value_span(port, "y") if port.get("y") is not None else None
        view.ports.append(Port(pname, x, y, name_span, where, x_span, y_span))
    view.viewbox = viewbox_of(doc.root)
    return view


@dataclass
class Markup:
    """The SVG markup inside a JSON symbol and how to map it back into the file."""

    text: str  # what is parsed (shape B: the fragment wrapped in an <svg>)
    prefix: int  # characters of wrapper before the JSON string's content
    length: int  # characters of the JSON string's content
    offsets: list[int]  # file offset of each character of the content, plus its end
    node: JNode

    def to_file(self, span: Span) -> Span | None:
        """The file span of a span of ``text``; None when it lies in the wrapper."""
        start, end = span.start - self.prefix, span.end - self.prefix
        if start < 0:
            return None
        if start >= self.length and self.prefix:
            # In the wrapper's closing tag: the problem is at the end of the fragment.
            last = max(self.length - 1, 0)
            return Span(self.offsets[last], self.offsets[self.length])
        end = min(max(end, start), self.length)
        return Span(self.offsets[start], self.offsets[end])


def json_markup(doc: JsonDoc) -> Markup | None:
    value = doc.value
    if not isinstance(value, dict):
        return None
    svg = value.get("svg")
    if isinstance(svg, str):
        node = doc.node(("svg",))
        assert node is not None
        return Markup(svg, 0, len(svg), doc.string_offsets(node), node)
    if isinstance(svg, dict) and isinstance(svg.get("content"), str):
        node = doc.node(("svg", "content"))
        assert node is not None
        w, h = number(svg.get("width")), number(svg.get("height"))
        box = f' viewBox="0 0 {_fmt(w)} {_fmt(h)}"' if w is not None and h is not None else ""
        head = f'<svg xmlns="{SVG_NS}" xmlns:arx="{ARX_NS}"{box}>'
        content = svg["content"]
        return Markup(
            head + content + "</svg>", len(head), len(content), doc.string_offsets(node), node
        )
    return None


def _fmt(n: float | None) -> str:
    return "0" if n is None else (str(int(n)) if n == int(n) else str(n))


JSON_FIELDS = {"id": "id", "name": "name", "system": "system"}


def from_json(doc: JsonDoc) -> SymbolView | None:
    value = doc.value
    if not isinstance(value, dict):
        return None
    view = SymbolView(
        "json", doc.span(("id",)) if "id" in value else Span(0, min(1, len(doc.text)))
    )
    for field_name, key in JSON_FIELDS.items():
        v = value.get(key)
        view.fields[field_name] = v if isinstance(v, str) else None
        if key in value:
            view.spans[field_name] = doc.span((key,))
    otype = json_symbol_type(value)
    view.fields["object-type"] = otype
    type_paths: tuple[JsonPath, ...] = (("object_type",), ("object-type",), ("properties", "type"))
    for tpath in type_paths:
        if doc.node(tpath) is not None and otype is not None:
            view.spans["object-type"] = doc.span(tpath)
            break
    profile = json_symbol_profile(value)
    view.fields["behavior-profile"] = profile
    profile_paths: tuple[JsonPath, ...] = (("behavior_profile",), ("metadata", "behavior_profile"))
    for ppath in profile_paths:
        if doc.node(ppath) is not None and profile is not None:
            view.spans["behavior-profile"] = doc.span(ppath)
            break
    conns = value.get("connections")
    items: list[tuple[JsonPath, str | None, Any]] = []
    if isinstance(conns, dict):
        items = [(("connections", k), k, v) for k, v in conns.items()]
    elif isinstance(conns, list):
        for i, v in enumerate(conns):
            label: Any = None
            if isinstance(v, dict):
                label = v.get("name") if isinstance(v.get("name"), str) else v.get("id")
            items.append((("connections", i), label if isinstance(label, str) else None, v))
    for path, name, v in items:
        if not isinstance(v, dict):
            continue
        node = doc.node(path)
        if isinstance(path[-1], str):
            name_span = doc.span(path, key=True)
        elif isinstance(v.get("name"), str):
            name_span = doc.span((*path, "name"))
        elif isinstance(v.get("id"), str):
            name_span = doc.span((*path, "id"))
        else:
            name_span = Span(node.span.start, node.span.start + 1) if node else view.anchor
        where = name_span
        xs = doc.span((*path, "x")) if "x" in v else None
        ys = doc.span((*path, "y")) if "y" in v else None
        if xs is not None and ys is not None:
            where = Span(min(xs.start, ys.start), max(xs.end, ys.end))
        view.ports.append(Port(name, number(v.get("x")), number(v.get("y")), name_span, where, xs, ys))
    svg = value.get("svg")
    if isinstance(svg, dict):
        w, h = number(svg.get("width")), number(svg.get("height"))
        if w is not None and h is not None:
            view.viewbox = (0.0, 0.0, w, h)
    return view


def symbol_view(kind_is_json: bool, ctx_doc: Any) -> SymbolView | None:
    return from_json(ctx_doc) if kind_is_json else from_svgx(ctx_doc)


GRAPHIC = frozenset(
    {
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "use",
        "image",
        "foreignObject",
    }
)
NON_RENDERED = frozenset(
    {
        "metadata",
        "defs",
        "title",
        "desc",
        "style",
        "clipPath",
        "mask",
        "pattern",
        "marker",
        "symbol",
        "linearGradient",
        "radialGradient",
        "filter",
    }
)


def draws_something(root: Any) -> bool:
    """True when the SVG has a graphic element outside non-rendered containers."""
    if root is None:
        return False
    stack = [root]
    while stack:
        el = stack.pop()
        for child in el:
            if not isinstance(child.tag, str) or is_arx(child.tag):
                continue
            name = local(child.tag)
            if name in NON_RENDERED:
                continue
            if name in GRAPHIC:
                return True
            stack.append(child)
    return False
