#!/usr/bin/env bash
# Neovim (Debian 12's 0.7.2), headless: open a policy with the Ward setup from
# editors/nvim, receive wardc lsp's diagnostics, hover, and format.
#   tests/editors/nvim-smoke.sh path/to/wardc
set -euo pipefail
cd "$(dirname "$0")/../.."
wardc=$(realpath "${1:-build/wardc}")
command -v nvim >/dev/null || { echo "needs nvim (apt-get install neovim)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/p"
printf '{}\n' > "$work/p/ward.json"
printf 'retry reads {\n  attempts = 3\n  on = [503]\n  per_try_timeout = 1s\n}\nidentity   sp-a : group {nonsense=1}\n' > "$work/p/a.ward"
cat > "$work/smoke.lua" <<LUA
local out = {}
require("ward").setup({ cmd = { "$wardc", "lsp" } })
vim.cmd("edit $work/p/a.ward")
table.insert(out, "filetype=" .. vim.bo.filetype)
vim.wait(10000, function() return #vim.diagnostic.get(0) > 0 end, 50)
for _, d in ipairs(vim.diagnostic.get(0)) do table.insert(out, "diagnostic=" .. tostring(d.code) .. "@" .. d.lnum) end
local hover = vim.lsp.buf_request_sync(0, "textDocument/hover",
  { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = 0, character = 7 } }, 5000)
for _, r in pairs(hover or {}) do
  if r.result then table.insert(out, "hover=" .. (r.result.contents.value:match("worst case: [^%(]*") or "?")) end
end
vim.cmd("undojoin | normal! G")
vim.api.nvim_buf_set_lines(0, 5, 6, false, { "identity   sp-a : group" })
vim.wait(5000, function() return #vim.diagnostic.get(0) == 0 or vim.diagnostic.get(0)[1].code ~= "E0301" end, 50)
vim.lsp.buf.formatting_sync(nil, 5000)
table.insert(out, "formatted=" .. vim.api.nvim_buf_get_lines(0, 5, 6, false)[1])
-- The code lens over the retry, and its command opening the generated config.
vim.lsp.codelens.refresh()
vim.wait(5000, function() return #vim.lsp.codelens.get(0) > 0 end, 50)
local lenses = vim.lsp.codelens.get(0)
if #lenses > 0 then
  table.insert(out, "lens=" .. lenses[1].range.start.line .. ":" .. lenses[1].command.title)
  local policy = vim.api.nvim_get_current_buf()
  -- As vim.lsp.codelens.run() does once a lens of the line is chosen.
  local client = vim.lsp.get_active_clients()[1]
  vim.lsp.commands[lenses[1].command.command](lenses[1].command, { client_id = client.id, bufnr = policy })
  vim.wait(5000, function() return vim.api.nvim_get_current_buf() ~= policy end, 50)
  table.insert(out, "opened=" .. vim.bo.filetype .. ":" .. vim.api.nvim_buf_get_lines(0, 0, 1, false)[1])
end
vim.fn.writefile(out, "$work/out.txt")
vim.cmd("qa!")
LUA
timeout 120 nvim --headless -u NONE -i NONE --cmd "set rtp^=$PWD/editors/nvim" --cmd "filetype on" -c "luafile $work/smoke.lua" >/dev/null 2>&1 || true
cat "$work/out.txt"
grep -qx 'filetype=ward' "$work/out.txt"
grep -qx 'diagnostic=E0301@5' "$work/out.txt"
grep -q '^hover=worst case: 3 × 1s' "$work/out.txt"
grep -qx 'formatted=identity sp-a : group' "$work/out.txt"
grep -qx 'lens=0:Ward retry config' "$work/out.txt"
grep -qx 'opened=json:{' "$work/out.txt"
echo "ok: nvim $(nvim --version | head -1 | cut -d' ' -f2): filetype, diagnostics, hover, formatting, code lens"
