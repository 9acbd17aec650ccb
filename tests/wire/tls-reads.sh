#!/bin/sh
# tls-reads.sh - over TLS the client reads the socket through a buffer
# (src/tls_in.c): a server that answers 1000 pipelined RCPTs with one TLS
# record each (smtpmock does) is read in at most about one read per
# record (a few dozen when the records pile up, as they usually do; how
# many pile up is timing), not in two per record (header, then body:
# 2000 and more, whatever the timing).  And a record that is no
# reply never makes the client wait on the socket for a reply it has
# already read: smtpmock (tls-ticket-with-reply) sends a TLS 1.3 session
# ticket and its reply to EHLO in one write, GnuTLS says "again" after
# the ticket, and the reply must still be taken from the buffer (before,
# the session hung until the timeout).
. "$(dirname "$0")/lib.sh"

[ -n "${SMTPMOCK_CERTS-}" ] && [ -f "$SMTPMOCK_CERTS/ca.pem" ] ||
	{ w_log "SKIP: no test certificates (certtool is missing)"; exit 77; }
C=$SMTPMOCK_CERTS
printf '%%server\nehlo PIPELINING STARTTLS\ntls-cert %s %s\ntls-ticket-with-reply\n' \
	"$C/valid.pem" "$C/valid.key" >"$T/script"
printf 'Subject: t\n\nhello\n' >"$T/msg"

w_mock "$T/script"
i=0
set --
while [ $i -lt 1000 ]; do set -- "$@" "r$i@example.net"; i=$((i + 1)); done
RC=0
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
strace -o "$T/trace" -e signal=none -e trace=connect,read,recvfrom,recvmsg \
	"$SMTPSEND" --host=127.0.0.1 --port="$PORT" --tls=on \
	--tls-starttls=on --tls-trust-file="$C/ca.pem" --timeout=10 \
	--no-queue --domain=client.test -f a@example.org "$@" \
	<"$T/msg" >/dev/null 2>"$T/err" || RC=$?
w_wait_mock
w_expect "1000 recipients over STARTTLS: exit 0" "$RC"
[ "$RC" -eq 0 ] || cat "$T/err" >&2
n=$(grep -c '^RCPT TO:<r[0-9]*@example.net>' "$T/rec")
[ "$n" -eq 1000 ]
w_expect "the server got 1000 RCPT ($n)" $?
fd=$(sed -n "s/^connect(\([0-9]*\), .*htons($PORT).*/\1/p" "$T/trace" |
	head -n 1)
[ -n "$fd" ] || { cat "$T/trace" >&2; w_error "no connect in trace"; }
n=$(grep -cE "^(read|recvfrom|recvmsg)\($fd, " "$T/trace")
[ "$n" -ge 1 ] && [ "$n" -le 1100 ]
w_expect "1000 replies in TLS records: at most 1100 reads, not two a record ($n)" $?
w_done
