"""Benchmark of the workspace index (issue 4). Not a test: run it by hand; the figures go to
docs/workspace.md.

A generated library of 2,000 symbols across 10 systems (half canonical ``.svgx`` symbol
files, half JSON symbols), with one system schema and one behavior profile per object type
and a registry. Measured in the same run: a full index build, and a one-file incremental
update (``set_overlay`` of one symbol, as an editor keystroke does). The figure is their
ratio; the goal is that the update is at least 100x cheaper.

    python bench/bench_workspace.py [--symbols 2000] [--systems 10] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from svgx_pipeline.registry import build_registry, write_registry
from svgx_pipeline.workspace import Workspace

SYMBOL = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:arx="http://arxos.io/svgx" viewBox="0 0 60 60">
  <title>{name}</title>
  <metadata>
    <arx:symbol id="{id}" name="{name}" system="{system}" object-type="{system}.{obj}" behavior-profile="{obj}_behavior" version="1.0.0">
      <arx:port name="power" x="30" y="58" type="power"/>
      <arx:port name="data" x="30" y="2" type="data"/>
    </arx:symbol>
  </metadata>
  <rect x="4" y="4" width="52" height="52" rx="4" fill="#eeeeee" stroke="#333333"/>
  <text x="30" y="34" text-anchor="middle" font-size="7">{obj}</text>
</svg>
"""


def generate(root: Path, n_symbols: int, n_systems: int, objects_per_system: int = 20) -> None:
    for s in range(n_systems):
        system = f"system{s:02d}"
        objects = {
            f"object{o:02d}": {
                "relationships": {"connected_to": [f"object{(o + 1) % objects_per_system:02d}"]},
                "behavior_profile": f"{system}_object{o:02d}_behavior",
            }
            for o in range(objects_per_system)
        }
        path = root / "schemas" / system / "schema.json"
        path.parent.mkdir(parents=True)
        path.write_text(
            json.dumps({"system": system, "version": "1.0.0", "objects": objects}, indent=2)
        )
        for o in range(objects_per_system):
            pid = f"{system}_object{o:02d}_behavior"
            prof = root / "profiles" / system / f"{pid}.behavior.json"
            prof.parent.mkdir(parents=True, exist_ok=True)
            prof.write_text(
                json.dumps(
                    {
                        "id": pid,
                        "version": "1.0.0",
                        "system": system,
                        "applies_to": [f"{system}.object{o:02d}"],
                        "variables": {"voltage": {"kind": "input", "unit": "V", "default": 120}},
                    },
                    indent=2,
                )
            )
    for i in range(n_symbols):
        s, o = i % n_systems, (i // n_systems) % objects_per_system
        system, obj = f"system{s:02d}", f"object{o:02d}"
        sid = f"SYM_{s:02d}_{i:05d}"
        if i % 2:
            path = root / "symbols" / system / f"{sid}.svgx"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(SYMBOL.format(id=sid, name=f"Symbol {i}", system=system, obj=obj))
        else:
            path = root / "arx-symbol-library" / system / f"{sid}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                json.dumps(
                    {
                        "id": sid,
                        "name": f"Symbol {i}",
                        "system": system,
                        "category": obj,
                        "svg": f"<svg viewBox='0 0 60 60' xmlns='http://www.w3.org/2000/svg'><rect width='60' height='60'/><text>{obj}</text></svg>",
                        "properties": {"type": obj},
                        "connections": {"power": {"x": 30, "y": 58, "type": "power"}},
                        "behavior_profile": f"{system}_{obj}_behavior",
                    },
                    indent=2,
                )
            )


def best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--symbols", type=int, default=2000)
    ap.add_argument("--systems", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--updates", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.symbols, args.systems)
        (root / "svgx.toml").write_text("")
        ws = Workspace(root)
        write_registry(ws, build_registry(ws))
        n_files = len(list(Workspace(root).discover()))

        def full() -> None:
            Workspace(root).systems()

        full_s = best(full, args.repeat)

        ws = Workspace(root)
        ws.systems()
        target = next(p for p in ws.discover() if p.suffix == ".svgx" and "symbols" in p.parts)
        rel = ws.relpath(target)
        texts = [target.read_text("utf-8"), target.read_text("utf-8").replace("Symbol", "Symbole")]
        per_update = []
        for i in range(args.updates):
            t0 = time.perf_counter()
            ws.set_overlay(rel, texts[i % 2])
            per_update.append(time.perf_counter() - t0)
        inc_s = statistics.median(per_update)
        print(f"library: {args.symbols} symbols, {args.systems} systems, {n_files} indexed files")
        print(f"full index build      : {full_s * 1000:9.1f} ms (best of {args.repeat})")
        print(f"one-file update       : {inc_s * 1000:9.3f} ms (median of {args.updates})")
        print(f"ratio (full / update) : {full_s / inc_s:9.0f}x (goal >= 100x)")


if __name__ == "__main__":
    main()
