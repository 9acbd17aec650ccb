#!/bin/sh
# smoke.sh - check that the benchmarks run (make -C tests bench-smoke):
# bench.sh with BENCH_SMOKE=1 (one pair of runs, tiny sizes) over the
# loopback workloads, and every row they must print has a number for
# smtpsend and for msmtp (or msmtpq).
# It checks that each workload produced a number, never what the number
# is.  The round-trip workloads need root and tcpdump and are left out.
#
# Needs what CI installs: python3, smtp-sink (postfix), msmtp (and its
# msmtpq), certtool (gnutls-bin).  A missing one is a failure, not a skip.
# Environment: SMTPSEND, SMTPMOCK (set by "make -C tests bench-smoke").
LC_ALL=C
export LC_ALL
here=$(dirname "$0")
out=$(mktemp) || exit 99
trap 'rm -f "$out"' EXIT

BENCH_SMOKE=1 BENCH_ONLY="small small-tls big rcpt enqueue flush" \
	sh "$here/bench.sh" "${SMTPSEND:-../src/smtpsend}" >"$out" 2>&1
rc=$?
cat "$out"
[ $rc -eq 0 ] || { echo "FAIL: bench.sh exited with $rc"; exit 1; }

fail=0
for label in "2 KiB, plain" "2 KiB, STARTTLS + AUTH PLAIN" \
    "1 MiB message, plain" "1 MiB message, STARTTLS" \
    "one message, 5 recipients, plain" \
    "one message, 5 recipients, STARTTLS" \
    "enqueue, server down (per message)" \
    "flush of 2 queued messages, STARTTLS"; do
	# | label | wall or throughput | smtpsend | msmtp | ratio | 1 |
	n=$(awk -F' [|] ' -v l="| $label" '
	    $1 == l && ($2 == "wall" || $2 == "throughput") &&
	    $3 ~ /^[0-9]/ && $4 ~ /^[0-9]/ && $5 ~ /^[0-9]/ { n++ }
	    END { print n + 0 }' "$out")
	if [ "$n" -ne 1 ]; then
		echo "FAIL: no measurement for \"$label\""
		fail=1
	fi
done
exit $fail
