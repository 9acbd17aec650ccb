#!/bin/sh
# queue-entries.sh - a queue entry cannot be extended through what goes
# into it, and a damaged or forged one is never half read: -V with a line
# break queues nothing; an entry whose Config names a file that others
# may change is not flushed and that file's eval never runs; an entry
# with a NUL byte is left alone, byte for byte, instead of losing the
# recipients after the NUL at the next rewrite.
. "$(dirname "$0")/../queue/lib.sh"

down=$(q_closed_port)

# 1. -V "x<LF>Recipient: ..." is refused before anything is queued
q_msg envid | "$SMTPSEND" --host=127.0.0.1 --port="$down" $Q_SEND_OPTS \
	-V "$(printf 'x\nRecipient: deferred\t1\t0\t-\tevil@example.com\tz')" \
	rcpt@example.org >"$T/envid.out" 2>&1
q_expect_eq "-V with a line break: exit status" 64 "$?"
q_expect_eq "-V with a line break: nothing queued" 0 "$(q_nentries)"

# 1b. a message sent with --host keeps how to reach the server, never the
# passwordeval command (the flush takes it from its own command line)
q_msg hostonly | "$SMTPSEND" --host=127.0.0.1 --port="$down" $Q_SEND_OPTS \
	--auth=plain --user=u --passwordeval='echo not-kept' \
	rcpt@example.org >"$T/hostonly.out" 2>&1
q_expect_eq "--host: queued" 0 "$?"
hid=$(q_entries | head -n 1)
q_expect_grep "--host: the host is kept" "$QDIR/msg/$hid.env" \
	'^Setting: host 127.0.0.1$'
q_expect_nogrep "--host: no passwordeval kept" "$QDIR/msg/$hid.env" \
	'passwordeval\|not-kept'
"$SMTPSEND" --queue-remove="$hid" >/dev/null 2>&1

# 2. a queued entry (server down), then its Config is pointed at a file
# that others may write, with an eval
mkdir -p "$HOME/.config/smtpsend"
cat >"$HOME/.config/smtpsend/config" <<EOC
account default
host 127.0.0.1
port $down
tls off
domain client.test
from sender@example.org
EOC
chmod 600 "$HOME/.config/smtpsend/config"
q_msg forged | "$SMTPSEND" rcpt@example.org >"$T/queued.out" 2>&1
q_expect_eq "queued while the server is down: exit status" 0 "$?"
id=$(q_entries | head -n 1)
[ -n "$id" ] || { q_dump "$T/queued.out"; q_fail "nothing was queued"; }
printf 'account default\neval touch %s/eval-ran\nhost 127.0.0.1\n' "$T" \
	>"$T/evil.rc"
chmod 666 "$T/evil.rc"
sed "s|^Config: .*|Config: $T/evil.rc|" "$QDIR/msg/$id.env" >"$T/env"
cat "$T/env" >"$QDIR/msg/$id.env"
"$SMTPSEND" --queue-flush --force >"$T/flush.out" 2>&1
q_expect_eq "foreign Config: flush exit status" 78 "$?"
q_expect_grep "foreign Config: says why" "$T/flush.out" \
	'may be changed by other users'
if [ -e "$T/eval-ran" ]; then
	q_check_fail "foreign Config: its eval ran"
else
	q_ok "foreign Config: its eval did not run"
fi
q_expect_eq "foreign Config: the entry stays" 1 "$(q_nentries)"

# a relative Config is refused too
sed "s|^Config: .*|Config: evil.rc|" "$T/env" >"$QDIR/msg/$id.env"
"$SMTPSEND" --queue-flush --force >"$T/flush2.out" 2>&1
q_expect_grep "relative Config: refused" "$T/flush2.out" \
	'not an absolute path'

# 3. a NUL byte in the entry: skipped, and not rewritten
{
	grep -v '^Recipient:' "$T/env" | grep -v '^Config:'
	printf 'Recipient: deferred\t1\t0\t-\ta@example.org\tx\000\n'
	printf 'Recipient: deferred\t1\t0\t-\tb@example.org\tx\n'
} >"$QDIR/msg/$id.env"
cp "$QDIR/msg/$id.env" "$T/nul.env"
"$SMTPSEND" --queue-flush --force >"$T/flush3.out" 2>&1
q_expect_grep "NUL: the entry is skipped with a reason" "$T/flush3.out" \
	'NUL byte'
if cmp -s "$T/nul.env" "$QDIR/msg/$id.env"; then
	q_ok "NUL: the entry is left byte for byte"
else
	q_check_fail "NUL: the entry was rewritten"
fi
q_done
