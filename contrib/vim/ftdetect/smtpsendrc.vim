" Vim filetype detection for smtpsend's configuration files (smtpsendrc(5)):
" ~/.smtpsendrc, $XDG_CONFIG_HOME/smtpsend/config, the system file
" smtpsendrc, and files named *.smtpsendrc (such as the examples).
" Install as ~/.vim/ftdetect/smtpsendrc.vim (or in a directory of
" 'runtimepath', such as /usr/share/vim/vimfiles/ftdetect/).
autocmd BufRead,BufNewFile .smtpsendrc,smtpsendrc,*.smtpsendrc
      \ setfiletype smtpsendrc
autocmd BufRead,BufNewFile */smtpsend/config,*/smtpsend/config.d/*
      \ setfiletype smtpsendrc
