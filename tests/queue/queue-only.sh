#!/bin/sh
# --queue-only and sendmail's -odq: the message is prepared as for a send
# (headers, envelope, checks), put in the queue without a connection (the
# server, up all along, receives nothing), reported and logged as queued
# (exit 0), due at once; the next plain --queue-flush delivers it byte for
# byte.  Refused with --no-queue or "queue off" (64), and a message that a
# send would refuse is refused the same (65), with nothing queued.
. "$(dirname "$0")/lib.sh"

q_mock_start up

# q_data RECORD N - the data of the Nth DATA of the record, un-dot-stuffed,
# with its CRLF line ends: the bytes the server took as the message.
q_data() {
	awk -v want="$2" '
	indata && $0 == ".\r" { indata = 0; if (k == want) exit; next }
	indata && k == want { if (substr($0, 1, 1) == ".") $0 = substr($0, 2)
			      print; next }
	indata { next }
	toupper($0) == "DATA\r" { indata = 1; k++ }
	' "$1"
}

# the test message: a line with a leading dot is dot-stuffed on the wire
{ q_msg only-1; printf '.leading dot\n'; } >"$T/only-1.msg"

# ---------------------------------------------------------------------------
# 1. --queue-only: queued, nothing on the wire
# shellcheck disable=SC2086
"$SMTPSEND" $Q_SEND_OPTS --host=127.0.0.1 --port="$PORT" --queue-only \
	--logfile="$T/mail.log" rcpt@example.net \
	<"$T/only-1.msg" >"$T/only-1.out" 2>"$T/only-1.err"
q_expect_eq "--queue-only: exit status" 0 $?
q_expect_eq "--queue-only: nothing on stdout" "" "$(cat "$T/only-1.out")"
ID1=$(q_entry_of only-1)
[ -n "$ID1" ] || { q_dump "$T/only-1.err"; q_fail "no entry was made"; }
q_log "entry $ID1"
q_expect_eq "--queue-only: the report" \
	"smtpsend: rcpt@example.net: deferred: not tried: --queue-only (queued as $ID1)" \
	"$(cat "$T/only-1.err")"
q_expect_eq "--queue-only: the server got no connection" 0 \
	"$(wc -c <"$T/up.rec" | tr -d ' ')"
q_expect_grep "--queue-only: the log line says queued=" "$T/mail.log" \
	" deferred=rcpt@example\.net queued=$ID1 exitcode=EX_OK\$"

# the entry, exactly: no attempt yet, due at once
CREATED=$(q_env_value "$ID1" Created)
SIZE=$(wc -c <"$QDIR/msg/$ID1.eml" | tr -d ' ')
printf '%s\n' "Version: 1" "Created: $CREATED" "Attempts: 0" \
	"Last-Attempt: 0" "Next-Attempt: $CREATED" \
	"Setting: host 127.0.0.1" "Setting: port $PORT" \
	"Setting: domain client.test" "Setting: tls off" \
	"Size: $SIZE" "Body: 7bit" "Hold: no" "Sender: sender@example.org" \
	"Recipient: deferred	0	0	-	rcpt@example.net	" >"$T/only-1.env"
if cmp -s "$T/only-1.env" "$QDIR/msg/$ID1.env"; then
	q_ok "--queue-only: ID.env as expected"
else
	q_check_fail "--queue-only: ID.env differs"
	q_dump "$T/only-1.env" "$QDIR/msg/$ID1.env"
fi
q_expect_eq "--queue-only: no ID.log (no attempt)" no \
	"$([ -e "$QDIR/msg/$ID1.log" ] && echo yes || echo no)"
q_expect_eq "--queue-only: tmp/ is empty" "" "$(ls -A "$QDIR/tmp")"
# the message as a send prepares it: Date: added, CRLF line ends
q_expect_grep "--queue-only: Date: added" "$QDIR/msg/$ID1.eml" '^Date: '
q_expect_eq "--queue-only: every line ends with CRLF" \
	"$(wc -l <"$QDIR/msg/$ID1.eml" | tr -d ' ')" \
	"$(grep -c "$(printf '\r')\$" "$QDIR/msg/$ID1.eml")"
cp "$QDIR/msg/$ID1.eml" "$T/only-1.eml"
"$SMTPSEND" --queue-list >"$T/list1.out" 2>&1
q_expect_grep "--queue-list: due" "$T/list1.out" \
	'^    <rcpt@example\.net>  deferred  attempts 0  next try .* (due)$'

# a plain flush (no --force) sends it: it is due
"$SMTPSEND" --queue-flush >"$T/flush1.out" 2>&1
q_expect_eq "flush: exit status" 0 $?
q_expect_eq "flush: no output" "" "$(cat "$T/flush1.out")"
q_mock_settle up
q_expect_eq "flush: received once" 1 "$(q_count only-1 "$T/up.rec")"
q_expect_eq "flush: the commands" "EHLO MAIL RCPT DATA . QUIT" \
	"$(q_verbs "$T/up.rec")"
q_expect_eq "flush: RCPT" 1 \
	"$(q_count_lines "$T/up.rec" "RCPT TO:<rcpt@example.net>")"
q_data "$T/up.rec" 1 >"$T/got-1.eml"
if cmp -s "$T/only-1.eml" "$T/got-1.eml"; then
	q_ok "flush: the server received ID.eml byte for byte"
else
	q_check_fail "flush: the data differs from ID.eml"
	q_dump "$T/only-1.eml" "$T/got-1.eml"
fi
q_expect_eq "flush: the queue is empty" yes \
	"$(q_queue_empty && echo yes)"

# ---------------------------------------------------------------------------
# 2. sendmail -odq -oi -t: the same, recipients from the header
ln -s "$SMTPSEND" "$T/sendmail" || q_error "cannot make the sendmail link"
q_msg only-2 >"$T/only-2.msg"
cp "$T/up.rec" "$T/up.rec.before"
# shellcheck disable=SC2086
"$T/sendmail" $Q_SEND_OPTS --host=127.0.0.1 --port="$PORT" -odq -oi -t \
	<"$T/only-2.msg" >"$T/only-2.out" 2>"$T/only-2.err"
q_expect_eq "-odq: exit status" 0 $?
ID2=$(q_entry_of only-2)
[ -n "$ID2" ] || { q_dump "$T/only-2.err"; q_fail "-odq made no entry"; }
q_expect_eq "-odq: the report" \
	"smtpsend: rcpt@example.net: deferred: not tried: --queue-only (queued as $ID2)" \
	"$(cat "$T/only-2.err")"
if cmp -s "$T/up.rec.before" "$T/up.rec"; then
	q_ok "-odq: the server got no connection"
else
	q_check_fail "-odq: the server was contacted"
fi
q_expect_eq "-odq: Attempts" 0 "$(q_env_value "$ID2" Attempts)"
q_expect_eq "-odq: recipients (from To:)" "deferred rcpt@example.net" \
	"$(q_rcpts "$ID2")"
cp "$QDIR/msg/$ID2.eml" "$T/only-2.eml"
"$SMTPSEND" --queue-flush >"$T/flush2.out" 2>&1
q_expect_eq "flush 2: exit status" 0 $?
q_mock_settle up
q_expect_eq "flush 2: received once" 1 "$(q_count only-2 "$T/up.rec")"
q_data "$T/up.rec" 2 >"$T/got-2.eml"
if cmp -s "$T/only-2.eml" "$T/got-2.eml"; then
	q_ok "flush 2: the server received ID.eml byte for byte"
else
	q_check_fail "flush 2: the data differs from ID.eml"
	q_dump "$T/only-2.eml" "$T/got-2.eml"
fi
q_expect_eq "flush 2: the queue is empty" yes "$(q_queue_empty && echo yes)"

# ---------------------------------------------------------------------------
# 3. refused: with --no-queue, with "queue off", and a message a send
# refuses; nothing queued, nothing sent
cp "$T/up.rec" "$T/up.rec.before"
# shellcheck disable=SC2086
"$SMTPSEND" $Q_SEND_OPTS --host=127.0.0.1 --port="$PORT" --queue-only \
	--no-queue rcpt@example.net <"$T/only-1.msg" >/dev/null \
	2>"$T/noq.err"
q_expect_eq "--queue-only --no-queue: exit status" 64 $?
q_expect_grep "--queue-only --no-queue: the message" "$T/noq.err" \
	'^smtpsend: --queue-only (-odq) puts the message in the queue, --no-queue keeps it out'

mkdir -p "$XDG_CONFIG_HOME/smtpsend"
printf '%s\n' "account off" "host 127.0.0.1" "port $PORT" "tls off" \
	"domain client.test" "from sender@example.org" "queue off" \
	"account default : off" >"$XDG_CONFIG_HOME/smtpsend/config"
chmod 600 "$XDG_CONFIG_HOME/smtpsend/config"
"$T/sendmail" -odq -oi rcpt@example.net <"$T/only-1.msg" >/dev/null \
	2>"$T/off.err"
q_expect_eq "-odq with queue off: exit status" 64 $?
q_expect_grep "-odq with queue off: the message" "$T/off.err" \
	'^smtpsend: --queue-only (-odq) puts the message in the queue, but the account has "queue off"'
rm -f "$XDG_CONFIG_HOME/smtpsend/config"

printf 'Subject: no recipients\n\nbody\n' >"$T/norcpt.msg"
# shellcheck disable=SC2086
"$SMTPSEND" $Q_SEND_OPTS --host=127.0.0.1 --port="$PORT" --queue-only -t \
	<"$T/norcpt.msg" >/dev/null 2>"$T/norcpt.err"
q_expect_eq "--queue-only, no recipients: exit status" 65 $?
q_expect_grep "--queue-only, no recipients: the message" "$T/norcpt.err" \
	'no recipients'
q_expect_eq "refused: nothing queued" yes "$(q_queue_empty && echo yes)"
if cmp -s "$T/up.rec.before" "$T/up.rec"; then
	q_ok "refused: the server got no connection"
else
	q_check_fail "refused: the server was contacted"
fi
q_mock_stop up

q_done
