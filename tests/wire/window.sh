#!/bin/sh
# window.sh - with PIPELINING, MAIL, every RCPT and DATA of a short
# envelope leave in one write; a long one is sent in a few large writes:
# the window of TXN_WINDOW commands is refilled by half of it at a time,
# not by one command per reply (doc/pipelining.md, "the window").
. "$(dirname "$0")/lib.sh"

printf '%%server\nehlo PIPELINING\n' >"$T/script"
printf 'Subject: t\n\nhello\n' >"$T/msg"

# three recipients: one write for MAIL, the RCPTs and DATA
w_mock "$T/script"
w_send 4096 -f a@example.org r1@example.net r2@example.net r3@example.net \
	<"$T/msg"
w_expect "3 recipients: exit 0" "$RC"
grep -F 'MAIL FROM:<a@example.org>\r\nRCPT TO:<r1@example.net>\r\nRCPT TO:<r2@example.net>\r\nRCPT TO:<r3@example.net>\r\nDATA\r\n"' \
	"$T/writes" >/dev/null
w_expect "3 recipients: MAIL, every RCPT and DATA in one write" $?

# 1000 recipients: at most 1 + 900/50 writes for the envelope, then the
# message and QUIT (before: 901 writes of one RCPT each)
w_mock "$T/script"
i=0
set --
while [ $i -lt 1000 ]; do set -- "$@" "r$i@example.net"; i=$((i + 1)); done
w_send 0 -f a@example.org "$@" <"$T/msg"
w_expect "1000 recipients: exit 0" "$RC"
n=$(grep -c '^RCPT TO:<r[0-9]*@example.net>' "$T/rec")
[ "$n" -eq 1000 ]
w_expect "1000 recipients: the server got 1000 RCPT ($n)" $?
n=$(w_writes)
[ "$n" -le 22 ]
w_expect "1000 recipients: at most 22 writes ($n)" $?
w_done
