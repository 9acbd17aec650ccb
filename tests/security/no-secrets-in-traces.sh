#!/bin/sh
# no-secrets-in-traces.sh - no password, no base64 AUTH blob and no OAuth
# token ever appears in what smtpsend shows or writes about a session: the
# -v transcript, --transcript=FILE, the log file, the transcript kept with
# a queue entry, --dry-run, --pretend (-P) and --quit-after=auth, for each
# mechanism that carries a secret.  --transcript-secrets shows them on
# purpose (on the stream only, never in the queue's copy), with a warning.
. "$(dirname "$0")/../queue/lib.sh"

PW=S3cr3tPassw0rdXYZ
printf '%s\n' "$PW" >"$T/pw"
chmod 600 "$T/pw"
cat >"$T/server.scn" <<EOS
%server
ehlo PIPELINING
auth-mechs PLAIN LOGIN XOAUTH2 OAUTHBEARER CRAM-MD5
auth-user alice $PW
auth-token $PW
reply RCPT 451 4.3.0 Try again later
EOS

# needles - every form in which the secret could show.
needles() {
	printf '%s\n' "$PW"
	printf '%s' "$PW" | base64
	printf '\000alice\000%s' "$PW" | base64
	printf 'user=alice\001auth=Bearer %s\001\001' "$PW" | base64 -w0
	echo
	printf 'n,a=alice,\001auth=Bearer %s\001\001' "$PW" | base64 -w0
	echo
}
needles >"$T/needles"

# clean WHAT FILE - no needle in FILE.
clean() {
	while read -r needle; do
		[ -n "$needle" ] || continue
		if grep -a -F -e "$needle" "$2" >/dev/null 2>&1; then
			q_check_fail "$1: \"$needle\" appears in ${2#"$T"/}"
			q_dump "$2"
			return
		fi
	done <"$T/needles"
	q_ok "$1: no secret"
}

q_mock_start mock "$T/server.scn"
# send ARGS... - smtpsend to the mock server with alice's password
send() {
	"$SMTPSEND" --host=127.0.0.1 --port="$PORT" --tls=off \
		--domain=client.test -f sender@example.org --user=alice \
		--passwordeval="cat $T/pw" "$@"
}
for mech in plain login xoauth2 oauthbearer; do
	# -v, --transcript=FILE, the log file and the queue's transcript:
	# the RCPT is deferred, so the entry keeps the session's trace
	q_msg "$mech" | send --auth="$mech" -v --transcript="$T/$mech.tr" \
		--logfile="$T/$mech.log" rcpt@example.net >"$T/$mech.out" \
		2>"$T/$mech.err"
	q_expect_grep "$mech: authenticated (the transcript has 235)" \
		"$T/$mech.tr" "<- 235"
	clean "$mech -v (stderr)" "$T/$mech.err"
	clean "$mech --transcript=FILE" "$T/$mech.tr"
	clean "$mech log file" "$T/$mech.log"
	logs=0
	for f in "$QDIR"/msg/*.log; do
		[ -f "$f" ] || continue
		logs=$((logs + 1))
		clean "$mech queue transcript" "$f"
	done
	q_expect_eq "$mech: queue entries with a transcript" 1 "$logs"
	rm -rf "$QDIR"
	q_msg "$mech" | send --auth="$mech" -v --quit-after=auth \
		rcpt@example.net >"$T/$mech.qa" 2>&1
	q_expect_grep "$mech: --quit-after=auth authenticated" "$T/$mech.qa" \
		"<- 235"
	clean "$mech --quit-after=auth -v" "$T/$mech.qa"
	q_msg "$mech" | send --auth="$mech" --dry-run rcpt@example.net \
		>"$T/$mech.dry" 2>&1
	q_expect_grep "$mech: --dry-run shows the message" "$T/$mech.dry" \
		"^Subject: queue test $mech"
	clean "$mech --dry-run" "$T/$mech.dry"
	q_msg "$mech" | send --auth="$mech" -P rcpt@example.net \
		>"$T/$mech.pretend" 2>&1
	q_expect_grep "$mech: -P shows the account" "$T/$mech.pretend" \
		"^user"
	clean "$mech --pretend" "$T/$mech.pretend"
done

# --transcript-secrets: shown on the stream, with a warning, never kept
# in the queue
q_msg secrets | send --auth=plain -v --transcript-secrets rcpt@example.net \
	>"$T/secrets.out" 2>"$T/secrets.err"
q_expect_grep "--transcript-secrets shows the AUTH line" "$T/secrets.err" \
	"-> AUTH PLAIN $(printf '\000alice\000%s' "$PW" | base64)"
q_expect_grep "--transcript-secrets warns" "$T/secrets.err" \
	"warning: --transcript-secrets"
n=0
for f in "$QDIR"/msg/*.log; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	clean "--transcript-secrets: the queue's transcript" "$f"
done
q_expect_eq "queue entries with a transcript" 1 "$n"
q_mock_stop mock
q_done
