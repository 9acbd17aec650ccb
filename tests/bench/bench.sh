#!/bin/sh
# bench.sh - smtpsend and msmtp side by side, in one run, against Postfix's
# smtp-sink on loopback.  Prints the time of each and the ratio
# smtpsend/msmtp (below 1.00: smtpsend is faster).  A benchmark, not a test:
# it asserts nothing.
#
#   sh tests/bench/bench.sh [path/to/smtpsend]
#   BENCH_SENDS=200 BENCH_BIG_MB=20 sh tests/bench/bench.sh
#
# Needs: smtp-sink (package postfix), msmtp, python3 (to find a free port).
set -eu

smtpsend=${1:-${SMTPSEND:-src/smtpsend}}
sends=${BENCH_SENDS:-200}
big_mb=${BENCH_BIG_MB:-20}
for tool in smtp-sink msmtp python3; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "bench: $tool is not installed"; exit 77; }
done
[ -x "$smtpsend" ] || { echo "bench: no smtpsend at $smtpsend"; exit 77; }

dir=$(mktemp -d)
sink=""
trap '[ -n "$sink" ] && kill "$sink" 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
user=""
[ "$(id -u)" -eq 0 ] && user="-u nobody"
# shellcheck disable=SC2086
smtp-sink $user 127.0.0.1:"$port" 256 &
sink=$!
i=0
while ! python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$port),1)" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 50 ] || { echo "bench: smtp-sink did not start"; exit 1; }
	sleep 0.1
done

# a 10 KiB message and a big one
{ printf 'From: bench@example.org\nTo: r1@example.net\nSubject: bench\n\n'
  i=0; while [ $i -lt 160 ]; do
	printf 'Line %03d of the benchmark message, long enough to matter.\n' $i
	i=$((i + 1)); done; } > "$dir/small.eml"
python3 - "$dir/big.eml" "$big_mb" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("From: bench@example.org\nSubject: big\n\n")
    line = "x" * 76 + "\n"
    f.write(line * (int(sys.argv[2]) * 1024 * 1024 // len(line)))
PY

now() { python3 -c 'import time; print(int(time.monotonic()*1e6))'; }

run() { # run NAME COUNT FILE -- command...
	name=$1 count=$2 file=$3; shift 4
	t0=$(now)
	n=0
	while [ $n -lt "$count" ]; do
		"$@" r1@example.net r2@example.net r3@example.net < "$file" \
			>/dev/null || { echo "bench: $name failed"; exit 1; }
		n=$((n + 1))
	done
	t1=$(now)
	echo $((t1 - t0))
}

ss() { "$smtpsend" --host=127.0.0.1 --port="$port" --tls=off --no-queue \
	--domain=bench.example -f bench@example.org "$@"; }
ms() { msmtp --host=127.0.0.1 --port="$port" --tls=off --auth=off \
	--domain=bench.example -f bench@example.org "$@"; }

# warm up both, then measure each twice, interleaved
run warm 5 "$dir/small.eml" -- ss >/dev/null
run warm 5 "$dir/small.eml" -- ms >/dev/null
a1=$(run smtpsend "$sends" "$dir/small.eml" -- ss)
b1=$(run msmtp "$sends" "$dir/small.eml" -- ms)
a2=$(run smtpsend "$sends" "$dir/small.eml" -- ss)
b2=$(run msmtp "$sends" "$dir/small.eml" -- ms)
c1=$(run smtpsend 3 "$dir/big.eml" -- ss)
d1=$(run msmtp 3 "$dir/big.eml" -- ms)

python3 - "$sends" "$big_mb" "$a1" "$a2" "$b1" "$b2" "$c1" "$d1" <<'PY'
import sys
sends, big = int(sys.argv[1]), int(sys.argv[2])
a = min(int(sys.argv[3]), int(sys.argv[4])) / 1e3 / sends
b = min(int(sys.argv[5]), int(sys.argv[6])) / 1e3 / sends
c = int(sys.argv[7]) / 1e3 / 3
d = int(sys.argv[8]) / 1e3 / 3
print(f"10 KiB message, 3 recipients, {sends} sends (best of 2):")
print(f"  smtpsend {a:8.2f} ms/message   msmtp {b:8.2f} ms/message   ratio {a/b:.2f}")
print(f"{big} MiB message, 3 recipients, 3 sends:")
print(f"  smtpsend {c:8.1f} ms/message   msmtp {d:8.1f} ms/message   ratio {c/d:.2f}")
PY
