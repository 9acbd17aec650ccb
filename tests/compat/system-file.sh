#!/bin/sh
# The system configuration file ($(sysconfdir)/smtpsendrc) is read before
# the user's file, and not at all with -C (msmtp reads it even then: the
# difference doc/msmtp-compat.md gives).  The test hides the real
# configuration directory under an empty tmpfs in a private mount
# namespace of its own (unshare -m as root, a user namespace otherwise), so
# nothing outside the test changes.
. "$(dirname "$0")/../queue/lib.sh"

SYSDIR=${SMTPSEND_SYSCONFDIR:?SMTPSEND_SYSCONFDIR is not set}
[ -d "$SYSDIR" ] || q_skip "$SYSDIR does not exist (a staged build)"
command -v unshare >/dev/null 2>&1 || q_error "unshare(1) is missing"
if [ "$(id -u)" -eq 0 ]; then NS="unshare -m"; else NS="unshare -rm"; fi
$NS true 2>/dev/null || q_skip "no private mount namespace here ($NS)"

printf 'account default\nhost system.example.org\nfrom sys@example.org\n' \
	>"$T/sysrc"
printf 'account mine\nhost user.example.org\nfrom me@example.org\n' \
	>"$T/userrc"
mkdir -p "$T/home/.config/smtpsend"
cp "$T/userrc" "$T/home/.config/smtpsend/config"
chmod 600 "$T/sysrc" "$T/userrc" "$T/home/.config/smtpsend/config"

cat >"$T/inner.sh" <<EOF
mount -t tmpfs -o mode=0755 tmpfs "$SYSDIR" || exit 99
cp "$T/sysrc" "$SYSDIR/smtpsendrc" && chmod 644 "$SYSDIR/smtpsendrc"
export HOME="$T/home"
unset XDG_CONFIG_HOME
"$SMTPSEND" -P >"$T/both.out" 2>"$T/both.err"; echo \$? >"$T/both.rc"
"$SMTPSEND" -P -a mine >"$T/mine.out" 2>"$T/mine.err"
echo \$? >"$T/mine.rc"
"$SMTPSEND" -C "$T/userrc" -P -a mine >"$T/c.out" 2>"$T/c.err"
echo \$? >"$T/c.rc"
"$SMTPSEND" -C "$T/userrc" -P >"$T/cdef.out" 2>"$T/cdef.err"
echo \$? >"$T/cdef.rc"
EOF
$NS sh "$T/inner.sh" || q_error "the namespace part failed ($?)"

q_expect_eq "without -C: exit status" 0 "$(cat "$T/both.rc")"
q_expect_grep "without -C: the system file's default account" \
	"$T/both.out" '^host: system\.example\.org'
q_expect_grep "the system file is named" "$T/both.out" \
	"smtpsendrc"
q_expect_eq "the user's account beside it: exit status" 0 \
	"$(cat "$T/mine.rc")"
q_expect_grep "the user's account" "$T/mine.out" '^host: user\.example\.org'
q_expect_eq "-C FILE: its account: exit status" 0 "$(cat "$T/c.rc")"
q_expect_grep "-C FILE: the account from FILE" "$T/c.out" \
	'^host: user\.example\.org'
q_expect_nogrep "-C FILE: the system file is not read" "$T/c.out" \
	"smtpsendrc"
q_expect_eq "-C FILE: no default account without the system file" 78 \
	"$(cat "$T/cdef.rc")"
q_dump "$T/cdef.err"
q_done
