"""Hostile input: diagnostics within bounded time and memory, never a traceback.

Each case runs the real CLI in a subprocess under a memory cap (RLIMIT_AS). The timeout is a
guard against hangs, not a measurement: speed lives in bench/.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

MEMORY_CAP = 1024 * 1024 * 1024  # 1 GiB of address space for the whole process
HANG_GUARD = 120


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_check(path: Path) -> tuple[int, list[dict[str, object]], str]:
    proc = subprocess.run(
        [sys.executable, "-m", "svgx_pipeline", "check", str(path), "--format", "json"],
        capture_output=True, text=True, timeout=HANG_GUARD, preexec_fn=_limit,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout), proc.stderr


LOL = "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
)
BOMB = f'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY lol0 "lol">{LOL}]>\n<svg xmlns="http://www.w3.org/2000/svg"><text>&lol9;</text></svg>\n'


def test_entity_bomb(tmp_path: Path) -> None:
    f = tmp_path / "bomb.svgx"
    f.write_text(BOMB)
    rc, diags, _ = run_check(f)
    assert rc == 1
    assert {"SVX004", "SVX001"} <= {d["code"] for d in diags}


def test_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    f = tmp_path / "xxe.svgx"
    f.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><title>&xxe;</title>'
        '<text id="&xxe;">&xxe;</text></svg>\n'
    )
    rc, diags, err = run_check(f)
    assert rc == 1 and "SVX004" in {d["code"] for d in diags}
    assert "TOP-SECRET-VALUE" not in json.dumps(diags) + err


def test_ten_thousand_deep_nesting(tmp_path: Path) -> None:
    f = tmp_path / "deep.svgx"
    f.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">' + "<g>" * 10_000 + "</g>" * 10_000 + "</svg>"
    )
    rc, diags, _ = run_check(f)
    codes = {d["code"] for d in diags}
    assert rc == 1 and "SVX001" in codes  # libxml2's depth limit, at its position
    assert "SVX506" in codes  # the recovered tree is still checked


def test_twenty_megabytes_of_garbage(tmp_path: Path) -> None:
    f = tmp_path / "garbage.svgx"
    chunk = bytes(range(256)) * 4096  # 1 MiB of every byte value
    f.write_bytes(chunk * 20)
    rc, diags, _ = run_check(f)
    codes = {d["code"] for d in diags}
    assert rc == 1 and "SVX005" in codes and "SVX003" in codes


def test_garbage_under_the_size_limit(tmp_path: Path) -> None:
    f = tmp_path / "garbage.svgx"
    f.write_bytes(b"<svg \x00\xff\xfe<<<>>>&&&;" * 50_000)
    rc, diags, _ = run_check(f)
    codes = {d["code"] for d in diags}
    assert rc == 1 and {"SVX001", "SVX003"} <= codes


def test_invalid_utf8_is_reported_at_its_place(tmp_path: Path) -> None:
    f = tmp_path / "bad.svgx"
    text = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">\n  <title>Büro \xff</title>\n</svg>\n'
    f.write_bytes(text.encode().replace(b"\xc3\xbf", b"\xff"))
    rc, diags, _ = run_check(f)
    (bad,) = [d for d in diags if d["code"] == "SVX003"]
    assert rc == 1 and bad["location"] == {"row": 2, "column": 15, "end_row": 2, "end_column": 16}


@pytest.mark.parametrize("content", ["", "   \n", "<", "<svg", "<?xml version='1.0'?>", "]]>", "&amp;"])
def test_tiny_broken_files(tmp_path: Path, content: str) -> None:
    f = tmp_path / "tiny.svgx"
    f.write_text(content)
    rc, diags, _ = run_check(f)
    assert rc == 1 and diags


def test_parse_error_position_with_lone_carriage_returns(tmp_path: Path) -> None:
    # libxml2 counts lines by "\n" only; LSP and the tool also end lines at a lone "\r".
    f = tmp_path / "cr.svgx"
    f.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">\r<title>t</title>\r'
                  b"<g>\r<rect></g>\r</svg>\r")
    rc, diags, _ = run_check(f)
    (err,) = [d for d in diags if d["code"] == "SVX001"]
    assert err["location"]["row"] == 4 and err["location"]["column"] == 9  # the g of </g>
