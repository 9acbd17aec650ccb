#!/bin/sh
# locale.sh - messages in the user's language, protocol in none: the same
# sends run under LC_ALL=C, de_DE.UTF-8 and fr_FR.UTF-8 (catalogues built
# from po/ into a private directory, named by SMTPSEND_LOCALEDIR).  A
# message too large for the server's SIZE limit must be refused in each
# language's words with the same bytes on the wire; an accepted send must
# put the same commands and the same header fields on the wire (Date: in
# English, RFC 5322 3.3, whatever LC_TIME says); --help and a usage error
# must be translated.  The locale is set up only when a message needs it:
# an accepted send, in plain SMTP or with STARTTLS (GnuTLS loaded), opens
# no locale file and no catalogue, the refused one opens its language's
# catalogue (strace).
. "$(dirname "$0")/../queue/lib.sh"

top=$(cd "$q_srcdir/../.." && pwd)
command -v msgfmt >/dev/null 2>&1 || q_skip "msgfmt is not installed"
grep -q '^#define ENABLE_NLS 1' "${SMTPSEND%/src/*}/config.h" ||
	q_skip "built without NLS (--disable-nls)"
for loc in de_DE.utf8 fr_FR.utf8; do
	locale -a 2>/dev/null | grep -qx "$loc" ||
		q_skip "locale $loc is not installed (localedef -i ${loc%.*} -f UTF-8 ${loc%.*}.UTF-8)"
done
command -v strace >/dev/null 2>&1 || q_skip "strace is not installed"
[ -n "${SMTPMOCK_CERTS-}" ] ||
	q_skip "no test certificates (certtool, package gnutls-bin)"
for l in de fr; do
	mkdir -p "$T/locale/$l/LC_MESSAGES" &&
		msgfmt -o "$T/locale/$l/LC_MESSAGES/smtpsend.mo" \
			"$top/po/$l.po" || q_error "msgfmt po/$l.po failed"
done
SMTPSEND_LOCALEDIR=$T/locale
export SMTPSEND_LOCALEDIR

# The expected texts, as the catalogues say them.
size_C="message size 114 bytes exceeds the server's limit of 25 bytes"
help_C="Usage: smtpsend [OPTION]... [--] RECIPIENT..."
try_C="Try 'smtpsend --help' for more information."
size_de="Nachrichtengröße 114 Bytes überschreitet die Grenze des Servers von 25 Bytes"
help_de="Aufruf: smtpsend [OPTION]... [--] RECIPIENT..."
try_de="'smtpsend --help' liefert weitere Informationen."
size_fr="la taille du message, 114 octets, dépasse la limite du serveur de 25 octets"
help_fr="Usage : smtpsend [OPTION]... [--] RECIPIENT..."
try_fr="Utiliser 'smtpsend --help' pour plus d'informations."

printf '%%server\nehlo PIPELINING SIZE=25\n' >"$T/small.scn"
printf '%s\n' 'From: a@example.org' 'Date: Wed, 2 Dec 2026 12:00:00 +0000' \
	'Message-ID: <1@example.org>' 'Subject: x' '' 1234567890 >"$T/big.eml"
printf 'From: a@example.org\nTo: b@example.net\nSubject: s\n\nbody\n' \
	>"$T/ok.eml"

# run LANG_TAG LC_ALL_VALUE
run() {
	tag=$1
	lc=$2
	eval "want_size=\$size_$tag want_help=\$help_$tag want_try=\$try_$tag"

	q_mock_start "small-$tag" "$T/small.scn"
	LC_ALL=$lc "$SMTPSEND" $Q_SEND_OPTS --host=127.0.0.1 --port="$PORT" \
		bob@example.net <"$T/big.eml" >"$T/$tag.out" 2>"$T/$tag.err"
	q_expect_eq "$tag: exit status of the refused send" 69 "$?"
	q_expect_eq "$tag: the refusal" \
		"smtpsend: bob@example.net: failed: $want_size" \
		"$(cat "$T/$tag.err")"
	q_mock_stop "small-$tag"
	q_expect_eq "$tag: the wire of the refused send" \
		"EHLO client.test~QUIT~" \
		"$(tr '\r\n' '~\n' <"$T/small-$tag.rec" | tr -d '\n')"

	q_mock_start "ok-$tag"
	LC_ALL=$lc "$SMTPSEND" $Q_SEND_OPTS --host=127.0.0.1 --port="$PORT" \
		-t <"$T/ok.eml" >"$T/ok-$tag.out" 2>&1
	q_expect_eq "$tag: exit status of the accepted send" 0 "$?"
	q_mock_stop "ok-$tag"
	q_expect_grep "$tag: Date: in English" "$T/ok-$tag.rec" \
		'^Date: \(Mon\|Tue\|Wed\|Thu\|Fri\|Sat\|Sun\), [0-9]\{1,2\} \(Jan\|Feb\|Mar\|Apr\|May\|Jun\|Jul\|Aug\|Sep\|Oct\|Nov\|Dec\) [0-9]\{4\} [0-9:]\{8\} [-+][0-9]\{4\}.$'
	grep -v -e '^Date: ' -e '^Message-ID: ' "$T/ok-$tag.rec" \
		>"$T/ok-$tag.wire"

	LC_ALL=$lc "$SMTPSEND" --help 2>&1 | head -n 1 >"$T/help-$tag"
	q_expect_eq "$tag: --help" "$want_help" "$(cat "$T/help-$tag")"
	LC_ALL=$lc "$SMTPSEND" --no-such-option >/dev/null 2>"$T/usage-$tag"
	q_expect_eq "$tag: usage error status" 64 "$?"
	q_expect_eq "$tag: usage error" "$want_try" \
		"$(tail -n 1 "$T/usage-$tag")"
}

# opened LC_ALL STDIN [OPTION...] - the files under a locale directory
# that a send (to the server on $PORT) opens, one per line
opened() {
	o_lc=$1 o_in=$2
	shift 2
	LC_ALL=$o_lc strace -f -qq -e trace=openat,open -o "$T/strace" \
		"$SMTPSEND" $Q_SEND_OPTS --host=127.0.0.1 --port="$PORT" "$@" \
		bob@example.net <"$o_in" >/dev/null 2>&1
	grep -o '"[^"]*/locale[^"]*"' "$T/strace" | sort -u
}

run C C
run de de_DE.UTF-8
run fr fr_FR.UTF-8

q_mock_start lazy-ok
q_expect_eq "de: the accepted send opens no locale file" "" \
	"$(opened de_DE.UTF-8 "$T/ok.eml")"
q_mock_stop lazy-ok
printf '%%server\nehlo PIPELINING STARTTLS\ntls-cert %s %s\n' \
	"$SMTPMOCK_CERTS/valid.pem" "$SMTPMOCK_CERTS/valid.key" >"$T/tls.scn"
q_mock_start lazy-tls "$T/tls.scn"
q_expect_eq "de: the accepted STARTTLS send opens no locale file" "" \
	"$(opened de_DE.UTF-8 "$T/ok.eml" --tls=on --tls-starttls=on \
		--tls-trust-file="$SMTPMOCK_CERTS/ca.pem")"
q_mock_stop lazy-tls
q_expect_grep "de: the STARTTLS send was made" "$T/lazy-tls.rec" '^STARTTLS'
q_mock_start lazy-refused "$T/small.scn"
opened de_DE.UTF-8 "$T/big.eml" >"$T/lazy-refused"
q_mock_stop lazy-refused
q_expect_grep "de: the refused send opens the German catalogue" \
	"$T/lazy-refused" "^\"$T/locale/de/LC_MESSAGES/smtpsend.mo\"\$"
for tag in de fr; do
	if cmp -s "$T/ok-C.wire" "$T/ok-$tag.wire"; then
		q_ok "$tag: the accepted send's wire is the C locale's"
	else
		q_check_fail "$tag: the accepted send's wire differs from C's"
		diff "$T/ok-C.wire" "$T/ok-$tag.wire" >&2
	fi
done
q_done
