# tests/wire/lib.sh - shared code of the tests of what smtpsend writes to
# the socket: how many writes, and what each holds.
#
# Sourced (POSIX sh) by tests/wire/*.sh.  The server is "smtpmock --serve
# --once" (its record is what it processed); the client runs under strace,
# which logs every write to the connected socket, so a test can count the
# client's writes and look inside them (strace escapes CR, LF and
# non-printable bytes: "\r\n").  Counts are structural: they do not depend
# on timing, only on when the client chooses to write.
#
# Environment: SMTPSEND, SMTPMOCK (set by tests/Makefile.am); WIRE_KEEP
# non-empty keeps the temporary directory.  Exit statuses follow automake:
# 0 pass, 1 fail, 77 skip (strace is missing: CI counts that as a failure),
# 99 hard error.

LC_ALL=C
export LC_ALL
w_name=${0##*/}
w_name=${w_name%.sh}
w_failures=0
T=

w_log() { printf '%s: %s\n' "$w_name" "$*" >&2; }
w_error() { w_log "ERROR: $*"; exit 99; }
w_check_fail() { w_log "FAIL: $*"; w_failures=$((w_failures + 1)); }
w_ok() { w_log "ok: $*"; }

# w_expect WHAT CONDITION-EXIT-STATUS - ok when the status is 0
w_expect() {
	if [ "$2" -eq 0 ]; then w_ok "$1"; else w_check_fail "$1"; fi
}

w_done() {
	[ "$w_failures" -eq 0 ] || { w_log "$w_failures check(s) failed";
				     exit 1; }
	w_log PASS
	exit 0
}

[ -n "${SMTPSEND-}" ] && [ -x "$SMTPSEND" ] || w_error "SMTPSEND is not set"
[ -n "${SMTPMOCK-}" ] && [ -x "$SMTPMOCK" ] || w_error "SMTPMOCK is not set"
command -v strace >/dev/null 2>&1 || {
	w_log "SKIP: strace is not installed"; exit 77; }

w_cleanup() {
	w_rc=$?
	trap '' EXIT HUP INT TERM
	[ -n "$T" ] && [ -f "$T/mock.pid" ] && kill "$(cat "$T/mock.pid")" \
		2>/dev/null
	if [ -n "${WIRE_KEEP-}" ]; then
		w_log "kept $T"
	elif [ -n "$T" ]; then
		rm -rf "$T"
	fi
	exit "$w_rc"
}
trap w_cleanup EXIT
trap 'exit 99' HUP INT TERM
T=$(mktemp -d "${TMPDIR:-/tmp}/wire.XXXXXX") || w_error "mktemp failed"
HOME=$T
export HOME

# w_mock SCRIPT - start "smtpmock --serve --once" with the %server script
# in the file SCRIPT; wait (at most 10 s) for its port: PORT.
w_mock() {
	rm -f "$T/port" "$T/rec"
	"$SMTPMOCK" --serve --once --port-file "$T/port" --record "$T/rec" \
		"$1" </dev/null >/dev/null 2>"$T/mock.log" &
	echo $! >"$T/mock.pid"
	w_i=0
	while [ ! -s "$T/port" ]; do
		w_i=$((w_i + 1))
		[ $w_i -le 100 ] && kill -0 "$(cat "$T/mock.pid")" 2>/dev/null \
			|| { cat "$T/mock.log" >&2;
			     w_error "smtpmock did not start"; }
		sleep 0.1
	done
	PORT=$(cat "$T/port")
}

# w_wait_mock - wait (at most 10 s) for the server to exit.
w_wait_mock() {
	w_i=0
	while kill -0 "$(cat "$T/mock.pid")" 2>/dev/null; do
		w_i=$((w_i + 1))
		[ $w_i -le 100 ] || w_error "smtpmock did not exit"
		sleep 0.1
	done
	rm -f "$T/mock.pid"
}

# w_send STRACE-STRSIZE ARG... - run smtpsend against the mock under
# strace (strings up to STRACE-STRSIZE bytes shown); exit status in RC,
# the client's writes to the socket, one a line, in $T/writes, stderr in
# $T/err.
w_send() {
	w_s=$1
	shift
	RC=0
	# LeakSanitizer cannot work under ptrace and would fail the run
	# (a build with --enable-sanitizers): leaks are checked elsewhere
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -o "$T/trace" -s "$w_s" -e signal=none \
		-e trace=connect,write,writev,sendto,sendmsg \
		"$SMTPSEND" --host=127.0.0.1 --port="$PORT" --tls=off \
		--no-queue --domain=client.test --set-date-header=off \
		--set-msgid-header=off --set-from-header=off "$@" \
		2>"$T/err" || RC=$?
	w_fd=$(sed -n "s/^connect(\([0-9]*\), .*htons($PORT).*/\1/p" \
		"$T/trace" | head -n 1)
	[ -n "$w_fd" ] || { cat "$T/trace" >&2; w_error "no connect in trace"; }
	grep -E "^(write|writev|sendto|sendmsg)\($w_fd, " "$T/trace" \
		>"$T/writes" || true
	w_wait_mock
}

# w_writes - how many writes the client made to the socket.
w_writes() { wc -l <"$T/writes" | tr -d ' '; }
