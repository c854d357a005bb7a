#!/usr/bin/env bash
# Build and run Portlab's fuzz targets on the stable toolchain (docs/fuzzing.md).
#
#   fuzz/fuzz.sh build [cargo|c-asan|transpiled-asan]
#                                      the cargo targets (c, transpiled, safe, differential) and
#                                      the C libFuzzer harness (c-asan), both by default; or the
#                                      transpiled target under AddressSanitizer (nightly toolchain)
#   fuzz/fuzz.sh seed                  fuzz/corpus/<target>/ from bench/corpus/streams
#   fuzz/fuzz.sh run TARGET SECONDS [libFuzzer flags...]
#                                      one bounded campaign, one process (no -jobs)
#   fuzz/fuzz.sh smoke SECONDS         build, seed, then every target for SECONDS each
#   fuzz/fuzz.sh replay TARGET FILE... run saved inputs once (a finding's reproducer)
#
# The cargo targets are plain libfuzzer-sys binaries built with the same coverage flags cargo-fuzz
# passes (SanitizerCoverage through the stable -C passes / -C llvm-args), so no nightly and no
# cargo-fuzz install are needed; the C of the `c` stage (and of every other target: the asm
# tables) is built by clang with the matching -fsanitize-coverage flags, so libFuzzer sees its
# edges too. `cargo fuzz run TARGET -s none` (cargo-fuzz 0.13, stable) works on the same folder.
# Memory errors: the C harness runs under ASan+UBSan; the Rust targets check bounds themselves
# (and overflow-check arithmetic, like the test profile).
set -euo pipefail
FUZZ="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$FUZZ")"
TRIPLE=x86_64-unknown-linux-gnu
TARGETS=(c transpiled safe differential c-asan)
# Not in TARGETS (the smoke): it needs the nightly toolchain, and CI installs only stable.
ASAN_TARGETS=(transpiled-asan)
# Small inputs keep executions fast: a key frame of a small corpus stream and a few inter frames.
MAX_LEN=16384
CC_FUZZ=${CC_FUZZ:-clang}

bin_of() {
    case "$1" in
        c-asan) echo "$FUZZ/target/c-asan/fuzz_decode" ;;
        transpiled-asan) echo "$FUZZ/target/asan/$TRIPLE/release/transpiled" ;;
        c | transpiled | safe | differential) echo "$FUZZ/target/$TRIPLE/release/$1" ;;
        *) echo "unknown target '$1': choose ${TARGETS[*]} ${ASAN_TARGETS[*]}" >&2; exit 2 ;;
    esac
}

# What `cargo fuzz build -s none` passes for coverage, spelled out (all stable -C flags).
SANCOV="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4"
SANCOV+=" -Cllvm-args=-sanitizer-coverage-inline-8bit-counters"
SANCOV+=" -Cllvm-args=-sanitizer-coverage-pc-table"
SANCOV+=" -Cllvm-args=-sanitizer-coverage-trace-compares"
C_SANCOV="-fsanitize-coverage=inline-8bit-counters,pc-table,trace-cmp"

build_cargo() {
    RUSTFLAGS="$SANCOV --cfg fuzzing -Cdebug-assertions -Coverflow-checks ${RUSTFLAGS:-}" \
        CC="$CC_FUZZ" \
        CFLAGS_x86_64_unknown_linux_gnu="$C_SANCOV" \
        cargo build --release --locked --manifest-path "$FUZZ/Cargo.toml" --target "$TRIPLE" \
        --bins
}

build_transpiled_asan() {
    # The transpiled stage is the one whose unsafe Rust could read or write out of bounds
    # without crashing; under ASan (what `cargo fuzz build` does on nightly by default) such an
    # access aborts. The C it links is built with ASan too; the asm is not instrumented.
    RUSTFLAGS="$SANCOV -Zsanitizer=address --cfg fuzzing -Cdebug-assertions -Coverflow-checks" \
        CC="$CC_FUZZ" \
        CFLAGS_x86_64_unknown_linux_gnu="-fsanitize=address $C_SANCOV" \
        cargo +nightly build --release --locked --manifest-path "$FUZZ/Cargo.toml" --target "$TRIPLE" \
        --target-dir "$FUZZ/target/asan" --bin transpiled
}
build_c_asan() {
    # The C library alone under libFuzzer, ASan and UBSan (any UB aborts). The asm is assembled
    # without instrumentation, as in every other build.
    local out="$FUZZ/target/c-asan"
    mkdir -p "$out/asm"
    local objs=()
    for s in "$ROOT"/asm/x86_64/*.S; do
        local o="$out/asm/$(basename "${s%.S}").o"
        if [[ ! -f $o || $s -nt $o ]]; then
            "$CC_FUZZ" -I"$ROOT/asm/include" -I"$ROOT/asm/x86_64" -c "$s" -o "$o"
        fi
        objs+=("$o")
    done
    "$CC_FUZZ" -std=c11 -O1 -g -pthread -fno-omit-frame-pointer \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
        -I"$ROOT/upstream-c/include" -I"$ROOT/upstream-c/src" -I"$ROOT/asm/include" \
        "$FUZZ/c/fuzz_decode.c" "$ROOT"/upstream-c/src/*.c "$ROOT"/upstream-c/src/x86/*.c \
        "${objs[@]}" -o "$out/fuzz_decode"
}

seed() {
    # Each corpus stream cut to whole frames within MAX_LEN bytes (the IVF header's frame count
    # left as it is: decoders ignore it). Streams whose first frame does not fit give no seed.
    local dir="$FUZZ/corpus/seeds"
    rm -rf "$dir"
    mkdir -p "$dir"
    python3 - "$ROOT/bench/corpus/streams" "$dir" "$MAX_LEN" <<'EOF'
import os, struct, sys
src, dst, max_len = sys.argv[1], sys.argv[2], int(sys.argv[3])
n = 0
for name in sorted(os.listdir(src)):
    if not name.endswith(".ivf"):
        continue
    data = open(os.path.join(src, name), "rb").read()
    end = 32
    while end + 12 <= len(data):
        size = struct.unpack_from("<I", data, end)[0]
        if end + 12 + size > min(len(data), max_len):
            break
        end += 12 + size
    if end > 32:
        open(os.path.join(dst, name), "wb").write(data[:end])
        n += 1
print(f"{n} seeds in {dst}")
EOF
    for t in "${TARGETS[@]}"; do mkdir -p "$FUZZ/corpus/$t"; done
}

run() {
    local target="$1" seconds="$2"
    shift 2
    local bin
    bin="$(bin_of "$target")"
    [[ -x $bin ]] || { echo "$bin is not built: fuzz/fuzz.sh build" >&2; exit 2; }
    [[ -d $FUZZ/corpus/seeds ]] || seed
    mkdir -p "$FUZZ/corpus/$target" "$FUZZ/artifacts/$target"
    # The corpus folder first: new inputs go there; the seeds and the regression set are read.
    "$bin" "$FUZZ/corpus/$target" "$FUZZ/corpus/seeds" "$FUZZ/regressions" \
        -dict="$FUZZ/vp8.dict" -max_len="$MAX_LEN" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$FUZZ/artifacts/$target/" "$@"
}

case "${1:-}" in
    build)
        case "${2:-all}" in
            cargo) build_cargo ;;
            c-asan) build_c_asan ;;
            transpiled-asan) build_transpiled_asan ;;
            all) build_cargo && build_c_asan ;;
            *) echo "usage: fuzz/fuzz.sh build [all|cargo|c-asan|transpiled-asan]" >&2; exit 2 ;;
        esac
        ;;
    seed) seed ;;
    run)
        [[ $# -ge 3 ]] || { echo "usage: fuzz/fuzz.sh run TARGET SECONDS [libFuzzer flags]" >&2; exit 2; }
        shift
        run "$@"
        ;;
    replay)
        [[ $# -ge 3 ]] || { echo "usage: fuzz/fuzz.sh replay TARGET FILE..." >&2; exit 2; }
        bin="$(bin_of "$2")"
        shift 2
        "$bin" -runs=1 "$@"
        ;;
    smoke)
        [[ $# -eq 2 ]] || { echo "usage: fuzz/fuzz.sh smoke SECONDS" >&2; exit 2; }
        build_cargo
        build_c_asan
        seed
        for t in "${TARGETS[@]}"; do
            echo "== fuzz smoke: $t, $2 s"
            # Keep the smoke's finds out of the local campaign corpus: a scratch folder each.
            scratch="$(mktemp -d)"
            mkdir "$scratch/corpus"
            status=0
            "$(bin_of "$t")" "$scratch/corpus" "$FUZZ/corpus/seeds" "$FUZZ/regressions" \
                -dict="$FUZZ/vp8.dict" -max_len="$MAX_LEN" -max_total_time="$2" -timeout=10 \
                -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$scratch/" \
                >"$scratch/log" 2>&1 || status=$?
            grep -E '^(INFO: seed|#[0-9]+.*(INITED|DONE)|stat::number_of_executed_units|stat::average_exec_per_sec)' "$scratch/log" || true
            if [[ $status -ne 0 ]]; then
                tail -n 80 "$scratch/log"
                echo "fuzz smoke: $t found a failing input (exit $status); reproduce with" \
                    "fuzz/fuzz.sh replay $t FILE (the input's Base64 is above)" >&2
                rm -rf "$scratch"
                exit 1
            fi
            rm -rf "$scratch"
        done
        ;;
    *)
        sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
esac
