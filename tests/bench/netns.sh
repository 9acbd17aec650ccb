# tests/bench/netns.sh - the workloads at 50 ms round-trip time (sourced by
# bench.sh): two network namespaces joined by a veth pair, each end
# delaying what it sends by 25 ms (tc netem; on a kernel without netem, a
# pair of TUN devices joined by delayline.py, which delays each packet by
# 25 ms each way in user space), the client in one and the
# servers in the other: smtp-sink on port 25 (no CHUNKING), smtpmock behind
# relay.py on 2525 (plain), 587 (STARTTLS) and 465 (implicit TLS), with
# PIPELINING, CHUNKING and, inside TLS, AUTH PLAIN.
# Round trips are counted by flights.py from a tcpdump capture on the
# client's end.  Everything made here is removed by netns_down (bench.sh's
# exit trap), after bench.sh killed the processes.

ns_c="" ns_s="" ns_if="" ns_link=""
ns_cli=10.77.0.1
ns_srv=10.77.0.2
ns_delay=${BENCH_DELAY_MS:-25}

netns_up() {
	[ -n "$ns_c" ] && return 0
	ns_c=smtpsend-bench-c-$$
	ns_s=smtpsend-bench-s-$$
	ip netns add "$ns_c"
	ip netns add "$ns_s"
	for n_n in "$ns_c" "$ns_s"; do
		ip -n "$n_n" link set dev lo up
	done
	netns_veth || netns_tun
}

# netns_veth - the link as a veth pair delayed by netem on both ends; false
# (and nothing left of it) when the kernel has no netem
netns_veth() {
	ns_if=sbc$$
	ip link add "$ns_if" type veth peer name "sbs$$"
	ip link set "$ns_if" netns "$ns_c"
	ip link set "sbs$$" netns "$ns_s"
	if ! tc -n "$ns_c" qdisc add dev "$ns_if" root netem \
	    delay "${ns_delay}ms" limit 100000 2>/dev/null ||
	    ! tc -n "$ns_s" qdisc add dev "sbs$$" root netem \
	    delay "${ns_delay}ms" limit 100000; then
		ip -n "$ns_c" link del "$ns_if"
		return 1
	fi
	ip -n "$ns_c" addr add "$ns_cli/24" dev "$ns_if"
	ip -n "$ns_s" addr add "$ns_srv/24" dev "sbs$$"
	ip -n "$ns_c" link set dev "$ns_if" up
	ip -n "$ns_s" link set dev "sbs$$" up
	ns_link="veth + netem"
}

# netns_tun - the link as two TUN devices joined by delayline.py
netns_tun() {
	ns_if=sbt$$
	ip netns exec "$ns_c" true    # (the namespaces exist)
	rm -f "$dir/delayline.ready"  # (a workload before had one)
	python3 "$here/delayline.py" "$ns_if" "sbu$$" "$ns_delay" \
		"$dir/delayline.ready" 2>"$dir/delayline.log" &
	pids="$pids $!"
	n_i=0
	until [ -s "$dir/delayline.ready" ]; do
		n_i=$((n_i + 1))
		[ $n_i -lt 100 ] || { echo "bench: delayline.py did not start" >&2
			cat "$dir/delayline.log" >&2; exit 1; }
		sleep 0.05
	done
	ip link set "$ns_if" netns "$ns_c"
	ip link set "sbu$$" netns "$ns_s"
	ip -n "$ns_c" addr add "$ns_cli" peer "$ns_srv" dev "$ns_if"
	ip -n "$ns_s" addr add "$ns_srv" peer "$ns_cli" dev "sbu$$"
	ip -n "$ns_c" link set dev "$ns_if" up
	ip -n "$ns_s" link set dev "sbu$$" up
	ns_link="TUN + delayline.py (no netem in this kernel)"
}

netns_down() {
	[ -n "$ns_c" ] && ip netns del "$ns_c" 2>/dev/null
	[ -n "$ns_s" ] && ip netns del "$ns_s" 2>/dev/null
	ns_c="" ns_s=""
}

# netns_ok WORKLOAD - root and every tool the namespaces need
netns_ok() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "bench: $1 not run: it needs root (network namespaces)" >&2
		echo "| $1 | not run: needs root | — | — | — | 0 |"
		return 1
	fi
	need "$1" ip iproute2 tc iproute2 tcpdump tcpdump \
		smtp-sink postfix certtool gnutls-bin \
		"$smtpmock" "smtpmock (make -C tests check)"
}

# netns_servers [starttls] - the servers in the server's namespace, and
# the accounts plain, chunking, starttls and implicit for them (only the
# STARTTLS server and its account with "starttls")
netns_servers() {
	netns_up
	make_certs
	confs
	n_list=starttls:587
	if [ "${1:-}" != starttls ]; then
		start_sink "$ns_srv" 25 "$ns_s"
		start_mock rtt-implicit implicit "$ns_s"
		n_list="$n_list implicit:465 starttls:2525"
	fi
	start_mock rtt-starttls "" "$ns_s"
	for n_m in $n_list; do
		ip netns exec "$ns_s" python3 "$here/relay.py" "$ns_srv" \
			"${n_m#*:}" "$(cat "$dir/rtt-${n_m%:*}.port")" &
		pids="$pids $!"
		wait_port "$ns_srv" "${n_m#*:}" "$ns_c"
	done
	account plain "$ns_srv" 25 plain
	account chunking "$ns_srv" 2525 plain
	account starttls "$ns_srv" 587 starttls mock.test
	account implicit "$ns_srv" 465 implicit mock.test
}

# round_trips COMMAND... - run it (through runone) in the client's
# namespace under a capture; print its round trips and its wall time in
# ms, or "- -" when it fails
round_trips() {
	rm -f "$dir/rt.pcap"
	ip netns exec "$ns_c" tcpdump -i "$ns_if" -nn -U --immediate-mode \
		-w "$dir/rt.pcap" tcp 2>"$dir/rt.err" &
	r_t=$!
	r_i=0
	until grep -q 'listening on' "$dir/rt.err" 2>/dev/null; do
		r_i=$((r_i + 1))
		[ $r_i -lt 100 ] || { echo "bench: tcpdump did not start" >&2
			kill "$r_t"; exit 1; }
		sleep 0.05
	done
	r_cmd=$1
	r_out=$(ip netns exec "$ns_c" "$runone" "$dir/small.eml" "$@" \
		2>"$dir/rt.client") || r_out="0 0 99 0"
	sleep 0.1
	kill -INT "$r_t"
	wait "$r_t" || :
	# shellcheck disable=SC2086
	set -- $r_out
	if [ "$3" -ne 0 ]; then
		echo "bench: $r_cmd exited with $3:" >&2
		tail -n 3 "$dir/rt.client" >&2
		echo "- -"
		return 0
	fi
	echo "$(tcpdump -r "$dir/rt.pcap" -nn -tt 2>/dev/null |
		python3 "$here/flights.py" "$ns_cli" $((2 * ns_delay)))" \
		$(($1 / 1000000))
}

w_rtt() {
	netns_ok rtt || return 0
	netns_servers
	r_rtt=$((2 * ns_delay))
	for r_a in plain chunking starttls implicit; do
		r_ss="" r_ms="" r_sw="" r_mw=""
		r_n=0
		while [ $r_n -lt "$rtt_count" ]; do
			# shellcheck disable=SC2046
			set -- $(round_trips $(ss_cmd) -a $r_a r1@example.net)
			if [ "$1" = - ]; then
				failed=1
			else
				r_ss="$r_ss $1" r_sw="$r_sw $2"
			fi
			if with_msmtp; then
				# shellcheck disable=SC2046
				set -- $(round_trips $(ms_cmd) -a $r_a r1@example.net)
				if [ "$1" = - ]; then
					failed=1
				else
					r_ms="$r_ms $1" r_mw="$r_mw $2"
				fi
			fi
			r_n=$((r_n + 1))
		done
		case $r_a in
		plain) r_l="plain (smtp-sink: no CHUNKING)" ;;
		chunking) r_l="plain" ;;
		starttls) r_l="STARTTLS + AUTH" ;;
		implicit) r_l="implicit TLS + AUTH" ;;
		esac
		r_l="round trips at $r_rtt ms RTT, $r_l"
		python3 "$here/pair.py" --row "$r_l" "round trips" "" \
			"$r_ss" "$r_ms"
		python3 "$here/pair.py" --row "$r_l" wall ms "$r_sw" "$r_mw"
	done
}

w_flush_rtt() {
	netns_ok flush-rtt || return 0
	netns_servers starttls
	# pair.py runs in the client's namespace: the fills and the flushes
	# shellcheck disable=SC2046
	ip netns exec "$ns_c" python3 "$here/pair.py" --runone "$runone" \
		--label "flush of $rtt_queue queued messages at $((2 * ns_delay)) ms RTT, STARTTLS" \
		--count "$queue_count" --unit s --no-warmup $(nomq) \
		--prep-a "$(fill_ss "$rtt_queue" "$dir/q-rtt" starttls)" \
		--check-a "! ls $dir/q-rtt/msg/ | grep -q ." \
		--prep-b "$(fill_mq "$rtt_queue" starttls)" \
		--check-b "! ls $dir/mq | grep -q ." \
		--status-b any \
		-- $(ss_cmd) -a starttls --queue --queue-dir="$dir/q-rtt" --queue-flush \
		--- $(mq_cmd) --q-mgmt -r || failed=1
}
