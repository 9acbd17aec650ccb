#!/bin/sh
# A password the server refuses (535) during a queue flush is a setting
# to fix, not a refusal of the message: the entry is held (Hold,
# Hold-Reason), its recipient stays deferred, no delivery report goes
# out, and nothing is lost, whether AUTH went alone (no PIPELINING) or
# pipelined with the transaction (RFC 4954 4, where the 535 arrives
# among the transaction's replies).  After the password is fixed, a plain
# flush delivers the entry once.
. "$(dirname "$0")/lib.sh"

mkdir -p "$XDG_CONFIG_HOME/smtpsend"
CONF=$XDG_CONFIG_HOME/smtpsend/config
write_conf() {
	cat >"$CONF" <<EOF
account mock
host 127.0.0.1
port $1
tls off
auth plain
user alice
password $2
domain client.test
from sender@example.org
timeout 10
account default : mock
EOF
	chmod 600 "$CONF"
}

# one_case NAME EHLO-KEYWORDS
one_case() {
	cat >"$T/$1.scn" <<EOS
%server
ehlo $2
auth-mechs PLAIN
auth-user alice right
EOS
	write_conf "$(q_closed_port)" wrong
	q_msg "$1" >"$T/$1.msg"
	setsid "$SMTPSEND" rcpt@example.net <"$T/$1.msg" >/dev/null \
		2>"$T/$1.send.err"
	ID=$(q_entries | head -n 1)
	[ -n "$ID" ] || { q_dump "$T/$1.send.err"; q_fail "$1: not queued"; }

	q_mock_start "$1" "$T/$1.scn"
	sleep 1         # a later modification time than the entry's
	write_conf "$PORT" wrong
	setsid "$SMTPSEND" --queue-flush --force >"$T/$1.f1.out" \
		2>"$T/$1.f1.err"
	q_expect_eq "$1: flush with a refused password: exit status" 0 "$?"
	q_expect_eq "$1: still queued" "$ID" "$(q_entries | paste -s -d ' ' -)"
	q_expect_eq "$1: Hold" yes "$(q_env_value "$ID" Hold)"
	q_expect_eq "$1: recipient deferred" deferred \
		"$(q_rcpt_state "$ID" rcpt@example.net)"
	q_expect_grep "$1: stderr: held, with the hint" "$T/$1.f1.err" \
		"^smtpsend: $ID: held: configuration problem: AUTH PLAIN: .*check user, password or passwordeval"
	q_expect_nogrep "$1: stderr: no failure" "$T/$1.f1.err" 'failed:'
	q_expect_nogrep "$1: no delivery report" "$T/$1.rec" '^MAIL FROM:<>'
	q_expect_eq "$1: nothing delivered" 0 "$(q_count "$1" "$T/$1.rec")"

	sleep 1
	write_conf "$PORT" right
	"$SMTPSEND" --queue-flush >"$T/$1.f2.out" 2>"$T/$1.f2.err"
	q_expect_eq "$1: flush after the fix: exit status" 0 "$?"
	q_expect_eq "$1: flush after the fix: queue empty" 0 "$(q_nentries)"
	q_mock_settle "$1"
	q_mock_stop "$1"
	q_expect_eq "$1: delivered once" 1 "$(q_count "$1" "$T/$1.rec")"
	[ "$q_failures" -gt 0 ] && q_dump "$T/$1.f1.err" "$T/$1.f2.err" \
		"$T/$1.rec"
}

one_case alone "AUTH"
one_case pipelined "PIPELINING AUTH"
q_done
