"""Configuration: ``svgx.toml`` or ``[tool.svgx]`` in ``pyproject.toml``.

Keys may be written kebab-case or snake_case. An invalid value never stops the tool: it is
reported as SVX902 on the config file, at the key, and the default is used instead.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .diagnostics import Severity, Span
from .documents import KindPatterns, glob_match
from .rules import matches

CONFIG_FILES = ("svgx.toml", "pyproject.toml")
STEPS = (
    "validate-schema",
    "validate-symbol",
    "validate-behavior",
    "validate-registry",
    "validate-compliance",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Limits(_Model):
    max_file_size: int = Field(default=10 * 1024 * 1024, gt=0)
    max_depth: int = Field(default=12, gt=0)
    max_symbol_size: int = Field(default=100 * 1024, gt=0)
    max_metadata_size: int = Field(default=200 * 1024, gt=0)
    max_formula_length: int = Field(default=1000, gt=0)
    max_formula_depth: int = Field(default=50, gt=0)
    max_simulation_corners: int = Field(default=64, gt=0)


class Paths(_Model):
    svgx: tuple[str, ...] = KindPatterns.svgx
    behavior: tuple[str, ...] = KindPatterns.behavior
    system_schema: tuple[str, ...] = KindPatterns.system_schema
    json_symbol: tuple[str, ...] = KindPatterns.json_symbol
    registry: tuple[str, ...] = KindPatterns.registry
    exclude: tuple[str, ...] = ("**/node_modules/**", "**/.git/**", "**/.svgx/**", "**/.venv/**")

    def kinds(self) -> KindPatterns:
        return KindPatterns(
            svgx=self.svgx,
            behavior=self.behavior,
            system_schema=self.system_schema,
            json_symbol=self.json_symbol,
            registry=self.registry,
        )


class Gates(_Model):
    max_errors: int = Field(default=0, ge=0)
    max_warnings: int | None = Field(default=None, ge=0)
    coverage: bool = True
    required_steps: tuple[str, ...] = STEPS

    @field_validator("required_steps")
    @classmethod
    def _known_steps(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [s for s in v if s not in STEPS]
        if unknown:
            raise ValueError(f"unknown step(s) {', '.join(unknown)}; steps are {', '.join(STEPS)}")
        return v


class Settings(_Model):
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = Field(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    limits: Limits = Field(default_factory=Limits)
    paths: Paths = Field(default_factory=Paths)
    units: Literal["lenient", "strict"] = "lenient"
    gates: Gates = Field(default_factory=Gates)
    database: str | None = None
    # Seconds a pipeline run waits for another writer of the database before giving up.
    database_timeout: float = Field(default=30.0, gt=0)

    @field_validator("severity", mode="before")
    @classmethod
    def _severities(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {k.upper(): Severity.parse(s) if isinstance(s, str) else s for k, s in v.items()}
        return v

    @field_validator("select", "ignore")
    @classmethod
    def _selectors(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        out = tuple(s.strip().upper() for s in v)
        bad = [s for s in out if s != "ALL" and not re.fullmatch(r"SVX[0-9]{0,3}", s)]
        if bad:
            raise ValueError(f"not a rule code or prefix: {', '.join(bad)}")
        return out

    def severity_of(self, code: str, default: Severity, path: str | None = None) -> Severity:
        """The severity in force for ``code`` in ``path``; ``OFF`` when not selected.

        A ``[severity]`` entry sets the rule's severity (and so enables a rule that is off by
        default), but ``ignore`` and per-file ignores still turn it off."""
        if matches(code, self.ignore):
            return Severity.OFF
        if path is not None:
            for pattern, codes in self.per_file_ignores.items():
                if matches(code, codes) and glob_match(path, pattern):
                    return Severity.OFF
        if code in self.severity:
            return self.severity[code]
        if not matches(code, self.select):
            return Severity.OFF
        if default is Severity.OFF:
            # Rules that are off by default run only when selected by their own code.
            if code not in self.select:
                return Severity.OFF
            default = Severity.INFO
        return default

    def fingerprint(self) -> str:
        """A stable hash of the configuration in force (recorded with each run)."""
        return hashlib.sha256(
            json.dumps(self.model_dump(mode="json"), sort_keys=True).encode()
        ).hexdigest()[:16]


@dataclass(frozen=True)
class ConfigProblem:
    """An SVX902 finding: a bad config value, where it is, and what was used instead."""

    path: str | None
    span: Span
    message: str


@dataclass(frozen=True)
class LoadedConfig:
    settings: Settings
    path: Path | None = None
    problems: tuple[ConfigProblem, ...] = field(default=())


def _normalise(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            (k.replace("-", "_") if not re.fullmatch(r"(?i)svx[0-9]+", k) else k): _normalise(v)
            for k, v in value.items()
            # per-file-ignores keys are globs: keep them as written
        }
    return value


def _fix_globs(raw: dict[str, Any]) -> dict[str, Any]:
    # _normalise must not touch per-file-ignores globs; restore them from the raw table.
    for key in ("per-file-ignores", "per_file_ignores"):
        if key in raw and isinstance(raw[key], dict):
            return {**_normalise({k: v for k, v in raw.items() if k != key}), "per_file_ignores": raw[key]}
    return _normalise(raw)


def _locate(text: str, loc: tuple[Any, ...]) -> Span:
    """Best place in the TOML text for a key path: the last key's line, else the table."""
    for part in reversed(loc):
        if not isinstance(part, str):
            continue
        for spelling in {part, part.replace("_", "-")}:
            m = re.search(rf"(?m)^[ \t]*\"?{re.escape(spelling)}\"?[ \t]*=[ \t]*(.*?)[ \t]*$", text)
            if m:
                return Span(m.start(1), m.end(1)) if m.group(1) else Span(m.start(), m.end())
    return Span(0, 0)


def settings_from_mapping(
    raw: dict[str, Any], *, text: str = "", path: str | None = None
) -> tuple[Settings, list[ConfigProblem]]:
    """Validate a config table; drop each invalid key (reporting it) and keep the rest."""
    data = _fix_globs(raw)
    problems: list[ConfigProblem] = []
    severity = data.get("severity")
    if isinstance(severity, dict):
        # Checked one entry at a time, so that one bad value is reported at its own line
        # and does not throw away the valid entries beside it.
        for code, value in list(severity.items()):
            try:
                if isinstance(value, str):
                    Severity.parse(value)
            except ValueError as exc:
                message = f"invalid setting severity.{code}: {exc}; using the default"
                problems.append(ConfigProblem(path, _locate(text, ("severity", code)), message))
                del severity[code]
    for _ in range(50):  # each round removes at least one offending key
        try:
            return Settings.model_validate(data), problems
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                where = ".".join(str(p) for p in loc) or "(top level)"
                msg = err["msg"]
                if err["type"] == "extra_forbidden":
                    msg = "unknown setting"
                problems.append(
                    ConfigProblem(path, _locate(text, loc), f"invalid setting {where}: {msg}; using the default")
                )
                _drop(data, loc)
    return Settings(), problems


def _drop(data: dict[str, Any], loc: tuple[Any, ...]) -> None:
    node: Any = data
    for part in loc[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, (list, tuple)) and isinstance(part, int):
            break
        else:
            return
    if isinstance(node, dict) and loc and loc[-1] in node:
        del node[loc[-1]]
    elif loc and loc[0] in data:
        # A bad list element: drop the whole key rather than guess.
        del data[loc[0]]


def find_config(start: Path) -> Path | None:
    """The nearest ``svgx.toml`` or ``pyproject.toml`` with ``[tool.svgx]`` at or above start."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else list(start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml" and "[tool.svgx" not in candidate.read_text("utf-8", "replace"):
                    continue
                return candidate
    return None


def parse_config_text(text: str, name: str, path: str | None = None) -> LoadedConfig:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        span = Span(0, 0)
        if m:
            lines = text.splitlines(keepends=True)
            line, col = int(m.group(1)) - 1, int(m.group(2)) - 1
            off = sum(len(x) for x in lines[:line]) + col
            span = Span(min(off, len(text)), min(off + 1, len(text)))
        problem = ConfigProblem(path, span, f"config is not valid TOML: {exc}; using the defaults")
        return LoadedConfig(Settings(), Path(path) if path else None, (problem,))
    table = doc.get("tool", {}).get("svgx", {}) if name == "pyproject.toml" else doc
    if not isinstance(table, dict):
        table = {}
    settings, problems = settings_from_mapping(table, text=text, path=path)
    return LoadedConfig(settings, Path(path) if path else None, tuple(problems))


def load_config(start: Path, explicit: Path | None = None) -> LoadedConfig:
    path = explicit or find_config(start)
    if path is None:
        return LoadedConfig(Settings())
    text = path.read_text("utf-8", "replace")
    return parse_config_text(text, path.name, str(path))
