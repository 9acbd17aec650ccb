#!/bin/sh
# submit-mailx.sh - smtpsend as the sendmail of a mail user agent: Debian's
# bsd-mailx ("mail -s SUBJECT RECIPIENT < body") runs it, through a link
# named "sendmail", as "sendmail -i -t".  The configuration is the one a
# user would have: ~/.config/smtpsend/config with a default account, HOME
# pointing into the temporary directory.  mailx writes no From, Date or
# Message-ID: smtpsend must add them (From qualified, the account's
# address), and the message must arrive once, with its subject and body
# intact.  A second message has its only recipient in Bcc (mail -b): it
# must arrive, and its Bcc header must not reach Postfix.  (Postfix's
# cleanup removes Bcc headers itself, so the maildir cannot tell: a
# header_checks WARN rule, added before the second message, logs any Bcc
# header that Postfix receives.)
# Runs against a private Postfix + Dovecot on loopback: see lib.sh and
# doc/interop.md.
. "$(dirname "$0")/lib.sh"

case ${INTEROP_CLIENT:-smtpsend} in
smtpsend) mx_sendmail=$SMTPSEND ;;
msmtp) mx_sendmail=$(command -v msmtp) ;;
*) it_skip "${INTEROP_CLIENT} cannot stand in for sendmail" ;;
esac
# Debian's bsd-mailx: it reads MAILRC and honours "set sendmail=PATH".
mx_mailx=$(command -v bsd-mailx 2>/dev/null) ||
	it_skip "bsd-mailx is not installed (apt-get install bsd-mailx)"
it_start

# ---------------------------------------------------------------------------
# The user's side: a home directory, the client's configuration in it, a
# link named sendmail, and a MAILRC that points mailx at the link.

mx_home=$it_dir/home
mkdir -p "$mx_home/.config/smtpsend" "$it_dir/bin"
ln -s "$mx_sendmail" "$it_dir/bin/sendmail"
case ${INTEROP_CLIENT:-smtpsend} in
smtpsend) mx_conf=$mx_home/.config/smtpsend/config ;;
msmtp) mx_conf=$mx_home/.msmtprc ;;
esac
(
	umask 077
	{
		echo "# Written by tests/interop/$it_name.sh."
		echo "account interop"
		echo "host 127.0.0.1"
		echo "port $it_port_starttls"
		echo "tls on"
		echo "tls_starttls on"
		echo "tls_trust_file $it_dir/tls/ca.pem"
		echo "domain client.test"
		echo "auth plain"
		echo "user $IT_USER"
		echo "password $IT_PASS"
		echo "from $IT_FROM"
		# A failure must show in the exit status (mailx reports it),
		# not wait in a queue.
		[ "${INTEROP_CLIENT:-smtpsend}" != smtpsend ] || echo "queue off"
		echo
		echo "account default : interop"
	} >"$mx_conf"
)
# mailx reads /etc/mail.rc too; nothing there changes what it sends.
printf 'set sendmail=%s\n' "$it_dir/bin/sendmail" >"$it_dir/mailrc"
[ -z "${INTEROP_VERBOSE:-}" ] || printf 'set verbose\n' >>"$it_dir/mailrc"

# mx_mail BODY-FILE MAILX-ARGS...: run mailx as the user would, with the
# body on standard input; its standard error (and the client's) goes to
# $it_dir/client.err and then to the log.
mx_mail() {
	mx_body=$1
	shift
	: >"$it_dir/client.err"
	it_log "running: HOME=$mx_home MAILRC=$it_dir/mailrc bsd-mailx $* < ${mx_body##*/}"
	(
		cd "$mx_home" || exit 99
		unset XDG_CONFIG_HOME XDG_STATE_HOME
		HOME=$mx_home MAILRC=$it_dir/mailrc LC_ALL=C.UTF-8
		export HOME MAILRC LC_ALL
		timeout 60 "$mx_mailx" "$@" <"$mx_body" >>"$it_dir/client.err" 2>&1
	)
	mx_rc=$?
	if [ -s "$it_dir/client.err" ]; then
		echo "----- mailx and client output -----" >&2
		cat "$it_dir/client.err" >&2
	fi
	it_log "bsd-mailx exited $mx_rc"
	return "$mx_rc"
}

# mx_header FILE NAME: the values of every NAME header field of FILE (a
# message without its trace headers), unfolded, one a line.
mx_header() {
	perl -0777 -ne '
		BEGIN { $name = shift }
		($h) = /\A(.*?\n)\n/s or $h = $_;
		$h =~ s/\n([ \t])/$1/g;
		for (split /\n/, $h) { print "$1\n" if /^\Q$name\E:[ \t]*(.*?)[ \t]*$/i }
	' "$2" "$1"
}

# mx_body FILE: the body of FILE, after the first empty line.
mx_body() { perl -0777 -pe 's/\A.*?\n\n//s or $_ = ""' "$1"; }

# mx_one FILE NAME: the single NAME field of FILE; fail if there are none
# or several.
mx_one() {
	n=$(mx_header "$1" "$2" | wc -l)
	[ "$n" -eq 1 ] || it_fail "$n $2 header fields in the delivered message, not 1"
	mx_header "$1" "$2"
}

# mx_find SUBJECT-WORD: the maildir file whose header carries it.
mx_find() {
	grep -l -F -- "$1" "$it_maildir"/new/* 2>/dev/null | head -n 1
}

# ---------------------------------------------------------------------------
# 1. A plain message: subject, one recipient, a body with lines a careless
# sendmail would cut or change ("." alone ends the input without -i).

subject="interop mailx check $$"
body=$it_dir/body1
{
	printf 'Sent by tests/interop/%s.sh through bsd-mailx.\n' "$it_name"
	printf '.\n'
	printf '..\n'
	printf '.starts with a dot\n'
	printf 'From the start of a line.\n'
	printf 'To: body text that looks like a header\n'
	printf 'trailing spaces   \n'
	printf '\tleading tab\n'
	printf '8-bit: caf\303\251, Gr\303\274\303\237e\n'
	printf '\n\n'
	printf 'Last line.\n'
} >"$body"

t0=$(date +%s)
mx_mail "$body" -s "$subject" "$IT_RCPT" ||
	it_fail "bsd-mailx (and the client) failed to send the first message"
it_wait_delivered 1
[ "$(it_count_new)" -eq 1 ] ||
	it_fail "$(it_count_new) messages delivered for one, not exactly one"
got=$(find "$it_maildir/new" -type f)
it_strip_trace "$got" >"$it_dir/delivered1"
d=$it_dir/delivered1

v=$(mx_one "$d" Subject) || exit 1
[ "$v" = "$subject" ] || it_fail "Subject is '$v', not '$subject'"
v=$(mx_one "$d" To) || exit 1
[ "$v" = "$IT_RCPT" ] || it_fail "To is '$v', not '$IT_RCPT'"
# From: added from the account's address, fully qualified.
v=$(mx_one "$d" From) || exit 1
case $v in
"$IT_FROM" | *"<$IT_FROM>") ;;
*) it_fail "From is '$v', not the account's address $IT_FROM" ;;
esac
grep -q "^Return-Path: <$IT_FROM>\$" "$got" ||
	it_fail "the envelope sender is not $IT_FROM: $(grep '^Return-Path:' "$got")"
# Date: RFC 5322 3.3, and now.
v=$(mx_one "$d" Date) || exit 1
echo "$v" | grep -Eq '^((Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?[0-9]{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}(:[0-9]{2})? [+-][0-9]{4}( \(.*\))?$' ||
	it_fail "Date '$v' is not an RFC 5322 date"
ds=$(date -d "$v" +%s 2>/dev/null) || it_fail "date(1) cannot read the Date '$v'"
t1=$(date +%s)
if [ "$ds" -lt $((t0 - 5)) ] || [ "$ds" -gt $((t1 + 5)) ]; then
	it_fail "Date '$v' is not the time of sending"
fi
# Message-ID: RFC 5322 3.6.4, <left@right>.
v=$(mx_one "$d" Message-ID) || exit 1
echo "$v" | grep -Eq '^<[^<>@ ]+@[^<>@ ]+>$' ||
	it_fail "Message-ID '$v' is not of the form <left@right>"
[ -z "$(mx_header "$d" Bcc)" ] || it_fail "a Bcc header was delivered"
mx_body "$d" >"$it_dir/got-body1"
if ! cmp "$body" "$it_dir/got-body1" >&2; then
	echo "----- diff sent delivered (cat -A) -----" >&2
	cat -A "$body" >"$it_dir/want.txt"
	cat -A "$it_dir/got-body1" >"$it_dir/got.txt"
	diff -u "$it_dir/want.txt" "$it_dir/got.txt" >&2
	it_fail "the delivered body differs from the one given to mailx"
fi
it_log "message 1: subject, To, From ($IT_FROM), Date, Message-ID and body as expected"

# ---------------------------------------------------------------------------
# 2. The recipient in Bcc only (mailx then writes no To): delivered once,
# and no Bcc header sent to Postfix.  Postfix removes Bcc headers on its
# own, so a header_checks rule makes one visible in the log first.

pf=$it_dir/postfix
printf '/^Bcc:/ WARN interop-bcc-seen\n' >"$pf/header_checks"
postconf -c "$pf" -e "header_checks = regexp:$pf/header_checks" ||
	it_error "postconf could not add header_checks"
postfix -c "$pf" reload >>"$it_dir/postfix-start.log" 2>&1 ||
	it_error "postfix reload failed"
it_wait_log 'reload -- version .*, configuration ' ||
	it_error "postfix did not log its reload"

subject2="interop mailx bcc check $$"
body2=$it_dir/body2
printf 'The recipient of this message is in Bcc.\n' >"$body2"
mx_mail "$body2" -s "$subject2" -b "$IT_RCPT" "$IT_RCPT" ||
	it_fail "bsd-mailx (and the client) failed to send the Bcc message"
it_wait_delivered 2
[ "$(it_count_new)" -eq 2 ] ||
	it_fail "$(it_count_new) messages delivered for two, not exactly two"
got2=$(mx_find "$subject2")
[ -n "$got2" ] || it_fail "the Bcc message is not the one delivered"
# The queue manager logs "removed" after the delivery, and so after
# cleanup has logged any header_checks warning for the message.
qid=$(sed -n 's/.* with ESMTPSA id \([0-9A-F]*\)$/\1/p' "$got2" | head -n 1)
[ -n "$qid" ] || it_fail "no Postfix queue id in the Received header of the Bcc message"
it_wait_log "$qid: removed" || it_fail "postfix did not log the end of $qid"
if grep -F "$qid: warning: header Bcc:" "$it_dir/maillog" >&2; then
	it_fail "the client sent the Bcc header to Postfix (see the line above)"
fi
it_strip_trace "$got2" >"$it_dir/delivered2"
mx_body "$it_dir/delivered2" | cmp "$body2" - >&2 ||
	it_fail "the Bcc message's body differs from the one given to mailx"
it_log "message 2: delivered to the Bcc recipient; no Bcc header reached postfix"
it_log "PASS: bsd-mailx through smtpsend as sendmail: both messages intact"
