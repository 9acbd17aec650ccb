# tests/bench/workloads.sh - the loopback workloads of bench.sh (sourced):
# one function w_NAME per workload of BENCH_ONLY.  Each starts its servers,
# writes the configuration files and prints its rows through pair.py.

# ss_cmd / ms_cmd: the two clients with the bench's configuration files
ss_cmd() { echo "$smtpsend -C $dir/smtpsendrc"; }
ms_cmd() { echo "msmtp -C $dir/msmtprc"; }
nob() { with_msmtp || echo --no-b; }

# sink_account NAME - smtp-sink on a free port, account NAME for it
sink_account() {
	s_port=$(free_port)
	start_sink 127.0.0.1 "$s_port"
	account "$1" 127.0.0.1 "$s_port" plain
}

# mock_account NAME - smtpmock (STARTTLS, AUTH PLAIN), account NAME for it
mock_account() {
	make_certs
	start_mock "$1"
	account "$1" 127.0.0.1 "$(cat "$dir/$1.port")" starttls
}

# w_ref - the machine's pace during this run: starting /bin/true, the
# cost of being a process that every small send pays too.  On a shared
# or virtual machine it changes from hour to hour; this row says how the
# other rows of the same run should be read.
w_ref() {
	pair --label "reference: /bin/true (the cost of a process)" \
		--count "$count" --rss --no-b -- /bin/true
}

w_small() {
	need small smtp-sink postfix || return 0
	confs
	sink_account plain
	# shellcheck disable=SC2046
	pair --label "2 KiB, plain" --count "$count" --rss $(nob) \
		--stdin "$dir/small.eml" -- $(ss_cmd) -a plain r1@example.net \
		--- $(ms_cmd) -a plain r1@example.net
}

w_small_tls() {
	need small-tls certtool gnutls-bin "$smtpmock" "smtpmock (make -C tests check)" ||
		return 0
	confs
	mock_account tls
	# shellcheck disable=SC2046
	pair --label "2 KiB, STARTTLS + AUTH PLAIN" --count "$count" --rss \
		$(nob) --stdin "$dir/small.eml" \
		-- $(ss_cmd) -a tls r1@example.net \
		--- $(ms_cmd) -a tls r1@example.net
	# the same with a trust file the size of the system's: its
	# certificates and the test CA
	t_sys=${BENCH_SYSTEM_TRUST:-/etc/ssl/certs/ca-certificates.crt}
	if ! [ -r "$t_sys" ]; then
		echo "bench: $t_sys not found (package ca-certificates): the" \
			"system-sized trust store is not measured" >&2
		return 0
	fi
	cat "$t_sys" "$dir/certs/ca.pem" >"$dir/certs/store.pem"
	t_n=$(grep -c 'BEGIN CERTIFICATE' "$dir/certs/store.pem")
	a_trust=$dir/certs/store.pem account tls-store 127.0.0.1 \
		"$(cat "$dir/tls.port")" starttls
	# shellcheck disable=SC2046
	pair --label "2 KiB, STARTTLS + AUTH PLAIN, trust file of $t_n CAs" \
		--count "$count" --rss $(nob) --stdin "$dir/small.eml" \
		-- $(ss_cmd) -a tls-store r1@example.net \
		--- $(ms_cmd) -a tls-store r1@example.net
}

w_big() {
	need big smtp-sink postfix certtool gnutls-bin \
		"$smtpmock" "smtpmock (make -C tests check)" || return 0
	confs
	sink_account plain
	mock_account tls
	# smtp-sink takes a message at some 130 MiB/s: the mock, in plain
	# SMTP, is the server that does not set the pace
	account chunking 127.0.0.1 "$(cat "$dir/tls.port")" plain
	b_size=$(wc -c < "$dir/big.eml")
	for b_a in plain chunking tls; do
		case $b_a in
		plain) b_l="plain (smtp-sink: no CHUNKING)" ;;
		chunking) b_l="plain" ;;
		tls) b_l="STARTTLS" ;;
		esac
		b_l="$big_mb MiB message, $b_l"
		# shellcheck disable=SC2046
		pair --label "$b_l" --count "$big_count" --unit MiB/s \
			--bytes "$b_size" --rss $(nob) --stdin "$dir/big.eml" \
			-- $(ss_cmd) -a $b_a r1@example.net \
			--- $(ms_cmd) -a $b_a r1@example.net
	done
}

w_rcpt() {
	need rcpt smtp-sink postfix certtool gnutls-bin \
		"$smtpmock" "smtpmock (make -C tests check)" || return 0
	confs
	sink_account plain
	mock_account tls
	for r_a in plain tls; do
		r_l="one message, $rcpts recipients, plain"
		[ $r_a = tls ] && r_l="one message, $rcpts recipients, STARTTLS"
		# shellcheck disable=SC2046
		pair --label "$r_l" --count "$count" --rss $(nob) \
			--stdin "$dir/small.eml" \
			-- $(ss_cmd) -a $r_a $(cat "$dir/rcpts") \
			--- $(ms_cmd) -a $r_a $(cat "$dir/rcpts")
	done
}

# msmtpq's environment: its queue in $dir/mq, no connection test, quiet
mq_cmd() {
	echo "env MSMTP=msmtp MSMTPQ_Q=$dir/mq MSMTPQ_LOG=$dir/mq.log" \
	    "EMAIL_CONN_TEST=x EMAIL_QUEUE_QUIET=t $msmtpq"
}
nomq() { with_msmtp && [ -x "$msmtpq" ] || echo --no-b; }

w_enqueue() {
	need enqueue certtool gnutls-bin || return 0
	make_certs
	confs
	account down 127.0.0.1 "$(free_port)" starttls
	rm -rf "$dir/mq"
	mkdir "$dir/mq"
	# msmtpq's exit status is that of its log line: not checked; that it
	# queued is
	# shellcheck disable=SC2046
	pair --label "enqueue, server down (per message)" --count "$count" \
		--status-b any --rss $(nomq) --stdin "$dir/small.eml" \
		--check-a "ls $dir/q-enq/msg/*.env" --check-b "ls $dir/mq/*.mail" \
		-- $(ss_cmd) -a down --queue --queue-dir="$dir/q-enq" r1@example.net \
		--- $(mq_cmd) -C "$dir/msmtprc" -a down r1@example.net
}

# fill_ss N DIR ACCOUNT - the shell command that queues N messages for
# ACCOUNT in smtpsend's queue DIR (made afresh)
fill_ss() {
	echo "rm -rf $2 && i=0 && while [ \$i -lt $1 ]; do" \
	    "$(ss_cmd) -a $3 --queue --queue-only --queue-dir=$2 r1@example.net" \
	    "< $dir/small.eml || exit 1; i=\$((i + 1)); done"
}

# fill_mq N ACCOUNT - the shell command that queues N messages for ACCOUNT
# with msmtpq, its server down (msmtprc-q has a closed port then), and
# then puts the live port back
fill_mq() {
	sed "s/^port .*/port $(free_port)/" "$dir/msmtprc" > "$dir/msmtprc-down"
	chmod 600 "$dir/msmtprc-down"
	echo "rm -rf $dir/mq && mkdir $dir/mq &&" \
	    "cp -p $dir/msmtprc-down $dir/msmtprc-q && i=0 &&" \
	    "while [ \$i -lt $1 ]; do $(mq_cmd) -C $dir/msmtprc-q -a $2" \
	    "r1@example.net < $dir/small.eml; i=\$((i + 1)); done;" \
	    "ls $dir/mq | grep -c mail >/dev/null && cp -p $dir/msmtprc $dir/msmtprc-q"
}

w_flush() {
	need flush certtool gnutls-bin \
		"$smtpmock" "smtpmock (make -C tests check)" || return 0
	confs
	mock_account tls
	# shellcheck disable=SC2046
	pair --label "flush of $queue_n queued messages, STARTTLS" \
		--count "$queue_count" --unit s --no-warmup $(nomq) \
		--prep-a "$(fill_ss "$queue_n" "$dir/q-flush" tls)" \
		--check-a "! ls $dir/q-flush/msg/ | grep -q ." \
		--prep-b "$(fill_mq "$queue_n" tls)" \
		--check-b "! ls $dir/mq | grep -q ." \
		--status-b any \
		-- $(ss_cmd) -a tls --queue --queue-dir="$dir/q-flush" --queue-flush \
		--- $(mq_cmd) --q-mgmt -r
}
