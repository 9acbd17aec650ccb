#!/bin/sh
# The man pages and the code know the same names:
#
# 1. every long option of smtpsend (the table cli_parse reads, printed by
#    docs/names) appears as --NAME in smtpsend(1);
# 2. every --NAME written in smtpsend(1) or smtpsendrc(5) is an option of
#    smtpsend, except the few options of other programs listed below
#    (configure, git, systemctl, p11tool) and the wrong spellings that
#    the pages show being refused;
# 3. every configuration directive (conf.c's own, the settings and
#    msmtp's other spellings, printed by docs/names) appears in bold in
#    smtpsendrc(5) (.B, .BR or .BI NAME, or \fBNAME\fR);
# 4. every directive that smtpsendrc(5) documents (the items of its
#    DIRECTIVES section and the subsections of SYNTAX) is one the code
#    knows.
#
# The pages read are the sources in man/ (the names do not depend on the
# configured paths).  DOCS_NAMES names the program that prints the names
# (the default is docs/names of the build directory), MAN_SRCDIR the
# directory of the pages.
. "$(dirname "$0")/../queue/lib.sh"

top=$(cd "$q_srcdir/../.." && pwd) || q_error "no source directory"
MAN_SRCDIR=${MAN_SRCDIR:-$top/man}
DOCS_NAMES=${DOCS_NAMES:-$(pwd)/docs/names}
[ -x "$DOCS_NAMES" ] || q_error "no program $DOCS_NAMES (make check builds it)"
man1=$MAN_SRCDIR/smtpsend.1
man5=$MAN_SRCDIR/smtpsendrc.5
for m in "$man1" "$man5"; do
	[ -f "$m" ] || q_error "no man page $m"
done

# Options that the pages name but that belong to other programs, or that
# the pages show being refused.
foreign='
enable-sendmail-links
prefix
without-oauth2
sendmail-cmd
to
global
now
list-all
login
pass
hos
'

"$DOCS_NAMES" >"$T/names" || q_error "$DOCS_NAMES failed"
sed -n 's/^option //p' "$T/names" | sort -u >"$T/code-options"
sed -n 's/^directive //p' "$T/names" | sort -u >"$T/code-directives"
[ -s "$T/code-options" ] || q_error "no option printed by $DOCS_NAMES"
[ -s "$T/code-directives" ] || q_error "no directive printed by $DOCS_NAMES"

# plain PAGE - the page's text with roff's escapes for characters removed.
plain() {
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' \
		-e 's/\\(ti/~/g' -e 's/\\e/\\/g' -e 's/\\%//g' "$1"
}
plain "$man1" >"$T/man1" || q_error "sed failed"
plain "$man5" >"$T/man5" || q_error "sed failed"

# The --NAME words of a text: "--" at the start of a word.
long_words() {
	sed -e 's/^/ /' "$@" |
		grep -o -e '[] "(=,[]--[a-z0-9][a-z0-9-]*' |
		sed 's/^.--//' | sort -u
}

# ---------------------------------------------------------------------------
# 1. The code's options in smtpsend(1).

long_words "$T/man1" >"$T/man1-options"
n=0
while IFS= read -r o; do
	n=$((n + 1))
	grep -qx -e "$o" "$T/man1-options" ||
		q_check_fail "option --$o is not in smtpsend(1)"
done <"$T/code-options"
q_ok "$n options of the code looked for in smtpsend(1)"

# ---------------------------------------------------------------------------
# 2. The pages' options in the code.

printf '%s\n' $foreign | sort -u >"$T/foreign"
long_words "$T/man1" "$T/man5" >"$T/man-options"
n=0
while IFS= read -r o; do
	n=$((n + 1))
	grep -qx -e "$o" "$T/code-options" && continue
	grep -qx -e "$o" "$T/foreign" && continue
	where=$(grep -n -e "--$o\\([^a-z0-9-]\\|\$\\)" "$T/man1" "$T/man5" |
		head -n 1 | sed -e "s|^$T/man1:|smtpsend.1:|" \
		-e "s|^$T/man5:|smtpsendrc.5:|" -e 's/^\([^:]*:[0-9]*\):.*/\1/')
	q_check_fail "$where: --$o is not an option of smtpsend"
done <"$T/man-options"
q_ok "$n options of the man pages looked for in the code"

# ---------------------------------------------------------------------------
# 3. The code's directives in smtpsendrc(5).

# The bold words: the first argument of .B, .BR and .BI, and \fB...\fR.
{
	sed -n 's/^\.B[IR]*  *"*\([a-z][a-z0-9_]*\).*/\1/p' "$man5"
	grep -o -e '\\fB[a-z][a-z0-9_]*\\f[RP]' "$man5" |
		sed -e 's/^\\fB//' -e 's/\\f[RP]$//'
} | sort -u >"$T/man5-bold"
n=0
while IFS= read -r d; do
	n=$((n + 1))
	grep -qx -e "$d" "$T/man5-bold" ||
		q_check_fail "directive $d is not in smtpsendrc(5)"
done <"$T/code-directives"
q_ok "$n directives of the code looked for in smtpsendrc(5)"

# ---------------------------------------------------------------------------
# 4. The directives smtpsendrc(5) documents, in the code.

awk '
/^\.SH/ { sect = $2; next }
sect == "SYNTAX" && /^\.SS [a-z][a-z0-9_]*[ \t]*$/ { print FNR, $2; next }
sect != "DIRECTIVES" { next }
/^\.(TP|TQ)/ { item = 1; next }
item && /^\.PD/ { next }
item {
	item = 0
	w = $2; gsub(/"/, "", w)
	if (w ~ /^[a-z][a-z0-9_]*$/) print FNR, w
	else print FNR, "!" $0
}
' "$T/man5" >"$T/man5-directives" || q_error "awk failed"
n=0
while read -r line d; do
	case $d in
	!*) q_check_fail "smtpsendrc.5:$line: an item of DIRECTIVES that does not start with a directive: ${d#!}"
	    continue ;;
	esac
	n=$((n + 1))
	grep -qx -e "$d" "$T/code-directives" ||
		q_check_fail "smtpsendrc.5:$line: directive $d is not one of smtpsend"
done <"$T/man5-directives"
[ "$n" -gt 0 ] || q_fail "no directive found in smtpsendrc(5)"
q_ok "$n directives of smtpsendrc(5) looked for in the code"

q_done
