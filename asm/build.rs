//! Assembles every `x86_64/*.S` into the static library `vp8asm` when the target is x86_64 (the
//! `.S` files go through the C compiler's preprocessor: `-I include` for the `vp8asm/*.h`
//! headers, `-I x86_64` for the shared `.inc` files). On other targets nothing is assembled and
//! the crate's declarations are compiled out.
//!
//! Metadata for dependents' build scripts (`links = "vp8asm"` turns `cargo:KEY=VALUE` into
//! `DEP_VP8ASM_KEY`): `include` (the headers' folder, for C code that installs the kernels) and
//! `kernels` (the number of `.S` files assembled, 0 off x86_64). upstream-c/build.rs checks for
//! any `DEP_VP8ASM_*` and then does not assemble the kernels itself, so each symbol is defined
//! once per binary.

use std::path::{Path, PathBuf};

fn asm_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "S"))
        .collect();
    files.sort();
    files
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let include = root.join("include");
    let kernels = root.join("x86_64");
    // Directories: cargo reruns when anything below them changes (new files included).
    println!("cargo:rerun-if-changed={}", include.display());
    println!("cargo:rerun-if-changed={}", kernels.display());
    println!("cargo:include={}", include.display());

    let x86_64 = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "x86_64");
    if !x86_64 {
        println!("cargo:kernels=0");
        return;
    }
    let files = asm_files(&kernels);
    cc::Build::new()
        .include(&include)
        .include(&kernels)
        .files(&files)
        .compile("vp8asm");
    println!("cargo:kernels={}", files.len());
}
