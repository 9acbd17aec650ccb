#!/bin/sh
# A client certificate and key on a PKCS #11 token, named by "pkcs11:" URLs
# in tls_cert_file and tls_key_file as msmtp's manual shows, with the
# token's PIN from passwordeval.  The token is a SoftHSM one made in the
# test's directory (softhsm2, p11tool from gnutls-bin); the server asks
# for the client certificate and the client authenticates with EXTERNAL.
# A wrong PIN is offered once, never again (a card would lock), and the
# error says where the PIN comes from.
. "$(dirname "$0")/../queue/lib.sh"

for p in softhsm2-util p11tool; do
	command -v "$p" >/dev/null 2>&1 ||
		q_skip "$p is not installed (packages softhsm2, gnutls-bin)"
done
[ -n "${SMTPMOCK_CERTS-}" ] || q_skip "no test certificates (certtool)"

mkdir "$T/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\n' \
	"$T/tokens" >"$T/softhsm2.conf"
SOFTHSM2_CONF=$T/softhsm2.conf
export SOFTHSM2_CONF
softhsm2-util --init-token --free --label smtpsend-test --pin 4321 \
	--so-pin 87654321 >"$T/init.out" 2>&1 ||
	{ q_dump "$T/init.out"; q_error "softhsm2-util --init-token failed"; }
TOKEN='pkcs11:token=smtpsend-test'
GNUTLS_PIN=4321 p11tool --login --write --label client \
	--load-privkey "$SMTPMOCK_CERTS/client.key" "$TOKEN" \
	>"$T/p11.out" 2>&1 &&
GNUTLS_PIN=4321 p11tool --login --write --no-mark-private --label client \
	--load-certificate "$SMTPMOCK_CERTS/client.pem" "$TOKEN" \
	>>"$T/p11.out" 2>&1 ||
	{ q_dump "$T/p11.out"; q_error "p11tool could not fill the token"; }

# scenario NAME PIN-COMMAND EXIT - a send with the token's URLs.
scenario() {
	cat >"$T/$1.scn" <<EOF
%desc
client certificate on a PKCS #11 token ($1)
%args
--host=%HOST --port=%PORT --domain=client.test -f alice@example.org --tls-trust-file=%CERTS/ca.pem --auth=external --tls-cert-file=$TOKEN;object=client;type=cert --tls-key-file=$TOKEN;object=client;type=private $2 bob@example.net
%stdin
x
%server
tls-cert %CERTS/valid.pem %CERTS/valid.key
tls-client-ca %CERTS/ca.pem
auth-mechs EXTERNAL
%exit
$3
EOF
}

scenario right "--passwordeval='echo 4321'" 0
cat >>"$T/right.scn" <<'EOF'
%protocol
EHLO client.test
STARTTLS
EHLO client.test
AUTH EXTERNAL =
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.net>
DATA
x
.
QUIT
EOF
"$SMTPMOCK" "$T/right.scn" >"$T/right.out" 2>&1
q_expect_eq "the right PIN: the scenario passes" 0 "$?"
q_dump "$T/right.out"

scenario wrong "--passwordeval='echo 1111'" 78
cat >>"$T/wrong.scn" <<'EOF'
%protocol
%stderr
smtpsend: bob@example.net: failed: cannot load the client certificate pkcs11:token=smtpsend-test;object=client;type=cert and key pkcs11:token=smtpsend-test;object=client;type=private: Error in provided PIN. (the PIN is the account's password: password, passwordeval or ~/.netrc)
EOF
"$SMTPMOCK" "$T/wrong.scn" >"$T/wrong.out" 2>&1
q_expect_eq "a wrong PIN: the scenario passes" 0 "$?"
q_dump "$T/wrong.out"
# SoftHSM counts failed logins: one wrong PIN, one failure
"$SMTPMOCK" "$T/right.scn" >"$T/right2.out" 2>&1
q_expect_eq "the right PIN after a wrong one still works" 0 "$?"
q_done
