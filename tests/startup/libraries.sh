#!/bin/sh
# GnuTLS, GNU SASL, libidn2, libcurl and json-c are opened only when a run
# needs them (smtpsend(1), LIBRARIES): --version, --help, a plain send and
# an enqueue with the server down map none of them (nor libunistring,
# libidn2's); a STARTTLS send with AUTH PLAIN or LOGIN maps GnuTLS and not
# GNU SASL; AUTH CRAM-MD5 maps GNU SASL; a send to an address with a
# non-ASCII domain maps libidn2.
# What the dynamic linker opens is read from its own trace (LD_DEBUG=files,
# LD_DEBUG_OUTPUT), which names every object it maps, dlopen() included.
. "$(dirname "$0")/../queue/lib.sh"

[ -n "${SMTPMOCK_CERTS-}" ] || q_skip "no test certificates (certtool)"

# run NAME CMD... - CMD with the linker's trace in $T/NAME.ld; stdin,
# stdout and stderr as given by the caller.
run() {
	q_rn=$1
	shift
	rm -f "$T/$q_rn".ld.*
	LD_DEBUG=files LD_DEBUG_OUTPUT="$T/$q_rn.ld" "$@"
	q_rs=$?
	cat "$T/$q_rn".ld.* >"$T/$q_rn.ld" 2>/dev/null
	rm -f "$T/$q_rn".ld.*
	return "$q_rs"
}

# maps NAME - the libraries of interest NAME's run opened, one line each
# (gnutls, gsasl, curl, json-c), sorted.
maps() {
	sed -n 's/.*file=\([^ ]*\).*/\1/p' "$T/$1.ld" | sed 's,.*/,,' |
		sed -n 's/^lib\(gnutls\|gsasl\|curl\|json-c\)[.-].*/\1/p' |
		sort -u | tr '\n' ' ' | sed 's/ $//'
}

# maps_idn NAME - libidn2 and libunistring, as maps does (idn2, unistring).
# Apart from the others: GnuTLS may itself depend on libidn2.
maps_idn() {
	sed -n 's/.*file=\([^ ]*\).*/\1/p' "$T/$1.ld" | sed 's,.*/,,' |
		sed -n 's/^lib\(idn2\|unistring\)[.-].*/\1/p' |
		sort -u | tr '\n' ' ' | sed 's/ $//'
}

# expect_maps NAME WANT - the run NAME opened exactly WANT (maps' form).
expect_maps() {
	if [ ! -s "$T/$1.ld" ]; then
		q_check_fail "$1: no trace of the dynamic linker (LD_DEBUG)"
		return
	fi
	q_expect_eq "$1: libraries opened" "$2" "$(maps "$1")"
}

# expect_no_idn NAME - the run NAME opened neither libidn2 nor libunistring.
expect_no_idn() {
	q_expect_eq "$1: libidn2 not opened" "" "$(maps_idn "$1")"
}

# the trace works: the C library is linked and shows
run version "$SMTPSEND" --version >"$T/version.out" 2>&1
q_expect_eq "--version: exit status" 0 "$?"
q_expect_grep "--version: the trace names the C library" "$T/version.ld" \
	'file=libc\.so'
q_expect_grep "--version: names the GnuTLS built against" \
	"$T/version.out" '^Libraries: GnuTLS [0-9]'
q_expect_grep "--version: names the libidn2 built against" \
	"$T/version.out" '^Libraries: .*, libidn2 [0-9]'
expect_maps version ""
expect_no_idn version

run help "$SMTPSEND" --help >"$T/help.out" 2>&1
q_expect_eq "--help: exit status" 0 "$?"
expect_maps help ""
expect_no_idn help

q_mock_start plain
q_msg plain | run plain "$SMTPSEND" --host=127.0.0.1 --port="$PORT" \
	$Q_SEND_OPTS rcpt@example.net >"$T/plain.out" 2>&1
q_expect_eq "plain send: exit status" 0 "$?"
q_expect_eq "plain send: delivered" 1 "$(q_count plain "$T/plain.rec")"
expect_maps plain ""
expect_no_idn plain

# a non-ASCII domain, to a server without SMTPUTF8: sent as its A-label,
# with libidn2
q_msg idn | run idn "$SMTPSEND" --host=127.0.0.1 --port="$PORT" \
	$Q_SEND_OPTS user@bücher.example >"$T/idn.out" 2>&1
q_expect_eq "IDN send: exit status" 0 "$?"
q_expect_eq "IDN send: delivered" 1 "$(q_count idn "$T/plain.rec")"
q_expect_grep "IDN send: the A-label on the wire" "$T/plain.rec" \
	'^RCPT TO:<user@xn--bcher-kva\.example>'
expect_maps idn ""
q_expect_grep "IDN send: libidn2 opened" "$T/idn.ld" 'file=[^ ]*libidn2\.so'

# the server is down: the message is queued; a TLS account loads nothing
# before the connection is made
CLOSED=$(q_closed_port)
q_msg down | run down "$SMTPSEND" --host=127.0.0.1 --port="$CLOSED" \
	--tls=on --tls-starttls=on --domain=client.test \
	-f sender@example.org --tls-trust-file="$SMTPMOCK_CERTS/ca.pem" \
	rcpt@example.net >"$T/down.out" 2>&1
q_expect_eq "server down: exit status (queued)" 0 "$?"
q_expect_eq "server down: one entry" 1 "$(q_nentries)"
expect_maps down ""
expect_no_idn down
rm -rf "$QDIR"

cat >"$T/tls.scn" <<EOS
%server
tls-cert $SMTPMOCK_CERTS/valid.pem $SMTPMOCK_CERTS/valid.key
ehlo PIPELINING STARTTLS
auth-mechs PLAIN LOGIN CRAM-MD5
auth-user alice secret
EOS
q_mock_start tls "$T/tls.scn"
printf 'secret\n' >"$T/pw"
chmod 600 "$T/pw"
for mech in plain login cram-md5; do
	q_msg "tls-$mech" | run "tls-$mech" "$SMTPSEND" --host=127.0.0.1 \
		--port="$PORT" --tls=on --tls-starttls=on \
		--tls-trust-file="$SMTPMOCK_CERTS/ca.pem" \
		--domain=client.test -f sender@example.org --user=alice \
		--passwordeval="cat $T/pw" --auth="$mech" rcpt@example.net \
		>"$T/tls-$mech.out" 2>&1
	q_expect_eq "STARTTLS + AUTH $mech: exit status" 0 "$?"
	q_expect_eq "STARTTLS + AUTH $mech: delivered" 1 \
		"$(q_count "tls-$mech" "$T/tls.rec")"
done
expect_maps tls-plain "gnutls"
expect_maps tls-login "gnutls"
expect_maps tls-cram-md5 "gnutls gsasl"
q_expect_eq "no entry left" 0 "$(q_nentries)"

q_done
