import { strict as assert } from "node:assert";
import { test } from "node:test";
import { serverSettings } from "../src/settings";

test("unset settings send nothing, so the config file stays in force", () => {
  assert.deepEqual(serverSettings({}), {});
  assert.deepEqual(serverSettings({ severity: {}, select: [], ignore: [] }), {});
});

test("severity overrides are normalised: upper-case codes, lower-case levels", () => {
  assert.deepEqual(serverSettings({ severity: { svx001: " Warning ", SVX3: "off" } }), {
    severity: { SVX001: "warning", SVX3: "off" },
  });
});

test("non-string values are dropped; unknown levels go through for the server to report", () => {
  assert.deepEqual(serverSettings({ severity: { SVX001: 3, SVX002: "loud" }, select: ["SVX3", 4, " "] }), {
    severity: { SVX002: "loud" },
    select: ["SVX3"],
  });
});

test("select and ignore lists pass through trimmed", () => {
  assert.deepEqual(serverSettings({ select: [" SVX1 "], ignore: ["SVX203"] }), { select: ["SVX1"], ignore: ["SVX203"] });
});
