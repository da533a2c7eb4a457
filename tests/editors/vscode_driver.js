// Drives a real VS Code (code-server) in headless Chromium with playwright-core.
// Input: the JSON file named by argv[2]:
//   { playwright, chromium, url, file, fix: { line, column, title, severity }, shots, out }
// Output: JSON at `out` with what was seen; exit code 0 when every step passed.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const { chromium } = require(input.playwright);
const result = { steps: [] };
const STEP_MS = 90000;

async function step(name, fn) {
  const t0 = Date.now();
  try {
    const value = await fn();
    result.steps.push({ name, ms: Date.now() - t0 });
    return value;
  } catch (err) {
    result.steps.push({ name, ms: Date.now() - t0, error: String(err && err.message ? err.message : err) });
    throw err;
  }
}

async function main() {
  const browser = await chromium.launch({
    executablePath: input.chromium,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  page.setDefaultTimeout(STEP_MS);
  const shot = (name) => page.screenshot({ path: path.join(input.shots, name) });
  const squiggles = (severity) => page.locator(`.monaco-editor .squiggly-${severity}`).count();
  try {
    await step("workbench", async () => {
      await page.goto(input.url);
      await page.waitForSelector(".monaco-workbench .part.statusbar");
    });
    await step("open file", async () => {
      await page.locator(".monaco-workbench").click({ position: { x: 700, y: 400 } }).catch(() => {});
      await page.keyboard.press("Control+P");
      await page.waitForSelector(".quick-input-widget input");
      await page.keyboard.type(input.file);
      await page.locator(".quick-input-list .monaco-list-row").first().waitFor();
      await page.keyboard.press("Enter");
      await page.locator(`.tabs-container .tab[aria-label*="${path.basename(input.file)}"]`).first().waitFor();
      await page.locator(".monaco-editor .view-lines").first().waitFor();
    });
    const sev = input.fix.severity;
    await step("go to the defect", async () => {
      await page.keyboard.press("Control+G");
      await page.waitForSelector(".quick-input-widget input");
      await page.keyboard.type(`${input.fix.line}:${input.fix.column}`);
      await page.keyboard.press("Enter");
    });
    result.squigglesBefore = await step("squiggle", async () => {
      await page.locator(`.monaco-editor .squiggly-${sev}`).first().waitFor();
      return squiggles(sev);
    });
    await step("hover", async () => {
      await page.keyboard.press("Control+K");
      await page.keyboard.press("Control+I");
      await page.locator(".monaco-hover .hover-contents, .monaco-hover .marker").first().waitFor();
      result.hoverText = (await page.locator(".monaco-hover").first().innerText()).slice(0, 500);
      await shot("diagnostics.png");
      await page.keyboard.press("Escape");
    });
    await step("quick fix", async () => {
      await page.keyboard.press("Control+.");
      const row = page.locator(".action-widget .monaco-list-row", { hasText: input.fix.title }).first();
      await row.waitFor();
      await shot("light-bulb.png");
      result.actions = await page.locator(".action-widget .monaco-list-row").allInnerTexts();
      await row.click();
    });
    result.squigglesAfter = await step("squiggle gone", async () => {
      const before = result.squigglesBefore;
      await page.waitForFunction(
        ([selector, n]) => document.querySelectorAll(selector).length < n,
        [`.monaco-editor .squiggly-${sev}`, before],
        { timeout: STEP_MS },
      );
      await shot("after-fix.png");
      return squiggles(sev);
    });
    await step("save", async () => {
      await page.keyboard.press("Control+S");
      await page.locator(".tabs-container .tab.dirty").first().waitFor({ state: "detached" });
    });
    result.statusBar = await step("run pipeline from the palette", async () => {
      await page.keyboard.press("F1");
      await page.waitForSelector(".quick-input-widget input");
      await page.keyboard.type("SVGX: Run Pipeline");
      const row = page
        .locator(".quick-input-list .monaco-list-row")
        .filter({ has: page.locator(".label-name", { hasText: /^\s*SVGX: Run Pipeline\s*$/ }) })
        .first();
      await row.click();
      const item = page.locator(".part.statusbar .statusbar-item", { hasText: /SVGX (passed|failed|error)/ }).first();
      await item.waitFor();
      await shot("pipeline.png");
      return (await item.innerText()).trim();
    });
  } catch (err) {
    result.error = String(err && err.stack ? err.stack : err);
    await shot("failure.png").catch(() => {});
  } finally {
    await browser.close();
    fs.writeFileSync(input.out, JSON.stringify(result, null, 2));
  }
  process.exit(result.error ? 1 : 0);
}

main().catch((err) => {
  result.error = String(err && err.stack ? err.stack : err);
  fs.writeFileSync(input.out, JSON.stringify(result, null, 2));
  process.exit(1);
});
