#!/usr/bin/env bash
# `portlab transpile` on real C it was not written for. zlib: the sources libz-sys vendors
# (fetched by cargo from crates.io), with zlib_roundtrip.c as main: transpiled from the
# library's own folder, built by cargo --release, run, and compared with gcc -O2's build of the
# same files. Prints one Markdown row per library: lines of C, transpiles, compiles, identical
# output, instructions vs C (callgrind). Usage: bench/transpiler/generality.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
work=$root/target/generality
rm -rf "$work" && mkdir -p "$work/fetch/src"
cargo build -q --release -p portlab
portlab=$root/target/release/portlab

# libz-sys's vendored zlib: cargo fetches the crate into its registry.
cat >"$work/fetch/Cargo.toml" <<'TOML'
[package]
name = "fetch"
version = "0.0.0"
edition = "2021"
[dependencies]
libz-sys = { version = "=1.1.33", features = ["static"] }
[workspace]
TOML
echo 'fn main() {}' >"$work/fetch/src/main.rs"
(cd "$work/fetch" && cargo fetch -q)
zsrc=$(cd "$work/fetch" && cargo metadata --format-version 1 -q |
    python3 -c 'import json,sys; print([p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"]=="libz-sys"][0])')
zsrc=$(dirname "$zsrc")/src/zlib
mkdir -p "$work/zlib"
cp "$zsrc"/*.c "$zsrc"/*.h "$work/zlib/"
cp bench/transpiler/zlib_roundtrip.c "$work/zlib/"
files=(zlib_roundtrip.c adler32.c compress.c crc32.c deflate.c inffast.c inflate.c inftrees.c trees.c uncompr.c zutil.c)

row() { # name dir
    local name=$1 dir=$2 lines transpiles=no compiles=no same=no ratio=-
    cd "$dir"
    lines=$(cat "${files[@]}" | grep -cv '^\s*$')
    gcc -O2 -o c.out "${files[@]}"
    if "$portlab" transpile "${files[@]}" --out rs >transpile.log 2>&1; then
        transpiles=yes
        if (cd rs && cargo build -q --release >../build.log 2>&1); then
            compiles=yes
            [[ $(./c.out) == $(rs/target/release/rs) ]] && same=yes
            local c r
            c=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null ./c.out 2>&1 >/dev/null | sed -n 's/.*Collected : *//p')
            r=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null rs/target/release/rs 2>&1 >/dev/null | sed -n 's/.*Collected : *//p')
            ratio=$(python3 -c "print(f'{$r / $c:.3f}')")
        fi
    fi
    printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$lines" "$transpiles" "$compiles" "$same" "$ratio"
    cd "$root"
}
echo '| library | lines of C | transpiles | compiles | identical output | instructions ÷ gcc -O2 |'
echo '|---|---|---|---|---|---|'
row "zlib 1.3 (libz-sys 1.1.33): deflate + inflate round trip" "$work/zlib"
