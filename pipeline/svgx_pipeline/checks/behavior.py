"""SVX3xx: behavior profiles and inline ``arx:behavior`` (formulas, units, state machines)."""

from __future__ import annotations

from collections.abc import Iterator

from ..behavior.analysis import Finding, Options, analyse, fmt, with_unit
from ..behavior.model import Behavior, Var
from ..behavior.profile import load_profile, violations
from ..behavior.readers import from_inline, inline_behaviors
from ..behavior.units import Unit, parse_unit
from ..diagnostics import Diagnostic, Related
from ..documents import FileKind
from ..engine import CheckContext, check_function
from ..rules import define

define(
    "SVX301",
    "formula-syntax-error",
    "error",
    "A formula (a variable's `formula`, a constraint's `expr`, a guard, or `formula=` of an SVGX "
    "calculation) does not parse, is longer or deeper than the limits, or a condition is not a "
    "comparison. The diagnostic covers the exact characters.",
    why="A formula that does not parse computes nothing: every value depending on it is unknown "
    "and every check of it is skipped.",
    example='"current": {"kind": "output", "unit": "A", "formula": "power_draw / (voltage"}',
    fixed='"current": {"kind": "output", "unit": "A", "formula": "power_draw / voltage"}',
)
define(
    "SVX302",
    "formula-outside-language",
    "error",
    "A formula uses something outside the formula language: attribute access, indexing, strings, "
    "lambdas, comprehensions, keywords, or a call of anything but the listed functions.",
    why="Formulas come from other people's files. They are parsed, never executed; an attempt to "
    "reach Python (`__import__('os')`, `x.__class__`) is reported, never run.",
    example="<calculation name=\"p\" formula=\"__import__('os').system('rm -rf /')\"/>",
    fixed='<calculation name="p" formula="voltage * current"/>',
)
define(
    "SVX303",
    "undefined-name",
    "error",
    "A formula names something that is not a variable of the profile (or a variable or "
    "calculation of the inline behavior), nor a constant (`pi`, `e`).",
    why="An undefined name makes the formula meaningless; it is nearly always a typo.",
    example='"current": {"kind": "output", "unit": "A", "formula": "power_draw / voltge"}',
    fixed='"current": {"kind": "output", "unit": "A", "formula": "power_draw / voltage"}',
    fix="replace the name with the nearest defined one",
)
define(
    "SVX304",
    "duplicate-behavior-name",
    "error",
    "A variable, calculation or state is defined twice (in JSON: the same key twice in one "
    "object, which the standard `json` module silently drops).",
    why="Only one of the two definitions can be meant; which one a reader keeps differs between tools.",
    example='"variables": {"voltage": {"kind": "input", "unit": "V"}, "voltage": {"kind": "input", "unit": "kV"}}',
    fixed='"variables": {"voltage": {"kind": "input", "unit": "V"}}',
)
define(
    "SVX305",
    "dependency-cycle",
    "error",
    "Formulas depend on each other in a cycle; the diagnostic shows the cycle, e.g. `a → b → a`.",
    why="A cycle has no evaluation order: none of its values can be computed.",
    example='"a": {"kind": "output", "formula": "b + 1"}, "b": {"kind": "output", "formula": "a * 2"}',
    fixed='"a": {"kind": "output", "formula": "x + 1"}, "b": {"kind": "output", "formula": "a * 2"}',
)
define(
    "SVX306",
    "dimension-mismatch",
    "error",
    "Quantities of different dimensions are added, subtracted, compared or chosen between "
    "(`voltage + current`); a function is given a quantity it cannot take (`sin(voltage)`, "
    "`sqrt` of a temperature); in strict unit mode, a bare number is added to a quantity.",
    why="Such a formula is wrong whatever the numbers: volts plus amperes is no physical quantity.",
    example='"total": {"kind": "output", "unit": "W", "formula": "power + current"}',
    fixed='"total": {"kind": "output", "unit": "W", "formula": "power + current * voltage"}',
)
define(
    "SVX307",
    "result-unit-mismatch",
    "error",
    'A formula\'s result has another dimension than the unit declared for it (`unit: "W"` for a '
    "formula that yields amperes), or an inline variable's unit does not fit the profile's.",
    why="Every consumer of the value reads it in the declared unit: the number would be wrong.",
    example='"power": {"kind": "output", "unit": "W", "formula": "voltage / resistance"}',
    fixed='"power": {"kind": "output", "unit": "W", "formula": "voltage * voltage / resistance"}',
)
define(
    "SVX308",
    "result-unit-scale",
    "info",
    "A formula's result has the declared dimension but another scale (declared kW, the formula "
    "yields W), or a formula adds, subtracts or compares two quantities of one dimension in "
    "different units (W and kW, degC and degF); the message gives the factor.",
    why="A runtime that evaluates formulas on plain numbers would be off by that factor.",
    example='"power": {"kind": "output", "unit": "kW", "formula": "voltage * current"}',
    fixed='"power": {"kind": "output", "unit": "kW", "formula": "voltage * current / 1000"}',
)
define(
    "SVX309",
    "unknown-unit",
    "warning",
    "A unit is not one the tool knows (the vocabulary of behavior-profile.md §3, or a unit Pint "
    "defines). The message lists the nearest known spellings.",
    why="An unknown unit switches off every dimension check that involves the value.",
    example='<variable name="power" unit="kw">48</variable>',
    fixed='<variable name="power" unit="kW">48</variable>',
    fix="write the unit in its canonical spelling",
)
define(
    "SVX310",
    "value-out-of-range",
    "error",
    "A default (or an inline value) lies outside the variable's `[min, max]`, `min` is above "
    "`max`, or an inline value lies outside the range of the profile the object names.",
    why="The object would start in a state its own profile declares impossible.",
    example='"voltage": {"kind": "input", "unit": "V", "default": 140, "min": 100, "max": 130}',
    fixed='"voltage": {"kind": "input", "unit": "V", "default": 120, "min": 100, "max": 130}',
)
define(
    "SVX311",
    "bad-threshold",
    "error",
    "A threshold names an unknown variable, its levels are mis-ordered (for `above`, warning must "
    "be below critical; for `below`, above it), `above` and `below` overlap, or its unit does not "
    "fit the variable.",
    why="A mis-ordered threshold raises the critical alarm before the warning, or never.",
    example='{"variable": "temperature", "above": {"warning": 60, "critical": 45}}',
    fixed='{"variable": "temperature", "above": {"warning": 45, "critical": 60}}',
    fix="replace the variable with the nearest defined one",
)
define(
    "SVX312",
    "initial-state-missing",
    "error",
    "The state machine has no `initial` state, or names one that is not a state.",
    why="Without an initial state nothing says where the object starts; reachability is undefined.",
    example='"states": {"states": {"off": {}, "on": {}}, "transitions": []}',
    fixed='"states": {"initial": "off", "states": {"off": {}, "on": {}}, "transitions": []}',
    fix="replace the state with the nearest defined one",
)
define(
    "SVX313",
    "unknown-state",
    "error",
    "A transition goes from or to a state that is not defined.",
    why="The transition can never be taken, or leads nowhere.",
    example='{"from": "on", "to": "stanby", "event": "idle"}',
    fixed='{"from": "on", "to": "standby", "event": "idle"}',
    fix="replace the state with the nearest defined one",
)
define(
    "SVX314",
    "unreachable-state",
    "warning",
    "A state cannot be reached from the initial state by any transition.",
    why="An unreachable state is dead behavior: usually a missing transition.",
    example='"states": {"initial": "off", "states": {"off": {}, "on": {}, "eco": {}}, '
    '"transitions": [{"from": "off", "to": "on", "event": "power_on"}]}',
    fixed='... "transitions": [{"from": "off", "to": "on", "event": "power_on"}, '
    '{"from": "on", "to": "eco", "event": "save"}]',
)
define(
    "SVX315",
    "nondeterministic-transition",
    "error",
    "Two transitions without guards leave the same state on the same event.",
    why="Which one is taken is undefined: two runtimes may behave differently.",
    example='{"from": "on", "to": "off", "event": "press"}, {"from": "on", "to": "standby", "event": "press"}',
    fixed='{"from": "on", "to": "off", "event": "press"}, {"from": "on", "to": "standby", "event": "idle"}',
)
define(
    "SVX316",
    "unhandled-trigger",
    "error",
    "A trigger's action is neither an event of the state machine (of the profile, for inline "
    "behavior of an object that names one) nor a built-in action (`toggle`, `reset`, `auto_off`).",
    why="The trigger fires into nothing: the click or the timer does not change the object.",
    example='"triggers": [{"event": "click", "action": "power_onn"}]',
    fixed='"triggers": [{"event": "click", "action": "power_on"}]',
    fix="replace the action with the nearest event",
)
define(
    "SVX317",
    "violated-at-defaults",
    "warning",
    "Evaluating every formula with the defaults crosses a threshold or makes a constraint false; "
    "the message gives the computed values with their units.",
    why="An object that raises an alarm in its default state is mis-specified, or its limits are.",
    example='"current": {"kind": "output", "unit": "A", "formula": "power_draw / voltage"} with '
    'defaults 240 W / 120 V and {"variable": "current", "above": {"critical": 1.5}}',
    fixed="a default power_draw of 120 W (current = 1 A), or a critical threshold above 2 A",
)
define(
    "SVX318",
    "violable-in-range",
    "warning",
    "With the inputs at the corners of their `[min, max]` ranges, a threshold can be crossed or "
    "a constraint can fail; the message names the inputs that do it, with values and units. "
    "The number of corners is capped by `limits.max-simulation-corners`.",
    why="The profile allows inputs that put the object in a state its limits forbid.",
    example="constraint within_rated_current (current <= 1.5) with voltage in [100, 130] V and "
    "power_draw in [0, 200] W",
    fixed="power_draw limited to [0, 150] W, or the constraint relaxed to current <= 2",
)
define(
    "SVX319",
    "evaluation-error",
    "error",
    "Evaluating a formula at the defaults fails: division by zero, overflow (`9**9**9**9`), or a "
    "math domain error (`sqrt` of a negative number). The diagnostic covers the failing part.",
    why="The value cannot be computed in the object's default state; every check of it is skipped.",
    example='"ratio": {"kind": "output", "formula": "power / current"} with current defaulting to 0',
    fixed='"ratio": {"kind": "output", "formula": "if(current > 0, power / current, 0)"}',
)
define(
    "SVX320",
    "profile-schema",
    "error",
    "The profile does not match the behavior-profile JSON Schema (shipped as "
    "`behavior-profile-1.0.schema.json`, usable by editors through `$schema`), is not valid JSON, "
    "or repeats a key. Every violation is reported on its own key or value.",
    why="Tools read profiles by their structure: an unknown key is ignored, a wrong type breaks them.",
    example='{"id": "display_behavior", "version": "1.0", "system": "audiovisual", "variables": {}}',
    fixed='{"id": "display_behavior", "version": "1.0.0", "system": "audiovisual", '
    '"applies_to": ["audiovisual.display"], "variables": {"power": {"kind": "input", "unit": "W"}}}',
)
define(
    "SVX321",
    "unused-input",
    "info",
    "An input of a profile is used by no formula, guard, constraint or threshold.",
    why="An unused input is usually a leftover, or a formula that forgot it.",
    example='"variables": {"voltage": {"kind": "input", "unit": "V"}, "power": {"kind": "input", "unit": "W"}}',
    fixed='... "current": {"kind": "output", "unit": "A", "formula": "power / voltage"}',
)
define(
    "SVX322",
    "legacy-power-operator",
    "warning",
    "A formula writes a power as `^`, the legacy spelling; the formula language writes `**`. "
    "It is read as a power.",
    why="In most languages `^` is exclusive-or: a reader or another tool may take it for that.",
    example='<calculation name="area" formula="radius ^ 2 * pi"/>',
    fixed='<calculation name="area" formula="radius ** 2 * pi"/>',
    fix="replace `^` with `**`",
)
define(
    "SVX323",
    "dead-end-state",
    "info",
    "A state that is not marked `terminal` has no outgoing transition: once entered it is never left.",
    why="Usually a forgotten transition (a fault that can never be reset); mark it terminal if meant.",
    example='"states": {"off": {}, "on": {}, "fault": {}}',
    fixed='"states": {"off": {}, "on": {}, "fault": {"terminal": true}}',
)
define(
    "SVX324",
    "computed-input",
    "error",
    "A variable's kind and formula disagree: an `input` or `parameter` with a formula, or an "
    "`output` or `state` without one.",
    why="A value is either set from outside or computed, never both: otherwise two sources "
    "compete for it, or it has none.",
    example='"current": {"kind": "input", "unit": "A", "formula": "power / voltage"}',
    fixed='"current": {"kind": "output", "unit": "A", "formula": "power / voltage"}',
)

CODES = tuple(f"SVX3{n:02d}" for n in range(1, 25))


def _options(ctx: CheckContext, external: frozenset[str] | None = frozenset()) -> Options:
    limits = ctx.settings.limits
    return Options(
        strict=ctx.settings.units == "strict",
        max_length=limits.max_formula_length,
        max_depth=limits.max_formula_depth,
        max_corners=limits.max_simulation_corners,
        external_events=external,
    )


def _emit(ctx: CheckContext, findings: list[Finding]) -> Iterator[Diagnostic]:
    for f in findings:
        yield ctx.report(f.code, f.span, f.message, fix=f.fix, related=f.related, tags=f.tags)


@check_function("behavior-profile", frozenset({FileKind.BEHAVIOR}), CODES)
def behavior_profile(ctx: CheckContext) -> Iterator[Diagnostic]:
    loaded = load_profile(ctx.text)
    doc = loaded.doc
    if doc.error is not None:
        span, message = doc.error
        yield ctx.report("SVX320", span, f"not valid JSON: {message}")
        return
    for v in violations(doc):
        yield ctx.report("SVX320", v.span, v.message)
    for dup in doc.duplicates:
        if dup.path == ("variables",):
            continue  # the model reports these as SVX304
        first = (Related(f"first `{dup.key}`", dup.first),)
        if dup.path == ("states", "states"):
            yield ctx.report(
                "SVX304", dup.again, f"state `{dup.key}` is defined twice", related=first
            )
        else:
            where = ".".join(str(p) for p in dup.path) or "the profile"
            yield ctx.report(
                "SVX320",
                dup.again,
                f"key `{dup.key}` appears twice in {where}: JSON readers keep only one of them",
                related=first,
            )
    yield from _emit(ctx, analyse(loaded.behavior, _options(ctx)))


def _profile(ctx: CheckContext, profile_id: str) -> Behavior | None:
    lookup = getattr(ctx.workspace, "profile", None) if ctx.workspace is not None else None
    if lookup is None:
        return None
    document = lookup(profile_id)
    if document is None:
        return None
    loaded = load_profile(document.text)
    return loaded.behavior if loaded.doc.error is None else None


@check_function("inline-behavior", frozenset({FileKind.SVGX}), CODES)
def inline_behavior(ctx: CheckContext) -> Iterator[Diagnostic]:
    doc = ctx.svgx
    if doc.root is None:
        return
    profiles: dict[str, Behavior | None] = {}
    for el in inline_behaviors(doc):
        b = from_inline(doc, el)
        profile: Behavior | None = None
        external: frozenset[str] | None = frozenset()
        if b.profile_id:
            if b.profile_id not in profiles:
                profiles[b.profile_id] = _profile(ctx, b.profile_id)
            profile = profiles[b.profile_id]
            if profile is None:
                external = None  # SVX401 is the registry's; the events are unknown
            else:
                machine = profile.machine
                external = (
                    frozenset(t.event for t in machine.transitions) if machine else frozenset()
                )
        yield from _emit(ctx, analyse(b, _options(ctx, external)))
        if profile is not None:
            yield from _against_profile(ctx, b, profile)


def _unit(v: Var) -> Unit | None:
    if v.unit is None:
        return None
    u = parse_unit(v.unit.value)
    return u if isinstance(u, Unit) and u.canonical else None


def _against_profile(
    ctx: CheckContext, inline: Behavior, profile: Behavior
) -> Iterator[Diagnostic]:
    """Inline variables override the profile's defaults: they must fit its units and ranges."""
    pid = profile.profile_id or inline.profile_id
    for v in inline.variables:
        pv = profile.var(v.name)
        if pv is None or v.formula is not None:
            continue
        iu, pu = _unit(v), _unit(pv)
        if iu is not None and pu is not None:
            assert v.unit is not None
            if iu.dims != pu.dims:
                yield ctx.report(
                    "SVX307",
                    v.unit.span(),
                    f"`{v.name}` is in {iu.text.strip()} here but "
                    f"profile {pid} declares it in {pu.text.strip()}",
                )
                continue
            if abs(iu.factor / pu.factor - 1) > 1e-9 or iu.offset != pu.offset:
                yield ctx.report(
                    "SVX308",
                    v.unit.span(),
                    f"`{v.name}` is in {iu.text.strip()} here but "
                    f"profile {pid} declares it in {pu.text.strip()}: 1 {iu.text.strip()} = "
                    f"{fmt(iu.factor / pu.factor)} {pu.text.strip()}",
                )
        if v.default is None:
            continue
        value = v.default.value
        if iu is not None and pu is not None and pu.factor:
            value = (value * iu.factor + iu.offset - pu.offset) / pu.factor
        unit = pu.text.strip() if pu is not None else ""
        shown = with_unit(value, unit)
        if pv.min is not None and value < pv.min.value - 1e-9 * abs(pv.min.value):
            yield ctx.report(
                "SVX310",
                v.default.where(),
                f"`{v.name}` = {shown} is below the minimum "
                f"{with_unit(pv.min.value, unit)} of profile {pid}",
            )
        elif pv.max is not None and value > pv.max.value + 1e-9 * abs(pv.max.value):
            yield ctx.report(
                "SVX310",
                v.default.where(),
                f"`{v.name}` = {shown} is above the maximum "
                f"{with_unit(pv.max.value, unit)} of profile {pid}",
            )
