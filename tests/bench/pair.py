#!/usr/bin/env python3
"""pair.py - time two commands in alternation and print table rows.

    pair.py [options] -- COMMAND_A... [--- COMMAND_B...]
    pair.py --row LABEL METRIC UNIT "A VALUES" "B VALUES"

COMMAND_A is smtpsend, COMMAND_B msmtp (or msmtpq); without "--- ..." the
B column says "-".  The commands run one after the other, A then B, COUNT
times (a pair at a time), after one untimed warm-up run of each, so a
change of the machine's load hits both alike.  Each run gets --stdin as its
standard input and /dev/null as its output; --prep-a / --prep-b are shell
commands run (untimed) before each run of A / B, e.g. to fill a queue;
--check-a / --check-b after it, and must succeed (e.g. the queue is empty).

Each run goes through runone (runone.c, built next to this file or named
by --runone), which times fork to wait4 and reports the CPU time (user +
system, the process's and its waited-for children's) and ru_maxrss: the
peak RSS of the process (or of the largest of the children it waited
for).  Every measurement prints a wall row and a CPU row; --rss adds a
peak RSS row.  The rows, in doc/performance.md's format, are

    | workload | metric | smtpsend: median (min-max) | msmtp: ... | ratio |

where ratio is the median of the pair-by-pair ratios A/B.  A run that
exits with another status than --status (default 0; "any" accepts all)
stops the measurement: a "failed" row says why (the last lines of its
standard error), and pair.py exits 1.  The --row form prints the row of
values measured elsewhere (round trips, and their sessions' wall time).  A benchmark, not a test: nothing is
compared with a limit.
"""
import argparse
import os
import statistics
import subprocess
import sys


def parse():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit("usage: pair.py [options] -- COMMAND_A... [--- COMMAND_B...]")
    i = argv.index("--")
    opts, cmds = argv[:i], argv[i + 1:]
    p = argparse.ArgumentParser(prog="pair.py")
    p.add_argument("--label", required=True)
    p.add_argument("--count", type=int, default=5)
    p.add_argument("--stdin", default="/dev/null")
    p.add_argument("--unit", choices=["ms", "s", "MiB/s"], default="ms")
    p.add_argument("--bytes", type=int, default=0,
                   help="message size, for --unit MiB/s")
    p.add_argument("--per", type=int, default=1,
                   help="divide each time by this (e.g. messages per run)")
    p.add_argument("--rss", action="store_true", help="add a peak RSS row")
    p.add_argument("--prep-a", default="")
    p.add_argument("--prep-b", default="")
    p.add_argument("--status", default="0")
    p.add_argument("--status-b", default=None)
    p.add_argument("--check-a", default="")
    p.add_argument("--check-b", default="")
    p.add_argument("--no-b", action="store_true",
                   help="leave COMMAND_B out (msmtp not installed or off)")
    p.add_argument("--no-warmup", action="store_true")
    p.add_argument("--runone", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "runone"))
    a = p.parse_args(opts)
    if "---" in cmds:
        j = cmds.index("---")
        a.cmd_a, a.cmd_b = cmds[:j], cmds[j + 1:]
        if a.status_b is None:
            a.status_b = a.status
        if a.no_b:
            a.cmd_b = []
    else:
        a.cmd_a, a.cmd_b = cmds, []
    if not a.cmd_a or a.count < 1:
        sys.exit("pair.py: nothing to run")
    return a


class Failed(Exception):
    pass


def shell(what, label):
    if what and subprocess.run(["sh", "-c", what],
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL).returncode != 0:
        raise Failed("this failed: %s" % what[:120])


def run_once(a, cmd, prep, check, want):
    """One run of cmd through runone: (seconds, peak RSS in KiB, CPU
    seconds)."""
    shell(prep, a.label)
    p = subprocess.run([a.runone, a.stdin] + cmd, check=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, errors="replace")
    out = p.stdout.split()
    ns, rss, code, cpu = int(out[0]), int(out[1]), int(out[2]), int(out[3])
    if want != "any" and code != int(want):
        err = p.stderr.strip().splitlines()[-3:]
        raise Failed("%s exited with %d: %s" % (cmd[0], code,
                                                " / ".join(err)))
    shell(check, a.label)
    return ns / 1e9 / a.per, rss, cpu / 1e9 / a.per


def value(a, secs):
    if a.unit == "MiB/s":
        return a.bytes / 1048576.0 / secs
    return secs * (1000.0 if a.unit == "ms" else 1.0)


def num(x):
    if x == int(x) and x < 1000:
        return "%d" % x
    return "%.0f" % x if x >= 100 else "%.1f" % x if x >= 10 else "%.2f" % x


def cell(xs, unit):
    if not xs:
        return "\u2014"
    med = statistics.median(xs)
    return "%s%s (%s-%s)" % (num(med), " " + unit if unit else "",
                              num(min(xs)), num(max(xs)))


def ratio(xs, ys):
    if not ys:
        return "\u2014"
    return "%.2f" % statistics.median([x / y for x, y in zip(xs, ys)])


def row(label, metric, unit, xs, ys):
    """pair.py --row LABEL METRIC UNIT "A VALUES" "B VALUES": the row of
    values measured elsewhere."""
    xs = [float(x) for x in xs.split()]
    ys = [float(y) for y in ys.split()]
    print("| %s | %s | %s | %s | %s | %d |" % (
        label, metric, cell(xs, unit), cell(ys, unit), ratio(xs, ys),
        len(xs)))


def main():
    if len(sys.argv) == 7 and sys.argv[1] == "--row":
        row(*sys.argv[2:])
        return
    a = parse()
    try:
        measure(a)
    except Failed as e:
        print("| %s | failed | %s | | | |" % (a.label, str(e).replace("|", "/")))
        sys.stdout.flush()
        sys.exit("pair.py: %s: %s" % (a.label, e))


def measure(a):
    if not a.no_warmup:                     # warm-up, not counted
        run_once(a, a.cmd_a, a.prep_a, a.check_a, a.status)
        if a.cmd_b:
            run_once(a, a.cmd_b, a.prep_b, a.check_b, a.status_b)
    ta, tb, ra, rb, ca, cb = [], [], [], [], [], []
    cunit = "s" if a.unit == "s" else "ms"
    for _ in range(a.count):
        t, r, c = run_once(a, a.cmd_a, a.prep_a, a.check_a, a.status)
        ta.append(value(a, t))
        ra.append(r / 1024.0)
        ca.append(c * (1.0 if cunit == "s" else 1000.0))
        if a.cmd_b:
            t, r, c = run_once(a, a.cmd_b, a.prep_b, a.check_b, a.status_b)
            tb.append(value(a, t))
            rb.append(r / 1024.0)
            cb.append(c * (1.0 if cunit == "s" else 1000.0))
    metric = {"ms": "wall", "s": "wall", "MiB/s": "throughput"}[a.unit]
    print("| %s | %s | %s | %s | %s | %d |" % (
        a.label, metric, cell(ta, a.unit), cell(tb, a.unit),
        ratio(ta, tb), a.count))
    print("| %s | CPU (user+sys) | %s | %s | %s | %d |" % (
        a.label, cell(ca, cunit), cell(cb, cunit), ratio(ca, cb), a.count))
    if a.rss:
        print("| %s | peak RSS | %s | %s | %s | %d |" % (
            a.label, cell(ra, "MiB"), cell(rb, "MiB"), ratio(ra, rb),
            a.count))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
