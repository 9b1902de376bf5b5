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

local function attach(config, bufnr)
  local root = project_root(vim.api.nvim_buf_get_name(bufnr))
  local id = clients[root]
  if not id or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client({ name = "wardc", cmd = config.cmd, root_dir = root })
    clients[root] = id
  end
  if id then vim.lsp.buf_attach_client(bufnr, id) end
end

function M.setup(options)
  local config = vim.tbl_deep_extend("force", defaults, options or {})
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
