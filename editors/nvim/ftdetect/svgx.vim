" SVGX drawings and symbols are XML with building semantics: filetype svgx (XML syntax).
autocmd BufRead,BufNewFile *.svgx setfiletype svgx
