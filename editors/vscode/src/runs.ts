/**
 * Turning the server's run summaries and history rows (JSON from `svgx.pipeline.execute`,
 * `.status` and `.history`) into what the extension shows. Pure, and tolerant of missing
 * fields: a summary is data from another process, never trusted to have every key.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(o: Obj, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === "string" && v) return v;
    if (typeof v === "number") return String(v);
  }
  return undefined;
}

function num(o: Obj, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === "number" && Number.isFinite(v)) return v;
  }
  return undefined;
}

/** A duration in seconds, from `duration_ms` (the runner's) or `duration` (seconds). */
export function seconds(o: unknown): number | undefined {
  if (!isObj(o)) return undefined;
  const ms = num(o, "duration_ms");
  if (ms !== undefined) return ms / 1000;
  return num(o, "duration", "duration_s");
}

/** The scope of a run: `scope.system`/`scope.object` (summaries) or top-level (history rows). */
function scopeOf(o: Obj): { system?: string; object?: string } {
  const scope = isObj(o.scope) ? o.scope : o;
  return { system: str(scope, "system"), object: str(scope, "object") };
}

export function shortId(id: string | undefined): string {
  return id ? id.slice(0, 8) : "?";
}

/** Seconds as "0.42 s" / "12.3 s" / "2 min 5 s". */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return "";
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - m * 60)} s`;
}

/** The per-severity counts of a step or run, e.g. "2 errors, 1 warning". */
export function formatCounts(counts: Json | undefined): string {
  if (!isObj(counts)) return "";
  const parts: string[] = [];
  for (const sev of SEVERITIES) {
    const n = counts[sev] ?? counts[`${sev}s`];
    if (typeof n === "number" && n > 0) parts.push(`${n} ${sev}${n === 1 ? "" : "s"}`);
  }
  return parts.join(", ");
}

const SEVERITIES = ["error", "warning", "info"] as const;

/** The per-severity counts of a step or run: a `counts` object, or the keys on the thing itself. */
function countsOf(o: Obj): Record<string, number> {
  const src = isObj(o.counts) ? o.counts : o;
  const out: Record<string, number> = {};
  for (const sev of SEVERITIES) {
    const n = src[sev] ?? src[`${sev}s`];
    if (typeof n === "number") out[sev] = n;
  }
  return out;
}

/** The run's totals: its own counts when it has them, else the sum over its steps. */
function totals(summary: Obj): Record<string, number> {
  const own = countsOf(summary);
  if (Object.keys(own).length) return own;
  const out: Record<string, number> = {};
  for (const step of Array.isArray(summary.steps) ? summary.steps : []) {
    if (!isObj(step)) continue;
    for (const [k, v] of Object.entries(countsOf(step))) out[k] = (out[k] ?? 0) + v;
  }
  return out;
}

const ICONS: Record<string, string> = {
  passed: "$(pass)",
  failed: "$(error)",
  error: "$(error)",
  cancelled: "$(circle-slash)",
  interrupted: "$(warning)",
  running: "$(sync~spin)",
};

export interface StatusBarView {
  text: string;
  tooltip: string;
}

/** The status-bar item for the last run, or for "no run yet". */
export function statusBarView(summary: unknown): StatusBarView {
  if (!isObj(summary) || !str(summary, "status")) {
    return { text: "$(circle-outline) SVGX", tooltip: "No pipeline run recorded yet — SVGX: Run Pipeline" };
  }
  const status = str(summary, "status") ?? "unknown";
  const dry = summary.dry_run === true || summary.dryRun === true;
  const icon = ICONS[status] ?? "$(question)";
  const counts = formatCounts(totals(summary));
  const text = `${icon} SVGX ${status}${dry ? " (dry run)" : ""}`;
  const tooltip = [
    `Last pipeline run ${shortId(str(summary, "id"))}: ${status}${dry ? " (dry run, not recorded)" : ""}`,
    counts,
    str(summary, "finished_at", "finished", "started_at", "started") ?? "",
    "Click for the pipeline history",
  ]
    .filter(Boolean)
    .join("\n");
  return { text, tooltip };
}

/** A run summary as plain text lines (shown in the SVGX Pipeline output). */
export function formatSummary(summary: unknown): string {
  if (!isObj(summary)) return "No run summary.";
  const lines: string[] = [];
  const { system, object } = scopeOf(summary);
  const scope = [system && `system ${system}`, object && `object ${object}`].filter(Boolean).join(", ");
  const dry = summary.dry_run === true || summary.dryRun === true;
  lines.push(
    `Run ${str(summary, "id") ?? "(dry run)"}: ${str(summary, "status") ?? "unknown"}` +
      (dry ? " (dry run)" : "") +
      (scope ? ` — ${scope}` : ""),
  );
  const steps = Array.isArray(summary.steps) ? summary.steps : [];
  for (const step of steps) {
    if (!isObj(step)) continue;
    const extra = [formatCounts(countsOf(step)), formatDuration(seconds(step))].filter(Boolean).join(", ");
    lines.push(`  ${str(step, "name", "step") ?? "?"}: ${str(step, "status") ?? "?"}${extra ? ` (${extra})` : ""}`);
  }
  const gates = Array.isArray(summary.gates) ? summary.gates : [];
  for (const gate of gates) {
    if (!isObj(gate)) continue;
    const mark = gate.passed === true ? "passed" : "FAILED";
    const detail = str(gate, "detail");
    lines.push(`  gate ${str(gate, "name", "gate") ?? "?"}: ${mark}${detail ? ` — ${detail}` : ""}`);
  }
  const db = str(summary, "db", "database");
  if (db) lines.push(`  recorded in ${db}`);
  return lines.join("\n");
}

export interface HistoryItem {
  label: string;
  description: string;
  detail: string;
  runId: string;
}

/** The quick-pick items for the history rows, newest first as the server sends them. */
export function historyItems(rows: unknown): HistoryItem[] {
  const list = Array.isArray(rows) ? rows : isObj(rows) && Array.isArray(rows.runs) ? rows.runs : [];
  const out: HistoryItem[] = [];
  for (const row of list) {
    if (!isObj(row)) continue;
    const id = str(row, "id", "run_id");
    if (!id) continue;
    const status = str(row, "status") ?? "?";
    const { system, object } = scopeOf(row);
    const scope = [system, object].filter(Boolean).join("/") || "whole workspace";
    out.push({
      label: `${ICONS[status] ?? "$(question)"} ${status} — ${shortId(id)}`,
      description: [str(row, "started_at", "started"), str(row, "trigger")].filter(Boolean).join(" · "),
      detail: [scope, formatCounts(countsOf(row)), formatDuration(seconds(row))].filter(Boolean).join(" · "),
      runId: id,
    });
  }
  return out;
}

/** System names from the paths of system schema files (`…/schemas/<system>/schema.json`). */
export function systemsFromSchemaPaths(paths: readonly string[]): string[] {
  const names = new Set<string>();
  for (const p of paths) {
    const parts = p.split(/[\\/]/);
    const n = parts.length;
    if (n >= 3 && parts[n - 1] === "schema.json" && parts[n - 3] === "schemas" && /^[a-z][a-z0-9_]*$/.test(parts[n - 2])) {
      names.add(parts[n - 2]);
    }
  }
  return [...names].sort();
}

/**
 * VS Code's progress takes increments, LSP reports absolute percentages: the increment for a
 * new report and the new total (never backwards, never past 100).
 */
export function progressIncrement(reported: number, percentage: number | undefined): { increment?: number; reported: number } {
  if (typeof percentage !== "number" || !Number.isFinite(percentage)) return { reported };
  const target = Math.max(0, Math.min(100, percentage));
  const increment = Math.max(0, target - reported);
  return { increment, reported: reported + increment };
}

/** The one-line result of `svgx.validateWorkspace`. */
export function formatValidation(result: unknown): string {
  if (!isObj(result)) return "SVGX: workspace validated.";
  const files = num(result, "files");
  const problems = formatCounts({ error: result.errors ?? 0, warning: result.warnings ?? 0, info: result.infos ?? 0 });
  return `SVGX: ${files ?? "all"} file${files === 1 ? "" : "s"} validated — ${problems || "no problems"}.`;
}
