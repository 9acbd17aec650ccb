#!/bin/sh
# make-certs.sh OUTDIR - generate the test certificates of the scenario
# tests (see doc/scenario-format.md, "Test certificates") with certtool
# (GnuTLS, package gnutls-bin).  ECDSA P-256 keys: fast to make.
#
# Exit 0 when done, 77 when certtool is missing (tests using %CERTS then
# skip), 1 on any other failure.  Everything is written to OUTDIR.tmp and
# renamed at the end, so OUTDIR is either complete or absent.
set -u

if test $# -ne 1 || test -z "$1"; then
	echo "usage: $0 OUTDIR" >&2
	exit 1
fi
out=$1
CERTTOOL=${CERTTOOL:-certtool}
if ! command -v "$CERTTOOL" >/dev/null 2>&1; then
	echo "make-certs.sh: $CERTTOOL not found (install gnutls-bin);" \
	    "scenarios that need certificates will be skipped" >&2
	exit 77
fi

tmp=$out.tmp
rm -rf "$tmp" || exit 1
mkdir -p "$tmp" || exit 1

die() {
	echo "make-certs.sh: $*" >&2
	rm -rf "$tmp"
	exit 1
}

# key NAME - an ECDSA P-256 private key in NAME.key
key() {
	"$CERTTOOL" --generate-privkey --key-type=ecdsa --curve=secp256r1 \
	    --outfile "$tmp/$1.key" >/dev/null 2>&1 || die "cannot make $1.key"
}

# rsakey NAME - an RSA 2048-bit private key in NAME.key (for finite-field
# DHE, whose TLS 1.2 suites sign with RSA)
rsakey() {
	"$CERTTOOL" --generate-privkey --key-type=rsa --bits=2048 \
	    --outfile "$tmp/$1.key" >/dev/null 2>&1 || die "cannot make $1.key"
}

# tmpl NAME LINES... - a certtool template
tmpl() {
	n=$1
	shift
	: > "$tmp/$n.tmpl"
	for l in "$@"; do
		printf '%s\n' "$l" >> "$tmp/$n.tmpl"
	done
}

# selfsign NAME - NAME.pem from NAME.key and NAME.tmpl
selfsign() {
	"$CERTTOOL" --generate-self-signed --load-privkey "$tmp/$1.key" \
	    --template "$tmp/$1.tmpl" --outfile "$tmp/$1.pem" >/dev/null 2>&1 ||
	    die "cannot make $1.pem"
}

# sign NAME CA - NAME.pem signed by CA.pem / CA.key
sign() {
	"$CERTTOOL" --generate-certificate --load-privkey "$tmp/$1.key" \
	    --load-ca-certificate "$tmp/$2.pem" \
	    --load-ca-privkey "$tmp/$2.key" \
	    --template "$tmp/$1.tmpl" --outfile "$tmp/$1.pem" >/dev/null 2>&1 ||
	    die "cannot make $1.pem"
}

# fingerprint NAME OUT [HASH LEN] - the HASH (sha256) of NAME.pem's DER as
# AA:BB:... (LEN characters, 95) into OUT
fingerprint() {
	fp=$("$CERTTOOL" --fingerprint --hash="${3:-sha256}" \
	    --infile "$tmp/$1.pem" 2>/dev/null) ||
	    die "cannot fingerprint $1.pem"
	fp=$(printf '%s' "$fp" | tr -d ' \n' | tr 'abcdef' 'ABCDEF' |
	    sed 's/\(..\)/\1:/g; s/:$//')
	test ${#fp} -eq "${4:-95}" || die "unexpected fingerprint of $1.pem: $fp"
	printf '%s\n' "$fp" > "$tmp/$2" || die "cannot write $2"
}

names='dns_name = "mock.test"
dns_name = "localhost"
ip_address = "127.0.0.1"'
server='tls_www_server
signing_key'
long='expiration_days = 3650'

key ca
tmpl ca 'cn = "smtpsend test CA"' 'ca' 'cert_signing_key' "$long"
selfsign ca

key other-ca
tmpl other-ca 'cn = "smtpsend other (untrusted) CA"' 'ca' \
    'cert_signing_key' "$long"
selfsign other-ca

# decoy-ca: a CA with the test CA's name and another key (trust.c picks
# anchors by name: a decoy is picked too, and must not verify anything)
key decoy-ca
tmpl decoy-ca 'cn = "smtpsend test CA"' 'ca' 'cert_signing_key' "$long"
selfsign decoy-ca

key valid
tmpl valid 'cn = "mock.test"' "$names" "$server" "$long"
sign valid ca

key expired
tmpl expired 'cn = "mock.test"' "$names" "$server" \
    'activation_date = "2000-01-01 00:00:00"' \
    'expiration_date = "2001-01-01 00:00:00"'
sign expired ca

key notyet
tmpl notyet 'cn = "mock.test"' "$names" "$server" \
    'activation_date = "2099-01-01 00:00:00"' \
    'expiration_date = "2100-01-01 00:00:00"'
sign notyet ca

rsakey rsa
tmpl rsa 'cn = "mock.test"' "$names" "$server" "$long"
sign rsa ca

key wronghost
tmpl wronghost 'cn = "other.example"' 'dns_name = "other.example"' \
    "$server" "$long"
sign wronghost ca

key unknownca
tmpl unknownca 'cn = "mock.test"' "$names" "$server" "$long"
sign unknownca other-ca

key selfsigned
tmpl selfsigned 'cn = "mock.test"' "$names" "$server" "$long"
selfsign selfsigned

key client
tmpl client 'cn = "client.test"' 'email = "user@example.org"' \
    'tls_www_client' 'signing_key' "$long"
sign client ca

# crl.pem: the CA revokes valid.pem (for tls_crl_file)
tmpl crl 'crl_next_update = 3650' 'crl_number = 1'
"$CERTTOOL" --generate-crl --load-ca-privkey "$tmp/ca.key" \
    --load-ca-certificate "$tmp/ca.pem" --load-certificate "$tmp/valid.pem" \
    --template "$tmp/crl.tmpl" --outfile "$tmp/crl.pem" >/dev/null 2>&1 ||
    die "cannot make crl.pem"
# crl-other.pem: a CRL of the same CA that revokes another certificate
"$CERTTOOL" --generate-crl --load-ca-privkey "$tmp/ca.key" \
    --load-ca-certificate "$tmp/ca.pem" \
    --load-certificate "$tmp/wronghost.pem" --template "$tmp/crl.tmpl" \
    --outfile "$tmp/crl-other.pem" >/dev/null 2>&1 ||
    die "cannot make crl-other.pem"

# bundle.pem: a trust file of several certificates, the test CA among
# them; bundle-noca.pem: the same without it (but with the decoy)
cat "$tmp/other-ca.pem" "$tmp/selfsigned.pem" "$tmp/decoy-ca.pem" \
    "$tmp/client.pem" "$tmp/ca.pem" "$tmp/expired.pem" >"$tmp/bundle.pem" ||
    die "cannot make bundle.pem"
cat "$tmp/other-ca.pem" "$tmp/selfsigned.pem" "$tmp/decoy-ca.pem" \
    "$tmp/client.pem" >"$tmp/bundle-noca.pem" ||
    die "cannot make bundle-noca.pem"

fingerprint valid valid.sha256
fingerprint valid valid.sha1 sha1 59
fingerprint selfsigned other.sha256
fingerprint selfsigned other.sha1 sha1 59
fingerprint selfsigned other.md5 md5 47

rm -f "$tmp"/*.tmpl
chmod 0644 "$tmp"/* || die "chmod failed"
rm -rf "$out" || die "cannot remove $out"
mv "$tmp" "$out" || die "cannot rename $tmp to $out"
exit 0
