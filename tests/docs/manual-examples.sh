#!/bin/sh
# The user manual (doc/manual/*.md) shows only what this build does:
#
# 1. every configuration block fenced as ```smtpsendrc is written to a
#    file of mode 0600 and loaded: "smtpsend -C FILE -a NAME -P" must
#    succeed for every account the block defines (-P reads and checks the
#    file and the account and exits without connecting anywhere);
# 2. every long option the manual names (`--name` in inline code, and the
#    options of smtpsend, sendmail and mailq commands in inline code, in
#    ```sh blocks and on the "$ " lines of ```text blocks) is one that "smtpsend --help" or the man pages
#    smtpsend(1) and smtpsendrc(5) know;
# 3. inline code stays on one line (so that the check above sees it all),
#    and every relative link points to a file that exists.
#
# A failure names the manual's file and line.  MANUAL_DIR names another
# directory of pages (the default is doc/manual next to tests/).
. "$(dirname "$0")/../queue/lib.sh"

top=$(cd "$q_srcdir/../.." && pwd) || q_error "no source directory"
MANUAL_DIR=${MANUAL_DIR:-$top/doc/manual}
[ -d "$MANUAL_DIR" ] || q_error "no directory $MANUAL_DIR"
set -- "$MANUAL_DIR"/*.md
[ -f "$1" ] || q_error "no page in $MANUAL_DIR"
for m in "$top/man/smtpsend.1" "$top/man/smtpsendrc.5"; do
	[ -f "$m" ] || q_error "no man page $m"
done

# ---------------------------------------------------------------------------
# 1. The configuration blocks.

mkdir "$T/blocks" || q_error "cannot make $T/blocks"
# Each block goes to $T/blocks/N.rc; $T/blocks/index has "N PAGE:LINE".
awk -v dir="$T/blocks" '
FNR == 1 { page = FILENAME; sub(/^.*\//, "", page) }
inblock && /^```[ \t]*$/ { inblock = 0; close(out); next }
inblock { print > out; next }
/^```smtpsendrc[ \t]*$/ {
	n++; inblock = 1; out = dir "/" n ".rc"
	printf "" > out
	print n, page ":" FNR > (dir "/index")
	next
}
/^[ \t]+```smtpsendrc/ {
	print page ":" FNR ": an indented smtpsendrc block (not checked)" \
		> (dir "/errors")
}
END { if (inblock) print page ": a smtpsendrc block is not closed" \
	> (dir "/errors") }
' "$@" || q_error "awk failed"
if [ -s "$T/blocks/errors" ]; then
	while IFS= read -r line; do
		q_check_fail "$line"
	done <"$T/blocks/errors"
fi
[ -s "$T/blocks/index" ] || q_fail "no smtpsendrc block in $MANUAL_DIR"

# accounts FILE - the names of the accounts FILE defines, one a line.
accounts() {
	sed -n 's/^[ \t]*account[ \t][ \t]*\([^ \t:]*\).*/\1/p' "$1"
}

nblocks=0
naccounts=0
while read -r n where; do
	f=$T/blocks/$n.rc
	chmod 600 "$f"
	nblocks=$((nblocks + 1))
	names=$(accounts "$f")
	if [ -z "$names" ]; then
		q_check_fail "$where: the smtpsendrc block defines no account"
		continue
	fi
	for a in $names; do
		naccounts=$((naccounts + 1))
		"$SMTPSEND" -C "$f" -a "$a" -P </dev/null >"$T/p.out" \
			2>"$T/p.err"
		rc=$?
		if [ "$rc" -ne 0 ]; then
			# "BLOCKFILE:N: ..." becomes "PAGE:LINE: ..."
			msg=$(head -n 1 "$T/p.err" | awk -v f="$f:" \
				-v page="${where%:*}" -v base="${where##*:}" '{
				i = index($0, f)
				if (i) {
					rest = substr($0, i + length(f))
					n = rest + 0
					sub(/^[0-9]+/, "", rest)
					$0 = substr($0, 1, i - 1) page ":" \
						(base + n) rest
				}
				print }')
			q_check_fail "$where: the smtpsendrc block does not load (account $a, -P exit status $rc): $msg"
			sed 's/^/    | /' "$f" >&2
		fi
	done
done <"$T/blocks/index"
q_ok "$nblocks smtpsendrc blocks, $naccounts accounts checked"

# ---------------------------------------------------------------------------
# 2. The options.

# What smtpsend knows: --help, and the man pages with roff's escapes
# removed (\- is -, \fB...\fR are fonts).
"$SMTPSEND" --help >"$T/known" 2>&1 || q_fail "smtpsend --help failed"
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' \
	"$top/man/smtpsend.1" "$top/man/smtpsendrc.5" >>"$T/known"

# Every option mentioned, as "PAGE:LINE OPTION", and the lines with
# inline code that does not end on its line, as "PAGE:LINE !".
awk '
function options(text, from,    i, w, n, words, prog, o) {
	# the words of a command; options count after the last word that
	# runs smtpsend (or from the start, when from is 1)
	n = split(text, words, /[ \t]+/)
	prog = from
	for (i = 1; i <= n; i++) {
		w = words[i]
		if (w ~ /^(.*\/)?(smtpsend|sendmail|mailq)$/) { prog = 1; continue }
		if (!prog || w !~ /^--[a-z0-9]/) continue
		o = w; sub(/[^a-z0-9-].*$/, "", o)
		print page ":" FNR, o
	}
}
FNR == 1 { page = FILENAME; sub(/^.*\//, "", page); fence = "" }
fence != "" && /^```[ \t]*$/ { fence = ""; next }
fence == "sh" { options($0, 0); next }
fence == "text" && /^\$ / { options(substr($0, 3), 0); next }
fence != "" { next }
/^```/ { fence = substr($0, 4); sub(/[ \t].*$/, "", fence)
	if (fence == "") fence = "text"; next }
{
	line = $0
	if (gsub(/`/, "`", line) % 2) print page ":" FNR, "!"
	while (match(line, /`[^`]+`/)) {
		span = substr(line, RSTART + 1, RLENGTH - 2)
		line = substr(line, RSTART + RLENGTH)
		options(span, span ~ /^--/)
	}
}
' "$@" >"$T/options" || q_error "awk failed"

nopts=0
while read -r where opt; do
	if [ "$opt" = "!" ]; then
		q_check_fail "$where: inline code must end on its line"
		continue
	fi
	nopts=$((nopts + 1))
	if ! grep -q -e "$opt\\([^a-z0-9-]\\|\$\\)" "$T/known"; then
		q_check_fail "$where: option $opt is not in smtpsend --help nor in the man pages"
	fi
done <"$T/options"
q_ok "$nopts options checked"

# ---------------------------------------------------------------------------
# 3. Relative links: [text](target) with a target that exists.

awk '
FNR == 1 { page = FILENAME; sub(/^.*\//, "", page); fence = 0 }
/^```/ { fence = !fence; next }
fence { next }
{
	line = $0
	while (match(line, /\]\([^)]+\)/)) {
		t = substr(line, RSTART + 2, RLENGTH - 3)
		line = substr(line, RSTART + RLENGTH)
		if (t ~ /^[a-z]+:/ || t ~ /^#/) continue
		sub(/#.*$/, "", t)
		print page ":" FNR, t
	}
}
' "$@" >"$T/links" || q_error "awk failed"
nlinks=0
while read -r where target; do
	nlinks=$((nlinks + 1))
	[ -e "$MANUAL_DIR/$target" ] ||
		q_check_fail "$where: the link target $target does not exist"
done <"$T/links"
q_ok "$nlinks links checked"

q_done
