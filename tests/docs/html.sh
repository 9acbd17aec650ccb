#!/bin/sh
# "make html" (doc/make-html.sh) renders every page, and no link of the
# HTML pages points to a page that is not there:
#
# 1. doc/make-html.sh, run as the top Makefile's html-local runs it (on the
#    sources and the built man pages), into a directory of its own;
# 2. every page is produced: README, doc/*.md, doc/manual/*.md,
#    contrib/README and the two man pages, each with its headings (<h1>,
#    <h2>: the renderer did render), and index.html links to each;
# 3. every relative link (href) of every page names a file that exists.
#
# cmark-gfm and mandoc must be installed (.ci/run installs them): the test
# fails without them.
. "$(dirname "$0")/../queue/lib.sh"

top=$(cd "$q_srcdir/../.." && pwd) || q_error "no source directory"
[ -n "${SMTPSEND_MANDIR:-}" ] || q_error "SMTPSEND_MANDIR is not set"
for tool in cmark-gfm mandoc; do
	command -v "$tool" >/dev/null 2>&1 ||
		q_fail "$tool is not installed (apt-get install $tool)"
done
man1=$SMTPSEND_MANDIR/smtpsend.1
man5=$SMTPSEND_MANDIR/smtpsendrc.5
[ -f "$man1" ] && [ -f "$man5" ] || q_error "no built man pages in $SMTPSEND_MANDIR"

# 1. Render.
out=$T/html
if ! sh "$top/doc/make-html.sh" "$top" "$out" "$man1" "$man5" \
	>"$T/make-html.out" 2>"$T/make-html.err"; then
	q_dump "$T/make-html.err"
	q_fail "doc/make-html.sh failed"
fi

# 2. Every page.
pages=README.html
for f in "$top"/doc/*.md "$top"/doc/manual/*.md; do
	rel=${f#"$top"/}
	pages="$pages ${rel%.md}.html"
done
pages="$pages contrib/README.html man/smtpsend.1.html man/smtpsendrc.5.html"
n=0
for p in $pages; do
	n=$((n + 1))
	if [ ! -s "$out/$p" ]; then
		q_check_fail "$p was not produced"
		continue
	fi
	grep -q '<h[12][ >]' "$out/$p" ||
		q_check_fail "$p has no heading (not rendered?)"
	grep -q "href=\"$p\"" "$out/index.html" ||
		q_check_fail "index.html does not link to $p"
done
q_ok "$n pages produced"
grep -q 'OPTIONS' "$out/man/smtpsend.1.html" ||
	q_check_fail "man/smtpsend.1.html has no OPTIONS section"

# 3. Every relative link.
find "$out" -name '*.html' | sort >"$T/all"
nl=0
while IFS= read -r page; do
	dir=${page%/*}
	grep -o 'href="[^"]*"' "$page" | sed -e 's/^href="//' -e 's/"$//' |
		sort -u >"$T/links"
	while IFS= read -r target; do
		case $target in
		''|\#*|*:*) continue ;;
		esac
		nl=$((nl + 1))
		file=${target%%#*}
		[ -f "$dir/$file" ] ||
			q_check_fail "${page#"$out"/}: the link $target points to a missing page"
	done <"$T/links"
done <"$T/all"
[ "$nl" -gt 0 ] || q_fail "no relative link found"
q_ok "$nl relative links checked in $(wc -l <"$T/all") pages"

q_done
