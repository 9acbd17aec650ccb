#!/bin/sh
# The snippets of contrib/snippets/, used as written (only smtpsend's path
# changed to the one under test) by the programs they are for, against
# the mock server: git send-email with gitconfig, PHP's mail() with
# php.ini (php-cli), mutt in batch mode with muttrc, and the commands of
# symfony-mailer.env's DSNs (the -bs one spoken to as Symfony's transport
# does).  What arrived is checked: envelope, headers, body.
. "$(dirname "$0")/lib.sh"

c_need git git
git send-email --dump-aliases </dev/null >/dev/null 2>&1 ||
	q_fail "git send-email does not run (Debian: apt-get install git-email)"
c_need php php-cli
c_need mutt mutt
S=$C_CONTRIB/snippets

# snippet FILE - the snippet with smtpsend's path changed, into $T/FILE.
snippet() {
	sed "s|/usr/bin/smtpsend|$SMTPSEND|g" "$S/$1" >"$T/$1" ||
		q_error "sed failed"
	grep -q -F "$SMTPSEND" "$T/$1" || q_fail "$1 does not name /usr/bin/smtpsend"
}

# The user's configuration: the default account sends to the mock; a
# failure shows in the exit status, not in the queue.
q_mock_start mock
mkdir -p "$XDG_CONFIG_HOME/smtpsend"
printf 'account default\nhost 127.0.0.1\nport %s\ntls off\ndomain client.test\nfrom default@example.org\nqueue off\n' \
	"$PORT" >"$XDG_CONFIG_HOME/smtpsend/config"
chmod 600 "$XDG_CONFIG_HOME/smtpsend/config"
REC=$T/mock.rec

# data_of TESTID - the DATA of the message whose body holds TESTID (CRs
# taken off), into $T/got.
data_of() {
	tr -d '\r' <"$REC" | awk -v id="$1" '
		toupper($0) == "DATA" { indata = 1; b = ""; next }
		indata && $0 == "." { if (index(b, id)) printf "%s", b
				      indata = 0; next }
		indata { b = b $0 "\n" }' >"$T/got"
}

# envelope_of TESTID - "MAIL FROM:<...> RCPT TO:<...>..." of that message.
envelope_of() {
	tr -d '\r' <"$REC" | awk -v id="$1" '
		/^MAIL FROM:/ { env = $0; indata = 0; next }
		/^RCPT TO:/ && !indata { env = env " " $0; next }
		toupper($0) == "DATA" { indata = 1; b = ""; next }
		indata && $0 == "." { if (index(b, id)) print env
				      indata = 0; next }
		indata { b = b $0 "\n" }'
}

# ---- git send-email with gitconfig ----
snippet gitconfig
mkdir -p "$T/repo"
(
	cd "$T/repo" || exit 99
	GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$T/gitconfig
	export GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL
	unset GIT_DIR GIT_WORK_TREE GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL \
		GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
	git -c init.defaultBranch=main init -q . &&
	git config user.name "Patch Author" &&
	git config user.email author@example.org &&
	printf 'one\n' >file && git add file &&
	git commit -q -m base &&
	printf 'one\ngit-snippet-line\n' >file &&
	git commit -q -a -m "contrib: git-snippet patch" &&
	git format-patch -q -1 -o "$T/patches" >/dev/null &&
	timeout 60 git send-email --to=rcpt@example.net --confirm=never \
		--suppress-cc=all --no-thread "$T"/patches/0001-*.patch \
		</dev/null >"$T/git.out" 2>&1
) 
q_expect_eq "git send-email: exit status" 0 $?
data_of git-snippet-line
q_expect_grep "git send-email: the patch's subject arrived" "$T/got" \
	'^Subject: \[PATCH\] contrib: git-snippet patch$'
q_expect_grep "git send-email: the diff arrived" "$T/got" \
	'^+git-snippet-line$'
q_expect_eq "git send-email: the envelope (envelopeSender = auto)" \
	"MAIL FROM:<author@example.org> RCPT TO:<rcpt@example.net>" \
	"$(envelope_of git-snippet-line)"
[ "$q_failures" -gt 0 ] && q_dump "$T/git.out"

# ---- PHP's mail() with php.ini ----
snippet php.ini
PHP_INI_SCAN_DIR= php -c "$T/php.ini" -r '
	$ok = mail("Rcpt <rcpt@example.net>", "php-snippet subject",
		"php-snippet body\n.\nafter the dot\n",
		"From: Web App <web@example.org>\r\nCc: cc@example.net",
		"-fbounces@example.org");
	exit($ok ? 0 : 1);' >"$T/php.out" 2>&1
q_expect_eq "php mail(): returns true" 0 $?
data_of php-snippet
q_expect_grep "php mail(): To" "$T/got" '^To: Rcpt <rcpt@example.net>$'
q_expect_grep "php mail(): Subject" "$T/got" '^Subject: php-snippet subject$'
q_expect_grep "php mail(): From" "$T/got" '^From: Web App <web@example.org>$'
q_expect_grep "php mail(): the lone dot is part of the body" "$T/got" \
	'^after the dot$'
q_expect_eq "php mail(): the envelope (-t: To and Cc; -f)" \
	"MAIL FROM:<bounces@example.org> RCPT TO:<rcpt@example.net> RCPT TO:<cc@example.net>" \
	"$(envelope_of php-snippet)"
[ "$q_failures" -gt 0 ] && q_dump "$T/php.out"

# ---- mutt in batch mode with muttrc ----
snippet muttrc
mkdir -p "$T/Mail"
printf 'mutt-snippet body\n' >"$T/mutt.body"
TERM=dumb timeout 60 mutt -n -F "$T/muttrc" \
	-e "set from='Mutt User <mutt@example.org>' folder=$T/Mail spoolfile=$T/Mail/inbox record='' copy=no" \
	-s "mutt-snippet subject" -- rcpt@example.net <"$T/mutt.body" \
	>"$T/mutt.out" 2>&1
q_expect_eq "mutt: exit status" 0 $?
data_of mutt-snippet
q_expect_grep "mutt: Subject" "$T/got" '^Subject: mutt-snippet subject$'
q_expect_grep "mutt: the body" "$T/got" '^mutt-snippet body$'
q_expect_eq "mutt: the envelope (use_envelope_from: -f)" \
	"MAIL FROM:<mutt@example.org> RCPT TO:<rcpt@example.net>" \
	"$(envelope_of mutt-snippet)"
[ "$q_failures" -gt 0 ] && q_dump "$T/mutt.out"

# ---- symfony-mailer.env: the DSNs' commands ----
# dsn_command N - the command of the Nth MAILER_DSN line (commented or
# not), %20 decoded.
dsn_command() {
	sed -n 's/^#\{0,1\}MAILER_DSN=sendmail:\/\/default?command=//p' \
		"$S/symfony-mailer.env" | sed -n "${1}p" |
		sed -e 's/%20/ /g' -e "s|/usr/bin/smtpsend|$SMTPSEND|"
}
cmd=$(dsn_command 1)
case $cmd in *" -bs") ;; *) q_fail "the first DSN is not -bs: $cmd" ;; esac
# What Symfony's SMTP stream sends to "sendmail -bs".
printf 'EHLO [127.0.0.1]\r\nMAIL FROM:<app@example.org>\r\nRCPT TO:<rcpt@example.net>\r\nDATA\r\nFrom: app@example.org\r\nTo: rcpt@example.net\r\nSubject: symfony-bs\r\n\r\nsymfony-bs body\r\n.\r\nQUIT\r\n' |
	sh -c "$cmd" >"$T/bs.out" 2>&1
q_expect_eq "symfony -bs: exit status" 0 $?
q_expect_grep "symfony -bs: 250 after the data" "$T/bs.out" '^250 2\.0\.0 '
data_of symfony-bs
q_expect_grep "symfony -bs: the message" "$T/got" '^Subject: symfony-bs$'
q_expect_eq "symfony -bs: the envelope" \
	"MAIL FROM:<app@example.org> RCPT TO:<rcpt@example.net>" \
	"$(envelope_of symfony-bs)"
cmd=$(dsn_command 2)
case $cmd in *" -t -i") ;; *) q_fail "the second DSN is not -t -i: $cmd" ;; esac
# Symfony adds -f with the envelope sender.
printf 'From: app@example.org\nTo: rcpt@example.net\nBcc: hidden@example.net\nSubject: symfony-t\n\nsymfony-t body\n' |
	sh -c "$cmd -f'app@example.org'" >"$T/t.out" 2>&1
q_expect_eq "symfony -t: exit status" 0 $?
data_of symfony-t
q_expect_nogrep "symfony -t: no Bcc header sent" "$T/got" '^Bcc:'
q_expect_eq "symfony -t: the envelope" \
	"MAIL FROM:<app@example.org> RCPT TO:<rcpt@example.net> RCPT TO:<hidden@example.net>" \
	"$(envelope_of symfony-t)"

q_mock_stop mock
[ "$q_failures" -gt 0 ] && q_dump "$REC"
q_done
