#!/bin/sh
# An account with queue_max_age 1s, retry_min 1s and bounce on.  A message
# deferred (451 to RCPT) is, two seconds later, past its age: the flush
# gives it up without trying it again (doc/queue-format.md section 7: "an
# entry whose age has reached queue_max_age is not tried but given up"),
# moves it to failed/, says so on stderr, and sends a report with the null
# sender to the sender, naming the recipient and quoting the original
# headers.
#
# The server answers 451 to the first RCPT and 250 to every later one, so
# the report (the second RCPT it sees) is accepted.  A flush that wrongly
# tried the expired entry again would see 250 and deliver it instead.
. "$(dirname "$0")/lib.sh"

cat >"$T/greylist.scn" <<'EOF'
%server
reply RCPT 451 4.7.1 Greylisted, try again later
reply RCPT 250 2.1.5 Ok
EOF
q_mock_start mock "$T/greylist.scn"

mkdir -p "$XDG_CONFIG_HOME/smtpsend"
CONF=$XDG_CONFIG_HOME/smtpsend/config
cat >"$CONF" <<EOF
account mock
host 127.0.0.1
port $PORT
tls off
domain client.test
from sender@example.org
timeout 10
queue on
retry_min 1s
queue_max_age 1s
bounce on

account default : mock
EOF
chmod 600 "$CONF"

q_msg expiry-1 >"$T/msg1"
"$SMTPSEND" -a mock rcpt@example.net <"$T/msg1" >"$T/send.out" 2>"$T/send.err"
rc=$?
q_expect_eq "send: exit status (deferred and queued)" 0 "$rc"
ID=$(q_entries | head -n 1)
[ -n "$ID" ] || { q_dump "$T/send.err" "$T/mock.err"; q_fail "no entry was made"; }
q_log "entry $ID"
q_expect_grep "send: queued" "$T/send.err" \
	"^smtpsend: rcpt@example\.net: deferred: 451 4\.7\.1 .*(queued as $ID)\$"
q_expect_eq "entry: recipient deferred" "deferred rcpt@example.net" "$(q_rcpts "$ID")"
q_expect_eq "entry: Account" mock "$(q_env_value "$ID" Account)"
q_expect_eq "entry: Config" "$CONF" "$(q_env_value "$ID" Config)"
created=$(q_env_value "$ID" Created)
next=$(q_env_value "$ID" Next-Attempt)
if [ "$next" -le $((created + 1)) ] && [ "$next" -ge "$created" ]; then
	q_ok "Next-Attempt ($next) not later than Created + queue_max_age ($created + 1)"
else
	q_check_fail "Next-Attempt $next, Created $created: not capped by queue_max_age"
fi
q_expect_eq "first session received" 0 "$(q_received "$T/mock.rec" | wc -l | tr -d ' ')"
size1=$(wc -c <"$T/mock.rec")

sleep 2

# a plain (not forced) flush: the entry is due (Next-Attempt is capped by
# Created + queue_max_age) and past its age
if q_have_timeout; then TO="timeout 60"; else TO=; fi
$TO "$SMTPSEND" --queue-flush >"$T/flush.out" 2>"$T/flush.err"
rc=$?
q_mock_settle mock
q_mock_stop mock
q_expect_eq "flush: exit status" 0 "$rc"

# the entry: in failed/, not in msg/, the recipient still deferred there
q_expect_eq "entries in msg/" 0 "$(q_nentries)"
q_expect_eq "entries in failed/" "$ID" "$(q_failed_entries | paste -s -d ' ' -)"
if [ -f "$QDIR/failed/$ID.env" ]; then
	q_expect_eq "failed/ID.eml there" yes "$([ -f "$QDIR/failed/$ID.eml" ] && echo yes)"
	q_expect_eq "failed entry: the recipient given up (deferred)" \
		"deferred rcpt@example.net" "$(q_rcpts "$ID" failed)"
	q_expect_eq "failed entry: not tried again (Attempts)" 1 \
		"$(q_env_value "$ID" Attempts failed)"
fi

# stderr (the notice): given up
q_expect_grep "flush stderr: given up" "$T/flush.err" \
	"^smtpsend: $ID: rcpt@example\.net: given up after the maximum queue time"
"$SMTPSEND" --queue-list >"$T/list.out" 2>&1
q_expect_grep "--queue-list: [given up]" "$T/list.out" "^$ID  .*\[given up\]"

# the server: the original recipient only at submission, never again
q_expect_eq "RCPT TO:<rcpt@example.net> (submission only)" 1 \
	"$(q_count_lines "$T/mock.rec" 'RCPT TO:<rcpt@example.net>')"

# the report: MAIL FROM:<> to the sender; the original message is not sent
# again (the report quotes its headers, so look for its MAIL and its body)
tail -c +$((size1 + 1)) "$T/mock.rec" >"$T/flush.rec"
q_expect_eq "flush: no MAIL FROM:<sender@example.org>" 0 \
	"$(q_count_lines "$T/flush.rec" 'MAIL FROM:<sender@example.org>')"
q_expect_eq "flush: the original body not sent" 0 \
	"$(q_count_lines "$T/flush.rec" 'Body of expiry-1.')"
q_expect_eq "MAIL FROM:<> sessions" 1 "$(q_count_lines "$T/flush.rec" 'MAIL FROM:<>')"
q_expect_eq "report addressed to the sender" 1 \
	"$(q_count_lines "$T/flush.rec" 'RCPT TO:<sender@example.org>')"
awk '
{ sub(/\r$/, "") }
indata && $0 == "." { indata = 0; bounce = 0; next }
indata { if (bounce) print; next }
$0 == "MAIL FROM:<>" { bounce = 1 }
toupper($0) == "DATA" { indata = 1 }
' "$T/flush.rec" >"$T/bounce.txt"
q_expect_grep "report: To: the sender" "$T/bounce.txt" '^To: <sender@example\.org>$'
q_expect_grep "report: Auto-Submitted" "$T/bounce.txt" '^Auto-Submitted: auto-replied$'
q_expect_grep "report: names the failed recipient" "$T/bounce.txt" '<rcpt@example\.net>'
q_expect_grep "report: the last reply" "$T/bounce.txt" 'Greylisted, try again later'
q_expect_grep "report: original Message-ID" "$T/bounce.txt" '^Message-ID: <expiry-1@queue\.test>$'
q_expect_grep "report: original Subject" "$T/bounce.txt" '^Subject: queue test expiry-1$'
q_expect_grep "report: original X-Test-Id" "$T/bounce.txt" '^X-Test-Id: expiry-1$'
q_expect_nogrep "report: not the original body" "$T/bounce.txt" '^Body of expiry-1\.$'

[ "$q_failures" -gt 0 ] && q_dump "$T/flush.err" "$T/mock.rec" "$T/mock.err"
q_done
