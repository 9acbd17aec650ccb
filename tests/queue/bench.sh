#!/bin/sh
# Queue timings (not part of "make check": it asserts nothing, it prints
# figures).  Run from the build tree:
#
#   SMTPSEND=$PWD/src/smtpsend SMTPMOCK=$PWD/tests/server/smtpmock \
#   SMTPMOCK_CERTS=$PWD/tests/testcerts sh tests/queue/bench.sh
#
#   1. enqueue with the server down: BENCH_ENQUEUE runs (default 200),
#      the mean wall time per message;
#   2. a flush of BENCH_FLUSH queued messages (default 1000) to the mock
#      server offering PIPELINING and CHUNKING, in the clear and with
#      STARTTLS (when SMTPMOCK_CERTS is set);
#   3. with BENCH_RTT_MS (e.g. 50) and root: the same flush in the clear
#      through a pair of network namespaces whose link delays each packet
#      by half that (tc netem), so that a round trip takes BENCH_RTT_MS.
#
# Every loop is bounded by its count; every flush by timeout(1).
. "$(dirname "$0")/lib.sh"

N_ENQ=${BENCH_ENQUEUE:-200}
N_FLUSH=${BENCH_FLUSH:-1000}
RTT=${BENCH_RTT_MS:-}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# 1. enqueue, server down
DOWN=$(q_closed_port)
q_msg bench >"$T/m"
t0=$(now_ms)
k=0
while [ "$k" -lt "$N_ENQ" ]; do
	# shellcheck disable=SC2086
	"$SMTPSEND" $Q_SEND_OPTS --host=127.0.0.1 --port="$DOWN" \
		"r$k@example.net" <"$T/m" 2>/dev/null \
		|| q_error "enqueue $k failed"
	k=$((k + 1))
done
t1=$(now_ms)
echo "enqueue, server down: $N_ENQ messages, $(awk -v t=$((t1 - t0)) -v n="$N_ENQ" 'BEGIN { printf "%.2f", t / n }') ms each"
"$SMTPSEND" --queue-remove=all >/dev/null 2>&1

# fill - N_FLUSH entries with --queue-only, for HOST PORT (in the
# settings kept with each entry; the flush overrides the port).
fill() {
	k=0
	while [ "$k" -lt "$N_FLUSH" ]; do
		# shellcheck disable=SC2086
		"$SMTPSEND" $Q_SEND_OPTS --queue-only --host="$1" \
			--port=25 "$2" "r$k@example.net" <"$T/m" \
			2>/dev/null || q_error "queueing $k failed"
		k=$((k + 1))
	done
}

# flush NAME [OPTIONS...] - time a forced flush of the whole queue.
flush() {
	f_name=$1
	shift
	t0=$(now_ms)
	timeout 600 "$SMTPSEND" --queue-flush --force "$@" \
		>"$T/$f_name.out" 2>"$T/$f_name.err"
	f_rc=$?
	t1=$(now_ms)
	echo "flush of $N_FLUSH, $f_name: $((t1 - t0)) ms (exit $f_rc, $(q_nentries) left)"
}

cat >"$T/plain.scn" <<'EOF'
%server
ehlo PIPELINING CHUNKING
EOF
q_mock_start plain "$T/plain.scn"
fill 127.0.0.1 --tls=off
flush plain --port="$PORT"
q_mock_stop plain
"$SMTPSEND" --queue-remove=all >/dev/null 2>&1

if [ -n "${SMTPMOCK_CERTS-}" ]; then
	cat >"$T/tls.scn" <<EOF
%server
ehlo STARTTLS PIPELINING CHUNKING
tls-cert $SMTPMOCK_CERTS/valid.pem $SMTPMOCK_CERTS/valid.key
EOF
	q_mock_start tls "$T/tls.scn"
	fill localhost "--tls=on --tls-starttls=on --tls-trust-file=$SMTPMOCK_CERTS/ca.pem"
	flush starttls --port="$PORT"
	q_mock_stop tls
	"$SMTPSEND" --queue-remove=all >/dev/null 2>&1
fi

[ -n "$RTT" ] || exit 0
[ "$(id -u)" = 0 ] || { echo "BENCH_RTT_MS needs root"; exit 0; }
NS=smtpsend-bench-$$
ip netns add "$NS" || q_error "ip netns add failed"
trap 'ip netns del "$NS" 2>/dev/null' EXIT
# everything crosses the namespace's loopback twice per round trip
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" tc qdisc add dev lo root netem delay "$((RTT / 2))ms" \
	limit 100000 || q_error "tc netem failed"
rm -f "$T/rtt.port"
ip netns exec "$NS" "$SMTPMOCK" --serve --port-file "$T/rtt.port" \
	--record "$T/rtt.rec" "$T/plain.scn" </dev/null >"$T/rtt.out" 2>&1 &
RTT_PID=$!
k=0
while [ ! -s "$T/rtt.port" ] && [ "$k" -lt 100 ]; do
	sleep 0.1
	k=$((k + 1))
done
[ -s "$T/rtt.port" ] || q_error "no mock in the namespace"
fill 127.0.0.1 --tls=off
t0=$(now_ms)
timeout 600 ip netns exec "$NS" "$SMTPSEND" --queue-flush --force \
	--port="$(cat "$T/rtt.port")" >"$T/rtt.fout" 2>"$T/rtt.ferr"
f_rc=$?
t1=$(now_ms)
echo "flush of $N_FLUSH, plain at ${RTT} ms RTT: $((t1 - t0)) ms (exit $f_rc, $(q_nentries) left)"
kill "$RTT_PID" 2>/dev/null
exit 0
