#!/bin/sh
# setup-debian.sh - on Debian 12 (as root): install the build dependencies
# that are missing, build smtpsend, and show it sending a message with three
# recipients through the project's own test SMTP server on loopback.
#
#   sh contrib/setup-debian.sh            # everything
#   SETUP_NO_DEMO=1 sh contrib/setup-debian.sh
#   CONFIGURE_FLAGS=--enable-werror sh contrib/setup-debian.sh
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# build dependencies (libcurl's GnuTLS build and json-c for OAuth2; leave
# them out with CONFIGURE_FLAGS=--without-oauth2), and certtool
# (gnutls-bin), which the TLS tests use to make their certificates
packages="gcc make autoconf automake autopoint gettext pkg-config
libgnutls28-dev libgsasl-dev libidn2-dev libcurl4-gnutls-dev libjson-c-dev
check gnutls-bin"

missing=""
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
	    | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup-debian.sh: missing packages:$missing" >&2
		echo "setup-debian.sh: run this script as root to install them" >&2
		exit 1
	fi
	echo "setup-debian.sh: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
else
	echo "setup-debian.sh: all build dependencies are installed"
fi

[ -x configure ] || ./bootstrap >/dev/null
# shellcheck disable=SC2086
./configure -q ${CONFIGURE_FLAGS:-}
make -s -j"$(nproc 2>/dev/null || echo 2)"
make -s -C tests server/smtpmock

[ -n "${SETUP_NO_DEMO:-}" ] && exit 0

# The demo: a test SMTP server on a free loopback port that accepts the first
# recipient, answers the second with a temporary and the third with a
# permanent refusal, as real servers do.
demo=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$demo"' EXIT INT TERM
cat > "$demo/server.scn" <<'SCN'
%server
ehlo PIPELINING 8BITMIME SIZE=10485760 ENHANCEDSTATUSCODES
reply RCPT 250 2.1.5 Recipient ok
reply RCPT 450 4.2.1 Mailbox busy, try again later
reply RCPT 550 5.1.1 No such user here
SCN
tests/server/smtpmock --serve --once --port-file "$demo/port" \
	--record "$demo/received" "$demo/server.scn" 2>"$demo/server.log" &
server=$!
i=0
while [ ! -s "$demo/port" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
port=$(cat "$demo/port")

echo
echo "== smtpsend sends one message to three recipients (server on 127.0.0.1:$port)"
set +e
printf 'From: Alice <alice@example.org>\nSubject: hello\n\nA test message.\n' |
	src/smtpsend --host=127.0.0.1 --port="$port" --tls=off --no-queue \
		--domain=demo.example -f alice@example.org --report \
		'Bob <bob@example.net>, carol@example.net' dave@example.net
status=$?
set -e
echo "== exit status $status (75: a recipient was deferred and --no-queue was given;"
echo "   without it the deferred recipient goes into the local queue and the exit is 67:"
echo "   one recipient was refused for good)"
wait "$server" 2>/dev/null || true
echo "== what the server received:"
tr -d '\r' < "$demo/received"
