"""Behavior profiles: the shipped JSON Schema, its violations as spans, and a parse cache.

Positions come from :mod:`svgx_pipeline.jsonread` (the project's position-keeping JSON
reader: the standard ``json`` module keeps none and silently drops duplicate keys); the
JSON path of every ``jsonschema`` error is mapped to the key or value it is about.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..diagnostics import Span
from ..jsonread import JsonDoc, JsonPath, parse_json
from .model import Behavior
from .readers import from_profile

SCHEMA_FILE = "behavior-profile-1.0.schema.json"
SCHEMA_URL = "https://arxos.io/svgx/behavior-profile-1.0.schema.json"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files("svgx_pipeline").joinpath("schemas", SCHEMA_FILE).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator  # imported on first use: it is slow to import

    return Draft202012Validator(schema())


@dataclass(frozen=True)
class Violation:
    span: Span
    message: str


def _where(path: JsonPath) -> str:
    return ".".join(str(p) for p in path) or "the profile"


def _object_span(doc: JsonDoc, path: JsonPath) -> Span:
    if path:
        return doc.span(path, key=True)
    node = doc.root
    return Span(node.span.start, node.span.start + 1) if node is not None else Span(0, 0)


_PATTERNS = {
    "version": "a semantic version such as `1.0.0`",
    "id": "an identifier (letters, digits and _, not starting with a digit)",
    "name": "an identifier (letters, digits and _, not starting with a digit)",
    "event": "an identifier (letters, digits and _, not starting with a digit)",
    "action": "an identifier (letters, digits and _, not starting with a digit)",
    "system": "a system name: lower-case letters, digits and _",
    "applies_to": "an object type: dot-separated lower-case names (`audiovisual.display`)",
}


def violations(doc: JsonDoc) -> Iterator[Violation]:
    """Every JSON Schema violation of a parsed profile, each at its own key or value."""
    errors = sorted(
        _validator().iter_errors(doc.value), key=lambda e: [str(p) for p in e.absolute_path]
    )
    for err in errors:
        path: JsonPath = tuple(err.absolute_path)
        kind = err.validator
        if kind == "additionalProperties" and isinstance(err.instance, dict):
            allowed = list(err.schema.get("properties", {}))
            for key in err.instance:
                if key in allowed:
                    continue
                near = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = (
                    f"; did you mean `{near[0]}`?" if near else f" (allowed: {', '.join(allowed)})"
                )
                yield Violation(
                    doc.span((*path, key), key=True), f"unknown key `{key}` in {_where(path)}{hint}"
                )
        elif kind == "required":
            missing = err.message.split("'")[1] if "'" in err.message else err.message
            yield Violation(
                _object_span(doc, path), f"{_where(path)} lacks the required key `{missing}`"
            )
        elif "propertyNames" in err.schema_path and isinstance(err.instance, str):
            # jsonschema reports the key's own failure (a pattern) with the object's path.
            yield Violation(
                doc.span((*path, str(err.instance)), key=True),
                f"`{err.instance}` in {_where(path)} is not an identifier "
                "(letters, digits and _, not starting with a digit)",
            )
        elif kind == "anyOf" and "above" in json.dumps(err.validator_value):
            yield Violation(
                _object_span(doc, path), f"{_where(path)}: a threshold needs `above` or `below`"
            )
        elif kind == "oneOf" and path and path[-1] == "delay":
            yield Violation(
                doc.span(path),
                f"{_where(path)}: a delay is a number of seconds or a number "
                "with s, ms, min or h (`30min`)",
            )
        elif kind == "pattern":
            what = _PATTERNS.get(
                str(path[-2] if path and isinstance(path[-1], int) else path[-1] if path else ""),
                "the form the schema asks for",
            )
            yield Violation(doc.span(path), f"{_where(path)} is `{err.instance}`: expected {what}")
        elif kind == "enum":
            options = ", ".join(f"`{o}`" for o in err.validator_value)
            near = difflib.get_close_matches(
                str(err.instance), [str(o) for o in err.validator_value], n=1
            )
            hint = f"; did you mean `{near[0]}`?" if near else ""
            yield Violation(
                doc.span(path),
                f"{_where(path)} is `{err.instance}`: expected one of {options}{hint}",
            )
        else:
            yield Violation(doc.span(path), f"{_where(path)}: {err.message}")


@dataclass(frozen=True)
class LoadedProfile:
    doc: JsonDoc
    behavior: Behavior


@lru_cache(maxsize=256)
def load_profile(text: str) -> LoadedProfile:
    """Parse a profile's text once; many objects naming the same profile share the result."""
    doc = parse_json(text)
    return LoadedProfile(doc, from_profile(doc))
