from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


class RegistryDouble(types.ModuleType):
    """Stands in for svgx_pipeline.registry (the workspace model's module) in the mechanics
    tests: it records what the pipeline asked of it, and writes a real file atomically."""

    def __init__(self) -> None:
        super().__init__("svgx_pipeline.registry")
        self.calls: list[str] = []
        self.changes = ["+ AV_Display_001 (symbols/audiovisual/AV_Display_001.svgx)"]

    def registry_diff(self, ws: Any) -> list[str]:
        self.calls.append("diff")
        return list(self.changes)

    def build_registry(self, ws: Any) -> dict[str, Any]:
        self.calls.append("build")
        return {"symbols": []}

    def write_registry(self, ws: Any, data: dict[str, Any]) -> Path:
        self.calls.append("write")
        path = Path(ws.root) / "symbol_index.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text("{}\n")
        tmp.replace(path)
        return path


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_registry: use the real svgx_pipeline.registry, not the double"
    )


@pytest.fixture(autouse=True)
def registry(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[RegistryDouble | None]:
    if request.node.get_closest_marker("real_registry"):
        yield None
        return
    double = RegistryDouble()
    monkeypatch.setitem(sys.modules, "svgx_pipeline.registry", double)
    yield double
