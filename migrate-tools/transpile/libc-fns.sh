#!/usr/bin/env bash
# Writes migrate-tools/transpile/data/libc-fns.txt: the functions the libc crate (the version in
# Cargo.lock) declares for x86_64-unknown-linux-gnu, one name a line. The transpiler calls a C
# library function as `libc::name` only when the name is listed; any other one (`random`,
# `fmod`, `strsep`) it declares itself from the C prototype clang read. rustdoc is asked rather
# than the crate's sources read, because which of the sources' declarations exist for a target
# is decided by cfg attributes and the crate's build script, and rustdoc evaluates both.
# Usage: migrate-tools/transpile/libc-fns.sh (a few seconds after the first run)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
target=x86_64-unknown-linux-gnu
docs=$PWD/target/libc-fns
version=$(cargo pkgid libc | sed 's/.*[@#]//')
cargo doc -q -p libc --target "$target" --target-dir "$docs"
out=migrate-tools/transpile/data/libc-fns.txt
{
    echo "# Regenerate with migrate-tools/transpile/libc-fns.sh: libc $version, $target (rustdoc's list of its functions)."
    # all.html links every function as fn.NAME.html (the crate re-exports all at its root).
    grep -o 'href="fn\.[A-Za-z0-9_]*\.html"' "$docs/$target/doc/libc/all.html" |
        sed 's/^href="fn\.//; s/\.html"$//' | LC_ALL=C sort -u
} >"$out"
echo "wrote $out ($(($(wc -l <"$out") - 1)) functions)"
