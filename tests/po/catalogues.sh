#!/bin/sh
# catalogues.sh - every message catalogue is complete for the sources as
# they are now: the template is made afresh from po/POTFILES.in (which must
# name every source file with a translatable message), each catalogue of
# po/LINGUAS is merged with it, and a fuzzy or untranslated entry, a
# msgfmt -c error, or a translation that changed an option name, a
# directive name or a printf conversion fails the test.  Every language
# the project promises must be in po/LINGUAS.
. "$(dirname "$0")/../queue/lib.sh"

for p in xgettext msgmerge msgfmt python3; do
	command -v "$p" >/dev/null 2>&1 || q_skip "$p is not installed"
done
top=$(cd "$q_srcdir/../.." && pwd)
required="de es fr it ja nl pt_BR ru sv uk zh_CN"
linguas=$(sed -e 's/#.*//' "$top/po/LINGUAS" | tr -s ' \t\n' ' ')

for l in $required; do
	case " $linguas " in
	*" $l "*) ;;
	*) q_check_fail "po/LINGUAS lacks $l" ;;
	esac
done

# Every source file that marks a message is in POTFILES.in.  The setgid
# helper (drop.c, drop_main.c) runs with an emptied environment and never
# calls setlocale: its messages are English on purpose.
for f in "$top"/src/*.c; do
	rel=src/${f##*/}
	case $rel in src/drop.c|src/drop_main.c) continue ;; esac
	grep -q -e '[^A-Za-z0-9_]N\{0,1\}_("' "$f" || continue
	grep -qx "$rel" "$top/po/POTFILES.in" ||
		q_check_fail "po/POTFILES.in lacks $rel"
done

(cd "$top" && xgettext --default-domain=smtpsend --directory=. \
	--keyword=_ --keyword=N_ --from-code=UTF-8 \
	--files-from=po/POTFILES.in -o "$T/smtpsend.pot") ||
	q_error "xgettext failed"
q_ok "template: $(grep -c '^msgid ' "$T/smtpsend.pot") messages"

for l in $linguas; do
	po=$top/po/$l.po
	if [ ! -f "$po" ]; then
		q_check_fail "po/$l.po is missing"
		continue
	fi
	if ! msgmerge --quiet -o "$T/$l.po" "$po" "$T/smtpsend.pot" \
		2>"$T/$l.err"; then
		q_check_fail "po/$l.po: msgmerge failed"
		q_dump "$T/$l.err"
		continue
	fi
	if ! msgfmt -c --statistics -o /dev/null "$T/$l.po" \
		>"$T/$l.stat" 2>&1; then
		q_check_fail "po/$l.po: msgfmt -c failed"
		q_dump "$T/$l.stat"
		continue
	fi
	if grep -q -e fuzzy -e untranslated "$T/$l.stat"; then
		q_check_fail "po/$l.po is not complete: $(cat "$T/$l.stat")"
		msgattrib --only-fuzzy "$T/$l.po" 2>/dev/null |
			grep '^msgid' | head -n 5 >&2
		msgattrib --untranslated "$T/$l.po" 2>/dev/null |
			grep '^msgid' | head -n 5 >&2
	else
		q_ok "po/$l.po: $(cat "$T/$l.stat")"
	fi
	python3 "$q_srcdir/tokens.py" "$T/$l.po" "po/$l.po" ||
		q_check_fail "po/$l.po changes names that must stay as they are"
done
q_done
