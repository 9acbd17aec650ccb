#!/bin/sh
# LMTP (RFC 2033) to Dovecot's LMTP server: smtpsend --protocol=lmtp, no
# TLS, to two recipients, one that Dovecot knows and one it does not.  The
# unknown one is refused at RCPT (550), the other delivered (exit 67, one
# report line each), and the maildir holds exactly what was sent, below
# the three header fields Dovecot puts on top: Return-Path, Delivered-To
# and Received.
. "$(dirname "$0")/lib.sh"

case ${INTEROP_CLIENT:-smtpsend} in
smtpsend) ;;
*) it_skip "a test of smtpsend's LMTP, not of ${INTEROP_CLIENT}" ;;
esac
it_start_lmtp

unknown=nobody@$IT_DOMAIN
msg=$it_dir/message
mid="<interop-$it_name-$$-$(date +%s)@client.test>"
cat >"$msg" <<EOF
From: Sender <$IT_FROM>
To: User <$IT_RCPT>, <$unknown>
Subject: interop $it_name
Date: $(date -R)
Message-ID: $mid

Sent by tests/interop/$it_name.sh over LMTP.
.a line that starts with a dot
EOF

set -- --protocol=lmtp --host=127.0.0.1 --port="$it_port_lmtp" --tls=off \
	--domain=client.test -f "$IT_FROM" --report
[ -z "${INTEROP_VERBOSE:-}" ] || set -- "$@" -v
it_log "running: $SMTPSEND $* $IT_RCPT $unknown < $msg"
timeout 60 "$SMTPSEND" "$@" "$IT_RCPT" "$unknown" <"$msg" \
	>"$it_dir/client.out" 2>"$it_dir/client.err"
rc=$?
cat "$it_dir/client.out" "$it_dir/client.err" >&2
[ "$rc" -eq 67 ] || it_fail "smtpsend exited $rc, not 67 (one recipient unknown)"

# the report: one line per recipient, in order
[ "$(wc -l <"$it_dir/client.out")" -eq 2 ] ||
	it_fail "the report does not have exactly two lines"
head -n 1 "$it_dir/client.out" |
	grep -Eq "^$IT_RCPT: delivered: 250 2\.0\.0 <$IT_RCPT> [^ ]+ Saved\$" ||
	it_fail "the known user is not reported delivered with Dovecot's 250"
sed -n 2p "$it_dir/client.out" |
	grep -Eq "^$unknown: failed: 550 5\.1\.1 <$unknown> User doesn't exist" ||
	it_fail "the unknown user is not reported failed with Dovecot's 550"
[ -z "${INTEROP_VERBOSE:-}" ] && [ -s "$it_dir/client.err" ] &&
	it_fail "smtpsend wrote to stderr"

it_wait_delivered 1
[ "$(it_count_new)" -eq 1 ] || it_fail "more than one message delivered"
got=$(find "$it_maildir/new" -type f)

# Dovecot's three fields on top, exactly these (Received with its
# continuation lines), then the message as it was given, byte for byte.
perl -0777 -e '
	my ($from, $to, $file) = @ARGV;
	open(my $fh, "<", $file) or die "$file: $!\n";
	local $_ = <$fh>;
	s/\AReturn-Path: <\Q$from\E>\n// or die "no Return-Path: <$from> first\n";
	s/\ADelivered-To: \Q$to\E\n// or die "no Delivered-To: $to second\n";
	s/\AReceived: from client\.test \(\[127\.0\.0\.1\]\)\n(?:[ \t][^\n]*\n)+//
		or die "no Received: from client.test third\n";
	print;
' "$IT_FROM" "$IT_RCPT" "$got" >"$it_dir/body" 2>"$it_dir/strip.err" ||
	it_fail "the delivered file does not start as expected: $(cat "$it_dir/strip.err")"
cmp "$msg" "$it_dir/body" >&2 ||
	it_fail "the delivered message differs from the one sent"
grep -q 'with LMTP' "$got" || it_fail "the Received field does not say LMTP"
it_log "PASS: delivered over LMTP to $IT_RCPT, $unknown refused at RCPT"
