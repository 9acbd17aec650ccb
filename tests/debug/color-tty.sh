#!/bin/sh
# color-tty.sh - --color=auto colours the transcript on a terminal, and
# only there: not with NO_COLOR set (https://no-color.org), not with
# TERM=dumb, not with --color=never.  A pseudo-terminal (python3's pty)
# stands for the terminal.
. "$(dirname "$0")/../queue/lib.sh"

command -v python3 >/dev/null 2>&1 || q_error "python3 is missing"
printf '%%server\n' >"$T/plain.scn"
q_mock_start mock "$T/plain.scn"

# on_tty NAME OPTION ENV... - send a message with -v, OPTION (may be
# empty) and the given environment, standard error on a pseudo-terminal;
# its output into $T/NAME.tty.
on_tty() {
	name=$1
	opt=$2
	shift 2
	cat >"$T/$name.sh" <<SH
printf 'x\n' | env $* "$SMTPSEND" --host=127.0.0.1 --port=$PORT --tls=off \
	--no-queue --domain=client.test -f a@example.org -v $opt \
	b@example.net
echo "exit=\$?"
SH
	python3 - "$T/$name.sh" >"$T/$name.tty" 2>&1 <<'PY'
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp("sh", ["sh", sys.argv[1]])
out, end = b"", time.time() + 20
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
os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
PY
	q_expect_grep "$name: sent" "$T/$name.tty" "exit=0"
}

ESC=$(printf '\033')
on_tty auto '' TERM=xterm NO_COLOR=
q_expect_grep "auto on a terminal: colours" "$T/auto.tty" "$ESC\[36m"
on_tty nocolor '' TERM=xterm NO_COLOR=1
q_expect_nogrep "NO_COLOR: no colour" "$T/nocolor.tty" "$ESC\["
on_tty dumb '' TERM=dumb NO_COLOR=
q_expect_nogrep "TERM=dumb: no colour" "$T/dumb.tty" "$ESC\["
on_tty never --color=never TERM=xterm NO_COLOR=
q_expect_nogrep "--color=never: no colour" "$T/never.tty" "$ESC\["
on_tty always --color=always TERM=dumb NO_COLOR=1
q_expect_grep "--color=always: colours anyway" "$T/always.tty" "$ESC\[32m"
q_mock_stop mock
q_done
