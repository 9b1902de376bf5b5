" Ward policies.
autocmd BufRead,BufNewFile *.ward setfiletype ward
