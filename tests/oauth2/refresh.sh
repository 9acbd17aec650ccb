#!/bin/sh
# refresh.sh - the access token renewed with the refresh token (RFC 6749
# 6): once after the server's 334 error challenge (RFC 7628 3.2.2), before
# AUTH when it has expired (a rotated refresh token saved), twice at most
# on invalid_grant and then exit 77 with the hint; a 5xx or a slow token
# endpoint defers the message into the queue, and a later flush delivers
# it.  No token and no client secret in any output, log or queue file.
. "$(dirname "$0")/../queue/lib.sh"
. "$q_srcdir/../oauth2/lib.sh"

o_start --rotate
# smtp NAME TOKEN - a new mock SMTP server taking TOKEN, and the config
smtp() {
	q_mock_stop "${cur-none}"
	cur=$1
	o_smtp_start "$1" "$2"
	o_config ms xoauth2 device "timeout 3" "logfile $T/smtpsend.log"
}
smtp s0 "at1-$O_SEED"
o_authorize_device ms || q_fail "cannot authorize"
tf=$(o_token_file)
refreshes() { o_count "POST /token refresh_token"; }

# expire - the stored access token has ended
expire() { sed -i 's/^expires .*/expires 1/' "$tf"; }

# 1. the server refuses at1 (334 + 535): one renewal, one more AUTH
smtp s1 "at2-$O_SEED"
q_msg r1 | "$SMTPSEND" -C "$T/config" -a ms -v rcpt@example.net \
	>"$T/r1.out" 2>"$T/r1.err"
q_expect_eq "334 challenge: exit status" 0 "$?"
q_expect_eq "334 challenge: exactly one refresh" 1 "$(refreshes)"
q_mock_settle s1
q_expect_eq "334 challenge: two AUTH commands" 2 \
	"$(grep -c '^AUTH XOAUTH2 ' "$T/s1.rec")"
q_expect_eq "334 challenge: delivered" 1 "$(q_count r1 "$T/s1.rec")"
q_expect_grep "the rotated refresh token is saved" "$tf" \
	"^refresh_token rt2-$O_SEED\$"
q_expect_grep "and the new access token" "$tf" "^access_token at2-$O_SEED\$"
q_expect_eq "token file mode after rotation" 600 "$(o_mode_of "$tf")"
q_expect_grep "-v tells of the renewal" "$T/r1.err" \
	"OAuth2: access token renewed"

# 2. expired: renewed before AUTH, one AUTH
smtp s2 "at3-$O_SEED"
expire
q_msg r2 | "$SMTPSEND" -C "$T/config" -a ms rcpt@example.net \
	>"$T/r2.out" 2>"$T/r2.err"
q_expect_eq "expired: exit status" 0 "$?"
q_expect_eq "expired: one more refresh" 2 "$(refreshes)"
q_mock_settle s2
q_expect_eq "expired: one AUTH" 1 "$(grep -c '^AUTH XOAUTH2 ' "$T/s2.rec")"

# 3. invalid_grant: one retry, then exit 77 with the hint; not queued
expire
o_mode invalid_grant
q_msg r3 | "$SMTPSEND" -C "$T/config" -a ms rcpt@example.net \
	>"$T/r3.out" 2>"$T/r3.err"
q_expect_eq "invalid_grant: exit status" 77 "$?"
q_expect_eq "invalid_grant: one retry" 4 "$(refreshes)"
q_expect_grep "invalid_grant: the hint" "$T/r3.err" \
	"(invalid_grant); run smtpsend --oauth2-authorize -a ms"
q_expect_eq "invalid_grant: nothing queued" 0 "$(q_nentries)"
q_expect_eq "invalid_grant: no AUTH sent (only case 2's)" 1 \
	"$(grep -c '^AUTH' "$T/s2.rec")"
q_expect_grep "the token file is intact" "$tf" "^refresh_token rt3-$O_SEED\$"

# 4. the token endpoint answers 503: the message is queued (exit 0)
o_mode 500
q_msg r4 | "$SMTPSEND" -C "$T/config" -a ms rcpt@example.net \
	>"$T/r4.out" 2>"$T/r4.err"
q_expect_eq "5xx: exit status (queued)" 0 "$?"
q_expect_eq "5xx: one entry queued" 1 "$(q_nentries)"
q_expect_grep "5xx: the reason" "$T/r4.err" "HTTP 503"

# 5. a token endpoint slower than the timeout: queued within bounds
o_mode slow 8
start=$(date +%s)
q_msg r5 | "$SMTPSEND" -C "$T/config" -a ms rcpt@example.net \
	>"$T/r5.out" 2>"$T/r5.err"
q_expect_eq "slow: exit status (queued)" 0 "$?"
took=$(($(date +%s) - start))
[ "$took" -le 7 ] || q_check_fail "slow: took $took s (timeout 3)"
q_expect_eq "slow: two entries queued" 2 "$(q_nentries)"
o_no_secrets "$QDIR"/msg/*

# 6. the endpoint is back: a flush delivers both with a new token
o_mode ok
smtp s6 "at4-$O_SEED"
"$SMTPSEND" -C "$T/config" -a ms --queue-flush --force >"$T/r6.out" \
	2>"$T/r6.err"
q_expect_eq "flush exit status" 0 "$?"
q_mock_settle s6
q_expect_eq "flush: r4 delivered" 1 "$(q_count r4 "$T/s6.rec")"
q_expect_eq "flush: r5 delivered" 1 "$(q_count r5 "$T/s6.rec")"
q_expect_eq "flush: queue empty" 0 "$(q_nentries)"

# secrets: in no output or log (the queue files were looked at above)
o_no_secrets "$T"/r*.out "$T"/r*.err "$T/smtpsend.log" \
	"$T/authorize.out" "$T/authorize.err"
q_done
