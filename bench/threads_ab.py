#!/usr/bin/env python3
"""Compare builds' threading side by side: each decoder at 1 and at 2 threads in every round.

bench/threads.py measures the committed decoders against the peers; this compares builds of
one decoder (a change to the scheduler, a spin length, a scratch build), so that every build
meets the same host in the same rounds. Per round, in a fresh random order, every NAME=BINARY
runs once at 1 thread and once at 2 (or --threads); the core-to-core round trip is probed before
and after (bench/core_latency.c, docs/threads.md: a round is "near" when both are below --near
ns). Per build it prints the medians and interquartile ranges of wall(1) / wall(N) and
cpu(N) / cpu(1) over all rounds and over the near rounds.

    python3 bench/threads_ab.py [--rounds 15] STREAM.ivf NAME=BINARY[:STAGE] ...

BINARY is a vp8dec-compatible CLI (the C CLI, or the Rust vp8dec with :STAGE for its --stage),
e.g. `old=/tmp/vp8dec-before:safe new=target/release/vp8dec:safe c=upstream-c/build/vp8dec`.
"""
import argparse
import os
import random
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import threads  # noqa: E402  (the runner, probe and quartiles of bench/threads.py)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--near", type=float, default=100.0)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("stream")
    ap.add_argument("builds", nargs="+", metavar="NAME=BINARY[:STAGE]")
    args = ap.parse_args()
    builds = []
    for spec in args.builds:
        name, _, rest = spec.partition("=")
        binary, _, stage = rest.partition(":")
        if not name or not binary:
            ap.error(f"expected NAME=BINARY[:STAGE], got {spec!r}")
        builds.append((name, binary, stage))
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        probe = threads.build_probe(tmp)
        rows = {name: [] for name, _, _ in builds}
        for r in range(args.rounds):
            before = threads.round_trip(probe)
            jobs = [(b, t) for b in builds for t in (1, args.threads)]
            rng.shuffle(jobs)
            got = {}
            for (name, binary, stage), t in jobs:
                cmd = [binary, "-i", args.stream, "--muxer", "null", "-q", "--threads", str(t)]
                if stage:
                    cmd += ["--stage", stage]
                got[name, t] = threads.run(cmd)
            after = threads.round_trip(probe)
            near = max(before, after) < args.near
            line = []
            for name, _, _ in builds:
                (w1, c1), (wn, cn) = got[name, 1], got[name, args.threads]
                rows[name].append((near, w1 / wn, cn / c1))
                line.append(f"{name} {w1 / wn:.2f}x cpu {cn / c1:.3f}")
            print(f"round {r + 1}: round trip {before:.0f}/{after:.0f} ns; " + ", ".join(line), flush=True)
    print(f"\n| build | rounds | speed-up {args.threads} vs 1, median [IQR] | CPU overhead, median [IQR] |")
    print("|---|---|--:|--:|")
    for name, _, _ in builds:
        for label, sel in (("all", rows[name]), ("near", [x for x in rows[name] if x[0]])):
            if not sel:
                continue
            s = threads.quartiles([x[1] for x in sel])
            c = threads.quartiles([x[2] for x in sel])
            print(f"| {name} | {label} ({len(sel)}) | {s[1]:.2f}x [{s[0]:.2f}, {s[2]:.2f}] | {c[1]:.3f} [{c[0]:.3f}, {c[2]:.3f}] |")


if __name__ == "__main__":
    main()
