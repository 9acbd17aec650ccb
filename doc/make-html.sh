#!/bin/sh
# make-html.sh - the documentation as HTML pages ("make html").
#
#   sh doc/make-html.sh SRCDIR OUTDIR MANPAGE...
#
# renders, under OUTDIR, SRCDIR's README (as README.html), doc/*.md and
# doc/manual/*.md (doc/NAME.html, doc/manual/NAME.html) and contrib/README
# with cmark-gfm, and the built man pages given (man/NAME.SECTION.html)
# with mandoc, and writes OUTDIR/index.html, which links to them all.  A
# link to a page NAME.md becomes a link to NAME.html, a link to a README
# one to README.html, so that the relative links work between the HTML
# pages as they do between the sources.  Needs cmark-gfm and mandoc (the
# Debian packages of these names); exits 1 with a message without them.
set -eu

if [ $# -lt 2 ]; then
	echo "usage: make-html.sh SRCDIR OUTDIR MANPAGE..." >&2
	exit 2
fi
src=$1
out=$2
shift 2
for tool in cmark-gfm mandoc; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "make-html.sh: $tool is needed (Debian: apt-get install $tool)" >&2
		exit 1
	fi
done

# head TITLE - the start of a page.
head_html() {
	printf '<!DOCTYPE html>\n<html lang="en">\n<head>\n'
	printf '<meta charset="utf-8">\n<title>%s</title>\n' "$1"
	printf '</head>\n<body>\n'
}

# md SOURCE TARGET TITLE - one markdown page, its links to .md pages and to
# READMEs made links to their HTML pages.
md() {
	{
		head_html "$3"
		cmark-gfm --unsafe -e table -e autolink -e strikethrough "$1" |
			sed -e 's|href="\([^":#]*\)\.md\(#[^"]*\)\{0,1\}"|href="\1.html\2"|g' \
			    -e 's|href="\([^":#]*\)README\(#[^"]*\)\{0,1\}"|href="\1README.html\2"|g'
		printf '</body>\n</html>\n'
	} >"$2.tmp"
	mv "$2.tmp" "$2"
	echo "$2"
}

mkdir -p "$out/doc/manual" "$out/contrib" "$out/man"
list=$out/index.list
: >"$list"
md "$src/README" "$out/README.html" "smtpsend" >>"$list"
for f in "$src"/doc/*.md "$src"/doc/manual/*.md; do
	rel=${f#"$src"/}
	md "$f" "$out/${rel%.md}.html" "smtpsend: $rel" >>"$list"
done
md "$src/contrib/README" "$out/contrib/README.html" \
	"smtpsend: contrib/README" >>"$list"
for m in "$@"; do
	name=${m##*/}
	# the man pages name one another as "smtpsendrc(5)": links to the
	# pages made here
	mandoc -Thtml -Ofragment "$m" |
		sed -e 's|<b>smtpsend</b>(1)|<a href="smtpsend.1.html"><b>smtpsend</b></a>(1)|g' \
		    -e 's|<b>smtpsendrc</b>(5)|<a href="smtpsendrc.5.html"><b>smtpsendrc</b></a>(5)|g' \
		    >"$out/man/$name.body"
	{
		head_html "$name"
		cat "$out/man/$name.body"
		printf '</body>\n</html>\n'
	} >"$out/man/$name.html.tmp"
	rm -f "$out/man/$name.body"
	mv "$out/man/$name.html.tmp" "$out/man/$name.html"
	echo "$out/man/$name.html" >>"$list"
done

{
	head_html "smtpsend documentation"
	printf '<h1>smtpsend documentation</h1>\n<ul>\n'
	while IFS= read -r p; do
		rel=${p#"$out"/}
		printf '<li><a href="%s">%s</a></li>\n' "$rel" "${rel%.html}"
	done <"$list"
	printf '</ul>\n</body>\n</html>\n'
} >"$out/index.html.tmp"
mv "$out/index.html.tmp" "$out/index.html"
rm -f "$list"
