#!/bin/sh
# pkce-flow.sh - smtpsend --oauth2-authorize with the authorization code
# grant, PKCE S256 (RFC 7636) and a redirect to a loopback port (RFC
# 8252): the test plays the browser (the address printed, the mock's
# consent, the redirect to 127.0.0.1).  A redirect with a wrong state is
# refused and stores nothing; a right one stores the refresh token, which
# OAUTHBEARER then uses.
. "$(dirname "$0")/../queue/lib.sh"
. "$q_srcdir/../oauth2/lib.sh"

o_start
o_smtp_start smtp "at1-$O_SEED"
o_config gm oauthbearer code

# authorize: start, read the address, consent, follow the redirect
# authorize_run STATE_OVERRIDE - STATE_OVERRIDE empty: the real state
authorize_run() {
	: >"$T/authorize.out"
	"$SMTPSEND" -C "$T/config" -a gm --oauth2-authorize \
		>"$T/authorize.out" 2>"$T/authorize.err" &
	pid=$!
	echo "$pid" >"$T/authorize.bgpid"
	url=$(o_wait_line "$T/authorize.out" "^  $O_URL/authorize?" \
		| sed 's/^  //')
	[ -n "$url" ] || q_fail "no authorization address printed"
	case $url in
	*code_challenge_method=S256*) q_ok "S256 asked for" ;;
	*) q_check_fail "no code_challenge_method=S256 in $url" ;;
	esac
	case $url in
	*redirect_uri=http%3A%2F%2F127.0.0.1%3A[0-9]*%2F\&*)
		q_ok "redirect to a loopback port" ;;
	*) q_check_fail "no loopback redirect_uri in $url" ;;
	esac
	loc=$(o_https GET "$url" | sed -n 's/^302 //p')
	[ -n "$loc" ] || q_fail "the mock did not redirect"
	if [ -n "$1" ]; then
		loc=$(echo "$loc" | sed "s/state=[^&]*/state=$1/")
	fi
	o_https GET "$loc" >"$T/browser.out"
	q_wait_pid "$pid" 100
}

authorize_run forged
q_expect_eq "a forged state: exit status" 77 "$?"
q_expect_grep "the browser is told" "$T/browser.out" "^400"
q_expect_grep "the user is told" "$T/authorize.err" \
	"state does not match"
[ -e "$(o_token_file)" ] && q_check_fail "a token was stored"

authorize_run ""
q_expect_eq "--oauth2-authorize exit status" 0 "$?"
q_expect_grep "the browser gets the page" "$T/browser.out" "^200"
q_expect_eq "the code was redeemed with its verifier" 1 \
	"$(o_count "POST /token authorization_code")"
q_expect_eq "token file mode" 600 "$(o_mode_of "$(o_token_file)")"

q_msg pk1 | "$SMTPSEND" -C "$T/config" -a gm rcpt@example.net \
	>"$T/send.out" 2>"$T/send.err"
q_expect_eq "send exit status" 0 "$?"
q_mock_settle smtp
q_expect_eq "delivered once" 1 "$(q_count pk1 "$T/smtp.rec")"
want=$(printf 'n,a=alice@example.org,\001host=127.0.0.1\001port=%s\001auth=Bearer at1-%s\001\001' \
	"$PORT" "$O_SEED" | base64 -w0)
q_expect_grep "OAUTHBEARER carries the token" "$T/smtp.rec" \
	"^AUTH OAUTHBEARER $want"

o_no_secrets "$T/authorize.out" "$T/authorize.err" "$T/send.out" \
	"$T/send.err"
q_done
