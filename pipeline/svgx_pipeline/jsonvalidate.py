"""JSON Schema validation with findings placed on the exact key or value (jsonschema +
``JsonDoc.span``): one mapper from JSON paths to spans, used by every JSON file kind."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .diagnostics import Span
from .jsonread import JsonDoc, JsonPath

SCHEMAS_DIR = Path(__file__).parent / "schemas"

_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


@functools.cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS_DIR / name).read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _describe(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _where(path: JsonPath) -> str:
    return "/".join(str(p) for p in path) or "(top level)"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"


def _head(doc: JsonDoc, path: JsonPath) -> Span:
    """A one-line place for an object or array: its key, else its opening bracket."""
    node = doc.node(path)
    if node is None:
        return doc.span(path)
    if node.key_span is not None:
        return node.key_span
    if node.kind in ("object", "array"):
        return Span(node.span.start, node.span.start + 1)
    return node.span


def _message(err: ValidationError, path: JsonPath) -> tuple[JsonPath, bool, str]:
    """(path to point at, point at the key?, message) for one validation error."""
    v, inst = err.validator, err.instance
    where = _where(path)
    if v == "required":
        missing = [p for p in err.validator_value if not isinstance(inst, dict) or p not in inst]
        fields = ", ".join(repr(m) for m in missing)
        plural = "s are" if len(missing) > 1 else " is"
        return path, False, f"{where}: required field{plural} missing: {fields}"
    if v == "type":
        return (
            path,
            False,
            f"{where} must be {_type_names(err.validator_value)}, not {_describe(inst)}",
        )
    if v == "pattern":
        return (
            path,
            False,
            f"{where}: {_short(inst)} does not match the pattern {err.validator_value}",
        )
    if v == "minProperties":
        return path, False, f"{where} must not be empty"
    if v == "minLength":
        return path, False, f"{where} must not be empty"
    if v == "enum":
        options = ", ".join(_short(o) for o in err.validator_value)
        return path, False, f"{where}: {_short(inst)} is not one of {options}"
    if v in ("exclusiveMinimum", "minimum"):
        op = ">" if v == "exclusiveMinimum" else "≥"
        return path, False, f"{where} must be {op} {err.validator_value}, not {_short(inst)}"
    if v == "oneOf":
        return path, False, _oneof_hint(err) if _fits_any(err) else f"{where}: {_oneof_hint(err)}"
    return path, False, f"{where}: {err.message[:200]}"


def _oneof_hint(err: ValidationError) -> str:
    """The problem inside the alternative whose type fits the value (e.g. the object form)."""
    options = [o for o in err.validator_value if isinstance(o, dict)]
    for index, option in enumerate(options):
        if _fits(err.instance, option.get("type")):
            inner = [
                e
                for e in err.context or []
                if e.relative_schema_path and e.relative_schema_path[0] == index
            ]
            if inner:
                first = min(inner, key=lambda e: len(e.absolute_path))
                return _message(first, tuple(first.absolute_path))[2]
    names = " or ".join(_type_names(o.get("type")) for o in options)
    return f"expected {names}, not {_describe(err.instance)}"


def _fits_any(err: ValidationError) -> bool:
    return any(
        isinstance(o, dict) and _fits(err.instance, o.get("type")) for o in err.validator_value
    )


def _fits(value: Any, type_name: Any) -> bool:
    kinds = {"object": dict, "array": list, "string": str, "number": (int, float), "boolean": bool}
    expected = kinds.get(type_name) if isinstance(type_name, str) else None
    return (
        expected is not None
        and isinstance(value, expected)
        and not (type_name == "number" and isinstance(value, bool))
    )


def _type_names(value: Any) -> str:
    names = {
        "object": "an object",
        "array": "an array",
        "string": "a string",
        "number": "a number",
        "integer": "an integer",
        "boolean": "a boolean",
        "null": "null",
    }
    if isinstance(value, list):
        return " or ".join(names.get(str(v), str(v)) for v in value)
    return names.get(value, str(value))


def validate(doc: JsonDoc, schema_name: str) -> Iterator[tuple[Span, str, JsonPath]]:
    """(span, message, path) of every violation of a shipped schema, in document order."""
    if doc.root is None:
        return
    errors = sorted(
        validator(schema_name).iter_errors(doc.value), key=lambda e: list(map(str, e.absolute_path))
    )
    for err in errors:
        # propertyNames reports on the object: find the offending key itself.
        path: JsonPath = tuple(err.absolute_path)
        if "propertyNames" in err.schema_path and isinstance(err.instance, str):
            parent = path
            path = (*parent, err.instance)
            span = doc.span(path, key=True)
            rule = err.validator_value if err.validator == "pattern" else err.message
            yield (
                span,
                f"{_where(parent)}: key {err.instance!r} does not match the pattern {rule}",
                path,
            )
            continue
        path, key, message = _message(err, path)
        node = doc.node(path)
        if node is not None and node.kind in ("object", "array") and not key:
            span = _head(doc, path)
        else:
            span = doc.span(path, key=key)
        yield span, message, path
