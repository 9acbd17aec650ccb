#!/bin/sh
# --queue-flush=ID sends only the entries named, now, though none is due,
# and leaves the others untouched; a held one is not sent (75), an unknown
# id exits 66, a malformed one 64.  --queue-remove=all removes every entry
# (waiting or given up) but one that another process holds locked, which
# it names; it says how many it removed, also of an empty queue.
. "$(dirname "$0")/lib.sh"

command -v flock >/dev/null 2>&1 || q_skip "flock(1) is needed"
DOWN=$(q_closed_port)

# q_send_down TESTID - queue a message (the server is down: the entry is
# due only after the backoff); prints the new entry's id.
q_send_down() {
	q_msg "$1" >"$T/$1.msg"
	# shellcheck disable=SC2086
	"$SMTPSEND" $Q_SEND_OPTS --host=127.0.0.1 --port="$DOWN" \
		"$1@example.net" <"$T/$1.msg" 2>"$T/$1.err"
	q_rc=$?
	[ "$q_rc" = 0 ] || q_check_fail "send $1: exit status $q_rc"
	q_entry_of "$1"
}

ID1=$(q_send_down ids-1)
ID2=$(q_send_down ids-2)
ID3=$(q_send_down ids-3)
[ -n "$ID1" ] && [ -n "$ID2" ] && [ -n "$ID3" ] || q_fail "entries not made"
q_log "entries $ID1 $ID2 $ID3"
NEXT1=$(q_env_value "$ID1" Next-Attempt)
NEXT3=$(q_env_value "$ID3" Next-Attempt)
[ "$NEXT1" -gt "$(date +%s)" ] || q_error "entry 1 is due already"

q_mock_start up

# ---------------------------------------------------------------------------
# 1. --queue-flush=ID2: only that one, though it is not due
"$SMTPSEND" --queue-flush="$ID2" --port="$PORT" >"$T/f1.out" 2>"$T/f1.err"
q_expect_eq "--queue-flush=ID2: exit status" 0 $?
q_expect_eq "--queue-flush=ID2: no output" "" "$(cat "$T/f1.out" "$T/f1.err")"
q_mock_settle up
q_expect_eq "--queue-flush=ID2: received" "ids-2" \
	"$(q_received "$T/up.rec" | paste -s -d ' ' -)"
# (in the order of the names, as q_entries lists them: "...989..." comes
# after "...1058..." when the process ids crossed a power of ten)
q_expect_eq "--queue-flush=ID2: entries left" \
	"$(printf '%s\n' "$ID1" "$ID3" | LC_ALL=C sort | paste -s -d ' ' -)" \
	"$(q_entries | LC_ALL=C sort | paste -s -d ' ' -)"
q_expect_eq "entry 1 untouched (Attempts)" 1 "$(q_env_value "$ID1" Attempts)"
q_expect_eq "entry 1 untouched (Next-Attempt)" "$NEXT1" \
	"$(q_env_value "$ID1" Next-Attempt)"
q_expect_eq "entry 3 untouched (Next-Attempt)" "$NEXT3" \
	"$(q_env_value "$ID3" Next-Attempt)"

# ---------------------------------------------------------------------------
# 2. errors: a sent entry, an unknown id, a malformed one, a comma list
"$SMTPSEND" --queue-flush="$ID2" --port="$PORT" >/dev/null 2>"$T/f2.err"
q_expect_eq "--queue-flush of a sent entry: exit status" 66 $?
q_expect_eq "--queue-flush of a sent entry: the message" \
	"smtpsend: no queue entry $ID2" "$(cat "$T/f2.err")"
"$SMTPSEND" -qI"$ID2" --port="$PORT" >/dev/null 2>"$T/f2q.err"
q_expect_eq "sendmail -qIID of a sent entry: exit status" 66 $?
q_expect_eq "sendmail -qIID of a sent entry: the message" \
	"smtpsend: no queue entry $ID2" "$(cat "$T/f2q.err")"
"$SMTPSEND" --queue-flush=1700000000.1.0123456789ab --queue-flush="$ID1" \
	--port="$PORT" >/dev/null 2>"$T/f3.err"
q_expect_eq "--queue-flush unknown + known: exit status" 66 $?
q_expect_eq "--queue-flush unknown + known: the message" \
	"smtpsend: no queue entry 1700000000.1.0123456789ab" "$(cat "$T/f3.err")"
q_mock_settle up
q_expect_eq "--queue-flush unknown + known: the known one sent" \
	"ids-2 ids-1" "$(q_received "$T/up.rec" | paste -s -d ' ' -)"
q_expect_eq "entries left" "$ID3" "$(q_entries | paste -s -d ' ' -)"
"$SMTPSEND" --queue-flush=../../etc/passwd >/dev/null 2>"$T/f4.err"
q_expect_eq "--queue-flush of a malformed id: exit status" 64 $?
q_expect_grep "--queue-flush of a malformed id: the message" "$T/f4.err" \
	'^smtpsend: --queue-flush: "\.\./\.\./etc/passwd" is not a queue id'
"$SMTPSEND" --queue-flush="$ID3,$ID1" >/dev/null 2>"$T/f5.err"
q_expect_eq "--queue-flush=ID,ID: exit status" 64 $?
q_expect_grep "--queue-flush=ID,ID: the hint" "$T/f5.err" \
	'give the option once for each id$'
"$SMTPSEND" --queue-show=../x >/dev/null 2>&1
q_expect_eq "--queue-show of a malformed id: exit status" 64 $?

# ---------------------------------------------------------------------------
# 3. a held entry named is not sent; released, "--queue-flush ID" sends it
"$SMTPSEND" --queue-hold="$ID3" || q_check_fail "--queue-hold failed"
"$SMTPSEND" --queue-flush="$ID3" --port="$PORT" >/dev/null 2>"$T/f6.err"
q_expect_eq "--queue-flush of a held entry: exit status" 75 $?
q_expect_eq "--queue-flush of a held entry: the message" \
	"smtpsend: queue entry $ID3 is on hold and was not sent; release it first with --queue-release=$ID3" \
	"$(cat "$T/f6.err")"
q_expect_eq "held entry still there" "$ID3" "$(q_entries | paste -s -d ' ' -)"
"$SMTPSEND" --queue-release="$ID3" || q_check_fail "--queue-release failed"
"$SMTPSEND" --queue-flush "$ID3" --port="$PORT" >/dev/null 2>"$T/f7.err"
q_expect_eq "--queue-flush ID (released): exit status" 0 $?
q_mock_settle up
q_mock_stop up
q_expect_eq "all three received once, in order" "ids-2 ids-1 ids-3" \
	"$(q_received "$T/up.rec" | paste -s -d ' ' -)"
q_expect_eq "the queue is empty" yes "$(q_queue_empty && echo yes)"

# a named entry deferred again: said so, still queued, exit 0
ID4=$(q_send_down ids-4)
"$SMTPSEND" --queue-flush="$ID4" >/dev/null 2>"$T/f8.err"
q_expect_eq "--queue-flush, deferred again: exit status" 0 $?
q_expect_grep "--queue-flush, deferred again: the message" "$T/f8.err" \
	"^smtpsend: $ID4: ids-4@example\.net: deferred again: .*Connection refused"
q_expect_eq "--queue-flush, deferred again: Attempts" 2 \
	"$(q_env_value "$ID4" Attempts)"

# ---------------------------------------------------------------------------
# 4. --queue-remove=all: four entries, one given up (in failed/), one
# locked by another process
ID5=$(q_send_down ids-5)
ID6=$(q_send_down ids-6)
ID7=$(q_send_down ids-7)
[ -n "$ID5" ] && [ -n "$ID6" ] && [ -n "$ID7" ] || q_fail "entries not made"
for ext in eml env log; do
	mv "$QDIR/msg/$ID5.$ext" "$QDIR/failed/$ID5.$ext" \
		|| q_error "cannot move $ID5.$ext"
done
q_lock_hold "$QDIR/msg/$ID6.eml"
"$SMTPSEND" --queue-remove=all >"$T/r1.out" 2>"$T/r1.err"
q_expect_eq "--queue-remove=all: exit status" 0 $?
q_expect_eq "--queue-remove=all: the count" "queue entries removed: 3" \
	"$(cat "$T/r1.out")"
q_expect_eq "--queue-remove=all: the busy one" \
	"smtpsend: queue entry $ID6 is being delivered right now; it was not removed" \
	"$(cat "$T/r1.err")"
q_expect_eq "--queue-remove=all: the busy one is left" "$ID6" \
	"$(q_entries | paste -s -d ' ' -)"
q_expect_eq "--queue-remove=all: its files are left" \
	"$ID6.eml $ID6.env $ID6.log" "$(ls "$QDIR/msg" | paste -s -d ' ' -)"
q_expect_eq "--queue-remove=all: failed/ is empty" "" "$(ls -A "$QDIR/failed")"
q_lock_release

"$SMTPSEND" --queue-remove=all >"$T/r2.out" 2>"$T/r2.err"
q_expect_eq "--queue-remove=all, unlocked: exit status" 0 $?
q_expect_eq "--queue-remove=all, unlocked: the count" \
	"queue entries removed: 1" "$(cat "$T/r2.out")"
q_expect_eq "--queue-remove=all, unlocked: no stderr" "" "$(cat "$T/r2.err")"
q_expect_eq "the queue is empty" yes "$(q_queue_empty && echo yes)"

"$SMTPSEND" --queue-remove=all >"$T/r3.out" 2>"$T/r3.err"
q_expect_eq "--queue-remove=all, empty queue: exit status" 0 $?
q_expect_eq "--queue-remove=all, empty queue: the count" \
	"queue entries removed: 0" "$(cat "$T/r3.out" "$T/r3.err")"

q_done
