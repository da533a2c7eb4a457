import { strict as assert } from "node:assert";
import { test } from "node:test";
import {
  formatCounts,
  formatDuration,
  formatSummary,
  formatValidation,
  historyItems,
  progressIncrement,
  statusBarView,
  systemsFromSchemaPaths,
} from "../src/runs";

// The shape of RunSummary.to_dict() (svgx_pipeline.runner), as svgx.pipeline.execute returns it.
const summary = {
  id: "5f2c9a1e-0000-4000-8000-000000000001",
  status: "failed",
  trigger: "lsp",
  dry_run: false,
  scope: { system: null, object: null, step: null },
  duration_ms: 12460.5,
  steps: [
    { name: "validate-schema", status: "failed", duration_ms: 123.4, files_checked: 3, errors: 2, warnings: 1, infos: 0 },
    { name: "validate-symbol", status: "passed", duration_ms: 12340, files_checked: 0, errors: 0, warnings: 0, infos: 0 },
  ],
  gates: [
    { gate: "max-errors", passed: false, detail: "2 errors (at most 0 allowed)" },
    { gate: "coverage", passed: true, detail: "" },
  ],
  db: "/ws/.svgx/pipeline.db",
};

test("durations and counts read naturally", () => {
  assert.equal(formatDuration(0.123), "0.12 s");
  assert.equal(formatDuration(12.34), "12.3 s");
  assert.equal(formatDuration(125), "2 min 5 s");
  assert.equal(formatDuration(undefined), "");
  assert.equal(formatCounts({ error: 1, warning: 2, info: 0 }), "1 error, 2 warnings");
  assert.equal(formatCounts({ errors: 3 }), "3 errors");
  assert.equal(formatCounts(null), "");
});

test("the summary lists steps, gates and the database", () => {
  assert.equal(
    formatSummary(summary),
    [
      "Run 5f2c9a1e-0000-4000-8000-000000000001: failed",
      "  validate-schema: failed (2 errors, 1 warning, 0.12 s)",
      "  validate-symbol: passed (12.3 s)",
      "  gate max-errors: FAILED — 2 errors (at most 0 allowed)",
      "  gate coverage: passed",
      "  recorded in /ws/.svgx/pipeline.db",
    ].join("\n"),
  );
});

test("a dry run with a scope says so", () => {
  assert.equal(
    formatSummary({ status: "passed", dry_run: true, scope: { system: "electrical", object: null } }),
    "Run (dry run): passed (dry run) — system electrical",
  );
  // The older spelling of the same fields reads the same.
  assert.equal(
    formatSummary({ status: "passed", dryRun: true, system: "electrical", steps: [{ name: "a", status: "passed", counts: { error: 1 }, duration: 2 }] }),
    "Run (dry run): passed (dry run) — system electrical\n  a: passed (1 error, 2.00 s)",
  );
});

test("garbage is not a crash", () => {
  assert.equal(formatSummary("nope"), "No run summary.");
  assert.equal(formatSummary({ steps: [1, null, { name: 3 }], gates: "x" }), "Run (dry run): unknown\n  3: ?");
  assert.deepEqual(historyItems({ not: "a list" }), []);
  assert.deepEqual(historyItems([null, { status: "passed" }]), []);
});

test("the status bar shows the last result with totals", () => {
  const view = statusBarView(summary);
  assert.equal(view.text, "$(error) SVGX failed");
  assert.match(view.tooltip, /^Last pipeline run 5f2c9a1e: failed\n2 errors, 1 warning\n/);
  assert.equal(statusBarView({ status: "passed" }).text, "$(pass) SVGX passed");
  assert.equal(statusBarView(null).text, "$(circle-outline) SVGX");
  assert.equal(statusBarView({}).text, "$(circle-outline) SVGX");
});

test("history rows become quick-pick items keeping the run id", () => {
  // The shape of runner.history() rows.
  const items = historyItems([
    { id: "aaaaaaaa-1", status: "passed", started_at: "2025-01-02T03:04:05Z", trigger: "lsp", duration_ms: 1500, system: null, errors: 0, warnings: 2, infos: 0 },
    { id: "bbbbbbbb-2", status: "cancelled", system: "electrical" },
  ]);
  assert.deepEqual(items, [
    { label: "$(pass) passed — aaaaaaaa", description: "2025-01-02T03:04:05Z · lsp", detail: "whole workspace · 2 warnings · 1.50 s", runId: "aaaaaaaa-1" },
    { label: "$(circle-slash) cancelled — bbbbbbbb", description: "", detail: "electrical", runId: "bbbbbbbb-2" },
  ]);
  assert.equal(historyItems({ runs: [{ id: "c", status: "passed" }] }).length, 1);
});

test("systems come from schemas/<system>/schema.json only", () => {
  assert.deepEqual(
    systemsFromSchemaPaths([
      "/ws/schemas/electrical/schema.json",
      "/ws/schemas/audiovisual/schema.json",
      "C:\\ws\\schemas\\hvac\\schema.json",
      "/ws/schemas/electrical/schema.json",
      "/ws/schemas/Bad-Name/schema.json",
      "/ws/other/plumbing/schema.json",
    ]),
    ["audiovisual", "electrical", "hvac"],
  );
});

test("absolute percentages become increments, never backwards nor past 100", () => {
  assert.deepEqual(progressIncrement(0, 20), { increment: 20, reported: 20 });
  assert.deepEqual(progressIncrement(20, 10), { increment: 0, reported: 20 });
  assert.deepEqual(progressIncrement(90, 150), { increment: 10, reported: 100 });
  assert.deepEqual(progressIncrement(40, undefined), { reported: 40 });
});

test("the validation result reads as one line", () => {
  assert.equal(
    formatValidation({ files: 12, filesWithProblems: 2, errors: 3, warnings: 1, infos: 0 }),
    "SVGX: 12 files validated — 3 errors, 1 warning.",
  );
  assert.equal(formatValidation({ files: 1, errors: 0, warnings: 0, infos: 0 }), "SVGX: 1 file validated — no problems.");
  assert.equal(formatValidation(null), "SVGX: workspace validated.");
});
