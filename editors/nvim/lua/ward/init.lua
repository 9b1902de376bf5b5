-- Ward in Neovim (0.7 or later): `.ward` files get the `ward` filetype and
-- `wardc lsp`, one server per project (the directory with ward.json, else
-- the git top level, else the file's directory).
--
--   require("ward").setup()                      -- wardc on PATH
--   require("ward").setup({ cmd = { "/opt/ward/bin/wardc", "lsp" } })
local M = {}

local defaults = { cmd = { "wardc", "lsp" } }
local clients = {} -- root directory -> client id

-- The project of `file`: the nearest directory above it with ward.json, else
-- the git top level, else its own directory.
local function project_root(file)
  local dir = vim.fn.fnamemodify(file, ":p:h")
  local config = vim.fn.findfile("ward.json", dir .. ";")
  if config ~= "" then return vim.fn.fnamemodify(config, ":p:h") end
  local git = vim.fn.finddir(".git", dir .. ";")
  if git ~= "" then return vim.fn.fnamemodify(git, ":p:h:h") end
  return dir
end

-- A code lens's command: the generated text it names, in a scratch buffer.
local function show_generated(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local uri, artifact = command.arguments[1], command.arguments[2]
  client.request("ward/generated", { uri = uri, artifact = artifact }, function(err, result)
    if err then
      vim.notify("ward: " .. err.message, vim.log.levels.WARN)
      return
    end
    vim.cmd("botright new")
    local buf = vim.api.nvim_get_current_buf()
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(result.text, "\n", { plain = true }))
    vim.bo[buf].buftype = "nofile"
    vim.bo[buf].bufhidden = "wipe"
    vim.bo[buf].modifiable = false
    vim.bo[buf].filetype = result.language
    pcall(vim.api.nvim_buf_set_name, buf, "ward://" .. artifact)
  end)
end

-- Code lenses (what each declaration generates) are refreshed as the buffer
-- changes; `:lua vim.lsp.codelens.run()` opens one's text.
local function on_attach(client, bufnr)
  if not client.server_capabilities.codeLensProvider then return end
  vim.api.nvim_create_autocmd({ "BufEnter", "InsertLeave", "TextChanged" }, {
    buffer = bufnr,
    group = vim.api.nvim_create_augroup("ward-codelens-" .. bufnr, { clear = true }),
    callback = function() vim.lsp.codelens.refresh() end,
  })
  vim.lsp.codelens.refresh()
end

local function attach(config, bufnr)
  local root = project_root(vim.api.nvim_buf_get_name(bufnr))
  local id = clients[root]
  if not id or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client({ name = "wardc", cmd = config.cmd, root_dir = root, on_attach = on_attach })
    clients[root] = id
  end
  if id then vim.lsp.buf_attach_client(bufnr, id) end
end

function M.setup(options)
  local config = vim.tbl_deep_extend("force", defaults, options or {})
  vim.lsp.commands["ward.showGenerated"] = show_generated
  vim.filetype.add({ extension = { ward = "ward" } })
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "ward",
    group = vim.api.nvim_create_augroup("ward-lsp", { clear = true }),
    callback = function(event)
      vim.bo[event.buf].commentstring = "// %s"
      attach(config, event.buf)
    end,
  })
end

return M
