"""A JSON reader that keeps positions.

The standard ``json`` module keeps no positions and silently keeps the last of two
duplicate keys; diagnostics on profiles, schemas and JSON symbols must point at the exact
key or value (or at characters inside a string, escapes included). No maintained Python
library gives both a JSON-pointer → span map and escape-aware offsets inside strings, so
this module is a small strict RFC 8259 parser that records them. It is iterative over
nesting up to ``MAX_DEPTH`` and never raises on bad input.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Span

MAX_DEPTH = 512
JsonPath = tuple[str | int, ...]

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"((?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*)"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|.)", re.S)
_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


@dataclass
class JNode:
    kind: str  # object, array, string, number, true, false, null
    span: Span
    value: Any = None
    key_span: Span | None = None  # for object members: the key, quotes included
    members: dict[str, JNode] = field(default_factory=dict)
    items: list[JNode] = field(default_factory=list)


@dataclass(frozen=True)
class Duplicate:
    path: JsonPath  # path of the object holding the key
    key: str
    first: Span
    again: Span


class JsonError(Exception):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


@dataclass
class JsonDoc:
    text: str
    root: JNode | None
    error: tuple[Span, str] | None
    duplicates: list[Duplicate]

    @property
    def value(self) -> Any:
        return self.root.value if self.root is not None else None

    def node(self, path: JsonPath) -> JNode | None:
        node = self.root
        for part in path:
            if node is None:
                return None
            if isinstance(part, int):
                node = node.items[part] if node.kind == "array" and 0 <= part < len(node.items) else None
            else:
                node = node.members.get(part) if node.kind == "object" else None
        return node

    def span(self, path: JsonPath, *, key: bool = False) -> Span:
        """Span of the value at ``path`` (its key with ``key=True``); the nearest ancestor
        that exists when the path does not."""
        for cut in range(len(path), -1, -1):
            node = self.node(path[:cut])
            if node is not None:
                if key and cut == len(path) and node.key_span is not None:
                    return node.key_span
                if cut < len(path) and node.kind == "object" and node.key_span is not None and cut:
                    return node.key_span
                return node.span
        return Span(0, min(1, len(self.text)))

    def string_offsets(self, node: JNode) -> list[int]:
        """File offset of every character of a string node's decoded value (plus its end)."""
        return string_offsets(self.text, node.span)


def string_offsets(text: str, span: Span) -> list[int]:
    offsets: list[int] = []
    start, end = span.start + 1, span.end - 1  # inside the quotes
    pos = start
    for m in _ESCAPE.finditer(text, start, end):
        offsets.extend(range(pos, m.start()))
        esc = m.group(0)
        if esc.startswith("\\u"):
            code = int(esc[2:], 16)
            if 0xDC00 <= code <= 0xDFFF and offsets and _is_high(text, m.start() - 6):
                pass  # low half of a surrogate pair: same character as the high half
            else:
                offsets.append(m.start())
        else:
            offsets.append(m.start())
        pos = m.end()
    offsets.extend(range(pos, end))
    offsets.append(end)
    return offsets


def _is_high(text: str, at: int) -> bool:
    return at >= 0 and text.startswith("\\u", at) and 0xD800 <= int(text[at + 2 : at + 6], 16) <= 0xDBFF


def _decode(raw: str) -> str:
    if "\\" not in raw:
        return raw
    return json.loads('"' + raw + '"')  # escapes already validated by _STRING


def parse_json(text: str) -> JsonDoc:
    duplicates: list[Duplicate] = []
    try:
        root = _Parser(text, duplicates).parse()
        return JsonDoc(text, root, None, duplicates)
    except JsonError as exc:
        off = min(exc.offset, len(text))
        return JsonDoc(text, None, (Span(off, min(off + 1, len(text))), exc.message), duplicates)


class _Parser:
    def __init__(self, text: str, duplicates: list[Duplicate]) -> None:
        self.text = text
        self.duplicates = duplicates

    def ws(self, pos: int) -> int:
        return _WS.match(self.text, pos).end()  # type: ignore[union-attr]

    def parse(self) -> JNode:
        text = self.text
        pos = self.ws(0)
        if pos >= len(text):
            raise JsonError(pos, "empty document: expected a JSON value")
        node, pos = self.value(pos, 0, ())
        pos = self.ws(pos)
        if pos < len(text):
            raise JsonError(pos, "unexpected text after the JSON value")
        return node

    def scalar(self, pos: int) -> tuple[JNode, int] | None:
        text = self.text
        c = text[pos]
        if c == '"':
            m = _STRING.match(text, pos)
            if m is None:
                raise JsonError(self._string_error(pos), "invalid string")
            return JNode("string", Span(pos, m.end()), _decode(m.group(1))), m.end()
        for word, val in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, pos):
                return JNode(word, Span(pos, pos + len(word)), val), pos + len(word)
        m = _NUMBER.match(text, pos)
        if m and m.end() > pos:
            raw = m.group(0)
            num: int | float = float(raw) if any(ch in raw for ch in ".eE") else int(raw)
            return JNode("number", Span(pos, m.end()), num), m.end()
        return None

    def _string_error(self, pos: int) -> int:
        i = pos + 1
        text = self.text
        while i < len(text):
            c = text[i]
            if c == '"':
                break
            if c == "\\":
                if not re.match(r'\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})', text[i : i + 6]):
                    return i
                i += 6 if text[i + 1] == "u" else 2
                continue
            if ord(c) < 0x20:
                return i
            i += 1
        return i

    def value(self, pos: int, depth: int, path: JsonPath) -> tuple[JNode, int]:
        # Containers are parsed with an explicit stack so deep nesting cannot overflow.
        text = self.text
        if pos >= len(text):
            raise JsonError(pos, "unexpected end of document: expected a value")
        c = text[pos]
        if c not in "{[":
            res = self.scalar(pos)
            if res is None:
                raise JsonError(pos, f"unexpected character {c!r}: expected a value")
            return res
        root = JNode("object" if c == "{" else "array", Span(pos, pos))
        root.value = {} if c == "{" else []
        stack: list[tuple[JNode, JsonPath]] = [(root, path)]
        pos = self.ws(pos + 1)
        first = True
        while stack:
            node, npath = stack[-1]
            closer = "}" if node.kind == "object" else "]"
            if pos >= len(text):
                raise JsonError(pos, f"unexpected end of document: expected {closer!r}")
            if text[pos] == closer:
                if not first and text[pos - 1] == ",":
                    pass
                node.span = Span(node.span.start, pos + 1)
                stack.pop()
                pos = self.ws(pos + 1)
                first = False
                continue
            if not first:
                if text[pos] != ",":
                    raise JsonError(pos, f"expected ',' or {closer!r}")
                comma = pos
                pos = self.ws(pos + 1)
                if pos < len(text) and text[pos] == closer:
                    raise JsonError(comma, f"trailing comma before {closer!r}")
            first = False
            key: str | None = None
            key_span: Span | None = None
            if node.kind == "object":
                if pos >= len(text) or text[pos] != '"':
                    raise JsonError(pos, "expected a key in double quotes")
                m = _STRING.match(text, pos)
                if m is None:
                    raise JsonError(self._string_error(pos), "invalid string")
                key, key_span = _decode(m.group(1)), Span(pos, m.end())
                pos = self.ws(m.end())
                if pos >= len(text) or text[pos] != ":":
                    raise JsonError(pos, "expected ':' after the key")
                pos = self.ws(pos + 1)
            if pos >= len(text):
                raise JsonError(pos, "unexpected end of document: expected a value")
            c = text[pos]
            if c in "{[":
                if len(stack) >= MAX_DEPTH:
                    raise JsonError(pos, f"nesting deeper than {MAX_DEPTH}")
                child = JNode("object" if c == "{" else "array", Span(pos, pos))
                child.value = {} if c == "{" else []
                next_pos = self.ws(pos + 1)
            else:
                res = self.scalar(pos)
                if res is None:
                    raise JsonError(pos, f"unexpected character {c!r}: expected a value")
                child, next_pos = res
                next_pos = self.ws(next_pos)
            child.key_span = key_span
            if node.kind == "object":
                assert key is not None and key_span is not None
                if key in node.members:
                    first_span = node.members[key].key_span or key_span
                    self.duplicates.append(Duplicate(npath, key, first_span, key_span))
                node.members[key] = child
                node.value[key] = child.value
                cpath = (*npath, key)
            else:
                node.items.append(child)
                node.value.append(child.value)
                cpath = (*npath, len(node.items) - 1)
            pos = next_pos
            if child.kind in ("object", "array"):
                stack.append((child, cpath))
                first = True
        return root, pos
