#!/bin/sh
# The drop directory is not trusted, and neither is the helper's input.
# Files planted in drop/ (by someone of the drop group, simulated by
# root): a symbolic link to a secret, a hard link, a file whose Uid line
# names another user, a wrong mode, a wrong group, a damaged header, a
# strange name, a directory - each is refused, moved to refused/ with a
# log line, and nothing of it is sent.  The helper refuses an oversized
# message, a NUL byte, and bad envelopes with a clear error, leaving no
# file behind; smtpsend refuses options the system queue cannot honour;
# a hostile environment (TMPDIR, LANG, GCONV_PATH) changes nothing.
# A user with a configuration of their own still sends at once.
. "$(dirname "$0")/lib.sh"

q_mock_start relay
sys_config "$PORT"
mkdir -p "$SYS_SPOOL/refused"
chown "$SYS_UID" "$SYS_SPOOL/refused" && chmod 700 "$SYS_SPOOL/refused"

# good_drop UID TESTID - the text of a drop file the helper would write
good_drop() {
	printf 'Version: 1\nUid: %s\nRead-Recipients: no\nDot-Ends: no\n' "$1"
	printf 'Recipient: rcpt@example.net\n\n'
	printf 'Subject: planted\nX-Test-Id: %s\n\nplanted\n' "$2"
}
# plant NAME UID GID MODE TESTID [UIDLINE] - a file in drop/
plant() {
	good_drop "${6:-$2}" "$5" >"$SYS_SPOOL/drop/$1"
	chown "$2:$3" "$SYS_SPOOL/drop/$1" && chmod "$4" "$SYS_SPOOL/drop/$1"
}

good_drop "$NOBODY" secret-1 >"$T/secret"
chmod 600 "$T/secret"
ln -s "$T/secret" "$SYS_SPOOL/drop/1700000000.1.000000000001"
good_drop "$NOBODY" hardlink-1 >"$SYS_SPOOL/hl"
chown "$NOBODY:$DROP_GID" "$SYS_SPOOL/hl" && chmod 604 "$SYS_SPOOL/hl"
ln "$SYS_SPOOL/hl" "$SYS_SPOOL/drop/1700000000.1.000000000002"
plant 1700000000.1.000000000003 "$WWW" "$DROP_GID" 604 forged-1 "$NOBODY"
plant 1700000000.1.000000000004 "$NOBODY" "$DROP_GID" 644 mode-1
plant 1700000000.1.000000000005 "$NOBODY" "$NOBODY" 604 group-1
printf 'Version: 2\nUid: 0\n\nx\n' >"$SYS_SPOOL/drop/1700000000.1.000000000006"
chown "0:$DROP_GID" "$SYS_SPOOL/drop/1700000000.1.000000000006"
chmod 604 "$SYS_SPOOL/drop/1700000000.1.000000000006"
plant "$(printf 'evil\tname')" "$NOBODY" "$DROP_GID" 604 name-1
mkdir "$SYS_SPOOL/drop/1700000000.1.000000000007"
plant 1700000000.1.000000000008 "$NOBODY" "$DROP_GID" 604 good-1
q_expect_eq "nine files planted" 9 "$(sys_drops)"

sys_flush >"$T/f.out" 2>"$T/f.err"
q_expect_eq "flush: exit status" 0 $?
q_mock_stop relay
q_expect_eq "drop/ is empty" 0 "$(sys_drops)"
q_expect_eq "seven moved to refused/" 7 \
	"$(find "$SYS_SPOOL/refused" -mindepth 1 -maxdepth 1 | wc -l | tr -d ' ')"
q_expect_grep "symbolic link refused" "$T/f.err" \
	'^smtpsend: drop file 1700000000\.1\.000000000001 refused (a symbolic link); moved to .*/refused/'
q_expect_grep "hard link refused" "$T/f.err" \
	'drop file 1700000000\.1\.000000000002 refused (2 hard links)'
q_expect_grep "forged uid refused" "$T/f.err" \
	"drop file 1700000000\.1\.000000000003 refused (it says uid $NOBODY, but belongs to $WWW)"
q_expect_grep "mode 0644 refused" "$T/f.err" \
	'drop file 1700000000\.1\.000000000004 refused (mode 0644, not 0604)'
q_expect_grep "another group refused" "$T/f.err" \
	"drop file 1700000000\.1\.000000000005 refused (group $NOBODY, not"
q_expect_grep "version 2 refused" "$T/f.err" \
	'drop file 1700000000\.1\.000000000006 refused (Version: invalid value)'
q_expect_grep "a strange name refused, shown printable" "$T/f.err" \
	"drop file evil?name refused (not a drop file's name)"
q_expect_grep "a directory refused and removed" "$T/f.err" \
	'drop file 1700000000\.1\.000000000007 refused (not a regular file); it was an empty directory, now removed'
q_expect_eq "only the good file was sent" good-1 \
	"$(q_received "$T/relay.rec" | paste -s -d , -)"
q_expect_eq "the symbolic link's target is untouched" "$(good_drop \
	"$NOBODY" secret-1 | cksum)" "$(cksum <"$T/secret")"

# The helper's input, through sendmail as nobody.
# helper_refuses WHAT STATUS PATTERN ARGS... (message on stdin)
helper_refuses() {
	h_what=$1 h_st=$2 h_pat=$3
	shift 3
	sys_as "$NOBODY" "$SENDMAIL" "$@" >"$T/h.out" 2>"$T/h.err"
	q_expect_eq "$h_what: exit status" "$h_st" $?
	q_expect_grep "$h_what: the error" "$T/h.err" "$h_pat"
	q_expect_eq "$h_what: nothing left in the spool" "0 0" \
		"$(sys_drops) $(find "$SYS_SPOOL/incoming" -mindepth 1 | wc -l | tr -d ' ')"
}
head -c 33554433 /dev/zero | tr '\0' 'a' | helper_refuses "33 MiB" 65 \
	'^smtpsend-drop: the message is larger than 32 MiB$' -i x@example.net
printf 'Subject: x\n\na\000b\n' | helper_refuses "a NUL byte" 65 \
	'^smtpsend-drop: the message contains a NUL byte$' -i x@example.net
echo x | helper_refuses "a recipient with a line break" 64 \
	'^smtpsend-drop: recipient: it contains a control character$' -i \
	"$(printf 'a@example.net\nInjected: yes')"
echo x | helper_refuses "a sender with a line break" 64 \
	'^smtpsend-drop: -f: it contains a control character$' -i \
	-f "$(printf 'a@example.net\rX')" b@example.net
echo x | helper_refuses "a recipient like an option" 64 \
	"^smtpsend-drop: recipient: it begins with '-'\$" -i -- -C/etc/shadow
echo x | helper_refuses "no recipient" 64 \
	'^smtpsend-drop: no recipient given, and no -t$' -i
echo x | helper_refuses "an option for the account" 64 \
	'^smtpsend: port cannot be set on the command line when the mail goes through the system queue' \
	-i --port=25 b@example.net
echo x | sys_as "$NOBODY" "$SYS_HELPER" -C /etc/shadow b@example.net \
	>/dev/null 2>"$T/h.err"
q_expect_eq "the helper itself: an unknown option: exit status" 64 $?
q_expect_grep "the helper itself: the error" "$T/h.err" \
	'^smtpsend-drop: unknown option "-C"$'

# A hostile environment changes nothing: the helper clears it.
mkdir -p "$T/gconv" && printf 'module x y z 1\n' >"$T/gconv/gconv-modules"
echo 'Subject: env' | sys_as "$NOBODY" env TMPDIR=/nonexistent \
	LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8 GCONV_PATH="$T/gconv" \
	LOCPATH="$T/gconv" "$SENDMAIL" -i env@example.net >"$T/env.out" 2>&1
q_expect_eq "a hostile environment: exit status" 0 $?
q_expect_eq "a hostile environment: no output" "" "$(cat "$T/env.out")"
q_expect_eq "a hostile environment: one drop file" 1 "$(sys_drops)"
q_expect_nogrep "a hostile environment: nothing of it in the drop" \
	"$(find "$SYS_SPOOL/drop" -type f | head -n 1)" 'nonexistent\|gconv'
rm -f "$SYS_SPOOL"/drop/*

# A user with an account of their own sends at once, as before.
q_mock_start own
mkdir -p "$T/own"
printf 'account default\nhost 127.0.0.1\nport %s\ntls off\nfrom www@example.org\ndomain client.test\n' \
	"$PORT" >"$T/own/.smtpsendrc"
chown -R "$WWW:$WWW" "$T/own"
chmod 700 "$T/own" && chmod 600 "$T/own/.smtpsendrc"
printf 'Subject: own\nX-Test-Id: own-1\n\nown\n' |
	setpriv --reuid="$WWW" --regid="$WWW" --clear-groups \
	env -i HOME="$T/own" "$SENDMAIL" -i rcpt@example.net \
	>"$T/own.out" 2>"$T/own.err"
q_expect_eq "own account: exit status" 0 $?
q_mock_stop own
q_expect_eq "own account: sent at once" own-1 \
	"$(q_received "$T/own.rec" | paste -s -d , -)"
q_expect_eq "own account: nothing in drop/" 0 "$(sys_drops)"

[ "$q_failures" -gt 0 ] && q_dump "$T/f.err" "$T/own.err"
q_done
