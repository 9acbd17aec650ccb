#!/bin/sh
# contrib/completion/_smtpsend, driven by zsh itself: an interactive zsh
# on a pseudo-terminal (zsh/zpty) with compinit and the file in $fpath is
# sent a line and a TAB; a compadd wrapper writes down every match the
# completion system adds.  Every long option of the program is offered
# (and declared with or without a value as the program takes it), every
# short option that means something, the words of every option that takes
# words, the accounts of the user's and the system file (or of -C's), the
# queue's ids; under the name sendmail only when it is smtpsend.
. "$(dirname "$0")/lib.sh"

c_need zsh zsh
zsh -f -c 'zmodload zsh/zpty' 2>/dev/null ||
	q_fail "zsh has no zsh/zpty module"
COMPL=$C_CONTRIB/completion/_smtpsend
c_fixtures
mkdir -p "$T/fpath" && cp "$COMPL" "$T/fpath/" || q_error "cp failed"

# What the interactive zsh sources: compinit (its dump in $T, so that only
# the first run pays for it), then a TAB that completes and lists nothing
# but writes the matches to $CAPTURE and says it is done.
cat >"$T/init.zsh" <<'INIT'
fpath=($COMPDIR $fpath)
autoload -U compinit && compinit -u -d $COMPDUMP
compadd() {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
		builtin compadd "$@"
		return
	fi
	local -a __hits
	builtin compadd -A __hits "$@"
	(( $#__hits )) && print -rl -- "${__hits[@]}" >>$CAPTURE
	builtin compadd "$@"
}
_capture_done() { compstate[list]=''; compstate[insert]=''; : >$CAPTURE.done; }
_capture_complete() { comppostfuncs=(_capture_done); _main_complete "$@"; }
zle -C capture-complete complete-word _capture_complete
bindkey '^I' capture-complete
INIT
cat >"$T/drive.zsh" <<'DRIVER'
# drive.zsh INIT LINE OUT - what completing LINE offers, into OUT
zmodload zsh/zpty || exit 99
init=$1 line=$2 out=$3
: >$out
rm -f $out.done
zpty z zsh -f -i
zpty -w z "export CAPTURE=${(q)out}; source ${(q)init}"
zpty -w z "$line"$'\t'
# at most 60 s (the first compinit is slow)
for i in {1..600}; do
	zpty -r -t z buf >/dev/null
	[[ -e $out.done ]] && break
	sleep 0.1
done
zpty -d z
[[ -e $out.done ]] || exit 98
DRIVER
COMPDIR=$T/fpath COMPDUMP=$T/zcompdump
export COMPDIR COMPDUMP

# comp LINE - what completing LINE offers, into $T/got (sorted, unique).
comp() {
	zsh -f "$T/drive.zsh" "$T/init.zsh" "$1" "$T/got.raw" \
		>"$T/got.err" 2>&1
	c_rc=$?
	[ "$c_rc" -eq 0 ] || { q_dump "$T/got.err"; q_fail "'$1': exit $c_rc"; }
	sort -u "$T/got.raw" >"$T/got"
}

# expect WHAT LINE WORD... - completing LINE offers exactly the words.
expect() {
	c_what=$1 c_line=$2
	shift 2
	comp "$c_line"
	c_words "$@" | sed '/^$/d' >"$T/want"
	c_expect_set "$c_what: '$c_line'" "$T/want" "$T/got"
}

# Every long option, by name...
comp "smtpsend --"
sed 's/^--//' "$T/got" >"$T/got.opts"
c_options_in_code | sed 's/\[*=\]*$//' >"$T/code.opts"
c_expect_set "every long option" "$T/code.opts" "$T/got.opts"
# ... and declared as the program takes it: "--name=-[" a value after
# "=" only (optional), "--name=[" a value (required), "--name[" none
# (or "{-C+,--config=,--file=}[" for several names).
grep -v '^#' "$COMPL" | grep -o -e '--[a-z0-9-]*=\{0,1\}-\{0,1\}[[,}]' |
	sed -e 's/^--//' -e 's/=-[[,}]$/[=]/' -e 's/[[,}]$//' | sort -u \
	>"$T/spec.opts"
c_options_in_code >"$T/code.kinds"
c_expect_set "every long option's value as the program takes it" \
	"$T/code.kinds" "$T/spec.opts"

# The short options' letters.
c_expect_shorts

# The words of every option that takes words, as in the source.
c_codelist choices >"$T/choices"
while read -r opt words; do
	# shellcheck disable=SC2086 # the words
	expect "the words of --$opt" "smtpsend --$opt=" $words
done <"$T/choices"
expect "--color as the next word" "smtpsend --color " always auto never

# Accounts: the user's first file and the system file; -C's file alone.
expect "accounts (-a)" "smtpsend -a " alpha beta default gamma sysacct
expect "accounts (--account=)" "smtpsend --account=" alpha beta default \
	gamma sysacct
expect "accounts of -C FILE" "smtpsend -C $T/other.rc -a " other
expect "accounts of --config=FILE" \
	"smtpsend --config=$T/other.rc --account=" other

# Queue ids, from smtpsend --queue-list of the queue the line selects.
# shellcheck disable=SC2086 # the ids
expect "ids (--queue-show=)" "smtpsend --queue-show=" $C_IDS
# shellcheck disable=SC2086
expect "ids (--queue-remove=)" "smtpsend --queue-remove=" $C_IDS all
# shellcheck disable=SC2086
expect "ids (--queue-hold ID)" "smtpsend --queue-hold " $C_IDS
expect "ids of --queue-dir's queue" \
	"smtpsend --queue-dir=$T/otherq --queue-release=" "$C_OTHER_ID"
# shellcheck disable=SC2086
expect "ids after -qI" "smtpsend -qI" $C_IDS

# The other names: sendmail is smtpsend here (a link)...
expect "sendmail --tls=" "sendmail --tls=" off on
# ... but not a sendmail that is another program.
PATH=$T/foreign:$PATH comp "sendmail --t"
q_expect_eq "a sendmail that is not smtpsend: no smtpsend options" "" \
	"$(cat "$T/got")"

q_done
