#!/bin/sh
# msmtp's own example configuration files load unchanged: the user and the
# system example that msmtp's documentation ships (Debian installs them in
# /usr/share/doc/msmtp/examples; MSMTP_EXAMPLES names another directory).
# Each account is checked setting by setting in --pretend's output (their
# hosts are not reachable, so nothing is sent with them).  The lines that
# msmtp's manual shows on their own (a client certificate with "auth
# external" and user "", PKCS #11 URLs, a SOCKS proxy, an aliases file
# with a "default" entry) are checked too, written here as a user would
# copy them.
. "$(dirname "$0")/../queue/lib.sh"

EX=${MSMTP_EXAMPLES:-/usr/share/doc/msmtp/examples}
USER_EX=$EX/msmtprc-user.example
SYS_EX=$EX/msmtprc-system.example
for f in "$USER_EX" "$SYS_EX"; do
	if [ ! -f "$f" ] && [ -f "$f.gz" ]; then
		gzip -dc "$f.gz" >"$T/${f##*/}" || q_error "cannot unpack $f.gz"
		chmod 600 "$T/${f##*/}"
	fi
done
[ -f "$USER_EX" ] || USER_EX=$T/msmtprc-user.example
[ -f "$SYS_EX" ] || SYS_EX=$T/msmtprc-system.example
[ -f "$USER_EX" ] && [ -f "$SYS_EX" ] ||
	q_skip "msmtp's example files are not installed (package msmtp)"

# pretend FILE ACCOUNT [OPTION...] - smtpsend -P's output for ACCOUNT.
pretend() {
	p_file=$1
	p_acc=$2
	shift 2
	"$SMTPSEND" -C "$p_file" -a "$p_acc" -P "$@" >"$T/p.out" 2>"$T/p.err"
	p_rc=$?
	[ "$p_rc" -eq 0 ] || { q_dump "$T/p.err"; q_check_fail \
		"${p_file##*/} account $p_acc: -P exit status $p_rc"; }
}

# setting NAME - the value --pretend showed for NAME (without where it
# was set).
setting() {
	sed -n "s/^$1: \\(.*\\)\$/\\1/p" "$T/p.out" | sed 's/  (.*)$//'
}

# expect ACCOUNT NAME VALUE
expect() { q_expect_eq "$1: $2" "$3" "$(setting "$2")"; }

for acc in freemail freemail2 company default; do
	pretend "$USER_EX" "$acc"
	expect "$acc" port 587
	expect "$acc" tls on
	expect "$acc" tls_starttls on
	expect "$acc" auth on
done
pretend "$USER_EX" freemail
expect freemail host smtp.freemail.example
expect freemail from joe_smith@freemail.example
expect freemail user joe.smith
expect freemail passwordeval 'gpg2 --no-tty -q -d ~/.msmtp-password.gpg'
pretend "$USER_EX" freemail2
expect freemail2 host smtp.freemail.example
expect freemail2 from joey@freemail.example
expect freemail2 user joe.smith
pretend "$USER_EX" company
expect company host mail.company.example
expect company from smithjoe@company.example
expect company user company12345
expect company passwordeval '(not set)'
pretend "$USER_EX" default
expect default host smtp.freemail.example
expect default from joe_smith@freemail.example

# The system example: "from %U@oursite.example" gives the user's name, and
# allow_from_override off keeps it even when -f says otherwise.
ME=$(id -un)
pretend "$SYS_EX" default -f other@example.net
expect default host mail.oursite.example
expect default port 465
expect default tls_starttls off
expect default from %U@oursite.example
expect default allow_from_override off
expect default set_from_header on
expect default syslog LOG_MAIL
expect default 'envelope sender' "<$ME@oursite.example>"

# The manual's client-certificate lines: auth external, user "".
C=$T/cert.conf
{
	echo 'account default'
	echo 'host mail.example.org'
	echo 'from joe@example.org'
	echo 'tls on'
	echo "tls_cert_file $T/client.pem"
	echo "tls_key_file $T/client-key.pem"
	echo 'auth external'
	echo 'user ""'
} >"$C"
chmod 600 "$C"
pretend "$C" default
expect cert auth external
expect cert user '(not set)'
expect cert tls_cert_file "$T/client.pem"

# PKCS #11 URLs in tls_cert_file and tls_key_file are taken as they are.
C=$T/pkcs11.conf
URL='pkcs11:model=PKCS%2315%20emulated;manufacturer=piv_II;id=%01'
{
	echo 'account default'
	echo 'host mail.example.org'
	echo 'from joe@example.org'
	echo "tls_cert_file $URL;type=cert"
	echo "tls_key_file  $URL;type=private"
	echo 'passwordeval  gpg2 --no-tty -q -d ~/.smart-card-pin.gpg'
} >"$C"
chmod 600 "$C"
pretend "$C" default
expect pkcs11 tls_cert_file "$URL;type=cert"
expect pkcs11 tls_key_file "$URL;type=private"

# The manual's Tor example: a SOCKS proxy on 127.0.0.1 port 9050.
C=$T/proxy.conf
{
	echo 'account default'
	echo 'host mail.example.org'
	echo 'from joe@example.org'
	echo 'proxy_host 127.0.0.1'
	echo 'proxy_port 9050'
	echo 'tls on'
} >"$C"
chmod 600 "$C"
pretend "$C" default
expect proxy proxy_host 127.0.0.1
expect proxy proxy_port 9050
expect proxy tls on

# The manual's aliases file: a list for root, one address for cron and a
# "default" entry for every other local name.
{
	echo '# Example aliases file'
	echo ''
	echo 'root: joe@example.com, jane@example.com'
	echo 'cron: mark@example.com'
	echo 'default: admin@domain.example'
} >"$T/aliases"
C=$T/aliases.conf
{
	echo 'account default'
	echo 'host 127.0.0.1'
	echo 'tls off'
	echo 'from joe@example.org'
	echo "aliases $T/aliases"
} >"$C"
chmod 600 "$C"
q_mock_start al
q_msg al-1 >"$T/msg"
"$SMTPSEND" -C "$C" --port="$PORT" --domain=client.test root cron someone \
	<"$T/msg" >"$T/al.out" 2>"$T/al.err"
q_expect_eq "send through the aliases: exit status" 0 "$?"
q_mock_stop al
q_expect_eq "the recipients the aliases give" \
	"joe@example.com jane@example.com mark@example.com admin@domain.example" \
	"$(sed -n 's/^RCPT TO:<\([^>]*\)>.*/\1/p' "$T/al.rec" | tr -d '\r' |
		tr '\n' ' ' | sed 's/ $//')"
q_done
