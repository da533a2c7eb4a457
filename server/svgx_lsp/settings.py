"""The editor's settings (section ``svgx`` of ``workspace/configuration``) over the config file.

Each editor setting is validated on its own: an invalid one is reported and left out, so
the value from the config file (or the default, when the file does not set it) stays in
force and the server keeps serving.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from svgx_pipeline.config import Settings

# Settings the rules read, as the editor may spell them.
RULE_SETTINGS = ("select", "ignore", "severity", "per_file_ignores", "units", "limits")
# Settings of the editor side or of the server itself, not of the rules.
CLIENT_SETTINGS = ("trace", "server", "path", "enable")
TRACE_VALUES = ("off", "messages", "verbose")


@dataclass
class EditorSettings:
    overrides: dict[str, Any] = field(default_factory=dict)  # validated, snake_case keys
    trace: str = "off"
    problems: list[str] = field(default_factory=list)


def _snake(key: str) -> str:
    key = key.replace("-", "_")
    return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "_" + m.group(1).lower(), key)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}" if where else err["msg"]


def layer(base: Settings, raw: Any) -> EditorSettings:
    """Validate the editor's ``svgx`` section against ``base`` (the config file's settings)."""
    out = EditorSettings()
    if raw is None:
        return out
    if not isinstance(raw, dict):
        out.problems.append(f"the svgx settings must be an object, not {type(raw).__name__}; ignored")
        return out
    data = base.model_dump()
    for key, value in raw.items():
        name = _snake(str(key))
        if value is None:
            continue  # unset in the editor: the config file's value stays
        if name == "trace":
            trace = value.get("server") if isinstance(value, dict) else value
            if trace in TRACE_VALUES:
                out.trace = str(trace)
            else:
                out.problems.append(
                    f'svgx.{key}: expected one of {", ".join(TRACE_VALUES)}, got {trace!r}; using "off"'
                )
            continue
        if name in CLIENT_SETTINGS:
            continue
        if name not in RULE_SETTINGS:
            out.problems.append(f"svgx.{key}: unknown setting; ignored")
            continue
        if name == "limits" and isinstance(value, dict):
            value = {**data["limits"], **{_snake(str(k)): v for k, v in value.items()}}
        if name in ("select", "ignore") and isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        try:
            checked = Settings.model_validate({**data, **out.overrides, name: value})
        except ValidationError as exc:
            out.problems.append(f"svgx.{key}: {_first_error(exc)}; using the config file's value or the default")
            continue
        out.overrides[name] = getattr(checked, name) if name != "limits" else checked.limits.model_dump()
    return out
