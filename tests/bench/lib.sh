# tests/bench/lib.sh - shared code of bench.sh (sourced): the messages, the
# servers, the configuration files, the checks for tools.  Uses bench.sh's
# variables ($dir, $pids, $smtpsend, $smtpmock, ...).  Every wait is a
# bounded loop.

# selected WORKLOAD - whether BENCH_ONLY asks for it
selected() {
	for s in $only; do
		[ "$s" = all ] || [ "$s" = "$1" ] && return 0
	done
	return 1
}

# notrun WORKLOAD TOOL PACKAGE - the row of a workload that cannot run
notrun() {
	echo "bench: $1 not run: $2 is missing (install $3)" >&2
	echo "| $1 | not run: install $3 | — | — | — | 0 |"
}

# need WORKLOAD TOOL PACKAGE... - true when every TOOL is there; otherwise
# print the not-run row for the first one missing
need() {
	n_w=$1
	shift
	while [ $# -ge 2 ]; do
		if ! command -v "$1" >/dev/null 2>&1 && ! [ -x "$1" ]; then
			notrun "$n_w" "$1" "$2"
			return 1
		fi
		shift 2
	done
	return 0
}

# with_msmtp - true when msmtp takes part
with_msmtp() {
	[ "${BENCH_MSMTP:-on}" != off ] && command -v msmtp >/dev/null 2>&1
}

# free_port - a TCP port nothing listens on (just now)
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_port HOST PORT [NETNS] - wait (at most 10 s) until it accepts
wait_port() {
	w_i=0
	while ! ${3:+ip netns exec "$3"} python3 -c "import socket; socket.create_connection(('$1',$2),1).close()" 2>/dev/null; do
		w_i=$((w_i + 1))
		[ $w_i -lt 100 ] || { echo "bench: nothing listens on $1:$2" >&2; exit 1; }
		sleep 0.1
	done
}

# start_sink ADDR PORT [NETNS] - Postfix's smtp-sink, 256 connections deep
start_sink() {
	s_user=""
	[ "$(id -u)" -eq 0 ] && s_user="-u nobody"
	# shellcheck disable=SC2086
	${3:+ip netns exec "$3"} smtp-sink $s_user "$1:$2" 256 \
		>/dev/null 2>&1 &
	pids="$pids $!"
	wait_port "$1" "$2" ${3:+"$3"}
}

# start_mock NAME [implicit] [NETNS] - smtpmock --serve with STARTTLS (or
# implicit TLS), AUTH PLAIN, PIPELINING and CHUNKING; its port in
# $dir/NAME.port, its log in $dir/NAME.log
start_mock() {
	m_s=$dir/$1.scn
	{ echo "%server"
	  echo "ehlo PIPELINING STARTTLS CHUNKING 8BITMIME ENHANCEDSTATUSCODES"
	  echo "tls-cert $dir/certs/valid.pem $dir/certs/valid.key"
	  [ "${2:-}" = implicit ] && echo "tls-implicit"
	  echo "auth-mechs PLAIN"
	  echo "auth-user alice secret"
	  # answers to a pipelined group in one write, as Postfix's smtpd
	  echo "reply-batch"; } > "$m_s"
	rm -f "$dir/$1.port"
	${3:+ip netns exec "$3"} "$smtpmock" --serve \
		--port-file "$dir/$1.port" "$m_s" 2>"$dir/$1.log" &
	pids="$pids $!"
	m_i=0
	while ! [ -s "$dir/$1.port" ]; do
		m_i=$((m_i + 1))
		[ $m_i -lt 100 ] || { echo "bench: smtpmock did not start" >&2
			cat "$dir/$1.log" >&2; exit 1; }
		sleep 0.1
	done
	keepalive "$(cat "$dir/$1.port")" "${2:-}" ${3:+"$3"}
}

# keepalive PORT [implicit] [NETNS] - a session with smtpmock every 20 s
# (greeting, QUIT; in TLS for implicit), so that it does not stop after
# 60 s without a connection while a queue fills or other servers are used
keepalive() {
	${3:+ip netns exec "$3"} python3 - "$1" "$2" <<'PY' &
import socket, ssl, sys, time
for _ in range(1000):
    time.sleep(20)
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 30)
        s.settimeout(30)
        if sys.argv[2] == "implicit":
            c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            c.check_hostname = False
            c.verify_mode = ssl.CERT_NONE
            s = c.wrap_socket(s)
        s.recv(512)
        s.sendall(b"QUIT\r\n")
        s.recv(512)
        s.close()
    except OSError:
        pass
PY
	pids="$pids $!"
}

# stop_servers - stop every server started so far
stop_servers() {
	for p in $pids; do kill "$p" 2>/dev/null || :; done
	for p in $pids; do wait "$p" 2>/dev/null || :; done
	pids=""
}

# make_certs - the test certificates, once, in $dir/certs
make_certs() {
	[ -d "$dir/certs" ] && return 0
	sh "$here/../certs/make-certs.sh" "$dir/certs" >/dev/null 2>&1 ||
		{ echo "bench: cannot make the certificates" >&2; exit 1; }
}

# account NAME HOST PORT MODE [OVERRIDE] - one account of both
# configuration files; MODE is plain, starttls or implicit
account() {
	for a_f in "$dir/smtpsendrc" "$dir/msmtprc"; do
		{ echo "account $1"
		  echo "host $2"
		  echo "port $3"
		  if [ "$4" = plain ]; then
			echo "tls off"
			echo "auth off"
		  else
			echo "tls on"
			[ "$4" = starttls ] && echo "tls_starttls on" ||
				echo "tls_starttls off"
			echo "tls_trust_file ${a_trust:-$dir/certs/ca.pem}"
			[ -n "${5:-}" ] && echo "tls_host_override $5"
			echo "auth plain"
			echo "user alice"
			echo "password secret"
		  fi; } >> "$a_f"
	done
}

# confs - start both configuration files afresh (accounts come after)
confs() {
	for c_f in "$dir/smtpsendrc" "$dir/msmtprc"; do
		( umask 077
		  { echo "defaults"
		    echo "domain bench.example"
		    echo "from bench@example.org"
		    echo "timeout 600"; } > "$c_f" )
	done
	echo "syslog off" >> "$dir/msmtprc"
	# a send that fails must say so, not queue: the queue workloads say
	# --queue
	printf 'queue off\nqueue_dir %s\n' "$dir/q-send" >> "$dir/smtpsendrc"
}

# make_messages - small.eml (2 KiB) and big.eml (BENCH_BIG_MB MiB), and
# rcpts (BENCH_RCPTS addresses, one per line)
make_messages() {
	python3 - "$dir" "$big_mb" "$rcpts" <<'PY'
import sys
d, big, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
head = ("From: bench@example.org\nTo: r1@example.net\n"
        "Subject: bench\nDate: Thu, 03 Dec 2026 09:00:00 +0000\n"
        "Message-ID: <bench@example.org>\n\n")
line = "The quick brown fox jumps over the lazy dog, once more, at speed.\n"
with open(d + "/small.eml", "w") as f:
    body = line * ((2048 - len(head)) // len(line) + 1)
    f.write((head + body)[:2047] + "\n")
with open(d + "/big.eml", "w") as f:
    f.write(head)
    line = "x" * 76 + "\n"
    f.write(line * (big * 1048576 // len(line)))
with open(d + "/rcpts", "w") as f:
    for i in range(1, n + 1):
        f.write("r%d@example.net\n" % i)
PY
}

# pair ARGS... - pair.py with runone; a failure is remembered in $failed
# (bench.sh's exit status) and the other measurements go on
pair() {
	python3 "$here/pair.py" --runone "$runone" "$@" || failed=1
}
