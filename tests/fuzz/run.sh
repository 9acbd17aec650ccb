#!/bin/sh
# run.sh [SECONDS_PER_TARGET] - run every libFuzzer target of tests/fuzz:
# first over its regression inputs (regressions/NAME/: every crash ever
# found), then over its seed corpus (corpus/NAME/), then fuzz it for
# SECONDS_PER_TARGET seconds (default 20) starting from a temporary copy
# of both, so that the committed corpus never grows.  Exits 1 when any
# target crashed (an invariant broken, a sanitizer error, a leak, a
# time-out of 10 s on one input or more than 1024 MiB), and prints the
# input that reproduces it: "fuzz_NAME FILE" runs it again.
#
# The targets are looked for in $FUZZ_BIN_DIR, else ./tests/fuzz (the top
# of a build directory), else . and the directory of this script; build
# them with ./configure --enable-fuzzing CC=clang (see README).
# FUZZ_TARGETS="addr conf" runs only those; crash inputs and logs go to
# $FUZZ_ARTIFACTS (default ./fuzz-artifacts).
set -u

secs=${1:-20}
case $secs in
'' | *[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET]" >&2; exit 2 ;;
esac
src=$(cd "$(dirname "$0")" && pwd)
targets=${FUZZ_TARGETS:-}
if [ -z "$targets" ]; then
	# every fuzz_NAME.c next to this script is a target
	for f in "$src"/fuzz_*.c; do
		f=${f##*/fuzz_}
		targets="$targets ${f%.c}"
	done
fi
opts="-rss_limit_mb=1024 -timeout=10"

bin=${FUZZ_BIN_DIR:-}
if [ -z "$bin" ]; then
	for d in ./tests/fuzz . "$src"; do
		if [ -x "$d/fuzz_reply" ]; then
			bin=$d
			break
		fi
	done
fi
if [ -z "$bin" ] || [ ! -x "$bin/fuzz_reply" ]; then
	echo "$0: no fuzz targets found; build them in a separate build" \
	     "directory with ../configure --enable-fuzzing CC=clang && make" >&2
	exit 2
fi
bin=$(cd "$bin" && pwd)
art=${FUZZ_ARTIFACTS:-$PWD/fuzz-artifacts}
mkdir -p "$art" || exit 2
art=$(cd "$art" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/smtpsend-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
mkdir "$work/tmp"
# the targets' own temporary files (fuzz_bs, fuzz_conf) go below $work
TMPDIR=$work/tmp
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export TMPDIR UBSAN_OPTIONS
limit=""
command -v timeout >/dev/null 2>&1 && limit="timeout -k 10 $((secs * 2 + 120))"

failed=0
summary=""

# inputs DIR - the input files of DIR (none when it does not exist).
inputs() {
	[ -d "$1" ] || return 0
	find "$1" -type f ! -name '.*' ! -name README | LC_ALL=C sort
}

# replay NAME WHAT DIR - run fuzz_NAME once on each input of DIR.
replay() {
	files=$(inputs "$3")
	[ -n "$files" ] || return 0
	log=$art/$1-$2.log
	# shellcheck disable=SC2086
	if ! "$bin/fuzz_$1" $opts -artifact_prefix="$art/$1-" $files \
	    >"$log" 2>&1; then
		culprit=$(sed -n 's/^Running: //p' "$log" | tail -n 1)
		echo "FAIL fuzz_$1 on its $2: $culprit" >&2
		tail -n 30 "$log" >&2
		echo "reproduce: $bin/fuzz_$1 $culprit (log: $log)" >&2
		return 1
	fi
	echo "$files" | wc -l | tr -d ' '
}

# fuzz NAME - fuzz for $secs seconds from a copy of the corpus.
fuzz() {
	dir=$work/corpus/$1
	log=$art/$1-fuzz.log
	mkdir -p "$dir"
	for f in $(inputs "$src/corpus/$1") $(inputs "$src/regressions/$1"); do
		cp "$f" "$dir/"
	done
	start=$(date +%s)
	# shellcheck disable=SC2086
	$limit "$bin/fuzz_$1" $opts -max_total_time="$secs" \
		-print_final_stats=1 -artifact_prefix="$art/$1-" "$dir" \
		>"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ $rc -ne 0 ]; then
		crash=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
		echo "FAIL fuzz_$1 while fuzzing (exit $rc): ${crash:-no input saved}" >&2
		tail -n 40 "$log" >&2
		[ -n "$crash" ] && echo "reproduce: $bin/fuzz_$1 $crash" >&2
		echo "log: $log" >&2
		return 1
	fi
	echo "$took s, ${runs:-?} runs"
}

for t in $targets; do
	if [ ! -x "$bin/fuzz_$t" ] && [ "$t" = oauth2 ]; then
		echo "fuzz_oauth2: skipped (a build made with --without-oauth2)"
		continue
	fi
	if [ ! -x "$bin/fuzz_$t" ]; then
		echo "FAIL: $bin/fuzz_$t is missing" >&2
		failed=1
		continue
	fi
	echo "fuzz_$t: regressions, corpus, then $secs s of fuzzing"
	# (each runs in a subshell: a failure is seen by its status)
	nreg=$(replay "$t" regressions "$src/regressions/$t") ||
		{ failed=1; continue; }
	ncorp=$(replay "$t" corpus "$src/corpus/$t") ||
		{ failed=1; continue; }
	res=$(fuzz "$t") || { failed=1; continue; }
	line=$(printf '%-14s %3s regressions %3s seeds  %s' "fuzz_$t" \
	       "${nreg:-0}" "${ncorp:-0}" "$res")
	echo "  $line"
	summary="$summary  $line
"
done
echo "summary:"
printf '%s' "$summary"
if [ $failed -ne 0 ]; then
	echo "run.sh: a fuzz target failed; see above for the input" >&2
	exit 1
fi
echo "run.sh: every target passed"
