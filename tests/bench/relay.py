#!/usr/bin/env python3
"""relay.py - forward TCP connections from ADDR:PORT to 127.0.0.1:TO.

    relay.py ADDR PORT TO

smtpmock listens on 127.0.0.1 only; in the server's network namespace of
the round-trip workloads this makes it reachable from the client's.  Each
read is written on at once (TCP_NODELAY both ways), so the flights on the
link are the server's.  It stops after 300 s without a new connection or
after 100000 connections.
"""
import socket
import sys
import threading


def pipe(src, dst):
    try:
        while True:
            b = src.recv(262144)
            if not b:
                break
            dst.sendall(b)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def serve(c, to):
    try:
        s = socket.create_connection(("127.0.0.1", to), 10)
    except OSError:
        c.close()
        return
    s.settimeout(None)
    for x in (c, s):
        x.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    t = threading.Thread(target=pipe, args=(s, c), daemon=True)
    t.start()
    pipe(c, s)
    t.join(600)
    c.close()
    s.close()


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: relay.py ADDR PORT TO")
    addr, port, to = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(64)
    ls.settimeout(300)
    for _ in range(100000):
        try:
            c, _ = ls.accept()
        except socket.timeout:
            break
        threading.Thread(target=serve, args=(c, to), daemon=True).start()


if __name__ == "__main__":
    main()
