#!/bin/sh
# A queue directory that cannot be made (/dev/null/queue: not even root
# can): with the server down the message cannot wait, so smtpsend exits 74
# and says it stays with the caller; with the server up the same send
# succeeds, since the queue only matters when something must wait.
. "$(dirname "$0")/lib.sh"

BADQ=/dev/null/queue
DOWN=$(q_closed_port)
q_msg notwritable-1 >"$T/msg1"

# shellcheck disable=SC2086
"$SMTPSEND" $Q_SEND_OPTS --queue-dir="$BADQ" --host=127.0.0.1 --port="$DOWN" \
	a@example.net <"$T/msg1" >"$T/down.out" 2>"$T/down.err"
rc=$?
q_expect_eq "server down: exit status" 74 "$rc"
q_expect_grep "stderr: cannot queue" "$T/down.err" \
	'^smtpsend: cannot queue the message: .*/dev/null/queue'
q_expect_grep "stderr: stays with the caller" "$T/down.err" 'stays with the caller'
q_expect_nogrep "stderr: not claimed as queued" "$T/down.err" 'queued as'
q_expect_eq "nothing was made under /dev/null" no \
	"$([ -e "$BADQ" ] && echo yes || echo no)"
q_expect_eq "the default queue was not used either" no \
	"$([ -d "$QDIR" ] && echo yes || echo no)"

q_mock_start up
# shellcheck disable=SC2086
"$SMTPSEND" $Q_SEND_OPTS --queue-dir="$BADQ" --host=127.0.0.1 --port="$PORT" \
	a@example.net <"$T/msg1" >"$T/sendup.out" 2>"$T/sendup.err"
rc=$?
q_mock_settle up
q_mock_stop up
q_expect_eq "server up: exit status" 0 "$rc"
q_expect_eq "server up: no output" "" "$(cat "$T/sendup.out" "$T/sendup.err")"
q_expect_eq "server up: message received once" 1 "$(q_count notwritable-1 "$T/up.rec")"

# the queue commands report the queue they cannot open
"$SMTPSEND" --queue-dir="$BADQ" --queue-list >"$T/list.out" 2>"$T/list.err"
q_expect_eq "--queue-list on it: exit status" 74 $?

[ "$q_failures" -gt 0 ] && q_dump "$T/down.err" "$T/sendup.err" "$T/up.rec"
q_done
