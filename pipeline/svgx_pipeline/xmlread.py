"""Reading SVGX: lxml for the tree, a lazy scanner for exact source spans.

lxml (libxml2) is the parser: it decides well-formedness, resolves namespaces and builds
the tree, with entity resolution, DTD loading and network access off. libxml2 reports only
line numbers for elements, so exact spans (tag names, attribute names and values, text)
come from a small scanner over the same text, run only when a diagnostic needs a place.
Clean files never pay for it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

from lxml import etree

from .diagnostics import Span
from .text import LineIndex

SVG_NS = "http://www.w3.org/2000/svg"
ARX_NS = "http://arxos.io/svgx"
LEGACY_ARX_NS = ("http://arxos.dev/svgx", "http://arxos.com/svgx")
ARX_NAMESPACES = (ARX_NS, *LEGACY_ARX_NS)


def _parser(*, recover: bool) -> etree.XMLParser:
    """A safe parser: no entities, DTDs or network."""
    return etree.XMLParser(
        recover=recover,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,  # keeps libxml2's limits: depth 256, text nodes 10 MB, amplification
        remove_comments=False,
        remove_pis=False,
        collect_ids=False,
    )


_ENCODING_DECL = re.compile(r"""\A(\s*<\?xml[^>]*?\bencoding\s*=\s*)(["'])([^"']*)\2""")


@functools.lru_cache(maxsize=4096)
def local(tag: str) -> str:
    return tag.rpartition("}")[2]


@functools.lru_cache(maxsize=4096)
def namespace(tag: str) -> str | None:
    return tag[1:].partition("}")[0] if tag.startswith("{") else None


@functools.lru_cache(maxsize=4096)
def _is_arx(tag: str) -> bool:
    return namespace(tag) in ARX_NAMESPACES


def is_arx(tag: object) -> bool:
    return isinstance(tag, str) and _is_arx(tag)


# --------------------------------------------------------------------------- typed lxml access
# lxml-stubs type XPath results as a broad union and attribute keys and values as
# ``str | bytes``; lxml gives ``str`` for both in Python 3, and element-selecting XPaths
# give lists of elements. These helpers say so once.


def select(xpath: etree.XPath, root: etree._Element, **variables: str) -> list[etree._Element]:
    """The elements an element-selecting XPath finds (anything else it returns is dropped)."""
    result = xpath(root, **variables)
    if not isinstance(result, list):
        raise TypeError(f"XPath {xpath.path!r} does not select nodes")
    return [r for r in result if isinstance(r, etree._Element)]


def attributes(el: etree._Element) -> list[tuple[str, str]]:
    """The element's attributes as ``(key, value)``; keys are Clark names when namespaced."""
    return cast("list[tuple[str, str]]", el.attrib.items())


def sourceline(el: etree._Element) -> int | None:
    """The 1-based line libxml2 recorded for the element, if any."""
    return cast("int | None", el.sourceline)


# --------------------------------------------------------------------------- scanner


@dataclass
class AttrTok:
    qname: str
    name_span: Span
    value_span: Span  # inside the quotes
    raw: str  # the value as written, entities not decoded


class TagTok:
    """A start tag as written. Attributes are tokenised on first access."""

    __slots__ = ("qname", "start", "name_end", "start_end", "self_closing", "end", "_text", "_attrs")

    def __init__(self, text: str, qname: str, start: int, name_end: int) -> None:
        self._text = text
        self.qname = qname
        self.start = start  # offset of "<"
        self.name_end = name_end
        self.start_end = name_end  # offset just past the start tag's ">"
        self.self_closing = False
        self.end = -1  # offset just past the element's end tag
        self._attrs: list[AttrTok] | None = None

    @property
    def name_span(self) -> Span:
        return Span(self.start + 1, self.name_end)

    @property
    def attrs(self) -> list[AttrTok]:
        if self._attrs is None:
            out: list[AttrTok] = []
            text, pos, limit = self._text, self.name_end, self.start_end
            while True:
                am = _ATTR.match(text, pos, limit)
                if am is None:
                    break
                g = 2 if am.group(2) is not None else 3
                name_span, value_span = Span(am.start(1), am.end(1)), Span(am.start(g), am.end(g))
                out.append(AttrTok(am.group(1), name_span, value_span, am.group(g)))
                pos = am.end()
            self._attrs = out
        return self._attrs

    def attr(self, qname: str) -> AttrTok | None:
        for a in self.attrs:
            if a.qname == qname:
                return a
        return None


@dataclass
class CommentTok:
    span: Span
    body_span: Span


_TOKEN = re.compile(
    r"<!--(?:.*?)(?:-->|\Z)"
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<\?.*?(?:\?>|\Z)"
    r"|<!(?:[^\[>]|\[.*?(?:\]|\Z))*>?"
    r"|</(?P<end>[^\s>]*)\s*>?"
    r"|<(?P<start>[^\s/>!?<\"'=][^\s/><\"'=]*)",
    re.S,
)
_ATTR = re.compile(r"""\s+([^\s=/><"']+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')""")
# Attributes, then the end of the start tag (for the scan; attributes are re-read lazily).
_TAG_CLOSE = re.compile(r"""(?:\s+[^\s=/><"']+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*(/?)>""")


def scan(text: str, max_tags: int | None = None) -> tuple[list[TagTok], list[CommentTok]]:
    """Tokenise start tags (with attributes and element extents) and comments.

    With ``max_tags`` the scan stops after that many start tags (their ``end`` unknown)."""
    tags: list[TagTok] = []
    comments: list[CommentTok] = []
    stack: list[TagTok] = []
    close = _TAG_CLOSE.match
    for m in _TOKEN.finditer(text):
        start_name = m.group("start")
        if start_name is not None:
            tag = TagTok(text, start_name, m.start(), m.end())
            cm = close(text, m.end())
            if cm is not None:
                tag.self_closing = cm.group(1) == "/"
                tag.start_end = cm.end()
            else:
                nxt = text.find(">", m.end())
                lt = text.find("<", m.end())
                if nxt != -1 and (lt == -1 or nxt < lt):
                    tag.self_closing = text[nxt - 1] == "/"
                    tag.start_end = nxt + 1
            tags.append(tag)
            if max_tags is not None and len(tags) >= max_tags:
                return tags, comments
            if tag.self_closing:
                tag.end = tag.start_end
            else:
                stack.append(tag)
            continue
        end_name = m.group("end")
        if end_name is not None:
            # Close the nearest open element of that name (tolerant of broken nesting).
            for i in range(len(stack) - 1, -1, -1):
                if stack[i].qname == end_name:
                    for open_tag in stack[i:]:
                        open_tag.end = m.end()
                    del stack[i:]
                    break
            continue
        if m.group(0).startswith("<!--"):
            body_end = m.end() - 3 if m.group(0).endswith("-->") else m.end()
            comments.append(CommentTok(Span(m.start(), m.end()), Span(m.start() + 4, body_end)))
    for open_tag in stack:
        open_tag.end = len(text)
    return tags, comments


_ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9A-Fa-f]+|lt|gt|amp|quot|apos);|\r\n")


def decode_with_offsets(raw: str, base: int) -> tuple[str, list[int]]:
    """Decode an attribute value as XML does, with the source offset of every character.

    ``offsets[i]`` is where decoded character ``i`` starts in the file; the extra last item
    is the end of the value.
    """
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _ENTITY.finditer(raw):
        for i in range(pos, m.start()):
            ch = raw[i]
            out.append(" " if ch in "\t\n\r" else ch)
            offsets.append(base + i)
        ref = m.group(0)
        if ref == "\r\n":
            out.append(" ")
        elif ref.startswith("&#x"):
            out.append(_safe_chr(int(ref[3:-1], 16)))
        elif ref.startswith("&#"):
            out.append(_safe_chr(int(ref[2:-1])))
        else:
            out.append({"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&apos;": "'"}[ref])
        offsets.append(base + m.start())
        pos = m.end()
    for i in range(pos, len(raw)):
        ch = raw[i]
        out.append(" " if ch in "\t\n\r" else ch)
        offsets.append(base + i)
    offsets.append(base + len(raw))
    return "".join(out), offsets


def _safe_chr(n: int) -> str:
    return chr(n) if 0 < n <= 0x10FFFF else "\ufffd"


# --------------------------------------------------------------------------- document


@dataclass(frozen=True)
class ParseError:
    span: Span
    message: str


_NOTABLE_ATTRS = frozenset({"href", "src", "style"})


@dataclass(frozen=True)
class AttributeIndex:
    with_id: list[etree._Element]  # elements with an unprefixed id attribute
    # elements with a namespaced attribute, href/src/style, an on* handler or a url() value
    notable: list[etree._Element]


class SvgxDoc:
    """A parsed SVGX text: the lxml tree (possibly recovered) and lazy source spans."""

    def __init__(
        self, text: str, root: etree._Element | None, errors: list[ParseError], well_formed: bool
    ) -> None:
        self.text = text
        self.root = root
        self.errors = errors
        self.well_formed = well_formed
        # Prefixes used without a declaration (the tree was built with them declared).
        self.undeclared_prefixes: frozenset[str] = frozenset()

    @cached_property
    def attribute_index(self) -> AttributeIndex:
        """One pass over the tree for the elements whose attributes rules look at.

        Rules read only these (most elements of a large drawing have nothing of interest);
        a single Python pass is several times cheaper than one XPath per rule."""
        with_id: list[etree._Element] = []
        notable: list[etree._Element] = []
        if self.root is not None:
            for el in self.root.iter(etree.Element):
                keys = el.keys()
                if not keys:
                    continue
                if "id" in keys:
                    with_id.append(el)
                for k in keys:
                    if k[0] == "{" or k in _NOTABLE_ATTRS or k[:2].lower() == "on":
                        notable.append(el)
                        break
                else:
                    if any("url(" in v for v in el.values()):
                        notable.append(el)
        return AttributeIndex(with_id, notable)

    # -- spans -----------------------------------------------------------------------

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    @cached_property
    def _scan(self) -> tuple[list[TagTok], list[CommentTok]]:
        return scan(self.text)

    @property
    def comments(self) -> list[CommentTok]:
        return self._scan[1]

    @property
    def tag_tokens(self) -> list[TagTok]:
        return self._scan[0]

    @cached_property
    def _element_tokens(self) -> dict[etree._Element, TagTok]:
        tags = self._scan[0]
        elements = list(self.elements())
        if self.well_formed and len(elements) == len(tags):
            return dict(zip(elements, tags, strict=True))
        # A recovered tree may differ from the text: match by written name and line.
        by_name: dict[str, list[TagTok]] = {}
        for t in tags:
            by_name.setdefault(t.qname, []).append(t)
        used: set[int] = set()
        out: dict[etree._Element, TagTok] = {}
        lines = self.lines
        for el in elements:
            qname = qualified_name(el)
            line = (sourceline(el) or 1) - 1
            for t in by_name.get(qname, ()):
                if id(t) in used:
                    continue
                first, last = lines.position(t.start)[0], lines.position(t.start_end)[0]
                if first <= line <= last:
                    out[el] = t
                    used.add(id(t))
                    break
        return out

    def elements(self) -> Iterator[etree._Element]:
        """Every element in document order (comments and PIs left out)."""
        if self.root is None:
            return iter(())
        return (el for el in self.root.iter() if isinstance(el.tag, str))

    def token(self, el: etree._Element) -> TagTok | None:
        if el is self.root and "_element_tokens" not in self.__dict__ and self.well_formed:
            # The root's start tag alone is found without scanning the whole file (plain SVG
            # files often get one finding, on the root).
            first = scan(self.text, max_tags=1)[0]
            if first and first[0].qname == qualified_name(el):
                tok = first[0]
                tok.end = len(self.text.rstrip())
                return tok
        return self._element_tokens.get(el)

    def _fallback(self, el: etree._Element) -> Span:
        line = (sourceline(el) or 1) - 1
        start = self.lines.line_start(line)
        end = self.lines.line_end(line)
        text = self.text[start:end]
        lead = len(text) - len(text.lstrip())
        return Span(start + lead, end)

    def tag_span(self, el: etree._Element) -> Span:
        """The element's name in its start tag."""
        tok = self.token(el)
        return tok.name_span if tok else self._fallback(el)

    def element_span(self, el: etree._Element) -> Span:
        """From the start tag's ``<`` to the end of its end tag."""
        tok = self.token(el)
        return Span(tok.start, tok.end) if tok else self._fallback(el)

    def start_tag_span(self, el: etree._Element) -> Span:
        tok = self.token(el)
        return Span(tok.start, tok.start_end) if tok else self._fallback(el)

    def _attr_tok(self, el: etree._Element, key: str) -> AttrTok | None:
        tok = self.token(el)
        if tok is None:
            return None
        if not key.startswith("{"):
            return tok.attr(key)
        ns, name = namespace(key), local(key)
        for a in tok.attrs:
            prefix, _, lname = a.qname.rpartition(":")
            if lname == name and prefix and el.nsmap.get(prefix) == ns:
                return a
        return None

    def attr_tok(self, el: etree._Element, key: str) -> AttrTok | None:
        """The attribute as written; ``key`` is lxml's key (Clark name for namespaced)."""
        return self._attr_tok(el, key)

    def attr_value_span(self, el: etree._Element, key: str) -> Span:
        a = self._attr_tok(el, key)
        return a.value_span if a else self.tag_span(el)

    def attr_name_span(self, el: etree._Element, key: str) -> Span:
        a = self._attr_tok(el, key)
        return a.name_span if a else self.tag_span(el)

    def attr_span(self, el: etree._Element, key: str) -> Span:
        """The whole ``name="value"`` with its closing quote."""
        a = self._attr_tok(el, key)
        return Span(a.name_span.start, a.value_span.end + 1) if a else self.tag_span(el)

    def attr_value_offsets(self, el: etree._Element, key: str) -> tuple[str, list[int]] | None:
        """The decoded value and the file offset of each of its characters."""
        a = self._attr_tok(el, key)
        if a is None:
            return None
        return decode_with_offsets(a.raw, a.value_span.start)

    def text_span(self, el: etree._Element) -> Span:
        """The element's leading text content, trimmed of surrounding white space."""
        tok = self.token(el)
        if tok is None or tok.self_closing:
            return self.tag_span(el)
        end = self.text.find("<", tok.start_end)
        end = len(self.text) if end == -1 else end
        raw = self.text[tok.start_end : end]
        lead = len(raw) - len(raw.lstrip())
        trail = len(raw.rstrip())
        if trail <= lead:
            return Span(tok.start_end, tok.start_end)
        return Span(tok.start_end + lead, tok.start_end + trail)

    def removal_span(self, el: etree._Element) -> Span:
        """The element with its line's indentation and line break, for a clean removal."""
        span = self.element_span(el)
        line_start = self.text.rfind("\n", 0, span.start) + 1
        before = self.text[line_start : span.start]
        after_end = span.end
        while after_end < len(self.text) and self.text[after_end] in " \t":
            after_end += 1
        if before.strip() == "" and self.text.startswith("\n", after_end):
            return Span(line_start, after_end + 1)
        return span


def qualified_name(el: etree._Element) -> str:
    """The name as written in the file (prefix:local or local)."""
    return f"{el.prefix}:{local(el.tag)}" if el.prefix else local(el.tag)


# --------------------------------------------------------------------------- parsing


def _error_span(text: str, line: int, column: int) -> Span:
    """libxml2 reports a 1-based line and a 1-based column counted in characters (code
    points: ``é`` and ``🏢`` are one column each), not in bytes."""
    # libxml2 counts lines by "\n" only (a lone "\r" does not end one for it), unlike LSP.
    start = 0
    for _ in range(max(line - 1, 0)):
        nxt = text.find("\n", start)
        if nxt == -1:
            break
        start = nxt + 1
    end = text.find("\n", start)
    end = len(text) if end == -1 else end
    if end > start and text[end - 1] == "\r":
        end -= 1
    offset = min(start + max(column - 1, 0), end)
    return Span(offset, min(offset + 1, end) if offset < end else offset)


_UNDECLARED = re.compile(r"Namespace prefix (\S+?) (?:for (\S+) )?on (\S+) is not defined")
KNOWN_PREFIXES = {"arx": ARX_NS, "xlink": "http://www.w3.org/1999/xlink"}
_FIRST_START_TAG = re.compile(r"<(?![!?/])[^\s/>]+")


def _strict_parse(data: bytes) -> tuple[etree._Element | None, list[Any]]:
    parser = _parser(recover=False)
    try:
        return etree.fromstring(data, parser), []
    except etree.XMLSyntaxError as exc:
        log = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR] or list(parser.error_log)
        return None, log or [exc]


def parse(text: str) -> SvgxDoc:
    """Parse SVGX text safely. Never raises on bad input: errors land in ``doc.errors``."""
    source = text
    m = _ENCODING_DECL.match(source)
    if m and m.group(3).lower().replace("_", "-") not in ("utf-8", "utf8"):
        # The text is already decoded; stop libxml2 re-decoding it by the declaration.
        pad = " " * max(len(m.group(3)) - 5, 0)
        source = source[: m.start(3)] + "utf-8" + m.group(2) + pad + source[m.end(3) + 1 :]
    data = source.encode("utf-8", "surrogatepass")
    root, log = _strict_parse(data)
    if root is not None:
        return SvgxDoc(text, root, [], True)
    doc = SvgxDoc(text, None, [], False)
    undeclared = {
        um.group(1) for e in log if (um := _UNDECLARED.search(getattr(e, "message", "") or ""))
    }
    if undeclared and all(_UNDECLARED.search(getattr(e, "message", "") or "") for e in log):
        # Only undeclared prefixes: parse again with them declared on the root, so that
        # every other check still sees a namespaced tree. The caller reports the prefixes.
        fm = _FIRST_START_TAG.search(source)
        if fm:
            decls = "".join(
                f' xmlns:{p}="{KNOWN_PREFIXES.get(p, "urn:svgx:undeclared:" + p)}"'
                for p in sorted(undeclared)
            )
            patched = (source[: fm.end()] + decls + source[fm.end() :]).encode("utf-8", "surrogatepass")
            root2, log2 = _strict_parse(patched)
            if root2 is not None:
                doc.root = root2
                doc.undeclared_prefixes = frozenset(undeclared)
                doc.well_formed = True
                return doc
    for first in log[:1]:
        if isinstance(first, etree.XMLSyntaxError):
            doc.errors.append(ParseError(Span(0, min(1, len(text))), str(first)))
        else:
            span = _error_span(text, first.line, first.column)
            doc.errors.append(ParseError(_refine(text, span, first.message), _message(first.message)))
    recovering = _parser(recover=True)
    try:
        doc.root = etree.fromstring(data, recovering)
    except etree.XMLSyntaxError:
        doc.root = None
    return doc


_REDEFINED = re.compile(r"Attribute (\S+) redefined")
_MISMATCH = re.compile(r"Opening and ending tag mismatch: \S+ line \d+ and (\S+)")


def _message(raw: str) -> str:
    """libxml2's message, said plainly where it is terse."""
    raw = raw.strip()
    m = _REDEFINED.search(raw)
    if m:
        return f"attribute {m.group(1)!r} appears twice on one element (libxml2: {raw})"
    return raw


def _refine(text: str, span: Span, message: str) -> Span:
    """Sharpen libxml2's position for errors whose culprit the scanner can name."""
    m = _REDEFINED.search(message)
    if m:
        name = m.group(1)
        tag_start = text.rfind("<", 0, span.start + 1)
        tag_end = text.find(">", tag_start)
        seen = 0
        for am in _ATTR.finditer(text, tag_start, tag_end if tag_end != -1 else len(text)):
            if am.group(1) == name or am.group(1).endswith(":" + name):
                seen += 1
                if seen == 2:
                    return Span(am.start(1), am.end(1))
    m = _MISMATCH.search(message)
    if m:
        # libxml2 points just past the end tag that does not match: underline its name.
        name = m.group(1)
        end_tag = text.rfind("</" + name, 0, span.start + 1)
        name_end = end_tag + 2 + len(name)
        if end_tag != -1 and re.fullmatch(r"\s*>?", text[name_end : span.start]):
            return Span(end_tag + 2, name_end)
    return span
