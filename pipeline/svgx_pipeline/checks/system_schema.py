"""SVX115: a system schema must have the shape of the shipped system-schema JSON Schema."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Diagnostic, Related
from ..documents import FileKind
from ..engine import CheckContext, check_function
from ..jsonvalidate import validate
from ..rules import define

define(
    "SVX115",
    "invalid-system-schema",
    "error",
    "A system schema (`schemas/<system>/schema.json`) does not match the system-schema shape "
    "(svgx.md §9, shipped as `system-schema.schema.json`): it is not valid JSON, a required "
    "field is missing or of the wrong type, a name breaks the naming rules, a key appears "
    "twice, or `system` disagrees with the folder the file is in.",
    why="The system schemas define which systems and object types exist; every symbol, drawing "
    "and coverage check is judged against them. A malformed schema silently makes real object "
    "types unknown.",
    example='{"system": "Audio Visual", "objects": {"display": {"behavior_profile": 3}}}',
    fixed='{"system": "audiovisual", "objects": {"display": {"behavior_profile": "display_behavior"}}}',
)

SCHEMA_FILE = "system-schema.schema.json"


@check_function("system-schema-shape", frozenset({FileKind.SYSTEM_SCHEMA}), ("SVX115",))
def system_schema_shape(ctx: CheckContext) -> Iterator[Diagnostic]:
    doc = ctx.json
    if doc.error is not None:
        span, message = doc.error
        yield ctx.report("SVX115", span, f"system schema is not valid JSON: {message}")
        return
    for dup in doc.duplicates:
        where = "/".join(map(str, dup.path)) or "(top level)"
        yield ctx.report(
            "SVX115",
            dup.again,
            f"{where}: key {dup.key!r} appears twice; the last one would win",
            related=(Related("first occurrence", dup.first),),
        )
    for span, message, _ in validate(doc, SCHEMA_FILE):
        yield ctx.report("SVX115", span, message)
    value = doc.value
    parts = ctx.document.path.split("/")
    if (
        isinstance(value, dict)
        and isinstance(value.get("system"), str)
        and re.fullmatch(r"[a-z][a-z0-9_]*", value["system"])
        and len(parts) >= 3
        and parts[-1] == "schema.json"
        and parts[-3] == "schemas"
        and parts[-2] != value["system"]
    ):
        yield ctx.report(
            "SVX115",
            doc.span(("system",)),
            f"system {value['system']!r} is defined in schemas/{parts[-2]}/: the folder must be "
            f"named after the system (schemas/{value['system']}/schema.json)",
        )
