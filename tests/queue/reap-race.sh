#!/bin/sh
# The reaper and the commit (doc/queue-format.md): every --queue-list and
# --queue-flush first removes msg/ID.eml files that have no msg/ID.env and
# are older than an hour (left by a crash before the commit).  But a
# message is spooled into msg/ID.eml when the send starts, and only at the
# commit does msg/ID.env appear.  A message whose spool file is old (a
# send that waited long for a slow server, a clock that jumped) could be
# reaped meanwhile, and the queue would then hold an ID.env without its
# message: the lock the sender holds on it keeps the reaper away.
#
#  1. Deterministic: a send whose spool file was back-dated (touch -d '2
#     hours ago') while it waited for the server must commit a msg/ID.eml
#     with a recent mtime (the commit touches it before ID.env appears), so
#     that no reaper can take it for a leftover.
#  2. The race itself: the same send, with --queue-list run in tight loops
#     meanwhile; after each round the entry must be complete (ID.eml and
#     ID.env in msg/, listed by --queue-list).  REAP_RACE_ROUNDS rounds
#     (default 15), at most REAP_RACE_MAX_SECONDS (default 45) in all.
#     How many rounds lose their message is reported.
#  3. Deterministic: the reaper leaves alone a msg/ID.eml that someone
#     holds an exclusive flock(2) on (a send or flush at work: the fix makes
#     the reaper skip locked files); once the lock is gone, it reaps it.
#
# The server waits 1 s before its reply to the end of data, then answers
# 450, so every message is queued.
. "$(dirname "$0")/lib.sh"

ROUNDS=${REAP_RACE_ROUNDS:-15}
MAX_SECONDS=${REAP_RACE_MAX_SECONDS:-45}
case $ROUNDS$MAX_SECONDS in
*[!0-9]*) q_error "REAP_RACE_* must be whole numbers" ;;
esac

: >"$T/probe"
touch -d '2 hours ago' "$T/probe" 2>/dev/null \
	|| q_skip "touch -d '2 hours ago' is not supported"
[ -n "$(find "$T/probe" -mmin +60 2>/dev/null)" ] \
	|| q_skip "find -mmin is not supported"
command -v flock >/dev/null 2>&1 || q_skip "flock(1) is needed"

QD=$T/q
mkdir -p "$QD" || q_error "cannot make $QD"
send_opts="--queue-dir=$QD $Q_SEND_OPTS --host=127.0.0.1"

cat >"$T/slow450.scn" <<'EOF'
%server
delay . 1
reply . 450 4.3.0 Try again later
EOF
q_mock_start slow "$T/slow450.scn"

# spool_file - wait (at most 5 s) for the send's msg/ID.eml (no ID.env
# yet); its path.
spool_file() {
	s_tries=250
	while [ "$s_tries" -gt 0 ]; do
		for s_f in "$QD"/msg/*.eml; do
			[ -f "$s_f" ] && [ ! -f "${s_f%.eml}.env" ] \
				&& { echo "$s_f"; return 0; }
		done
		s_tries=$((s_tries - 1))
		sleep 0.02
	done
	return 1
}

# start_send TESTID - submit message TESTID in the background (SEND_PID),
# wait for its spool file and back-date it by two hours (ID).
start_send() {
	q_msg "$1" >"$T/$1.msg"
	# through a pipe: a regular file would be sent from where it is and
	# spooled only after the attempt (msg_direct)
	# shellcheck disable=SC2086
	cat "$T/$1.msg" | "$SMTPSEND" $send_opts --port="$PORT" \
		rcpt@example.net >"$T/$1.out" 2>"$T/$1.err" &
	SEND_PID=$!
	echo "$SEND_PID" >"$T/send.bgpid"
	s_path=$(spool_file) || {
		q_wait_pid "$SEND_PID" 100
		q_dump "$T/$1.err"
		q_fail "$1: no spool file appeared in msg/"
	}
	ID=${s_path##*/}
	ID=${ID%.eml}
	touch -d '2 hours ago' "$s_path" \
		|| q_error "$1: cannot back-date $s_path"
}

# entry_complete ID - "yes", or what is missing.
entry_complete() {
	e_what=
	[ -f "$QD/msg/$1.eml" ] || e_what="$e_what no msg/$1.eml;"
	[ -f "$QD/msg/$1.env" ] || e_what="$e_what no msg/$1.env;"
	"$SMTPSEND" --queue-dir="$QD" --queue-list >"$T/list.out" 2>&1 \
		|| e_what="$e_what --queue-list failed;"
	grep -q "^$1 " "$T/list.out" || e_what="$e_what not listed;"
	echo "${e_what:-yes}"
}

# ---------------------------------------------------------------------------
# 1. The commit gives msg/ID.eml a fresh mtime.
start_send reap-fresh
q_wait_pid "$SEND_PID" 200
rc=$?
rm -f "$T/send.bgpid"
q_expect_eq "back-dated send: exit status (queued)" 0 "$rc"
q_expect_eq "back-dated send: entry complete" yes "$(entry_complete "$ID")"
if [ -f "$QD/msg/$ID.eml" ]; then
	if [ -n "$(find "$QD/msg/$ID.eml" -mmin -10)" ]; then
		q_ok "msg/$ID.eml has a recent mtime"
	else
		q_check_fail "msg/$ID.eml kept the mtime of its spool file (2 hours ago): a reaper that ran once the sender let go of its lock would take it for a leftover; the commit must touch it"
		ls -l "$QD/msg" >&2
	fi
fi
"$SMTPSEND" --queue-dir="$QD" --queue-remove="$ID" >/dev/null 2>&1

# ---------------------------------------------------------------------------
# 2. The race: --queue-list in tight loops (three at once) while the
# message is committed.
# hammer - list until the file stop appears, at most 3000 times.
hammer() {
	h_n=0
	while [ ! -f "$T/stop" ] && [ "$h_n" -lt 3000 ]; do
		"$SMTPSEND" --queue-dir="$QD" --queue-list >/dev/null 2>&1
		h_n=$((h_n + 1))
	done
}

start=$(date +%s)
rounds=0
lost=0
k=1
while [ "$k" -le "$ROUNDS" ]; do
	if [ $(($(date +%s) - start)) -ge "$MAX_SECONDS" ]; then
		q_log "stopping after $rounds rounds ($MAX_SECONDS s)"
		break
	fi
	rm -f "$T/stop"
	start_send "reap-race-$k"
	hammer &
	h1=$!
	echo "$h1" >"$T/h1.bgpid"
	hammer &
	h2=$!
	echo "$h2" >"$T/h2.bgpid"
	hammer &
	h3=$!
	echo "$h3" >"$T/h3.bgpid"
	q_wait_pid "$SEND_PID" 200
	rc=$?
	: >"$T/stop"
	q_wait_pid "$h1" 100
	q_wait_pid "$h2" 100
	q_wait_pid "$h3" 100
	rm -f "$T/send.bgpid" "$T/h1.bgpid" "$T/h2.bgpid" "$T/h3.bgpid"
	rounds=$((rounds + 1))
	got=$(entry_complete "$ID")
	if [ "$rc" != 0 ]; then
		q_check_fail "round $k: send exit status $rc"
		q_dump "$T/reap-race-$k.err"
	fi
	if [ "$got" = yes ]; then
		"$SMTPSEND" --queue-dir="$QD" --queue-remove="$ID" \
			>/dev/null 2>&1
	else
		lost=$((lost + 1))
		q_log "round $k: entry $ID broken:$got"
		# what is left goes, so that later rounds start clean
		rm -f "$QD/msg/$ID.env" "$QD/msg/$ID.eml" "$QD/msg/$ID.log"
	fi
	k=$((k + 1))
done
if [ "$lost" -eq 0 ]; then
	q_ok "race: no message lost in $rounds rounds"
else
	q_check_fail "race: $lost of $rounds rounds lost their message (reaped before its ID.env appeared)"
fi

# ---------------------------------------------------------------------------
# 3. The reaper leaves a locked msg/ID.eml alone.
LID=1700000000.1234.abcdef012345
printf 'Subject: locked leftover\r\n\r\nx\r\n' >"$QD/msg/$LID.eml"
touch -d '2 hours ago' "$QD/msg/$LID.eml" || q_error "cannot back-date"
q_lock_hold "$QD/msg/$LID.eml"
"$SMTPSEND" --queue-dir="$QD" --queue-list >"$T/list3.out" 2>&1
q_expect_eq "--queue-list with a locked leftover: exit status" 0 $?
if [ -f "$QD/msg/$LID.eml" ]; then
	q_ok "a locked msg/$LID.eml survives the reaper"
else
	q_check_fail "the reaper removed msg/$LID.eml while another process held an exclusive flock on it (a send or flush at work); it must skip locked files"
fi
q_lock_release
# again, unlocked now (recreated if it was wrongly reaped above)
if [ ! -f "$QD/msg/$LID.eml" ]; then
	printf 'Subject: locked leftover\r\n\r\nx\r\n' >"$QD/msg/$LID.eml"
	touch -d '2 hours ago' "$QD/msg/$LID.eml"
fi
"$SMTPSEND" --queue-dir="$QD" --queue-list >"$T/list4.out" 2>&1
q_expect_eq "--queue-list with an unlocked leftover: exit status" 0 $?
if [ -f "$QD/msg/$LID.eml" ]; then
	q_check_fail "an unlocked msg/$LID.eml without ID.env, 2 hours old, was not reaped"
else
	q_ok "the unlocked leftover is reaped"
fi

q_mock_stop slow
[ "$q_failures" -gt 0 ] && q_dump "$T/slow.err"
q_done
