#!/usr/bin/env bash
# The cost of `portlab transpile`'s goto translation: goto_scan.c (a tokenizer written with
# labels and gotos) built by clang -O2 and gcc -O2, against its transpiled Rust built by cargo
# --release. Prints instruction counts (callgrind: deterministic), the median of interleaved
# wall-time runs with their spread, and the paired ratios: in each round the three programs run
# back to back (in an order rotated from round to round), and the Rust time is divided by each C
# time of the same round, so a load change on a shared machine hits both sides of a ratio.
# Usage: bench/transpiler/goto_bench.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
rounds=${1:-11}
work=target/goto-bench
rm -rf "$work" && mkdir -p "$work"
cp bench/transpiler/goto_scan.c "$work/"
cargo build -q --release -p portlab
portlab=$PWD/target/release/portlab
(cd "$work" && "$portlab" transpile goto_scan.c --out rs >/dev/null 2>&1)
(cd "$work/rs" && cargo build -q --release)
clang -O2 -o "$work/c-clang" "$work/goto_scan.c"
gcc -O2 -o "$work/c-gcc" "$work/goto_scan.c"
bins=("$work/c-clang" "$work/c-gcc" "$work/rs/target/release/rs")
names=("C (clang -O2)" "C (gcc -O2)" "transpiled Rust")
ref=$("${bins[0]}")
for b in "${bins[@]}"; do
    [[ $("$b") == "$ref" ]] || { echo "$b prints $("$b"), C prints $ref" >&2; exit 1; }
done
declare -A ir times
for i in "${!bins[@]}"; do
    ir[$i]=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "${bins[$i]}" 2>&1 >/dev/null |
        sed -n 's/.*Collected : *\([0-9]*\).*/\1/p')
done
n=${#bins[@]}
for ((r = 0; r < rounds; r++)); do
    for ((k = 0; k < n; k++)); do
        i=$(( (r + k) % n ))
        t0=$(date +%s%N); "${bins[$i]}" >/dev/null; t1=$(date +%s%N)
        times[$i]+="$(( (t1 - t0) / 1000 )) "
    done
done
printf '%-18s %14s %8s %12s %s\n' program instructions "÷ clang" "median µs" "(min-max)"
for i in "${!bins[@]}"; do
    read -r -a ts <<<"${times[$i]}"
    sorted=($(printf '%s\n' "${ts[@]}" | sort -n))
    med=${sorted[$((rounds / 2))]}
    printf '%-18s %14s %8s %12s (%s-%s)\n' "${names[$i]}" "${ir[$i]}" \
        "$(echo "scale=3; ${ir[$i]} / ${ir[0]}" | bc)" "$med" "${sorted[0]}" "${sorted[-1]}"
done
# Paired ratios: round r's Rust time over round r's C time; median, quartiles and extremes.
python3 - "${times[2]}" "${times[0]}" "${times[1]}" <<'PY'
import statistics, sys
rs, clang, gcc = ([int(t) for t in a.split()] for a in sys.argv[1:])
for name, c in (("clang", clang), ("gcc", gcc)):
    r = sorted(a / b for a, b in zip(rs, c))
    q = statistics.quantiles(r, n=4)
    print(f"transpiled / {name:5} paired, {len(r)} rounds: median {statistics.median(r):.3f}, "
          f"quartiles {q[0]:.3f}-{q[2]:.3f}, min-max {r[0]:.3f}-{r[-1]:.3f}")
PY
