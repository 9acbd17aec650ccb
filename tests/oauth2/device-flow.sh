#!/bin/sh
# device-flow.sh - an endpoint whose certificate is not trusted is not
# spoken to; smtpsend --oauth2-authorize with the device
# authorization grant (RFC 8628), the test entering the code as the user
# would; the token file (0600, never printed: -P shows presence and
# expiry only); XOAUTH2 with the stored access token, no refresh while it
# is fresh; the default account made of the same account shares the
# token; --oauth2-revoke forgets it and the next send says how to
# authorize again (exit 77).
. "$(dirname "$0")/../queue/lib.sh"
. "$q_srcdir/../oauth2/lib.sh"

o_start
o_smtp_start smtp "at1-$O_SEED"
# a provider whose certificate the trust file does not vouch for
o_config ms xoauth2 device "oauth2_trust_file $SMTPMOCK_CERTS/other-ca.pem"
"$SMTPSEND" -C "$T/config" -a ms --oauth2-authorize >"$T/untrusted.out" \
	2>"$T/untrusted.err"
q_expect_eq "an untrusted certificate: exit status" 77 "$?"
q_expect_grep "an untrusted certificate: the reason" "$T/untrusted.err" \
	"HTTPS to 127.0.0.1: the certificate was refused"
q_expect_eq "an untrusted certificate: nothing sent" 0 \
	"$(o_count "POST /device ")"

o_config ms xoauth2 device "account default : ms"

o_authorize_device ms
q_expect_eq "--oauth2-authorize exit status" 0 "$?"
q_expect_grep "the user is told where to go" "$T/authorize.out" \
	"^  $O_URL/activate\$"
q_expect_grep "and which code to enter" "$T/authorize.out" \
	"enter the code USER-0001"
q_expect_grep "it says where the token is" "$T/authorize.out" \
	"Account ms is authorized; its token is kept in $(o_token_file)"
tf=$(o_token_file)
q_expect_eq "token file mode" 600 "$(o_mode_of "$tf")"
q_expect_eq "token directory mode" 700 "$(o_mode_of "$O_TOKENS")"
q_expect_grep "refresh token stored" "$tf" "^refresh_token rt1-$O_SEED\$"
q_expect_eq "one device authorization request" 1 \
	"$(o_count "POST /device ")"

# -P: presence and expiry, no token
"$SMTPSEND" -C "$T/config" -a ms -P >"$T/pretend.out" 2>&1
q_expect_grep "-P shows the token's presence and expiry" "$T/pretend.out" \
	"^oauth2 token: present, access token expires 20[0-9-]* [0-9:]* UTC"
q_expect_grep "-P masks the client secret" "$T/pretend.out" \
	"^oauth2_client_secret: \*  "

# a send: XOAUTH2 with at1, and no refresh (it is fresh)
q_msg dev1 | "$SMTPSEND" -C "$T/config" -a ms -v rcpt@example.net \
	>"$T/send1.out" 2>"$T/send1.err"
q_expect_eq "send exit status" 0 "$?"
q_mock_settle smtp
q_expect_eq "delivered once" 1 "$(q_count dev1 "$T/smtp.rec")"
q_expect_eq "no refresh while the token is fresh" 0 \
	"$(o_count "POST /token refresh_token")"
q_expect_grep "-v shows the AUTH line redacted" "$T/send1.err" \
	"AUTH XOAUTH2 <redacted>"
want=$(printf 'user=alice@example.org\001auth=Bearer at1-%s\001\001' \
	"$O_SEED" | base64 -w0)
q_expect_grep "the server got the current token" "$T/smtp.rec" \
	"^AUTH XOAUTH2 $want"

# the default account made of ms shares its token (same user, same client)
q_msg dev0 | "$SMTPSEND" -C "$T/config" rcpt@example.net \
	>"$T/send0.out" 2>"$T/send0.err"
q_expect_eq "send through the default account: exit status" 0 "$?"
q_mock_settle smtp
q_expect_eq "the default account delivered once" 1 \
	"$(q_count dev0 "$T/smtp.rec")"

# --oauth2-revoke, then the send fails for good with the hint
"$SMTPSEND" -C "$T/config" -a ms --oauth2-revoke >"$T/revoke.out" 2>&1
q_expect_eq "--oauth2-revoke exit status" 0 "$?"
q_expect_grep "revoke says so" "$T/revoke.out" \
	"The OAuth2 token of account ms is forgotten"
[ -e "$tf" ] && q_check_fail "the token file is still there"
q_msg dev2 | "$SMTPSEND" -C "$T/config" -a ms rcpt@example.net \
	>"$T/send2.out" 2>"$T/send2.err"
q_expect_eq "send without a token: exit status" 77 "$?"
q_expect_grep "the message says what to run" "$T/send2.err" \
	"account ms has no OAuth2 token yet; run smtpsend --oauth2-authorize -a ms"
q_expect_eq "nothing queued" 0 "$(q_nentries)"

o_no_secrets "$T/authorize.out" "$T/authorize.err" "$T/pretend.out" \
	"$T/send0.out" "$T/send0.err" "$T/send1.out" "$T/send1.err" \
	"$T/send2.out" "$T/send2.err" \
	"$T/revoke.out"
q_done
