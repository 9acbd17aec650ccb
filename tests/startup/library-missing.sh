#!/bin/sh
# A library that cannot be loaded loses no mail: with GnuTLS hidden (an
# empty file mounted over it in a private mount namespace), a TLS send
# says "cannot load GnuTLS: <the loader's reason>" and queues the message
# (exit 0); with --no-queue it exits 71 (EX_OSERR) and the caller keeps
# it.  A plain send in the same namespace still delivers.  Likewise with
# libidn2 hidden, for a recipient with a non-ASCII domain ("cannot load
# libidn2: ..."), while an ASCII one is delivered.  Needs root (mount
# namespaces, as the system tests).
. "$(dirname "$0")/../queue/lib.sh"

[ "$(id -u)" = 0 ] || q_skip "not root (needs a mount namespace)"
[ -n "${SMTPMOCK_CERTS-}" ] || q_skip "no test certificates (certtool)"
command -v unshare >/dev/null 2>&1 || q_error "unshare (util-linux) is missing"

# libfile NAME WHAT - the file smtpsend opens for libNAME: its absolute
# name is in the program
libfile() {
	q_lf=$(grep -a -o "/[[:alnum:]/._-]*/lib$1\\.so\\.[0-9]*" \
		"$SMTPSEND" | sed 1q)
	[ -n "$q_lf" ] && [ -f "$q_lf" ] ||
		q_fail "the $2 file named in smtpsend was not found (\"$q_lf\")"
	printf '%s\n' "$q_lf"
}
LIB=$(libfile gnutls GnuTLS) || exit
IDN=$(libfile idn2 libidn2) || exit
: >"$T/empty"

# hidden FILE CMD... - CMD with the library FILE hidden
hidden() {
	unshare -m sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' \
		sh "$T/empty" "$@"
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
q_msg queued | hidden "$LIB" "$SMTPSEND" $TLS_OPTS rcpt@example.net \
	>"$T/queued.out" 2>"$T/queued.err"
q_expect_eq "queue on: exit status" 0 "$?"
q_expect_grep "queue on: the library and the reason" "$T/queued.err" \
	"cannot load GnuTLS: $LIB: "
q_expect_eq "queue on: the message is queued" 1 "$(q_nentries)"
q_expect_eq "queue on: nothing delivered" 0 \
	"$(q_count queued "$T/tls.rec")"

# shellcheck disable=SC2086
q_msg kept | hidden "$LIB" "$SMTPSEND" $TLS_OPTS --no-queue rcpt@example.net \
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
q_msg plain | hidden "$LIB" "$SMTPSEND" --host=127.0.0.1 --port="$PORT" \
	$Q_SEND_OPTS rcpt@example.net >"$T/plain.out" 2>&1
q_expect_eq "plain send without GnuTLS: exit status" 0 "$?"
q_expect_eq "plain send without GnuTLS: delivered" 1 \
	"$(q_count plain "$T/plain.rec")"

# libidn2 hidden: an ASCII recipient is delivered, one with a non-ASCII
# domain waits in the queue, or exit 71 with --no-queue
q_msg ascii | hidden "$IDN" "$SMTPSEND" --host=127.0.0.1 --port="$PORT" \
	$Q_SEND_OPTS rcpt@example.net >"$T/ascii.out" 2>&1
q_expect_eq "ASCII send without libidn2: exit status" 0 "$?"
q_expect_eq "ASCII send without libidn2: delivered" 1 \
	"$(q_count ascii "$T/plain.rec")"

q_msg idnq | hidden "$IDN" "$SMTPSEND" --host=127.0.0.1 --port="$PORT" \
	$Q_SEND_OPTS user@bücher.example >"$T/idnq.out" 2>"$T/idnq.err"
q_expect_eq "IDN, queue on: exit status" 0 "$?"
q_expect_grep "IDN, queue on: the library and the reason" "$T/idnq.err" \
	"cannot load libidn2: $IDN: "
q_expect_eq "IDN, queue on: the message is queued" 1 "$(q_nentries)"
q_expect_eq "IDN, queue on: nothing delivered" 0 \
	"$(q_count idnq "$T/plain.rec")"

q_msg idnk | hidden "$IDN" "$SMTPSEND" --host=127.0.0.1 --port="$PORT" \
	$Q_SEND_OPTS --no-queue user@bücher.example >"$T/idnk.out" \
	2>"$T/idnk.err"
q_expect_eq "IDN, queue off: exit status (EX_OSERR)" 71 "$?"
q_expect_grep "IDN, queue off: the library and the reason" "$T/idnk.err" \
	"cannot load libidn2: $IDN: "
q_expect_eq "IDN, queue off: no new entry" 1 "$(q_nentries)"

# a non-ASCII host name: the same error, not "cannot resolve"
q_msg idnh | hidden "$IDN" "$SMTPSEND" --host=bücher.example \
	--port="$PORT" $Q_SEND_OPTS --no-queue rcpt@example.net \
	>"$T/idnh.out" 2>"$T/idnh.err"
q_expect_eq "IDN host: exit status (EX_OSERR)" 71 "$?"
q_expect_grep "IDN host: the library and the reason" "$T/idnh.err" \
	"cannot load libidn2: $IDN: "
q_expect_nogrep "IDN host: no resolver error" "$T/idnh.err" "resolve"

# the library is back: the flush sends the queued message as A-labels
"$SMTPSEND" --host=127.0.0.1 --port="$PORT" $Q_SEND_OPTS --queue-flush \
	--force >"$T/idnflush.out" 2>&1
q_expect_eq "IDN flush: exit status" 0 "$?"
q_mock_settle plain
q_expect_eq "IDN flush: delivered once" 1 "$(q_count idnq "$T/plain.rec")"
q_expect_grep "IDN flush: the A-label on the wire" "$T/plain.rec" \
	'^RCPT TO:<user@xn--bcher-kva\.example>'

q_done
