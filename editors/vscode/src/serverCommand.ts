/**
 * Finding the `svgx` executable that runs the language server. Pure: the file system and the
 * environment are passed in, so the unit tests run without VS Code.
 */
import * as path from "node:path";

export interface ResolveInput {
  /** `svgx.server.path`; empty when unset. `${workspaceFolder}` is expanded. */
  configuredPath: string;
  /** `svgx.server.args`. */
  args: readonly string[];
  /** File system paths of the open workspace folders, first one first. */
  workspaceFolders: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  /** True when the path is an existing executable file. */
  isExecutable: (file: string) => boolean;
}

export type Resolved =
  | { ok: true; command: string; args: string[]; source: string }
  | { ok: false; message: string };

/** Virtual-environment folder names looked for in each workspace folder, in this order. */
export const VENV_NAMES = [".venv", "venv", "env"] as const;

export const INSTALL_HINT =
  "Install the svgx Python package into the workspace's environment (python3 -m venv .venv && " +
  ".venv/bin/pip install <path of an svgx checkout> — svgx is not on PyPI yet), " +
  "or set `svgx.server.path` to the svgx executable.";

function binDir(platform: NodeJS.Platform): string {
  return platform === "win32" ? "Scripts" : "bin";
}

function exeNames(platform: NodeJS.Platform): string[] {
  return platform === "win32" ? ["svgx.exe", "svgx.cmd", "svgx"] : ["svgx"];
}

function expand(value: string, input: ResolveInput): string {
  const folder = input.workspaceFolders[0] ?? "";
  let out = value.replace(/\$\{workspaceFolder\}/g, folder);
  out = out.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => input.env[name] ?? "");
  if (out === "~" || out.startsWith("~/")) {
    out = path.join(input.env.HOME ?? "", out.slice(1));
  }
  return out;
}

/** The candidate executables, in the order they are tried, with where each came from. */
export function candidates(input: ResolveInput): Array<{ file: string; source: string }> {
  const bin = binDir(input.platform);
  const names = exeNames(input.platform);
  const out: Array<{ file: string; source: string }> = [];
  for (const folder of input.workspaceFolders) {
    for (const venv of VENV_NAMES) {
      for (const name of names) {
        out.push({ file: path.join(folder, venv, bin, name), source: `workspace ${venv}` });
      }
    }
  }
  const virtualEnv = input.env.VIRTUAL_ENV;
  if (virtualEnv) {
    for (const name of names) {
      out.push({ file: path.join(virtualEnv, bin, name), source: "$VIRTUAL_ENV" });
    }
  }
  const sep = input.platform === "win32" ? ";" : ":";
  for (const dir of (input.env.PATH ?? "").split(sep)) {
    if (!dir) continue;
    for (const name of names) {
      out.push({ file: path.join(dir, name), source: "PATH" });
    }
  }
  return out;
}

/** The command that starts the server, or a message saying what to install or set. */
export function resolveServerCommand(input: ResolveInput): Resolved {
  const args = input.args.map((a) => expand(a, input));
  const configured = input.configuredPath.trim();
  if (configured) {
    let file = expand(configured, input);
    if (!path.isAbsolute(file) && input.workspaceFolders[0] && file.includes("/")) {
      file = path.join(input.workspaceFolders[0], file);
    }
    if (file.includes("/") || file.includes("\\")) {
      if (!input.isExecutable(file)) {
        return {
          ok: false,
          message: `svgx.server.path is set to "${configured}", but ${file} is not an executable file. ${INSTALL_HINT}`,
        };
      }
      return { ok: true, command: file, args, source: "svgx.server.path" };
    }
    // A bare name ("svgx"): looked up on PATH like a shell does.
    const found = candidates({ ...input, workspaceFolders: [], env: { PATH: input.env.PATH } }).find(
      (c) => path.basename(c.file) === file && input.isExecutable(c.file),
    );
    if (!found) {
      return { ok: false, message: `svgx.server.path is "${configured}", which is not on PATH. ${INSTALL_HINT}` };
    }
    return { ok: true, command: found.file, args, source: "svgx.server.path" };
  }
  for (const c of candidates(input)) {
    if (input.isExecutable(c.file)) {
      return { ok: true, command: c.file, args, source: c.source };
    }
  }
  const looked = input.workspaceFolders.length
    ? `the workspace's ${VENV_NAMES.join("/")}, $VIRTUAL_ENV and PATH`
    : "$VIRTUAL_ENV and PATH";
  return { ok: false, message: `The svgx language server was not found (looked in ${looked}). ${INSTALL_HINT}` };
}
