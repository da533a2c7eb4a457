"""Units: the vocabulary of behavior-profile.md §3 on top of Pint.

Pint (the reference units library) defines what every unit *is*: its dimension and its
scale to SI. This module only decides how the spellings of real files map onto Pint (``C``
and ``F`` are temperatures here, never coulomb and farad; ``ton`` is refrigeration) and
turns each unit into a small frozen :class:`Unit` that the checker can combine cheaply.
Pint's registry takes a few hundred milliseconds to build, so it is built on first use
only: importing the package and starting the CLI stay fast.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

Dims = tuple[tuple[str, float], ...]
DIMENSIONLESS: Dims = ()

# written -> (Pint expression, canonical spelling). Temperatures are handled apart.
VOCABULARY: dict[str, tuple[str, str]] = {
    "V": ("volt", "V"),
    "kV": ("kilovolt", "kV"),
    "mV": ("millivolt", "mV"),
    "A": ("ampere", "A"),
    "mA": ("milliampere", "mA"),
    "W": ("watt", "W"),
    "kW": ("kilowatt", "kW"),
    "MW": ("megawatt", "MW"),
    "VA": ("volt * ampere", "VA"),
    "kVA": ("kilovolt * ampere", "kVA"),
    "ohm": ("ohm", "ohm"),
    "kohm": ("kiloohm", "kohm"),
    "Ω": ("ohm", "ohm"),
    "%": ("percent", "%"),
    "percent": ("percent", "%"),
    "lumens": ("lumen", "lm"),
    "lumen": ("lumen", "lm"),
    "lm": ("lumen", "lm"),
    "nits": ("candela / meter ** 2", "nits"),
    "nit": ("candela / meter ** 2", "nits"),
    "Hz": ("hertz", "Hz"),
    "kHz": ("kilohertz", "kHz"),
    "dB": ("dimensionless", "dB"),
    "kg": ("kilogram", "kg"),
    "g": ("gram", "g"),
    "lb": ("pound", "lb"),
    "mm": ("millimeter", "mm"),
    "cm": ("centimeter", "cm"),
    "m": ("meter", "m"),
    "in": ("inch", "in"),
    "ft": ("foot", "ft"),
    "s": ("second", "s"),
    "ms": ("millisecond", "ms"),
    "min": ("minute", "min"),
    "h": ("hour", "h"),
    "deg": ("degree", "deg"),
    "rad": ("radian", "rad"),
    "Pa": ("pascal", "Pa"),
    "kPa": ("kilopascal", "kPa"),
    "bar": ("bar", "bar"),
    "psi": ("psi", "psi"),
    "CFM": ("foot ** 3 / minute", "CFM"),
    "cfm": ("foot ** 3 / minute", "CFM"),
    "gpm": ("gallon / minute", "gpm"),
    "GPM": ("gallon / minute", "gpm"),
    "L": ("liter", "L"),
    "m3": ("meter ** 3", "m3"),
    "BTU": ("british_thermal_unit", "BTU"),
    "ton": ("refrigeration_ton", "ton"),
    "J": ("joule", "J"),
    "kWh": ("kilowatt_hour", "kWh"),
    "lux": ("lux", "lux"),
    "cd": ("candela", "cd"),
}
# Absolute temperature scales: written -> (Pint unit, canonical spelling).
TEMPERATURES: dict[str, tuple[str, str]] = {
    "C": ("degree_Celsius", "degC"),
    "degC": ("degree_Celsius", "degC"),
    "°C": ("degree_Celsius", "degC"),
    "F": ("degree_Fahrenheit", "degF"),
    "degF": ("degree_Fahrenheit", "degF"),
    "°F": ("degree_Fahrenheit", "degF"),
    "K": ("kelvin", "K"),
}
# Long names and plurals users write; the safe fix rewrites them to the canonical spelling.
ALIASES: dict[str, str] = {
    "volt": "V",
    "volts": "V",
    "amp": "A",
    "amps": "A",
    "ampere": "A",
    "amperes": "A",
    "watt": "W",
    "watts": "W",
    "kilowatt": "kW",
    "kilowatts": "kW",
    "ohms": "ohm",
    "hertz": "Hz",
    "celsius": "degC",
    "fahrenheit": "degF",
    "kelvin": "K",
    "second": "s",
    "seconds": "s",
    "sec": "s",
    "minute": "min",
    "minutes": "min",
    "hour": "h",
    "hours": "h",
    "hr": "h",
    "meter": "m",
    "meters": "m",
    "metre": "m",
    "feet": "ft",
    "foot": "ft",
    "inch": "in",
    "inches": "in",
    "degrees": "deg",
    "degree": "deg",
    "pct": "%",
}
MAX_UNIT_LENGTH = 64

DIMENSION_NAMES: dict[str, str] = {}  # filled lazily from Pint: dims repr -> human name
_NAMED = {
    "V": "electric potential",
    "A": "current",
    "W": "power",
    "ohm": "resistance",
    "Hz": "frequency",
    "s": "time",
    "m": "length",
    "kg": "mass",
    "Pa": "pressure",
    "lm": "luminous flux",
    "nits": "luminance",
    "CFM": "flow",
    "J": "energy",
    "m3": "volume",
    "m**2": "area",
}


@dataclass(frozen=True)
class Unit:
    """A parsed unit: SI value = value * factor + offset (offset only for C and F)."""

    text: str  # as written
    canonical: str
    dims: Dims
    factor: float
    offset: float = 0.0
    temperature: bool = False  # an absolute temperature scale (C, F, K)
    log: bool = False  # dB: dimensionless for checking, never converted

    @property
    def dimensionless(self) -> bool:
        return not self.dims


@dataclass(frozen=True)
class UnitProblem:
    """An unknown unit: where in the unit text, and the nearest known spellings."""

    start: int
    end: int
    atom: str
    suggestions: tuple[str, ...]
    fix: str | None  # the whole unit text with the atom replaced, when one spelling is certain


@lru_cache(maxsize=1)
def registry() -> Any:
    """Pint's registry, built once, on first use."""
    import pint

    return pint.UnitRegistry(autoconvert_offset_to_baseunit=True)


def _dims_of(ureg: Any, expr: str) -> tuple[Dims, float]:
    q = ureg.Quantity(1.0, expr)
    base = q.to_base_units()
    dims = tuple(sorted((str(k), float(v)) for k, v in base.dimensionality.items() if v))
    return dims, float(base.magnitude)


@lru_cache(maxsize=512)
def _atom(atom: str) -> tuple[Dims, float, str, bool, bool] | None:
    """(dims, factor, canonical, is_temperature, is_log) of one unit word, or None."""
    if atom in TEMPERATURES:
        name, canon = TEMPERATURES[atom]
        ureg = registry()
        lo = ureg.Quantity(0.0, name).to("kelvin").magnitude
        hi = ureg.Quantity(1.0, name).to("kelvin").magnitude
        return ((("[temperature]", 1.0),), round(float(hi - lo), 12), canon, True, False)
    if atom in VOCABULARY:
        expr, canon = VOCABULARY[atom]
        if atom == "dB":
            return (DIMENSIONLESS, 1.0, canon, False, True)
        if canon == "%":
            # A percentage is written 0-100 and checked as dimensionless: a formula yielding a
            # ratio declared in % is read as the number it computes (`100 * used / total`).
            return (DIMENSIONLESS, 1.0, canon, False, False)
        dims, factor = _dims_of(registry(), expr)
        return (dims, factor, canon, False, False)
    if atom in ALIASES or not re.fullmatch(r"[A-Za-z_]+", atom):
        return None
    try:
        ureg = registry()
        dims, factor = _dims_of(ureg, atom)
    except Exception:  # Pint signals unknown or malformed units with many exception types
        return None
    if not math.isfinite(factor) or factor == 0:
        return None
    return (dims, factor, atom, False, False)


_PART = re.compile(
    r"\s*(?:(?P<op>[*/·.])\s*)?(?P<atom>[A-Za-z_°Ω%µμ]+)(?:(?:\^|\*\*)?(?P<exp>-?[0-9]))?\s*"
)


def _combine(a: Dims, b: Dims, sign: float) -> Dims:
    out: dict[str, float] = dict(a)
    for k, v in b:
        out[k] = out.get(k, 0.0) + sign * v
    return tuple(sorted((k, v) for k, v in out.items() if abs(v) > 1e-12))


@lru_cache(maxsize=1024)
def parse_unit(text: str) -> Unit | UnitProblem:
    """Parse a unit as written in a profile or a drawing."""
    raw = text
    stripped = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    if not stripped:
        return Unit(raw, "", DIMENSIONLESS, 1.0)
    if len(stripped) > MAX_UNIT_LENGTH:
        return UnitProblem(lead, len(raw), stripped, (), None)
    whole = _atom(stripped)
    if whole is not None:
        wdims, wfactor, canon, temp, log = whole
        offset = 0.0
        if temp:
            offset = float(
                registry().Quantity(0.0, TEMPERATURES[stripped][0]).to("kelvin").magnitude
            )
        return Unit(raw, canon, wdims, wfactor, offset, temp, log)
    # A compound unit: words joined by * and /, with optional integer exponents (m2, m**2).
    pos = lead
    dims: Dims = DIMENSIONLESS
    factor = 1.0
    canon_parts: list[str] = []
    first = True
    while pos < len(raw.rstrip()):
        m = _PART.match(raw, pos)
        if (
            m is None
            or m.end() == pos
            or (first and m.group("op"))
            or (not first and not m.group("op"))
        ):
            end = len(raw.rstrip())
            return _problem(raw, pos, end, raw[pos:end].strip() or raw.strip())
        atom = m.group("atom")
        info = _atom(atom)
        if info is None and atom in ALIASES:
            info = _atom(ALIASES[atom])
            if info is not None:
                return _problem(raw, m.start("atom"), m.end("atom"), atom)
        if info is None:
            return _problem(raw, m.start("atom"), m.end("atom"), atom)
        adims, afactor, acanon, _temp, _log = info
        exp = float(m.group("exp") or 1)
        sign = -1.0 if m.group("op") == "/" else 1.0
        dims = _combine(dims, tuple((k, v * exp) for k, v in adims), sign)
        factor *= afactor ** (exp * sign)  # a temperature inside a compound is a difference
        canon_parts.append(
            ("/" if sign < 0 else ("*" if not first else "")) + acanon + (m.group("exp") or "")
        )
        first = False
        pos = m.end()
    return Unit(raw, "".join(canon_parts), dims, factor)


def _problem(raw: str, start: int, end: int, atom: str) -> UnitProblem:
    known = sorted(set(VOCABULARY) | set(TEMPERATURES))
    fix_atom: str | None = None
    if atom in ALIASES:
        fix_atom = ALIASES[atom]
    elif atom.lower() in ALIASES:
        fix_atom = ALIASES[atom.lower()]
    else:
        folded = [k for k in known if k.lower() == atom.lower()]
        if len(folded) == 1:
            fix_atom = _canonical_spelling(folded[0])
    near = difflib.get_close_matches(atom, known, n=3, cutoff=0.6)
    suggestions = tuple(dict.fromkeys(([fix_atom] if fix_atom else []) + near))
    fixed = raw[:start] + fix_atom + raw[end:] if fix_atom else None
    return UnitProblem(start, end, atom, suggestions, fixed)


def _canonical_spelling(known: str) -> str:
    if known in TEMPERATURES:
        return TEMPERATURES[known][1]
    return VOCABULARY[known][1]


def dims_name(dims: Dims) -> str:
    """A human name for a dimension: "current", "power", or its formula."""
    if not DIMENSION_NAMES:
        for unit, name in _NAMED.items():
            u = parse_unit(unit)
            if isinstance(u, Unit):
                DIMENSION_NAMES[repr(u.dims)] = name
        DIMENSION_NAMES[repr((("[temperature]", 1.0),))] = "temperature"
        DIMENSION_NAMES[repr(DIMENSIONLESS)] = "dimensionless"
    named = DIMENSION_NAMES.get(repr(dims))
    if named:
        return named
    parts = []
    for k, v in dims:
        power = "" if v == 1 else f"^{v:g}"
        parts.append(f"{k.strip('[]')}{power}")
    return "·".join(parts)
