"""Benchmark of behavior validation, as ratios to parsing the same text in the same run.

1. A profile of 500 variables with chained formulas and a 200-state machine: checking it
   (SVX3xx) against parsing its JSON alone.
2. A drawing of 10,000 objects, each with inline behavior: checking its behavior (SVX3xx)
   against parsing the XML alone. Goal: at most 8x.

Run: .venv/bin/python bench/bench_behavior.py
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from svgx_pipeline.behavior import profile as profile_mod
from svgx_pipeline.behavior.formula import parse_formula
from svgx_pipeline.behavior.units import parse_unit
from svgx_pipeline.documents import Document, FileKind
from svgx_pipeline.engine import check
from svgx_pipeline.jsonread import parse_json
from svgx_pipeline.xmlread import parse


def big_profile(n_vars: int = 500, n_states: int = 200) -> str:
    variables: dict[str, object] = {"v0": {"kind": "input", "unit": "W", "default": 1, "min": 0, "max": 2}}
    for i in range(1, n_vars):
        variables[f"v{i}"] = {"kind": "output", "unit": "W", "formula": f"v{i - 1} * 0.999 + 0.001"}
    states = {f"s{i}": {} for i in range(n_states)}
    transitions = [{"from": f"s{i}", "to": f"s{(i + 1) % n_states}", "event": "next",
                    "guard": f"v{i % n_vars} >= 0"} for i in range(n_states)]
    return json.dumps({
        "id": "bench_behavior", "version": "1.0.0", "system": "electrical", "applies_to": ["electrical.x"],
        "variables": variables,
        "thresholds": [{"variable": f"v{n_vars - 1}", "above": {"critical": 10}}],
        "states": {"initial": "s0", "states": states, "transitions": transitions},
        "triggers": [{"event": "click", "action": "next"}],
    }, indent=1)


def big_drawing(n: int = 10_000) -> str:
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:arx="http://arxos.io/svgx" viewBox="0 0 100 100">']
    for i in range(n):
        parts.append(
            f'<arx:object id="o{i}" type="electrical.light_fixture"><arx:behavior>'
            f'<arx:variables><arx:variable name="voltage" unit="V">120</arx:variable>'
            f'<arx:variable name="resistance" unit="ohm">{700 + i % 50}</arx:variable></arx:variables>'
            '<arx:calculations><arx:calculation name="current" formula="voltage / resistance"/>'
            '<arx:calculation name="power" formula="voltage * current" unit="W"/></arx:calculations>'
            '<arx:triggers><arx:trigger event="click" action="toggle"/></arx:triggers>'
            "</arx:behavior></arx:object>")
    parts.append("</svg>")
    return "\n".join(parts)


def best(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parse_unit("V")  # build Pint's registry outside the timings (a one-off per process)
    prof = big_profile()
    t_parse = best(lambda: parse_json(prof))

    def check_profile() -> None:
        profile_mod.load_profile.cache_clear()
        parse_formula.cache_clear()
        check(Document("b.behavior.json", prof, FileKind.BEHAVIOR), families=("SVX3",))

    t_check = best(check_profile)
    print(f"profile, 500 variables + 200 states: parse {t_parse * 1000:.1f} ms, "
          f"check {t_check * 1000:.1f} ms, ratio {t_check / t_parse:.1f}x")

    drawing = big_drawing()
    d_parse = best(lambda: parse(drawing))

    def check_drawing() -> None:
        parse_formula.cache_clear()
        check(Document("d.svgx", drawing, FileKind.SVGX), families=("SVX3",))

    d_check = best(check_drawing)
    ratio = d_check / d_parse
    print(f"drawing, 10,000 objects with inline behavior: parse {d_parse * 1000:.1f} ms, "
          f"check (parse included) {d_check * 1000:.1f} ms, ratio {ratio:.1f}x (goal <= 8x)")


if __name__ == "__main__":
    main()
