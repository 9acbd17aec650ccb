#!/bin/sh
# lint.sh - the coding rules of doc/CODING_STYLE.md that a machine can
# check, over src/ (and the headers' guards): lines of at most 80 columns
# (tabs at 8), complete include guards, the include order, functions of
# at most 80 lines, and no exit() or printing on standard error outside
# main.c, report.c and log.c (xalloc.c may exit when memory runs out, and
# cmd.c's child may _exit).
#
#   sh tests/lint.sh [SRCDIR]        (default: the src/ next to tests/)
#
# Prints one line per problem ("src/FILE:LINE: what") and exits 1 when
# there is any, 0 when there is none.
LC_ALL=C
export LC_ALL
src=${1:-$(dirname "$0")/../src}
[ -d "$src" ] || { echo "lint.sh: no directory $src" >&2; exit 2; }
out=$(mktemp) || exit 2
trap 'rm -f "$out"' EXIT

# 1. 80 columns, tabs expanded
for f in "$src"/*.c "$src"/*.h; do
	expand -t 8 "$f" | awk -v f="$f" \
		'length > 80 { printf "%s:%d: %d columns (at most 80)\n", f, NR, length }'
done >>"$out"

# 2. include guards: #ifndef SMTPSEND_NAME_H, #define SMTPSEND_NAME_H
# before any code, #endif as the last line
for f in "$src"/*.h; do
	case ${f##*/} in gettext.h) continue ;; esac
	g=SMTPSEND_$(echo "${f##*/}" | tr 'a-z.' 'A-Z_')
	awk -v f="$f" -v g="$g" '
	/^#ifndef / && !seen { seen = 1; if ($2 != g) bad = "guard " $2 ", expected " g; next }
	seen == 1 && /^#define / { seen = 2; if ($2 != g) bad = "#define " $2 ", expected " g; next }
	!seen && /^[^\/ *]/ { bad = "code before the include guard" }
	{ last = $0; if ($0 ~ /^#endif/) endifs = NR }
	END {
		if (seen < 2) bad = "no include guard " g
		if (last !~ /^#endif/) bad = "the include guard does not close on the last line"
		if (bad != "") printf "%s: %s\n", f, bad
	}' "$f"
done >>"$out"

# 3. include order in .c files: <config.h> first, then the system headers,
# then the project's ("..."), each block (lines without a blank between
# them) in alphabetical order
for f in "$src"/*.c; do
	awk -v f="$f" '
	/^$/ { last = "" }      # a blank line starts a block (libraries)
	/^#include/ {
		n++
		h = $2
		if (n == 1 && h != "<config.h>") printf "%s:%d: <config.h> must come first\n", f, NR
		if (n == 1) next
		kind = substr(h, 1, 1) == "<" ? 1 : 2
		if (kind < lastkind) printf "%s:%d: %s: system headers go before the project'"'"'s\n", f, NR, h
		else if (kind == lastkind && h < last) printf "%s:%d: %s after %s: not in alphabetical order\n", f, NR, h, last
		lastkind = kind
		last = h
	}' "$f"
done >>"$out"

# 4. functions of at most 80 lines, "{" to "}" in column 1
for f in "$src"/*.c; do
	awk -v f="$f" '
	/^[a-z_][a-z0-9_]*\(/ { name = $0; sub(/\(.*/, "", name) }
	/^\{/ { start = NR }
	/^\}/ && start { n = NR - start + 1; if (n > 80) printf "%s:%d: %s has %d lines (at most 80)\n", f, start, name, n; start = 0 }
	' "$f"
done >>"$out"

# 5. exit() and standard error: main.c, report.c and log.c only (and
# drop_main.c, the main of the setgid helper, which links neither)
for f in "$src"/*.c; do
	case ${f##*/} in main.c|drop_main.c|report.c|log.c) continue ;; esac
	awk -v f="$f" -v base="${f##*/}" '
	/(^|[^_a-z])exit\(/ && base != "xalloc.c" { printf "%s:%d: exit() below main\n", f, NR }
	/fprintf\(stderr|fputs\(.*stderr|perror\(/ && base != "xalloc.c" { printf "%s:%d: standard error written outside main, report and log\n", f, NR }
	' "$f"
done >>"$out"

if [ -s "$out" ]; then
	cat "$out"
	echo "lint.sh: $(wc -l <"$out" | tr -d ' ') problem(s)" >&2
	exit 1
fi
exit 0
