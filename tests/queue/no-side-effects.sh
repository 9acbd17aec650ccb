#!/bin/sh
# mailq, -q and the other queue commands create no directory when there
# is no queue yet (a daemon's or a new user's home stays as it was): the
# list is empty, a flush has nothing to do, a named entry does not exist.
. "$(dirname "$0")/lib.sh"

ln -s "$SMTPSEND" "$T/mailq"
ln -s "$SMTPSEND" "$T/sendmail"
ls -A "$HOME" >"$T/before"

"$T/mailq" >"$T/mailq.out" 2>&1
q_expect_eq "mailq: exit status" 0 "$?"
q_expect_eq "mailq: says so" "The queue is empty." "$(cat "$T/mailq.out")"
"$T/sendmail" -bp >"$T/bp.out" 2>&1
q_expect_eq "sendmail -bp: exit status" 0 "$?"
"$SMTPSEND" --queue-list=json >"$T/json.out" 2>&1
q_expect_eq "--queue-list=json: empty" '{"entries":[]}' "$(cat "$T/json.out")"
"$T/sendmail" -q >"$T/q.out" 2>&1
q_expect_eq "sendmail -q: exit status" 0 "$?"
"$SMTPSEND" --queue-flush >"$T/flush.out" 2>&1
q_expect_eq "--queue-flush: exit status" 0 "$?"
"$SMTPSEND" --queue-flush=1718000000.1.abc >"$T/flushid.out" 2>&1
q_expect_eq "--queue-flush=ID: exit status (no such entry)" 66 "$?"
q_expect_eq "--queue-flush=ID: says so" \
	"smtpsend: no queue entry 1718000000.1.abc" "$(cat "$T/flushid.out")"
"$SMTPSEND" --queue-remove=all >"$T/rmall.out" 2>&1
q_expect_eq "--queue-remove=all: exit status" 0 "$?"

q_expect_eq "nothing created under HOME" "$(cat "$T/before")" "$(ls -A "$HOME")"
q_expect_eq "no queue directory" no "$([ -e "$QDIR" ] && echo yes || echo no)"
q_done
