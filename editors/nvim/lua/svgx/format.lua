-- Run summaries and history rows (JSON from the server) as text lines. Tolerant of missing
-- fields: the summary is another process's data.
local M = {}

local function str(t, ...)
  for _, k in ipairs({ ... }) do
    local v = t[k]
    if type(v) == "string" and v ~= "" then
      return v
    elseif type(v) == "number" then
      return tostring(v)
    end
  end
  return nil
end

function M.duration(seconds)
  if type(seconds) ~= "number" then
    return nil
  end
  if seconds < 10 then
    return string.format("%.2f s", seconds)
  elseif seconds < 60 then
    return string.format("%.1f s", seconds)
  end
  local m = math.floor(seconds / 60)
  return string.format("%d min %d s", m, math.floor(seconds - m * 60 + 0.5))
end

--- Seconds from `duration_ms` (the runner's) or `duration` (seconds).
function M.seconds(t)
  if type(t.duration_ms) == "number" then
    return t.duration_ms / 1000
  end
  return t.duration or t.duration_s
end

-- The scope of a run: `scope.system`/`scope.object` (summaries) or top-level (history rows).
local function scope_of(t)
  local scope = type(t.scope) == "table" and t.scope or t
  return str(scope, "system"), str(scope, "object")
end

--- "2 errors, 1 warning" from a `counts` table or the errors/warnings/infos keys of `counts`.
function M.counts(counts)
  if type(counts) ~= "table" then
    return nil
  end
  if type(counts.counts) == "table" then
    counts = counts.counts
  end
  local parts = {}
  for _, sev in ipairs({ "error", "warning", "info" }) do
    local n = counts[sev] or counts[sev .. "s"]
    if type(n) == "number" and n > 0 then
      table.insert(parts, string.format("%d %s%s", n, sev, n == 1 and "" or "s"))
    end
  end
  if #parts == 0 then
    return nil
  end
  return table.concat(parts, ", ")
end

local function join(list, sep)
  local out = {}
  for _, v in ipairs(list) do
    if v ~= nil and v ~= "" then
      table.insert(out, v)
    end
  end
  return table.concat(out, sep)
end

--- The lines shown for one run summary.
function M.summary(summary)
  if type(summary) ~= "table" then
    return { "No run summary." }
  end
  local dry = summary.dry_run == true or summary.dryRun == true
  local scope = {}
  local system, object = scope_of(summary)
  if system then
    table.insert(scope, "system " .. system)
  end
  if object then
    table.insert(scope, "object " .. object)
  end
  local head = string.format("Run %s: %s", str(summary, "id") or "(dry run)", str(summary, "status") or "unknown")
  if dry then
    head = head .. " (dry run)"
  end
  if #scope > 0 then
    head = head .. " — " .. table.concat(scope, ", ")
  end
  local lines = { head }
  for _, step in ipairs(type(summary.steps) == "table" and summary.steps or {}) do
    if type(step) == "table" then
      local extra = join({ M.counts(step), M.duration(M.seconds(step)) }, ", ")
      table.insert(
        lines,
        string.format("  %s: %s%s", str(step, "name", "step") or "?", str(step, "status") or "?", extra ~= "" and (" (" .. extra .. ")") or "")
      )
    end
  end
  for _, gate in ipairs(type(summary.gates) == "table" and summary.gates or {}) do
    if type(gate) == "table" then
      local detail = str(gate, "detail")
      table.insert(
        lines,
        string.format("  gate %s: %s%s", str(gate, "name", "gate") or "?", gate.passed == true and "passed" or "FAILED", detail and (" — " .. detail) or "")
      )
    end
  end
  local db = str(summary, "db", "database")
  if db then
    table.insert(lines, "  recorded in " .. db)
  end
  return lines
end

--- One line per recorded run, newest first as the server sends them.
function M.history(rows)
  if type(rows) == "table" and type(rows.runs) == "table" then
    rows = rows.runs
  end
  if type(rows) ~= "table" or #rows == 0 then
    return { "No pipeline run recorded yet." }
  end
  local lines = {}
  for _, row in ipairs(rows) do
    if type(row) == "table" and str(row, "id", "run_id") then
      local system, object = scope_of(row)
      local scope = join({ system, object }, "/")
      table.insert(
        lines,
        join({
          str(row, "id", "run_id"),
          str(row, "status") or "?",
          str(row, "started_at", "started"),
          str(row, "trigger"),
          scope ~= "" and scope or "whole workspace",
          M.counts(row),
          M.duration(M.seconds(row)),
        }, "  ")
      )
    end
  end
  return lines
end

return M
