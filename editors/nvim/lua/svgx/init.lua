-- SVGX for Neovim: filetype detection, the svgx language server, and the pipeline commands.
-- Works with vim.lsp.config/vim.lsp.enable (0.11+) and falls back on vim.lsp.start_client
-- (0.7–0.10).
local format = require("svgx.format")

local M = {}

M.defaults = {
  -- The command that starts the server over stdio.
  cmd = { "svgx", "server" },
  -- Analysis settings sent as the `svgx` section of workspace/configuration, e.g.
  -- { severity = { SVX001 = "warning" }, ignore = { "SVX203" } }.
  settings = {},
  -- Files whose nearest ancestor holding one of these is the workspace root.
  root_markers = { "svgx.toml", "pyproject.toml", ".git" },
  -- Open the scratch buffer in a split (false: only fill it, :buffer svgx://pipeline).
  open_output = true,
  -- Passed through to the client config.
  on_attach = nil,
  capabilities = nil,
}

M.config = vim.deepcopy(M.defaults)

local NAME = "svgx"
local uv = vim.uv or vim.loop
local has_011 = vim.fn.has("nvim-0.11") == 1

-- Client methods are called with ':' from 0.11 on, with '.' before.
local function request(c, method, params, handler)
  if has_011 then
    return c:request(method, params, handler)
  end
  return c.request(method, params, handler)
end

local function stopped(c)
  if has_011 then
    return c:is_stopped()
  end
  return c.is_stopped()
end

-- Lua patterns of the JSON/TOML files the server knows besides .svgx (its default paths).
local PATTERNS = {
  "%.behavior%.json$",
  "/schemas/[^/]+/schema%.json$",
  "/symbols/[^/]+/[^/]+%.json$",
  "/arx%-symbol%-library/[^/]+/[^/]+%.json$",
  "/symbol_index%.json$",
  "/svgx%.toml$",
}

--- True when the server should be attached to the file at `path` of filetype `ft`.
function M.handles(path, ft)
  if ft == "svgx" or path:match("%.svgx$") then
    return true
  end
  for _, pat in ipairs(PATTERNS) do
    if path:match(pat) then
      return true
    end
  end
  return false
end

local function exists(p)
  return uv.fs_stat(p) ~= nil
end

--- The workspace root for `path`: the nearest ancestor holding a root marker, else its folder.
function M.root_dir(path)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  local cur = dir
  while true do
    for _, marker in ipairs(M.config.root_markers) do
      if exists(cur .. "/" .. marker) then
        return cur
      end
    end
    local parent = vim.fn.fnamemodify(cur, ":h")
    if parent == cur then
      return dir
    end
    cur = parent
  end
end

local function filetypes()
  vim.filetype = vim.filetype or {}
  if vim.fn.has("nvim-0.8") == 1 and vim.filetype.add then
    vim.filetype.add({ extension = { svgx = "svgx" } })
  else
    local group = vim.api.nvim_create_augroup("svgx_filetype", { clear = true })
    vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
      group = group,
      pattern = "*.svgx",
      command = "setfiletype svgx",
    })
  end
  -- *.behavior.json is json (Neovim's own detection); the server attaches to it by path.
end

local function client_config(root)
  return {
    name = NAME,
    cmd = M.config.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ":t") } },
    settings = { svgx = M.config.settings },
    capabilities = M.config.capabilities,
    on_attach = M.config.on_attach,
  }
end

-- 0.7–0.10: one client per root, attached on FileType.
local clients_by_root = {}

local function attach_legacy(bufnr)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == "" or not M.handles(path, vim.bo[bufnr].filetype) then
    return
  end
  local root = M.root_dir(path)
  local id = clients_by_root[root]
  local existing = id and vim.lsp.get_client_by_id(id)
  if not existing or stopped(existing) then
    id = vim.lsp.start_client(client_config(root))
    if not id then
      vim.notify("svgx: could not start " .. table.concat(M.config.cmd, " ") .. " (see :help svgx-troubleshooting)", vim.log.levels.ERROR)
      return
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

local function setup_lsp()
  if vim.fn.executable(M.config.cmd[1]) ~= 1 then
    vim.notify(
      "svgx: the server command '" .. M.config.cmd[1] .. "' is not executable; install the svgx Python package "
        .. "(pip install <path of an svgx checkout>; svgx is not on PyPI yet) or pass cmd = { '/path/to/svgx', 'server' } to setup()",
      vim.log.levels.ERROR
    )
  end
  if vim.lsp.config and vim.lsp.enable then
    local cfg = client_config(vim.fn.getcwd())
    cfg.root_dir = function(bufnr, on_dir)
      local path = vim.api.nvim_buf_get_name(bufnr)
      if path ~= "" and M.handles(path, vim.bo[bufnr].filetype) then
        on_dir(M.root_dir(path))
      end
    end
    cfg.workspace_folders = nil
    cfg.filetypes = { "svgx", "json", "toml" }
    vim.lsp.config(NAME, cfg)
    vim.lsp.enable(NAME)
    return
  end
  local group = vim.api.nvim_create_augroup("svgx_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = { "svgx", "json", "toml" },
    callback = function(args)
      attach_legacy(args.buf)
    end,
  })
  -- Buffers already open when setup() runs.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      attach_legacy(bufnr)
    end
  end
end

--- The running svgx client for the current buffer (or any svgx client).
function M.client()
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local bufnr = vim.api.nvim_get_current_buf()
  for _, c in ipairs(get({ bufnr = bufnr })) do
    if c.name == NAME then
      return c
    end
  end
  for _, c in ipairs(get()) do
    if c.name == NAME then
      return c
    end
  end
  return nil
end

--- Sends workspace/executeCommand; calls on_result(result) or reports the error.
function M.execute(command, args, on_result)
  local c = M.client()
  if not c then
    vim.notify("svgx: no svgx language server is running; open a .svgx file first", vim.log.levels.ERROR)
    return false
  end
  request(c, "workspace/executeCommand", { command = command, arguments = { args or vim.empty_dict() } }, function(err, result)
    if err then
      vim.notify("svgx: " .. command .. " failed: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      M.last_error = err
      return
    end
    on_result(result)
  end)
  return true
end

local SCRATCH = "svgx://pipeline"

--- Puts `lines` in the scratch buffer svgx://pipeline (created on first use) and shows it.
function M.show(lines)
  local bufnr = vim.fn.bufnr(SCRATCH)
  if bufnr == -1 then
    bufnr = vim.api.nvim_create_buf(true, true)
    vim.api.nvim_buf_set_name(bufnr, SCRATCH)
    vim.bo[bufnr].buftype = "nofile"
    vim.bo[bufnr].bufhidden = "hide"
    vim.bo[bufnr].swapfile = false
  end
  vim.bo[bufnr].modifiable = true
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, lines)
  vim.bo[bufnr].modifiable = false
  if M.config.open_output and vim.fn.bufwinnr(bufnr) == -1 then
    vim.cmd("botright split")
    vim.api.nvim_win_set_buf(0, bufnr)
  end
  return bufnr
end

function M.pipeline(opts)
  opts = opts or {}
  local args = {}
  if opts.system and opts.system ~= "" then
    args.system = opts.system
  end
  if opts.object and opts.object ~= "" then
    args.object = opts.object
  end
  if opts.dry_run then
    args.dryRun = true
  end
  if next(args) == nil then
    args = vim.empty_dict()
  end
  vim.notify("svgx: running the pipeline…", vim.log.levels.INFO)
  return M.execute("svgx.pipeline.execute", args, function(result)
    M.last_summary = result
    M.show(format.summary(result))
  end)
end

function M.history(limit)
  return M.execute("svgx.pipeline.history", { limit = limit or 20 }, function(result)
    M.show(format.history(result))
  end)
end

-- The diagnostics of every buffer from the svgx server (source "svgx"), as quickfix items.
-- By source rather than namespace: push and pull diagnostics live in different namespaces.
local function svgx_qf_items()
  local items = {}
  for _, d in ipairs(vim.diagnostic.get(nil)) do
    if d.source == "svgx" then
      table.insert(items, d)
    end
  end
  table.sort(items, function(a, b)
    local na, nb = vim.api.nvim_buf_get_name(a.bufnr), vim.api.nvim_buf_get_name(b.bufnr)
    if na ~= nb then
      return na < nb
    end
    if a.lnum ~= b.lnum then
      return a.lnum < b.lnum
    end
    return a.col < b.col
  end)
  local qf = vim.diagnostic.toqflist(items)
  for i, item in ipairs(qf) do
    local code = items[i].code
    if code then
      item.text = tostring(code) .. " " .. item.text
    end
  end
  return qf
end

function M.validate_workspace()
  return M.execute("svgx.validateWorkspace", vim.empty_dict(), function()
    -- The server publishes every file's diagnostics before it answers, so they are all here.
    local qf = svgx_qf_items()
    vim.fn.setqflist({}, " ", { title = "svgx: workspace diagnostics", items = qf })
    vim.notify(string.format("svgx: %d diagnostic(s) in the quickfix list", #qf), vim.log.levels.INFO)
    if #qf > 0 and M.config.open_output then
      vim.cmd("copen")
    end
  end)
end

local function commands()
  local function complete_systems()
    local root = M.root_dir(vim.api.nvim_buf_get_name(0) ~= "" and vim.api.nvim_buf_get_name(0) or vim.fn.getcwd() .. "/x")
    local out = {}
    for _, p in ipairs(vim.fn.glob(root .. "/**/schemas/*/schema.json", false, true)) do
      table.insert(out, vim.fn.fnamemodify(p, ":h:t"))
    end
    table.sort(out)
    return out
  end
  vim.api.nvim_create_user_command("SvgxPipeline", function(a)
    M.pipeline({ system = a.args })
  end, { nargs = "?", complete = complete_systems, desc = "Run the svgx pipeline [for one system]" })
  vim.api.nvim_create_user_command("SvgxPipelineDryRun", function(a)
    M.pipeline({ system = a.args, dry_run = true })
  end, { nargs = "?", complete = complete_systems, desc = "Dry-run the svgx pipeline (records nothing)" })
  vim.api.nvim_create_user_command("SvgxHistory", function(a)
    M.history(tonumber(a.args))
  end, { nargs = "?", desc = "Recent svgx pipeline runs in a scratch buffer" })
  vim.api.nvim_create_user_command("SvgxValidateWorkspace", function()
    M.validate_workspace()
  end, { nargs = 0, desc = "Validate every file of the workspace into the quickfix list" })
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts or {})
  filetypes()
  commands()
  setup_lsp()
end

return M
