#!/usr/bin/env bash
# `portlab transpile` on real C it was not written for: libraries (compression, image decoding,
# a cipher) that crates.io -sys crates vendor (fetched by cargo into its registry), each with a
# small driver of ours as main (bench/transpiler/*_roundtrip.c, stb_image_decode.c) that
# exercises it deterministically and prints checksums. Each is transpiled from the library's own
# folder, built by cargo --release, run, and compared with gcc -O2's build of the same files.
# Prints one Markdown row per library: lines of C, transpiles (or what was refused, with
# file:line:col), compiles, identical output, instructions vs C (callgrind).
# Usage: bench/transpiler/generality.sh (a few minutes)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
work=$root/target/generality
rm -rf "$work" && mkdir -p "$work/fetch/src"
cargo build -q --release -p portlab
portlab=$root/target/release/portlab

# The crates' sources: cargo fetches them into its registry.
cat >"$work/fetch/Cargo.toml" <<'TOML'
[package]
name = "fetch"
version = "0.0.0"
edition = "2021"
[dependencies]
libz-sys = { version = "=1.1.33", features = ["static"] }
lz4-sys = "=1.11.1"
bzip2-sys = "=0.1.13"
stb_image = "=0.3.0"
monocypher-sys = "=4.0.2"
[workspace]
TOML
echo 'fn main() {}' >"$work/fetch/src/main.rs"
(cd "$work/fetch" && cargo fetch -q)
crate_dir() { # package name -> its folder in the registry
    (cd "$work/fetch" && cargo metadata --format-version 1 -q) |
        python3 -c 'import json,os,sys; print(os.path.dirname([p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"]==sys.argv[1]][0]))' "$1"
}

row() { # name dir "-D flags" files...
    local name=$1 dir=$2 defs=$3 lines transpiles=no compiles=no same=no ratio=-
    shift 3
    local files=("$@")
    cd "$dir"
    # Non-blank lines of the C in the folder: the library's files and headers, and the driver.
    lines=$(find . -maxdepth 1 -name '*.[ch]' -exec cat {} + | grep -cv '^\s*$')
    # shellcheck disable=SC2086 # $defs is a list of -D flags
    gcc -O2 $defs -o c.out "${files[@]}" -lm
    # shellcheck disable=SC2086
    if "$portlab" transpile "${files[@]}" $defs --out rs >transpile.log 2>&1; then
        transpiles=yes
        if (cd rs && cargo build -q --release >../build.log 2>&1); then
            compiles=yes
            [[ $(./c.out) == $(rs/target/release/rs) ]] && same=yes
            local c r
            c=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null ./c.out 2>&1 >/dev/null | sed -n 's/.*Collected : *//p')
            r=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null rs/target/release/rs 2>&1 >/dev/null | sed -n 's/.*Collected : *//p')
            ratio=$(python3 -c "print(f'{$r / $c:.3f}')")
        fi
    else
        # What stopped it: the first refusal, as the transpiler names it.
        transpiles="refused: $(grep -o '[A-Za-z_.]*:[0-9]*:[0-9]*: cannot translate `[^`]*`: [^(]*' transpile.log | head -1 | sed 's/ *$//; s/cannot translate //')"
    fi
    printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$lines" "$transpiles" "$compiles" "$same" "$ratio"
    cd "$root"
}
echo '| library | lines of C | transpiles | compiles | identical output | instructions ÷ gcc -O2 |'
echo '|---|---|---|---|---|---|'

mkdir -p "$work/zlib"
cp "$(crate_dir libz-sys)"/src/zlib/*.[ch] bench/transpiler/zlib_roundtrip.c "$work/zlib/"
rm -f "$work"/zlib/gz*.c "$work"/zlib/infback.c  # not built
row "zlib 1.3 (libz-sys 1.1.33): deflate + inflate round trip" "$work/zlib" "" \
    zlib_roundtrip.c adler32.c compress.c crc32.c deflate.c inffast.c inflate.c inftrees.c trees.c uncompr.c zutil.c

mkdir -p "$work/lz4"
cp "$(crate_dir lz4-sys)"/liblz4/lib/lz4.[ch] bench/transpiler/lz4_roundtrip.c "$work/lz4/"
row "LZ4 1.10.0 (lz4-sys 1.11.1, lz4.c): block and streaming round trips" "$work/lz4" "" \
    lz4_roundtrip.c lz4.c

# stb_image is one file; the driver defines STB_IMAGE_IMPLEMENTATION, STBI_NO_STDIO and
# STBI_NO_SIMD and includes it.
mkdir -p "$work/stb_image"
cp "$(crate_dir stb_image)"/src/stb_image.c bench/transpiler/stb_image_decode.c "$work/stb_image/"
row "stb_image 2.28 (stb_image 0.3.0): PNG, BMP, TGA, PGM decoding" "$work/stb_image" "" \
    stb_image_decode.c

# bzip2's library files, built with BZ_NO_STDIO as bzip2-sys builds them.
mkdir -p "$work/bzip2"
bz=$(crate_dir bzip2-sys)/bzip2-1.0.8
cp "$bz"/{blocksort,bzlib,compress,crctable,decompress,huffman,randtable}.c "$bz"/*.h \
    bench/transpiler/bzip2_roundtrip.c "$work/bzip2/"
row "bzip2 1.0.8 (bzip2-sys 0.1.13): compress + decompress round trip" "$work/bzip2" "-DBZ_NO_STDIO" \
    bzip2_roundtrip.c blocksort.c bzlib.c compress.c crctable.c decompress.c huffman.c randtable.c

# Monocypher's one library file: ChaCha20 (the cipher), Poly1305, BLAKE2b, X25519.
mkdir -p "$work/monocypher"
cp "$(crate_dir monocypher-sys)"/Monocypher/src/monocypher.[ch] bench/transpiler/monocypher_roundtrip.c \
    "$work/monocypher/"
row "Monocypher 4.0.2 (monocypher-sys 4.0.2): ChaCha20, XChaCha20-Poly1305, BLAKE2b, X25519" \
    "$work/monocypher" "" monocypher_roundtrip.c monocypher.c
