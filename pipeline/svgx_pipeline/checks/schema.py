"""SVX1xx: the structure of SVGX documents (svgx.md §2–§6)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from ..diagnostics import Diagnostic, Edit, Fix, Related, Span, Tag
from ..documents import FileKind
from ..engine import CheckContext, check_function
from ..rules import define
from ..vocabulary import ARX_CHILD_NAMES, ELEMENTS, SVG_ATTRS, Attr, Element
from ..xmlread import (
    ARX_NAMESPACES,
    ARX_NS,
    LEGACY_ARX_NS,
    SVG_NS,
    SvgxDoc,
    attributes,
    is_arx,
    local,
    namespace,
)

define(
    "SVX101", "undeclared-arx-prefix", "error",
    "The `arx:` prefix is used but never declared, so the file is not namespace-well-formed: "
    "XML tools reject it and no arx markup means anything.",
    why="A prefix means nothing without its declaration. The tool still reads the file as if "
    "the canonical namespace were declared, so the other checks run.",
    example='<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n  <arx:object id="a" type="room"/>\n</svg>',
    fixed='<svg xmlns="http://www.w3.org/2000/svg" xmlns:arx="http://arxos.io/svgx" viewBox="0 0 10 10">\n'
    '  <arx:object id="a" type="room"/>\n</svg>',
    fix="declare xmlns:arx on the root",
)
define(
    "SVX102", "legacy-arx-namespace", "warning",
    "The arx prefix is bound to a legacy namespace URI (`http://arxos.dev/svgx` or "
    "`http://arxos.com/svgx`). It is accepted as the arx namespace.",
    why="Tools that compare namespace URIs exactly will not recognise the legacy ones; the "
    "canonical URI is `http://arxos.io/svgx`.",
    example='xmlns:arx="http://arxos.dev/svgx"',
    fixed='xmlns:arx="http://arxos.io/svgx"',
    fix="use the canonical namespace URI",
)
define(
    "SVX103", "root-not-svg", "error",
    "The root element is not `svg` in the SVG namespace.",
    why="Every SVGX file must remain an SVG document that a browser renders.",
    example='<svg viewBox="0 0 10 10">…</svg>',
    fixed='<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">…</svg>',
    fix="declare the SVG namespace (only when the root is already named svg)",
)
define(
    "SVX104", "unknown-arx-element", "error",
    "An element in the arx namespace that SVGX 1.0 does not define.",
    why="Misspelt elements are silently ignored by every consumer; the data they hold is lost.",
    example="<arx:objekt id=\"a\" type=\"room\"/>",
    fixed="<arx:object id=\"a\" type=\"room\"/>",
)
define(
    "SVX105", "unknown-arx-attribute", "warning",
    "An attribute that the arx element (or, for `arx:*` attributes, SVG elements) does not define.",
    why="A misspelt attribute is ignored: a `sytem=` never tells anyone the object's system.",
    example='<arx:object id="a" type="room" sytem="architecture"/>',
    fixed='<arx:object id="a" type="room" system="architecture"/>',
)
define(
    "SVX106", "missing-attribute", "error",
    "An attribute that the element requires is missing.",
    why="Without it the element cannot be interpreted (an object without a type is nothing).",
    example='<arx:object id="a"/>',
    fixed='<arx:object id="a" type="room"/>',
)
define(
    "SVX107", "invalid-value", "error",
    "An attribute value (or text value) of the wrong type: not a number, a length, one of the "
    "allowed names, or the expected pattern.",
    why="Consumers parse these values; one that does not parse is dropped or, worse, misread.",
    example='<arx:geometry x="ten" width="-5"/>',
    fixed='<arx:geometry x="10" width="5"/>',
)
define(
    "SVX108", "misplaced-element", "error",
    "An element placed under a parent that does not allow it (e.g. `arx:geometry` outside an "
    "`arx:object`, or an SVG shape inside an arx element).",
    why="Its meaning comes from its parent: out of place, it describes nothing.",
    example="<arx:behavior>\n  <arx:geometry x=\"0\"/>\n</arx:behavior>",
    fixed="<arx:object id=\"a\" type=\"room\">\n  <arx:geometry x=\"0\"/>\n</arx:object>",
)
define(
    "SVX109", "repeated-element", "error",
    "An element that may appear once in its parent appears again.",
    why="Readers take the first or the last one; which one differs between tools.",
    example="<arx:object id=\"a\" type=\"room\">\n  <arx:geometry x=\"0\"/>\n  <arx:geometry x=\"5\"/>\n</arx:object>",
    fixed="<arx:object id=\"a\" type=\"room\">\n  <arx:geometry x=\"0\"/>\n</arx:object>",
)
define(
    "SVX110", "unqualified-arx-child", "warning",
    "A child of an arx element written without the `arx:` prefix. It is in the SVG namespace, "
    "not the arx one; the legacy form is accepted and read as arx.",
    why="Namespace-aware tools see an unknown SVG element, not SVGX data.",
    example="<arx:behavior>\n  <variables>…</variables>\n</arx:behavior>",
    fixed="<arx:behavior>\n  <arx:variables>…</arx:variables>\n</arx:behavior>",
    fix="qualify with arx:",
)
define(
    "SVX111", "duplicate-id", "error",
    "Two elements in the file have the same `id`.",
    why="References (`upstream`, connections, `href=\"#…\"`) then point at whichever one a tool "
    "finds first.",
    example='<arx:object id="lf01" type="electrical.lighting_fixture"/>\n'
    '<arx:object id="lf01" type="electrical.lighting_fixture"/>',
    fixed='<arx:object id="lf01" type="electrical.lighting_fixture"/>\n'
    '<arx:object id="lf02" type="electrical.lighting_fixture"/>',
)
define(
    "SVX112", "unknown-reference", "error",
    "A reference to an id that does not exist in the file: `upstream`, `ref`, `from`, `to`, "
    "`arx:object`, `href=\"#…\"` or `url(#…)`.",
    why="A dangling reference breaks connections, rendering (gradients, `use`) or both.",
    example='<arx:connection from="epnl1" to="lf99" type="power"/>',
    fixed='<arx:connection from="epnl1" to="lf01" type="power"/>',
)
define(
    "SVX113", "value-twice-or-missing", "error",
    "A value that must be given exactly once (as an attribute or as text) is given both ways, "
    "or not at all.",
    why="With two values nobody knows which one is meant; with none the element is empty.",
    example='<arx:variable name="voltage" value="120">230</arx:variable>',
    fixed='<arx:variable name="voltage" value="120"/>',
)
define(
    "SVX114", "system-mismatch", "error",
    "`system=` disagrees with the first segment of the object type, which names a known system.",
    why="The object would be counted in one system and typed in another.",
    example='<arx:object id="a" type="electrical.lighting_fixture" system="audiovisual"/>',
    fixed='<arx:object id="a" type="electrical.lighting_fixture" system="electrical"/>',
    fix="use the system of the object type",
)
define(
    "SVX116", "legacy-attribute", "warning",
    "A legacy attribute name from the older SVGX XSD (`name` or `magnitude` on `arx:force`, "
    "`id` + `type` on `arx:component`). It is accepted and read as the canonical one.",
    why="The canonical names are the ones every current consumer reads.",
    example='<arx:force name="gravity" magnitude="9.81"/>',
    fixed='<arx:force type="gravity" value="9.81"/>',
    fix="rename to the canonical attribute",
)
define(
    "SVX117", "duplicate-name", "error",
    "Two tags of one `arx:tags`, or two properties of one `arx:properties`, share a name.",
    why="Lists meant as sets lose an entry (properties) or count one twice (tags).",
    example='<arx:tags>\n  <arx:tag>classroom</arx:tag>\n  <arx:tag>classroom</arx:tag>\n</arx:tags>',
    fixed="<arx:tags>\n  <arx:tag>classroom</arx:tag>\n</arx:tags>",
)

_SVGX = frozenset({FileKind.SVGX})
_FRAGMENT_REF = re.compile(r"url\(\s*['\"]?#([^)'\"\s]+)['\"]?\s*\)")
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_ARX_ANY = tuple(f"{{{ns}}}*" for ns in (ARX_NS, *LEGACY_ARX_NS))


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    near = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {near[0]!r}?" if near else ""


@dataclass
class _Node:
    el: etree._Element
    name: str | None  # arx local name, or None for non-arx elements
    spec: Element | None
    legacy: bool = False  # written without the arx: prefix


def _arx_prefix(el: etree._Element) -> str:
    """The prefix bound to the arx namespace at ``el`` (some files use ``a:``): writing
    ``arx:`` where only another prefix is declared would make the file namespace-ill-formed."""
    bound = [p for p, uri in el.nsmap.items() if p and uri in ARX_NAMESPACES]
    return "arx" if "arx" in bound or not bound else bound[0]


class _Walker:
    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.doc: SvgxDoc = ctx.svgx
        self.object_ids: dict[str, etree._Element] = {}
        self.all_ids: dict[str, etree._Element] = {}
        self.out: list[Diagnostic] = []
        # Values repeat across a drawing (x="0", unit="V"): validate each (type, value) once.
        self._validated: dict[tuple[int, str], str | None] = {}

    def report(self, code: str, span: Span, message: str, **kw: object) -> None:
        self.out.append(self.ctx.report(code, span, message, **kw))  # type: ignore[arg-type]

    # -- classification ---------------------------------------------------------------

    def arx_name(self, el: etree._Element, parent: _Node | None) -> tuple[str | None, bool]:
        """The arx local name of an element (None for SVG ones) and whether it is legacy."""
        tag = el.tag
        if is_arx(tag):
            return local(tag), False
        if parent is not None and parent.name is not None and namespace(tag) in (SVG_NS, None):
            if local(tag) in ARX_CHILD_NAMES:
                if not parent.legacy:
                    self.report_unqualified(el, parent)
                return local(tag), True
        return None, False

    def _qualify_edits(self, el: etree._Element) -> list[Edit]:
        doc = self.doc
        name = local(el.tag)
        tok = doc.token(el)
        prefix = _arx_prefix(el)
        edits = [Edit(doc.tag_span(el), f"{prefix}:{name}")]
        if tok is not None and not tok.self_closing:
            end_tag = doc.text.rfind(f"</{name}", tok.start_end, tok.end)
            if end_tag != -1:
                edits.append(Edit(Span(end_tag + 2, end_tag + 2 + len(name)), f"{prefix}:{name}"))
        return edits

    def report_unqualified(self, el: etree._Element, parent: _Node) -> None:
        """One finding for a legacy subtree: its top element, with a fix for all of it."""
        edits: list[Edit] = []
        count = 0
        stack = [el]
        while stack:
            e = stack.pop()
            if namespace(e.tag) in (SVG_NS, None) and local(e.tag) in ARX_CHILD_NAMES and not e.prefix:
                edits.extend(self._qualify_edits(e))
                count += 1
                stack.extend(c for c in e if isinstance(c.tag, str))
        name = local(el.tag)
        inner = f" (with the {count - 1} element{'s' if count > 2 else ''} inside it)" if count > 1 else ""
        self.report(
            "SVX110",
            self.doc.tag_span(el),
            f"<{name}>{inner} is not in the arx namespace, but children of arx:{parent.name} are "
            f"arx elements (legacy form); write <{_arx_prefix(el)}:{name}>",
            fix=Fix("qualify with arx:", tuple(sorted(edits, key=lambda e: e.span.start))),
            tags=(Tag.DEPRECATED,),
        )

    # -- the walk ---------------------------------------------------------------------

    def run(self) -> list[Diagnostic]:
        root = self.doc.root
        if root is None:
            return self.out
        self.check_root(root)
        self.collect_ids(root)
        # lxml finds the arx elements in C, and the attribute index the SVG elements worth a
        # look; most of a large drawing is plain SVG that needs no Python-level visit here.
        in_arx: set[etree._Element] = set()
        for top in root.iter(*_ARX_ANY):
            if top in in_arx:
                continue  # walked from the top of its arx subtree
            parent_el = top.getparent()
            in_arx.update(top.iter())
            self.walk(top, _Node(parent_el, None, None) if parent_el is not None else None)
        for el in self.doc.attribute_index.notable:
            if el not in in_arx:
                self.check_svg_element(el, None)
        return self.out

    def walk(self, top: etree._Element, parent: _Node | None) -> None:
        stack: list[tuple[etree._Element, _Node | None]] = [(top, parent)]
        while stack:
            el, parent = stack.pop()
            name, legacy = self.arx_name(el, parent)
            spec = ELEMENTS.get(name) if name else None
            node = _Node(el, name, spec, legacy)
            if name is not None:
                self.check_arx_element(node, parent)
            else:
                self.check_svg_element(el, parent)
            children = [c for c in el if isinstance(c.tag, str)]
            if name is not None and spec is not None:
                self.check_children(node, children)
            stack.extend((c, node) for c in reversed(children))

    def check_root(self, root: etree._Element) -> None:
        doc = self.doc
        if "arx" in doc.undeclared_prefixes:
            first = next(
                (t.name_span for t in doc.tag_tokens if t.qname.startswith("arx:")),
                next((a.name_span for t in doc.tag_tokens for a in t.attrs if a.qname.startswith("arx:")), None),
            )
            root_tok = doc.tag_tokens[0] if doc.tag_tokens else None
            fix = None
            if root_tok is not None:
                fix = Fix(
                    "declare xmlns:arx on the root",
                    (Edit(Span(root_tok.name_span.end, root_tok.name_span.end), f' xmlns:arx="{ARX_NS}"'),),
                )
            span = first or doc.tag_span(root)
            self.report(
                "SVX101",
                Span(span.start, span.start + 3) if first else span,
                "the arx: prefix is used but not declared, so the file is not namespace-well-formed; "
                f'declare xmlns:arx="{ARX_NS}" on the root',
                fix=fix,
            )
        legacy_used = any(uri in doc.text for uri in LEGACY_ARX_NS)
        for tok in doc.tag_tokens if legacy_used else ():
            for a in tok.attrs:
                if a.qname.startswith("xmlns") and a.raw in LEGACY_ARX_NS:
                    self.report(
                        "SVX102",
                        a.value_span,
                        f"legacy arx namespace URI {a.raw!r}; the canonical one is {ARX_NS!r}",
                        fix=Fix("use the canonical namespace URI", (Edit(a.value_span, ARX_NS),)),
                        tags=(Tag.DEPRECATED,),
                    )
        if root.tag != f"{{{SVG_NS}}}svg":
            fix = None
            if root.tag == "svg":
                svg_tok = doc.token(root)
                if svg_tok is not None:
                    fix = Fix("declare the SVG namespace",
                              (Edit(Span(svg_tok.name_span.end, svg_tok.name_span.end), f' xmlns="{SVG_NS}"'),))
                msg = f'the root <svg> is not in the SVG namespace; add xmlns="{SVG_NS}"'
            else:
                msg = f"the root element is <{local(root.tag)}>" + (
                    f" in namespace {namespace(root.tag)!r}" if namespace(root.tag) else ""
                ) + "; an SVGX file's root is <svg> in the SVG namespace"
            self.report("SVX103", doc.tag_span(root), msg, fix=fix)

    def collect_ids(self, root: etree._Element) -> None:
        for el in self.doc.attribute_index.with_id:
            value = el.get("id")
            if value is None:
                continue
            if value in self.all_ids:
                first = self.all_ids[value]
                self.report(
                    "SVX111",
                    self.doc.attr_value_span(el, "id"),
                    f"duplicate id {value!r}",
                    related=(Related(f"first {value!r} is here", self.doc.attr_value_span(first, "id")),),
                )
                continue
            self.all_ids[value] = el
            if is_arx(el.tag) and local(el.tag) == "object":
                self.object_ids[value] = el

    # -- arx elements -----------------------------------------------------------------

    def check_arx_element(self, node: _Node, parent: _Node | None) -> None:
        doc = self.doc
        el, name, spec = node.el, node.name, node.spec
        assert name is not None
        if spec is None:
            self.report(
                "SVX104",
                doc.tag_span(el),
                f"unknown arx element <arx:{name}>{did_you_mean(name, ELEMENTS)}",
            )
            return
        self.check_parent(node, parent)
        attrs = spec.attrs
        values = dict(attributes(el))
        present = {k for k in values if k[0] != "{"}
        for key in present:
            if key in attrs:
                continue
            if key in spec.legacy:
                canonical = spec.legacy[key]
                fix = None
                if canonical not in present:
                    fix = Fix("rename to the canonical attribute", (Edit(doc.attr_name_span(el, key), canonical),))
                self.report(
                    "SVX116",
                    doc.attr_name_span(el, key),
                    f"legacy attribute {key!r} on arx:{name}; the canonical name is {canonical!r}",
                    fix=fix,
                    tags=(Tag.DEPRECATED,),
                )
                continue
            if name == "component" and key in ("id", "type"):
                continue
            self.report(
                "SVX105",
                doc.attr_name_span(el, key),
                f"unknown attribute {key!r} on arx:{name}{did_you_mean(key, attrs)}",
            )
        for key in values:
            if key[0] == "{" and namespace(key) in (ARX_NS, *LEGACY_ARX_NS):
                self.report(
                    "SVX105",
                    doc.attr_name_span(el, key),
                    f"attribute arx:{local(key)} on arx:{name}: attributes of arx elements are unprefixed",
                )
        for key, attr in attrs.items():
            value = values.get(key)
            if value is None:
                if not attr.required and not spec.legacy:
                    continue
                legacy = next((k for k, c in spec.legacy.items() if c == key and k in values), None)
                if legacy is not None:
                    self.check_value(el, legacy, values[legacy], attr, name)
                    continue
                if attr.required and not (name == "component" and values.get("id") and values.get("type")):
                    if spec.value is not None and key == spec.value_attr:
                        continue  # SVX113 covers value-or-text
                    self.report("SVX106", doc.tag_span(el), f"arx:{name} requires the attribute {key!r}")
                continue
            self.check_value(el, key, value, attr, name)
        if name == "component" and el.get("ref") is None and el.get("id") and el.get("type"):
            self.report(
                "SVX116",
                doc.tag_span(el),
                "legacy arx:component form (id + type); the canonical form is ref=\"<object id>\"",
                tags=(Tag.DEPRECATED,),
            )
        if spec.value is not None:
            self.check_value_or_text(el, spec, name)
        if spec.text is not None:
            text = (el.text or "").strip()
            problem = spec.text.validate(text)
            if problem:
                self.report("SVX107", doc.text_span(el), f"arx:{name} text: {problem}")
        if name == "object":
            self.check_object_system(el)

    def check_parent(self, node: _Node, parent: _Node | None) -> None:
        spec, name = node.spec, node.name
        assert spec is not None and name is not None
        if parent is None:
            return
        if spec.parents is None:
            ok = parent.name is None
            where = "inside the drawing, not inside another arx element"
        elif name == "symbol":
            ok = parent.name is None and local(parent.el.tag) == "metadata"
            where = "inside svg:metadata"
        else:
            ok = parent.name in spec.parents
            where = "inside " + " or ".join(f"arx:{p}" for p in sorted(spec.parents))
        if not ok:
            pname = f"arx:{parent.name}" if parent.name else local(parent.el.tag)
            self.report(
                "SVX108", self.doc.tag_span(node.el), f"arx:{name} is not allowed in <{pname}>; it belongs {where}"
            )

    def check_children(self, node: _Node, children: list[etree._Element]) -> None:
        spec = node.spec
        assert spec is not None
        seen: dict[str, etree._Element] = {}
        for child in children:
            cname = local(child.tag)
            arx_like = is_arx(child.tag) or (namespace(child.tag) in (SVG_NS, None) and cname in ARX_CHILD_NAMES)
            if not arx_like:
                self.report(
                    "SVX108",
                    self.doc.tag_span(child),
                    f"<{cname}> is not allowed in arx:{node.name}: children of arx elements are arx elements",
                )
                continue
            if cname in spec.children and spec.children[cname]:
                if cname in seen:
                    self.report(
                        "SVX109",
                        self.doc.tag_span(child),
                        f"arx:{cname} may appear only once in arx:{node.name}",
                        related=(Related(f"first arx:{cname} is here", self.doc.tag_span(seen[cname])),),
                    )
                else:
                    seen[cname] = child
        if node.name == "tags":
            self.check_unique(children, lambda c: (c.text or "").strip() or None, "tag", self.doc.text_span)
        elif node.name == "properties":
            self.check_unique(children, lambda c: c.get("name"), "property",
                              lambda c: self.doc.attr_value_span(c, "name"))

    def check_unique(self, children: list[etree._Element], key, what: str, span_of) -> None:  # type: ignore[no-untyped-def]
        first: dict[str, etree._Element] = {}
        for child in children:
            k = key(child)
            if k is None:
                continue
            if k in first:
                self.report(
                    "SVX117",
                    span_of(child),
                    f"duplicate {what} {k!r}",
                    related=(Related(f"first {what} {k!r} is here", span_of(first[k])),),
                )
            else:
                first[k] = child

    def check_value(self, el: etree._Element, key: str, value: str, attr: Attr, name: str | None) -> None:
        cache_key = (id(attr.type), value)
        if cache_key in self._validated:
            problem = self._validated[cache_key]
        else:
            problem = self._validated[cache_key] = attr.type.validate(value)
        owner = f"arx:{name}" if name else f"<{local(el.tag)}>"
        if problem:
            self.report("SVX107", self.doc.attr_value_span(el, key), f"{key}={value!r} on {owner}: {problem}")
            return
        if attr.ref and value.strip() not in self.object_ids:
            self.report(
                "SVX112",
                self.doc.attr_value_span(el, key),
                f"{key}={value!r} names no arx:object in this file{did_you_mean(value, self.object_ids)}",
            )

    def check_value_or_text(self, el: etree._Element, spec: Element, name: str) -> None:
        attr_value = el.get(spec.value_attr)
        text = (el.text or "").strip()
        assert spec.value is not None
        if attr_value is not None and text:
            self.report(
                "SVX113",
                self.doc.text_span(el),
                f"arx:{name} gives its value both as {spec.value_attr}={attr_value!r} and as text {text!r}",
            )
        elif attr_value is None and not text:
            self.report(
                "SVX113",
                self.doc.tag_span(el),
                f"arx:{name} has no value: give it as {spec.value_attr}=\"…\" or as text",
            )
        elif attr_value is None:
            problem = spec.value.validate(text)
            if problem:
                self.report("SVX107", self.doc.text_span(el), f"arx:{name} value {text!r}: {problem}")

    def known_systems(self) -> set[str]:
        known: set[str] = set()
        systems = getattr(self.ctx.workspace, "systems", None)
        if callable(systems):
            try:
                known.update(systems())
            except Exception:  # an unindexable workspace must not hide this file's findings
                pass
        root = self.doc.root
        if root is not None:
            for el in root.iter():
                if is_arx(el.tag):
                    if local(el.tag) == "object" and el.get("system"):
                        known.add(el.get("system") or "")
                    elif local(el.tag) == "system" and el.get("type"):
                        known.add(el.get("type") or "")
        return known

    def check_object_system(self, el: etree._Element) -> None:
        system, otype = el.get("system"), el.get("type")
        if not system or not otype or "." not in otype:
            return
        first = otype.split(".", 1)[0]
        if first == system or first not in self._systems():
            return
        span = self.doc.attr_value_span(el, "system")
        self.report(
            "SVX114",
            span,
            f"system={system!r} disagrees with the object type {otype!r}, which is of system {first!r}",
            fix=Fix("use the system of the object type", (Edit(span, first),)),
        )

    _known: set[str] | None = None

    def _systems(self) -> set[str]:
        if self._known is None:
            self._known = self.known_systems()
        return self._known

    # -- SVG elements -----------------------------------------------------------------

    def check_svg_element(self, el: etree._Element, parent: _Node | None) -> None:
        doc = self.doc
        for key, value in attributes(el):
            ns = namespace(key)
            if ns in (ARX_NS, *LEGACY_ARX_NS):
                attr = SVG_ATTRS.get(local(key))
                if attr is None:
                    self.report(
                        "SVX105",
                        doc.attr_name_span(el, key),
                        f"unknown attribute arx:{local(key)}{did_you_mean(local(key), SVG_ATTRS)}",
                    )
                elif local(key) == "version" and el is not doc.root:
                    self.report("SVX105", doc.attr_name_span(el, key), "arx:version belongs on the root <svg>")
                else:
                    self.check_value(el, key, value, attr, None)
            elif key in ("href", XLINK_HREF) and value.startswith("#"):
                self.check_fragment(el, key, value[1:], 1)
            elif "url(" in value and ns is None:
                for m in _FRAGMENT_REF.finditer(value):
                    self.check_fragment(el, key, m.group(1), m.start(1))

    def check_fragment(self, el: etree._Element, key: str, target: str, at: int) -> None:
        if target in self.all_ids:
            return
        mapped = self.doc.attr_value_offsets(el, key)
        span = self.doc.attr_value_span(el, key)
        if mapped is not None:
            _, offsets = mapped
            if at + len(target) < len(offsets):
                span = Span(offsets[at], offsets[at + len(target)])
        self.report(
            "SVX112",
            span,
            f"reference to #{target}, which no element of this file has as id{did_you_mean(target, self.all_ids)}",
        )


@check_function(
    "structure",
    _SVGX,
    ("SVX101", "SVX102", "SVX103", "SVX104", "SVX105", "SVX106", "SVX107", "SVX108", "SVX109",
     "SVX110", "SVX111", "SVX112", "SVX113", "SVX114", "SVX116", "SVX117"),
)
def structure(ctx: CheckContext) -> Iterator[Diagnostic]:
    yield from _Walker(ctx).run()
