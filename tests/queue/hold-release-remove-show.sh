#!/bin/sh
# The queue commands: --queue-hold keeps an entry from a forced flush (and
# --queue-list marks it [held]), --queue-release lets it go again,
# --queue-show shows an entry with the transcript of its last failed
# attempt (also for an entry in failed/), --queue-remove removes one, an
# unknown id exits 66 (a malformed one 64), and "mailq" (argv[0]) and -bp
# list the queue.
. "$(dirname "$0")/lib.sh"

DOWN=$(q_closed_port)

# q_send_down TESTID RCPT - queue a message; prints the new entry's id.
q_send_down() {
	q_msg "$1" >"$T/$1.msg"
	# shellcheck disable=SC2086
	"$SMTPSEND" $Q_SEND_OPTS --host=127.0.0.1 --port="$DOWN" "$2" \
		<"$T/$1.msg" 2>"$T/$1.err"
	q_rc=$?
	[ "$q_rc" = 0 ] || q_check_fail "send $1: exit status $q_rc"
	q_entry_of "$1"
}

ID1=$(q_send_down hold-1 one@example.net)
ID2=$(q_send_down hold-2 two@example.net)
[ -n "$ID1" ] && [ -n "$ID2" ] || q_fail "entries were not made"
q_log "entries $ID1 $ID2"
q_expect_eq "entries" 2 "$(q_nentries)"

# hold
"$SMTPSEND" --queue-hold="$ID1" >"$T/hold.out" 2>&1
q_expect_eq "--queue-hold: exit status" 0 $?
q_expect_eq "--queue-hold: no output" "" "$(cat "$T/hold.out")"
q_expect_eq "Hold of ID1" yes "$(q_env_value "$ID1" Hold)"
q_expect_eq "Hold of ID2" no "$(q_env_value "$ID2" Hold)"
"$SMTPSEND" --queue-list >"$T/list1.out" 2>&1
q_expect_grep "--queue-list: ID1 [held]" "$T/list1.out" "^$ID1  .*  \[held\]\$"
q_expect_nogrep "--queue-list: ID2 not held" "$T/list1.out" "^$ID2 .*held"

# a forced flush skips the held entry
q_mock_start up
"$SMTPSEND" --queue-flush --force --port="$PORT" >"$T/flush1.out" 2>&1
q_expect_eq "flush 1: exit status" 0 $?
q_mock_settle up
q_expect_eq "flush 1: no output" "" "$(cat "$T/flush1.out")"
q_expect_eq "flush 1: hold-2 received" 1 "$(q_count hold-2 "$T/up.rec")"
q_expect_eq "flush 1: held hold-1 not received" 0 "$(q_count hold-1 "$T/up.rec")"
q_expect_eq "flush 1: entries left" "$ID1" "$(q_entries | paste -s -d ' ' -)"
q_expect_eq "held entry untouched (Attempts)" 1 "$(q_env_value "$ID1" Attempts)"
q_expect_eq "held entry: recipient still deferred" "deferred one@example.net" "$(q_rcpts "$ID1")"

# release, then a flush sends it
"$SMTPSEND" --queue-release="$ID1" >"$T/release.out" 2>&1
q_expect_eq "--queue-release: exit status" 0 $?
q_expect_eq "Hold of ID1 after release" no "$(q_env_value "$ID1" Hold)"
"$SMTPSEND" --queue-list >"$T/list2.out" 2>&1
q_expect_nogrep "--queue-list: no [held] any more" "$T/list2.out" 'held'
"$SMTPSEND" --queue-flush --force --port="$PORT" >"$T/flush2.out" 2>&1
q_expect_eq "flush 2: exit status" 0 $?
q_mock_settle up
q_mock_stop up
q_expect_eq "flush 2: hold-1 received" 1 "$(q_count hold-1 "$T/up.rec")"
q_expect_eq "flush 2: hold-2 not again" 1 "$(q_count hold-2 "$T/up.rec")"
q_expect_eq "entries after flush 2" 0 "$(q_nentries)"

# hold/release/show/remove of ids that do not exist: 66
for opt in --queue-hold --queue-release --queue-show --queue-remove; do
	"$SMTPSEND" "$opt=$ID1" >"$T/unknown.out" 2>"$T/unknown.err"
	q_expect_eq "$opt of a sent entry: exit status" 66 $?
	q_expect_grep "$opt of a sent entry: message" "$T/unknown.err" "no queue entry $ID1"
done
"$SMTPSEND" --queue-remove=1700000000.1.0123456789ab >/dev/null 2>&1
q_expect_eq "--queue-remove of an unknown id: exit status" 66 $?
"$SMTPSEND" --queue-show=../../etc/passwd >/dev/null 2>"$T/invalid.err"
q_expect_eq "--queue-show of an invalid id: exit status" 64 $?
q_expect_grep "--queue-show of an invalid id: message" "$T/invalid.err" \
	'"\.\./\.\./etc/passwd" is not a queue id'

# --queue-show of an entry whose attempt failed: the transcript
ID3=$(q_send_down show-3 three@example.net)
[ -n "$ID3" ] || q_fail "entry 3 was not made"
"$SMTPSEND" --queue-show="$ID3" >"$T/show3.out" 2>"$T/show3.err"
q_expect_eq "--queue-show: exit status" 0 $?
q_expect_grep "--queue-show: the entry" "$T/show3.out" "^$ID3  .*<sender@example\.org>"
q_expect_grep "--queue-show: the recipient" "$T/show3.out" '^    <three@example\.net>  deferred  attempts 1'
q_expect_grep "--queue-show: the last failed attempt" "$T/show3.out" '^The last failed attempt:$'
q_expect_grep "--queue-show: transcript" "$T/show3.out" "connecting to 127\.0\.0\.1 port $DOWN"
q_expect_grep "--queue-show: transcript (refused)" "$T/show3.out" 'Connection refused'
q_expect_eq "--queue-show: output ends with a newline" 1 \
	"$(tail -c 1 "$T/show3.out" | od -An -c | grep -c '\\n')"

# an entry in failed/: moved there by hand, as doc/queue-format.md 4.4 and
# 6 allow (ID.eml, ID.env, then ID.log)
for ext in eml env log; do
	mv "$QDIR/msg/$ID3.$ext" "$QDIR/failed/$ID3.$ext" || q_fail "cannot move $ID3.$ext"
done
"$SMTPSEND" --queue-show="$ID3" >"$T/show3f.out" 2>&1
q_expect_eq "--queue-show (failed/): exit status" 0 $?
q_expect_grep "--queue-show (failed/): [given up]" "$T/show3f.out" "^$ID3  .*\[given up\]"
q_expect_grep "--queue-show (failed/): transcript" "$T/show3f.out" "connecting to 127\.0\.0\.1 port $DOWN"
"$SMTPSEND" --queue-list >"$T/list3.out" 2>&1
q_expect_grep "--queue-list: the failed entry" "$T/list3.out" "^$ID3  .*\[given up\]"
"$SMTPSEND" --queue-remove="$ID3" >"$T/remove3.out" 2>&1
q_expect_eq "--queue-remove (failed/): exit status" 0 $?
q_expect_eq "--queue-remove (failed/): files gone" "" "$(ls -A "$QDIR/failed")"

# --queue-remove of a waiting entry; mailq and -bp
ID4=$(q_send_down remove-4 four@example.net)
ID5=$(q_send_down remove-5 five@example.net)
[ -n "$ID4" ] && [ -n "$ID5" ] || q_fail "entries 4 and 5 were not made"
ln -s "$SMTPSEND" "$T/mailq" || q_error "cannot make the mailq link"
"$T/mailq" >"$T/mailq1.out" 2>&1
q_expect_eq "mailq: exit status" 0 $?
q_expect_grep "mailq: entry 4" "$T/mailq1.out" "^$ID4  "
q_expect_grep "mailq: entry 5" "$T/mailq1.out" "^$ID5  "
"$SMTPSEND" -bp >"$T/bp1.out" 2>&1
q_expect_eq "-bp: exit status" 0 $?
# the two listings may straddle a second: durations ("5m53s") aside
sed 's/[0-9][0-9dhms]*[dhms]\b/T/g' "$T/mailq1.out" >"$T/mailq1.cmp"
sed 's/[0-9][0-9dhms]*[dhms]\b/T/g' "$T/bp1.out" >"$T/bp1.cmp"
if cmp -s "$T/mailq1.cmp" "$T/bp1.cmp"; then q_ok "-bp lists what mailq lists"
else q_check_fail "-bp and mailq differ"; q_dump "$T/mailq1.out" "$T/bp1.out"; fi

"$SMTPSEND" --queue-remove="$ID4" >"$T/remove4.out" 2>&1
q_expect_eq "--queue-remove: exit status" 0 $?
q_expect_eq "--queue-remove: no output" "" "$(cat "$T/remove4.out")"
q_expect_eq "--queue-remove: its files gone" "" "$(ls -A "$QDIR/msg" | grep -F "$ID4")"
q_expect_eq "entries after the removal" "$ID5" "$(q_entries | paste -s -d ' ' -)"
"$SMTPSEND" --queue-remove="$ID4" >/dev/null 2>&1
q_expect_eq "--queue-remove again: exit status" 66 $?

"$T/mailq" >"$T/mailq2.out" 2>&1
q_expect_nogrep "mailq: entry 4 gone" "$T/mailq2.out" "^$ID4"
q_expect_grep "mailq: entry 5 still there" "$T/mailq2.out" "^$ID5  "
"$SMTPSEND" --queue-remove="$ID5" >/dev/null 2>&1
q_expect_eq "--queue-remove 5: exit status" 0 $?
"$T/mailq" >"$T/mailq3.out" 2>&1
q_expect_eq "mailq of an empty queue" "The queue is empty." "$(cat "$T/mailq3.out")"
"$SMTPSEND" -bp >"$T/bp3.out" 2>&1
q_expect_eq "-bp of an empty queue" "The queue is empty." "$(cat "$T/bp3.out")"
q_expect_eq "nothing left in msg/" "" "$(ls -A "$QDIR/msg")"

q_done
