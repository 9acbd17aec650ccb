#!/bin/sh
# A flush pipelines across messages (doc/queue-format.md 4.2): with
# PIPELINING and CHUNKING, the next message's RSET, MAIL, RCPT and
# "BDAT n LAST" leave before the reply to the previous message's BDAT, and
# each reply still settles the message it answers, and that one only.
#
#  a. Five messages; the server refuses the 2nd's recipient for good (550),
#     answers the 3rd's with 452 and the 4th's data with 451.  Every BDAT
#     but the first (sent alone, with the session's first transaction) is
#     answered only after the next message had arrived; the 1st and 5th are
#     delivered and removed, the 2nd failed and removed, the 3rd and 4th
#     stay queued with their own replies.
#  b. Six messages; the server closes the connection instead of answering
#     the 3rd's BDAT.  The 1st and 2nd are removed; the 3rd to 6th stay
#     queued, deferred, each exactly as it was but for the attempt.
#  c. The second recipient of the second message is answered 452: it goes
#     in a transaction of its own after the third message, and all three
#     are delivered.
. "$(dirname "$0")/lib.sh"

DOWN=$(q_closed_port)

# queue N PREFIX - N messages PREFIX-1 ... to rI@example.net, server down.
queue() {
	k=1
	while [ "$k" -le "$1" ]; do
		q_msg "$2-$k" >"$T/m"
		# shellcheck disable=SC2086
		"$SMTPSEND" $Q_SEND_OPTS --host=127.0.0.1 --port="$DOWN" \
			"r$k@example.net" <"$T/m" 2>>"$T/send.err" \
			|| q_error "queueing $2-$k failed"
		k=$((k + 1))
	done
}

# commands RECORD - the commands the server received, one line of verbs
# (BDAT chunks are message text, which starts with no such verb).
commands() {
	tr -d '\r' <"$1" | awk '
	/^(EHLO|RSET|MAIL|RCPT|BDAT|DATA|QUIT)( |$)/ {
		printf "%s%s", sep, $1; sep = " " }
	END { printf "\n" }'
}

# flush NAME [SCENARIO] - a flush against a mock server NAME started
# for it (q_mock_start), its output in $T/fNAME.out and .err, its exit
# status in rc.
flush() {
	q_mock_start "$@"
	rc=0
	"$SMTPSEND" --queue-flush --force --port="$PORT" >"$T/f$1.out" \
		2>"$T/f$1.err" || rc=$?
	q_mock_stop "$1"
}

# order RECORD - the test ids of the messages of the first session, in
# the order they were sent.
order() {
	tr -d '\r' <"$1" | awk '/^QUIT$/ { exit }
		/^X-Test-Id: / { print substr($0, 12) }'
}

# received TESTID RECORD - how many times the message reached the server
# in the first session (a delivery report that follows quotes it).
received() { order "$2" | grep -c -x -F -e "$1"; }

# ---------------------------------------------------------------------------
# a. Results per message, and the flight.
queue 5 pa
q_expect_eq "a: entries" 5 "$(q_nentries)"
cat >"$T/a.scn" <<'EOF'
%server
ehlo PIPELINING CHUNKING
reply RCPT 250 2.1.5 Ok
reply RCPT 550 5.1.1 No such user
reply RCPT 452 4.5.3 Too many recipients
reply RCPT 250 2.1.5 Ok
default BDAT
default BDAT
default BDAT
reply BDAT 451 4.3.0 Try again later
default BDAT
not-pipelined BDAT
pipelined BDAT
pipelined BDAT
pipelined BDAT
EOF
flush a "$T/a.scn"
q_expect_eq "a: flush exit status" 0 "$rc"
q_expect_eq "a: commands" \
	"EHLO MAIL RCPT BDAT RSET MAIL RCPT BDAT RSET MAIL RCPT BDAT RSET MAIL RCPT BDAT RSET MAIL RCPT BDAT QUIT" \
	"$(commands "$T/a.rec" | sed 's/ QUIT .*/ QUIT/')"
q_expect_nogrep "a: every check of the flight held" "$T/a.err" \
	'was \(not \)\{0,1\}pipelined'
k=1
while [ "$k" -le 5 ]; do
	q_expect_eq "a: pa-$k sent once" 1 "$(received "pa-$k" "$T/a.rec")"
	q_expect_eq "a: RCPT r$k once" 1 \
		"$(q_count_lines "$T/a.rec" "RCPT TO:<r$k@example.net>")"
	k=$((k + 1))
done
# the messages in the order they were sent (the queue's order)
# shellcheck disable=SC2046 # five test ids
set -- $(order "$T/a.rec")
q_expect_eq "a: five messages in the first session" 5 $#
q_expect_eq "a: entries left (the 3rd and 4th sent)" 2 "$(q_nentries)"
for t in "$1" "$2" "$5"; do
	q_expect_eq "a: $t removed" "" "$(q_entry_of "$t")"
done
check_left() {
	c_e=$(q_entry_of "$1")
	c_r=r${1#pa-}@example.net
	if [ -z "$c_e" ]; then
		q_check_fail "a: $1 is no longer queued"
		return
	fi
	q_expect_eq "a: $1 $c_r deferred" deferred "$(q_rcpt_state "$c_e" "$c_r")"
	q_expect_grep "a: $1 keeps its own reply $2" "$QDIR/msg/$c_e.env" \
		"^Recipient: deferred	[0-9]*	$2	[0-9.]*	$c_r	"
}
check_left "$3" 452
check_left "$4" 451
q_expect_grep "a: the 2nd's refusal is reported" "$T/fa.err" \
	"r${2#pa-}@example.net: failed: 550"
q_expect_eq "a: nothing else failed" 1 "$(grep -c 'failed:' "$T/fa.err")"
# the queue is left for part b
"$SMTPSEND" --queue-remove=all >/dev/null 2>&1
q_expect_eq "a: queue emptied" 0 "$(q_nentries)"

# ---------------------------------------------------------------------------
# b. The connection drops in the middle of the batch.
queue 6 pb
cat >"$T/b.scn" <<'EOF'
%server
ehlo PIPELINING CHUNKING
default BDAT
default BDAT
close BDAT
EOF
flush b "$T/b.scn"
q_log "b: flush exit $rc: $(cat "$T/fb.err")"
# shellcheck disable=SC2046 # test ids
set -- $(order "$T/b.rec")
q_expect_eq "b: messages the server saw" 3 $#
q_expect_eq "b: the 1st and 2nd sent are removed" ":" \
	"$(q_entry_of "$1"):$(q_entry_of "$2")"
q_expect_eq "b: entries left" 4 "$(q_nentries)"
k=1
while [ "$k" -le 6 ]; do
	e=$(q_entry_of "pb-$k")
	if [ "pb-$k" = "$1" ] || [ "pb-$k" = "$2" ]; then
		k=$((k + 1))
		continue
	fi
	if [ -z "$e" ]; then
		q_check_fail "b: pb-$k is no longer queued (lost)"
	else
		q_expect_eq "b: pb-$k r$k deferred" deferred \
			"$(q_rcpt_state "$e" "r$k@example.net")"
		q_expect_eq "b: pb-$k attempts" 2 "$(q_env_value "$e" Attempts)"
	fi
	k=$((k + 1))
done
# and a flush to a server that answers sends the four that are left
flush b2
q_expect_eq "b: second flush exit status" 0 "$rc"
q_expect_eq "b: queue empty" 0 "$(q_nentries)"
if q_queue_empty; then q_ok "msg/ and tmp/ are empty"; else
	q_check_fail "files left in the queue: $(ls -A "$QDIR/msg" "$QDIR/tmp")"
fi

# ---------------------------------------------------------------------------
# c. A 452 to the second recipient of a message in flight: that recipient
# goes in a transaction of its own once the messages after it are done.
"$SMTPSEND" --queue-remove=all >/dev/null 2>&1
queue 1 pc
sleep 1         # the queue's order is the order of the seconds
q_msg pc-2 >"$T/m"
# shellcheck disable=SC2086
"$SMTPSEND" $Q_SEND_OPTS --host=127.0.0.1 --port="$DOWN" \
	c2a@example.net c2b@example.net <"$T/m" 2>>"$T/send.err" \
	|| q_error "queueing pc-2 failed"
sleep 1
q_msg pc-3 >"$T/m"
# shellcheck disable=SC2086
"$SMTPSEND" $Q_SEND_OPTS --host=127.0.0.1 --port="$DOWN" \
	c3@example.net <"$T/m" 2>>"$T/send.err" || q_error "queueing pc-3 failed"
cat >"$T/c.scn" <<'EOF'
%server
ehlo PIPELINING CHUNKING
reply RCPT 250 2.1.5 Ok
reply RCPT 250 2.1.5 Ok
reply RCPT 452 4.5.3 Too many recipients
reply RCPT 250 2.1.5 Ok
EOF
flush c "$T/c.scn"
q_expect_eq "c: flush exit status" 0 "$rc"
q_expect_eq "c: commands" \
	"EHLO MAIL RCPT BDAT RSET MAIL RCPT RCPT BDAT RSET MAIL RCPT BDAT RSET MAIL RCPT BDAT QUIT" \
	"$(commands "$T/c.rec")"
q_expect_eq "c: the messages in order, pc-2 again for c2b" \
	"pc-1 pc-2 pc-3 pc-2" "$(order "$T/c.rec" | paste -s -d ' ' -)"
q_expect_eq "c: c2b asked twice" 2 \
	"$(q_count_lines "$T/c.rec" "RCPT TO:<c2b@example.net>")"
q_expect_eq "c: c2a asked once" 1 \
	"$(q_count_lines "$T/c.rec" "RCPT TO:<c2a@example.net>")"
q_expect_eq "c: queue empty" 0 "$(q_nentries)"

[ "$q_failures" -gt 0 ] && q_dump "$T/a.rec" "$T/a.err" "$T/fa.err" "$T/b.rec" "$T/fb.err"
q_done
