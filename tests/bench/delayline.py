#!/usr/bin/env python3
"""delayline.py - a wire with a delay, between two TUN devices.

    delayline.py TUN_A TUN_B DELAY_MS READY_FILE

Creates the TUN devices TUN_A and TUN_B (IP packets, no header), writes
READY_FILE once they exist (so the caller can move them into network
namespaces and give them addresses), then passes every packet read from
one to the other DELAY_MS milliseconds later, in order.  It is the round
trip workloads' replacement for "tc qdisc ... netem delay" on kernels
built without sch_netem.  It stops on SIGTERM or after an hour.
"""
import fcntl
import heapq
import os
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(),
                                           IFF_TUN | IFF_NO_PI))
    os.set_blocking(fd, False)
    return fd


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: delayline.py TUN_A TUN_B DELAY_MS READY_FILE")
    a, b = tun(sys.argv[1]), tun(sys.argv[2])
    delay = float(sys.argv[3]) / 1000.0
    with open(sys.argv[4], "w") as f:
        f.write("ready\n")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    peer = {a: b, b: a}
    queue = []                  # (due, sequence, fd to write, packet)
    seq = 0
    end = time.monotonic() + 3600
    while time.monotonic() < end:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, fd, pkt = heapq.heappop(queue)
            try:
                os.write(fd, pkt)
            except OSError:
                pass            # the device is down: the packet is lost
        timeout = max(0.0, queue[0][0] - now) if queue else 1.0
        ready, _, _ = select.select([a, b], [], [], timeout)
        for fd in ready:
            for _ in range(256):
                try:
                    pkt = os.read(fd, 65536)
                except (BlockingIOError, OSError):
                    break
                seq += 1
                heapq.heappush(queue, (time.monotonic() + delay, seq,
                                       peer[fd], pkt))


if __name__ == "__main__":
    main()
