#!/bin/sh
# A configuration mistake is not a temporary failure: a certificate that
# does not verify (the account trusts another CA) keeps the message but
# holds its entry (Hold-Reason, Hold-Config), says so with a hint on
# stderr and in the mail log, and exits 0 for a daemon but 78 when a
# person runs smtpsend in a terminal.  A plain flush leaves a held entry
# alone; mailq shows why it is held; after the configuration is fixed,
# --queue-release makes it due and the flush delivers it, once.  A flush
# that runs after the configuration file changed tries it by itself.
. "$(dirname "$0")/lib.sh"

[ -n "${SMTPMOCK_CERTS-}" ] || q_skip "no test certificates (certtool)"
command -v python3 >/dev/null 2>&1 || q_error "python3 is missing"

cat >"$T/tls.scn" <<EOS
%server
tls-cert $SMTPMOCK_CERTS/valid.pem $SMTPMOCK_CERTS/valid.key
ehlo PIPELINING STARTTLS
EOS
q_mock_start tls "$T/tls.scn"

mkdir -p "$XDG_CONFIG_HOME/smtpsend"
CONF=$XDG_CONFIG_HOME/smtpsend/config
write_conf() {
	cat >"$CONF" <<EOF
account mock
host 127.0.0.1
port $PORT
tls on
tls_trust_file $1
domain client.test
from sender@example.org
timeout 10
account default : mock
EOF
	chmod 600 "$CONF"
}
write_conf "$SMTPMOCK_CERTS/other-ca.pem"

# 1. no terminal (a daemon, cron): held, exit 0, the reason and the hint
q_msg held-1 >"$T/msg1"
setsid "$SMTPSEND" rcpt@example.net <"$T/msg1" >"$T/s1.out" 2>"$T/s1.err"
q_expect_eq "no terminal: exit status" 0 "$?"
ID=$(q_entries | head -n 1)
[ -n "$ID" ] || { q_dump "$T/s1.err"; q_fail "no entry was made"; }
q_expect_grep "stderr: held, the reason, the hint, the command" "$T/s1.err" \
	"^smtpsend: $ID: held: configuration problem: TLS certificate of 127\.0\.0\.1 not accepted: .*; check tls_trust_file or tls_fingerprint (or the server's certificate), then run \"smtpsend --queue-release=$ID\" (the next flush sends it)\$"
q_expect_eq "entry: Hold" yes "$(q_env_value "$ID" Hold)"
q_expect_eq "entry: Hold-Reason" yes \
	"$(q_env_value "$ID" Hold-Reason | grep -q '^TLS certificate of 127\.0\.0\.1 not accepted' && echo yes)"
q_expect_eq "entry: Hold-Config" yes \
	"$([ -n "$(q_env_value "$ID" Hold-Config)" ] && echo yes)"

# 2. in a terminal: held too, and exit 78 with the hint
cat >"$T/tty.sh" <<SH
"$SMTPSEND" rcpt@example.net <"$T/msg1"
echo "exit=\$?"
SH
python3 - "$T/tty.sh" >"$T/tty.out" 2>&1 <<'PY'
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp("sh", ["sh", sys.argv[1]])
out, end = b"", time.time() + 30
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
PY
q_expect_grep "terminal: exit 78" "$T/tty.out" '^exit=78'
q_expect_grep "terminal: the hint" "$T/tty.out" 'held: configuration problem: TLS certificate.*check tls_trust_file'
ID2=$(q_entries | grep -v -x -F "$ID" | head -n 1)
q_expect_eq "terminal: kept in the queue" yes "$([ -n "$ID2" ] && echo yes)"
"$SMTPSEND" --queue-remove="$ID2" >/dev/null 2>&1

# 3. a plain flush leaves it alone (the configuration has not changed)
"$SMTPSEND" --queue-flush --force >"$T/f1.out" 2>"$T/f1.err"
q_expect_eq "flush while held: exit status" 0 "$?"
q_expect_eq "flush while held: still queued" "$ID" "$(q_entries | paste -s -d ' ' -)"
"$SMTPSEND" --queue-list >"$T/list.out" 2>&1
q_expect_grep "mailq: [held]" "$T/list.out" "^$ID  .*\[held\]"
q_expect_grep "mailq: why" "$T/list.out" \
	'^    held: configuration problem: TLS certificate of 127\.0\.0\.1 not accepted'

# 4. the fix, then --queue-release: the next flush delivers it once
write_conf "$SMTPMOCK_CERTS/ca.pem"
"$SMTPSEND" --queue-release="$ID" >"$T/rel.out" 2>&1
q_expect_eq "release: exit status" 0 "$?"
q_expect_eq "release: no Hold-Reason left" "" "$(q_env_value "$ID" Hold-Reason)"
"$SMTPSEND" --queue-flush >"$T/f2.out" 2>"$T/f2.err"
q_expect_eq "flush after the fix: exit status" 0 "$?"
q_expect_eq "flush after the fix: queue empty" 0 "$(q_nentries)"
q_mock_settle tls
q_expect_eq "delivered once" 1 "$(q_count held-1 "$T/tls.rec")"

# 5. held again, then the file is fixed: a plain flush tries it by itself
write_conf "$SMTPMOCK_CERTS/other-ca.pem"
q_msg held-3 >"$T/msg3"
setsid "$SMTPSEND" rcpt@example.net <"$T/msg3" >"$T/s3.out" 2>"$T/s3.err"
ID3=$(q_entries | head -n 1)
q_expect_eq "held again" yes "$(q_env_value "$ID3" Hold)"
sleep 1         # a later modification time, whatever the file system
write_conf "$SMTPMOCK_CERTS/ca.pem"
"$SMTPSEND" --queue-flush >"$T/f3.out" 2>"$T/f3.err"
q_expect_eq "flush after the config changed: exit status" 0 "$?"
q_expect_eq "flush after the config changed: queue empty" 0 "$(q_nentries)"
q_mock_settle tls
q_mock_stop tls
q_expect_eq "held-3 delivered once" 1 "$(q_count held-3 "$T/tls.rec")"

[ "$q_failures" -gt 0 ] && q_dump "$T/s1.err" "$T/tty.out" "$T/f1.err" "$T/f2.err" "$T/f3.err"
q_done
