#!/usr/bin/env python3
"""flights.py - count the round trips of a capture.

    tcpdump -r CAPTURE -nn -tt tcp | flights.py CLIENT_ADDRESS RTT_MS

Reads tcpdump's text (one packet a line) and prints the number of round
trips the client waited for: the number of server flights, a server
flight being one or more server packets that carry a SYN or data and come
after a client packet that carried a SYN, data, or the ACK that completes
a handshake.  Pure ACKs, FINs and RSTs do not count: they answer nothing
the client waits for.  A server packet less than half a round trip after
the first of its flight belongs to that flight even when the client sent
something in between (a TLS server's flight written in two parts, the
client answering the first part at once): no answer to that can have come
back yet.  So a plain SMTP session that pipelines MAIL, RCPT,
BDAT LAST and QUIT counts 4: SYN-ACK, greeting, EHLO's reply, the rest.

The capture may be taken on either end of the link: a delay on one side
moves that side's packets later, which keeps every reply after its cause.
"""
import re
import sys

LINE = re.compile(r"^(\S+) IP6? (\S+)\.(\d+) > (\S+)\.(\d+): Flags \[([^\]]*)\]"
                  r".*?length (\d+)")


def count(lines, client, rtt):
    flights = 0
    start = None            # when the current server flight began
    last = None             # "c" or "s": who sent the last packet that counts
    synack = set()          # connections whose SYN-ACK the client has seen
    for line in lines:
        m = LINE.match(line)
        if m is None:
            continue
        ts, src, sport, dst, dport, flags, length = m.groups()
        ts = float(ts)
        from_client = src == client
        conn = (sport, dport) if from_client else (dport, sport)
        counts = "S" in flags or int(length) > 0
        if from_client and conn in synack:
            synack.discard(conn)
            counts = True       # the handshake's ACK: the greeting's cause
        if not from_client and "S" in flags:
            synack.add(conn)
        if not counts:
            continue
        if not from_client and last == "c" and (
                start is None or ts - start >= rtt / 2):
            flights += 1
            start = ts
        last = "c" if from_client else "s"
    return flights


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: flights.py CLIENT_ADDRESS RTT_MS < tcpdump-text")
    print(count(sys.stdin, sys.argv[1], float(sys.argv[2]) / 1000.0))


if __name__ == "__main__":
    main()
