#!/usr/bin/env python3
"""Wall-time speed-up and CPU-time overhead of multithreaded decoding (docs/threads.md).

For each stream, ROUNDS rounds; each round runs every command once, in a fresh random order (so
load changes on a shared machine hit all commands alike), and records the wall time and the
child's user+sys CPU time. Per stream and decoder it prints, over the rounds, the medians and the
interquartile range of wall(1 thread) / wall(N threads) and cpu(N threads) / cpu(1 thread),
each ratio taken within a round. A control command in the same rounds measures what the machine
gives at that moment: two independent 1-thread C decodes of the stream started together; its
"speed-up" 2 x wall(one decode) / wall(both) is the ceiling any 2-thread decoder can reach then
(2.0 on an idle 2-core machine).

Independent processes do not show where the host put the vCPUs, but a threaded decoder does
(docs/threads.md): before and after each round the script measures the core-to-core round trip
of one cache line (bench/core_latency.c), and a round counts as "near" when both are below
--near ns. The last column is the speed-up over the near rounds only.

    python3 bench/threads.py [--rounds 15] [--threads 2] [--vp8dec upstream-c/build/vp8dec]
                             [--stages c,transpiled,safe] S.ivf...
"""
import argparse
import os
import random
import statistics
import subprocess
import tempfile
import time


def run(cmd):
    """Wall seconds and the child's user+sys CPU seconds of one run (output discarded)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{cmd} failed ({status})")
    return wall, usage.ru_utime + usage.ru_stime


def run_pair(cmd):
    """Wall seconds of two copies of cmd started together (the machine's parallelism now)."""
    start = time.perf_counter()
    procs = [subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL) for _ in range(2)]
    for p in procs:
        if p.wait() != 0:
            raise SystemExit(f"{cmd} failed")
    return time.perf_counter() - start, 0.0


def build_probe(tmp):
    """bench/core_latency.c, compiled into tmp."""
    exe = os.path.join(tmp, "core_latency")
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "core_latency.c")
    subprocess.run(["cc", "-O2", "-pthread", "-o", exe, src], check=True)
    return exe


def round_trip(probe):
    return float(subprocess.run([probe], check=True, capture_output=True, text=True).stdout)


def quartiles(xs):
    q = statistics.quantiles(xs, n=4) if len(xs) > 1 else [xs[0]] * 3
    return q[0], statistics.median(xs), q[2]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--vp8dec", default="upstream-c/build/vp8dec")
    ap.add_argument("--no-peers", action="store_true", help="only the C CLI")
    ap.add_argument("--stages", default="",
                    help="also these stages through the Rust vp8dec (e.g. c,transpiled,safe)")
    ap.add_argument("--rust-vp8dec", default="target/release/vp8dec")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--near", type=float, default=100.0,
                    help="core-to-core round trip (ns) below which a round counts as near")
    ap.add_argument("streams", nargs="+")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    decoders = {
        "c": lambda s, t: [a.vp8dec, "-q", "-i", s, "--muxer", "null", "--threads", str(t)],
    }
    for st in filter(None, a.stages.split(",")):
        decoders[f"vp8dec --stage {st}"] = (
            lambda st: lambda s, t: [a.rust_vp8dec, "-q", "--stage", st, "-i", s, "--muxer", "null",
                                     "--threads", str(t)])(st)
    if not a.no_peers:
        decoders["vpxdec"] = lambda s, t: ["vpxdec", "--noblit", f"--threads={t}", s]
        decoders["ffmpeg"] = lambda s, t: ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
                                           "-threads", str(t), "-i", s, "-f", "null", "-"]
    tmp = tempfile.TemporaryDirectory()
    probe = build_probe(tmp.name)
    print(f"rounds {a.rounds}, threads 1 vs {a.threads}, seed {a.seed}, near below {a.near:.0f} ns")
    print("| stream | decoder | wall 1 thread (s) | wall speed-up, median [IQR] | CPU overhead, median [IQR] "
          "| speed-up, near rounds: median [IQR] (rounds) |")
    print("|---|---|--:|--:|--:|--:|")
    for s in a.streams:
        cmds = [(d, t) for d in decoders for t in (1, a.threads)] + [("pair", 1)]
        samples = {c: [] for c in cmds}
        near = []
        for _ in range(a.rounds):
            before = round_trip(probe)
            order = cmds[:]
            rng.shuffle(order)
            for d, t in order:
                if d == "pair":
                    samples[(d, t)].append(run_pair(decoders["c"](s, 1)))
                else:
                    samples[(d, t)].append(run(decoders[d](s, t)))
            near.append(max(before, round_trip(probe)) < a.near)
        name = os.path.basename(s).split("-")[0]
        for d in decoders:
            one, many = samples[(d, 1)], samples[(d, a.threads)]
            speed = [o[0] / m[0] for o, m in zip(one, many)]
            over = [m[1] / o[1] for o, m in zip(one, many)]
            lo, med, hi = quartiles(speed)
            clo, cmed, chi = quartiles(over)
            wall1 = statistics.median(o[0] for o in one)
            close = [x for x, n in zip(speed, near) if n]
            if close:
                nlo, nmed, nhi = quartiles(close)
                ncol = f"{nmed:.2f}x [{nlo:.2f}, {nhi:.2f}] ({len(close)})"
            else:
                ncol = "- (0)"
            print(f"| {name} | {d} | {wall1:.3f} | {med:.2f}x [{lo:.2f}, {hi:.2f}] | "
                  f"{cmed:.3f} [{clo:.3f}, {chi:.3f}] | {ncol} |", flush=True)
        ceiling = [2 * o[0] / p[0] for o, p in zip(samples[("c", 1)], samples[("pair", 1)])]
        lo, med, hi = quartiles(ceiling)
        print(f"| {name} | control: 2 independent 1-thread decodes | | {med:.2f}x [{lo:.2f}, {hi:.2f}] | | "
              f"{sum(near)} of {len(near)} rounds near |", flush=True)


if __name__ == "__main__":
    main()
