#!/bin/sh
# Ten queued messages, a slow server (0.2 s before each end-of-data
# reply), two forced flushes at the same time: the entry locks keep them
# apart, so every message is received exactly once, both flushes exit 0
# and the queue ends empty.
. "$(dirname "$0")/lib.sh"

N=10
DOWN=$(q_closed_port)
i=1
while [ "$i" -le "$N" ]; do
	q_msg "concurrent-$i" >"$T/msg$i"
	# shellcheck disable=SC2086
	"$SMTPSEND" $Q_SEND_OPTS --host=127.0.0.1 --port="$DOWN" \
		"r$i@example.net" <"$T/msg$i" 2>>"$T/send.err"
	rc=$?
	[ "$rc" = 0 ] || q_check_fail "send $i: exit status $rc"
	i=$((i + 1))
done
q_expect_eq "entries" "$N" "$(q_nentries)"

cat >"$T/slow.scn" <<'EOF'
%server
delay . 0.2
EOF
q_mock_start slow "$T/slow.scn"

"$SMTPSEND" --queue-flush --force --port="$PORT" >"$T/f1.out" 2>"$T/f1.err" &
p1=$!
echo "$p1" >"$T/f1.bgpid"
"$SMTPSEND" --queue-flush --force --port="$PORT" >"$T/f2.out" 2>"$T/f2.err" &
p2=$!
echo "$p2" >"$T/f2.bgpid"
# each alone needs about N * 0.2 s; allow 60 s
q_wait_pid "$p1" 600
rc1=$?
q_wait_pid "$p2" 600
rc2=$?
rm -f "$T/f1.bgpid" "$T/f2.bgpid"
q_mock_settle slow
q_mock_stop slow

q_expect_eq "flush 1: exit status" 0 "$rc1"
q_expect_eq "flush 2: exit status" 0 "$rc2"
q_expect_eq "flushes: no output" "" "$(cat "$T/f1.out" "$T/f1.err" "$T/f2.out" "$T/f2.err")"
q_expect_eq "messages received" "$N" "$(q_received "$T/slow.rec" | wc -l | tr -d ' ')"
i=1
while [ "$i" -le "$N" ]; do
	c=$(q_count "concurrent-$i" "$T/slow.rec")
	[ "$c" = 1 ] || q_check_fail "message concurrent-$i received $c times"
	i=$((i + 1))
done
dups=$(q_received "$T/slow.rec" | sort | uniq -d | wc -l | tr -d ' ')
q_expect_eq "messages received more than once" 0 "$dups"
q_log "connections: $(grep -c 'connection [0-9]* closed' "$T/slow.err")"
q_expect_eq "entries left" 0 "$(q_nentries)"
if q_queue_empty; then q_ok "msg/ and tmp/ are empty"; else
	q_check_fail "files left in the queue: $(ls -A "$QDIR/msg" "$QDIR/tmp")"
fi

[ "$q_failures" -gt 0 ] && q_dump "$T/f1.err" "$T/f2.err" "$T/slow.rec" "$T/slow.err"
q_done
