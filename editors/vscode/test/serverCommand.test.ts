import { strict as assert } from "node:assert";
import { test } from "node:test";
import { resolveServerCommand, type ResolveInput } from "../src/serverCommand";

function input(over: Partial<ResolveInput>, executables: string[] = []): ResolveInput {
  const set = new Set(executables);
  return {
    configuredPath: "",
    args: ["server"],
    workspaceFolders: ["/ws"],
    env: { PATH: "/usr/local/bin:/usr/bin", HOME: "/home/u" },
    platform: "linux",
    isExecutable: (f) => set.has(f),
    ...over,
  };
}

test("the workspace's .venv comes before PATH", () => {
  const r = resolveServerCommand(input({}, ["/ws/.venv/bin/svgx", "/usr/bin/svgx"]));
  assert.deepEqual(r, { ok: true, command: "/ws/.venv/bin/svgx", args: ["server"], source: "workspace .venv" });
});

test("venv, then $VIRTUAL_ENV, then PATH, in that order", () => {
  const env = { PATH: "/usr/local/bin:/usr/bin", VIRTUAL_ENV: "/envs/a" };
  const all = ["/ws/venv/bin/svgx", "/envs/a/bin/svgx", "/usr/bin/svgx"];
  const r1 = resolveServerCommand(input({ env }, all));
  assert.ok(r1.ok && r1.command === "/ws/venv/bin/svgx");
  const r2 = resolveServerCommand(input({ env }, all.slice(1)));
  assert.ok(r2.ok && r2.command === "/envs/a/bin/svgx" && r2.source === "$VIRTUAL_ENV");
  const r3 = resolveServerCommand(input({ env }, all.slice(2)));
  assert.ok(r3.ok && r3.command === "/usr/bin/svgx" && r3.source === "PATH");
});

test("every workspace folder is searched, first folder first", () => {
  const r = resolveServerCommand(input({ workspaceFolders: ["/a", "/b"] }, ["/b/.venv/bin/svgx"]));
  assert.ok(r.ok && r.command === "/b/.venv/bin/svgx");
});

test("nothing found: the message names what to install and the setting", () => {
  const r = resolveServerCommand(input({}));
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.match(r.message, /svgx language server was not found/);
    assert.match(r.message, /pip install/);
    assert.match(r.message, /svgx\.server\.path/);
  }
});

test("a configured path wins, with ${workspaceFolder} and ~ expanded", () => {
  const r = resolveServerCommand(
    input({ configuredPath: "${workspaceFolder}/tools/svgx" }, ["/ws/tools/svgx", "/ws/.venv/bin/svgx"]),
  );
  assert.ok(r.ok && r.command === "/ws/tools/svgx" && r.source === "svgx.server.path");
  const home = resolveServerCommand(input({ configuredPath: "~/bin/svgx" }, ["/home/u/bin/svgx"]));
  assert.ok(home.ok && home.command === "/home/u/bin/svgx");
});

test("a relative configured path is taken from the first workspace folder", () => {
  const r = resolveServerCommand(input({ configuredPath: "env2/bin/svgx" }, ["/ws/env2/bin/svgx"]));
  assert.ok(r.ok && r.command === "/ws/env2/bin/svgx");
});

test("a configured path that is not executable is an error, not a silent fallback", () => {
  const r = resolveServerCommand(input({ configuredPath: "/opt/svgx" }, ["/ws/.venv/bin/svgx"]));
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.message, /\/opt\/svgx is not an executable file/);
});

test("a bare configured name is looked up on PATH only", () => {
  const r = resolveServerCommand(input({ configuredPath: "svgx" }, ["/ws/.venv/bin/svgx", "/usr/local/bin/svgx"]));
  assert.ok(r.ok && r.command === "/usr/local/bin/svgx");
  const missing = resolveServerCommand(input({ configuredPath: "svgx" }, ["/ws/.venv/bin/svgx"]));
  assert.equal(missing.ok, false);
});

test("the arguments are passed through, expanded", () => {
  const r = resolveServerCommand(input({ args: ["server", "--log", "${workspaceFolder}/.svgx/lsp.log"] }, ["/usr/bin/svgx"]));
  assert.ok(r.ok);
  if (r.ok) assert.deepEqual(r.args, ["server", "--log", "/ws/.svgx/lsp.log"]);
});

test("Windows: Scripts\\svgx.exe in the venv", () => {
  const r = resolveServerCommand(
    input({ platform: "win32", workspaceFolders: ["C:/ws"], env: { PATH: "" } }, ["C:/ws/.venv/Scripts/svgx.exe"]),
  );
  assert.ok(r.ok && r.command === "C:/ws/.venv/Scripts/svgx.exe");
});
