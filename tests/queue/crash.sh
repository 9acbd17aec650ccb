#!/bin/sh
# THE CRASH TEST: smtpsend killed with SIGKILL at random moments while it
# queues messages and while it flushes them, and the queue must keep its
# promises (doc/queue-format.md sections 4, 5 and 8):
#
#   - every entry always parses (--queue-list exits 0, no "unreadable"),
#     and there is never a msg/ID.env without its msg/ID.eml;
#   - a message smtpsend acknowledged (exit 0) is an entry right away;
#   - every message acknowledged or ever seen as an entry reaches the
#     server at least once and at most twice, and twice only when a flush
#     was killed while that message was in flight (the server had its
#     data and the entry still said deferred: the one window of section 8);
#   - no message reaches the server three times, and a message that never
#     became an entry never reaches it at all.
#
# Each round submits message i (X-Test-Id: crash-i) to a port where
# nothing listens, so its recipient is deferred and the message queued,
# killing smtpsend after a random delay (sometimes letting it finish).
# Every QUEUE_CRASH_FLUSH_EVERY rounds a forced flush runs against a live
# mock that waits 0.05 s before each end-of-data reply (so kills land
# between the server's acceptance and the entry's update), killed after a
# random delay or let finish.  Every other flush goes to a mock that
# offers CHUNKING, where the flush pipelines across messages (up to 64
# transactions in flight, doc/queue-format.md 4.2): there up to 64
# messages, not one, may be received and still queued after a kill.  At the end the queue is flushed to empty and
# what the server received is counted.
#
# Environment:
#   QUEUE_CRASH_ROUNDS       rounds (default 200)
#   QUEUE_CRASH_FLUSH_EVERY  a flush every this many rounds (default 4)
#   QUEUE_CRASH_MAX_MS       longest kill delay of a submission in ms
#                            (default: the measured duration of
#                            a submission, between 4 and 30)
#   QUEUE_CRASH_SEED         seed of the random numbers (default: time/pid)
#   QUEUE_CRASH_MAX_SECONDS  stop starting rounds after this (default 170)
. "$(dirname "$0")/lib.sh"

q_have_timeout || q_skip "timeout(1) with fractional seconds is needed"

ROUNDS=${QUEUE_CRASH_ROUNDS:-200}
FLUSH_EVERY=${QUEUE_CRASH_FLUSH_EVERY:-4}
MAX_SECONDS=${QUEUE_CRASH_MAX_SECONDS:-170}
SEED=${QUEUE_CRASH_SEED:-$(( $(date +%s) % 100000 * 100 + $$ % 100 ))}
case $ROUNDS$FLUSH_EVERY$MAX_SECONDS$SEED in
*[!0-9]*) q_error "QUEUE_CRASH_* must be whole numbers" ;;
esac
[ "$ROUNDS" -ge 1 ] && [ "$FLUSH_EVERY" -ge 1 ] || q_error "bad QUEUE_CRASH_*"

QD=$T/crashq
mkdir -p "$QD" || q_error "cannot make $QD"
DOWN=$(q_closed_port)
start=$(date +%s)

# The random numbers of every round, from one awk run (srand() alone would
# repeat within a second): enqueue-finishes enqueue-fraction
# flush-finishes flush-fraction.
awk -v seed="$SEED" -v n="$ROUNDS" 'BEGIN {
	srand(seed)
	for (i = 1; i <= n; i++)
		printf "%d %.4f %d %.4f\n", rand() < 0.15, rand(), rand() < 0.25, rand()
}' >"$T/random" || q_error "awk failed"

# millis_since_epoch - best effort (GNU date); empty when not available.
millis() {
	q_ms=$(date +%s%N 2>/dev/null)
	case $q_ms in
	*[!0-9]*|'') echo "" ;;
	*) echo $((q_ms / 1000000)) ;;
	esac
}

send_opts="--queue-dir=$QD --tls=off --domain=client.test -f sender@example.org --host=127.0.0.1 --port=$DOWN"

# Calibrate the kill delay of a submission: its range should cover the
# whole life of the process, where the commit happens.
if [ -n "${QUEUE_CRASH_MAX_MS-}" ]; then
	MAX_MS=$QUEUE_CRASH_MAX_MS
else
	: >"$T/durations"
	k=1
	while [ "$k" -le 5 ]; do
		q_msg "calibrate-$k" >"$T/cal.msg"
		t0=$(millis)
		# shellcheck disable=SC2086
		"$SMTPSEND" $send_opts --queue-dir="$T/calq" "cal$k@example.net" \
			<"$T/cal.msg" >/dev/null 2>&1
		t1=$(millis)
		[ -n "$t0" ] && [ -n "$t1" ] && echo $((t1 - t0)) >>"$T/durations"
		k=$((k + 1))
	done
	MAX_MS=$(sort -n "$T/durations" | awk '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print 30; exit }
			m = int(v[int((NR + 1) / 2)])
			print (m < 4 ? 4 : m > 30 ? 30 : m)
		}')
	rm -rf "$T/calq"
fi
case $MAX_MS in ''|*[!0-9]*) q_error "bad QUEUE_CRASH_MAX_MS" ;; esac
q_log "seed $SEED, $ROUNDS rounds, a flush every $FLUSH_EVERY, submissions killed within ${MAX_MS} ms"

cat >"$T/live.scn" <<'EOF'
%server
delay . 0.05
EOF
q_mock_start live "$T/live.scn"
LPORT=$PORT
cat >"$T/livec.scn" <<'EOF'
%server
ehlo PIPELINING CHUNKING
delay BDAT 0.05
EOF
q_mock_start livec "$T/livec.scn"
CPORT=$PORT

# Bookkeeping files: one test id per line.
: >"$T/acked"        # smtpsend exited 0
: >"$T/seen"         # seen as an entry
: >"$T/atrisk"       # in flight when a flush was killed, data complete
: >"$T/problems"     # every violation, one line each

enq_kills=0
flush_kills=0
flushes=0
parse_failures=0
problems=0

problem() {
	q_log "PROBLEM: $*"
	echo "$*" >>"$T/problems"
	problems=$((problems + 1))
}

# scan - $T/scan: "ENTRYID TESTID" for every entry in msg/; a msg/ID.env
# without msg/ID.eml is a problem.
scan() {
	when=$1
	: >"$T/scan"
	set --
	for s_f in "$QD"/msg/*.env; do
		[ -f "$s_f" ] || continue
		s_e=${s_f%.env}.eml
		if [ -f "$s_e" ]; then
			set -- "$@" "$s_e"
		else
			problem "$when: ${s_f##*/} without its ID.eml"
		fi
	done
	[ $# -gt 0 ] || return 0
	awk '
	FNR == 1 { done = 0 }
	!done && /^X-Test-Id: / {
		sub(/\r$/, "")
		id = FILENAME; sub(/.*\//, "", id); sub(/\.eml$/, "", id)
		print id, substr($0, 12)
		done = 1
	}' "$@" >"$T/scan"
}

# check WHEN - after every kill (and every run): the entries parse and are
# whole; remember the messages seen as entries.
check() {
	"$SMTPSEND" --queue-list --queue-dir="$QD" >"$T/list.out" 2>"$T/list.err" </dev/null
	c_rc=$?
	if [ "$c_rc" != 0 ] || grep -i unreadable "$T/list.out" "$T/list.err" >/dev/null; then
		parse_failures=$((parse_failures + 1))
		problem "$1: --queue-list exit $c_rc: $(cat "$T/list.err")"
	fi
	scan "$1"
	c_n=$(wc -l <"$T/scan" | tr -d ' ')
	c_listed=$(grep -c '^[0-9][0-9]*\.[0-9][0-9]*\.[0-9a-f]\{12\}  ' "$T/list.out")
	[ "$c_n" = "$c_listed" ] || problem "$1: $c_n entries, --queue-list shows $c_listed"
	awk '{ print $2 }' "$T/scan" >>"$T/seen"
}

# has_entry TESTID - the message is an entry in msg/ now (after a scan).
has_entry() { awk -v t="$1" '$2 == t { f = 1 } END { exit !f }' "$T/scan"; }

# flush KILLMS - a forced flush, killed after KILLMS ms (0: let it run).
flush() {
	if ! q_mock_alive live; then   # it leaves after 60 s without a client
		q_mock_start live "$T/live.scn"
		LPORT=$PORT
	fi
	if ! q_mock_alive livec; then
		q_mock_start livec "$T/livec.scn"
		CPORT=$PORT
	fi
	# odd flushes: DATA, one message in flight; even ones: pipelined
	if [ $((flushes % 2)) = 0 ]; then
		f_srv=live f_port=$LPORT f_inflight=1
	else
		f_srv=livec f_port=$CPORT f_inflight=64
	fi
	q_mock_settle "$f_srv"
	f_off=$(wc -c <"$T/$f_srv.rec" | tr -d ' ')
	flushes=$((flushes + 1))
	if [ "$1" -gt 0 ]; then
		f_d=$(awk -v m="$1" 'BEGIN { printf "%.3f", m / 1000 }')
		( timeout -s KILL "$f_d" "$SMTPSEND" --queue-flush --force \
			--queue-dir="$QD" --port="$f_port" \
			</dev/null >"$T/flush.out" 2>"$T/flush.err"
		  echo $? >"$T/flush.rc" ) 2>/dev/null
	else
		timeout 120 "$SMTPSEND" --queue-flush --force --queue-dir="$QD" \
			--port="$f_port" </dev/null >"$T/flush.out" 2>"$T/flush.err"
		echo $? >"$T/flush.rc"
	fi
	frc=$(cat "$T/flush.rc")
	q_mock_settle "$f_srv"
	check "flush $flushes"
	# what the server received completely in this flush
	tail -c +$((f_off + 1)) "$T/$f_srv.rec" >"$T/segment"
	q_received "$T/segment" >"$T/segment.ids"
	if [ "$frc" = 137 ]; then
		flush_kills=$((flush_kills + 1))
		# received, yet still deferred: the kill hit the window between
		# the server's data and the entry's update; it will be sent
		# again.  Only the messages in flight may be in that state.
		nrisk=0
		while read -r f_tid; do
			if has_entry "$f_tid"; then
				echo "$f_tid" >>"$T/atrisk"
				nrisk=$((nrisk + 1))
			fi
		done <"$T/segment.ids"
		[ "$nrisk" -le "$f_inflight" ] || problem "flush $flushes ($f_srv): killed with $nrisk messages received but still queued (only the $f_inflight in flight may be)"
	elif [ "$frc" = 0 ]; then
		[ -s "$T/scan" ] && problem "flush $flushes: exit 0 but entries left: $(awk '{print $2}' "$T/scan" | paste -s -d ' ' -)"
		[ -s "$T/flush.out" ] || [ -s "$T/flush.err" ] && problem "flush $flushes: output: $(cat "$T/flush.out" "$T/flush.err")"
	else
		problem "flush $flushes: exit status $frc: $(cat "$T/flush.err")"
	fi
}

# atrisk_pending - a message that a killed flush left received but queued
# is still waiting: the next flush must not be killed, or it could be
# repeated a third time (which would say nothing about smtpsend).
atrisk_pending() {
	[ -s "$T/atrisk" ] || return 1
	while read -r a_tid; do
		has_entry "$a_tid" && return 0
	done <"$T/atrisk"
	return 1
}

i=1
while [ "$i" -le "$ROUNDS" ]; do
	if [ $(( $(date +%s) - start )) -ge "$MAX_SECONDS" ]; then
		q_log "time budget of $MAX_SECONDS s spent: stopping after $((i - 1)) rounds"
		break
	fi
	# shellcheck disable=SC2046 # four numbers
	set -- $(sed -n "${i}p" "$T/random")
	enq_finish=$1 enq_frac=$2 flush_finish=$3 flush_frac=$4
	tid=crash-$i
	q_msg "$tid" >"$T/cur.msg"

	# a) submit, killed after 1..MAX_MS ms unless it may finish
	if [ "$enq_finish" = 1 ]; then
		# shellcheck disable=SC2086
		"$SMTPSEND" $send_opts "r$i@example.net" <"$T/cur.msg" \
			>/dev/null 2>"$T/enq.err"
		rc=$?
	else
		d=$(awk -v f="$enq_frac" -v m="$MAX_MS" 'BEGIN {
			ms = int(f * m) + 1; printf "%.3f", ms / 1000 }')
		# shellcheck disable=SC2086
		( timeout -s KILL "$d" "$SMTPSEND" $send_opts "r$i@example.net" \
			<"$T/cur.msg" >/dev/null 2>"$T/enq.err"
		  echo $? >"$T/enq.rc" ) 2>/dev/null
		rc=$(cat "$T/enq.rc")
	fi
	case $rc in
	0) echo "$tid" >>"$T/acked" ;;
	137) enq_kills=$((enq_kills + 1)) ;;
	*) problem "round $i: submission exit status $rc: $(cat "$T/enq.err")" ;;
	esac

	# c) the queue is sound; an acknowledged message is an entry
	check "round $i"
	if [ "$rc" = 0 ] && ! has_entry "$tid"; then
		problem "round $i: exit 0 but no entry holds $tid (lost)"
	fi

	# b) every few rounds a flush, usually killed
	if [ $((i % FLUSH_EVERY)) = 0 ]; then
		if [ "$flush_finish" = 1 ] || atrisk_pending; then
			flush 0
		else
			n=$(wc -l <"$T/scan" | tr -d ' ')
			ms=$(awk -v f="$flush_frac" -v n="$n" 'BEGIN {
				print int(f * (30 + 60 * n)) + 1 }')
			flush "$ms"
		fi
	fi
	i=$((i + 1))
done
rounds_done=$((i - 1))

# the end: flush to completion (bounded)
k=0
while [ "$k" -lt 5 ]; do
	flush 0
	[ -s "$T/scan" ] || break
	k=$((k + 1))
done
[ -s "$T/scan" ] && problem "the queue is not empty after $k final flushes"
q_mock_settle live
q_mock_stop live
q_mock_settle livec
q_mock_stop livec

# count what the server received
cat "$T/live.rec" "$T/livec.rec" >"$T/all.rec"
q_received "$T/all.rec" | sort | uniq -c | awk '{ print $2, $1 }' >"$T/counts"
sort -u "$T/acked" >"$T/acked.u"
sort -u "$T/seen" >"$T/seen.u"
lost=0 dups=0 triple=0 unexplained=0 phantom=0 committed=0
i=1
while [ "$i" -le "$rounds_done" ]; do
	tid=crash-$i
	c=$(awk -v t="$tid" '$1 == t { print $2 }' "$T/counts")
	c=${c:-0}
	risk=$(grep -c -x -F -e "$tid" "$T/atrisk")
	if grep -x -F -e "$tid" "$T/acked.u" "$T/seen.u" >/dev/null; then
		committed=$((committed + 1))
		if [ "$c" -eq 0 ]; then
			lost=$((lost + 1))
			problem "$tid: acknowledged or queued, never received (lost)"
		fi
	elif [ "$c" -gt 0 ]; then
		phantom=$((phantom + 1))
		problem "$tid: never an entry, yet received $c times"
	fi
	[ "$c" -ge 2 ] && dups=$((dups + 1))
	if [ "$c" -ge 3 ]; then
		triple=$((triple + 1))
		problem "$tid: received $c times"
	elif [ "$c" -gt $((1 + risk)) ]; then
		unexplained=$((unexplained + 1))
		problem "$tid: received $c times, but no killed flush had it in flight"
	fi
	i=$((i + 1))
done
leftover_eml=0
for f in "$QD"/msg/*.eml; do
	[ -f "$f" ] && [ ! -f "${f%.eml}.env" ] && leftover_eml=$((leftover_eml + 1))
done
leftover_tmp=$(ls -A "$QD/tmp" | wc -l | tr -d ' ')
elapsed=$(( $(date +%s) - start ))

q_log "$(wc -l <"$T/acked.u" | tr -d ' ') acknowledged, $committed acknowledged or seen as entries, $(sort -u "$T/atrisk" | wc -l | tr -d ' ') in flight at a flush kill, $flushes flushes, $parse_failures parse failures, $unexplained unexplained duplicates, $triple received 3+ times, $phantom received without an entry; crash leftovers: $leftover_eml msg/*.eml without .env, $leftover_tmp in tmp/; seed $SEED; ${elapsed}s"
echo "crash: $rounds_done rounds, $enq_kills kills during enqueue, $flush_kills kills during flush, $dups duplicates, $lost lost"

if [ "$problems" -gt 0 ]; then
	q_log "FAIL: $problems problem(s):"
	sort "$T/problems" | uniq -c | head -n 40 >&2
	exit 1
fi
q_log PASS
exit 0
