#!/bin/sh
# System mode as PHP's mail() uses it: nobody (no home) and www-data, in
# an empty environment, run "sendmail -t -i" while the relay is down: exit
# 0, the message in the system queue, owned by the submitter, who can read
# neither the system file nor anyone's queued mail, and cannot remove or
# change it.  The system user's flush takes both in (still down: queued);
# with the relay up, a flush delivers each exactly once, byte for byte,
# with the envelope sender expected.
. "$(dirname "$0")/lib.sh"

DOWN=$(q_closed_port)
sys_config "$DOWN"

# msg TESTID FROM - a message with every header smtpsend could add
msg() {
	printf 'Date: Thu, 01 Jan 2026 00:00:00 +0000\n'
	printf 'From: %s\n' "$2"
	printf 'To: Rcpt <rcpt@example.net>\n'
	printf 'Subject: system mode %s\n' "$1"
	printf 'Message-ID: <%s@system.test>\n' "$1"
	printf 'X-Test-Id: %s\n\n' "$1"
	printf 'Line one of %s.\n.leading dot\n\nend\n' "$1"
}
msg php-nobody 'A web app <webapp@app.example>' >"$T/m1"
msg php-www 'Web <www@example.org>' >"$T/m2"

sys_as "$NOBODY" "$SENDMAIL" -t -i -f app@example.org <"$T/m1" \
	>"$T/s1.out" 2>"$T/s1.err"
q_expect_eq "nobody: sendmail -t -i -f, relay down: exit status" 0 $?
q_expect_eq "nobody: no output" "" "$(cat "$T/s1.out" "$T/s1.err")"
sys_as "$WWW" "$SENDMAIL" -t -i <"$T/m2" >"$T/s2.out" 2>"$T/s2.err"
q_expect_eq "www-data: sendmail -t -i, relay down: exit status" 0 $?
q_expect_eq "www-data: no output" "" "$(cat "$T/s2.out" "$T/s2.err")"
q_expect_eq "two files in drop/" 2 "$(sys_drops)"

D1=$(grep -l -F 'X-Test-Id: php-nobody' "$SYS_SPOOL"/drop/* | head -n 1)
D2=$(grep -l -F 'X-Test-Id: php-www' "$SYS_SPOOL"/drop/* | head -n 1)
[ -n "$D1" ] && [ -n "$D2" ] || q_fail "the drop files are not there"
q_expect_eq "nobody's drop: owner, group, mode" "$NOBODY $DROP_GID 604" \
	"$(stat -c '%u %g %a' "$D1")"
q_expect_eq "www-data's drop: owner" "$WWW" "$(stat -c '%u' "$D2")"
q_expect_eq "nobody's drop: Uid from the kernel" "Uid: $NOBODY" \
	"$(sed -n 2p "$D1")"
q_expect_eq "nobody's drop: the sender of -f" "Sender: app@example.org" \
	"$(grep '^Sender: ' "$D1")"

# What the submitters cannot do.
for u in "$NOBODY" "$WWW"; do
	sys_as "$u" cat "$SYS_CONF" >"$T/cat.out" 2>&1
	q_expect_eq "uid $u cannot read the system file" 1 $?
	q_expect_nogrep "uid $u: no password seen" "$T/cat.out" Sys-Secret
	sys_as "$u" ls "$SYS_SPOOL/drop" >/dev/null 2>&1
	q_expect_eq "uid $u cannot list drop/" 2 $?
done
sum2=$(cksum <"$D2")
sys_as "$NOBODY" cat "$D2" >"$T/peek" 2>/dev/null
q_expect_eq "nobody cannot read www-data's drop" "" "$(cat "$T/peek")"
sys_as "$NOBODY" rm -f "$D2" 2>/dev/null
sys_as "$NOBODY" sh -c "echo forged >>'$D2'" 2>/dev/null
sys_as "$WWW" sh -c "echo forged >>'$D2'" 2>/dev/null
q_expect_eq "www-data's drop unchanged by nobody and by itself" "$sum2" \
	"$(cksum <"$D2")"
sys_as "$WWW" sh -c "echo x >'$SYS_SPOOL/drop/1700000000.1.aaaaaaaaaaaa'" \
	2>/dev/null
q_expect_eq "www-data cannot write into drop/ itself" 2 "$(sys_drops)"

# The flush with the relay down: both queued in the system queue.
sys_flush >"$T/f1.out" 2>"$T/f1.err"
q_expect_eq "flush, relay down: exit status" 0 $?
q_expect_eq "flush: drop/ is empty" 0 "$(sys_drops)"
q_expect_eq "flush: two entries in the system queue" 2 "$(q_nentries "$SYSQ")"
q_expect_grep "flush: the submitter's uid logged" "$T/f1.err" \
	"^smtpsend: drop file [0-9a-f.]*: from uid $NOBODY (nobody)$"
q_expect_eq "system queue: owned by the system user, mode 700" \
	"$SYS_UID 700" "$(stat -c '%u %a' "$SYSQ")"
E1=$(q_entry_of php-nobody "$SYSQ")
E2=$(q_entry_of php-www "$SYSQ")
q_expect_eq "www-data's entry: the system account's from %U@example.org, %U the submitter" \
	www-data@example.org "$(q_env_value "$E2" Sender msg "$SYSQ")"
for u in "$NOBODY" "$WWW"; do
	sys_as "$u" ls "$SYSQ/msg" >/dev/null 2>&1
	q_expect_eq "uid $u cannot list the system queue" 2 $?
	sys_as "$u" cat "$SYSQ/msg/$E1.eml" >/dev/null 2>&1
	q_expect_eq "uid $u cannot read an entry" 1 $?
	sys_as "$u" rm -f "$SYSQ/msg/$E1.env" 2>/dev/null
done
q_expect_eq "the entries are still there" 2 "$(q_nentries "$SYSQ")"
setpriv --reuid="$SYS_UID" --regid="$SYS_GID" --clear-groups \
	env -i "$SMTPSEND" --queue-list >"$T/list.out" 2>&1
q_expect_eq "the system user lists the system queue" 2 \
	"$(grep -c '<rcpt@example.net>  deferred' "$T/list.out")"

# The relay is up: delivered once each, byte for byte.
q_mock_start up
sys_config "$PORT"
sys_flush --force >"$T/f2.out" 2>"$T/f2.err"
q_expect_eq "flush, relay up: exit status" 0 $?
q_mock_stop up
q_expect_eq "nobody's message delivered once" 1 \
	"$(q_count php-nobody "$T/up.rec")"
q_expect_eq "www-data's message delivered once" 1 \
	"$(q_count php-www "$T/up.rec")"
q_expect_eq "MAIL FROM of nobody's (-f)" 1 \
	"$(grep -c '^MAIL FROM:<app@example.org>' "$T/up.rec")"
q_expect_eq "MAIL FROM of www-data's (from %U@example.org: the submitter)" 1 \
	"$(grep -c '^MAIL FROM:<www-data@example.org>' "$T/up.rec")"
awk -v id=php-nobody '
	toupper($0) ~ /^DATA\r?$/ { indata = 1; b = ""; next }
	indata && ($0 == ".\r") { if (index(b, "X-Test-Id: " id)) printf "%s", b
				  indata = 0; next }
	indata { b = b $0 "\n" }' "$T/up.rec" >"$T/got1"
sed 's/^\./../; s/$/\r/' "$T/m1" >"$T/want1"
if cmp -s "$T/want1" "$T/got1"; then
	q_ok "nobody's message arrived byte for byte"
else
	q_check_fail "nobody's message differs"
	q_dump "$T/got1"
fi
q_expect_eq "the system queue is empty" 0 "$(q_nentries "$SYSQ")"

[ "$q_failures" -gt 0 ] && q_dump "$T/f1.err" "$T/f2.err" "$T/up.rec"
q_done
