"""Dimension inference and bounded evaluation over a formula tree.

Both walk the tree iteratively (children before parents), so a long left-deep chain never
touches Python's recursion limit. Evaluation works on floats, each value as written in its declared unit: a huge power
overflows into a diagnostic instead of building a giant integer, and every failure
(division by zero, overflow, a math domain error) is a value that propagates, so the
untaken branch of ``if(...)`` never reports anything.

Temperatures: an absolute temperature (°C, °F, K) is a temperature *position*. The
difference of two positions is a temperature difference; a position plus a difference is a
position. Dimension checking asks only whether both sides are temperatures; evaluation
takes the numbers as written, so ``ambient + heating * power_draw`` (°C plus K/W × W) is a
temperature plus a difference of the same degree size; SVX308 notes a °C formula declared °F.
Where two operands of one dimension have different units (W + kW, degC > degF, degF + K),
the right one is converted to the left one's unit (offsets only between positions) and
SVX308 notes it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .formula import COMPARISONS, Binary, Call, Name, Node, Num, Unary, walk
from .units import DIMENSIONLESS, Dims, Unit, dims_name

TEMPERATURE: Dims = (("[temperature]", 1.0),)
_POSITIONAL = frozenset(COMPARISONS)


@dataclass(frozen=True)
class Q:
    """The inferred unit of a value: dimension, scale to SI, and how it may adapt."""

    dims: Dims
    factor: float = 1.0
    offset: float = 0.0  # absolute temperatures only
    temp: bool = False  # an absolute temperature (position)
    literal: bool = False  # built only from number literals: adopts its partner's unit (lenient)
    boolean: bool = False
    label: str = ""

    def describe(self) -> str:
        if self.boolean:
            return "a truth value"
        if self.literal:
            return "a bare number"
        name = dims_name(self.dims)
        if self.label:
            return f"{self.label} ({name})" if name != self.label else self.label
        return name


def q_of(unit: Unit) -> Q:
    return Q(unit.dims, unit.factor, unit.offset, unit.temperature, False, False, unit.text.strip())


NUMBER = Q(DIMENSIONLESS, literal=True)
PLAIN = Q(DIMENSIONLESS)
BOOL = Q(DIMENSIONLESS, boolean=True)


@dataclass(frozen=True)
class Problem:
    start: int
    end: int
    message: str


def _same(a: Dims, b: Dims) -> bool:
    if len(a) != len(b):
        return False
    return all(ka == kb and abs(va - vb) < 1e-9 for (ka, va), (kb, vb) in zip(a, b, strict=True))


def _mul(a: Q, b: Q, sign: float) -> Q:
    dims: dict[str, float] = dict(a.dims)
    for k, v in b.dims:
        dims[k] = dims.get(k, 0.0) + sign * v
    d = tuple(sorted((k, v) for k, v in dims.items() if abs(v) > 1e-12))
    factor = a.factor * (b.factor if sign > 0 else 1.0 / b.factor) if b.factor else a.factor
    op = "·" if sign > 0 else "/"
    label = f"{a.label}{op}{b.label}" if a.label and b.label else (a.label or "")
    if not a.label and b.label:
        label = b.label if sign > 0 else f"1/{b.label}"
    return Q(d, factor, literal=a.literal and b.literal, label=label if d else "")


class Inference:
    """Infer the unit of every node; collect dimension problems (SVX306)."""

    def __init__(self, env: dict[str, Q | None], strict: bool) -> None:
        self.env = env
        self.strict = strict
        self.types: dict[int, Q | None] = {}
        self.problems: list[Problem] = []
        self.scales: list[Problem] = []  # same dimension, other scale (SVX308, info)

    def run(self, tree: Node) -> Q | None:
        for node in reversed(walk(tree)):
            self.types[id(node)] = self.node(node)
        return self.types[id(tree)]

    def t(self, node: Node) -> Q | None:
        return self.types.get(id(node))

    def report(
        self, node: Node, message: str, start: int | None = None, end: int | None = None
    ) -> None:
        self.problems.append(
            Problem(
                node.start if start is None else start, node.end if end is None else end, message
            )
        )

    def rescaled(
        self, a: Q, b: Q, what: str, where: tuple[int, int], positional: bool = True
    ) -> None:
        """Note two quantities of one dimension in different units (kW and W, degC and degF).

        ``positional``: both are read as temperature positions (comparison, subtraction),
        so the offsets count; in ``degC + K`` the kelvins are a difference."""
        positions = positional and a.temp and b.temp
        same_offset = not positions or abs(a.offset - b.offset) <= 1e-9
        if abs(a.factor - b.factor) <= 1e-9 * abs(a.factor) and same_offset:
            return
        la, lb = a.label or "SI units", b.label or "SI units"
        if positions:
            how = f"{lb} is converted to {la}"
        else:
            how = f"1 {lb} = {_fmt(b.factor / a.factor)} {la}"
        self.scales.append(
            Problem(*where, f"{what} {la} and {lb}: same dimension, other scale ({how})")
        )

    def agree(
        self, node: Node, a: Q | None, b: Q | None, what: str, where: tuple[int, int]
    ) -> Q | None:
        """Two operands that must share a dimension (``+``, comparison, min, if)."""
        if a is None or b is None:
            return None
        if a.boolean or b.boolean:
            if a.boolean and b.boolean:
                return BOOL
            self.report(
                node, f"{what} a truth value and {(b if a.boolean else a).describe()}", *where
            )
            return None
        if a.literal and b.literal:
            return NUMBER
        if a.literal or b.literal:
            lit, other = (a, b) if a.literal else (b, a)
            if other.dims and self.strict:
                self.report(
                    node,
                    f"{what} a bare number and {other.describe()}; strict unit "
                    'mode (units = "strict") wants the unit on every quantity',
                    *where,
                )
            return replace(other, literal=False)
        if _same(a.dims, b.dims):
            self.rescaled(a, b, what, where)
            return a
        self.report(
            node, f"{what} {a.describe()} and {b.describe()}: the dimensions differ", *where
        )
        return None

    def node(self, n: Node) -> Q | None:
        if isinstance(n, Num):
            return NUMBER
        if isinstance(n, Name):
            if n.id in self.env:
                return self.env[n.id]
            return PLAIN if n.id in ("pi", "e") else None
        if isinstance(n, Unary):
            inner = self.t(n.operand)
            if n.op == "not":
                return BOOL
            return inner
        if isinstance(n, Binary):
            return self.binary(n)
        if isinstance(n, Call):
            return self.call(n)
        return None  # pragma: no cover

    def binary(self, n: Binary) -> Q | None:
        a, b = self.t(n.left), self.t(n.right)
        where = (n.op_start, n.op_end)
        op = n.op
        if op in ("and", "or"):
            return BOOL
        if op in COMPARISONS:
            self.agree(n, a, b, f"comparing ({op})", where)
            return BOOL
        if op in ("+", "-"):
            if a is not None and b is not None and a.temp and b.temp:
                # position - position = difference; position + position is tolerated as
                # "both temperatures" (behavior-profile.md §3).
                self.rescaled(a, b, "subtracting" if op == "-" else "adding", where, op == "-")
                return Q(TEMPERATURE, a.factor, label=a.label) if op == "-" else a
            verb = "adding" if op == "+" else "subtracting"
            res = self.agree(n, a, b, verb, where)
            if res is not None and a is not None and b is not None and (a.temp or b.temp):
                return a if a.temp else b
            return res
        if op == "%":
            return self.agree(n, a, b, "taking the remainder (%) of", where)
        if a is None or b is None:
            return None
        if op in ("*", "/"):
            if a.boolean or b.boolean:
                return PLAIN
            return _mul(a, b, 1.0 if op == "*" else -1.0)
        if op == "**":
            if b.dims:
                self.report(
                    n,
                    f"the exponent is {b.describe()}: an exponent must be dimensionless",
                    n.right.start,
                    n.right.end,
                )
                return None
            if not a.dims:
                return Q(DIMENSIONLESS, literal=a.literal and b.literal)
            power = _constant(n.right)
            if power is None:
                self.report(
                    n,
                    f"raising {a.describe()} to a power that is not a constant number",
                    n.right.start,
                    n.right.end,
                )
                return None
            if a.temp:
                self.report(
                    n,
                    f"raising a temperature ({a.label or 'temperature'}) to a power",
                    n.start,
                    n.end,
                )
                return None
            dims = tuple((k, v * power) for k, v in a.dims if abs(v * power) > 1e-12)
            try:
                factor = a.factor**power
            except OverflowError:
                factor = a.factor
            label = f"{a.label}^{power:g}" if a.label else ""
            return Q(dims, factor, label=label)
        return None  # pragma: no cover

    def call(self, n: Call) -> Q | None:
        args = [self.t(a) for a in n.args]
        f = n.func
        name_span = (n.start, n.name_end)
        if f == "if":
            return self.agree(n, args[1], args[2], "if() chooses between", name_span)
        if f in ("min", "max", "clamp", "atan2"):
            acc = args[0]
            for other in args[1:]:
                acc = self.agree(n, acc, other, f"{f}() compares", name_span)
                if acc is None:
                    break
            if f == "atan2":
                return PLAIN if acc is not None else None
            return acc
        a = args[0]
        if a is None:
            return None
        if f in ("abs", "floor", "ceil", "round"):
            return a
        if f == "sqrt":
            if a.temp:
                self.report(n, f"sqrt() of a temperature ({a.label or 'temperature'})")
                return None
            dims = tuple((k, v / 2) for k, v in a.dims)
            return Q(dims, math.sqrt(a.factor) if a.factor > 0 else 1.0, literal=a.literal)
        # exp, log, log10, trigonometry: dimensionless (angles are dimensionless in SI)
        if a.dims and not a.boolean:
            self.report(
                n,
                f"{f}() of {a.describe()}: it takes a dimensionless value"
                + (" or an angle" if f in ("sin", "cos", "tan") else ""),
            )
            return None
        return PLAIN if f not in ("asin", "acos", "atan") else Q(DIMENSIONLESS, label="rad")


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _constant(node: Node) -> float | None:
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Unary) and node.op in ("-", "+") and isinstance(node.operand, Num):
        return -node.operand.value if node.op == "-" else node.operand.value
    return None


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Failure:
    start: int
    end: int
    message: str


Value = float | Failure
LIMIT = 1e300


def _check(v: float, node: Node, what: str = "") -> Value:
    if math.isnan(v) or math.isinf(v) or abs(v) > LIMIT:
        return Failure(node.start, node.end, f"overflow{what}: the value is too large to compute")
    return v


class Evaluation:
    """Evaluate a tree on values as written; ``types`` comes from :class:`Inference` on the same tree."""

    def __init__(self, env: dict[str, float], types: dict[int, Q | None]) -> None:
        self.env = env
        self.types = types

    def run(self, tree: Node) -> Value:
        vals: dict[int, Value] = {}
        # Failures are values: if/and/or pick a branch afterwards, so only the taken
        # branch's failure counts.
        for node in reversed(walk(tree)):
            vals[id(node)] = self.node(node, vals)
        return vals[id(tree)]

    def adapt(self, vals: dict[int, Value], node: Node, target: Q | None, positional: bool) -> Value:
        # Numbers are evaluated as written, in the declared units: a bare number next to a
        # quantity is already in that quantity's unit (lenient mode). A quantity of the same
        # dimension in another unit (W beside kW, degF beside degC) is converted to the
        # unit the inference gave the result (SVX308 notes it).
        v = vals[id(node)]
        own = self.types.get(id(node))
        if (
            isinstance(v, Failure)
            or own is None
            or target is None
            or own.literal
            or target.literal
            or own.boolean
            or target.boolean
            or not own.factor
            or not target.factor
            or not _same(own.dims, target.dims)
        ):
            return v
        if own.temp and target.temp and positional:
            return (v * own.factor + own.offset - target.offset) / target.factor
        return v * own.factor / target.factor

    def pair(
        self, vals: dict[int, Value], a: Node, b: Node, positional: bool
    ) -> tuple[Value, Value]:
        return vals[id(a)], self.adapt(vals, b, self.types.get(id(a)), positional)

    def node(self, n: Node, vals: dict[int, Value]) -> Value:
        if isinstance(n, Num):
            return n.value
        if isinstance(n, Name):
            if n.id in self.env:
                return self.env[n.id]
            if n.id == "pi":
                return math.pi
            if n.id == "e":
                return math.e
            return Failure(n.start, n.end, f"`{n.id}` has no value")
        if isinstance(n, Unary):
            v = vals[id(n.operand)]
            if isinstance(v, Failure):
                return v
            if n.op == "not":
                return 0.0 if v else 1.0
            return -v if n.op == "-" else v
        if isinstance(n, Binary):
            return self.binary(n, vals)
        if isinstance(n, Call):
            return self.call(n, vals)
        return Failure(n.start, n.end, "cannot evaluate")  # pragma: no cover

    def binary(self, n: Binary, vals: dict[int, Value]) -> Value:
        op = n.op
        if op in ("and", "or"):
            a = vals[id(n.left)]
            if isinstance(a, Failure):
                return a
            if (op == "and" and not a) or (op == "or" and a):
                return 1.0 if a else 0.0
            b = vals[id(n.right)]
            return b if isinstance(b, Failure) else (1.0 if b else 0.0)
        # Comparisons and `-` read two temperatures as positions (offsets count); in
        # `degC + K` the second is a difference.
        positional = op in _POSITIONAL or op == "-"
        if op in ("+", "-", "%") or positional:
            a, b = self.pair(vals, n.left, n.right, positional)
        else:
            a, b = vals[id(n.left)], vals[id(n.right)]
        if isinstance(a, Failure):
            return a
        if isinstance(b, Failure):
            return b
        try:
            if op == "+":
                return _check(a + b, n)
            if op == "-":
                return _check(a - b, n)
            if op == "*":
                return _check(a * b, n)
            if op == "/":
                if b == 0:
                    return Failure(n.op_start, n.op_end, "division by zero")
                return _check(a / b, n)
            if op == "%":
                if b == 0:
                    return Failure(n.op_start, n.op_end, "remainder (%) by zero")
                return _check(math.fmod(a, b), n)
            if op == "**":
                if a == 0 and b < 0:
                    return Failure(n.op_start, n.op_end, "zero raised to a negative power")
                if a < 0 and not float(b).is_integer():
                    return Failure(
                        n.op_start, n.op_end, "a negative number raised to a fractional power"
                    )
                return _check(math.pow(a, b), n)
            return 1.0 if _compare(op, a, b) else 0.0
        except OverflowError:
            return Failure(n.start, n.end, "overflow: the value is too large to compute")
        except (ValueError, ZeroDivisionError) as exc:
            return Failure(n.start, n.end, f"cannot compute: {exc}")

    def call(self, n: Call, vals: dict[int, Value]) -> Value:
        f = n.func
        if f == "if":
            c = vals[id(n.args[0])]
            if isinstance(c, Failure):
                return c
            branch, other = (n.args[1], n.args[2]) if c else (n.args[2], n.args[1])
            return self.adapt(vals, branch, self.types.get(id(n)), True)
        args: list[float] = []
        for a in n.args:
            v = (
                self.adapt(vals, a, self.types.get(id(n.args[0])), True)
                if f in ("min", "max", "clamp", "atan2")
                else vals[id(a)]
            )
            if isinstance(v, Failure):
                return v
            args.append(v)
        x = args[0]
        if f in ("sin", "cos", "tan"):
            # An angle in degrees is dimensionless with the factor pi/180: take it in radians.
            t = self.types.get(id(n.args[0]))
            if t is not None and not t.literal and t.factor:
                x *= t.factor
        try:
            if f == "abs":
                return abs(x)
            if f == "min":
                return min(args)
            if f == "max":
                return max(args)
            if f == "clamp":
                return min(max(x, args[1]), args[2])
            if f == "atan2":
                return math.atan2(x, args[1])
            if f == "sqrt":
                if x < 0:
                    return Failure(n.start, n.end, f"sqrt() of a negative number ({x:g})")
                return math.sqrt(x)
            if f in ("log", "log10"):
                if x <= 0:
                    return Failure(n.start, n.end, f"{f}() of {x:g}: it needs a positive number")
                return math.log(x) if f == "log" else math.log10(x)
            if f in ("asin", "acos") and not -1 <= x <= 1:
                return Failure(n.start, n.end, f"{f}() of {x:g}: it needs a number in [-1, 1]")
            if f in ("floor", "ceil", "round"):
                return float(getattr(math, f)(x) if f != "round" else round(x))
            return _check(getattr(math, f)(x), n)
        except OverflowError:
            return Failure(n.start, n.end, f"overflow in {f}(): the value is too large to compute")
        except ValueError as exc:
            return Failure(n.start, n.end, f"cannot compute {f}(): {exc}")


def _compare(op: str, a: float, b: float) -> bool:
    eps = 1e-9 * max(abs(a), abs(b), 1e-300)
    if op == "<":
        return a < b - eps
    if op == "<=":
        return a <= b + eps
    if op == ">":
        return a > b + eps
    if op == ">=":
        return a >= b - eps
    if op == "==":
        return abs(a - b) <= eps
    return abs(a - b) > eps
