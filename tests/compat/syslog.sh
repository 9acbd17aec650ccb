#!/bin/sh
# syslog LOG_MAIL / --syslog: one entry per message, tagged smtpsend with
# its process id, at the facility asked for (info when delivered, err when
# not), with the same fields as the log file.  The test stands a datagram
# socket of its own in for /dev/log, bind-mounted over it inside a private
# mount namespace, so the machine's log is never touched.
# A message held for a configuration problem (a certificate the account
# does not trust) leaves a mail.notice line naming the fix.
. "$(dirname "$0")/../queue/lib.sh"

command -v python3 >/dev/null 2>&1 || q_error "python3 is missing"
if [ "$(id -u)" -eq 0 ]; then NS="unshare -m"; else NS="unshare -rm"; fi
$NS true 2>/dev/null || q_skip "no private mount namespace here ($NS)"

# The stand-in for syslogd: every datagram of at most 20 s, one a line.
python3 - "$T/log.sock" "$T/log.txt" "$T/log.ready" <<'EOF' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[3], "w").close()
s.settimeout(0.5)
end = time.time() + 20
with open(sys.argv[2], "ab", buffering=0) as out:
    while time.time() < end:
        try:
            d = s.recv(65536)
        except socket.timeout:
            continue
        out.write(d.rstrip(b"\0\n") + b"\n")
EOF
LOGPID=$!
q_wait_file "$T/log.ready" 100 ||
	q_error "the syslog stand-in did not start"

# run NAME ARGS... - smtpsend with /dev/log replaced, the message on stdin.
run() {
	r_name=$1
	mkdir "$T/$r_name"
	shift
	$NS sh -c '
		set -e
		if [ ! -e /dev/log ]; then
			# no syslogd (a container): a /dev of our own with
			# the devices smtpsend may open, and a log entry
			mkdir "$2/dev"
			mount -t tmpfs tmpfs "$2/dev"
			for d in null zero full random urandom tty; do
				[ -e "/dev/$d" ] || continue
				: >"$2/dev/$d"
				mount --bind "/dev/$d" "$2/dev/$d"
			done
			: >"$2/dev/log"
			mount --move "$2/dev" /dev
		fi
		mount --bind "$1" /dev/log
		shift 2
		exec "$@"' sh "$T/log.sock" "$T/$r_name" "$SMTPSEND" "$@" \
		<"$T/msg" >"$T/$r_name.out" 2>"$T/$r_name.err"
}

q_mock_start up
q_msg sys-1 >"$T/msg"
run ok --tls=off --host=127.0.0.1 --port="$PORT" --domain=client.test \
	-f sender@example.org --syslog=LOG_MAIL rcpt@example.net
q_expect_eq "delivered: exit status" 0 "$?"
q_mock_stop up
DOWN=$(q_closed_port)
run down --tls=off --host=127.0.0.1 --port="$DOWN" --domain=client.test \
	-f sender@example.org --no-queue --syslog rcpt@example.net
q_expect_eq "server down, no queue: exit status" 75 "$?"
NLINES=2
# a configuration problem (a certificate the account does not trust):
# the entry is held, and the mail log says so at mail.notice
if [ -n "${SMTPMOCK_CERTS-}" ]; then
	printf '%%server\ntls-cert %s/valid.pem %s/valid.key\nehlo STARTTLS\n' \
		"$SMTPMOCK_CERTS" "$SMTPMOCK_CERTS" >"$T/tls.scn"
	q_mock_start tls "$T/tls.scn"
	run held --host=127.0.0.1 --port="$PORT" --domain=client.test \
		--tls-trust-file="$SMTPMOCK_CERTS/other-ca.pem" \
		-f sender@example.org rcpt@example.net
	q_expect_eq "held: exit status (no terminal)" 0 "$?"
	q_mock_stop tls
	NLINES=3        # the notice (no --syslog: no message line)
fi

q_tries=50
while [ "$(wc -l <"$T/log.txt" 2>/dev/null || echo 0)" -lt "$NLINES" ] &&
	[ "$q_tries" -gt 0 ]; do
	q_tries=$((q_tries - 1))
	sleep 0.1
done
kill "$LOGPID" 2>/dev/null
wait "$LOGPID" 2>/dev/null
q_expect_eq "entries" "$NLINES" "$(wc -l <"$T/log.txt")"
# <21> is mail.notice
[ "$NLINES" -eq 3 ] && q_expect_grep "held: mail.notice, the reason and the fix" \
	"$T/log.txt" \
	'^<21>.* smtpsend\[[0-9]*\]: [0-9.a-f]*: held: configuration problem: TLS certificate of 127\.0\.0\.1 not accepted: .*check tls_trust_file'

# <22> is mail.info, <11> user.err (RFC 5424 6.2.1)
q_expect_grep "delivered: mail.info, tagged smtpsend[PID]" "$T/log.txt" \
	'^<22>[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* smtpsend\[[0-9]*\]: '
q_expect_grep "delivered: the log file's fields" "$T/log.txt" \
	'^<22>.* host=127\.0\.0\.1 .*from=sender@example\.org .*recipients=rcpt@example\.net .*exitcode=EX_OK'
q_expect_grep "deferred: user.err, with the exit code" "$T/log.txt" \
	'^<11>.* smtpsend\[[0-9]*\]: .*exitcode=EX_TEMPFAIL'
q_done
