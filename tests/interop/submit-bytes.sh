#!/bin/sh
# submit-bytes.sh - the message delivered into the maildir must be, byte for
# byte, the message submitted, once the trace headers that Postfix and the
# virtual agent put on top (Return-Path, Delivered-To, Received) are removed.
# The message is submitted twice (AUTH PLAIN over STARTTLS): with LF line
# ends, as a mail user agent hands it over, and with CRLF line ends.  The
# maildir stores LF line ends, so both deliveries must equal the LF file.
# Runs against a private Postfix + Dovecot on loopback: see lib.sh and
# doc/interop.md.
. "$(dirname "$0")/lib.sh"
it_start

# The message, with LF line ends: folded headers, 8-bit UTF-8 text, lines
# that need dot-stuffing (".", "..", ".x"), a line that mbox would quote
# ("From "), trailing blanks, consecutive empty lines, a long line (990
# octets, just under SMTP's 998), and a body line that looks like a header.
msg=$it_dir/message.lf
long=$(printf '%0990d' 0 | tr 0 x)
{
	printf 'From: =?UTF-8?Q?S=C3=A9nder?= <%s>\n' "$IT_FROM"
	printf 'To: User <%s>,\n\tOther <other@example.test>\n' "$IT_RCPT"
	printf 'Subject: interop byte-for-byte check with a\n folded subject line\n'
	printf 'Date: Mon, 01 Jan 2024 12:00:00 +0000\n'
	printf 'Message-ID: <interop-bytes-%s@client.test>\n' "$$"
	printf 'MIME-Version: 1.0\n'
	printf 'Content-Type: text/plain; charset=utf-8\n'
	printf 'Content-Transfer-Encoding: 8bit\n'
	printf 'X-Interop: trailing blanks follow \t \n'
	printf '\n'
	printf 'First line.\n'
	printf '.\n'
	printf '..\n'
	printf '.starts with a dot\n'
	printf '...three dots\n'
	printf 'From the start of a line (mbox would write ">From").\n'
	printf 'Received: this is body text, not a trace header\n'
	printf 'trailing spaces   \n'
	printf 'trailing tab\t\n'
	printf '\tleading tab\n'
	printf '8-bit: caf\303\251, Gr\303\274\303\237e, \342\230\203\n'
	printf '\n\n\n'
	printf '%s\n' "$long"
	printf 'Last line.\n'
} >"$msg"
crlf=$it_dir/message.crlf
perl -pe 's/\n/\r\n/' <"$msg" >"$crlf"

submit starttls plain "$IT_USER" "$IT_PASS" "$msg"
rc=$?
[ "$rc" -eq 0 ] || it_fail "the client exited $rc, not 0 (LF message)"
it_wait_delivered 1
submit starttls plain "$IT_USER" "$IT_PASS" "$crlf"
rc=$?
[ "$rc" -eq 0 ] || it_fail "the client exited $rc, not 0 (CRLF message)"
it_wait_delivered 2

fail=0
# Maildir file names have no blanks.
# shellcheck disable=SC2044
for f in $(find "$it_maildir/new" -type f); do
	it_strip_trace "$f" >"$it_dir/delivered"
	if cmp "$msg" "$it_dir/delivered" >&2; then
		it_log "identical: ${f##*/}"
	else
		it_log "differs from what was submitted: ${f##*/}"
		echo "----- diff submitted delivered (cat -A) -----" >&2
		cat -A "$msg" >"$it_dir/want.txt"
		cat -A "$it_dir/delivered" >"$it_dir/got.txt"
		diff -u "$it_dir/want.txt" "$it_dir/got.txt" >&2
		echo "----- delivered file, as stored -----" >&2
		cat -A "$f" | head -n 40 >&2
		fail=1
	fi
done
[ "$fail" -eq 0 ] || it_fail "a delivered message differs from the submitted one"
it_log "PASS: both deliveries are byte-identical to the submitted message"
