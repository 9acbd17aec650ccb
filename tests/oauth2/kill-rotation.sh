#!/bin/sh
# kill-rotation.sh - smtpsend killed (SIGKILL) at random moments while it
# renews the access token and saves the rotated refresh token: the token
# file is always complete (the old token or the new one, never a broken
# or empty file), mode 0600, and at most one temporary file is left
# behind (the next save replaces it).  OAUTH2_KILL_ROUNDS rounds (default
# 20).
. "$(dirname "$0")/../queue/lib.sh"
. "$q_srcdir/../oauth2/lib.sh"

rounds=${OAUTH2_KILL_ROUNDS:-20}
o_start --rotate --expires-in 1
o_smtp_start smtp "never-$O_SEED"
o_config ms xoauth2 device "timeout 5"
o_authorize_device ms || q_fail "cannot authorize"
tf=$(o_token_file)

i=0
while [ "$i" -lt "$rounds" ]; do
	i=$((i + 1))
	# a delay of 0 to 0.3 s at the token endpoint, and a kill after 0
	# to 0.4 s: before, during and after the save
	o_mode slow "0.$(($(od -An -N1 -tu1 /dev/urandom) % 4))"
	q_msg "k$i" | "$SMTPSEND" -C "$T/config" -a ms --no-queue \
		rcpt@example.net >/dev/null 2>>"$T/kill.err" &
	pid=$!
	sleep "0.$(($(od -An -N1 -tu1 /dev/urandom) % 5))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if ! head -n 1 "$tf" | grep -q -x 'smtpsend-oauth2-token 1' \
	    || ! grep -q "^refresh_token rt[0-9]*-$O_SEED\$" "$tf"; then
		q_check_fail "round $i: broken token file"
		break
	fi
	[ "$(o_mode_of "$tf")" = 600 ] || q_check_fail "round $i: mode"
	# -P validates the file completely
	"$SMTPSEND" -C "$T/config" -a ms -P >"$T/p.out" 2>&1
	grep -q "^oauth2 token: present" "$T/p.out" \
		|| { q_check_fail "round $i: -P: $(grep oauth2 "$T/p.out")"; \
		     break; }
done
b=${tf##*/}
left=$(ls -A "$O_TOKENS" | grep -v -x -F -e "$b" -e "$b.lock" -e ".$b.tmp")
q_expect_eq "no other file in the token directory" "" "$left"
q_ok "$i rounds, $(o_count "POST /token refresh_token") refreshes"
o_mode ok
o_no_secrets "$T/kill.err" "$T/p.out"
q_done
