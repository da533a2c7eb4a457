"""The formula language (behavior-profile.md §2): a tokenizer and a Pratt parser.

A formula is only ever parsed into the small tree below; nothing here (or anywhere in the
project) passes it to ``eval``. Every error names the exact column range inside the formula
text; callers map columns back to the file. Parsing is bounded: a formula longer than the
length limit is rejected before it is tokenised, and nesting beyond the depth limit stops
the parser, so hostile input costs linear time and a bounded stack.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from functools import lru_cache

SYNTAX = "SVX301"
OUTSIDE = "SVX302"

# name -> (minimum, maximum) number of arguments
FUNCTIONS: dict[str, tuple[int, int]] = {
    "abs": (1, 1),
    "min": (1, 64),
    "max": (1, 64),
    "sqrt": (1, 1),
    "exp": (1, 1),
    "log": (1, 1),
    "log10": (1, 1),
    "sin": (1, 1),
    "cos": (1, 1),
    "tan": (1, 1),
    "asin": (1, 1),
    "acos": (1, 1),
    "atan": (1, 1),
    "atan2": (2, 2),
    "floor": (1, 1),
    "ceil": (1, 1),
    "round": (1, 1),
    "clamp": (3, 3),
    "if": (3, 3),
}
CONSTANTS = ("pi", "e")
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
KEYWORDS = ("and", "or", "not")


# --------------------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Node:
    start: int
    end: int


@dataclass(frozen=True)
class Num(Node):
    value: float


@dataclass(frozen=True)
class Name(Node):
    id: str


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "-", "+", "not"
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str  # arithmetic, comparison, "and", "or"; "^" is normalised to "**"
    left: Node
    right: Node
    op_start: int
    op_end: int


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple[Node, ...]
    name_end: int


@dataclass(frozen=True)
class FormulaError:
    code: str  # SVX301 syntax, SVX302 outside the language
    start: int
    end: int
    message: str


@dataclass(frozen=True)
class Parsed:
    """The result of parsing: a tree, or the first error; and legacy ``^`` columns."""

    text: str
    tree: Node | None
    error: FormulaError | None
    carets: tuple[int, ...] = ()
    names: tuple[Name, ...] = field(default=())


def walk(node: Node) -> list[Node]:
    """Every node of a tree, parents first (iterative: trees may be deep)."""
    out: list[Node] = []
    stack = [node]
    while stack:
        n = stack.pop()
        out.append(n)
        if isinstance(n, Unary):
            stack.append(n.operand)
        elif isinstance(n, Binary):
            stack.extend((n.right, n.left))
        elif isinstance(n, Call):
            stack.extend(reversed(n.args))
    return out


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class Tok:
    kind: str  # num, name, op, end, bad
    text: str
    start: int
    end: int
    code: str = ""  # for bad tokens
    message: str = ""


_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<num>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<op>\*\*|<=|>=|==|!=|&&|\|\||[-+*/%^<>(),])
    |(?P<str>"[^"]*"?|'[^']*'?)
    |(?P<other>.)""",
    re.X | re.S,
)

_OUTSIDE_CHARS = {
    ".": "attribute access (`.`) is not part of the formula language",
    "[": "indexing (`[`) is not part of the formula language",
    "]": "indexing (`]`) is not part of the formula language",
    "{": "braces are not part of the formula language",
    "}": "braces are not part of the formula language",
    ":": "`:` is not part of the formula language (lambdas, slices and dicts are not allowed)",
    ";": "`;` is not part of the formula language: a formula is one expression",
    "@": "`@` is not part of the formula language",
    "`": "backquotes are not part of the formula language",
    "$": "`$` is not part of the formula language",
    "#": "comments are not part of the formula language",
    "\\": "backslashes are not part of the formula language",
    "~": "`~` is not part of the formula language",
    "&": "`&` is not part of the formula language: write `and`",
    "|": "`|` is not part of the formula language: write `or`",
}


def tokenize(text: str) -> list[Tok]:
    toks: list[Tok] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        s, e = m.start(), m.end()
        val = m.group(0)
        if kind == "ws":
            continue
        if kind == "num":
            if e < len(text) and (text[e].isalpha() or text[e] == "_"):
                j = e
                while j < len(text) and (text[j].isalnum() or text[j] == "_"):
                    j += 1
                toks.append(
                    Tok(
                        "bad",
                        text[s:j],
                        s,
                        j,
                        SYNTAX,
                        f"`{text[s:j]}`: a number cannot be followed by a name; "
                        "units belong in the variable's `unit`, not in the formula",
                    )
                )
                continue
            toks.append(Tok("num", val, s, e))
        elif kind == "name":
            toks.append(Tok("name", val, s, e))
        elif kind == "op":
            if val == "&&":
                toks.append(
                    Tok(
                        "bad",
                        val,
                        s,
                        e,
                        OUTSIDE,
                        "`&&` is not part of the formula language: write `and`",
                    )
                )
            elif val == "||":
                toks.append(
                    Tok(
                        "bad",
                        val,
                        s,
                        e,
                        OUTSIDE,
                        "`||` is not part of the formula language: write `or`",
                    )
                )
            else:
                toks.append(Tok("op", val, s, e))
        elif kind == "str":
            toks.append(
                Tok("bad", val, s, e, OUTSIDE, "strings are not part of the formula language")
            )
        else:
            if val == "=":
                toks.append(
                    Tok(
                        "bad",
                        val,
                        s,
                        e,
                        SYNTAX,
                        "`=` is not an operator here: write `==` to compare",
                    )
                )
            elif val == "!":
                toks.append(
                    Tok(
                        "bad",
                        val,
                        s,
                        e,
                        OUTSIDE,
                        "`!` is not part of the formula language: write `not`",
                    )
                )
            elif val in _OUTSIDE_CHARS:
                toks.append(Tok("bad", val, s, e, OUTSIDE, _OUTSIDE_CHARS[val]))
            else:
                toks.append(
                    Tok(
                        "bad",
                        val,
                        s,
                        e,
                        OUTSIDE,
                        f"character {val!r} is not part of the formula language",
                    )
                )
    toks.append(Tok("end", "", len(text), len(text)))
    return toks


# --------------------------------------------------------------------------- parser

_BINARY: dict[str, tuple[int, bool]] = {  # op -> (binding power, right-associative)
    "or": (1, False),
    "and": (2, False),
    **{c: (4, False) for c in COMPARISONS},
    "+": (5, False),
    "-": (5, False),
    "*": (6, False),
    "/": (6, False),
    "%": (6, False),
    "**": (8, True),
    "^": (8, True),
}
_NOT_BP = 3
_UNARY_BP = 7


class _Stop(Exception):
    def __init__(self, error: FormulaError) -> None:
        self.error = error


class _Parser:
    def __init__(self, text: str, max_depth: int) -> None:
        self.text = text
        self.toks = tokenize(text)
        self.i = 0
        self.depth = 0
        self.max_depth = max_depth
        self.carets: list[int] = []
        self.names: list[Name] = []

    @property
    def tok(self) -> Tok:
        return self.toks[self.i]

    def fail(self, code: str, start: int, end: int, message: str) -> _Stop:
        return _Stop(FormulaError(code, start, max(end, start), message))

    def describe(self, t: Tok) -> str:
        return "the end of the formula" if t.kind == "end" else f"`{t.text}`"

    def bad(self, t: Tok) -> _Stop:
        if t.kind == "bad":
            return self.fail(t.code, t.start, t.end, t.message)
        if t.kind == "end":
            return self.fail(SYNTAX, t.start, t.end, "the formula ends too early: expected a value")
        return self.fail(SYNTAX, t.start, t.end, f"unexpected {self.describe(t)}: expected a value")

    def binop(self, t: Tok) -> str | None:
        if t.kind == "op" and t.text in _BINARY:
            return t.text
        if t.kind == "name" and t.text in ("and", "or"):
            return t.text
        return None

    def expr(self, min_bp: int) -> Node:
        self.depth += 1
        if self.depth > self.max_depth:
            t = self.tok
            raise self.fail(
                SYNTAX,
                t.start,
                t.end,
                f"the formula is nested deeper than the limit of {self.max_depth} "
                "(limits.max-formula-depth)",
            )
        left = self.prefix()
        while True:
            t = self.tok
            op = self.binop(t)
            if op is None:
                break
            bp, right_assoc = _BINARY[op]
            if bp < min_bp:
                break
            self.i += 1
            if op == "^":
                self.carets.append(t.start)
                op = "**"
            right = self.expr(bp if right_assoc else bp + 1)
            if op in COMPARISONS:
                nxt = self.binop(self.tok)
                if nxt in COMPARISONS:
                    n = self.tok
                    raise self.fail(
                        SYNTAX,
                        n.start,
                        n.end,
                        "comparisons cannot be chained: join them with `and`",
                    )
            left = Binary(left.start, right.end, op, left, right, t.start, t.end)
        self.depth -= 1
        return left

    def prefix(self) -> Node:
        t = self.tok
        if t.kind == "num":
            self.i += 1
            try:
                value = float(t.text)
            except (ValueError, OverflowError):  # pragma: no cover - the regex admits floats only
                raise self.fail(SYNTAX, t.start, t.end, f"`{t.text}` is not a number") from None
            if value == float("inf"):
                raise self.fail(SYNTAX, t.start, t.end, f"`{t.text}` is too large for a number")
            return Num(t.start, t.end, value)
        if t.kind == "op" and t.text in ("-", "+"):
            self.i += 1
            operand = self.expr(_UNARY_BP)
            return Unary(t.start, operand.end, t.text, operand)
        if t.kind == "op" and t.text == "(":
            self.i += 1
            inner = self.expr(0)
            close = self.tok
            if not (close.kind == "op" and close.text == ")"):
                if close.kind == "bad":
                    raise self.bad(close)
                raise self.fail(
                    SYNTAX,
                    close.start,
                    close.end,
                    f"expected `)` to close the `(` at column {t.start + 1}, "
                    f"found {self.describe(close)}",
                )
            self.i += 1
            return _reposition(inner, t.start, close.end)
        if t.kind == "name":
            return self.name_or_call(t)
        raise self.bad(t)

    def name_or_call(self, t: Tok) -> Node:
        word = t.text
        nxt = self.toks[self.i + 1]
        is_call = nxt.kind == "op" and nxt.text == "("
        if word == "not":
            self.i += 1
            operand = self.expr(_NOT_BP)
            return Unary(t.start, operand.end, "not", operand)
        if word in ("and", "or"):
            raise self.fail(SYNTAX, t.start, t.end, f"unexpected `{word}`: expected a value")
        if word == "lambda":
            raise self.fail(OUTSIDE, t.start, t.end, "lambdas are not part of the formula language")
        if word in ("for", "in", "async", "await") or (word == "if" and not is_call):
            raise self.fail(
                OUTSIDE,
                t.start,
                t.end,
                f"`{word}`: comprehensions and Python conditionals are not part of the "
                "formula language (write `if(condition, then, else)`)",
            )
        if word.startswith("__"):
            raise self.fail(
                OUTSIDE,
                t.start,
                t.end,
                f"`{word}`: double-underscore names are not part of the formula language",
            )
        if keyword.iskeyword(word) and word not in ("if",):
            raise self.fail(
                OUTSIDE, t.start, t.end, f"`{word}` is not part of the formula language"
            )
        if is_call:
            if word not in FUNCTIONS:
                raise self.fail(
                    OUTSIDE,
                    t.start,
                    t.end,
                    f"`{word}` cannot be called: the functions are "
                    + ", ".join(sorted(f for f in FUNCTIONS if f != "if"))
                    + " and if",
                )
            return self.call(t)
        self.i += 1
        node = Name(t.start, t.end, word)
        self.names.append(node)
        after = self.tok
        if after.kind == "name" and after.text not in ("and", "or"):
            raise self.fail(
                SYNTAX,
                after.start,
                after.end,
                f"unexpected name `{after.text}` after `{word}`: an operator is missing",
            )
        return node

    def call(self, t: Tok) -> Node:
        self.i += 2  # name and "("
        args: list[Node] = []
        if self.tok.kind == "op" and self.tok.text == ")":
            close = self.tok
        else:
            while True:
                args.append(self.expr(0))
                sep = self.tok
                if sep.kind == "op" and sep.text == ",":
                    self.i += 1
                    continue
                if sep.kind == "op" and sep.text == ")":
                    close = sep
                    break
                if sep.kind == "bad":
                    raise self.bad(sep)
                raise self.fail(
                    SYNTAX,
                    sep.start,
                    sep.end,
                    f"expected `,` or `)` in the arguments of {t.text}(), "
                    f"found {self.describe(sep)}",
                )
        self.i += 1
        lo, hi = FUNCTIONS[t.text]
        if not lo <= len(args) <= hi:
            bound = lo if lo == hi or len(args) < lo else hi
            want = str(bound) if lo == hi else f"at least {lo}" if len(args) < lo else f"at most {hi}"
            plural = "argument" if bound == 1 else "arguments"
            raise self.fail(
                SYNTAX, t.start, close.end, f"{t.text}() takes {want} {plural}, got {len(args)}"
            )
        return Call(t.start, close.end, t.text, tuple(args), t.end)

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise self.fail(SYNTAX, 0, len(self.text), "the formula is empty")
        tree = self.expr(0)
        t = self.tok
        if t.kind != "end":
            if t.kind == "bad":
                raise self.bad(t)
            if t.kind == "op" and t.text == ")":
                raise self.fail(SYNTAX, t.start, t.end, "unmatched `)`")
            raise self.fail(
                SYNTAX, t.start, t.end, f"unexpected {self.describe(t)}: an operator is missing"
            )
        return tree


_NOT_CALLABLE_WORDS = ("lambda", "for", "in", "async", "await", "import", "yield")


def _first_outside(toks: list[Tok]) -> FormulaError | None:
    for i, t in enumerate(toks):
        if t.kind == "bad" and t.code == OUTSIDE:
            return FormulaError(OUTSIDE, t.start, t.end, t.message)
        if t.kind != "name":
            continue
        w = t.text
        if w.startswith("__"):
            return FormulaError(
                OUTSIDE,
                t.start,
                t.end,
                f"`{w}`: double-underscore names are not part of the formula language",
            )
        if w == "lambda":
            return FormulaError(
                OUTSIDE, t.start, t.end, "lambdas are not part of the formula language"
            )
        if w in _NOT_CALLABLE_WORDS:
            return FormulaError(
                OUTSIDE,
                t.start,
                t.end,
                f"`{w}`: comprehensions, imports and generators are not part of the "
                "formula language",
            )
        nxt = toks[i + 1]
        called = nxt.kind == "op" and nxt.text == "("
        if w == "if" and not called:
            return FormulaError(
                OUTSIDE,
                t.start,
                t.end,
                "Python conditionals are not part of the formula language: "
                "write `if(condition, then, else)`",
            )
        if keyword.iskeyword(w) and w not in KEYWORDS and w != "if":
            return FormulaError(
                OUTSIDE, t.start, t.end, f"`{w}` is not part of the formula language"
            )
        if called and w not in FUNCTIONS and w not in KEYWORDS:
            return FormulaError(
                OUTSIDE,
                t.start,
                t.end,
                f"`{w}` cannot be called: the functions are "
                + ", ".join(sorted(f for f in FUNCTIONS if f != "if"))
                + " and if",
            )
    return None


def _reposition(node: Node, start: int, end: int) -> Node:
    # Parentheses widen a node's span so that messages quote what the user wrote.
    from dataclasses import replace

    return replace(node, start=start, end=end)


@lru_cache(maxsize=4096)
def parse_formula(text: str, max_length: int = 1000, max_depth: int = 50) -> Parsed:
    """Parse one formula. Never raises: the first error lands in ``Parsed.error``."""
    if len(text) > max_length:
        return Parsed(
            text,
            None,
            FormulaError(
                SYNTAX,
                max_length,
                len(text),
                f"the formula is {len(text):,} characters long, over the limit of {max_length:,} "
                "(limits.max-formula-length)",
            ),
        )
    p = _Parser(text, max_depth)
    outside = _first_outside(p.toks)
    if outside is not None:
        # An attempt to leave the language is what the user most needs to hear about,
        # even when a syntax slip comes earlier (`().__class__`).
        return Parsed(text, None, outside)
    try:
        tree = p.parse()
    except _Stop as stop:
        return Parsed(text, None, stop.error, tuple(p.carets), tuple(p.names))
    except RecursionError:  # pragma: no cover - the depth limit stops well before
        return Parsed(
            text, None, FormulaError(SYNTAX, 0, len(text), "the formula is nested too deeply")
        )
    return Parsed(text, tree, None, tuple(p.carets), tuple(p.names))


def render(node: Node) -> str:
    """The formula text of a tree (normalised spacing), for messages."""
    if isinstance(node, Num):
        return f"{node.value:g}"
    if isinstance(node, Name):
        return node.id
    if isinstance(node, Unary):
        return (
            f"not {render(node.operand)}"
            if node.op == "not"
            else f"{node.op}{render(node.operand)}"
        )
    if isinstance(node, Binary):
        return f"({render(node.left)} {node.op} {render(node.right)})"
    if isinstance(node, Call):
        return f"{node.func}({', '.join(render(a) for a in node.args)})"
    return "?"
