#!/usr/bin/env python3
"""Paired A/B timing of two decoder commands, resolving differences of about 1% on a noisy machine.

`portlab bench` and `bench_c.py` report medians of ~10 interleaved rounds; on a shared VM the
per-round ratio moves by 10-40%, so a 1-2% difference between two stages is below what they can
resolve. This script runs the two commands back to back many times (A B, then B A, alternating,
so drift and order effects cancel), takes the CPU time (user + sys, `os.wait4`) of each process,
and reports the median of the per-pair ratios B / A with a bootstrap 95% confidence interval of
that median. A few hundred pairs of 0.1-0.3 s runs take 1-3 minutes and narrow the interval to
about +-1%.

    python3 bench/paired_time.py --pairs 300 --stream target/bench-streams/noisy-1920x1080-30f-*.ivf \\
        'target/release/vp8dec -i {stream} --muxer null -q --stage c' \\
        'target/release/vp8dec -i {stream} --muxer null -q --stage transpiled'

`{stream}` in a command is replaced by each --stream (repeatable; globs are expanded). A failing
command stops the run with its stderr. Statistics come from the standard library (`statistics`, `random`): the
bootstrap is six lines, not worth a dependency.
"""
import argparse
import glob
import json
import os
import random
import shlex
import statistics
import sys

# The same process timing as the round-based benchmark (user + sys from os.wait4; a failing
# command stops the run with its stderr).
from bench_c import time_run


def cpu_seconds(argv):
    return time_run(argv)[0]


def bootstrap_ci(values, rounds=2000, seed=1):
    rng = random.Random(seed)
    medians = sorted(statistics.median(rng.choices(values, k=len(values))) for _ in range(rounds))
    return medians[int(0.025 * rounds)], medians[int(0.975 * rounds) - 1]


def measure(cmd_a, cmd_b, stream, pairs, progress):
    a_argv = [w.replace("{stream}", stream) for w in shlex.split(cmd_a)]
    b_argv = [w.replace("{stream}", stream) for w in shlex.split(cmd_b)]
    ratios, times_a, times_b = [], [], []
    for i in range(pairs):
        if i % 2 == 0:
            ta = cpu_seconds(a_argv)
            tb = cpu_seconds(b_argv)
        else:
            tb = cpu_seconds(b_argv)
            ta = cpu_seconds(a_argv)
        times_a.append(ta)
        times_b.append(tb)
        ratios.append(tb / ta)
        if progress and (i + 1) % 25 == 0:
            print(f"  {os.path.basename(stream)}: {i + 1}/{pairs} pairs, running median "
                  f"{statistics.median(ratios):.4f}", file=sys.stderr, flush=True)
    lo, hi = bootstrap_ci(ratios)
    q = statistics.quantiles(ratios, n=4)
    return {
        "stream": stream,
        "pairs": pairs,
        "median_ratio": statistics.median(ratios),
        "ci95": [lo, hi],
        "iqr": [q[0], q[2]],
        "median_cpu_a": statistics.median(times_a),
        "median_cpu_b": statistics.median(times_b),
        "ratios": ratios,
    }


def main():
    ap = argparse.ArgumentParser(
        description="Paired A/B CPU-time comparison of two commands: median of per-pair B/A "
        "ratios with a bootstrap 95% CI.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    ap.add_argument("command_a", help="baseline command; {stream} is replaced by the stream")
    ap.add_argument("command_b", help="compared command; the ratio is B / A")
    ap.add_argument("--stream", action="append", required=True,
                    help="stream file or glob (repeatable)")
    ap.add_argument("--pairs", type=int, default=300, help="A/B pairs per stream")
    ap.add_argument("--json", metavar="FILE", help="also write results with raw ratios")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = ap.parse_args()

    streams = []
    for pattern in args.stream:
        found = sorted(glob.glob(pattern))
        if not found:
            sys.exit(f"paired_time: no stream matches {pattern!r} (bench/bench_c.py "
                     "--generate-only makes the 1080p ones)")
        streams.extend(found)

    print(f"A = {args.command_a}\nB = {args.command_b}\n")
    print("| stream | pairs | median CPU s A | median CPU s B | B ÷ A (median of pairs) | 95% CI | IQR |")
    print("|---|--:|--:|--:|--:|---|---|")
    results = []
    for stream in streams:
        r = measure(args.command_a, args.command_b, stream, args.pairs, not args.quiet)
        results.append(r)
        print(f"| {os.path.basename(stream)} | {r['pairs']} | {r['median_cpu_a']:.3f} | "
              f"{r['median_cpu_b']:.3f} | **{r['median_ratio']:.4f}** | "
              f"[{r['ci95'][0]:.4f}, {r['ci95'][1]:.4f}] | [{r['iqr'][0]:.3f}, {r['iqr'][1]:.3f}] |",
              flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"command_a": args.command_a, "command_b": args.command_b,
                       "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
