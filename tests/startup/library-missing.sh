#!/bin/sh
# A library that cannot be loaded loses no mail: with GnuTLS hidden (an
# empty file mounted over it in a private mount namespace), a TLS send
# says "cannot load GnuTLS: <the loader's reason>" and queues the message
# (exit 0); with --no-queue it exits 71 (EX_OSERR) and the caller keeps
# it.  A plain send in the same namespace still delivers.  Needs root
# (mount namespaces, as the system tests).
. "$(dirname "$0")/../queue/lib.sh"

[ "$(id -u)" = 0 ] || q_skip "not root (needs a mount namespace)"
[ -n "${SMTPMOCK_CERTS-}" ] || q_skip "no test certificates (certtool)"
command -v unshare >/dev/null 2>&1 || q_error "unshare (util-linux) is missing"

# the file smtpsend opens: its absolute name is in the program
LIB=$(grep -a -o '/[[:alnum:]/._-]*/libgnutls\.so\.[0-9]*' "$SMTPSEND" |
	sed 1q)
[ -n "$LIB" ] && [ -f "$LIB" ] ||
	q_fail "the GnuTLS file named in smtpsend was not found (\"$LIB\")"
: >"$T/empty"

# hidden CMD... - CMD with GnuTLS hidden
hidden() {
	unshare -m sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' \
		sh "$T/empty" "$LIB" "$@"
}

cat >"$T/tls.scn" <<EOS
%server
tls-cert $SMTPMOCK_CERTS/valid.pem $SMTPMOCK_CERTS/valid.key
ehlo PIPELINING STARTTLS
EOS
q_mock_start tls "$T/tls.scn"
TLS_OPTS="--host=127.0.0.1 --port=$PORT --tls=on --tls-starttls=on
--tls-trust-file=$SMTPMOCK_CERTS/ca.pem --domain=client.test
-f sender@example.org"

# shellcheck disable=SC2086 # TLS_OPTS: one word a line
q_msg queued | hidden "$SMTPSEND" $TLS_OPTS rcpt@example.net \
	>"$T/queued.out" 2>"$T/queued.err"
q_expect_eq "queue on: exit status" 0 "$?"
q_expect_grep "queue on: the library and the reason" "$T/queued.err" \
	"cannot load GnuTLS: $LIB: "
q_expect_eq "queue on: the message is queued" 1 "$(q_nentries)"
q_expect_eq "queue on: nothing delivered" 0 \
	"$(q_count queued "$T/tls.rec")"

# shellcheck disable=SC2086
q_msg kept | hidden "$SMTPSEND" $TLS_OPTS --no-queue rcpt@example.net \
	>"$T/kept.out" 2>"$T/kept.err"
q_expect_eq "queue off: exit status (EX_OSERR)" 71 "$?"
q_expect_grep "queue off: the library and the reason" "$T/kept.err" \
	"cannot load GnuTLS: $LIB: "
q_expect_eq "queue off: no new entry" 1 "$(q_nentries)"

# the library is back: the flush sends the queued message
# shellcheck disable=SC2086
"$SMTPSEND" $TLS_OPTS --queue-flush --force >"$T/flush.out" 2>&1
q_expect_eq "flush: exit status" 0 "$?"
q_mock_settle tls
q_expect_eq "flush: delivered once" 1 "$(q_count queued "$T/tls.rec")"

q_mock_start plain
q_msg plain | hidden "$SMTPSEND" --host=127.0.0.1 --port="$PORT" \
	$Q_SEND_OPTS rcpt@example.net >"$T/plain.out" 2>&1
q_expect_eq "plain send without GnuTLS: exit status" 0 "$?"
q_expect_eq "plain send without GnuTLS: delivered" 1 \
	"$(q_count plain "$T/plain.rec")"

q_done
