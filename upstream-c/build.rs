//! Compiles the C stage (`src/*.c`, `src/x86/*.c`) into the static library `vp8c` with the same
//! flags as `upstream-c/Makefile`: `-std=c11 -O2 -Wall -Wextra -Wvla -pthread`, `-Iinclude -Isrc`, no forced frame pointer.
//!
//! The C is always built `-O2`, whatever the cargo profile: the tests decode whole streams.
//! `VP8_C_WERROR=1` in the environment turns C warnings into errors (the Makefile's `WERROR=1`);
//! `VP8_C_SRCDIR=dir` compiles another source folder instead of `src/` (the Makefile's `SRCDIR`).
//!
//! The shared asm kernels (`../asm/x86_64/*.S`, headers in `../asm/include`): DESIGN.md has them
//! assembled once per binary by the `vp8-asm` crate, which every stage links. Until vp8-c depends
//! on that crate, this script assembles them itself on x86_64 (else `src/x86/*_init.c` would not
//! link). It stops by itself once the dependency exists: a crate with `links = "vp8asm"` that
//! emits any `cargo:KEY=VALUE` metadata sets `DEP_VP8ASM_KEY` here, and then nothing is assembled,
//! so no symbol is ever defined twice.
//!
//! `rust/layout_check.c` is compiled in as well: it exports `sizeof`/`offsetof` of the public
//! structs and the enum values as the C compiler sees them, so a unit test can compare them with
//! the hand-written FFI declarations in `rust/ffi.rs`.

use std::fs;
use std::path::{Path, PathBuf};

fn c_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "c"))
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    // VP8_C_SRCDIR (like the Makefile's SRCDIR) builds another source folder, e.g. a scratch copy.
    println!("cargo:rerun-if-env-changed=VP8_C_SRCDIR");
    let src = match std::env::var_os("VP8_C_SRCDIR") {
        Some(dir) => PathBuf::from(dir),
        None => root.join("src"),
    };
    let include = root.join("include");
    // A directory here means "anything below it changed" (cargo scans it recursively).
    println!("cargo:rerun-if-changed={}", src.display());
    println!("cargo:rerun-if-changed={}", include.display());
    println!(
        "cargo:rerun-if-changed={}",
        root.join("rust/layout_check.c").display()
    );
    println!("cargo:rerun-if-env-changed=VP8_C_WERROR");

    let mut files = c_files(&src);
    files.extend(c_files(&src.join("x86")));
    if files.is_empty() {
        println!(
            "cargo:warning=upstream-c/src has no .c files yet: vp8-c builds, but anything that \
             calls the decoder will fail to link"
        );
    }

    let asm = root.join("../asm");
    println!("cargo:rerun-if-changed={}", asm.display());
    let target_x86_64 = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "x86_64");
    let vp8_asm_linked =
        std::env::vars_os().any(|(k, _)| k.to_string_lossy().starts_with("DEP_VP8ASM_"));
    let mut asm_files = Vec::new();
    if target_x86_64 && !vp8_asm_linked {
        asm_files = fs::read_dir(asm.join("x86_64"))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "S"))
                    .collect()
            })
            .unwrap_or_default();
        asm_files.sort();
    }

    let werror = std::env::var("VP8_C_WERROR").is_ok_and(|v| v == "1");
    let mut build = cc::Build::new();
    build
        .std("c11")
        .opt_level(2)
        // cc-rs adds -fno-omit-frame-pointer whenever the profile carries debug info (release has
        // line tables); the Makefile build omits the frame pointer, and the stage comparisons must
        // see the same C code generation the Makefile gives.
        .force_frame_pointer(false)
        .warnings(true)
        .extra_warnings(true)
        .warnings_into_errors(werror)
        .flag("-Wvla")
        .flag("-pthread")
        .include(&include)
        .include(&src)
        .include(asm.join("include"))
        .include(asm.join("x86_64"))
        .files(&files)
        .files(&asm_files)
        .file(root.join("rust/layout_check.c"));
    build.compile("vp8c");
    // Dependents (checkasm, the portlab toolkit) find vp8.h through DEP_VP8C_INCLUDE.
    println!("cargo:include={}", include.display());
    // The tests check with nm that libvp8c.a defines no asm kernel (vp8-asm owns them).
    println!(
        "cargo:rustc-env=VP8_C_OUT_DIR={}",
        std::env::var("OUT_DIR").expect("OUT_DIR")
    );
}
