#!/bin/sh
# Nothing listens: both recipients are queued (exit 0, "(queued as ID)"),
# the entry holds them deferred, --queue-list (text and json) shows them;
# then the server is up and a forced flush sends the message once, with
# both RCPTs, and empties the queue.
. "$(dirname "$0")/lib.sh"

DOWN=$(q_closed_port)
q_msg down-up-1 >"$T/msg1"

# shellcheck disable=SC2086
"$SMTPSEND" $Q_SEND_OPTS --host=127.0.0.1 --port="$DOWN" \
	a@example.net b@example.net <"$T/msg1" >"$T/send.out" 2>"$T/send.err"
rc=$?
q_expect_eq "send with the server down: exit status" 0 "$rc"
q_expect_eq "send: nothing on stdout" 0 "$(wc -c <"$T/send.out" | tr -d ' ')"

q_expect_eq "one entry in msg/" 1 "$(q_nentries)"
ID=$(q_entries | head -n 1)
[ -n "$ID" ] || { q_dump "$T/send.err"; q_fail "no entry was made"; }
q_log "entry $ID"

# stderr: exactly one line per recipient, each naming the real id
q_expect_eq "stderr lines" 2 "$(wc -l <"$T/send.err" | tr -d ' ')"
q_expect_eq "stderr lines with (queued as $ID)" 2 \
	"$(grep -c -F "(queued as $ID)" "$T/send.err")"
q_expect_grep "stderr: a@ deferred and queued" "$T/send.err" \
	"^smtpsend: a@example\.net: deferred: .*(queued as $ID)\$"
q_expect_grep "stderr: b@ deferred and queued" "$T/send.err" \
	"^smtpsend: b@example\.net: deferred: .*(queued as $ID)\$"

# the entry
q_expect_eq "ID.eml there" yes "$([ -f "$QDIR/msg/$ID.eml" ] && echo yes)"
q_expect_eq "Version" 1 "$(q_env_value "$ID" Version)"
q_expect_eq "Attempts" 1 "$(q_env_value "$ID" Attempts)"
q_expect_eq "Hold" no "$(q_env_value "$ID" Hold)"
q_expect_eq "Sender" sender@example.org "$(q_env_value "$ID" Sender)"
q_expect_eq "Size = size of ID.eml" "$(wc -c <"$QDIR/msg/$ID.eml" | tr -d ' ')" \
	"$(q_env_value "$ID" Size)"
q_expect_eq "recipients" "deferred a@example.net,deferred b@example.net" \
	"$(q_rcpts "$ID" | paste -s -d , -)"
q_expect_eq "Setting port" "port $DOWN" \
	"$(q_env_value "$ID" Setting | grep '^port ')"
q_expect_eq "ID.eml: every line ends with CRLF" \
	"$(wc -l <"$QDIR/msg/$ID.eml" | tr -d ' ')" \
	"$(grep -c "$(printf '\r')\$" "$QDIR/msg/$ID.eml")"
q_expect_eq "tmp/ is empty" "" "$(ls -A "$QDIR/tmp")"

# --queue-list
"$SMTPSEND" --queue-list >"$T/list.out" 2>"$T/list.err"
q_expect_eq "--queue-list: exit status" 0 $?
q_expect_eq "--queue-list: no stderr" "" "$(cat "$T/list.err")"
q_expect_grep "--queue-list: the entry" "$T/list.out" "^$ID  .*<sender@example\.org>"
q_expect_grep "--queue-list: a@ deferred" "$T/list.out" "^    <a@example\.net>  deferred  attempts 1"
q_expect_grep "--queue-list: b@ deferred" "$T/list.out" "^    <b@example\.net>  deferred  attempts 1"

# --queue-list=json
"$SMTPSEND" --queue-list=json >"$T/list.json" 2>"$T/listj.err"
q_expect_eq "--queue-list=json: exit status" 0 $?
if command -v python3 >/dev/null 2>&1 && python3 -c '' 2>/dev/null; then
	if python3 -m json.tool <"$T/list.json" >/dev/null 2>"$T/json.err"; then
		q_ok "--queue-list=json is valid JSON"
	else
		q_check_fail "--queue-list=json is not valid JSON"
		q_dump "$T/list.json" "$T/json.err"
	fi
	q_expect_eq "json: id and states" \
		"$ID deferred:a@example.net deferred:b@example.net" \
		"$(python3 -c '
import json, sys
d = json.load(sys.stdin)
for e in d["entries"]:
    print(e["id"], " ".join(r["state"] + ":" + r["address"] for r in e["recipients"]))
' <"$T/list.json" 2>&1)"
else
	q_expect_grep "json: starts with entries" "$T/list.json" '^{"entries":\[{"id":"'"$ID"'"'
	q_expect_grep "json: a@ deferred" "$T/list.json" '"address":"a@example\.net","state":"deferred"'
	q_expect_grep "json: b@ deferred" "$T/list.json" '"address":"b@example\.net","state":"deferred"'
fi

# the server comes up: a forced flush sends the message, once
q_mock_start up
"$SMTPSEND" --queue-flush --force --port="$PORT" >"$T/flush.out" 2>"$T/flush.err"
rc=$?
q_mock_stop up
q_expect_eq "flush: exit status" 0 "$rc"
q_expect_eq "flush: no output" "" "$(cat "$T/flush.out" "$T/flush.err")"
q_expect_eq "server received the message" 1 "$(q_count down-up-1 "$T/up.rec")"
q_expect_eq "server received messages" 1 "$(q_received "$T/up.rec" | wc -l | tr -d ' ')"
q_expect_eq "RCPT a@" 1 "$(q_count_lines "$T/up.rec" 'RCPT TO:<a@example.net>')"
q_expect_eq "RCPT b@" 1 "$(q_count_lines "$T/up.rec" 'RCPT TO:<b@example.net>')"
q_expect_eq "session" "EHLO MAIL RCPT RCPT DATA . QUIT" "$(q_verbs "$T/up.rec")"
q_expect_eq "MAIL FROM" 1 \
	"$(q_count_lines "$T/up.rec" 'MAIL FROM:<sender@example.org>')"
q_expect_eq "entries left" 0 "$(q_nentries)"
if q_queue_empty; then q_ok "msg/ and tmp/ are empty"; else
	q_check_fail "files left in the queue: $(ls -A "$QDIR/msg" "$QDIR/tmp")"
fi
"$SMTPSEND" --queue-list >"$T/list2.out" 2>&1
q_expect_eq "--queue-list after the flush" "The queue is empty." "$(cat "$T/list2.out")"

[ "$q_failures" -gt 0 ] && q_dump "$T/up.rec" "$T/up.err"
q_done
