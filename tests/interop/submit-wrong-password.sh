#!/bin/sh
# submit-wrong-password.sh - AUTH PLAIN over STARTTLS with a wrong password
# must be refused: the client exits 77 and nothing is queued or delivered.
# Runs against a private Postfix + Dovecot on loopback: see lib.sh and
# doc/interop.md.
. "$(dirname "$0")/lib.sh"
it_start

msg=$it_dir/message
cat >"$msg" <<MSG
From: Sender <$IT_FROM>
To: User <$IT_RCPT>
Subject: interop $it_name: must not arrive
Date: $(date -R)
Message-ID: <interop-$it_name-$$@client.test>

This message must not be delivered.
MSG

submit starttls plain "$IT_USER" "wrong-$IT_PASS" "$msg"
rc=$?
[ "$rc" -eq 77 ] || it_fail "the client exited $rc, not 77"

# The server saw a failed PLAIN authentication, and the session is over.
it_wait_log "warning: [^ ]*: SASL PLAIN authentication failed" ||
	it_fail "postfix did not log a failed PLAIN authentication"
it_wait_log "disconnect from .* auth=0/1( |$)" ||
	it_fail "postfix did not log the end of the session"

# Whatever the session had handed to Postfix would be in its queue or the
# maildir by now (cleanup has written it before smtpd answers 250).
! grep -q "sasl_method=" "$it_dir/maillog" ||
	it_fail "postfix logged an authenticated session"
n=$(it_queue_files)
[ "$n" -eq 0 ] || it_fail "$n message(s) in postfix's queue"
n=$(find "$it_maildir" -type f | wc -l)
[ "$n" -eq 0 ] || it_fail "$n message(s) delivered"
it_log "PASS: wrong password refused (exit 77), nothing queued or delivered"
