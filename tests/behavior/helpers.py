"""Small builders shared by the behavior tests."""

from __future__ import annotations

import json
from typing import Any

from svgx_pipeline.config import Settings
from svgx_pipeline.diagnostics import Diagnostic
from svgx_pipeline.documents import Document, FileKind
from svgx_pipeline.engine import check


def profile(variables: dict[str, Any], **extra: Any) -> str:
    data: dict[str, Any] = {
        "id": "test_behavior", "version": "1.0.0", "system": "electrical",
        "applies_to": ["electrical.test"], "variables": variables,
    }
    data.update(extra)
    return json.dumps(data, indent=2)


def check_profile(text: str, settings: Settings | None = None) -> list[Diagnostic]:
    return check(Document("p.behavior.json", text, FileKind.BEHAVIOR), settings=settings, families=("SVX3",))


def check_svgx(text: str, settings: Settings | None = None) -> list[Diagnostic]:
    return check(Document("d.svgx", text, FileKind.SVGX), settings=settings, families=("SVX3",))


def codes(diags: list[Diagnostic]) -> list[str]:
    return [d.code for d in diags]


def drawing(behavior: str, obj_attrs: str = 'id="o1" type="electrical.panel"') -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:arx="http://arxos.io/svgx" viewBox="0 0 10 10">\n'
        f"  <arx:object {obj_attrs}>\n    <arx:behavior>\n{behavior}\n    </arx:behavior>\n"
        "  </arx:object>\n</svg>\n"
    )
