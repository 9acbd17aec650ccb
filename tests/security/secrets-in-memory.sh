#!/bin/sh
# secrets-in-memory.sh - no copy of a password or of the AUTH line that
# carries it is left in smtpsend's memory once it has been sent, whatever
# the mechanism: the test dumps the memory of a running smtpsend (gcore)
# while it waits for the server's reply to the end of the message, long
# after AUTH, and looks for the password, its base64 forms and the
# base64 credentials of each mechanism, in live and freed memory alike.
# It also checks that the process cannot dump core (RLIMIT_CORE 0).
# Needs root (to read another process's memory) and gdb (gcore).
. "$(dirname "$0")/../queue/lib.sh"

[ "$(id -u)" -eq 0 ] || q_skip "reading another process's memory needs root"
command -v gcore >/dev/null 2>&1 || q_fail "gcore (gdb) is not installed"
[ -n "${SMTPMOCK_CERTS-}" ] || q_skip "no test certificates (certtool)"
if nm "$SMTPSEND" 2>/dev/null | grep -q __asan_init; then
	q_skip "a sanitizer build keeps freed memory in quarantine"
fi

PW=S3cr3tPassw0rdXYZ
printf '%s\n' "$PW" >"$T/pw"
chmod 600 "$T/pw"
cat >"$T/server.scn" <<EOS
%server
tls-cert $SMTPMOCK_CERTS/valid.pem $SMTPMOCK_CERTS/valid.key
ehlo PIPELINING STARTTLS
auth-mechs PLAIN LOGIN XOAUTH2 OAUTHBEARER CRAM-MD5 SCRAM-SHA-256
auth-user alice $PW
auth-token $PW
delay . 15
EOS

# needles - every form in which the secret could linger.
needles() {
	printf '%s\n' "$PW"
	printf '%s' "$PW" | base64
	printf '\000alice\000%s' "$PW" | base64
	printf 'user=alice\001auth=Bearer %s\001\001' "$PW" | base64 -w0
	echo
}

for mech in plain login xoauth2 cram-md5 scram-sha-256; do
	q_mock_start "$mech" "$T/server.scn" --once
	q_msg "$mech" | "$SMTPSEND" --host=127.0.0.1 --port="$PORT" \
		--tls-trust-file="$SMTPMOCK_CERTS/ca.pem" --no-queue \
		--domain=client.test -f sender@example.org --auth="$mech" \
		--user=alice --passwordeval="cat $T/pw" rcpt@example.org \
		>"$T/$mech.out" 2>&1 &
	pid=$!
	echo "$pid" >"$T/$mech.bgpid"
	# AUTH is done once the server has the whole message; its reply to
	# "." comes 15 s later
	tries=100
	while [ "$tries" -gt 0 ] \
	      && ! tr -d '\r' <"$T/$mech.rec" | grep -q -x '\.'; do
		tries=$((tries - 1))
		sleep 0.1
	done
	if ! kill -0 "$pid" 2>/dev/null; then
		q_dump "$T/$mech.out" "$T/$mech.err"
		q_fail "$mech: smtpsend ended before its memory could be read"
	fi
	q_expect_grep "$mech: no core dumps" "/proc/$pid/limits" \
		'^Max core file size  *0  *0 '
	timeout 30 gcore -o "$T/core" "$pid" >"$T/gcore.out" 2>&1 ||
		{ q_dump "$T/gcore.out"; q_fail "gcore failed"; }
	needles >"$T/needles"
	while read -r n; do
		[ -n "$n" ] || continue
		c=$(grep -c -a -F -e "$n" "$T/core.$pid")
		q_expect_eq "$mech: copies of \"$n\" in memory" 0 "$c"
	done <"$T/needles"
	rm -f "$T/core.$pid"
	kill "$pid" 2>/dev/null    # the rest is not this test's business
	wait "$pid" 2>/dev/null
	q_mock_stop "$mech"
done
q_done
