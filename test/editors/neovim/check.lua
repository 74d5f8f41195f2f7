-- Drives headless Neovim as a user would, with the README's configuration loaded as init.lua, and
-- writes what happened as JSON for test/editors/neovim.test.ts to assert on. Run by that test as
--
--   nvim --headless -i NONE -n --cmd 'luafile check.lua' -u init.lua -c 'lua hardener_check()' Dockerfile
--
-- `--cmd` runs this file before init.lua, so that the observers below are in place before the
-- configuration starts the server; hardener_check() runs once the Dockerfile is loaded.
--
-- Environment:
--   HARDENER_EDITOR_OUT       where to write the JSON result
--   HARDENER_NVIM_STEPS       JSON list of { line = 1-based line, title = code action to pick }
--   HARDENER_NVIM_TIMEOUT_MS  how long each wait may take (default 10000)
--
-- Every wait polls with vim.wait and a deadline; nothing sleeps a fixed time. On success Neovim
-- exits 0 after the server has stopped; on any failure the JSON carries `error` and Neovim exits 1.

local out_path = assert(os.getenv('HARDENER_EDITOR_OUT'), 'HARDENER_EDITOR_OUT is not set')
local steps = vim.json.decode(os.getenv('HARDENER_NVIM_STEPS') or '[]')
local timeout = tonumber(os.getenv('HARDENER_NVIM_TIMEOUT_MS') or '10000')

-- Every publishDiagnostics as the server sent it, observed on its way to Neovim's own handler.
local published = {}
local show_diagnostics = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  if result then
    table.insert(published, { uri = result.uri, version = result.version, diagnostics = result.diagnostics })
  end
  return show_diagnostics(err, result, ctx, config)
end

local function wait_for(what, probe)
  local value
  local ok = vim.wait(timeout, function()
    value = probe()
    return value ~= nil
  end, 10)
  if not ok then
    error(string.format('timed out after %d ms waiting for %s', timeout, what), 0)
  end
  return value
end

local function hardener_client(bufnr)
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if client.name == 'dockerfile-hardener' and client.initialized then
      return client
    end
  end
end

-- The diagnostics the server published for this buffer's current version.
local function current_diagnostics(bufnr)
  local uri = vim.uri_from_bufnr(bufnr)
  local version = vim.lsp.util.buf_versions[bufnr]
  for i = #published, 1, -1 do
    local p = published[i]
    if p.uri == uri and p.version == version then
      return p.diagnostics
    end
  end
end

-- What Neovim shows: vim.diagnostic's view of the buffer (0-based lines, byte columns).
local function shown(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      severity = vim.diagnostic.severity[d.severity],
      code = d.code,
      source = d.source,
    })
  end
  return out
end

local function lines(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

-- Picks a code action the way a user does: vim.lsp.buf.code_action() asks the server for the actions
-- at the cursor (with the line's diagnostics), offers them through vim.ui.select, and applies the
-- chosen one (asking codeAction/resolve for its edit first when the server left it out).
local function apply_code_action(bufnr, client, step)
  local record = { line = step.line, title = step.title, requests = {} }
  local request = client.request
  client.request = function(method, params, ...)
    table.insert(record.requests, method)
    if method == 'textDocument/codeAction' then
      record.context = params.context
    end
    return request(method, params, ...)
  end
  local select = vim.ui.select
  local offered
  vim.ui.select = function(items, opts, on_choice)
    offered = {}
    local choice
    for _, item in ipairs(items) do
      local action = item[2]
      table.insert(offered, action.title)
      if action.title == step.title then
        choice = item
        record.chosen = { kind = action.kind, has_edit = action.edit ~= nil, has_data = action.data ~= nil }
      end
    end
    on_choice(choice)
  end
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  local ok, err = pcall(function()
    vim.api.nvim_win_set_cursor(0, { step.line, 0 })
    vim.lsp.buf.code_action()
    record.offered = wait_for('the code actions on line ' .. step.line, function()
      return offered
    end)
    if not record.chosen then
      error(string.format('"%s" was not offered on line %d; offered: %s; context %s', step.title, step.line, vim.inspect(record.offered), vim.inspect(record.context)), 0)
    end
    wait_for('the edit of "' .. step.title .. '"', function()
      return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick or nil
    end)
    record.lines = lines(bufnr)
    record.diagnostics = wait_for('the diagnostics after "' .. step.title .. '"', function()
      return current_diagnostics(bufnr)
    end)
    record.shown = shown(bufnr)
  end)
  client.request = request
  vim.ui.select = select
  if not ok then
    error(err, 0)
  end
  return record
end

local function stop_clients()
  local clients = vim.lsp.get_active_clients()
  for _, client in ipairs(clients) do
    client.stop()
  end
  return vim.wait(timeout, function()
    for _, client in ipairs(clients) do
      if not client.is_stopped() then
        return false
      end
    end
    return true
  end, 10)
end

local function scenario(result)
  local bufnr = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[bufnr].filetype
  local client = wait_for('the dockerfile-hardener client to start and attach', function()
    return hardener_client(bufnr)
  end)
  result.clients = #vim.lsp.get_active_clients()
  result.server = client.server_capabilities and {
    codeActionProvider = client.server_capabilities.codeActionProvider,
    textDocumentSync = client.server_capabilities.textDocumentSync,
  }
  result.opened = {
    diagnostics = wait_for('the first diagnostics', function()
      return current_diagnostics(bufnr)
    end),
  }
  result.opened.shown = shown(bufnr)
  result.steps = {}
  for _, step in ipairs(steps) do
    table.insert(result.steps, apply_code_action(bufnr, client, step))
  end
end

local function write(result)
  local file = assert(io.open(out_path, 'w'))
  file:write(vim.json.encode(result))
  file:close()
end

function _G.hardener_check()
  local result = { published = published }
  local ok, err = xpcall(scenario, debug.traceback, result)
  if not ok then
    result.error = tostring(err)
  end
  result.server_stopped = stop_clients()
  write(result)
  if ok and result.server_stopped then
    vim.cmd('qall!')
  else
    vim.cmd('cquit 1')
  end
end
