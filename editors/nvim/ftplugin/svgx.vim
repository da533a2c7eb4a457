if exists("b:did_ftplugin")
  finish
endif
runtime! ftplugin/xml.vim
let b:did_ftplugin = 1
setlocal commentstring=<!--%s-->
