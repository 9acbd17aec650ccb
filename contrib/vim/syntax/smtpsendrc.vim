" Vim syntax file
" Language:	smtpsend configuration file (smtpsendrc(5))
" Install as ~/.vim/syntax/smtpsendrc.vim (or in a directory of
" 'runtimepath', such as /usr/share/vim/vimfiles/syntax/), with
" ftdetect/smtpsendrc.vim next to it.
"
" A line is a directive and its argument; a line whose first character
" other than a blank is "#" is a comment ("#" later in a line is part of
" the argument).  A directive that smtpsend does not know is shown as an
" error.

if exists('b:current_syntax')
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

syn case match
syn iskeyword @,48-57,_,-,.

" The first word of a line: a directive, or an error.
syn match smtpsendrcUnknown '^\s*\zs[^#[:space:]]\S*'
      \ contains=smtpsendrcDirective,smtpsendrcNoEffect
      \ nextgroup=smtpsendrcArg

syn keyword smtpsendrcDirective contained
      \ add_missing_date_header add_missing_from_header aliases
      \ allow_from_override auth auto_from bounce bounce_to
      \ connect_timeout domain dsn_notify dsn_return fallback_hosts
      \ from from_full_name host keepbcc logfile logfile_time_format
      \ maildomain oauth2_authorization_endpoint oauth2_client_id
      \ oauth2_client_secret oauth2_client_secret_eval
      \ oauth2_device_endpoint oauth2_provider oauth2_scope
      \ oauth2_tenant oauth2_token_endpoint oauth2_trust_file
      \ password passwordeval port protocol proxy_host proxy_port
      \ queue queue_dir queue_max_age remove_bcc_headers retry_max
      \ retry_min set_date_header set_from_header set_msgid_header
      \ set_to_header socket source_ip syslog timeout tls
      \ tls_cert_file tls_certcheck tls_crl_file tls_fingerprint
      \ tls_host_override tls_key_file tls_min_dh_prime_bits
      \ tls_min_version tls_nocertcheck tls_nostarttls tls_priorities
      \ tls_starttls tls_trust_file undisclosed_recipients user
" msmtp's directives that smtpsend reads and ignores
syn keyword smtpsendrcNoEffect contained tls_force_sslv3 ntlmdomain

" The argument: the rest of the line.
syn match smtpsendrcArg '.*$' contained
      \ contains=smtpsendrcValue,smtpsendrcValueNocase,smtpsendrcString,
      \ smtpsendrcNumber,smtpsendrcPercent

syn keyword smtpsendrcValue contained on off auto system
      \ smtp lmtp tls1.2 tls1.3 undisclosed_recipients
      \ LOG_USER LOG_MAIL LOG_LOCAL0 LOG_LOCAL1 LOG_LOCAL2 LOG_LOCAL3
      \ LOG_LOCAL4 LOG_LOCAL5 LOG_LOCAL6 LOG_LOCAL7
      \ google microsoft custom
      \ never success failure delay
syn case ignore
" words whose case does not matter (the mechanisms, dsn_return's)
syn keyword smtpsendrcValueNocase contained
      \ scram-sha-256-plus scram-sha-256 scram-sha-1-plus scram-sha-1
      \ plain login cram-md5 external gssapi oauthbearer xoauth2
      \ headers hdrs full
syn case match
syn match smtpsendrcNumber contained '\<\d\+[smhd]\=\>'
syn match smtpsendrcPercent contained '%[UHCFM%]'
syn region smtpsendrcString contained start='"' skip='\\[\\"]' end='"'
      \ contains=smtpsendrcEscape oneline
syn match smtpsendrcEscape contained '\\[\\"]'

" account NAME [: PARENT[, PARENT]...], and defaults
syn match smtpsendrcAccount '^\s*\zsaccount\ze\s'
      \ nextgroup=smtpsendrcAccountName skipwhite
syn match smtpsendrcAccountName contained '[^:[:space:]]\+'
      \ nextgroup=smtpsendrcColon skipwhite
syn match smtpsendrcColon contained ':' nextgroup=smtpsendrcParents skipwhite
syn match smtpsendrcParents contained '.*$'
syn match smtpsendrcDefaults '^\s*\zsdefaults\ze\s*$'

" eval COMMAND and include FILE
syn match smtpsendrcEval '^\s*\zseval\ze\s' nextgroup=smtpsendrcCommand
      \ skipwhite
syn match smtpsendrcCommand contained '.*$'
syn match smtpsendrcInclude '^\s*\zsinclude\ze\s' nextgroup=smtpsendrcArg

syn match smtpsendrcComment '^\s*#.*$' contains=smtpsendrcTodo,@Spell
syn keyword smtpsendrcTodo contained TODO FIXME XXX NOTE

hi def link smtpsendrcUnknown Error
hi def link smtpsendrcDirective Keyword
hi def link smtpsendrcNoEffect Comment
hi def link smtpsendrcValue Constant
hi def link smtpsendrcValueNocase Constant
hi def link smtpsendrcNumber Number
hi def link smtpsendrcPercent Special
hi def link smtpsendrcString String
hi def link smtpsendrcEscape SpecialChar
hi def link smtpsendrcAccount Statement
hi def link smtpsendrcAccountName Identifier
hi def link smtpsendrcColon Delimiter
hi def link smtpsendrcParents Identifier
hi def link smtpsendrcDefaults Statement
hi def link smtpsendrcEval PreProc
hi def link smtpsendrcInclude PreProc
hi def link smtpsendrcCommand String
hi def link smtpsendrcComment Comment
hi def link smtpsendrcTodo Todo

let b:current_syntax = 'smtpsendrc'

let &cpo = s:cpo_save
unlet s:cpo_save
