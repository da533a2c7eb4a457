"""SVX9xx: the tool itself (suppressions, configuration, internal errors)."""

from __future__ import annotations

from collections.abc import Iterator

from ..config import parse_config_text
from ..diagnostics import Diagnostic
from ..documents import FileKind
from ..engine import CheckContext, check_function
from ..rules import define

define(
    "SVX901", "unused-suppression", "warning",
    "A suppression comment that suppresses nothing: the rule it names does not fire on the "
    "element after it (or anywhere in the file, for `ignore-file`).",
    why="Stale suppressions hide future problems and mislead readers about what the file does.",
    example='<!-- svgx: ignore SVX501 -->\n<rect width="10" height="10"/>',
    fixed='<rect width="10" height="10"/>',
    fix="remove the comment",
)
define(
    "SVX902", "invalid-config", "error",
    "A value in `svgx.toml` or `[tool.svgx]` is invalid; it is ignored and the default is used.",
    why="A typo in the config must not silently change what is checked, nor stop the tool.",
    example='[limits]\nmax-depth = "twelve"',
    fixed="[limits]\nmax-depth = 12",
)
define(
    "SVX903", "internal-error", "error",
    "A check raised an exception. The other checks ran; this one names the check that failed.",
    why="A bug in one rule must not hide every other finding, nor crash an editor session. "
    "Please report it with the file that triggers it.",
    example="(any input that triggers a bug)",
)


@check_function("config", frozenset({FileKind.CONFIG}), ("SVX902",))
def config_file(ctx: CheckContext) -> Iterator[Diagnostic]:
    name = ctx.document.path.rsplit("/", 1)[-1]
    loaded = parse_config_text(ctx.text, name, ctx.document.path)
    for problem in loaded.problems:
        yield ctx.report("SVX902", problem.span, problem.message)
