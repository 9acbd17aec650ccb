#!/bin/sh
# contrib/logrotate/smtpsend and smtpsend-user.conf, run by logrotate(8)
# with a state file of the test's own, the log's path changed to one in
# the test's directory (the system file's "su smtpsend smtpsend" becomes
# the running user, and goes when that is not root: only root may change
# user).  smtpsend opens its log file for every line, so after a rotation
# the next message's line goes into a new file, which smtpsend creates;
# the rotated one keeps its lines, and the next rotation compresses it.
. "$(dirname "$0")/lib.sh"

c_need logrotate logrotate
c_need gzip gzip

q_mock_start mock
mkdir -p "$XDG_CONFIG_HOME/smtpsend" "$T/log"

# rotation FILE PATH - the logrotate file contrib/logrotate/FILE for the
# log file PATH, into $T/lr.conf (mode 0644, as logrotate wants it).
rotation() {
	if [ "$(id -u)" -eq 0 ]; then
		r_su="su $(id -un) $(id -gn)"
	else
		r_su=
	fi
	sed -e "s|^/[^ ]* {|$2 {|" -e "s|^\\(\\s*\\)su smtpsend smtpsend|\\1$r_su|" \
		"$C_CONTRIB/logrotate/$1" >"$T/lr.conf" && chmod 644 "$T/lr.conf" ||
		q_error "sed failed"
	grep -q -F "$2 {" "$T/lr.conf" || q_fail "$1: no log file path to change"
}

# send TESTID - a message through the account, which logs to $LOG.
send() {
	q_msg "$1" | "$SMTPSEND" -f sender@example.org rcpt@example.net \
		>"$T/send.out" 2>&1 || { q_dump "$T/send.out"; q_fail "send $1"; }
}

# nlines FILE - the number of lines of FILE (smtpsend logs one a
# message).
nlines() { wc -l <"$1" | tr -d ' '; }

for file in smtpsend smtpsend-user.conf; do
	LOG=$T/log/$file.log
	rm -f "$T/lr.state" "$T/log"/*
	printf 'account default\nhost 127.0.0.1\nport %s\ntls off\ndomain client.test\nlogfile %s\n' \
		"$PORT" "$LOG" >"$XDG_CONFIG_HOME/smtpsend/config"
	chmod 600 "$XDG_CONFIG_HOME/smtpsend/config"
	rotation "$file" "$LOG"

	send "$file-1"
	q_expect_eq "$file: one line in the log" 1 "$(nlines "$LOG")"
	q_expect_grep "$file: the line names the recipient" "$LOG" \
		'rcpt@example.net'

	logrotate -d -s "$T/lr.state" "$T/lr.conf" >"$T/lr.out" 2>&1
	q_expect_eq "$file: logrotate -d: exit status" 0 $?
	q_expect_grep "$file: logrotate -d considers the log" "$T/lr.out" \
		"considering log $LOG\$"
	q_expect_nogrep "$file: logrotate -d: no error" "$T/lr.out" '^error'

	logrotate -f -s "$T/lr.state" "$T/lr.conf" >"$T/lr.out" 2>&1
	q_expect_eq "$file: logrotate -f: exit status" 0 $?
	q_expect_eq "$file: rotated: no log file (nocreate)" no \
		"$( [ -e "$LOG" ] && echo yes || echo no)"
	q_expect_eq "$file: rotated: the line in $file.log.1" 1 \
		"$(nlines "$LOG.1")"

	send "$file-2"
	q_expect_eq "$file: after the rotation smtpsend writes a new log" 1 \
		"$(nlines "$LOG")"
	q_expect_eq "$file: the new log's mode" 600 "$(stat -c %a "$LOG")"
	q_expect_eq "$file: $file.log.1 unchanged" 1 "$(nlines "$LOG.1")"
	send "$file-3"
	q_expect_eq "$file: and goes on writing it" 2 "$(nlines "$LOG")"

	logrotate -f -s "$T/lr.state" "$T/lr.conf" >"$T/lr.out" 2>&1
	q_expect_eq "$file: second rotation: exit status" 0 $?
	q_expect_eq "$file: the second log is $file.log.1" 2 "$(nlines "$LOG.1")"
	q_expect_eq "$file: the first is compressed (delaycompress)" 1 \
		"$(gzip -dc "$LOG.2.gz" | wc -l | tr -d ' ')"
	[ "$q_failures" -gt 0 ] && q_dump "$T/lr.out"
done

q_mock_stop mock
q_done
