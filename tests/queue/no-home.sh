#!/bin/sh
# The configuration, ~/.netrc and the queue are found without HOME: with a
# cleared environment (env -i, as cron, PHP-FPM or a daemon run smtpsend)
# and with a HOME forced to a directory that holds no configuration (as
# s-nail does when run as root), smtpsend takes the home of the real uid's
# passwd entry.  When no file is found, the message names every path it
# tried and the home it used (exit 78).
#
# The passwd home is replaced, in a private mount namespace, by a
# directory of the test's own, so the real one is never touched.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -eq 0 ]; then NS="unshare -m"; else NS="unshare -rm"; fi
$NS true 2>/dev/null || q_skip "no private mount namespace here ($NS)"

q_mock_start up
PH=$T/pwhome
mkdir -p "$PH"
chmod 700 "$PH"

# inns CMD... - CMD with $PH mounted over the passwd home of the uid (as
# seen in the namespace) and no environment but PATH (and what CMD sets).
inns() {
	$NS sh -c '
		set -e
		pw=$(getent passwd "$(id -u)" | cut -d: -f6)
		[ -n "$pw" ] && [ -d "$pw" ] || exit 90
		mount --bind "$1" "$pw"
		shift
		exec env -i PATH=/usr/bin:/bin "$@"' sh "$PH" "$@"
}

# 1. nothing found: the paths tried and the home used (from passwd)
q_msg nohome-0 >"$T/msg0"
inns "$SMTPSEND" rcpt@example.net <"$T/msg0" >"$T/none.out" 2>"$T/none.err"
rc=$?
[ "$rc" -eq 90 ] && q_skip "the uid has no passwd entry with a home"
q_expect_eq "no configuration: exit status" 78 "$rc"
PW=$($NS sh -c 'getent passwd "$(id -u)" | cut -d: -f6')
q_expect_grep "no configuration: paths tried and the passwd home" \
	"$T/none.err" \
	"^smtpsend: no configuration file found and no --host given (tried $PW/\.config/smtpsend/config, $PW/\.smtpsendrc, .*/smtpsendrc; HOME not set; home $PW from the passwd entry of uid [0-9]*); see smtpsend(1)\$"

# 2. env -i finds ~/.smtpsendrc of the passwd home and delivers
cat >"$PH/.smtpsendrc" <<EOF
account mock
host 127.0.0.1
port $PORT
tls off
domain client.test
from sender@example.org
account default : mock
EOF
chmod 600 "$PH/.smtpsendrc"
q_msg nohome-1 >"$T/msg1"
inns "$SMTPSEND" rcpt@example.net <"$T/msg1" >"$T/envi.out" 2>"$T/envi.err"
q_expect_eq "env -i: exit status" 0 "$?"

# 3. a HOME forced to a directory without configuration: the passwd home
mkdir -p "$T/forced"
q_msg nohome-2 >"$T/msg2"
inns HOME="$T/forced" "$SMTPSEND" rcpt@example.net <"$T/msg2" \
	>"$T/forced.out" 2>"$T/forced.err"
q_expect_eq "HOME without configuration: exit status" 0 "$?"
q_mock_settle up
q_expect_eq "both delivered once" "nohome-1 nohome-2" \
	"$(q_received "$T/up.rec" | paste -s -d ' ' -)"
q_mock_stop up

# 4. a deferral with env -i: queued under the passwd home
DOWN=$(q_closed_port)
sed "s/^port .*/port $DOWN/" "$PH/.smtpsendrc" >"$T/rc" &&
	cat "$T/rc" >"$PH/.smtpsendrc"
q_msg nohome-3 >"$T/msg3"
inns "$SMTPSEND" rcpt@example.net <"$T/msg3" >"$T/down.out" 2>"$T/down.err"
q_expect_eq "env -i, server down: exit status (queued)" 0 "$?"
q_expect_eq "the entry is in the passwd home's queue" 1 \
	"$(find "$PH/.local/state/smtpsend/queue/msg" -name '*.env' | wc -l | tr -d ' ')"
q_expect_eq "the test's HOME has no queue" no \
	"$([ -d "$QDIR" ] && echo yes || echo no)"

[ "$q_failures" -gt 0 ] && q_dump "$T/envi.err" "$T/forced.err" "$T/down.err" "$T/up.err"
q_done
