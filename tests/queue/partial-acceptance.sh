#!/bin/sh
# RCPT answered 250 / 450 / 550: exit 67, the 450 recipient queued and
# the 550 one failed; the entry keeps all three in their states; a flush
# against a server that accepts everything sends to the deferred one only
# and empties the queue.
. "$(dirname "$0")/lib.sh"

cat >"$T/mixed.scn" <<'EOF'
%server
reply RCPT 250 2.1.5 Ok
reply RCPT 450 4.2.1 Mailbox busy, try later
reply RCPT 550 5.1.1 No such user
EOF
q_msg partial-1 >"$T/msg1"

q_mock_start mixed "$T/mixed.scn" --once
# shellcheck disable=SC2086
"$SMTPSEND" $Q_SEND_OPTS --host=127.0.0.1 --port="$PORT" \
	ok@example.net busy@example.net gone@example.net \
	<"$T/msg1" >"$T/send.out" 2>"$T/send.err"
rc=$?
q_mock_wait_exit mixed
q_expect_eq "send: exit status (one recipient refused)" 67 "$rc"

q_expect_eq "one entry" 1 "$(q_nentries)"
ID=$(q_entries | head -n 1)
[ -n "$ID" ] || { q_dump "$T/send.err"; q_fail "no entry was made"; }
q_log "entry $ID"

q_expect_eq "stderr lines" 2 "$(wc -l <"$T/send.err" | tr -d ' ')"
q_expect_grep "stderr: 450 recipient deferred and queued" "$T/send.err" \
	"^smtpsend: busy@example\.net: deferred: 450 4\.2\.1 .*(queued as $ID)\$"
q_expect_grep "stderr: 550 recipient failed" "$T/send.err" \
	"^smtpsend: gone@example\.net: failed: 550 5\.1\.1 No such user\$"
q_expect_nogrep "stderr: nothing about the accepted one" "$T/send.err" "ok@example"

q_expect_eq "server received the message (first session)" 1 \
	"$(q_count partial-1 "$T/mixed.rec")"
q_expect_eq "recipients in the entry" \
	"delivered ok@example.net,deferred busy@example.net,failed gone@example.net" \
	"$(q_rcpts "$ID" | paste -s -d , -)"
q_expect_eq "busy@ reply kept" "deferred	1	450	4.2.1	busy@example.net	Mailbox busy, try later" \
	"$(q_env_value "$ID" Recipient | grep busy@)"
q_expect_eq "gone@ reply kept" "failed	1	550	5.1.1	gone@example.net	No such user" \
	"$(q_env_value "$ID" Recipient | grep gone@)"

# everything accepted now: only the deferred recipient is sent
q_mock_start accept
"$SMTPSEND" --queue-flush --force --port="$PORT" >"$T/flush.out" 2>"$T/flush.err"
rc=$?
q_mock_stop accept
q_expect_eq "flush: exit status" 0 "$rc"
q_expect_eq "flush: no output" "" "$(cat "$T/flush.out" "$T/flush.err")"
q_expect_eq "second session" "EHLO MAIL RCPT DATA . QUIT" "$(q_verbs "$T/accept.rec")"
q_expect_eq "exactly one RCPT, to the deferred recipient" "RCPT TO:<busy@example.net>" \
	"$(tr -d '\r' <"$T/accept.rec" | grep '^RCPT')"
q_expect_eq "message received once more" 1 "$(q_count partial-1 "$T/accept.rec")"
q_expect_eq "entries left" 0 "$(q_nentries)"
if q_queue_empty; then q_ok "msg/ and tmp/ are empty"; else
	q_check_fail "files left in the queue: $(ls -A "$QDIR/msg" "$QDIR/tmp")"
fi

[ "$q_failures" -gt 0 ] && q_dump "$T/send.err" "$T/mixed.rec" "$T/accept.rec"
q_done
