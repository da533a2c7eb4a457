"""``svgx check``, ``svgx rules`` and ``svgx rule CODE``."""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from pydantic import ValidationError

from .. import rules as rule_registry
from ..config import LoadedConfig, Settings, load_config
from ..diagnostics import Diagnostic, Severity, Span
from ..documents import Document, FileKind, decode
from ..engine import check
from ..fixes import fix_all
from ..report import DOCS_DIR, FORMATS, FileResult, format_statistics, render
from ..workspace import Workspace, find_root
from . import EXIT_FAILED, EXIT_OK, CliError

PARALLEL_THRESHOLD = 32  # below this many files a process pool costs more than it saves


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("check", help="check files and folders", description="Check SVGX files, "
                       "behavior profiles, system schemas, JSON symbols and registries.")
    p.add_argument("paths", nargs="*", type=Path, help="files or folders (default: .)")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    p.add_argument("--fix", action="store_true", help="apply safe fixes in place")
    p.add_argument("--stdin-filename", metavar="PATH", help="read the document from stdin, as PATH")
    p.add_argument("--select", metavar="CODES", help="comma-separated codes or prefixes to enable")
    p.add_argument("--extend-select", metavar="CODES", help="codes or prefixes to enable in addition")
    p.add_argument("--ignore", metavar="CODES", help="comma-separated codes or prefixes to disable")
    p.add_argument("--config", type=Path, metavar="FILE", help="config file (default: nearest svgx.toml)")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when problems are found")
    p.add_argument("--fail-on", choices=("error", "warning", "info"), default="error",
                   help="lowest severity that makes the exit code 1 (default: error)")
    p.add_argument("--statistics", action="store_true", help="count findings per rule instead of listing them")
    p.add_argument("--output-file", "-o", type=Path, metavar="FILE", help="write the report to FILE")
    p.add_argument("--jobs", "-j", type=int, default=0, help="worker processes (default: one per core)")
    p.set_defaults(handler=run_check)

    r = sub.add_parser("rules", help="list every rule")
    r.add_argument("--format", choices=("text", "json"), default="text")
    r.add_argument("--write-docs", type=Path, metavar="DIR", nargs="?", const=DOCS_DIR,
                   help="write one Markdown page per rule (default: the pages shipped in the package)")
    r.set_defaults(handler=run_rules)
    one = sub.add_parser("rule", help="explain one rule")
    one.add_argument("code", help="rule code, e.g. SVX501")
    one.set_defaults(handler=run_rule)


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(c.strip().upper() for c in value.split(",") if c.strip())


def _settings(args: argparse.Namespace, loaded: LoadedConfig) -> Settings:
    s = loaded.settings
    update: dict[str, object] = {}
    select = _codes(args.select)
    if select is not None:
        update["select"] = select
    extend = _codes(args.extend_select)
    if extend:
        update["select"] = tuple(update.get("select", s.select)) + extend  # type: ignore[arg-type]
        update["severity"] = {k: v for k, v in s.severity.items() if k not in extend}
    ignore = _codes(args.ignore)
    if ignore:
        update["ignore"] = s.ignore + ignore
    if not update:
        return s
    try:
        return Settings.model_validate({**s.model_dump(), **update})
    except ValidationError as exc:
        # pydantic's own rendering (types, inputs, a URL) is not for users of a CLI.
        reasons = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise CliError(f"invalid --select/--extend-select/--ignore: {reasons}") from None


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _collect(paths: Sequence[Path], config: Path | None) -> Iterator[tuple[Path, Path]]:
    """(file, workspace root) pairs for the given files and folders; a named file of no kind
    svgx checks is skipped with a note (discovery yields only kinds it checks)."""
    seen: set[Path] = set()
    for given in paths:
        if not given.exists():
            raise CliError(f"{given}: no such file or folder")
        root = find_root(given)
        if given.is_dir():
            # Only the given folder is walked, with the workspace the checks use.
            for f in _workspace(root, config).discover(under=given):
                if f not in seen:
                    seen.add(f)
                    yield f, root
        else:
            f = given.resolve()
            if f not in seen and _checkable(f, root, config):
                seen.add(f)
                yield f, root


_WORKSPACES: dict[Path, Workspace] = {}


def _workspace(root: Path, config: Path | None) -> Workspace:
    ws = _WORKSPACES.get(root)
    if ws is None:
        ws = Workspace(root, load_config(root, config))
        _WORKSPACES[root] = ws
    return ws


def _relative(path: Path, root: Path) -> str:
    """The workspace-relative POSIX path; no symlink resolution (discovery never follows them)."""
    rel = os.path.relpath(os.path.abspath(path), root)
    return Path(rel).as_posix() if not rel.startswith("..") else Path(os.path.abspath(path)).as_posix()


@functools.lru_cache(maxsize=8)
def _settings_from_json(settings_json: str) -> Settings:
    return Settings.model_validate_json(settings_json)


def _kind_for(ws: Workspace, path: Path, rel: str | None = None) -> FileKind:
    kind = ws.kinds.classify(rel) if rel is not None else ws.classify(path)
    if kind is FileKind.OTHER:
        # A file named on the command line is checked even outside the usual places.
        if path.name.endswith(".behavior.json"):
            return FileKind.BEHAVIOR
        if path.suffix in (".svgx", ".svg"):
            return FileKind.SVGX
        if path.suffix == ".json":
            return FileKind.JSON_SYMBOL
    return kind


def _checkable(path: Path, root: Path, config: Path | None) -> bool:
    """False (with a note) for a file named on the command line that svgx has no checks
    for, which would otherwise count as a file that "passed"."""
    ws = _workspace(root, config)
    if _kind_for(ws, path, _relative(path, ws.root)) is not FileKind.OTHER:
        return True
    sys.stderr.write(
        f"svgx: {_display(path)}: not a kind of file svgx checks (SVGX, behavior profile, "
        "system schema, JSON symbol, registry); skipped\n"
    )
    return False


def check_file(
    path: Path, root: Path, settings_json: str | None, config: Path | None, fix: bool, display: str
) -> FileResult:
    """Check one file (in a worker process or in-process) and return its result."""
    ws = _workspace(root, config)
    settings = _settings_from_json(settings_json) if settings_json else ws.settings
    rel = _relative(path, ws.root)
    kind = _kind_for(ws, path, rel)
    try:
        data = path.read_bytes()
    except OSError as exc:
        d = Diagnostic("SVX001", f"cannot read the file: {exc.strerror or exc}", Span(0, 0), Severity.ERROR, rel)
        return FileResult(display, "", [d])
    text, errors = decode(data)
    doc = Document(rel, text, kind, decode_errors=errors)

    def analyse(t: str) -> list[Diagnostic]:
        return check(replace(doc, text=t), ws, settings)

    if fix and not errors:
        new_text, applied, diags = fix_all(text, analyse)
        if applied and new_text != text:
            bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
            path.write_bytes(bom + new_text.encode("utf-8", "surrogatepass"))
        return FileResult(display, new_text, diags)
    # A file that is not valid UTF-8 is never rewritten: its invalid bytes were read as
    # U+FFFD, and writing the text back would replace them for good.
    if fix:
        print(f"svgx: {display}: not fixed: it is not valid UTF-8 (SVX003); repair its encoding first",
              file=sys.stderr)
    return FileResult(display, text, analyse(text))


def run_check(args: argparse.Namespace) -> int:
    cwd = Path.cwd()
    if args.config is not None and not args.config.is_file():
        raise CliError(f"{args.config}: no such config file")
    if args.stdin_filename:
        result = _check_stdin(args)
        results = [result]
        if args.fix:
            # The fixed text went to stdout; the remaining findings go to stderr.
            sys.stderr.write(render("text", results))
            return _exit_code(args, results)
    else:
        paths = args.paths or [cwd]
        files = list(_collect(paths, args.config))  # discovery yields only checkable kinds
        base_root = find_root(paths[0])
        loaded = load_config(base_root, args.config)
        settings = _settings(args, loaded)
        override = settings.model_dump_json() if settings is not loaded.settings else None
        jobs = args.jobs or os.cpu_count() or 1
        work = [(f, root, override, args.config, args.fix, _display(f)) for f, root in files]
        if len(work) >= PARALLEL_THRESHOLD and jobs > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                results = list(pool.map(check_file, *zip(*work, strict=True), chunksize=16))
        else:
            results = [check_file(*w) for w in work]
        results.extend(_config_results(loaded, cwd))
    if args.statistics:
        out = format_statistics(results)
    else:
        out = render(args.format, results)
    if args.output_file:
        args.output_file.write_text(out, encoding="utf-8")
    else:
        sys.stdout.write(out)
    return _exit_code(args, results)


def _exit_code(args: argparse.Namespace, results: list[FileResult]) -> int:
    if args.exit_zero:
        return EXIT_OK
    threshold = Severity.parse(args.fail_on)
    failed = any(d.severity >= threshold for r in results for d in r.diagnostics)
    return EXIT_FAILED if failed else EXIT_OK


def _config_results(loaded: LoadedConfig, cwd: Path) -> list[FileResult]:
    """SVX902 for the config in force, so a typo in it is seen on every run."""
    if not loaded.problems or loaded.path is None:
        return []
    text = loaded.path.read_text("utf-8", "replace")
    diags = [
        Diagnostic("SVX902", p.message, p.span, Severity.ERROR, str(loaded.path)) for p in loaded.problems
    ]
    diags.sort(key=Diagnostic.sort_key)
    return [FileResult(_display(loaded.path), text, diags)]


def _check_stdin(args: argparse.Namespace) -> FileResult:
    path = Path(args.stdin_filename)
    ws = Workspace(find_root(path if path.is_absolute() else Path.cwd() / path), None)
    if args.config:
        ws = Workspace(ws.root, load_config(ws.root, args.config))
    settings = _settings(args, ws.config)
    data = sys.stdin.buffer.read()
    text, errors = decode(data)
    rel = ws.relpath(path)
    doc = Document(rel, text, _kind_for(ws, path), decode_errors=errors)

    def analyse(t: str) -> list[Diagnostic]:
        return check(replace(doc, text=t), ws, settings)

    if args.fix:
        if errors:  # not valid UTF-8: give the bytes back untouched (see check_file)
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            return FileResult(args.stdin_filename, text, analyse(text))
        new_text, _, diags = fix_all(text, analyse)
        sys.stdout.flush()
        bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
        sys.stdout.buffer.write(bom + new_text.encode("utf-8", "surrogatepass"))
        sys.stdout.flush()
        return FileResult(args.stdin_filename, new_text, diags)
    return FileResult(args.stdin_filename, text, analyse(text))


def run_rules(args: argparse.Namespace) -> int:
    rules = rule_registry.all_rules()
    if args.write_docs is not None:
        args.write_docs.mkdir(parents=True, exist_ok=True)
        for stale in args.write_docs.glob("SVX*.md"):
            if rule_registry.get(stale.stem) is None:
                stale.unlink()
        for r in rules:
            (args.write_docs / f"{r.code}.md").write_text(r.explanation(), encoding="utf-8")
        sys.stdout.write(f"wrote {len(rules)} rule pages to {args.write_docs}\n")
        return EXIT_OK
    if args.format == "json":
        data = [
            {"code": r.code, "name": r.name, "severity": str(r.severity), "family": r.family,
             "step": r.step, "fixable": r.fixable, "summary": r.summary}
            for r in rules
        ]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return EXIT_OK
    width = max(len(r.name) for r in rules)
    for r in rules:
        first = r.summary.split("\n")[0]
        mark = "[*]" if r.fixable else "   "
        sys.stdout.write(f"{r.code}  {r.name:<{width}}  {str(r.severity):<7}  {mark}  {first}\n")
    return EXIT_OK


def run_rule(args: argparse.Namespace) -> int:
    rule = rule_registry.get(args.code)
    if rule is None:
        codes = [r.code for r in rule_registry.all_rules()]
        import difflib

        near = difflib.get_close_matches(args.code.upper(), codes, n=3)
        hint = f" (did you mean {', '.join(near)}?)" if near else ""
        raise CliError(f"no rule {args.code}{hint}; `svgx rules` lists them all")
    sys.stdout.write(rule.explanation())
    return EXIT_OK
