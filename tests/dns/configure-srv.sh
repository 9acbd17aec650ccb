#!/bin/sh
# configure-srv.sh - --configure=ADDRESS against a real DNS server: a
# private dnsmasq serving SRV records on 127.0.0.1 port 53, in a network
# and mount namespace of the test's own, with a resolv.conf that names it
# bind-mounted over /etc/resolv.conf there.  Nothing leaves the namespace.
#
# The cases: both _submissions and _submission (implicit TLS chosen, the
# exact output), only _submission (STARTTLS), a domain whose records have
# the target "." (not offered, 69), a domain without records (69), a
# domain the server will not answer for (75), an IDN address (its domain
# looked up in A-labels), and an address that is not one (64).
#
# Needs dnsmasq (Debian: dnsmasq-base) and unshare(1); skipped (77) when
# either is missing or namespaces cannot be made.
. "$(dirname "$0")/../queue/lib.sh"

if [ "${1-}" != --inside ]; then
	command -v dnsmasq >/dev/null 2>&1 || q_skip "dnsmasq is missing"
	command -v unshare >/dev/null 2>&1 || q_skip "unshare is missing"
	command -v ip >/dev/null 2>&1 || q_skip "ip (iproute2) is missing"
	# as root a plain network and mount namespace; else a user
	# namespace too
	if [ "$(id -u)" -eq 0 ] && unshare -mn true 2>/dev/null; then
		set -- unshare -mn
	elif unshare -rmn true 2>/dev/null; then
		set -- unshare -rmn
	else
		q_skip "no network and mount namespace can be made here"
	fi
	# the inner run has its own private directory; this one is removed
	# by the trap
	"$@" sh "$0" --inside
	exit $?
fi

# ---- inside the namespaces ----
ip link set lo up || q_error "cannot bring lo up"
printf 'nameserver 127.0.0.1\noptions timeout:2 attempts:2\n' \
	>"$T/resolv.conf"
mount --bind "$T/resolv.conf" /etc/resolv.conf \
	|| q_error "cannot bind-mount a resolv.conf"

# .test is ours (--local): unknown names there are NXDOMAIN; other
# domains have no upstream server and are refused.  --user= and --group=
# empty: no change of user, which a user namespace would not allow.
dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
	--listen-address=127.0.0.1 --bind-interfaces --port=53 \
	--user= --group= --pid-file="$T/dnsmasq.pid" \
	--log-facility="$T/dnsmasq.log" --local=/test/ \
	--srv-host=_submissions._tcp.both.test,smtp.both.test,465,0,0 \
	--srv-host=_submission._tcp.both.test,mail.both.test,587,0,0 \
	--srv-host=_submission._tcp.starttls.test,mx1.starttls.test,2587,10,5 \
	--srv-host=_submissions._tcp.dot.test \
	--srv-host=_submission._tcp.dot.test \
	--srv-host=_submissions._tcp.xn--bcher-kva.test,smtp.xn--bcher-kva.test,465 \
	2>"$T/dnsmasq.err" &
echo $! >"$T/dnsmasq.bgpid"

# ready once it logs that it started (it has bound its socket then):
# at most 100 x 0.1 s
i=0
until grep -q 'started' "$T/dnsmasq.log" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$(cat "$T/dnsmasq.bgpid")" 2>/dev/null
	then
		q_dump "$T/dnsmasq.err" "$T/dnsmasq.log"
		q_error "dnsmasq did not start"
	fi
	sleep 0.1
done

# run NAME ARG... - smtpsend ARG...; $T/NAME.out, $T/NAME.err, RC
run() {
	r_name=$1
	shift
	"$SMTPSEND" "$@" >"$T/$r_name.out" 2>"$T/$r_name.err"
	RC=$?
}

# 1. both services: implicit TLS (RFC 8314) is chosen
run both --configure=alice@both.test
q_expect_eq "both: exit status" 0 "$RC"
cat >"$T/both.want" <<'OUT'
# An account for alice@both.test, made from the SRV record
# _submissions._tcp.both.test (implicit TLS, RFC 8314).
# Add it to the configuration file (see smtpsendrc(5)).
account both.test
host smtp.both.test
port 465
tls on
tls_starttls off
auth on
user alice@both.test
from alice@both.test
# The password can come from a command, for example:
# passwordeval "secret-tool lookup host smtp.both.test"
OUT
if cmp -s "$T/both.want" "$T/both.out"; then
	q_ok "both: the account block"
else
	q_check_fail "both: the output differs"
	diff "$T/both.want" "$T/both.out" >&2
fi
q_expect_eq "both: nothing on stderr" "" "$(cat "$T/both.err")"
# the block is a configuration smtpsend reads as it is
cp "$T/both.out" "$T/both.conf"
chmod 600 "$T/both.conf"
run both-pretend -C "$T/both.conf" -a both.test -P
q_expect_eq "both: the block as a configuration" 0 "$RC"
q_expect_grep "both: its host" "$T/both-pretend.out" 'smtp\.both\.test'

# 2. only _submission: STARTTLS on its port
run starttls --configure=bob@starttls.test
q_expect_eq "starttls: exit status" 0 "$RC"
q_expect_grep "starttls: host" "$T/starttls.out" '^host mx1\.starttls\.test$'
q_expect_grep "starttls: port" "$T/starttls.out" '^port 2587$'
q_expect_grep "starttls: tls_starttls on" "$T/starttls.out" \
	'^tls_starttls on$'
q_expect_grep "starttls: record named" "$T/starttls.out" \
	'^# _submission\._tcp\.starttls\.test (STARTTLS, RFC 6186)\.$'

# 3. target ".": the domain says it offers no submission
run dot --configure=carol@dot.test
q_expect_eq "dot: exit status" 69 "$RC"
q_expect_eq "dot: the message" "smtpsend: dot.test offers no mail \
submission: of its SRV records _submissions._tcp.dot.test and \
_submission._tcp.dot.test, those it has name no server (target \".\")" \
	"$(cat "$T/dot.err")"
q_expect_eq "dot: no output" "" "$(cat "$T/dot.out")"

# 4. no record at all
run none --configure=dave@none.test
q_expect_eq "none: exit status" 69 "$RC"
q_expect_eq "none: the message" "smtpsend: none.test publishes no SRV \
record for mail submission (looked up _submissions._tcp.none.test and \
_submission._tcp.none.test)" "$(cat "$T/none.err")"

# 5. the resolver fails (the server refuses a domain it does not serve)
run refused --configure=erin@example.org
q_expect_eq "refused: exit status" 75 "$RC"
q_expect_grep "refused: the message" "$T/refused.err" \
	'^smtpsend: cannot look up the SRV record _submissions\._tcp\.example\.org: '

# 6. an IDN domain is looked up in A-labels
run idn --configure='frank@bücher.test'
q_expect_eq "idn: exit status" 0 "$RC"
q_expect_grep "idn: account" "$T/idn.out" '^account xn--bcher-kva\.test$'
q_expect_grep "idn: host" "$T/idn.out" '^host smtp\.xn--bcher-kva\.test$'
q_expect_grep "idn: user" "$T/idn.out" '^user frank@bücher\.test$'

# 7. a local part that needs quotes is quoted for the configuration file
run quoted --configure='"a b"@both.test'
q_expect_eq "quoted: exit status" 0 "$RC"
q_expect_grep "quoted: user" "$T/quoted.out" '^user "\\"a b\\"@both\.test"$'
cp "$T/quoted.out" "$T/quoted.conf"
chmod 600 "$T/quoted.conf"
run quoted-pretend -C "$T/quoted.conf" -a both.test -P
q_expect_eq "quoted: the block as a configuration" 0 "$RC"
q_expect_grep "quoted: its user" "$T/quoted-pretend.out" '"a b"@both\.test'

# 8. not an address: no lookup at all
run bad --configure='not an address'
q_expect_eq "bad: exit status" 64 "$RC"
q_expect_grep "bad: the message" "$T/bad.err" \
	'^smtpsend: --configure: "not an address" is not a mail address: '

q_done
