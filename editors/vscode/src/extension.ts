/** The SVGX extension: starts `svgx server` and puts the pipeline in the command palette. */
import * as fs from "node:fs";
import * as vscode from "vscode";
import {
  ExecuteCommandRequest,
  LanguageClient,
  State,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import { showServerProgressAsNotifications } from "./progress";
import { formatSummary, formatValidation, historyItems, statusBarView, systemsFromSchemaPaths } from "./runs";
import { resolveServerCommand } from "./serverCommand";
import { serverSettings } from "./settings";

const CLIENT_ID = "svgx";

let client: LanguageClient | undefined;
let clientProgress: vscode.Disposable | undefined;
let statusItem: vscode.StatusBarItem;
let pipelineOutput: vscode.OutputChannel;
let serverOutput: vscode.OutputChannel;

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function workspacePaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file").map((f) => f.uri.fsPath);
}

function clientOptions(): LanguageClientOptions {
  return {
    // The server classifies files by path pattern; these are the kinds it knows by default.
    documentSelector: [
      { scheme: "file", language: "svgx" },
      { scheme: "file", pattern: "**/*.behavior.json" },
      { scheme: "file", pattern: "**/schemas/*/schema.json" },
      { scheme: "file", pattern: "**/{symbols,arx-symbol-library}/*/*.json" },
      { scheme: "file", pattern: "**/symbol_index.json" },
      { scheme: "file", pattern: "**/svgx.toml" },
    ],
    synchronize: {
      configurationSection: "svgx",
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{svgx,json,toml}"),
    },
    outputChannel: serverOutput,
    middleware: {
      workspace: {
        configuration: (params, token, next) => {
          const asked = params.items;
          if (!asked.some((item) => item.section === "svgx")) return next(params, token);
          return asked.map((item) => {
            if (item.section !== "svgx") return null;
            const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
            const cfg = vscode.workspace.getConfiguration("svgx", scope);
            return serverSettings({
              severity: cfg.get<Record<string, unknown>>("severity"),
              select: cfg.get<unknown[]>("select"),
              ignore: cfg.get<unknown[]>("ignore"),
            });
          });
        },
      },
    },
  };
}

async function startClient(): Promise<LanguageClient | undefined> {
  const cfg = vscode.workspace.getConfiguration("svgx");
  const resolved = resolveServerCommand({
    configuredPath: cfg.get<string>("server.path") ?? "",
    args: cfg.get<string[]>("server.args") ?? ["server"],
    workspaceFolders: workspacePaths(),
    env: process.env,
    platform: process.platform,
    isExecutable,
  });
  if (!resolved.ok) {
    statusItem.text = "$(error) SVGX: no server";
    statusItem.tooltip = resolved.message;
    serverOutput.appendLine(resolved.message);
    void vscode.window.showErrorMessage(resolved.message, "Open Settings").then((choice) => {
      if (choice) void vscode.commands.executeCommand("workbench.action.openSettings", "svgx.server.path");
    });
    return undefined;
  }
  serverOutput.appendLine(`Starting ${resolved.command} ${resolved.args.join(" ")} (found via ${resolved.source})`);
  const serverOptions: ServerOptions = {
    command: resolved.command,
    args: resolved.args,
    options: { cwd: workspacePaths()[0] },
  };
  const c = new LanguageClient(CLIENT_ID, "SVGX Language Server", serverOptions, clientOptions());
  try {
    await c.start();
  } catch (err) {
    const message = `The svgx language server (${resolved.command}) failed to start: ${String(err)}`;
    serverOutput.appendLine(message);
    void vscode.window.showErrorMessage(message);
    return undefined;
  }
  client = c;
  clientProgress = showServerProgressAsNotifications(c);
  void refreshStatus();
  return c;
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  clientProgress?.dispose();
  clientProgress = undefined;
  if (c && c.state !== State.Stopped) await c.stop();
}

async function running(): Promise<LanguageClient | undefined> {
  if (client && client.state === State.Running) return client;
  if (!client) return startClient();
  return client;
}

/**
 * Runs a server command. The pipeline's progress arrives as server-initiated work-done
 * progress (shown as a notification by ./progress); the status bar spins meanwhile.
 */
async function execute<T>(title: string, command: string, args: unknown[]): Promise<T | undefined> {
  const c = await running();
  if (!c) return undefined;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, async () => {
    try {
      return (await c.sendRequest(ExecuteCommandRequest.type, { command, arguments: args })) as T;
    } catch (err) {
      void vscode.window.showErrorMessage(`SVGX: ${command} failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  });
}

async function executeQuiet<T>(command: string, args: unknown[]): Promise<T | undefined> {
  const c = await running();
  if (!c) return undefined;
  return (await c.sendRequest(ExecuteCommandRequest.type, { command, arguments: args })) as T;
}

function showSummary(summary: unknown): void {
  pipelineOutput.appendLine(formatSummary(summary));
  pipelineOutput.appendLine("");
  const view = statusBarView(summary);
  statusItem.text = view.text;
  statusItem.tooltip = view.tooltip;
}

async function refreshStatus(): Promise<void> {
  try {
    const latest = await executeQuiet<unknown>("svgx.pipeline.status", [{}]);
    const view = statusBarView(latest);
    statusItem.text = view.text;
    statusItem.tooltip = view.tooltip;
  } catch {
    const view = statusBarView(undefined);
    statusItem.text = view.text;
    statusItem.tooltip = view.tooltip;
  }
}

async function runPipeline(options: { system?: string; dryRun?: boolean }): Promise<void> {
  const what = options.system ? ` for system ${options.system}` : "";
  const title = options.dryRun ? `SVGX: pipeline dry run${what}` : `SVGX: running the pipeline${what}`;
  const args: Record<string, unknown> = {};
  if (options.system) args.system = options.system;
  if (options.dryRun) args.dryRun = true;
  const summary = await execute<unknown>(title, "svgx.pipeline.execute", [args]);
  if (summary !== undefined && summary !== null) showSummary(summary);
}

async function runPipelineForSystem(): Promise<void> {
  const files = await vscode.workspace.findFiles("**/schemas/*/schema.json", "**/{node_modules,.git,.svgx,.venv}/**");
  const systems = systemsFromSchemaPaths(files.map((f) => f.fsPath));
  if (!systems.length) {
    void vscode.window.showInformationMessage("SVGX: no system schema (schemas/<system>/schema.json) in this workspace.");
    return;
  }
  const system = await vscode.window.showQuickPick(systems, { placeHolder: "Run the pipeline for which system?" });
  if (system) await runPipeline({ system });
}

async function showHistory(): Promise<void> {
  const rows = await executeQuiet<unknown>("svgx.pipeline.history", [{ limit: 20 }]);
  const items = historyItems(rows);
  if (!items.length) {
    void vscode.window.showInformationMessage("SVGX: no pipeline run recorded yet.");
    return;
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: "Recent pipeline runs", matchOnDescription: true });
  if (!picked) return;
  const summary = await executeQuiet<unknown>("svgx.pipeline.status", [{ runId: picked.runId }]);
  pipelineOutput.appendLine(formatSummary(summary));
  pipelineOutput.appendLine("");
  pipelineOutput.show(true);
}

async function validateWorkspace(): Promise<void> {
  const result = await execute<unknown>("SVGX: validating the workspace", "svgx.validateWorkspace", [{}]);
  if (result !== undefined) void vscode.window.showInformationMessage(formatValidation(result));
}

async function restartServer(): Promise<void> {
  await stopClient();
  await startClient();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  serverOutput = vscode.window.createOutputChannel("SVGX");
  pipelineOutput = vscode.window.createOutputChannel("SVGX Pipeline");
  statusItem = vscode.window.createStatusBarItem("svgx.lastRun", vscode.StatusBarAlignment.Left, 10);
  statusItem.name = "SVGX pipeline";
  statusItem.command = "svgx.client.showHistory";
  const idle = statusBarView(undefined);
  statusItem.text = idle.text;
  statusItem.tooltip = idle.tooltip;
  statusItem.show();
  context.subscriptions.push(
    serverOutput,
    pipelineOutput,
    statusItem,
    vscode.commands.registerCommand("svgx.client.runPipeline", () => runPipeline({})),
    vscode.commands.registerCommand("svgx.client.runPipelineDryRun", () => runPipeline({ dryRun: true })),
    vscode.commands.registerCommand("svgx.client.runPipelineForSystem", runPipelineForSystem),
    vscode.commands.registerCommand("svgx.client.showHistory", showHistory),
    vscode.commands.registerCommand("svgx.client.validateWorkspace", validateWorkspace),
    vscode.commands.registerCommand("svgx.client.restartServer", restartServer),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("svgx.server")) void restartServer();
    }),
    { dispose: () => void stopClient() },
  );
  await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
