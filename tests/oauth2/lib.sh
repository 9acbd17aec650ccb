# tests/oauth2/lib.sh - shared code of the OAuth2 tests.
#
# Sourced (POSIX sh) by tests/oauth2/*.sh after tests/queue/lib.sh, whose
# private directory ($T, HOME and the XDG directories inside it), mock SMTP
# servers and bounded waits it uses.  It adds the mock OAuth2
# authorization server (mockoauth.py: HTTPS on 127.0.0.1 with the test
# CA's certificate), a configuration file for an account of it, and the
# user's part of the authorization grants.
#
# Environment (from tests/Makefile.am): SMTPMOCK_CERTS, the test
# certificates (the tests skip without them, or without python3).

[ -n "${SMTPMOCK_CERTS-}" ] && [ -f "$SMTPMOCK_CERTS/ca.pem" ] \
	|| q_skip "no test certificates (certtool missing)"
command -v python3 >/dev/null 2>&1 || q_skip "python3 is not installed"

O_MOCK=$q_srcdir/../oauth2/mockoauth.py
# every token, code and secret the mock issues ends with this
O_SEED=k$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
O_SECRET=cs-$O_SEED
O_DIR=$T/oauth
O_TOKENS=$XDG_STATE_HOME/smtpsend/oauth2
mkdir -p "$O_DIR" || q_error "cannot make $O_DIR"

# o_start [MOCKOPTION...] - start the mock OAuth2 server (client id
# client-1, secret $O_SECRET); sets O_PORT and O_URL.
o_start() {
	rm -f "$O_DIR/port"
	python3 "$O_MOCK" --dir "$O_DIR" --cert "$SMTPMOCK_CERTS/valid.pem" \
		--key "$SMTPMOCK_CERTS/valid.key" --seed "$O_SEED" \
		--client-secret "$O_SECRET" "$@" \
		>>"$T/oauth.out" 2>>"$T/oauth.err" &
	echo $! >"$T/oauth.mockpid"
	o_tries=100
	while [ ! -s "$O_DIR/port" ] && [ "$o_tries" -gt 0 ]; do
		o_tries=$((o_tries - 1))
		sleep 0.1
	done
	[ -s "$O_DIR/port" ] || { q_dump "$T/oauth.err"; \
		q_error "the mock OAuth2 server did not start"; }
	O_PORT=$(cat "$O_DIR/port")
	O_URL=https://127.0.0.1:$O_PORT
}

# o_mode MODE - what the mock's token endpoint does next: ok,
# invalid_grant, 500, "slow SECONDS".
o_mode() { echo "$*" >"$O_DIR/mode"; }

# o_count PATTERN - the number of requests the mock logged that match
# (fixed string), e.g. "POST /token refresh_token".
o_count() {
	touch "$O_DIR/requests"
	grep -c -x -F -e "$1" "$O_DIR/requests" || true
}

# o_config ACCOUNT MECH GRANT [LINE...] - $T/config: account ACCOUNT of
# the mock SMTP server on $PORT (TLS off) with auth MECH and OAuth2 from
# the mock (GRANT device: the device endpoint; code: the authorization
# endpoint), then the extra lines.
o_config() {
	o_acc=$1 o_mech=$2 o_grant=$3
	shift 3
	{
		echo "account $o_acc"
		echo "host 127.0.0.1"
		echo "port $PORT"
		echo "tls off"
		echo "domain client.test"
		echo "from sender@example.org"
		echo "auth $o_mech"
		echo "user alice@example.org"
		echo "oauth2_provider custom"
		echo "oauth2_client_id client-1"
		echo "oauth2_client_secret $O_SECRET"
		echo "oauth2_token_endpoint $O_URL/token"
		if [ "$o_grant" = device ]; then
			echo "oauth2_device_endpoint $O_URL/device"
		else
			echo "oauth2_authorization_endpoint $O_URL/authorize"
		fi
		echo "oauth2_scope https://mail.example/ offline_access"
		echo "oauth2_trust_file $SMTPMOCK_CERTS/ca.pem"
		for o_l in "$@"; do
			echo "$o_l"
		done
	} >"$T/config"
	chmod 600 "$T/config"
}

# o_smtp_start NAME TOKEN [LINE...] - a mock SMTP server that takes
# XOAUTH2 and OAUTHBEARER with TOKEN for alice@example.org; sets PORT.
o_smtp_start() {
	o_n=$1 o_tok=$2
	shift 2
	{
		echo "%server"
		echo "auth-mechs XOAUTH2 OAUTHBEARER"
		echo "auth-user alice@example.org unused"
		echo "auth-token $o_tok"
		for o_l in "$@"; do
			echo "$o_l"
		done
	} >"$T/$o_n.scn"
	q_mock_start "$o_n" "$T/$o_n.scn"
}

# o_https METHOD URL [DATA] - the user's browser: one request to the mock
# with the test CA, no redirect followed; prints the status and the
# Location header.
o_https() {
	python3 - "$SMTPMOCK_CERTS/ca.pem" "$@" <<'PY'
import http.client, ssl, sys, urllib.parse
ca, method, url = sys.argv[1], sys.argv[2], sys.argv[3]
data = sys.argv[4].encode() if len(sys.argv) > 4 else None
u = urllib.parse.urlsplit(url)
if u.scheme == "https":
    c = http.client.HTTPSConnection(u.hostname, u.port, timeout=10,
        context=ssl.create_default_context(cafile=ca))
else:
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
path = u.path + ("?" + u.query if u.query else "")
hdrs = {"Content-Type": "application/x-www-form-urlencoded"} if data else {}
c.request(method, path, body=data, headers=hdrs)
r = c.getresponse()
print(r.status, r.getheader("Location") or "")
PY
}

# o_wait_line FILE PATTERN - wait (at most 10 s) for a line of FILE
# matching the BRE; prints it.
o_wait_line() {
	o_tries=100
	while [ "$o_tries" -gt 0 ]; do
		if grep -e "$2" "$1" >/dev/null 2>&1; then
			grep -e "$2" "$1" | head -n 1
			return 0
		fi
		o_tries=$((o_tries - 1))
		sleep 0.1
	done
	q_dump "$1"
	return 1
}

# o_authorize_device ACCOUNT - smtpsend --oauth2-authorize with the
# device grant, the test entering the code; its exit status.
o_authorize_device() {
	"$SMTPSEND" -C "$T/config" -a "$1" --oauth2-authorize \
		>"$T/authorize.out" 2>"$T/authorize.err" &
	o_pid=$!
	echo "$o_pid" >"$T/authorize.bgpid"
	o_code=$(o_wait_line "$T/authorize.out" "enter the code" \
		| sed 's/.*enter the code //')
	[ -n "$o_code" ] && o_https POST "$O_URL/activate" \
		"user_code=$o_code" >/dev/null
	q_wait_pid "$o_pid" 150
}

# o_no_secrets FILE... - none of the files holds a token, a code or the
# client secret the mock gave out (they all end with $O_SEED).
o_no_secrets() {
	for o_f in "$@"; do
		[ -f "$o_f" ] || continue
		if grep -a -F -e "$O_SEED" "$o_f" >/dev/null; then
			q_check_fail "a secret in ${o_f#"$T"/}"
			grep -a -n -F -e "$O_SEED" "$o_f" | head -n 3 >&2
		fi
	done
}

# o_token_file - the path of the token file of alice@example.org with
# client-1 (user "." 8 hex digits of the client id's SHA-256).
o_token_file() {
	echo "$O_TOKENS/alice@example.org.$(printf client-1 | sha256sum \
		| cut -c1-8)"
}

# o_mode_of FILE - its permission bits (e.g. 600).
o_mode_of() { stat -c %a "$1"; }
