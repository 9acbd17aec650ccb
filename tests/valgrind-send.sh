#!/bin/sh
# valgrind-send.sh - a set of sends (success, mixed replies, BDAT, a lost
# connection, a protocol violation, a config file, STARTTLS, a refused
# certificate, PLAIN, SCRAM-PLUS, XOAUTH2, 535, --serverinfo) with smtpsend under
# valgrind: any memory error or leak becomes exit status 120, which no
# scenario expects.  Skipped (77) when valgrind is not installed.
command -v valgrind >/dev/null 2>&1 || { echo "valgrind not installed"; exit 77; }
# valgrind cannot run a binary built with AddressSanitizer
if ldd "$SMTPSEND" 2>/dev/null | grep -q libasan; then
	echo "smtpsend is built with sanitizers: valgrind does not apply"
	exit 77
fi
dir=$(mktemp -d) || exit 99
trap 'rm -rf "$dir"' EXIT
cat > "$dir/smtpsend-valgrind" <<WRAP
#!/bin/sh
exec valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
	--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=120 "$SMTPSEND" "\$@"
WRAP
chmod +x "$dir/smtpsend-valgrind"
status=0
for s in 001-plain-send 002-three-rcpts-mixed-report 004-report-json \
	 012-bdat-inline 014-bdat-large 028-452-too-many-rcpts \
	 040-close-data 048-malformed-1mib-line 069-config-account \
	 071-config-unknown-directive 061-nul-in-message \
	 100-starttls-send 105-starttls-injection 110-starttls-cert-expired \
	 140-auth-plain 145-auth-on-scram-plus-tls13 151-auth-xoauth2 \
	 156-auth-535 160-netrc 170-serverinfo-starttls; do
	if "$SMTPMOCK" --client "$dir/smtpsend-valgrind" "$SCENARIOS/$s.scn" \
	    >"$dir/out" 2>&1; then
		echo "ok: $s"
	else
		echo "FAILED under valgrind: $s"
		tail -30 "$dir/out"
		status=1
	fi
done
exit $status
