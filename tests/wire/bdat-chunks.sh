#!/bin/sh
# bdat-chunks.sh - a large message in BDAT chunks: the chunks are
# pipelined, the data leaves in large writes (>= 64 KiB, at most 256 KiB
# of data each), QUIT follows the last chunk, and the server gets the
# message byte for byte (doc/pipelining.md, "BDAT").
. "$(dirname "$0")/lib.sh"

# the next chunk had arrived before the reply to each of the first three
printf '%%server\nehlo PIPELINING CHUNKING\n%s\n%s\n%s\n' \
	'pipelined BDAT' 'pipelined BDAT' 'pipelined BDAT' >"$T/script"
# 5 MiB + 1000 bytes with CRLF: 81936 lines of 64 bytes, after LF -> CRLF
awk 'BEGIN { for (i = 0; i < 81936; i++)
	printf "%062d\n", i }' >"$T/msg"

w_mock "$T/script"
w_send 32 -f a@example.org r1@example.net <"$T/msg"
w_expect "exit 0" "$RC"
# the chunks the server processed, in order
grep -a '^BDAT ' "$T/rec" | tr -d '\r' >"$T/bdat"
printf 'BDAT 1048576\nBDAT 1048576\nBDAT 1048576\nBDAT 1048576\nBDAT 1048576\nBDAT 1024 LAST\n' \
	| cmp -s - "$T/bdat"
w_expect "six chunks, the last of 1024 bytes" $?
# the data as received: every line, in order
grep -a -v -e '^BDAT ' -e '^EHLO ' -e '^MAIL ' -e '^RCPT ' -e '^QUIT' \
	"$T/rec" | tr -d '\r' | cmp -s - "$T/msg"
w_expect "the message arrived byte for byte" $?
tail -c 6 "$T/rec" | grep -q '^QUIT'
w_expect "QUIT last" $?
# the five 1 MiB chunks are handed to the kernel in 20 writes of 256 KiB
# (the first of each chunk with its BDAT line, 14 bytes), none larger;
# the last chunk (1 KiB) in one write with its BDAT line and QUIT.  What
# counts is the length each write asked for: a write the kernel takes
# only in part is retried with the rest, and how often depends on timing.
sed -n 's/^[a-z]*([0-9]*, ".*"\.*, \([0-9]*\)[,)].*/\1/p' "$T/writes" \
	>"$T/sizes"
big=$(grep -c -x -e 262144 -e 262158 "$T/sizes")
over=$(awk '$1 > 262144 + 14' "$T/sizes" | wc -l | tr -d ' ')
[ "$big" -eq 20 ] && [ "$over" -eq 0 ]
w_expect "20 writes of 256 KiB ($big; $over larger)" $?
! grep 'was not pipelined' "$T/mock.log" >&2
w_expect "chunks pipelined" $?
w_done
