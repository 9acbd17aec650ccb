#!/bin/sh
# A message sent through msmtp's SMTPSERVER/EMAIL fallback (no
# configuration file, no --host) while the server is down is queued with
# the host it was meant for; a flush run without those variables (cron
# does not have them) sends it there.
. "$(dirname "$0")/lib.sh"

DOWN=$(q_closed_port)
q_msg env-1 >"$T/msg1"
SMTPSERVER=127.0.0.1 EMAIL=env@example.org "$SMTPSEND" --tls=off \
	--domain=client.test --port="$DOWN" rcpt@example.net \
	<"$T/msg1" >"$T/send.out" 2>"$T/send.err"
q_expect_eq "send with the server down: exit status" 0 "$?"
q_expect_eq "one entry" 1 "$(q_nentries)"
ID=$(q_entries | head -n 1)
q_expect_eq "the entry keeps the host of SMTPSERVER" "host 127.0.0.1" \
	"$(q_env_value "$ID" Setting | grep '^host ')"
q_expect_eq "the sender of EMAIL" env@example.org \
	"$(q_env_value "$ID" Sender)"

q_mock_start up
env -u SMTPSERVER -u EMAIL "$SMTPSEND" --queue-flush --force \
	--port="$PORT" >"$T/flush.out" 2>"$T/flush.err"
q_expect_eq "flush without the variables: exit status" 0 "$?"
q_mock_stop up
q_expect_grep "the server got the message" "$T/up.rec" \
	'^MAIL FROM:<env@example.org>'
q_expect_eq "the queue is empty" 0 "$(q_nentries)"
q_done
