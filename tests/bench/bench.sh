#!/bin/sh
# bench.sh - the workloads of doc/performance.md, smtpsend against msmtp
# (and msmtpq for the queue), in alternation, against Postfix's smtp-sink
# (plain) and smtpmock --serve (STARTTLS and implicit TLS with AUTH PLAIN)
# on loopback, and in two network namespaces 50 ms apart for the round
# trips.  It prints one Markdown row per measurement, in the format of
# doc/performance.md's table.  A benchmark, not a test: it asserts nothing
# about time; it exits non-zero only when a run fails.
#
#   sh tests/bench/bench.sh [path/to/smtpsend]       (or: make bench)
#
# Variables (defaults in brackets; BENCH_SMOKE=1 makes every one tiny):
#   BENCH_ONLY        workloads to run, blank- or comma-separated [all]:
#                     ref small small-tls big rcpt enqueue flush rtt
#                     flush-rtt
#   BENCH_COUNT       pairs of runs for small, small-tls, rcpt, enqueue [20]
#   BENCH_BIG_MB      size of the big message in MiB [64] (the table: 1024)
#   BENCH_BIG_COUNT   pairs of runs of the big message [3]
#   BENCH_RCPTS       recipients of the rcpt workload [1000]
#   BENCH_QUEUE       messages queued then flushed over TLS [100]
#   BENCH_QUEUE_COUNT pairs of flushes [3]
#   BENCH_RTT_COUNT   runs per client and mode in the rtt workload [3]
#   BENCH_RTT_QUEUE   messages flushed at 50 ms RTT [20]
#   BENCH_MSMTP=off   leave msmtp and msmtpq out (their column says "—")
#   SMTPMOCK          the mock server [tests/server/smtpmock next to src/]
#   BENCH_RUNONE      the timer [tests/bench/runone next to src/]
#   MSMTPQ            msmtpq [/usr/libexec/msmtp/msmtpq/msmtpq]
#
# Needs python3; smtp-sink (package postfix) for the plain workloads;
# certtool (gnutls-bin) and smtpmock for the TLS ones; ip, tc (iproute2),
# tcpdump and root for the namespaces.  A missing tool is named with its
# package and its workloads are reported as not run.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
smtpsend=${1:-${SMTPSEND:-src/smtpsend}}
case $smtpsend in /*) ;; *) smtpsend=$(pwd)/$smtpsend ;; esac
[ -x "$smtpsend" ] || { echo "bench: no smtpsend at $smtpsend" >&2; exit 1; }
smtpmock=${SMTPMOCK:-$(dirname "$smtpsend")/../tests/server/smtpmock}
runone=${BENCH_RUNONE:-$(dirname "$smtpsend")/../tests/bench/runone}
[ -x "$runone" ] || { echo "bench: no $runone (make -C tests bench/runone)" >&2
	exit 1; }
msmtpq=${MSMTPQ:-/usr/libexec/msmtp/msmtpq/msmtpq}

if [ "${BENCH_SMOKE:-}" = 1 ]; then
	: "${BENCH_COUNT:=1}" "${BENCH_BIG_MB:=1}" "${BENCH_BIG_COUNT:=1}"
	: "${BENCH_RCPTS:=5}" "${BENCH_QUEUE:=2}" "${BENCH_QUEUE_COUNT:=1}"
	: "${BENCH_RTT_COUNT:=1}" "${BENCH_RTT_QUEUE:=2}"
fi
only=$(echo "${BENCH_ONLY:-all}" | tr ',' ' ')
count=${BENCH_COUNT:-20}
big_mb=${BENCH_BIG_MB:-64}
big_count=${BENCH_BIG_COUNT:-3}
rcpts=${BENCH_RCPTS:-1000}
queue_n=${BENCH_QUEUE:-100}
queue_count=${BENCH_QUEUE_COUNT:-3}
rtt_count=${BENCH_RTT_COUNT:-3}
rtt_queue=${BENCH_RTT_QUEUE:-20}

command -v python3 >/dev/null 2>&1 ||
	{ echo "bench: python3 is not installed (package python3)" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/smtpsend-bench.XXXXXX")
pids=""
# shellcheck disable=SC2317 # (called by the trap)
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || :; done
	for p in $pids; do wait "$p" 2>/dev/null || :; done
	pids=""
	command -v netns_down >/dev/null 2>&1 && netns_down
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/bench/lib.sh
. "$here/lib.sh"
# shellcheck source=tests/bench/workloads.sh
. "$here/workloads.sh"
# shellcheck source=tests/bench/netns.sh
. "$here/netns.sh"

echo "<!-- $(uname -srm); $(nproc) CPUs; $(lscpu 2>/dev/null |
	sed -n 's/^Model name: *//p'); $("$smtpsend" --version | head -n 1);" \
	"$(msmtp --version 2>/dev/null | head -n 1 || echo no msmtp) -->"
echo "| workload | metric | smtpsend: median (min-max) | msmtp: median (min-max) | ratio | pairs |"
echo "|---|---|---|---|---|---|"

make_messages
failed=0
for w in ref small small-tls big rcpt enqueue flush rtt flush-rtt; do
	selected "$w" || continue
	"w_$(echo "$w" | tr '-' '_')" || failed=1
	stop_servers
	netns_down || :   # the link's delay line was one of the servers
done
exit $failed
