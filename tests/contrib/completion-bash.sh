#!/bin/sh
# contrib/completion/smtpsend.bash, driven by bash-completion itself: the
# function "complete -p" names is called as readline would (COMP_WORDS,
# COMP_CWORD, COMP_LINE, COMP_POINT; the words broken at "=" and ":" as
# COMP_WORDBREAKS breaks them).  Every long option of the program is
# offered (with "=" as it takes a value), every short option that means
# something, the words of every option that takes words, the accounts of
# the user's and the system file (or of -C's), the queue's ids; under the
# names sendmail and mailq only when they are smtpsend.
. "$(dirname "$0")/lib.sh"

c_need bash bash
BC=/usr/share/bash-completion/bash_completion
[ -f "$BC" ] || q_fail "$BC is missing (Debian: apt-get install bash-completion)"
COMPL=$C_CONTRIB/completion/smtpsend.bash
c_fixtures

cat >"$T/drive.bash" <<'DRIVER'
# drive.bash BASH_COMPLETION COMPLETION LINE - print what completing LINE
# (the cursor at its end) offers, one a line, sorted.
. "$1" || exit 99
. "$2" || exit 99
line=$3
COMP_LINE=$line
COMP_POINT=${#line}
COMP_WORDS=()
read -ra parts <<<"$line"
for w in "${parts[@]}"; do
	while [[ $w =~ ^([^=:]*)([=:]+)(.*)$ ]]; do
		[[ -n ${BASH_REMATCH[1]} ]] && COMP_WORDS+=("${BASH_REMATCH[1]}")
		COMP_WORDS+=("${BASH_REMATCH[2]}")
		w=${BASH_REMATCH[3]}
	done
	[[ -n $w ]] && COMP_WORDS+=("$w")
done
[[ $line == *' ' ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
spec=$(complete -p "${COMP_WORDS[0]##*/}" 2>/dev/null) || {
	echo "no completion for ${COMP_WORDS[0]##*/}" >&2
	exit 98
}
fn=$(sed -n 's/.* -F \([^ ]*\) .*/\1/p' <<<"$spec")
COMPREPLY=()
"$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" \
	"${COMP_WORDS[COMP_CWORD - 1]}"
((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}" | sort -u
exit 0
DRIVER

# comp LINE - what completing LINE offers, into $T/got.
comp() {
	bash --norc --noprofile "$T/drive.bash" "$BC" "$COMPL" "$1" \
		>"$T/got" 2>"$T/got.err"
	c_rc=$?
	[ "$c_rc" -eq 0 ] || { q_dump "$T/got.err"; q_fail "'$1': exit $c_rc"; }
}

# expect WHAT LINE WORD... - completing LINE offers exactly the words.
expect() {
	c_what=$1 c_line=$2
	shift 2
	comp "$c_line"
	c_words "$@" | sed '/^$/d' >"$T/want"
	c_expect_set "$c_what: '$c_line'" "$T/want" "$T/got"
}

# The completion is registered for the three names.
bash --norc --noprofile -c '. "$1"; . "$2"; complete -p smtpsend sendmail mailq' \
	sh "$BC" "$COMPL" >"$T/spec" 2>&1
q_expect_eq "complete -p: the three names" \
	"complete -F _smtpsend smtpsend|complete -F _smtpsend sendmail|complete -F _smtpsend mailq" \
	"$(tr '\n' '|' <"$T/spec" | sed 's/|$//')"

# Every long option, in the program's own form: NAME, NAME= or NAME[=].
comp "smtpsend --"
awk '{ n = $0; sub(/^--/, "", n); e = sub(/=$/, "", n)
       if (e) eq[n] = 1; else bare[n] = 1; all[n] = 1 }
     END { for (n in all) print n (eq[n] ? (bare[n] ? "[=]" : "=") : "") }' \
	"$T/got" >"$T/got.opts"
c_options_in_code >"$T/code.opts"
c_expect_set "every long option and whether it takes a value" \
	"$T/code.opts" "$T/got.opts"

# The short options: each letter the program gives a meaning to is
# offered (-o and -b as the words that use them: -oi, -bp, ...).
c_expect_shorts

# The words of every option that takes words, as in the source.
c_codelist choices >"$T/choices"
while read -r opt words; do
	# shellcheck disable=SC2086 # the words
	expect "the words of --$opt" "smtpsend --$opt=" $words
done <"$T/choices"
expect "--tls=o" "smtpsend --tls=o" off on
expect "--quit-after=e" "smtpsend --quit-after=e" ehlo
expect "--color as the next word" "smtpsend --color " always auto never
expect "--protocol as the next word" "smtpsend -v --protocol l" lmtp
comp "smtpsend --tls "
q_expect_nogrep "--tls's value is optional: the next word is not one" \
	"$T/got" '^on$'

# Accounts: the user's first file and the system file; -C's file alone.
expect "accounts (-a)" "smtpsend -a " alpha beta default gamma sysacct
expect "accounts (--account=)" "smtpsend --account=" alpha beta default \
	gamma sysacct
expect "accounts (-a g)" "smtpsend -v -a g" gamma
expect "accounts of -C FILE" "smtpsend -C $T/other.rc -a " other
expect "accounts of --config=FILE" "smtpsend --config=$T/other.rc \
--account=" other
rm "$XDG_CONFIG_HOME/smtpsend/config"
expect "accounts of ~/.smtpsendrc when it is the user's file" \
	"smtpsend -a " notread sysacct

# Queue ids, from smtpsend --queue-list of the queue the line selects.
# shellcheck disable=SC2086 # the ids
expect "ids (--queue-show=)" "smtpsend --queue-show=" $C_IDS
# shellcheck disable=SC2086
expect "ids (--queue-remove=)" "smtpsend --queue-remove=" $C_IDS all
# shellcheck disable=SC2086
expect "ids (--queue-hold ID)" "smtpsend --queue-hold " $C_IDS
# shellcheck disable=SC2086
expect "ids (--queue-flush=)" "smtpsend --queue-flush=" $C_IDS
expect "ids of --queue-dir's queue" \
	"smtpsend --queue-dir=$T/otherq --queue-release=" "$C_OTHER_ID"
# shellcheck disable=SC2046 # the words
expect "-qIID" "smtpsend -qI" $(for i in $C_IDS; do echo "-qI$i"; done)

# The other names: sendmail and mailq are smtpsend here (links)...
expect "sendmail --tls=" "sendmail --tls=" off on
# shellcheck disable=SC2086
expect "mailq --queue-show=" "mailq --queue-show=" $C_IDS
# ... but not a sendmail that is another program.
PATH=$T/foreign:$PATH comp "sendmail --t"
q_expect_eq "a sendmail that is not smtpsend: no smtpsend options" "" \
	"$(cat "$T/got")"

q_done
