# tests/interop/lib.sh - shared code of the interoperability tests.
#
# Sourced (POSIX sh) by every tests/interop/*.sh script.  It runs a private
# Postfix (SMTP submission, STARTTLS and implicit TLS listeners, delivery by
# the virtual(8) agent into a maildir) and a private Dovecot (SASL
# authentication only) on 127.0.0.1, everything below one temporary
# directory, and tears both down when the script exits; or (it_start_lmtp)
# a private Dovecot alone, with an LMTP listener that delivers into a
# maildir.  Nothing outside
# that directory is written: no /etc/postfix, no system service, no fixed
# port.  See doc/interop.md.
#
# Environment:
#   INTEROP_CLIENT  smtpsend (default), or swaks or msmtp for comparison
#   SMTPSEND        the smtpsend binary (set by tests/Makefile.am)
#   INTEROP_KEEP    if non-empty, keep the temporary directory (and say where)
#   INTEROP_VERBOSE if non-empty, the client runs with -v / shows its dialogue
#
# Exit statuses follow automake: 0 pass, 1 fail, 77 skip, 99 hard error.

PATH=$PATH:/usr/sbin:/sbin
export PATH
LC_ALL=C
export LC_ALL

it_name=${0##*/}
it_name=${it_name%.sh}
it_dir=
it_postfix_up=
it_dovecot_up=
it_postfix_pid=
it_dovecot_pid=

# The account used by every scenario.
IT_DOMAIN=example.test
IT_USER=user@example.test
IT_PASS='Interop-S3cret.pw'
IT_FROM=sender@example.test
IT_RCPT=user@example.test

it_log() { printf '%s: %s\n' "$it_name" "$*" >&2; }

it_skip() { it_log "SKIP: $*"; exit 77; }

it_fail() {
	it_log "FAIL: $*"
	it_dump_logs
	exit 1
}

it_error() {
	it_log "ERROR: $*"
	it_dump_logs
	exit 99
}

# Print the servers' logs (into the test's .log file) after a failure.
it_dump_logs() {
	[ -n "$it_dir" ] || return 0
	for f in "$it_dir/maillog" "$it_dir/dovecot.log" "$it_dir/client.err"; do
		[ -s "$f" ] || continue
		echo "----- $f (last 60 lines) -----" >&2
		tail -n 60 "$f" >&2
	done
}

# Bounded wait: it_wait TRIES CMD... runs CMD every 0.1 s until it succeeds,
# at most TRIES times.
it_wait() {
	it_tries=$1
	shift
	while [ "$it_tries" -gt 0 ]; do
		"$@" && return 0
		it_tries=$((it_tries - 1))
		sleep 0.1
	done
	return 1
}

# ---------------------------------------------------------------------------
# Preconditions.

it_check_prereqs() {
	[ "$(id -u)" -eq 0 ] || it_skip "must run as root (Postfix's master runs as root)"
	command -v postfix >/dev/null 2>&1 || it_skip "postfix is not installed"
	command -v dovecot >/dev/null 2>&1 || it_skip "dovecot is not installed"
	id postfix >/dev/null 2>&1 || it_skip "there is no postfix user"
	getent group postdrop >/dev/null 2>&1 || it_skip "there is no postdrop group"
	id dovecot >/dev/null 2>&1 || it_skip "there is no dovecot user"
	id dovenull >/dev/null 2>&1 || it_skip "there is no dovenull user"
	command -v perl >/dev/null 2>&1 || it_skip "perl is not installed"
	command -v timeout >/dev/null 2>&1 || it_skip "timeout(1) is not installed"
	if command -v certtool >/dev/null 2>&1; then
		it_pki=certtool
	elif command -v openssl >/dev/null 2>&1; then
		it_pki=openssl
	else
		it_skip "neither certtool (gnutls-bin) nor openssl is installed"
	fi
	case ${INTEROP_CLIENT:-smtpsend} in
	smtpsend)
		[ -n "${SMTPSEND:-}" ] ||
			it_error "SMTPSEND is not set (run through make check, or set it)"
		[ -x "$SMTPSEND" ] || it_error "no smtpsend binary at $SMTPSEND"
		;;
	msmtp)
		command -v msmtp >/dev/null 2>&1 || it_skip "msmtp is not installed"
		;;
	swaks)
		command -v swaks >/dev/null 2>&1 || it_skip "swaks is not installed"
		perl -MIO::Socket::SSL -MNet::SSLeay -e 1 2>/dev/null ||
			it_skip "swaks needs libio-socket-ssl-perl and libnet-ssleay-perl for TLS"
		;;
	*)
		it_error "INTEROP_CLIENT must be smtpsend, swaks or msmtp," \
			"not '$INTEROP_CLIENT'"
		;;
	esac
}

# ---------------------------------------------------------------------------
# Ports.

# Print COUNT distinct free TCP ports on 127.0.0.1.  The sockets are bound
# (port 0) all at once, so the ports differ, then closed; Postfix binds them
# a moment later.  A lost race shows up as a listener that never answers,
# and it_start then tries again with new ports (a bounded number of times).
it_free_ports() {
	perl -MSocket -e '
		my @s;
		for my $i (1 .. $ARGV[0]) {
			socket(my $s, PF_INET, SOCK_STREAM, 0) or die "socket: $!\n";
			bind($s, pack_sockaddr_in(0, inet_aton("127.0.0.1")))
				or die "bind: $!\n";
			my ($port) = unpack_sockaddr_in(getsockname($s));
			print "$port\n";
			push @s, $s;
		}' "$1"
}

# Succeed if something accepts TCP connections on 127.0.0.1:PORT.
it_port_open() {
	perl -MSocket -e '
		socket(my $s, PF_INET, SOCK_STREAM, 0) or exit 1;
		connect($s, pack_sockaddr_in($ARGV[0], inet_aton("127.0.0.1")))
			or exit 1;
		exit 0;' "$1"
}

# ---------------------------------------------------------------------------
# Certificates: a throwaway CA and a server certificate for localhost,
# mx.example.test and 127.0.0.1, valid for two days.

it_make_certs() {
	d=$it_dir/tls
	mkdir -p "$d"
	if [ "$it_pki" = certtool ]; then
		cat >"$d/ca.tmpl" <<-EOF
		cn = "smtpsend interop test CA"
		organization = "smtpsend tests"
		ca
		cert_signing_key
		crl_signing_key
		expiration_days = 2
		EOF
		cat >"$d/server.tmpl" <<-EOF
		cn = "mx.example.test"
		organization = "smtpsend tests"
		dns_name = "mx.example.test"
		dns_name = "localhost"
		ip_address = "127.0.0.1"
		tls_www_server
		signing_key
		expiration_days = 2
		EOF
		# shellcheck disable=SC2015 # a chain of steps, then the error
		certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 \
			--outfile "$d/ca.key" >/dev/null 2>&1 &&
		certtool --generate-self-signed --load-privkey "$d/ca.key" \
			--template "$d/ca.tmpl" --outfile "$d/ca.pem" >/dev/null 2>&1 &&
		certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 \
			--outfile "$d/server.key" >/dev/null 2>&1 &&
		certtool --generate-certificate --load-privkey "$d/server.key" \
			--load-ca-certificate "$d/ca.pem" --load-ca-privkey "$d/ca.key" \
			--template "$d/server.tmpl" --outfile "$d/server.pem" \
			>/dev/null 2>&1 ||
			it_error "certtool could not make the test certificates"
	else
		cat >"$d/server.ext" <<-EOF
		subjectAltName = DNS:mx.example.test, DNS:localhost, IP:127.0.0.1
		extendedKeyUsage = serverAuth
		keyUsage = critical, digitalSignature
		basicConstraints = critical, CA:FALSE
		EOF
		# shellcheck disable=SC2015 # a chain of steps, then the error
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
			-nodes -days 2 -subj "/O=smtpsend tests/CN=smtpsend interop test CA" \
			-keyout "$d/ca.key" -out "$d/ca.pem" >/dev/null 2>&1 &&
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
			-nodes -subj "/O=smtpsend tests/CN=mx.example.test" \
			-keyout "$d/server.key" -out "$d/server.csr" >/dev/null 2>&1 &&
		openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" \
			-CAkey "$d/ca.key" -CAcreateserial -days 2 \
			-extfile "$d/server.ext" -out "$d/server.pem" >/dev/null 2>&1 ||
			it_error "openssl could not make the test certificates"
	fi
	chmod 0644 "$d/ca.pem" "$d/server.pem"
	chmod 0600 "$d/ca.key" "$d/server.key"
}

# ---------------------------------------------------------------------------
# Dovecot: the SASL authentication service only, for Postfix; with
# it_dovecot_protocols=lmtp and it_dovecot_home (the users' home, %n for
# the user's name) set, it_start_lmtp adds the LMTP service.

it_write_dovecot_conf() {
	d=$it_dir/dovecot
	mkdir -p "$d/run" "$d/state"
	# passwd-file: user:password:uid:gid:gecos:home:shell:extra
	printf '%s:{PLAIN}%s::::::\n' "$IT_USER" "$IT_PASS" >"$d/users"
	chown root:dovecot "$d/users"
	chmod 0640 "$d/users"
	cat >"$d/dovecot.conf" <<-EOF
	# Written by smtpsend's tests/interop/lib.sh; a private instance.
	instance_name = smtpsend-interop-$$
	base_dir = $d/run
	state_dir = $d/state
	log_path = $it_dir/dovecot.log
	info_log_path = $it_dir/dovecot.log
	debug_log_path = $it_dir/dovecot.log
	# No IMAP, POP3 or submission service (nor LMTP, unless asked for).
	protocols = ${it_dovecot_protocols:-none}
	ssl = no
	# Postfix enforces TLS before AUTH (smtpd_tls_auth_only).
	disable_plaintext_auth = no
	auth_mechanisms = plain login cram-md5 scram-sha-1 scram-sha-256
	auth_verbose = yes
	auth_failure_delay = 0
	passdb {
	  driver = passwd-file
	  args = scheme=PLAIN username_format=%u $d/users
	}
	userdb {
	  driver = static
	  args = uid=65534 gid=65534 home=${it_dovecot_home:-/nonexistent}
	}
	service auth {
	  unix_listener $d/auth-postfix {
	    mode = 0660
	    user = postfix
	    group = postfix
	  }
	}
	EOF
}

it_start_dovecot() {
	d=$it_dir/dovecot
	dovecot -c "$d/dovecot.conf" >>"$it_dir/dovecot.log" 2>&1 ||
		it_error "dovecot did not start"
	it_dovecot_up=1
	it_wait 100 test -S "$d/auth-postfix" ||
		it_error "dovecot's auth socket $d/auth-postfix did not appear"
}

# Signal Dovecot's master to stop; it_cleanup waits for it.
it_stop_dovecot() {
	pidf=$it_dir/dovecot/run/master.pid
	[ -n "$it_dovecot_up" ] && [ -s "$pidf" ] || return 0
	it_dovecot_pid=$(cat "$pidf")
	kill "$it_dovecot_pid" 2>/dev/null || it_dovecot_pid=
	it_dovecot_up=
}

it_gone() { ! kill -0 "$1" 2>/dev/null; }

# ---------------------------------------------------------------------------
# Postfix.

it_write_postfix_conf() {
	d=$it_dir/postfix
	mkdir -p "$d" "$it_dir/spool" "$it_dir/data"
	chown postfix "$it_dir/data"
	# The maildir belongs to nobody, the uid the virtual agent delivers as.
	mb=$it_dir/mail/$IT_DOMAIN/user
	mkdir -p "$mb/new" "$mb/cur" "$mb/tmp"
	chown -R 65534:65534 "$it_dir/mail"
	it_maildir=$mb

	cat >"$d/main.cf" <<-EOF
	# Written by smtpsend's tests/interop/lib.sh; a private instance.
	compatibility_level = 3.6
	queue_directory = $it_dir/spool
	data_directory = $it_dir/data
	mail_spool_directory = $it_dir/mailspool
	maillog_file = $it_dir/maillog
	maillog_file_prefixes = $it_dir
	syslog_name = postfix-interop
	myhostname = mx.$IT_DOMAIN
	mydomain = $IT_DOMAIN
	myorigin = \$mydomain
	inet_interfaces = 127.0.0.1
	inet_protocols = ipv4
	mynetworks = 127.0.0.1/32
	mydestination =
	relay_domains =
	local_recipient_maps =
	alias_maps =
	alias_database =
	# Nothing ever leaves this instance.
	default_transport = error:interop test instance: no outbound mail
	relay_transport = error:interop test instance: no outbound mail
	local_transport = error:interop test instance: no local delivery
	# user@example.test is a maildir under mail/, written by the virtual agent.
	virtual_mailbox_domains = $IT_DOMAIN
	virtual_mailbox_base = $it_dir/mail
	virtual_mailbox_maps = inline:{ $IT_USER=$IT_DOMAIN/user/ }
	virtual_uid_maps = static:65534
	virtual_gid_maps = static:65534
	# Do not add or rewrite anything in the message (no X-Original-To).
	enable_original_recipient = no
	local_header_rewrite_clients =
	always_add_missing_headers = no
	smtpd_banner = \$myhostname ESMTP smtpsend-interop
	smtpd_error_sleep_time = 0s
	smtpd_peername_lookup = no
	# Submission: AUTH through Dovecot, offered only under TLS.
	smtpd_sasl_auth_enable = yes
	smtpd_sasl_type = dovecot
	smtpd_sasl_path = $it_dir/dovecot/auth-postfix
	smtpd_sasl_security_options = noanonymous
	smtpd_sasl_tls_security_options = noanonymous
	smtpd_tls_security_level = may
	smtpd_tls_auth_only = yes
	smtpd_tls_chain_files = $it_dir/tls/server.key, $it_dir/tls/server.pem
	smtpd_tls_received_header = yes
	smtpd_tls_loglevel = 1
	smtpd_relay_restrictions = permit_sasl_authenticated, reject
	smtpd_recipient_restrictions = permit_sasl_authenticated, reject
	EOF

	# Only the services this test needs; nothing chrooted.  The two smtpd
	# listeners: STARTTLS (submission) and implicit TLS (submissions).
	cat >"$d/master.cf" <<-EOF
	# service     type  private unpriv chroot wakeup maxproc command + args
	127.0.0.1:$it_port_starttls inet n - n - - smtpd
	127.0.0.1:$it_port_tls inet n - n - - smtpd
	  -o smtpd_tls_wrappermode=yes
	  -o smtpd_tls_security_level=encrypt
	cleanup       unix  n       -      n      -      0       cleanup
	qmgr          unix  n       -      n      300    1       qmgr
	tlsmgr        unix  -       -      n      1000?  1       tlsmgr
	rewrite       unix  -       -      n      -      -       trivial-rewrite
	bounce        unix  -       -      n      -      0       bounce
	defer         unix  -       -      n      -      0       bounce
	trace         unix  -       -      n      -      0       bounce
	verify        unix  -       -      n      -      1       verify
	flush         unix  n       -      n      1000?  0       flush
	proxymap      unix  -       -      n      -      -       proxymap
	showq         unix  n       -      n      -      -       showq
	error         unix  -       -      n      -      -       error
	retry         unix  -       -      n      -      -       error
	discard       unix  -       -      n      -      -       discard
	virtual       unix  -       n      n      -      -       virtual
	anvil         unix  -       -      n      -      1       anvil
	scache        unix  -       -      n      -      1       scache
	postlog       unix-dgram n  -      n      -      1       postlogd
	EOF
}

# Start Postfix's master; fail (status 1) if "postfix start" does, e.g.
# because a port was taken in the meantime.
it_start_postfix() {
	it_postfix_up=1
	postfix -c "$it_dir/postfix" start >>"$it_dir/postfix-start.log" 2>&1
}

it_postfix_master_pid() {
	f=$it_dir/spool/pid/master.pid
	[ -s "$f" ] || return 1
	# The file holds the pid right-aligned in a fixed-width field.
	tr -d ' \n' <"$f"
}

# Tell Postfix's master to stop; it_cleanup (or the caller) waits for it.
it_stop_postfix() {
	[ -n "$it_postfix_up" ] || return 0
	it_postfix_pid=$(it_postfix_master_pid) || it_postfix_pid=
	postfix -c "$it_dir/postfix" stop >/dev/null 2>&1 ||
		{ [ -z "$it_postfix_pid" ] || kill "$it_postfix_pid" 2>/dev/null; } || :
	it_postfix_up=
}

# Wait (at most 10 s) for a stopped master process, then kill it.
it_reap() {
	[ -n "$1" ] || return 0
	it_wait 100 it_gone "$1" || kill -KILL "$1" 2>/dev/null || :
}

# Both listeners answer.
it_listeners_up() {
	it_port_open "$it_port_starttls" && it_port_open "$it_port_tls"
}

# ---------------------------------------------------------------------------
# Start and stop.

it_cleanup() {
	it_rc=$?
	trap - EXIT HUP INT TERM
	if [ -n "$it_dir" ]; then
		it_stop_postfix
		it_stop_dovecot
		it_reap "$it_postfix_pid"
		it_reap "$it_dovecot_pid"
		if [ -n "${INTEROP_KEEP:-}" ]; then
			it_log "kept $it_dir"
		else
			rm -rf "$it_dir"
		fi
	fi
	exit "$it_rc"
}

# it_make_dir: the temporary directory $it_dir, removed (and what runs
# there stopped) by it_cleanup when the script exits.
it_make_dir() {
	it_t0=$(date +%s)
	trap it_cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	base=${TMPDIR:-/tmp}
	# Unix socket paths are short (108 bytes): stay near the root.
	[ ${#base} -le 40 ] || base=/tmp
	it_dir=$(mktemp -d "$base/smtpsend-interop.XXXXXX") ||
		it_error "mktemp failed"
	# Postfix's and Dovecot's unprivileged processes must reach their files.
	chmod 0755 "$it_dir"
}

# it_start: check, make the directory, certificates, configurations, then
# start Dovecot and Postfix and wait (bounded) for them.
it_start() {
	it_check_prereqs
	it_make_dir
	it_make_certs
	it_write_dovecot_conf
	it_start_dovecot
	attempt=1
	while :; do
		# shellcheck disable=SC2046 # two port numbers, split on purpose
		set -- $(it_free_ports 2)
		it_port_starttls=$1
		it_port_tls=$2
		it_write_postfix_conf
		it_start_postfix && it_wait 100 it_listeners_up && break
		it_stop_postfix
		it_reap "$it_postfix_pid"
		if [ "$attempt" -ge 3 ]; then
			cat "$it_dir/postfix-start.log" >&2
			it_error "postfix did not start (3 attempts)"
		fi
		it_log "postfix did not start on ports $1 and $2, retrying"
		attempt=$((attempt + 1))
	done
	it_log "postfix on 127.0.0.1:$it_port_starttls (STARTTLS) and" \
		"127.0.0.1:$it_port_tls (implicit TLS), dovecot auth, in $it_dir" \
		"($(($(date +%s) - it_t0)) s)"
}

# it_start_lmtp: Dovecot alone, with an LMTP listener on 127.0.0.1 port
# $it_port_lmtp (plain, no TLS) that delivers mail for $IT_USER (known to
# its passwd-file; any other user is unknown) into the maildir
# $it_maildir, as uid 65534.
it_start_lmtp() {
	it_check_prereqs
	[ -x /usr/lib/dovecot/lmtp ] ||
		it_skip "Dovecot's LMTP server is not installed (dovecot-lmtpd)"
	it_make_dir
	mkdir -p "$it_dir/home"
	chown 65534:65534 "$it_dir/home"
	it_maildir=$it_dir/home/${IT_USER%@*}/Maildir
	it_dovecot_protocols=lmtp
	it_dovecot_home=$it_dir/home/%n
	it_port_lmtp=$(it_free_ports 1)
	it_write_dovecot_conf
	cat >>"$it_dir/dovecot/dovecot.conf" <<-EOF
	mail_location = maildir:~/Maildir
	service lmtp {
	  inet_listener lmtp {
	    address = 127.0.0.1
	    port = $it_port_lmtp
	  }
	}
	EOF
	it_start_dovecot
	it_wait 100 it_port_open "$it_port_lmtp" ||
		it_error "dovecot's LMTP listener on port $it_port_lmtp did not answer"
	it_log "dovecot LMTP on 127.0.0.1:$it_port_lmtp, in $it_dir" \
		"($(($(date +%s) - it_t0)) s)"
}

# ---------------------------------------------------------------------------
# The client.

# it_client_can MECH: skip the test if the chosen client cannot do MECH.
it_client_can() {
	case ${INTEROP_CLIENT:-smtpsend}:$1 in
	swaks:plain | swaks:login | swaks:cram-md5) ;;
	swaks:*) it_skip "swaks cannot authenticate with $1" ;;
	esac
}

# submit MODE MECH USER PASSWORD MESSAGE-FILE
#   MODE: starttls or tls (implicit TLS); MECH: plain, login, cram-md5,
#   scram-sha-1, scram-sha-256.  Sends from $IT_FROM to $IT_RCPT and returns
#   the client's exit status, in smtpsend's terms (0 delivered, 77
#   authentication failed, ...).  The client's stderr goes to
#   $it_dir/client.err (and to the log).

submit() {
	s_mode=$1 s_mech=$2 s_user=$3 s_pass=$4 s_msg=$5
	case $s_mode in
	starttls) s_port=$it_port_starttls s_starttls=on ;;
	tls) s_port=$it_port_tls s_starttls=off ;;
	*) it_error "submit: bad mode $s_mode" ;;
	esac
	: >"$it_dir/client.err"
	case ${INTEROP_CLIENT:-smtpsend} in
	smtpsend) submit_msmtp_like "$SMTPSEND" ;;
	msmtp) submit_msmtp_like msmtp ;;
	swaks) submit_swaks ;;
	esac
	s_rc=$?
	if [ -s "$it_dir/client.err" ]; then
		echo "----- client stderr -----" >&2
		cat "$it_dir/client.err" >&2
	fi
	it_log "client ${INTEROP_CLIENT:-smtpsend} ($s_mode, $s_mech) exited $s_rc"
	return "$s_rc"
}

# smtpsend (or msmtp, whose options and configuration file it shares), with
# an account in a configuration file of its own (mode 0600: the password is
# never on a command line).
submit_msmtp_like() {
	s_bin=$1
	conf=$it_dir/client.conf
	(
		umask 077
		cat >"$conf" <<-EOF
		# Written by tests/interop/lib.sh.
		account interop
		host 127.0.0.1
		port $s_port
		tls on
		tls_starttls $s_starttls
		tls_trust_file $it_dir/tls/ca.pem
		domain client.test
		auth $s_mech
		user $s_user
		password $s_pass
		from $IT_FROM
		EOF
	)
	set -- -C "$conf" -a interop
	[ -z "${INTEROP_VERBOSE:-}" ] || set -- "$@" -v
	it_log "running: $s_bin $* $IT_RCPT < $s_msg"
	timeout 60 "$s_bin" "$@" "$IT_RCPT" <"$s_msg" 2>"$it_dir/client.err"
}

# swaks, for comparison.  It cannot do SCRAM (the test is skipped).  Its
# own data "fixups" (token substitution, header rewriting, From_ stripping)
# are turned off; the message is made wire-ready here instead: CRLF line
# ends, dot-stuffing, and the final "." (swaks adds the last CRLF).
submit_swaks() {
	it_client_can "$s_mech"
	wire=$it_dir/swaks-data
	perl -0777 -pe 's/\r?\n/\r\n/g; s/^\./../mg;
		$_ .= "\r\n" if length($_) && !/\r\n\z/; $_ .= "."' \
		<"$s_msg" >"$wire"
	if [ "$s_mode" = tls ]; then s_tls=--tls-on-connect; else s_tls=--tls; fi
	if [ -n "${INTEROP_VERBOSE:-}" ]; then s_quiet=; else s_quiet=--silent; fi
	s_mechu=$(printf '%s' "$s_mech" | tr '[:lower:]' '[:upper:]')
	it_log "running: swaks --server 127.0.0.1:$s_port $s_tls --auth $s_mechu ..."
	# The password goes through the environment, not the command line.
	SWAKS_OPT_auth_password=$s_pass timeout 60 swaks $s_quiet \
		--server "127.0.0.1:$s_port" $s_tls \
		--tls-verify --tls-ca-path "$it_dir/tls/ca.pem" \
		--helo client.test --auth "$s_mechu" --auth-user "$s_user" \
		--from "$IT_FROM" --to "$IT_RCPT" \
		--no-data-fixup --data "@$wire" 2>"$it_dir/client.err"
	s_rc=$?
	# swaks's own statuses, in smtpsend's terms.
	case $s_rc in
	0) return 0 ;;
	28) return 77 ;;	# error in AUTH
	*) it_log "swaks exited $s_rc"; return 75 ;;
	esac
}

# ---------------------------------------------------------------------------
# Checks.

it_count_new() { find "$it_maildir/new" -type f | wc -l; }

# it_wait_delivered N: wait (at most 15 s) until N messages are in the maildir.
it_wait_delivered() {
	it_wait 150 it_has_n_new "$1" ||
		it_fail "expected $1 delivered message(s), found $(it_count_new)"
}

it_has_n_new() { [ "$(it_count_new)" -ge "$1" ]; }

# Files of Postfix's queue (a message accepted but not yet delivered).
it_queue_files() {
	find "$it_dir/spool/incoming" "$it_dir/spool/active" \
		"$it_dir/spool/deferred" "$it_dir/spool/hold" \
		"$it_dir/spool/maildrop" -type f 2>/dev/null | wc -l
}

# it_wait_log PATTERN: wait (at most 10 s) for an extended regex in maillog.
it_wait_log() {
	it_wait 100 grep -Eq -- "$1" "$it_dir/maillog"
}

# Strip the trace headers that Postfix and the virtual agent put at the top
# (Return-Path, Delivered-To, Received, with continuation lines) and nothing
# else.  Binary-safe.
it_strip_trace() {
	perl -0777 -pe 's/\A(?:(?:Return-Path|Delivered-To|Received):[^\n]*\n(?:[ \t][^\n]*\n)*)*//' "$1"
}

# it_auth_scenario MODE MECH: submit a small message with MECH over MODE,
# and check that it was delivered, over TLS, authenticated with that very
# mechanism.
it_auth_scenario() {
	mode=$1 mech=$2
	it_check_prereqs
	it_client_can "$mech"
	it_start
	mid="<interop-$it_name-$$-$(date +%s)@client.test>"
	msg=$it_dir/message
	cat >"$msg" <<-EOF
	From: Sender <$IT_FROM>
	To: User <$IT_RCPT>
	Subject: interop $it_name
	Date: $(date -R)
	Message-ID: $mid

	Sent by tests/interop/$it_name.sh ($mode, AUTH $mech).
	EOF
	submit "$mode" "$mech" "$IT_USER" "$IT_PASS" "$msg"
	rc=$?
	[ "$rc" -eq 0 ] || it_fail "the client exited $rc, not 0"
	it_wait_delivered 1
	[ "$(it_count_new)" -eq 1 ] || it_fail "more than one message delivered"
	got=$(find "$it_maildir/new" -type f)
	grep -qF "Message-ID: $mid" "$got" ||
		it_fail "the delivered message is not the one sent"
	# ESMTPSA: ESMTP with TLS (S) and authentication (A).
	grep -Eq '^[[:space:]].*with ESMTPSA id' "$got" ||
		it_fail "the Received header does not say ESMTPSA"
	grep -Eq '\(using TLSv1\.[23] with cipher' "$got" ||
		it_fail "the Received header does not show TLS"
	MECH=$(printf '%s' "$mech" | tr '[:lower:]' '[:upper:]')
	it_wait_log "client=[^ ]*, sasl_method=$MECH, sasl_username=$IT_USER\$" ||
		it_fail "postfix did not log sasl_method=$MECH for $IT_USER"
	# The session's summary: STARTTLS used on the submission port, not
	# (and not needed) on the implicit TLS one.
	it_wait_log "disconnect from [^ ]* ehlo=.* auth=1 " ||
		it_fail "postfix did not log the end of the session"
	line=$(grep -E "disconnect from [^ ]* ehlo=.* auth=1 " "$it_dir/maillog")
	case $mode:$line in
	starttls:*" starttls=1 "*) ;;
	tls:*starttls=*) it_fail "STARTTLS used on the implicit TLS port: $line" ;;
	tls:*) ;;
	*) it_fail "no STARTTLS in the session: $line" ;;
	esac
	it_log "postfix: ${line#*]: }"
	it_log "PASS: delivered over $mode with AUTH $MECH"
}
