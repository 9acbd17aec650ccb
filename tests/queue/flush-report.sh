#!/bin/sh
# Delivery reports (RFC 3464) for recipients refused for good at flush
# time.  Three queued messages (every RCPT deferred at submission):
#   A from sender@example.org to bad@ and good@ (account mock, bounce on)
#   B from the null sender <> to bad@ (account mock)
#   C from sender@example.org to bad@ (account other, bounce_to
#     postmaster@example.org)
# At the flush, bad@ is refused with 550 5.1.1 and good@ accepted.  A's
# sender gets one multipart/report (checked part by part, the
# delivery-status fields exactly) naming bad@ only; B's null sender gets
# none (no report about a report); C's report goes to bounce_to.  Each
# report is sent from <> and leaves a line on stderr (and the mail log).
# The flush's deliveries go to the account's log file like direct ones.
. "$(dirname "$0")/lib.sh"

cat >"$T/defer.scn" <<'EOF'
%server
reply RCPT 451 4.7.1 Try again later
reply RCPT 451 4.7.1 Try again later
reply RCPT 451 4.7.1 Try again later
reply RCPT 451 4.7.1 Try again later
EOF
q_mock_start first "$T/defer.scn"

mkdir -p "$XDG_CONFIG_HOME/smtpsend"
CONF=$XDG_CONFIG_HOME/smtpsend/config
write_conf() {
	cat >"$CONF" <<EOF
defaults
host 127.0.0.1
port $1
tls off
domain client.test
from sender@example.org
timeout 10
bounce on
logfile $T/mail.log
logfile_time_format none

account mock

account other
bounce_to postmaster@example.org

account default : mock
EOF
	chmod 600 "$CONF"
}
write_conf "$PORT"

q_msg report-a >"$T/a"
"$SMTPSEND" -a mock bad@example.net good@example.net <"$T/a" 2>"$T/a.err"
q_expect_eq "A: queued" 0 "$?"
q_msg report-b >"$T/b"
"$SMTPSEND" -a mock -f '' bad@example.net <"$T/b" 2>"$T/b.err"
q_expect_eq "B (null sender): queued" 0 "$?"
q_msg report-c >"$T/c"
"$SMTPSEND" -a other bad@example.net <"$T/c" 2>"$T/c.err"
q_expect_eq "C: queued" 0 "$?"
q_mock_stop first
IDA=$(sed -n 's/.*(queued as \(.*\))$/\1/p' "$T/a.err" | head -n 1)
IDB=$(sed -n 's/.*(queued as \(.*\))$/\1/p' "$T/b.err" | head -n 1)
IDC=$(sed -n 's/.*(queued as \(.*\))$/\1/p' "$T/c.err" | head -n 1)
[ -n "$IDA" ] && [ -n "$IDB" ] && [ -n "$IDC" ] ||
	{ q_dump "$T/a.err" "$T/b.err" "$T/c.err"; q_fail "not queued"; }

cat >"$T/flush.scn" <<'EOF'
%server
reply RCPT 550 5.1.1 <bad@example.net>: no such user
reply RCPT 250 2.1.5 Ok
reply RCPT 550 5.1.1 <bad@example.net>: no such user
reply RCPT 250 2.1.5 Ok
reply RCPT 550 5.1.1 <bad@example.net>: no such user
reply RCPT 250 2.1.5 Ok
EOF
q_mock_start second "$T/flush.scn"
write_conf "$PORT"
if q_have_timeout; then TO="timeout 60"; else TO=; fi
# A and B share a connection (one account); A's report follows on its own
$TO "$SMTPSEND" --queue-flush="$IDA" --queue-flush="$IDB" \
	>"$T/f1.out" 2>"$T/f1.err"
q_expect_eq "flush A, B: exit status" 0 "$?"
$TO "$SMTPSEND" --queue-flush="$IDC" >"$T/f2.out" 2>"$T/f2.err"
q_expect_eq "flush C: exit status" 0 "$?"
q_mock_settle second
q_mock_stop second
REC=$T/second.rec

q_expect_eq "queue empty (every recipient final)" 0 "$(q_nentries)"
q_expect_eq "reports sent: RCPT TO:<sender@example.org>" 1 \
	"$(q_count_lines "$REC" 'RCPT TO:<sender@example.org>')"
q_expect_eq "no report to the null sender" 0 \
	"$(q_count_lines "$REC" 'RCPT TO:<>')"
q_expect_eq "C's report to bounce_to" 1 \
	"$(q_count_lines "$REC" 'RCPT TO:<postmaster@example.org>')"
q_expect_eq "MAIL FROM:<> (B itself and two reports)" 3 \
	"$(q_count_lines "$REC" 'MAIL FROM:<>')"
q_expect_grep "flush: a log file line like a direct send's" "$T/mail.log" \
	"^host=127\.0\.0\.1 tls=off auth=off from=sender@example\.org recipients=bad@example\.net,good@example\.net .*delivered=good@example\.net failed=bad@example\.net .*exitcode=EX_NOUSER\$"
q_expect_grep "stderr: A's report sent" "$T/f1.err" \
	"^smtpsend: $IDA: a delivery report was sent to <sender@example\.org>\$"
q_expect_nogrep "stderr: none for B" "$T/f1.err" "^smtpsend: $IDB: a delivery report"
q_expect_grep "stderr: C's report sent to bounce_to" "$T/f2.err" \
	"^smtpsend: $IDC: a delivery report was sent to <postmaster@example\.org>\$"

# report TO - the data of the message sent to RCPT TO:<TO>, CRs removed
report() {
	awk -v to="RCPT TO:<$1>" '
	{ sub(/\r$/, "") }
	indata && $0 == "." { indata = 0; want = 0; next }
	indata { if (want) print; next }
	/^MAIL FROM:/ { want = 0 }
	$0 == to { want = 1 }
	toupper($0) == "DATA" { indata = 1 }
	' "$REC"
}
report sender@example.org >"$T/ra.txt"
report postmaster@example.org >"$T/rc.txt"

B=$(sed -n 's/^	boundary="\(.*\)"$/\1/p' "$T/ra.txt")
q_expect_eq "report: a boundary" yes "$([ -n "$B" ] && echo yes)"
q_expect_grep "report: multipart/report" "$T/ra.txt" \
	'^Content-Type: multipart/report; report-type=delivery-status;$'
q_expect_grep "report: To: the sender" "$T/ra.txt" '^To: <sender@example\.org>$'
q_expect_grep "report: Auto-Submitted" "$T/ra.txt" '^Auto-Submitted: auto-replied$'
q_expect_grep "report: MIME-Version" "$T/ra.txt" '^MIME-Version: 1\.0$'
# the structure: three parts and the closing delimiter, in this order
awk -v b="$B" '
$0 == "--" b { n++; getline; getline; print n ": " $0; next }
$0 == "--" b "--" { print "end" }
' "$T/ra.txt" >"$T/parts"
q_expect_eq "report: parts" \
	"1: Content-Type: text/plain; charset=utf-8|2: Content-Type: message/delivery-status|3: Content-Type: text/rfc822-headers|end" \
	"$(paste -s -d '|' "$T/parts")"
# the delivery-status part, dates masked
awk -v b="$B" '
$0 ~ "^--" b { p++; body = 0; next }
p == 2 && body { print }
p == 2 && $0 == "" { body = 1 }
' "$T/ra.txt" | sed 's/^\(Arrival-Date\|Last-Attempt-Date\): [A-Z][a-z][a-z], [0-9][0-9] [A-Z][a-z][a-z] [0-9]\{4\} [0-9:]\{8\} +0000$/\1: DATE/' \
	>"$T/status.txt"
cat >"$T/status.want" <<EOF
Reporting-MTA: dns; client.test
X-Smtpsend-Queue-ID: $IDA
Arrival-Date: DATE

Final-Recipient: rfc822; bad@example.net
Action: failed
Status: 5.1.1
Remote-MTA: dns; 127.0.0.1
Diagnostic-Code: smtp; 550 5.1.1 <bad@example.net>: no such user
Last-Attempt-Date: DATE

EOF
if cmp -s "$T/status.want" "$T/status.txt"; then
	q_ok "report: the delivery-status fields"
else
	q_check_fail "report: the delivery-status fields differ"
	diff "$T/status.want" "$T/status.txt" >&2
fi
q_expect_nogrep "report: not about good@" "$T/ra.txt" 'good@example\.net'
# the original headers, not the body
awk -v b="$B" '$0 ~ "^--" b { p++; next } p == 3 { print }' "$T/ra.txt" >"$T/hdrs.txt"
q_expect_grep "headers part: Message-ID" "$T/hdrs.txt" '^Message-ID: <report-a@queue\.test>$'
q_expect_grep "headers part: Subject" "$T/hdrs.txt" '^Subject: queue test report-a$'
q_expect_nogrep "headers part: no body" "$T/hdrs.txt" '^Body of report-a\.$'
q_expect_grep "bounce_to: To:" "$T/rc.txt" '^To: <postmaster@example\.org>$'
q_expect_grep "bounce_to: about C" "$T/rc.txt" '^Message-ID: <report-c@queue\.test>$'

[ "$q_failures" -gt 0 ] && q_dump "$T/f1.err" "$T/f2.err" "$REC"
q_done
