#!/bin/sh
# submit-git-send-email.sh - a patch made with "git format-patch" in a
# temporary repository and sent with "git send-email --sendmail-cmd=..."
# (which runs "smtpsend -C CONFIG -a interop -i RECIPIENT", under its own
# name) must arrive intact: the Subject is the patch's, From, Date and
# Message-ID are the ones git send-email wrote (nothing added twice), the
# body is the patch's body exactly, its diff lines included, and the
# delivered message applies with "git am" to give the very same tree.
# Runs against a private Postfix + Dovecot on loopback: see lib.sh and
# doc/interop.md.
. "$(dirname "$0")/lib.sh"

case ${INTEROP_CLIENT:-smtpsend} in
smtpsend) gs_client=$SMTPSEND ;;
msmtp) gs_client=$(command -v msmtp) ;;
*) it_skip "${INTEROP_CLIENT} cannot stand in for sendmail" ;;
esac
command -v git >/dev/null 2>&1 || it_skip "git is not installed"
# git send-email (Debian: git-email and its perl modules) must run, and
# know --sendmail-cmd (git 2.33 and later).
git send-email --dump-aliases </dev/null >/dev/null 2>&1 ||
	it_skip "git send-email does not run (apt-get install git-email)"
git send-email -h 2>&1 | grep -q -e '--sendmail-cmd' ||
	it_skip "this git send-email has no --sendmail-cmd (git 2.33 or later)"
it_start

# ---------------------------------------------------------------------------
# git in a world of its own: HOME in the temporary directory, no system
# configuration, no inherited repository.

gs_home=$it_dir/home
mkdir -p "$gs_home"
HOME=$gs_home
GIT_CONFIG_NOSYSTEM=1
export HOME GIT_CONFIG_NOSYSTEM
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
	GIT_CONFIG GIT_CONFIG_GLOBAL GIT_CONFIG_PARAMETERS GIT_CEILING_DIRECTORIES \
	GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL \
	XDG_CONFIG_HOME XDG_STATE_HOME
gs_name="Interop Tester"
gs_from="$gs_name <$IT_FROM>"

# The client's configuration (mode 0600: it holds the password).
gs_conf=$it_dir/client.conf
(
	umask 077
	{
		echo "# Written by tests/interop/$it_name.sh."
		echo "account interop"
		echo "host 127.0.0.1"
		echo "port $it_port_starttls"
		echo "tls on"
		echo "tls_starttls on"
		echo "tls_trust_file $it_dir/tls/ca.pem"
		echo "domain client.test"
		echo "auth plain"
		echo "user $IT_USER"
		echo "password $IT_PASS"
		echo "from $IT_FROM"
		# A failure must show in the exit status (git send-email
		# reports it), not wait in a queue.
		[ "${INTEROP_CLIENT:-smtpsend}" != smtpsend ] || echo "queue off"
	} >"$gs_conf"
)

# ---------------------------------------------------------------------------
# A repository with two commits; the second one is the patch.

repo=$it_dir/repo
mkdir -p "$repo"
cd "$repo" || it_error "cannot enter $repo"
git -c init.defaultBranch=main init -q . || it_error "git init failed"
git config user.name "$gs_name"
git config user.email "$IT_FROM"
git config commit.gpgsign false
{
	printf 'Notes for the interop test.\n'
	printf '\tindented with a tab\n'
	printf 'unchanged line\n'
	printf 'to be removed\n'
	printf 'the end\n'
} >notes.txt
git add notes.txt || it_error "git add failed"
git commit -q -m "interop: the base" || it_error "git commit (base) failed"
{
	printf 'Notes for the interop test.\n'
	printf '\tindented with a tab\n'
	printf '.\n'
	printf '..\n'
	printf '.starts with a dot\n'
	printf 'unchanged line\n'
	printf 'trailing spaces   \n'
	printf '8-bit: caf\303\251, Gr\303\274\303\237e\n'
	printf 'the end\n'
} >notes.txt
printf 'a new file\n' >new-file.txt
# The commit message keeps its lines as written: lines that need
# dot-stuffing, one that mbox would quote, 8-bit text.
{
	printf 'interop: a patch sent by git send-email through the client under test\n'
	printf '\n'
	printf 'The body of the commit message.\n'
	printf '.\n'
	printf '.. two dots\n'
	printf 'From the start of a line.\n'
	printf 'Gr\303\274\303\237e.\n'
	printf '\n'
	printf 'Signed-off-by: %s\n' "$gs_from"
} >"$it_dir/commit-msg"
git add notes.txt new-file.txt || it_error "git add failed"
git commit -q --cleanup=verbatim -F "$it_dir/commit-msg" ||
	it_error "git commit (patch) failed"
git format-patch -q -1 -o "$it_dir/patches" >/dev/null ||
	it_error "git format-patch failed"
patch=$(find "$it_dir/patches" -name '0001-*.patch' | head -n 1)
[ -n "$patch" ] || it_error "git format-patch wrote no patch"

# ---------------------------------------------------------------------------
# Send it.

# git runs it through sh -c, with "-i RECIPIENT" appended.  (msmtp takes
# the same options.)
gs_cmd="'$gs_client' -C '$gs_conf' -a interop"
[ -z "${INTEROP_VERBOSE:-}" ] || gs_cmd="$gs_cmd -v"
: >"$it_dir/client.err"
it_log "running: git send-email --sendmail-cmd=\"$gs_cmd\" --to=$IT_RCPT" \
	"--from=\"$gs_from\" --confirm=never --suppress-cc=all --no-thread" \
	"${patch##*/}"
timeout 60 git send-email --sendmail-cmd="$gs_cmd" --to="$IT_RCPT" \
	--from="$gs_from" --confirm=never --suppress-cc=all --no-thread \
	"$patch" </dev/null >"$it_dir/send-email.out" 2>"$it_dir/client.err"
rc=$?
echo "----- git send-email output -----" >&2
cat "$it_dir/send-email.out" "$it_dir/client.err" >&2
[ "$rc" -eq 0 ] || it_fail "git send-email exited $rc, not 0"

it_wait_delivered 1
[ "$(it_count_new)" -eq 1 ] ||
	it_fail "$(it_count_new) messages delivered for one, not exactly one"
got=$(find "$it_maildir/new" -type f)
it_strip_trace "$got" >"$it_dir/delivered"
d=$it_dir/delivered

# ---------------------------------------------------------------------------
# Checks.

# gs_header FILE NAME: the values of every NAME header field of FILE,
# unfolded, one a line.  An mbox "From " line on top is skipped.
gs_header() {
	perl -0777 -ne '
		BEGIN { $name = shift }
		s/\AFrom [^\n]*\n//;
		($h) = /\A(.*?\n)\n/s or $h = $_;
		$h =~ s/\n([ \t])/$1/g;
		for (split /\n/, $h) { print "$1\n" if /^\Q$name\E:[ \t]*(.*?)[ \t]*$/i }
	' "$2" "$1"
}

# gs_one FILE NAME: the single NAME field of FILE; fail if there are none
# or several.
gs_one() {
	n=$(gs_header "$1" "$2" | wc -l)
	[ "$n" -eq 1 ] || it_fail "$n $2 header fields in ${1##*/}, not 1"
	gs_header "$1" "$2"
}

# gs_body FILE: the body of FILE, after the first empty line.
gs_body() { perl -0777 -pe 's/\A.*?\n\n//s or $_ = ""' "$1"; }

# gs_diff FILE: the diff lines of a patch, from the first "diff --git" line
# to the end of the message (the "-- " signature included).
gs_diff() { sed -n '/^diff --git /,$p' "$1"; }

# gs_cmp WANT GOT WHAT: compare two files, and show the difference.
gs_cmp() {
	cmp "$1" "$2" >&2 && return 0
	echo "----- diff $3: sent delivered (cat -A) -----" >&2
	cat -A "$1" >"$it_dir/want.txt"
	cat -A "$2" >"$it_dir/got.txt"
	diff -u "$it_dir/want.txt" "$it_dir/got.txt" >&2
	return 1
}

want=$(gs_one "$patch" Subject) || exit 1
v=$(gs_one "$d" Subject) || exit 1
[ "$v" = "$want" ] || it_fail "Subject is '$v', not the patch's '$want'"
v=$(gs_one "$d" From) || exit 1
[ "$v" = "$gs_from" ] || it_fail "From is '$v', not '$gs_from'"
v=$(gs_one "$d" To) || exit 1
[ "$v" = "$IT_RCPT" ] || it_fail "To is '$v', not '$IT_RCPT'"
grep -q "^Return-Path: <$IT_FROM>\$" "$got" ||
	it_fail "the envelope sender is not $IT_FROM: $(grep '^Return-Path:' "$got")"
gs_one "$d" Date >/dev/null || exit 1
# The Message-ID is the one git send-email wrote (and printed).
v=$(gs_one "$d" Message-ID) || exit 1
sent=$(sed -n 's/^Message-I[dD]: *//p' "$it_dir/send-email.out" | head -n 1)
if [ -n "$sent" ]; then
	[ "$v" = "$sent" ] ||
		it_fail "Message-ID is '$v', not the one git send-email wrote, '$sent'"
fi

gs_diff "$patch" >"$it_dir/want-diff"
gs_diff "$d" >"$it_dir/got-diff"
[ -s "$it_dir/want-diff" ] || it_error "no diff lines in the patch"
gs_cmp "$it_dir/want-diff" "$it_dir/got-diff" "of the diff lines" ||
	it_fail "the delivered diff differs from the patch's"
gs_body "$patch" >"$it_dir/want-body"
gs_body "$d" >"$it_dir/got-body"
gs_cmp "$it_dir/want-body" "$it_dir/got-body" "of the bodies" ||
	it_fail "the delivered body differs from the patch's"
it_log "Subject, From, To, Date, Message-ID, body and diff as sent" \
	"($(wc -l <"$it_dir/want-diff") diff lines)"

# The delivered message, applied on top of the parent commit, gives the
# same tree as the commit it was made from.
git checkout -q -b delivered HEAD~1 || it_error "git checkout failed"
git am -q --whitespace=nowarn "$d" >&2 || it_fail "git am cannot apply the delivered message"
[ "$(git rev-parse 'delivered^{tree}')" = "$(git rev-parse 'main^{tree}')" ] ||
	it_fail "git am of the delivered message gives another tree"
it_log "git am of the delivered message gives the original tree"
it_log "PASS: git send-email through smtpsend: the patch arrived intact"
