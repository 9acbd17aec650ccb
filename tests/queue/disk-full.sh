#!/bin/sh
# A full disk under the queue (a 256 KiB tmpfs, so root only; exit 77
# otherwise).  The promise of doc/queue-format.md: a message is either a
# complete entry (ID.eml and ID.env in msg/) or stays with the caller, who
# is told so (exit 74, "cannot queue the message: ...; ... stays with the
# caller"); never half an entry, never a leftover in tmp/.
#
#  a. A message larger than the free space, to a server that is down: the
#     spool file cannot be written.  Exit 74, "cannot queue" and "stays
#     with the caller", msg/ and tmp/ empty.
#  b. A message that fits exactly, but then the ID.env does not: the
#     commit fails half way.  Exit 74, the same words, msg/ and tmp/ empty.
#  c. An entry already queued, then the disk fills up, then a flush to a
#     server that is still down: the flush cannot rewrite the ID.env (its
#     attempt count, next attempt).  The entry stays intact: both files,
#     the old ID.env still parses and is listed, nothing left in tmp/.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || q_skip "needs root (mounts a small tmpfs)"
command -v truncate >/dev/null 2>&1 || q_skip "truncate(1) is needed"

MNT=$T/mnt
mkdir -p "$MNT" || q_error "cannot make $MNT"
d_mounted=
d_cleanup() {
	d_rc=$?
	[ -n "$d_mounted" ] && umount "$MNT" 2>/dev/null
	(exit "$d_rc")
	q_cleanup
}
trap d_cleanup EXIT
mount -t tmpfs -o size=256k,mode=0700 tmpfs "$MNT" 2>"$T/mount.err" \
	|| q_skip "cannot mount a tmpfs: $(cat "$T/mount.err")"
d_mounted=yes

QD=$MNT/queue
DOWN=$(q_closed_port)
send_opts="--queue-dir=$QD $Q_SEND_OPTS --host=127.0.0.1 --port=$DOWN"

# free_kib - the free space of the tmpfs in KiB.
free_kib() { df -k "$MNT" | awk 'NR == 2 { print $4 }'; }

# fill - take all free space of the tmpfs (the file filler), then give
# back $1 pages of 4 KiB.
fill() {
	rm -f "$MNT/filler"
	dd if=/dev/zero of="$MNT/filler" bs=4096 >/dev/null 2>&1
	[ "$1" -gt 0 ] && truncate -s "-$(($1 * 4096))" "$MNT/filler"
	q_log "free: $(free_kib) KiB"
}

# nothing_left WHAT - msg/ and tmp/ of the queue hold no file.
nothing_left() {
	n_left=$(ls -A "$QD/msg" "$QD/tmp" 2>/dev/null | grep -v -e '^$' -e ':$')
	if [ -z "$n_left" ]; then
		q_ok "$1: nothing left in msg/ and tmp/"
	else
		q_check_fail "$1: files left in the queue: $(echo $n_left)"
		ls -l "$QD/msg" "$QD/tmp" >&2
	fi
}

# big_msg TESTID KIB - a message of about KIB KiB (CRLF line ends).
big_msg() {
	q_msg "$1" | sed 's/$/\r/'
	awk -v n="$2" 'BEGIN {
		for (i = 0; i < n * 16; i++)
			printf "%063d\r\n", i
	}'
}

# ---------------------------------------------------------------------------
# a. The spool file does not fit.
big_msg full-a 400 >"$T/a.msg"
# shellcheck disable=SC2086
"$SMTPSEND" $send_opts a@example.net <"$T/a.msg" >"$T/a.out" 2>"$T/a.err"
rc=$?
q_log "a: exit $rc, stderr: $(cat "$T/a.err")"
q_expect_eq "a (400 KiB into 256 KiB): exit status" 74 "$rc"
q_expect_grep "a: stderr: cannot queue" "$T/a.err" 'cannot queue'
q_expect_grep "a: stderr: stays with the caller" "$T/a.err" \
	'stays with the caller'
nothing_left a

# ---------------------------------------------------------------------------
# b. The spool file fits exactly, the ID.env does not.  First measure the
# spool file: the same message queued with room to spare.
rm -rf "$QD"
big_msg full-b 16 >"$T/b.msg"
# shellcheck disable=SC2086
"$SMTPSEND" $send_opts b@example.net <"$T/b.msg" >"$T/b0.out" 2>"$T/b0.err"
rc=$?
[ "$rc" = 0 ] || { q_dump "$T/b0.err"; q_error "b: queueing with room failed ($rc)"; }
b_id=$(q_entries "$QD" | head -n 1)
[ -n "$b_id" ] || q_error "b: no entry with room to spare"
b_size=$(wc -c <"$QD/msg/$b_id.eml" | tr -d ' ')
b_pages=$(((b_size + 4095) / 4096))
q_log "b: the spool file is $b_size bytes, $b_pages pages"
rm -rf "$QD"
# the queue's directories first (they take no pages on tmpfs), then fill
mkdir -p "$QD/msg" "$QD/tmp" "$QD/failed"
fill "$b_pages"
# shellcheck disable=SC2086
"$SMTPSEND" $send_opts b@example.net <"$T/b.msg" >"$T/b.out" 2>"$T/b.err"
rc=$?
q_log "b: exit $rc, stderr: $(cat "$T/b.err")"
q_expect_eq "b (ID.env does not fit): exit status" 74 "$rc"
q_expect_grep "b: stderr: cannot queue" "$T/b.err" 'cannot queue'
q_expect_grep "b: stderr: stays with the caller" "$T/b.err" \
	'stays with the caller'
q_expect_nogrep "b: stderr: not claimed as queued" "$T/b.err" 'queued as'
nothing_left b
rm -f "$MNT/filler"

# ---------------------------------------------------------------------------
# c. A queued entry, a full disk, a flush that cannot rewrite the ID.env.
rm -rf "$QD"
q_msg full-c >"$T/c.msg"
# shellcheck disable=SC2086
"$SMTPSEND" $send_opts c@example.net <"$T/c.msg" >"$T/c0.out" 2>"$T/c0.err"
rc=$?
[ "$rc" = 0 ] || { q_dump "$T/c0.err"; q_error "c: queueing failed ($rc)"; }
c_id=$(q_entries "$QD" | head -n 1)
[ -n "$c_id" ] || q_error "c: no entry"
cp "$QD/msg/$c_id.env" "$T/c.env.before"
fill 0
"$SMTPSEND" --queue-dir="$QD" --queue-flush --force --port="$DOWN" \
	>"$T/c.out" 2>"$T/c.err"
rc=$?
q_log "c: the flush exits $rc, stderr: $(cat "$T/c.err")"
q_expect_eq "c: msg/$c_id.eml still there" yes \
	"$([ -f "$QD/msg/$c_id.eml" ] && echo yes || echo no)"
q_expect_eq "c: msg/$c_id.env still there" yes \
	"$([ -f "$QD/msg/$c_id.env" ] && echo yes || echo no)"
if [ -f "$QD/msg/$c_id.env" ] && [ ! -s "$QD/msg/$c_id.env" ]; then
	q_check_fail "c: msg/$c_id.env is empty (truncated in place?)"
fi
"$SMTPSEND" --queue-dir="$QD" --queue-list >"$T/c.list" 2>&1
q_expect_eq "c: --queue-list: exit status" 0 $?
q_expect_grep "c: --queue-list shows the entry" "$T/c.list" "^$c_id "
q_expect_nogrep "c: --queue-list: no unreadable entry" "$T/c.list" \
	'unreadable'
q_expect_eq "c: tmp/ is empty" "" "$(ls -A "$QD/tmp")"
rm -f "$MNT/filler"

[ "$q_failures" -gt 0 ] && q_dump "$T/a.err" "$T/b.err" "$T/c.err" "$T/c.list"
q_done
