#!/bin/sh
# contrib/vim: vim (vim -es, no vimrc) finds the filetype of smtpsend's
# configuration files with ftdetect/smtpsendrc.vim and loads
# syntax/smtpsendrc.vim without an error; every directive of the program
# (from its source) is highlighted as one, an unknown one as an error,
# every word a directive takes as a value, comments as comments, and the
# parts of an account line as such; the example files of contrib/ have
# no unknown directive.
. "$(dirname "$0")/lib.sh"

c_need vim vim
mkdir -p "$T/rtp" && cp -R "$C_CONTRIB/vim/." "$T/rtp/" &&
	chmod -R u+w "$T/rtp" ||
	q_error "cp failed"

# synat.vim: for every line of the buffer, "LINE-TEXT<TAB>GROUP@COL..."
# with the syntax group at the column of each word of the line.
cat >"$T/synat.vim" <<'VIM'
let s:out = []
call add(s:out, 'filetype=' . &filetype)
for s:l in range(1, line('$'))
	let s:text = getline(s:l)
	let s:groups = []
	let s:col = 0
	while 1
		let s:m = matchstrpos(s:text, '\S\+', s:col)
		if s:m[1] < 0
			break
		endif
		call add(s:groups, s:m[0] . '=' .
			\ synIDattr(synID(s:l, s:m[1] + 1, 1), 'name'))
		let s:col = s:m[2]
	endwhile
	call add(s:out, join(s:groups, ' '))
endfor
call writefile(s:out, $SYNOUT)
VIM

# syn FILE - open FILE in vim; the groups into $T/syn (first line the
# filetype), vim's messages into $T/vim.msg.
syn() {
	rm -f "$T/syn"
	SYNOUT=$T/syn vim -es -N -u NONE -i NONE \
		-c "set rtp^=$T/rtp" -c 'filetype on' -c 'syntax on' \
		-c "redir! > $T/vim.msg" -c "edit $1" -c "source $T/synat.vim" \
		-c 'redir END' -c 'if v:errmsg != "" | cquit | endif' \
		-c 'qall!' </dev/null >"$T/vim.out" 2>&1
	c_rc=$?
	[ "$c_rc" -eq 0 ] && [ -s "$T/syn" ] || {
		q_dump "$T/vim.out" "$T/vim.msg"
		q_fail "vim on ${1##*/}: exit $c_rc"
	}
	q_expect_nogrep "vim on ${1##*/}: no error message" "$T/vim.msg" \
		'^E[0-9]'
}

# The filetype, by name.
mkdir -p "$T/cfg/smtpsend"
for f in .smtpsendrc smtpsendrc gmail.smtpsendrc smtpsend/config; do
	printf 'host a.example.org\n' >"$T/cfg/$f"
	syn "$T/cfg/$f"
	q_expect_eq "the filetype of $f" filetype=smtpsendrc "$(head -n 1 "$T/syn")"
done
printf 'host a.example.org\n' >"$T/cfg/other.conf"
syn "$T/cfg/other.conf"
q_expect_eq "another file is not smtpsendrc" filetype= "$(head -n 1 "$T/syn")"

# Every directive of the program, as a directive ("defaults" alone, the
# others with an argument); an unknown one, as an error.
c_codelist directives >"$T/directives"
f=$T/cfg/directives.smtpsendrc
sed '/^defaults$/!s/$/ x/' "$T/directives" >"$f"
printf 'no_such_directive x\n' >>"$f"
syn "$f"
sed 1d "$T/syn" | sed -n 's/^\([^ =]*\)=smtpsendrc\(Directive\|NoEffect\|Account\|Defaults\|Eval\|Include\)\( .*\)\{0,1\}$/\1/p' \
	>"$T/got"
c_expect_set "every directive of the program is one" "$T/directives" "$T/got"
q_expect_eq "an unknown directive is an error" \
	"no_such_directive=smtpsendrcUnknown x=smtpsendrcArg" "$(tail -n 1 "$T/syn")"

# Every word a directive takes, as a value.
c_codelist words >"$T/words"
f=$T/cfg/words.smtpsendrc
sed 's/^/tls /' "$T/words" >"$f"
syn "$f"
sed 1d "$T/syn" | sed -n 's/^tls=smtpsendrcDirective \([^ =]*\)=smtpsendrcValue\(Nocase\)\{0,1\}$/\1/p' >"$T/got"
c_expect_set "every word of the directives is a value" "$T/words" "$T/got"

# Comments, quoted arguments, accounts.
f=$T/cfg/lines.smtpsendrc
{
	printf '# a comment\n'
	printf '   # an indented one\n'
	printf 'host a#b\n'
	printf 'account work : base, other\n'
	printf 'defaults\n'
	printf 'password "se cret"\n'
	printf 'include ~/.smtpsend.d\n'
	printf 'eval pass show smtp\n'
	printf 'auth SCRAM-SHA-256\n'
	printf 'syslog log_mail\n'
} >"$f"
syn "$f"
sed 1d "$T/syn" >"$T/got"
cat >"$T/want" <<'WANT'
#=smtpsendrcComment a=smtpsendrcComment comment=smtpsendrcComment
#=smtpsendrcComment an=smtpsendrcComment indented=smtpsendrcComment one=smtpsendrcComment
host=smtpsendrcDirective a#b=smtpsendrcArg
account=smtpsendrcAccount work=smtpsendrcAccountName :=smtpsendrcColon base,=smtpsendrcParents other=smtpsendrcParents
defaults=smtpsendrcDefaults
password=smtpsendrcDirective "se=smtpsendrcString cret"=smtpsendrcString
include=smtpsendrcInclude ~/.smtpsend.d=smtpsendrcArg
eval=smtpsendrcEval pass=smtpsendrcCommand show=smtpsendrcCommand smtp=smtpsendrcCommand
auth=smtpsendrcDirective SCRAM-SHA-256=smtpsendrcValueNocase
syslog=smtpsendrcDirective log_mail=smtpsendrcArg
WANT
if cmp -s "$T/want" "$T/got"; then
	q_ok "comments, a \"#\" in an argument, account, defaults, quotes, include, eval, case"
else
	q_check_fail "the groups of lines.smtpsendrc differ"
	diff "$T/want" "$T/got" >&2
fi

# The example files of contrib/: not a word shown as an error.
for f in "$C_CONTRIB"/examples/*.smtpsendrc "$C_CONTRIB"/oauth2/*.smtpsendrc
do
	syn "$f"
	q_expect_nogrep "${f#"$C_CONTRIB"/}: no unknown directive" "$T/syn" \
		'=smtpsendrcUnknown'
	q_expect_grep "${f#"$C_CONTRIB"/}: highlighted" "$T/syn" \
		'^account=smtpsendrcAccount '
done

q_done
