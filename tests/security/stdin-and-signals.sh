#!/bin/sh
# stdin-and-signals.sh - smtpsend and its caller's process: a closed
# standard input is an error, never an empty message; a SIGTERM, SIGINT
# or SIGHUP leaves no spool copy in the queue (its msg/ID.eml, no entry
# yet) and no passwordeval command running; passwordeval has a time
# limit.
. "$(dirname "$0")/../queue/lib.sh"

# 1. standard input closed: 74, nothing sent
q_mock_start closed
"$SMTPSEND" --host=127.0.0.1 --port="$PORT" $Q_SEND_OPTS \
	rcpt@example.org <&- >"$T/closed.out" 2>&1
q_expect_eq "closed stdin: exit status" 74 "$?"
q_expect_grep "closed stdin: says why" "$T/closed.out" \
	'standard input is closed'
q_mock_stop closed
q_expect_eq "closed stdin: bytes the server received" 0 \
	"$(wc -c <"$T/closed.rec")"

# 2. a signal while the message waits for the server's reply: the spool
# file of the queue goes, and smtpsend dies of that signal
printf '%%server\ndelay . 30\n' >"$T/slow.scn"
for sig in TERM:15 INT:2 HUP:1; do
	num=${sig#*:}
	sig=${sig%:*}
	q_mock_start "slow$sig" "$T/slow.scn"
	# a shell starts background jobs with SIGINT ignored, and smtpsend
	# leaves ignored signals ignored: restore the default first
	q_msg "$sig" | python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$SMTPSEND" --host=127.0.0.1 \
		--port="$PORT" $Q_SEND_OPTS rcpt@example.org \
		>"$T/$sig.out" 2>&1 &
	pid=$!
	echo "$pid" >"$T/$sig.bgpid"
	tries=50
	while [ "$tries" -gt 0 ] && ! grep -q '^DATA' "$T/slow$sig.rec"; do
		tries=$((tries - 1))
		sleep 0.1
	done
	sleep 0.3
	q_expect_eq "SIG$sig: a spool file while sending" 1 \
		"$(ls "$QDIR/msg" | grep -c '\.eml$')"
	kill -"$sig" "$pid"
	wait "$pid"
	rc=$?
	q_expect_eq "SIG$sig: dies of the signal" $((128 + num)) "$rc"
	q_expect_eq "SIG$sig: nothing left in tmp/" 0 \
		"$(ls "$QDIR/tmp" | wc -l)"
	q_expect_eq "SIG$sig: nothing queued" 0 "$(ls "$QDIR/msg" | wc -l)"
	q_mock_stop "slow$sig"
done

# 3. a signal while passwordeval runs: the command is stopped too
printf '%%server\nehlo AUTH=PLAIN\n' >"$T/auth.scn"
q_mock_start eval "$T/auth.scn"
marker=$T/eval-ran
printf 'x\n' | "$SMTPSEND" --host=127.0.0.1 --port="$PORT" $Q_SEND_OPTS \
	--auth=plain --user=u --no-queue \
	--passwordeval="sleep 31.4159; touch $marker; echo pw" \
	rcpt@example.org >"$T/eval.out" 2>&1 &
pid=$!
echo "$pid" >"$T/eval.bgpid"
tries=50
while [ "$tries" -gt 0 ] && ! pgrep -f '^sleep 31.4159' >/dev/null; do
	tries=$((tries - 1))
	sleep 0.1
done
q_expect_eq "passwordeval: running" 1 "$(pgrep -c -f '^sleep 31.4159')"
kill -TERM "$pid"
wait "$pid"
sleep 0.2
q_expect_eq "passwordeval: stopped with smtpsend" 0 \
	"$(pgrep -c -f '^sleep 31.4159')"
q_mock_stop eval
q_done
