#!/bin/sh
# LMTP: after the dot the server answers 250 / 452 / 550, one reply per
# recipient: exit 67, the 452 recipient deferred and queued, the entry
# keeps "protocol lmtp" (sent with --host, no account); a flush whose
# command line says nothing of the protocol speaks LMTP again (LHLO) and
# sends to the deferred recipient only.
. "$(dirname "$0")/lib.sh"

cat >"$T/lmtp1.scn" <<'EOF2'
%server
reply LHLO 250-mock.test|250-PIPELINING|250 ENHANCEDSTATUSCODES
reply . 250 2.0.0 <ok@example.net> Saved|452 4.2.2 <full@example.net> Mailbox full|550 5.2.1 <gone@example.net> Mailbox disabled
EOF2
cat >"$T/lmtp2.scn" <<'EOF2'
%server
reply LHLO 250-mock.test|250-PIPELINING|250 ENHANCEDSTATUSCODES
reply . 250 2.0.0 <full@example.net> Saved
EOF2
q_msg lmtp-1 >"$T/msg1"

q_mock_start lmtp1 "$T/lmtp1.scn" --once
# shellcheck disable=SC2086
"$SMTPSEND" $Q_SEND_OPTS --protocol=lmtp --host=127.0.0.1 --port="$PORT" \
	ok@example.net full@example.net gone@example.net \
	<"$T/msg1" >"$T/send.out" 2>"$T/send.err"
rc=$?
q_mock_wait_exit lmtp1
q_expect_eq "send: exit status (one recipient failed after the dot)" 67 "$rc"
q_expect_eq "first session" "LHLO MAIL RCPT RCPT RCPT DATA . QUIT" \
	"$(q_verbs "$T/lmtp1.rec")"

q_expect_eq "one entry" 1 "$(q_nentries)"
ID=$(q_entries | head -n 1)
[ -n "$ID" ] || { q_dump "$T/send.err"; q_fail "no entry was made"; }
q_log "entry $ID"
q_expect_eq "stderr lines" 2 "$(wc -l <"$T/send.err" | tr -d ' ')"
q_expect_grep "stderr: 452 after the dot deferred and queued" "$T/send.err" \
	"^smtpsend: full@example\.net: deferred: 452 4\.2\.2 <full@example\.net> Mailbox full (queued as $ID)\$"
q_expect_grep "stderr: 550 after the dot failed" "$T/send.err" \
	"^smtpsend: gone@example\.net: failed: 550 5\.2\.1 <gone@example\.net> Mailbox disabled\$"
q_expect_eq "recipients in the entry" \
	"delivered ok@example.net,deferred full@example.net,failed gone@example.net" \
	"$(q_rcpts "$ID" | paste -s -d , -)"
q_expect_eq "the entry keeps the protocol" "protocol lmtp" \
	"$(q_env_value "$ID" Setting | grep '^protocol ')"

# the flush's command line says nothing of the protocol: the entry's says
q_mock_start lmtp2 "$T/lmtp2.scn"
"$SMTPSEND" --queue-flush --force --port="$PORT" >"$T/flush.out" 2>"$T/flush.err"
rc=$?
q_mock_stop lmtp2
q_expect_eq "flush: exit status" 0 "$rc"
q_expect_eq "flush: no output" "" "$(cat "$T/flush.out" "$T/flush.err")"
q_expect_eq "second session speaks LMTP" "LHLO MAIL RCPT DATA . QUIT" \
	"$(q_verbs "$T/lmtp2.rec")"
q_expect_eq "exactly one RCPT, to the deferred recipient" \
	"RCPT TO:<full@example.net>" \
	"$(tr -d '\r' <"$T/lmtp2.rec" | grep '^RCPT')"
q_expect_eq "message received once more" 1 "$(q_count lmtp-1 "$T/lmtp2.rec")"
q_expect_eq "entries left" 0 "$(q_nentries)"

[ "$q_failures" -gt 0 ] && q_dump "$T/send.err" "$T/lmtp1.rec" "$T/lmtp2.rec"
q_done
