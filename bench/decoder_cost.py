#!/usr/bin/env python3
"""Deterministic cost of the decoder's own code, for comparing stages and compilers.

Each side decodes each stream once under `valgrind --tool=cachegrind --cache-sim=no
--branch-sim=yes`; the instructions (Ir) and simulated branch mispredicts of the decoder functions
are summed, leaving out the shared asm kernels and everything else (CLI, runtime, libc), which
are not what a stage or compiler changes. Timings on a shared machine move by 5-15 %; these
counts do not, so they decide whether a transpiler change pays. One figure: cost = Ir + 15 x
mispredicts (a mispredict costs ~15 cycles on current x86 cores).

    python3 bench/decoder_cost.py c=target/release/vp8dec:c t=target/release/vp8dec:transpiled \\
        gcc=target/bench-c-gcc/vp8dec clang=target/bench-c-clang/vp8dec

A side is LABEL=BINARY[:STAGE] (STAGE for the Rust vp8dec, none for the C CLI); ratios are to the
first side. Decoder functions: Rust paths under `vp8_transpiled::`, and C functions defined in
upstream-c/src (names read with `nm` from the objects of target/bench-c-*/, which
`portlab bench --cc gcc,clang` builds). --streams A,B replaces the three corpus bench streams.
"""
import argparse
import concurrent.futures
import glob
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_STREAMS = [
    "bench/corpus/streams/bench-720p-mandel-1280x720.ivf",
    "bench/corpus/streams/bench-720p-tp2-pan-1280x720.ivf",
    "bench/corpus/streams/bench-vga-testsrc2-640x480.ivf",
]
MISPREDICT_WEIGHT = 15


def c_function_names():
    """Functions of the C stage, static ones included (clone suffixes stripped)."""
    names = set()
    objects = glob.glob(os.path.join(ROOT, "target/bench-c-*/obj/src/**/*.o"), recursive=True)
    if not objects:
        sys.exit("no C objects under target/bench-c-*/obj/src: run "
                 "`cargo run --release -p portlab -- bench --cc gcc,clang --rounds 0` first")
    for obj in objects:
        out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tT":
                names.add(parts[2].split(".")[0])
    return names


def measure(label, binary, stage, stream, scratch, c_names):
    out = os.path.join(scratch, "cachegrind.%s.%s.out" % (label, os.path.basename(stream)))
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--branch-sim=yes",
           "--cachegrind-out-file=" + out, binary, "-i", stream, "--muxer", "null",
           "--threads", "1"]
    if stage:
        cmd += ["--stage", stage]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("%s failed:\n%s" % (" ".join(cmd), r.stderr[-2000:]))
    events, fn, per_fn = None, None, {}
    with open(out) as f:
        for line in f:
            if line.startswith("events:"):
                events = line.split()[1:]
            elif line.startswith("fn="):
                fn = line[3:].strip()
            elif line[:1].isdigit():
                counts = per_fn.setdefault(fn, [0] * len(events))
                for i, v in enumerate(line.split()[1:]):
                    counts[i] += int(v)
    col = {name: i for i, name in enumerate(events)}
    ir = mis = 0
    for name, counts in per_fn.items():
        # The asm kernels are neither: they live in asm/, not upstream-c/src or transpiled/.
        if "vp8_transpiled::" not in name and name.split(".")[0] not in c_names:
            continue
        ir += counts[col["Ir"]]
        mis += counts[col["Bcm"]] + counts[col["Bim"]]
    return ir, mis


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sides", nargs="+", metavar="LABEL=BINARY[:STAGE]")
    ap.add_argument("--streams", help="comma-separated .ivf files")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    streams = a.streams.split(",") if a.streams else [os.path.join(ROOT, s) for s in DEFAULT_STREAMS]
    sides = []
    for s in a.sides:
        label, _, rest = s.partition("=")
        binary, _, stage = rest.partition(":")
        sides.append((label, binary, stage))
    scratch = os.path.join(ROOT, "target/decoder-cost")
    os.makedirs(scratch, exist_ok=True)
    c_names = c_function_names()
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        jobs = {(l, s): ex.submit(measure, l, b, st, s, scratch, c_names)
                for s in streams for l, b, st in sides}
        res = {k: v.result() for k, v in jobs.items()}
    base = sides[0][0]
    print("Decoder instructions / mispredicts; ratios of Ir and of cost (Ir + %d x mispredicts) "
          "to %s." % (MISPREDICT_WEIGHT, base))
    print()
    print("| stream | side | Ir | mispredicts | Ir ÷ %s | cost ÷ %s |" % (base, base))
    print("|---|---|--:|--:|--:|--:|")
    for s in streams:
        b_ir, b_mis = res[(base, s)]
        b_cost = b_ir + MISPREDICT_WEIGHT * b_mis
        for l, _, _ in sides:
            ir, mis = res[(l, s)]
            c = ir + MISPREDICT_WEIGHT * mis
            print("| %s | %s | %s | %s | %.3f | %.3f |" % (
                os.path.basename(s), l, format(ir, ","), format(mis, ","), ir / b_ir, c / b_cost))


if __name__ == "__main__":
    main()
