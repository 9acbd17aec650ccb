#!/bin/sh
# Five messages queued while the server is down; one flush sends them all
# through one connection, with RSET between them, and empties the queue.
. "$(dirname "$0")/lib.sh"

DOWN=$(q_closed_port)
i=1
while [ "$i" -le 5 ]; do
	q_msg "one-conn-$i" >"$T/msg$i"
	# shellcheck disable=SC2086
	"$SMTPSEND" $Q_SEND_OPTS --host=127.0.0.1 --port="$DOWN" \
		"r$i@example.net" <"$T/msg$i" 2>>"$T/send.err"
	rc=$?
	q_expect_eq "send $i: exit status" 0 "$rc"
	i=$((i + 1))
done
q_expect_eq "entries" 5 "$(q_nentries)"

q_mock_start up
"$SMTPSEND" --queue-flush --force --port="$PORT" >"$T/flush.out" 2>"$T/flush.err"
rc=$?
q_mock_stop up
q_expect_eq "flush: exit status" 0 "$rc"
q_expect_eq "flush: no output" "" "$(cat "$T/flush.out" "$T/flush.err")"
q_expect_eq "connections (EHLO lines)" 1 "$(tr -d '\r' <"$T/up.rec" | grep -c '^EHLO ')"
q_expect_eq "connections (server log)" 1 "$(grep -c 'connection [0-9]* closed' "$T/up.err")"
q_expect_eq "session" \
	"EHLO MAIL RCPT DATA . RSET MAIL RCPT DATA . RSET MAIL RCPT DATA . RSET MAIL RCPT DATA . RSET MAIL RCPT DATA . QUIT" \
	"$(q_verbs "$T/up.rec")"
q_expect_eq "messages received" 5 "$(q_received "$T/up.rec" | wc -l | tr -d ' ')"
i=1
while [ "$i" -le 5 ]; do
	q_expect_eq "message $i received once" 1 "$(q_count "one-conn-$i" "$T/up.rec")"
	q_expect_eq "RCPT r$i once" 1 "$(q_count_lines "$T/up.rec" "RCPT TO:<r$i@example.net>")"
	i=$((i + 1))
done
q_expect_eq "entries left" 0 "$(q_nentries)"
if q_queue_empty; then q_ok "msg/ and tmp/ are empty"; else
	q_check_fail "files left in the queue: $(ls -A "$QDIR/msg" "$QDIR/tmp")"
fi

[ "$q_failures" -gt 0 ] && q_dump "$T/up.rec" "$T/up.err"
q_done
