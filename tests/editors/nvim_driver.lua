-- Drives a headless Neovim through the svgx plugin and writes what it saw as JSON.
-- Inputs (environment): SVGX_PLUGIN (the plugin folder), SVGX_CMD (JSON list: the server
-- command), SVGX_FILE (the file to open), SVGX_OUT (where the JSON result goes),
-- SVGX_TIMEOUT_MS (the longest wait for each step).
local out = { steps = {} }
local timeout = tonumber(vim.env.SVGX_TIMEOUT_MS) or 60000

local function finish()
  local f = assert(io.open(vim.env.SVGX_OUT, "w"))
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd("qa!")
end

local function scratch_lines()
  local bufnr = vim.fn.bufnr("svgx://pipeline")
  if bufnr == -1 then
    return {}
  end
  return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

local function wait_for(name, cond)
  local ok = vim.wait(timeout, cond, 20)
  table.insert(out.steps, { name = name, ok = ok })
  if not ok then
    error("timed out waiting for " .. name)
  end
end

local ok, err = pcall(function()
  vim.opt.rtp:prepend(vim.env.SVGX_PLUGIN)
  local svgx = require("svgx")
  svgx.setup({ cmd = vim.fn.json_decode(vim.env.SVGX_CMD) })
  out.version = vim.version()
  vim.cmd("edit " .. vim.fn.fnameescape(vim.env.SVGX_FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  out.filetype = vim.bo[bufnr].filetype

  wait_for("diagnostics", function()
    return #vim.diagnostic.get(bufnr) > 0
  end)
  out.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      code = d.code, source = d.source, message = d.message, severity = d.severity,
    })
  end

  vim.cmd("SvgxPipeline")
  wait_for("pipeline summary", function()
    return svgx.last_summary ~= nil or svgx.last_error ~= nil
  end)
  out.summary = svgx.last_summary
  out.pipeline_lines = scratch_lines()

  local before = table.concat(scratch_lines(), "\n")
  vim.cmd("SvgxHistory")
  wait_for("history", function()
    return table.concat(scratch_lines(), "\n") ~= before
  end)
  out.history_lines = scratch_lines()

  vim.fn.setqflist({}, " ", { title = "none yet" })
  vim.cmd("SvgxValidateWorkspace")
  wait_for("quickfix", function()
    return vim.fn.getqflist({ title = 0 }).title == "svgx: workspace diagnostics"
  end)
  out.quickfix = {}
  for _, item in ipairs(vim.fn.getqflist()) do
    table.insert(out.quickfix, {
      file = vim.api.nvim_buf_get_name(item.bufnr), lnum = item.lnum, col = item.col, text = item.text,
    })
  end
end)
if not ok then
  out.error = tostring(err)
end
out.messages = vim.api.nvim_exec("messages", true)
finish()
