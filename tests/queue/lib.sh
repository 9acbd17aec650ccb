# tests/queue/lib.sh - shared code of the local mail queue tests.
#
# Sourced (POSIX sh) by every tests/queue/*.sh script, found next to the
# script ("$(dirname "$0")/lib.sh"), so that a VPATH build works.
#
# It gives every test a private temporary directory ($T) with HOME and the
# XDG directories inside it (so the queue is $T/home/.local/state/smtpsend/
# queue, $QDIR), removed again by a trap; it starts and stops
# "smtpmock --serve" servers in the background; it counts the messages a
# server received and lists the entries of the queue.  Every wait is a
# bounded loop (a maximum number of tries, a sleep between them).
#
# Environment:
#   SMTPSEND    absolute path of the client (set by tests/Makefile.am)
#   SMTPMOCK    absolute path of the mock server (set by tests/Makefile.am)
#   QUEUE_KEEP  if non-empty, keep the temporary directory (and say where)
#
# Exit statuses follow automake: 0 pass, 1 fail, 77 skip, 99 hard error.

LC_ALL=C
export LC_ALL
TZ=UTC
export TZ

q_name=${0##*/}
q_name=${q_name%.sh}
q_srcdir=$(dirname "$0")
T=
q_failures=0

q_log() { printf '%s: %s\n' "$q_name" "$*" >&2; }

# q_dump FILE... - show files (a failure's evidence) in the test's log.
q_dump() {
	for q_f in "$@"; do
		[ -s "$q_f" ] || continue
		echo "----- ${q_f#"$T"/} -----" >&2
		# LC_ALL=C tr: make CRs visible, keep the log readable
		tail -n 80 "$q_f" | tr '\r' '~' >&2
	done
}

q_skip() { q_log "SKIP: $*"; exit 77; }
q_error() { q_log "ERROR: $*"; exit 99; }

# q_fail MSG - a failure that ends the test at once.
q_fail() {
	q_log "FAIL: $*"
	exit 1
}

# q_check_fail MSG - a failure; the test goes on, q_done fails it.
q_check_fail() {
	q_log "FAIL: $*"
	q_failures=$((q_failures + 1))
}

q_ok() { q_log "ok: $*"; }

# q_expect_eq WHAT EXPECTED ACTUAL
q_expect_eq() {
	if [ "$2" = "$3" ]; then
		q_ok "$1: $3"
	else
		q_check_fail "$1: expected '$2', got '$3'"
	fi
}

# q_expect_grep WHAT FILE PATTERN - FILE has a line matching the BRE.
q_expect_grep() {
	if grep -e "$3" "$2" >/dev/null 2>&1; then
		q_ok "$1"
	else
		q_check_fail "$1: no line matching '$3' in ${2#"$T"/}"
		q_dump "$2"
	fi
}

# q_expect_nogrep WHAT FILE PATTERN - no line of FILE matches the BRE.
q_expect_nogrep() {
	if grep -e "$3" "$2" >/dev/null 2>&1; then
		q_check_fail "$1: a line matches '$3' in ${2#"$T"/}"
		q_dump "$2"
	else
		q_ok "$1"
	fi
}

# q_done - the end of a test: pass, or fail with the number of failures.
q_done() {
	if [ "$q_failures" -gt 0 ]; then
		q_log "$q_failures check(s) failed"
		exit 1
	fi
	q_log "PASS"
	exit 0
}

# ---------------------------------------------------------------------------
# Preconditions and the private directory.

[ -n "${SMTPSEND-}" ] || q_error "SMTPSEND is not set (run through make check)"
[ -n "${SMTPMOCK-}" ] || q_error "SMTPMOCK is not set (run through make check)"
[ -x "$SMTPSEND" ] || q_error "SMTPSEND=$SMTPSEND is not executable"
[ -x "$SMTPMOCK" ] || q_error "SMTPMOCK=$SMTPMOCK is not executable"

q_cleanup() {
	q_rc=$?
	trap '' EXIT HUP INT TERM
	if [ -n "$T" ] && [ -d "$T" ]; then
		for q_pf in "$T"/*.mockpid; do
			[ -f "$q_pf" ] || continue
			q_pid=$(cat "$q_pf" 2>/dev/null)
			[ -n "$q_pid" ] && kill "$q_pid" 2>/dev/null
		done
		for q_pf in "$T"/*.bgpid; do
			[ -f "$q_pf" ] || continue
			q_pid=$(cat "$q_pf" 2>/dev/null)
			[ -n "$q_pid" ] && kill -9 "$q_pid" 2>/dev/null
		done
		if [ -n "${QUEUE_KEEP-}" ]; then
			q_log "kept $T"
		else
			rm -rf "$T"
		fi
	fi
	exit "$q_rc"
}

T=$(mktemp -d "${TMPDIR:-/tmp}/smtpsend-queue.XXXXXX") \
	|| q_error "cannot make a temporary directory"
trap q_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

HOME=$T/home
XDG_STATE_HOME=$T/home/.local/state
XDG_CONFIG_HOME=$T/home/.config
XDG_DATA_HOME=$T/home/.local/share
XDG_CACHE_HOME=$T/home/.cache
export HOME XDG_STATE_HOME XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME
mkdir -p "$HOME" || q_error "cannot make $HOME"
chmod 700 "$HOME"
unset LANG LANGUAGE

# The queue directory smtpsend uses by default with this environment.
QDIR=$XDG_STATE_HOME/smtpsend/queue

# The options of every send: plaintext, a fixed EHLO name, a fixed sender.
Q_SEND_OPTS="--tls=off --domain=client.test -f sender@example.org"

# ---------------------------------------------------------------------------
# Mock servers.  Each has a name: its files are $T/NAME.port, $T/NAME.rec
# (every byte received), $T/NAME.err (its log) and $T/NAME.mockpid.

# q_mock_start NAME [SCRIPT [--once]] - start "smtpmock --serve" in the
# background with the %server script SCRIPT (a file; none: the defaults)
# and wait (at most 10 s) for its port.  Sets PORT and MOCK_PID.
q_mock_start() {
	q_mn=$1
	q_ms=${2-}
	q_mo=${3-}
	rm -f "$T/$q_mn.port"
	# shellcheck disable=SC2086 # $q_mo is empty or one word
	"$SMTPMOCK" --serve --port-file "$T/$q_mn.port" \
		--record "$T/$q_mn.rec" $q_mo ${q_ms:+"$q_ms"} \
		</dev/null >>"$T/$q_mn.out" 2>>"$T/$q_mn.err" &
	MOCK_PID=$!
	echo "$MOCK_PID" >"$T/$q_mn.mockpid"
	q_tries=100
	while [ "$q_tries" -gt 0 ]; do
		if [ -s "$T/$q_mn.port" ]; then
			PORT=$(cat "$T/$q_mn.port")
			case $PORT in
			''|*[!0-9]*) ;;
			*) : >>"$T/$q_mn.rec"; return 0 ;;
			esac
		fi
		kill -0 "$MOCK_PID" 2>/dev/null || break
		q_tries=$((q_tries - 1))
		sleep 0.1
	done
	q_dump "$T/$q_mn.err"
	q_error "smtpmock $q_mn did not start (no port file)"
}

# q_mock_port NAME - the port of a started mock.
q_mock_port() { cat "$T/$1.port"; }

# q_mock_alive NAME - whether the mock still runs.
q_mock_alive() {
	[ -f "$T/$1.mockpid" ] && kill -0 "$(cat "$T/$1.mockpid")" 2>/dev/null
}

# q_mock_stop NAME - stop the mock (SIGTERM, then SIGKILL after 5 s) and
# wait for it.  Its record stays.
q_mock_stop() {
	[ -f "$T/$1.mockpid" ] || return 0
	q_pid=$(cat "$T/$1.mockpid")
	kill "$q_pid" 2>/dev/null
	q_tries=50
	while [ "$q_tries" -gt 0 ] && kill -0 "$q_pid" 2>/dev/null; do
		q_tries=$((q_tries - 1))
		sleep 0.1
	done
	kill -9 "$q_pid" 2>/dev/null
	wait "$q_pid" 2>/dev/null
	rm -f "$T/$1.mockpid"
}

# q_mock_wait_exit NAME - wait (at most 10 s) for a --once mock to end.
q_mock_wait_exit() {
	[ -f "$T/$1.mockpid" ] || return 0
	q_pid=$(cat "$T/$1.mockpid")
	q_tries=100
	while [ "$q_tries" -gt 0 ] && kill -0 "$q_pid" 2>/dev/null; do
		q_tries=$((q_tries - 1))
		sleep 0.1
	done
	q_mock_stop "$1"
}

# q_closed_port - a port on 127.0.0.1 where nothing listens: the port of a
# mock that was started and stopped again.
q_closed_port() {
	q_mock_start closedport
	q_mock_stop closedport
	cat "$T/closedport.port"
}

# q_mock_settle NAME - wait (at most 5 s) until the record stops growing
# (after a client was killed the server may still be reading).
q_mock_settle() {
	q_last=-1
	q_tries=50
	while [ "$q_tries" -gt 0 ]; do
		q_now=$(wc -c <"$T/$1.rec")
		[ "$q_now" = "$q_last" ] && return 0
		q_last=$q_now
		q_tries=$((q_tries - 1))
		sleep 0.1
	done
	return 0
}

# ---------------------------------------------------------------------------
# Messages and what the server received.

# q_msg TESTID - a message (LF line ends) with a unique Message-ID: and
# X-Test-Id: TESTID.  Keep TESTID to [A-Za-z0-9.-].
q_msg() {
	printf 'From: Sender <sender@example.org>\n'
	printf 'To: rcpt@example.net\n'
	printf 'Subject: queue test %s\n' "$1"
	printf 'Message-ID: <%s@queue.test>\n' "$1"
	printf 'X-Test-Id: %s\n' "$1"
	printf '\n'
	printf 'Body of %s.\n' "$1"
}

# q_received RECORD - the X-Test-Id of every message the server received
# completely (its data up to the terminating dot, or every byte of a
# "BDAT n LAST" sent in one chunk), one per line, in order.  A data phase
# cut short (the client killed) does not count: the record then goes on
# with the next connection's "EHLO client.test" (possibly on the same line
# as the partial text) before any "." line or the chunk's last byte.
q_received() {
	awk '
	{ sub(/\r$/, "") }
	(indata || inbdat) && /EHLO client\.test$/ { indata = inbdat = 0 }
	inbdat {
		if (id == "" && /^X-Test-Id: /) id = substr($0, 12)
		left -= length($0) + 2
		if (left == 0 && id != "") print id
		if (left <= 0) inbdat = 0
		next
	}
	indata && $0 == "." { if (id != "") print id; indata = 0; next }
	indata && /^X-Test-Id: / { if (id == "") id = substr($0, 12); next }
	indata { next }
	toupper($0) == "DATA" { indata = 1; id = "" }
	toupper($1) == "BDAT" && toupper($3) == "LAST" && $2 + 0 > 0 {
		inbdat = 1; left = $2 + 0; id = ""
	}
	' "$1"
}

# q_count TESTID RECORD - how many times the server received that message.
q_count() {
	q_received "$2" | grep -c -x -F -e "$1"
}

# q_verbs RECORD - the commands of the record as one line of verbs
# ("EHLO MAIL RCPT DATA . QUIT"); message contents are left out.
q_verbs() {
	awk '
	{ sub(/\r$/, "") }
	indata && $0 == "." { printf "%s.", sep; sep = " "; indata = 0; next }
	indata { next }
	{ v = toupper($1); printf "%s%s", sep, v; sep = " " }
	v == "DATA" { indata = 1 }
	END { printf "\n" }
	' "$1"
}

# q_count_lines FILE PATTERN - lines of FILE matching the (fixed) line,
# with or without a CR at the end.
q_count_lines() {
	tr -d '\r' <"$1" | grep -c -x -F -e "$2"
}

# ---------------------------------------------------------------------------
# The queue.

# q_entries [DIR] - the ids of the entries in msg/ (or DIR/msg), sorted.
q_entries() {
	q_d=${1:-$QDIR}
	[ -d "$q_d/msg" ] || return 0
	for q_f in "$q_d"/msg/*.env; do
		[ -f "$q_f" ] || continue
		q_f=${q_f##*/}
		echo "${q_f%.env}"
	done
}

# q_failed_entries [DIR] - the ids of the entries in failed/.
q_failed_entries() {
	q_d=${1:-$QDIR}
	[ -d "$q_d/failed" ] || return 0
	for q_f in "$q_d"/failed/*.env; do
		[ -f "$q_f" ] || continue
		q_f=${q_f##*/}
		echo "${q_f%.env}"
	done
}

# q_nentries [DIR] - the number of entries in msg/.
q_nentries() { q_entries "${1-}" | wc -l | tr -d ' '; }

# q_env_value ID KEY [SUBDIR [DIR]] - the value of KEY in SUBDIR/ID.env
# (SUBDIR: msg, the default, or failed).
q_env_value() {
	sed -n "s/^$2: //p" "${4:-$QDIR}/${3:-msg}/$1.env"
}

# q_rcpt_state ID ADDRESS [SUBDIR [DIR]] - the state of that recipient
# (deferred, delivered, failed; empty when it is not there).
q_rcpt_state() {
	awk -F '\t' -v a="$2" '
	/^Recipient: / { sub(/^Recipient: /, ""); if ($5 == a) print $1 }
	' "${4:-$QDIR}/${3:-msg}/$1.env"
}

# q_rcpts ID [SUBDIR [DIR]] - "STATE ADDRESS" of every recipient, in order.
q_rcpts() {
	awk -F '\t' '
	/^Recipient: / { sub(/^Recipient: /, ""); print $1, $5 }
	' "${3:-$QDIR}/${2:-msg}/$1.env"
}

# q_testid_of ID [SUBDIR [DIR]] - the X-Test-Id of an entry's message.
q_testid_of() {
	tr -d '\r' <"${3:-$QDIR}/${2:-msg}/$1.eml" \
		| sed -n 's/^X-Test-Id: //p' | head -n 1
}

# q_entry_of TESTID [DIR] - the id of the entry in msg/ holding that
# message (empty when none).
q_entry_of() {
	for q_e in $(q_entries "${2-}"); do
		if [ "$(q_testid_of "$q_e" msg "${2-}")" = "$1" ]; then
			echo "$q_e"
			return 0
		fi
	done
	return 0
}

# q_queue_empty [DIR] - no entry in msg/ and no file left in msg/ or tmp/.
q_queue_empty() {
	q_d=${1:-$QDIR}
	[ -z "$(ls -A "$q_d/msg" 2>/dev/null)" ] \
		&& [ -z "$(ls -A "$q_d/tmp" 2>/dev/null)" ]
}

# q_wait_pid PID TRIES - wait for a background process, polling every
# 0.1 s at most TRIES times; then its exit status (or 124 if it was still
# running: it is killed).
q_wait_pid() {
	q_tries=$2
	while [ "$q_tries" -gt 0 ] && kill -0 "$1" 2>/dev/null; do
		q_tries=$((q_tries - 1))
		sleep 0.1
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -9 "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		return 124
	fi
	wait "$1"
}

# q_wait_file FILE TRIES - wait until FILE exists, polling every 0.1 s at
# most TRIES times; 0 when it does.
q_wait_file() {
	q_tries=$2
	while [ ! -e "$1" ] && [ "$q_tries" -gt 0 ]; do
		q_tries=$((q_tries - 1))
		sleep 0.1
	done
	[ -e "$1" ]
}

# q_lock_hold FILE - an exclusive flock(1) on FILE, held in the background
# (as a send or flush at work holds its entry) until q_lock_release, at
# most 30 s; returns once the lock is taken.
q_lock_hold() {
	rm -f "$T/locked" "$T/release"
	flock -x "$1" sh -c '
		: >"$1/locked"
		n=0
		while [ ! -f "$1/release" ] && [ "$n" -lt 300 ]; do
			sleep 0.1
			n=$((n + 1))
		done' sh "$T" &
	q_holder=$!
	echo "$q_holder" >"$T/holder.bgpid"
	q_wait_file "$T/locked" 100 || q_error "flock(1) did not take the lock"
}

# q_lock_release - end q_lock_hold's holder.
q_lock_release() {
	: >"$T/release"
	q_wait_pid "$q_holder" 100
	rm -f "$T/holder.bgpid"
}

# q_have_timeout - GNU timeout with fractional seconds is there.
q_have_timeout() {
	command -v timeout >/dev/null 2>&1 && timeout 5 true >/dev/null 2>&1
}
