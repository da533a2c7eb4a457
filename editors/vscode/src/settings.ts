/**
 * What the extension sends as the `svgx` section of `workspace/configuration`. The server
 * validates these like the config file's keys (an unknown key would be reported), so only the
 * analysis settings go, never the client's own (`server.*`, `trace.*`).
 */

export type SeverityName = "off" | "info" | "warning" | "error";

export interface ClientSettings {
  severity?: Record<string, unknown>;
  select?: readonly unknown[];
  ignore?: readonly unknown[];
}

export interface ServerSettings {
  severity?: Record<string, string>;
  select?: string[];
  ignore?: string[];
}

function strings(values: readonly unknown[] | undefined): string[] {
  return (values ?? []).filter((v): v is string => typeof v === "string" && v.trim() !== "").map((v) => v.trim());
}

/** The analysis settings, leaving out what is unset so the config file's values stay in force. */
export function serverSettings(cfg: ClientSettings): ServerSettings {
  const out: ServerSettings = {};
  const severity: Record<string, string> = {};
  for (const [code, level] of Object.entries(cfg.severity ?? {})) {
    if (typeof level === "string" && code.trim()) {
      // The server reports a bad value itself (showMessage + SVX902); pass it through unchanged.
      severity[code.trim().toUpperCase()] = level.trim().toLowerCase();
    }
  }
  if (Object.keys(severity).length) out.severity = severity;
  const select = strings(cfg.select);
  if (select.length) out.select = select;
  const ignore = strings(cfg.ignore);
  if (ignore.length) out.ignore = ignore;
  return out;
}
