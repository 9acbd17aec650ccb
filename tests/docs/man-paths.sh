#!/bin/sh
# The man pages as built (smtpsend.1 and smtpsendrc.5, made by "make" from
# man/) name the paths, the version and the date this build was configured
# with, and no other installation path:
#
# 1. no placeholder (@name@) and no make variable ($(sysconfdir)) is left;
# 2. the header (.TH) names "smtpsend VERSION", the version smtpsend
#    --version prints, and a date YYYY-MM-DD;
# 3. the configured paths are named: the system file, the system spool and
#    the helper smtpsend-drop in both pages; smtpsend and the sendmail link
#    in smtpsend(1);
# 4. every absolute path that names one of the installed files (a
#    system-wide smtpsendrc, smtpsend-drop, the spool, the programs in a
#    bin, sbin or libexec directory) is the configured one.  The only
#    other sendmail allowed is /usr/sbin/sendmail, the path that callers
#    run.
#
# Environment (tests/Makefile.am): SMTPSEND_MANDIR, the directory with the
# built pages; SMTPSEND_SYSCONFDIR, SMTPSEND_LOCALSTATEDIR,
# SMTPSEND_PKGLIBEXECDIR, SMTPSEND_BINDIR and SMTPSEND_SBINDIR.
. "$(dirname "$0")/../queue/lib.sh"

for v in SMTPSEND_MANDIR SMTPSEND_SYSCONFDIR SMTPSEND_LOCALSTATEDIR \
	SMTPSEND_PKGLIBEXECDIR SMTPSEND_BINDIR SMTPSEND_SBINDIR; do
	eval "val=\${$v:-}"
	[ -n "$val" ] || q_error "$v is not set"
done
sysconf=$SMTPSEND_SYSCONFDIR/smtpsendrc
spool=$SMTPSEND_LOCALSTATEDIR/spool/smtpsend
helper=$SMTPSEND_PKGLIBEXECDIR/smtpsend-drop
bin=$SMTPSEND_BINDIR/smtpsend
sendmail=$SMTPSEND_SBINDIR/sendmail

version=$("$SMTPSEND" --version </dev/null | sed -n '1s/^smtpsend //p')
[ -n "$version" ] || q_error "smtpsend --version printed no version"

# plain PAGE - the page's text with roff's escapes for characters removed.
plain() {
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' \
		-e 's/\\(ti/~/g' -e 's/\\e/\\/g' -e 's/\\%//g' "$1"
}

for page in smtpsend.1 smtpsendrc.5; do
	f=$SMTPSEND_MANDIR/$page
	[ -f "$f" ] || q_error "no built man page $f (run make first)"
	plain "$f" >"$T/$page" || q_error "sed failed"
	p=$T/$page

	# 1. Nothing left to substitute.
	q_expect_nogrep "$page: no @placeholder@ left" "$p" '@[A-Za-z_]*@'
	q_expect_nogrep "$page: no make variable left" "$p" \
		'\$([a-z]*dir)\|\$(prefix)'

	# 2. The header.
	th=$(sed -n 's/^\.TH  *//p' "$p")
	case $th in
	*' "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'" "smtpsend '"$version"'" '*)
		q_ok "$page: .TH $th" ;;
	*)
		q_check_fail "$page: .TH '$th' does not name smtpsend $version and a date" ;;
	esac

	# 3. The configured paths.
	for want in "$sysconf" "$spool" "$helper"; do
		if grep -F -e "$want" "$p" >/dev/null; then
			q_ok "$page names $want"
		else
			q_check_fail "$page does not name $want"
		fi
	done

	# 4. Every absolute path of an installed file is the configured one:
	# the words that start with / (after a space, a quote or a bracket).
	sed -e 's/^/ /' "$p" | grep -o -e '[] "(<[]/[^] "():;,<>[]*' |
		sed -e 's/^.//' -e 's/[.]$//' | sort -u >"$T/$page.paths"
	n=0
	while IFS= read -r path; do
		ok=
		case $path in
		*/smtpsendrc)
			case $path in /home/*|*/.*) ok=user ;; "$sysconf") ok=1 ;; esac ;;
		*/smtpsend-drop) [ "$path" = "$helper" ] && ok=1 ;;
		*/spool/smtpsend|*/spool/smtpsend/*)
			case $path in "$spool"|"$spool"/*) ok=1 ;; esac ;;
		*/sbin/sendmail)
			case $path in "$sendmail"|/usr/sbin/sendmail) ok=1 ;; esac ;;
		*/bin/smtpsend) [ "$path" = "$bin" ] && ok=1 ;;
		*/libexec/*)
			case $path in "$SMTPSEND_PKGLIBEXECDIR"/*) ok=1 ;; esac ;;
		*) ok=other ;;
		esac
		case $ok in
		1) n=$((n + 1)) ;;
		user|other) ;;
		*) q_check_fail "$page names $path, which is not this build's path" ;;
		esac
	done <"$T/$page.paths"
	q_ok "$page: $n installation paths, all configured ones"
done

for want in "$bin" "$sendmail"; do
	if grep -F -e "$want" "$T/smtpsend.1" >/dev/null; then
		q_ok "smtpsend.1 names $want"
	else
		q_check_fail "smtpsend.1 does not name $want"
	fi
done

q_done
