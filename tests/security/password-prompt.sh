#!/bin/sh
# password-prompt.sh - the password prompt on the controlling terminal:
# offered also when the message comes on standard input (as msmtp does),
# read without echo, never offered without a terminal.  A pseudo-terminal
# (python3's pty) stands for the person at the keyboard.
. "$(dirname "$0")/../queue/lib.sh"

command -v python3 >/dev/null 2>&1 || q_error "python3 is missing"
printf '%%server\nauth-mechs PLAIN\nauth-user alice s3cret\n' >"$T/auth.scn"

# 1. with a terminal: the message on stdin, the password typed on
# /dev/tty once the prompt is there (the prompt flushes what was typed
# ahead, as getpass does)
q_mock_start tty "$T/auth.scn"
cat >"$T/send.sh" <<SH
printf 'Subject: prompt\n\nx\n' | "$SMTPSEND" --host=127.0.0.1 \
	--port=$PORT $Q_SEND_OPTS --auth=plain --user=alice --no-queue \
	rcpt@example.org
echo "exit=\$?"
SH
python3 - "$T/send.sh" >"$T/tty.out" 2>&1 <<'PY'
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp("sh", ["sh", sys.argv[1]])
out, typed, end = b"", False, time.time() + 20
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
    if not typed and b"Password for" in out:
        time.sleep(0.2)
        os.write(fd, b"s3cret\n")
        typed = True
os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
PY
q_mock_stop tty
q_expect_grep "terminal: the prompt names user and host" "$T/tty.out" \
	'Password for alice at 127.0.0.1: '
q_expect_grep "terminal: delivered" "$T/tty.out" 'exit=0'
q_expect_grep "terminal: AUTH with the typed password" "$T/tty.rec" \
	"AUTH PLAIN $(printf '\0alice\0s3cret' | base64)"
q_expect_eq "terminal: the password is not echoed" 0 \
	"$(grep -c s3cret "$T/tty.out")"

# 2. without a terminal (cron): no prompt, the reason, nothing sent
q_mock_start notty "$T/auth.scn"
printf 'Subject: prompt\n\nx\n' | setsid "$SMTPSEND" --host=127.0.0.1 \
	--port="$PORT" $Q_SEND_OPTS --auth=plain --user=alice --no-queue \
	rcpt@example.org >"$T/notty.out" 2>&1
q_expect_eq "no terminal: exit status" 77 "$?"
q_expect_grep "no terminal: says where a password goes" "$T/notty.out" \
	'no password for alice at 127.0.0.1'
q_mock_stop notty
q_expect_eq "no terminal: no AUTH sent" 0 \
	"$(grep -c '^AUTH' "$T/notty.rec")"
q_done
