# tests/contrib/lib.sh - shared code of the tests of contrib/.
#
# Sourced (POSIX sh) by every tests/contrib/*.sh script after
# queue/lib.sh (the private $T and HOME, the mock server, the checks).
# The files under test are read from the source tree ($C_CONTRIB), so that
# a VPATH build tests what is distributed; what the program accepts comes
# from its source (codelists.pl), so that contrib/ cannot drift from it.
#
# A tool a test needs that is missing is a failure, never a skip: CI
# installs every one of them (.ci/run).

. "$(dirname "$0")/../queue/lib.sh"

C_TOP=$(cd "$q_srcdir/../.." && pwd) || q_error "no source tree"
C_CONTRIB=$C_TOP/contrib
[ -d "$C_CONTRIB" ] || q_error "$C_CONTRIB is missing"

# c_need COMMAND PACKAGE - fail at once when COMMAND is not installed.
c_need() {
	command -v "$1" >/dev/null 2>&1 ||
		q_fail "$1 is not installed (Debian: apt-get install $2)"
}

c_need perl perl

# c_codelist WHAT - a list made from the source (codelists.pl).
c_codelist() {
	perl "$q_srcdir/codelists.pl" "$C_TOP/src" "$@" ||
		q_error "codelists.pl $* failed"
}

# c_expect_set WHAT EXPECTED-FILE ACTUAL-FILE - the two files hold the
# same lines, in any order; else show what is missing and what is extra.
c_expect_set() {
	sort -u "$2" >"$T/c_want"
	sort -u "$3" >"$T/c_got"
	if cmp -s "$T/c_want" "$T/c_got"; then
		q_ok "$1 ($(wc -l <"$T/c_got" | tr -d ' ') items)"
		return 0
	fi
	q_check_fail "$1: missing: $(comm -23 "$T/c_want" "$T/c_got" |
		tr '\n' ' ')/ extra: $(comm -13 "$T/c_want" "$T/c_got" |
		tr '\n' ' ')"
	return 1
}

# c_words WORD... - the words, one a line (for c_expect_set).
c_words() { printf '%s\n' "$@"; }

# c_fixtures - what the completion tests complete against:
#   - smtpsend installed as $C_PREFIX/bin/smtpsend (a link), with the
#     system file $C_PREFIX/etc/smtpsendrc (account sysacct) and the
#     links sendmail and mailq next to it; $C_PREFIX/bin first in PATH
#   - the user's file (accounts alpha, beta, gamma, a "defaults" line)
#     and ~/.smtpsendrc (account notread: only the first user file
#     counts), and $T/other.rc (account other) for -C
#   - two messages in the queue (their ids in $C_IDS, sorted) and a
#     second queue $T/otherq with one (its id in $C_OTHER_ID)
#   - $T/foreign/sendmail, a sendmail that is not smtpsend
c_fixtures() {
	C_PREFIX=$T/prefix
	mkdir -p "$C_PREFIX/bin" "$C_PREFIX/etc" "$T/foreign" \
		"$XDG_CONFIG_HOME/smtpsend" || q_error "mkdir failed"
	for c_n in smtpsend sendmail mailq; do
		ln -s "$SMTPSEND" "$C_PREFIX/bin/$c_n" || q_error "ln failed"
	done
	printf '#!/bin/sh\nexit 0\n' >"$T/foreign/sendmail"
	chmod 755 "$T/foreign/sendmail"
	printf 'account sysacct\nhost sys.example.org\n' \
		>"$C_PREFIX/etc/smtpsendrc"
	{
		printf '# accounts\ndefaults\ntls on\n\n'
		printf 'account alpha\nhost a.example.org\n'
		printf '  account beta : alpha\n'
		printf 'account\tgamma:alpha\n'
		printf 'account default : alpha\n'
	} >"$XDG_CONFIG_HOME/smtpsend/config"
	printf 'account notread\nhost n.example.org\n' >"$HOME/.smtpsendrc"
	printf 'account other\nhost o.example.org\n' >"$T/other.rc"
	chmod 600 "$XDG_CONFIG_HOME/smtpsend/config" "$HOME/.smtpsendrc" \
		"$T/other.rc" "$C_PREFIX/etc/smtpsendrc"
	PATH=$C_PREFIX/bin:$PATH
	export PATH

	for c_i in one two; do
		q_msg "contrib-$c_i" | "$SMTPSEND" --host=127.0.0.1 --tls=off \
			--queue-only -f sender@example.org rcpt@example.net \
			>/dev/null 2>&1 || q_error "could not queue a message"
	done
	q_msg contrib-other | "$SMTPSEND" --host=127.0.0.1 --tls=off \
		--queue-only --queue-dir="$T/otherq" -f sender@example.org \
		rcpt@example.net >/dev/null 2>&1 ||
		q_error "could not queue a message"
	C_IDS=$(q_entries | sort)
	C_OTHER_ID=$(q_entries "$T/otherq")
	[ "$(echo "$C_IDS" | wc -l)" -eq 2 ] && [ -n "$C_OTHER_ID" ] ||
		q_error "the queues are not as expected"
}

# c_options_in_code - the long options (codelists.pl's form) that a
# completion must offer: all but --password, refused by name.
c_options_in_code() {
	c_codelist options | grep -v -x -F 'password[=]'
}

# c_expect_shorts - the completion of "smtpsend -" (by the test's own
# comp function, which leaves the words in $T/got) offers each short
# option's letter the code gives a meaning to, and no other.
c_expect_shorts() {
	comp "smtpsend -"
	grep -v -e '^--' "$T/got" | cut -c2 | sort -u >"$T/got.shorts"
	c_codelist shorts >"$T/code.shorts"
	c_expect_set "the short options' letters" "$T/code.shorts" \
		"$T/got.shorts"
}
