#!/usr/bin/env python3
"""Multithreaded decode time against where the host put the two vCPUs (docs/threads.md).

Alternates, ROUNDS times: the core-to-core round trip of bench/core_latency.c (one cache line
between CPUs 0 and 1), then one DECODER run at --threads 2 (wall and user+sys CPU), then one at
--threads 1. Prints every round, then the rounds grouped by round trip (below NEAR ns: the two
vCPUs share a last-level cache; above FAR ns: they do not), with the median 2-thread wall time
and speed-up of each group, and the correlation of round trip and 2-thread wall time.

    python3 bench/threads_placement.py [--rounds 40] [--near 100] [--far 200]
        [--vp8dec upstream-c/build/vp8dec] [--stage safe] S.ivf

--stage runs the Rust vp8dec (target/release/vp8dec, or --rust-vp8dec) with that stage instead of
the C CLI.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def build_probe(tmp):
    exe = os.path.join(tmp, "core_latency")
    src = os.path.join(HERE, "core_latency.c")
    subprocess.run(["cc", "-O2", "-pthread", "-o", exe, src], check=True)
    return exe


def timed(cmd):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        sys.exit(f"{' '.join(cmd)} failed ({status})")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--near", type=float, default=100.0, help="round trips below this (ns) count as near")
    ap.add_argument("--far", type=float, default=200.0, help="round trips above this (ns) count as far")
    ap.add_argument("--vp8dec", default="upstream-c/build/vp8dec")
    ap.add_argument("--stage", help="use target/release/vp8dec --stage STAGE instead of the C CLI")
    ap.add_argument("--rust-vp8dec", default="target/release/vp8dec",
                    help="the Rust vp8dec that --stage runs (e.g. a scratch build to compare)")
    ap.add_argument("stream")
    a = ap.parse_args()
    if (os.cpu_count() or 1) < 2:
        sys.exit("threads_placement: needs two CPUs")
    base = [a.rust_vp8dec, "--stage", a.stage] if a.stage else [a.vp8dec]
    decode = base + ["-i", a.stream, "--muxer", "null", "-q", "--threads"]
    with tempfile.TemporaryDirectory() as tmp:
        probe = build_probe(tmp)
        rows = []
        print("| round | round trip (ns) | wall 2 threads (s) | CPU 2 threads (s) | wall 1 thread (s) | speed-up |")
        print("|--:|--:|--:|--:|--:|--:|")
        for r in range(a.rounds):
            rt = float(subprocess.run([probe], check=True, capture_output=True, text=True).stdout)
            w2, c2 = timed(decode + ["2"])
            w1, _ = timed(decode + ["1"])
            rows.append((rt, w2, c2, w1))
            print(f"| {r} | {rt:.0f} | {w2:.3f} | {c2:.3f} | {w1:.3f} | {w1 / w2:.2f}x |", flush=True)
    print()
    print("| round trip | rounds | wall 2 threads, median (s) | speed-up, median | CPU 2 threads, median (s) |")
    print("|---|--:|--:|--:|--:|")
    groups = [(f"near (< {a.near:.0f} ns)", lambda x: x < a.near),
              (f"between", lambda x: a.near <= x <= a.far),
              (f"far (> {a.far:.0f} ns)", lambda x: x > a.far)]
    for name, pick in groups:
        g = [row for row in rows if pick(row[0])]
        if g:
            print(f"| {name} | {len(g)} | {statistics.median(x[1] for x in g):.3f} | "
                  f"{statistics.median(x[3] / x[1] for x in g):.2f}x | {statistics.median(x[2] for x in g):.3f} |")
    if len(rows) > 2 and len({row[0] for row in rows}) > 1:
        print(f"\ncorrelation of round trip and 2-thread wall time: "
              f"{statistics.correlation([x[0] for x in rows], [x[1] for x in rows]):.2f}")


if __name__ == "__main__":
    main()
