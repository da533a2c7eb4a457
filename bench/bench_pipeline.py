"""Benchmark of the pipeline and its record (issue 5).

Measures, in one run, against a baseline measured in the same run:
1. `svgx pipeline execute` over a generated 2,000-symbol library, as a ratio to
   `svgx check` of the same workspace (goal: at most 1.3x; recording must cost little);
2. the size of the database per 1,000 diagnostics recorded;
3. `pipeline list` (the store's query and the CLI) with 100, 1,000 and 10,000 runs
   recorded (goal: flat as runs grow: the query is served by an index).

Usage: python bench/bench_pipeline.py [--symbols N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from svgx_pipeline.store import now, open_store

SYSTEMS = ("audiovisual", "electrical", "lighting", "security", "mechanical")


def generate(root: Path, symbols: int, defects: bool) -> None:
    """A library of ``symbols`` symbols over five systems, with schemas and profiles.
    With ``defects`` every symbol lacks its title (one SVX512 each)."""
    per_system = symbols // len(SYSTEMS)
    for system in SYSTEMS:
        objects = {
            f"type{i:04d}": {
                "properties": {},
                "relationships": {},
                "behavior_profile": f"{system}_type{i:04d}_behavior",
            }
            for i in range(per_system)
        }
        schema = root / "schemas" / system / "schema.json"
        schema.parent.mkdir(parents=True, exist_ok=True)
        schema.write_text(
            json.dumps(
                {"system": system, "description": system, "version": "1.0.0", "objects": objects},
                indent=2,
            )
        )
        lib = root / "symbols" / system
        lib.mkdir(parents=True, exist_ok=True)
        profiles = root / "profiles" / system
        profiles.mkdir(parents=True, exist_ok=True)
        for obj in objects:
            sid = f"{system[:2].upper()}_{obj}"
            title = "" if defects else f"  <title>{sid}</title>\n"
            (lib / f"{sid}.svgx").write_text(
                '<svg xmlns="http://www.w3.org/2000/svg" xmlns:arx="http://arxos.io/svgx" viewBox="0 0 80 60">\n'
                f"{title}  <metadata>\n"
                f'    <arx:symbol id="{sid}" name="{sid}" system="{system}" object-type="{system}.{obj}"'
                f' behavior-profile="{system}_{obj}_behavior" version="1.0.0"/>\n'
                "  </metadata>\n"
                '  <g id="body"><rect x="2" y="2" width="76" height="56" rx="4"/>'
                '<circle cx="40" cy="30" r="12"/><path d="M10 10 L70 50"/></g>\n'
                "</svg>\n"
            )
            pid = f"{system}_{obj}_behavior"
            (profiles / f"{pid}.behavior.json").write_text(
                json.dumps(
                    {
                        "id": pid,
                        "version": "1.0.0",
                        "system": system,
                        "applies_to": [f"{system}.{obj}"],
                        "description": obj,
                        "variables": {
                            "voltage": {
                                "kind": "input",
                                "unit": "V",
                                "default": 120,
                                "min": 100,
                                "max": 130,
                            },
                            "power": {"kind": "input", "unit": "W", "default": 50},
                            "current": {
                                "kind": "output",
                                "unit": "A",
                                "formula": "power / voltage",
                            },
                        },
                    },
                    indent=2,
                )
            )
    (root / "svgx.toml").write_text("[gates]\ncoverage = false\n")


def timed(cmd: list[str], repeat: int) -> float:
    """Median wall time of a command (its exit code may be 1: findings are expected)."""
    return statistics.median(run_once(cmd)[0] for _ in range(repeat))


def run_once(cmd: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system, the command and its worker processes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def fill(db: Path, runs: int) -> None:
    """Record ``runs`` synthetic runs (six steps, a few diagnostics each) in one go."""
    store = open_store(db)
    host, pid = socket.gethostname(), os.getpid()
    with store._write() as conn:
        for i in range(runs):
            eid = str(uuid.uuid4())
            conn.execute(
                "INSERT INTO executions (id, status, trigger_name, system_name, dry_run, started_at, "
                "finished_at, duration_ms, workspace, tool_version, config_hash, files_total, errors, pid, host) "
                "VALUES (?, ?, 'cli', ?, 0, ?, ?, 1000, '/w', 'bench', 'h', 10, 1, ?, ?)",
                (eid, "passed" if i % 3 else "failed", SYSTEMS[i % 5], now(), now(), pid, host),
            )
            conn.executemany(
                "INSERT INTO steps (execution_id, position, name, status, files_checked) "
                "VALUES (?, ?, ?, 'passed', 10)",
                [(eid, n, f"step{n}") for n in range(1, 7)],
            )
            conn.executemany(
                "INSERT INTO diagnostics (execution_id, seq, step_name, file, start_line, start_column, end_line, "
                "end_column, code, severity, message) VALUES (?, ?, 'validate-schema', 'a.svgx', 1, 1, 1, 2, "
                "'SVX001', 'error', 'not well-formed')",
                [(eid, n) for n in range(1, 4)],
            )
    store.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--symbols", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    svgx = [sys.executable, "-m", "svgx_pipeline"]
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        ws = tmp / "library"
        generate(ws, args.symbols, defects=False)
        # Interleaved, so that a change in the machine's load hits all three alike.
        commands = {
            "svgx check": [*svgx, "check", str(ws)],
            "svgx check --jobs 1": [*svgx, "check", str(ws), "--jobs", "1"],
            "svgx pipeline execute": [*svgx, "pipeline", "execute", str(ws), "--db", str(tmp / "p.db")],
        }
        walls: dict[str, list[float]] = {k: [] for k in commands}
        cpus: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(args.repeat):
            for name, cmd in commands.items():
                wall, cpu = run_once(cmd)
                walls[name].append(wall)
                cpus[name].append(cpu)
        w = {k: statistics.median(v) for k, v in walls.items()}
        c = {k: statistics.median(v) for k, v in cpus.items()}
        print(
            f"library: {args.symbols} symbols, {args.symbols} profiles, {len(SYSTEMS)} schemas; "
            f"median of {args.repeat}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
        )
        for name in commands:
            print(f"{name:<24}{w[name]:7.2f} s wall {c[name]:7.2f} s cpu")
        base, pipe = "svgx check", "svgx pipeline execute"
        print(f"pipeline / check: {w[pipe] / w[base]:.2f}x wall (goal <= 1.3x), {c[pipe] / c[base]:.2f}x cpu")

        bad = tmp / "defects"
        generate(bad, args.symbols, defects=True)
        db = tmp / "d.db"
        subprocess.run(
            [*svgx, "pipeline", "execute", str(bad), "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        store = open_store(db)
        n = store._query("SELECT COUNT(*) AS n FROM diagnostics")[0]["n"]
        store.close()
        size = db.stat().st_size + sum(p.stat().st_size for p in db.parent.glob(db.name + "-*"))
        print(
            f"database: {n} diagnostics in {size / 1024:.0f} KiB: "
            f"{size / max(n, 1) * 1000 / 1024:.0f} KiB per 1,000 diagnostics"
        )

        ldb = tmp / "list.db"
        recorded = 0
        for target in (100, 1000, 10000):
            fill(ldb, target - recorded)
            recorded = target
            store = open_store(ldb)
            reps = 200
            t = time.perf_counter()
            for _ in range(reps):
                store.executions(limit=20)
            q = (time.perf_counter() - t) / reps * 1000
            store.close()
            cli = timed([*svgx, "pipeline", "list", str(ws), "--db", str(ldb)], args.repeat)
            print(f"pipeline list with {target:>6} runs: query {q:6.3f} ms, CLI {cli * 1000:6.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
