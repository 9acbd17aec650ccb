#!/bin/sh
# contrib/completion/smtpsend.fish, driven by fish itself: the file is
# found in $fish_complete_path (as smtpsend.fish, and linked as
# sendmail.fish) and "complete -C LINE" prints what completing LINE
# offers.  Every long option of the program is offered (and declared
# with or without a value as the program takes it), every short option
# that means something, the words of every option that takes words, the
# accounts of the user's and the system file (or of -C's), the queue's
# ids; under the name sendmail only when it is smtpsend.
. "$(dirname "$0")/lib.sh"

c_need fish fish
COMPL=$C_CONTRIB/completion/smtpsend.fish
c_fixtures
mkdir -p "$T/fishcomp" && cp "$COMPL" "$T/fishcomp/smtpsend.fish" &&
	ln -s smtpsend.fish "$T/fishcomp/sendmail.fish" || q_error "cp failed"
# fish keeps its own files under XDG_DATA_HOME and XDG_CONFIG_HOME (in $T)

# comp LINE - the candidates of completing LINE, into $T/got (sorted,
# unique, without their descriptions).
comp() {
	fish -N -c 'set -p fish_complete_path $argv[1]; complete -C $argv[2]' \
		"$T/fishcomp" "$1" >"$T/got.raw" 2>"$T/got.err"
	c_rc=$?
	[ "$c_rc" -eq 0 ] || { q_dump "$T/got.err"; q_fail "'$1': exit $c_rc"; }
	cut -f1 "$T/got.raw" | sort -u >"$T/got"
}

# expect WHAT LINE PREFIX WORD... - completing LINE offers exactly the
# words (each after PREFIX, which is taken off).
expect() {
	c_what=$1 c_line=$2 c_pre=$3
	shift 3
	comp "$c_line"
	awk -v p="$c_pre" 'substr($0, 1, length(p)) == p {
		print substr($0, length(p) + 1); next } { print "?" $0 }' \
		"$T/got" >"$T/got.words"
	c_words "$@" | sed '/^$/d' >"$T/want"
	c_expect_set "$c_what: '$c_line'" "$T/want" "$T/got.words"
}

# Every long option, by name...
comp "smtpsend --"
sed -e 's/^--//' -e 's/=$//' "$T/got" | sort -u >"$T/got.opts"
c_options_in_code | sed 's/\[*=\]*$//' >"$T/code.opts"
c_expect_set "every long option" "$T/code.opts" "$T/got.opts"
# ... and declared as the program takes it: -x or -r, a value (required);
# -a alone, a value only after "=" (optional, offered as "--name=" too);
# neither, none.
awk '/^complete -c smtpsend / {
	k = ""
	if ($0 ~ / -[xr] /) k = "="; else if ($0 ~ / -a /) k = "[=]"
	for (i = 1; i < NF; i++) if ($i == "-l") print $(i + 1) k
}' "$COMPL" | sort -u >"$T/spec.opts"
c_options_in_code >"$T/code.kinds"
c_expect_set "every long option's value as the program takes it" \
	"$T/code.kinds" "$T/spec.opts"
sed -n 's/^--\(.*\)=$/\1[=]/p' "$T/got" >"$T/got.optional"
grep -F '[=]' "$T/code.kinds" >"$T/code.optional"
c_expect_set "the options with an optional value offered with \"=\"" \
	"$T/code.optional" "$T/got.optional"

# The short options' letters.
c_expect_shorts

# The words of every option that takes words, as in the source.
c_codelist choices >"$T/choices"
while read -r opt words; do
	# shellcheck disable=SC2086 # the words
	expect "the words of --$opt" "smtpsend --$opt=" "--$opt=" $words
done <"$T/choices"
expect "--color as the next word" "smtpsend --color " "" always auto never
expect "--tls=o" "smtpsend --tls=o" "--tls=" off on

# Accounts: the user's first file and the system file; -C's file alone.
expect "accounts (-a)" "smtpsend -a " "" alpha beta default gamma sysacct
expect "accounts (--account=)" "smtpsend --account=" "--account=" alpha \
	beta default gamma sysacct
expect "accounts of -C FILE" "smtpsend -C $T/other.rc -a " "" other
expect "accounts of --config=FILE" \
	"smtpsend --config=$T/other.rc --account=" "--account=" other

# Queue ids, from smtpsend --queue-list of the queue the line selects.
# shellcheck disable=SC2086 # the ids
expect "ids (--queue-show=)" "smtpsend --queue-show=" "--queue-show=" $C_IDS
# shellcheck disable=SC2086
expect "ids (--queue-remove=)" "smtpsend --queue-remove=" \
	"--queue-remove=" $C_IDS all
# shellcheck disable=SC2086
expect "ids (--queue-hold ID)" "smtpsend --queue-hold " "" $C_IDS
expect "ids of --queue-dir's queue" \
	"smtpsend --queue-dir=$T/otherq --queue-release=" "--queue-release=" \
	"$C_OTHER_ID"
comp "smtpsend -qI"
for i in $C_IDS; do
	q_expect_grep "-qI$i offered" "$T/got" "^-qI$i\$"
done

# The other names: sendmail is smtpsend here (a link)...
expect "sendmail --tls=" "sendmail --tls=" "--tls=" off on
# ... but not a sendmail that is another program.
PATH=$T/foreign:$PATH comp "sendmail --t"
q_expect_eq "a sendmail that is not smtpsend: no smtpsend options" "" \
	"$(cat "$T/got")"

q_done
