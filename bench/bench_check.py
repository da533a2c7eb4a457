"""Benchmark of `svgx check` (issue 2). Not a test: run it by hand, figures go to docs/benchmarks.md.

1. A generated drawing of 100,000 elements (~6 MB): `svgx check`'s work in-process, as a
   ratio to lxml's bare parse of the same bytes, both measured in this run (best of N).
2. A public SVG icon set from the npm registry (@mdi/svg, ~7,400 files; fetched with
   `npm pack` into a cache folder at run time, never committed): the `svgx check` command
   against `xmllint --noout` on the same files. Every plain valid SVG must get zero
   error-level findings.

    python bench/bench_check.py [--repeat 5] [--skip-icons]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

from lxml import etree
from svgx_pipeline.documents import Document, decode
from svgx_pipeline.engine import check

ICON_PACKAGE = "@mdi/svg@7.4.47"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "svgx-bench"


def generate_drawing(n_elements: int, objects_every: int = 1) -> bytes:
    """A floor of ``n_elements`` elements: groups of a rect and a circle, and in every
    ``objects_every``-th group an arx:object with its geometry (1: arx-heavy, 2 of 5
    elements are arx; 10: mostly plain SVG, as a drawn floor plan is)."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:arx="http://arxos.io/svgx" viewBox="0 0 100000 1000">\n'
        "  <title>Generated floor — Büro 1</title>\n"
    ]
    count = 0
    i = 0
    while count < n_elements:
        x = (i * 37) % 100000
        with_object = i % objects_every == 0
        parts.append(
            f'  <g id="g{i}" arx:layer="fixtures" arx:floor="1">\n'
            f'    <rect x="{x}" y="{i % 900}" width="20" height="10" fill="#cccccc" stroke="#000"/>\n'
            f'    <circle cx="{x + 10}" cy="{i % 900 + 5}" r="3"/>\n'
        )
        if with_object:
            parts.append(
                f'    <arx:object id="lf{i}" type="electrical.lighting_fixture" system="electrical"'
                f' name="Leuchte {i}">\n'
                f'      <arx:geometry x="{x}" y="{i % 900}" width="20" height="10"/>\n'
                "    </arx:object>\n"
            )
        parts.append("  </g>\n")
        count += 5 if with_object else 3
        i += 1
    parts.append("</svg>\n")
    return "".join(parts).encode("utf-8")


def best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bench_drawing(repeat: int, objects_every: int = 1) -> dict[str, float]:
    data = generate_drawing(100_000, objects_every)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)

    def bare() -> None:
        etree.fromstring(data, parser)

    def svgx() -> None:
        text, errors = decode(data)
        diags = check(Document("floor.svgx", text, decode_errors=errors))
        assert not [d for d in diags if d.severity.name == "ERROR"], diags[:3]

    t_lxml = best(bare, repeat)
    t_svgx = best(svgx, repeat)
    return {"bytes": len(data), "lxml_s": t_lxml, "svgx_s": t_svgx, "ratio": t_svgx / t_lxml}


def fetch_icons() -> Path:
    target = CACHE / "mdi-svg" / "package" / "svg"
    if target.is_dir():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", ICON_PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True)
        (tgz,) = Path(tmp).glob("*.tgz")
        with tarfile.open(tgz) as tar:
            tar.extractall(CACHE / "mdi-svg", filter="data")
    return target


def bench_icons(repeat: int) -> dict[str, float | int]:
    folder = fetch_icons()
    files = sorted(str(p) for p in folder.glob("*.svg"))
    svgx_cmd = [sys.executable, "-m", "svgx_pipeline", "check", str(folder), "--format", "json", "--exit-zero"]
    out = subprocess.run(svgx_cmd, capture_output=True, text=True, check=True).stdout
    findings = json.loads(out)
    by_severity = Counter(f["severity"] for f in findings)
    errors = [f for f in findings if f["severity"] == "error"]
    t_svgx = best(lambda: subprocess.run(svgx_cmd, capture_output=True, check=True), repeat)
    result: dict[str, float | int] = {
        "files": len(files), "svgx_s": t_svgx, "errors": len(errors),
        "warnings": by_severity["warning"], "infos": by_severity["info"],
    }
    if shutil.which("xmllint"):
        def xmllint() -> None:
            # One xmllint process per 2,000 files (argument-list limits), as xargs would.
            for i in range(0, len(files), 2000):
                subprocess.run(["xmllint", "--noout", *files[i : i + 2000]], capture_output=True, check=True)

        result["xmllint_s"] = best(xmllint, repeat)
        result["ratio"] = t_svgx / result["xmllint_s"]
    t_start = best(
        lambda: subprocess.run([sys.executable, "-m", "svgx_pipeline", "--version"], capture_output=True), repeat
    )
    result["startup_s"] = t_start
    if errors:
        print("error-level findings on plain SVG:", errors[:5], file=sys.stderr)
    return result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--skip-icons", action="store_true")
    args = ap.parse_args()
    for every, label in ((1, "arx-heavy (40% arx elements)"), (10, "plan-like (7% arx elements)")):
        d = bench_drawing(args.repeat, every)
        print(f"drawing, {label}: {d['bytes'] / 1e6:.1f} MB, 100,000 elements: lxml parse "
              f"{d['lxml_s'] * 1000:.0f} ms, svgx check {d['svgx_s'] * 1000:.0f} ms, "
              f"ratio {d['ratio']:.1f}x (goal <= 5x)")
    if not args.skip_icons:
        r = bench_icons(args.repeat)
        line = f"icons: {r['files']} files of {ICON_PACKAGE}: svgx check {r['svgx_s']:.2f} s"
        if "xmllint_s" in r:
            line += f", xmllint --noout {r['xmllint_s']:.2f} s, ratio {r['ratio']:.1f}x (goal <= 2x)"
        line += f"; python start-up alone {r['startup_s']:.2f} s"
        line += f"; findings: {r['errors']} errors, {r['warnings']} warnings, {r['infos']} infos"
        print(line)
        if r["errors"]:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
