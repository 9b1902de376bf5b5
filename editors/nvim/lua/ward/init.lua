-- Ward in Neovim (0.10 or later): `.ward` files get the `ward` filetype and
-- `wardc lsp`, started once per project (the directory with ward.json, else
-- the git top level, else the file's directory).
--
--   require("ward").setup()                      -- wardc on PATH
--   require("ward").setup({ cmd = { "/opt/ward/bin/wardc", "lsp" } })
local M = {}

local defaults = {
  cmd = { "wardc", "lsp" },
  root_markers = { "ward.json", ".git" },
}

function M.setup(options)
  local config = vim.tbl_deep_extend("force", defaults, options or {})
  vim.filetype.add({ extension = { ward = "ward" } })
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "ward",
    group = vim.api.nvim_create_augroup("ward-lsp", { clear = true }),
    callback = function(event)
      vim.bo[event.buf].commentstring = "// %s"
      local file = vim.api.nvim_buf_get_name(event.buf)
      local marker = vim.fs.find(config.root_markers, { path = vim.fs.dirname(file), upward = true })[1]
      vim.lsp.start({
        name = "wardc",
        cmd = config.cmd,
        root_dir = marker and vim.fs.dirname(marker) or vim.fs.dirname(file),
      }, { bufnr = event.buf })
    end,
  })
end

return M
