#!/bin/sh
# Through a real SOCKS5 proxy (microsocks, on 127.0.0.1) to smtpmock:
# a message goes through it, and so does --serverinfo; with the proxy down, a message is queued and
# its entry keeps the proxy, -4 and socket settings; once the proxy is up,
# a flush (with no option on its command line) sends it through the proxy
# again and empties the queue.  Skips (77) without microsocks.
. "$(dirname "$0")/lib.sh"

command -v microsocks >/dev/null 2>&1 ||
	q_skip "microsocks is not installed (Debian package microsocks)"

# socks_start PORT - start microsocks on 127.0.0.1:PORT and wait (at most
# 5 s) until it accepts connections.
socks_start() {
	microsocks -i 127.0.0.1 -p "$1" </dev/null >"$T/socks.out" \
		2>"$T/socks.err" &
	echo $! >"$T/socks.bgpid"
	s_tries=50
	while [ "$s_tries" -gt 0 ]; do
		if "$SMTPSEND" --proxy-host=127.0.0.1 --proxy-port="$1" \
			--host=127.0.0.1 --port="$(q_closed_port)" --serverinfo \
			--tls=off 2>&1 | grep -q 'SOCKS5 proxy: cannot connect'; then
			sleep 0.1
		else
			return 0
		fi
		s_tries=$((s_tries - 1))
	done
	q_error "microsocks did not start on port $1"
}

q_mock_start smtp
SMTP=$PORT

# 1. through the proxy, straight away
PROXY=$(q_closed_port)
socks_start "$PROXY"
q_msg socks-1 >"$T/msg1"
# shellcheck disable=SC2086
"$SMTPSEND" $Q_SEND_OPTS --proxy-host=127.0.0.1 --proxy-port="$PROXY" \
	--host=127.0.0.1 --port="$SMTP" -4 -v a@example.net \
	<"$T/msg1" >"$T/send1.out" 2>"$T/send1.err"
q_expect_eq "send through microsocks: exit status" 0 $?
q_expect_grep "-v: through the proxy" "$T/send1.err" \
	"connecting to 127\.0\.0\.1 port $SMTP through the SOCKS5 proxy 127\.0\.0\.1 port $PROXY"
q_expect_eq "the server received it" 1 "$(q_count socks-1 "$T/smtp.rec")"
"$SMTPSEND" --proxy-host=127.0.0.1 --proxy-port="$PROXY" --host=127.0.0.1 \
	--port="$SMTP" --tls=off --serverinfo >"$T/info.out" 2>"$T/info.err"
q_expect_eq "--serverinfo through microsocks: exit status" 0 $?
q_expect_grep "--serverinfo names the proxy" "$T/info.out" \
	"^Server: 127\.0\.0\.1 port $SMTP through the SOCKS5 proxy 127\.0\.0\.1 port $PROXY\$"
kill "$(cat "$T/socks.bgpid")" 2>/dev/null
wait "$(cat "$T/socks.bgpid")" 2>/dev/null
rm -f "$T/socks.bgpid"

# 2. the proxy is down: queued, with the settings to reach the server
q_msg socks-2 >"$T/msg2"
# shellcheck disable=SC2086
"$SMTPSEND" $Q_SEND_OPTS --proxy-host=127.0.0.1 --proxy-port="$PROXY" \
	--host=127.0.0.1 --port="$SMTP" -4 b@example.net \
	<"$T/msg2" >"$T/send2.out" 2>"$T/send2.err"
q_expect_eq "send with the proxy down: exit status" 0 $?
q_expect_grep "stderr: the proxy named" "$T/send2.err" \
	"^smtpsend: b@example\.net: deferred: SOCKS5 proxy: cannot connect to 127\.0\.0\.1 port $PROXY .*(queued as "
ID=$(q_entries | head -n 1)
[ -n "$ID" ] || { q_dump "$T/send2.err"; q_fail "no entry was made"; }
q_expect_eq "Setting proxy_host" "proxy_host 127.0.0.1" \
	"$(q_env_value "$ID" Setting | grep '^proxy_host ')"
q_expect_eq "Setting proxy_port" "proxy_port $PROXY" \
	"$(q_env_value "$ID" Setting | grep '^proxy_port ')"
q_expect_eq "Setting ip_family" "ip_family ipv4" \
	"$(q_env_value "$ID" Setting | grep '^ip_family ')"

# 3. the proxy is up again: a flush with no options goes through it
socks_start "$PROXY"
"$SMTPSEND" --queue-flush --force -v >"$T/flush.out" 2>"$T/flush.err"
q_expect_eq "flush: exit status" 0 $?
q_expect_grep "flush -v: through the proxy" "$T/flush.err" \
	"through the SOCKS5 proxy 127\.0\.0\.1 port $PROXY"
q_expect_eq "the server received the queued message" 1 \
	"$(q_count socks-2 "$T/smtp.rec")"
q_expect_eq "the queue is empty" 0 "$(q_nentries)"

# 4. a socket is kept too (an absolute path)
q_msg socks-3 >"$T/msg3"
# shellcheck disable=SC2086
"$SMTPSEND" $Q_SEND_OPTS --socket="$T/none.sock" --host=mail.example.test \
	c@example.net <"$T/msg3" >"$T/send3.out" 2>"$T/send3.err"
q_expect_eq "send to a missing socket: exit status" 0 $?
ID=$(q_entries | head -n 1)
[ -n "$ID" ] || { q_dump "$T/send3.err"; q_fail "no entry was made"; }
q_expect_eq "Setting socket" "socket $T/none.sock" \
	"$(q_env_value "$ID" Setting | grep '^socket ')"

q_done
