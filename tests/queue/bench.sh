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
#   3. with BENCH_RTT_MS (e.g. 50): the same flush in the clear through a
#      relay on loopback (python3) that holds every chunk half that long
#      in each direction, so that a round trip takes BENCH_RTT_MS.
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

# N_FLUSH entries made once with --queue-only (for 127.0.0.1); each flush
# works on a fresh copy of them.
k=0
while [ "$k" -lt "$N_FLUSH" ]; do
	# shellcheck disable=SC2086
	"$SMTPSEND" $Q_SEND_OPTS --queue-dir="$T/master" --queue-only \
		--host=127.0.0.1 --port=25 "r$k@example.net" <"$T/m" \
		2>/dev/null || q_error "queueing $k failed"
	k=$((k + 1))
done

# flush NAME NS [OPTIONS...] - time a forced flush of a copy of the
# entries (in the network namespace NS unless it is "-").
flush() {
	f_name=$1
	f_ns=$2
	shift 2
	rm -rf "$T/fq"
	cp -a "$T/master" "$T/fq" || q_error "cannot copy the queue"
	set -- "$SMTPSEND" --queue-dir="$T/fq" --queue-flush --force "$@"
	[ "$f_ns" = - ] || set -- ip netns exec "$f_ns" "$@"
	t0=$(now_ms)
	timeout 600 "$@" >"$T/$f_name.out" 2>"$T/$f_name.err"
	f_rc=$?
	t1=$(now_ms)
	echo "flush of $N_FLUSH, $f_name: $((t1 - t0)) ms (exit $f_rc, $(q_nentries "$T/fq") left)"
}

cat >"$T/plain.scn" <<'EOF'
%server
ehlo PIPELINING CHUNKING
EOF
q_mock_start plain "$T/plain.scn"
flush plain - --port="$PORT"
q_mock_stop plain

if [ -n "${SMTPMOCK_CERTS-}" ]; then
	cat >"$T/tls.scn" <<EOF
%server
ehlo STARTTLS PIPELINING CHUNKING
tls-cert $SMTPMOCK_CERTS/valid.pem $SMTPMOCK_CERTS/valid.key
EOF
	q_mock_start tls "$T/tls.scn"
	flush starttls - --port="$PORT" --tls=on --tls-starttls=on \
		--tls-trust-file="$SMTPMOCK_CERTS/ca.pem" --tls-certcheck=off
	q_mock_stop tls
fi

[ -n "$RTT" ] || exit 0
# A round trip of RTT ms: a relay (python3) that holds every chunk RTT/2
# ms in each direction (tc netem would need the sch_netem module, which a
# container's kernel may lack).
cat >"$T/delay.py" <<'EOF'
import asyncio, sys
lport, port, half = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) / 2000
async def pipe(r, w):
    q = asyncio.Queue()
    async def out():
        while True:
            due, data = await q.get()
            if data is None:
                break
            d = due - asyncio.get_running_loop().time()
            if d > 0:
                await asyncio.sleep(d)
            w.write(data)
            await w.drain()
        w.close()
    t = asyncio.create_task(out())
    while True:
        data = await r.read(65536)
        q.put_nowait((asyncio.get_running_loop().time() + half, data or None))
        if not data:
            break
    await t
async def conn(r1, w1):
    r2, w2 = await asyncio.open_connection("127.0.0.1", port)
    await asyncio.gather(pipe(r1, w2), pipe(r2, w1))
async def main():
    srv = await asyncio.start_server(conn, "127.0.0.1", lport)
    open(sys.argv[4], "w").write("ready\n")
    await asyncio.sleep(600)
asyncio.run(main())
EOF
q_mock_start rtt "$T/plain.scn"
RPORT=$(q_closed_port)
timeout 700 python3 "$T/delay.py" "$RPORT" "$PORT" "$RTT" "$T/relay.ready" &
RELAY=$!
k=0
while [ ! -s "$T/relay.ready" ] && [ "$k" -lt 100 ]; do
	sleep 0.1
	k=$((k + 1))
done
[ -s "$T/relay.ready" ] || q_error "the delaying relay did not start"
flush "plain at ${RTT} ms RTT (relay)" - --port="$RPORT"
kill "$RELAY" 2>/dev/null
q_mock_stop rtt
exit 0
