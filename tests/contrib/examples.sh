#!/bin/sh
# The example configuration files of contrib/ (examples/*.smtpsendrc and
# oauth2/*.smtpsendrc) load: for every account of each, "smtpsend -C FILE
# -a ACCOUNT -P" (the settings smtpsend would use) exits 0 and shows the
# settings the file's comments promise (port, TLS, authentication).  In a
# build without OAuth2 the OAuth2 examples are refused by name (exit 78).
# Then each example sends a message with --dry-run (the message as it
# would go out, nothing connected to).
. "$(dirname "$0")/lib.sh"

oauth2=yes
"$SMTPSEND" --version | grep -q '^OAuth2: not in this build' && oauth2=no

# pretend FILE ACCOUNT - "smtpsend -P" on a private copy (mode 0600) of
# FILE; its output in $T/p.out, the exit status in $rc.
pretend() {
	cp "$C_CONTRIB/$1" "$T/rc" && chmod 600 "$T/rc" || q_error "cp failed"
	"$SMTPSEND" -C "$T/rc" -a "$2" -P >"$T/p.out" 2>"$T/p.err"
	rc=$?
}

# setting NAME - NAME's value in $T/p.out (without where it was set).
setting() { sed -n "s/^$1: \\([^ ]*\\).*/\\1/p" "$T/p.out"; }

# expect FILE ACCOUNT NAME=VALUE... - -P loads the account and shows
# these settings.
expect() {
	e_file=$1 e_acc=$2
	shift 2
	pretend "$e_file" "$e_acc"
	if [ "$rc" -ne 0 ]; then
		q_check_fail "$e_file -a $e_acc: -P exited $rc"
		q_dump "$T/p.err"
		return
	fi
	for e_kv in "$@"; do
		q_expect_eq "$e_file -a $e_acc: ${e_kv%%=*}" "${e_kv#*=}" \
			"$(setting "${e_kv%%=*}")"
	done
}

# Every example and every account in it is checked below.
ls "$C_CONTRIB"/examples/*.smtpsendrc "$C_CONTRIB"/oauth2/*.smtpsendrc |
	sed "s|^$C_CONTRIB/||" | sort >"$T/files"
c_words examples/implicit-tls-465.smtpsendrc \
	examples/starttls-587.smtpsendrc examples/system-relay.smtpsendrc \
	oauth2/gmail.smtpsendrc oauth2/microsoft365.smtpsendrc >"$T/known"
c_expect_set "the example files this test knows" "$T/known" "$T/files"

for acc in work default; do
	expect examples/starttls-587.smtpsendrc "$acc" host=smtp.example.com \
		port=587 tls=on tls_starttls=on auth=on user=alice@example.com \
		from=alice@example.com passwordeval=pass timeout=60
done
for acc in mail465 default; do
	expect examples/implicit-tls-465.smtpsendrc "$acc" port=465 tls=on \
		tls_starttls=off tls_min_version=tls1.3 auth=on user=alice
done
for acc in relay default; do
	expect examples/system-relay.smtpsendrc "$acc" host=relay.example.com \
		port=587 tls=on tls_starttls=on auth=on from=%U@example.com \
		maildomain=example.com allow_from_override=off syslog=LOG_MAIL \
		retry_max=3600s queue_max_age=86400s bounce=on
done
q_expect_eq "system-relay: the password is set (and not shown)" '*' \
	"$(setting password)"
q_expect_grep "system-relay: the sender is the user at the domain" \
	"$T/p.out" "^envelope sender: <$(id -un)@example.com>\$"

if [ "$oauth2" = yes ]; then
	for acc in gmail default; do
		expect oauth2/gmail.smtpsendrc "$acc" host=smtp.gmail.com \
			port=587 auth=xoauth2 oauth2_provider=google
	done
	for acc in office default; do
		expect oauth2/microsoft365.smtpsendrc "$acc" \
			host=smtp.office365.com port=587 auth=xoauth2 \
			oauth2_provider=microsoft
	done
else
	for f in oauth2/gmail.smtpsendrc oauth2/microsoft365.smtpsendrc; do
		pretend "$f" default
		q_expect_eq "$f in a build without OAuth2: exit status" 78 "$rc"
	done
fi

# A message through each, with --dry-run: nothing is connected to.
q_msg contrib-example >"$T/msg"
for f in examples/starttls-587.smtpsendrc \
	examples/implicit-tls-465.smtpsendrc examples/system-relay.smtpsendrc
do
	cp "$C_CONTRIB/$f" "$T/rc" && chmod 600 "$T/rc" || q_error "cp failed"
	"$SMTPSEND" -C "$T/rc" --dry-run rcpt@example.net \
		<"$T/msg" >"$T/dry.out" 2>"$T/dry.err"
	q_expect_eq "$f: --dry-run exit status" 0 $?
	q_expect_grep "$f: --dry-run shows the message" "$T/dry.out" \
		'^X-Test-Id: contrib-example'
done

q_done
