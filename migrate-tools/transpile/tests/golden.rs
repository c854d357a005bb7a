//! Golden tests of the transpiler's output style: each `golden/NAME.c` is transpiled as a
//! standalone crate and its module must equal `golden/NAME.rs` byte for byte (the modules of the
//! headers it includes, `golden/HEADER_h.rs`, and the crate root where `golden/NAME.lib.rs`
//! exists, likewise), so any change of output shows up as a diff to review. After an intended change, rewrite the expected files
//! with `PORTLAB_BLESS=1 cargo test -p portlab-transpile --test golden` and read the diff.
//! (The semantics, as opposed to the spelling, are checked by transpile_semantics.rs, which runs
//! C and Rust builds side by side.)

use std::path::{Path, PathBuf};

use portlab_transpile::{self as transpile, Options};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

#[test]
fn output_matches_the_reviewed_golden_files() {
    if !transpile::clang_available("clang") {
        vp8_stage::missing_tool("clang", "the transpiler's golden output");
        return;
    }
    let dir = golden_dir();
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= 3,
        "golden inputs missing in {}",
        dir.display()
    );
    let bless = std::env::var_os("PORTLAB_BLESS").is_some();
    let mut stale = Vec::new();
    for input in &inputs {
        let stem = input.file_stem().unwrap().to_string_lossy().into_owned();
        let file = format!("{stem}.c");
        let mut o = Options::standalone(&dir, vec![file], dir.join("out"));
        o.regenerate = "portlab transpile (tests/golden.rs)".to_string();
        o.clang = "clang".to_string();
        let files = transpile::transpile(&o).unwrap_or_else(|e| panic!("{stem}: {e}"));
        // The C file's module and its headers' (`decl_docs.h` -> `decl_docs_h.rs`); the crate
        // root too where `NAME.lib.rs` exists (what it declares for the C library).
        let mut compared = vec![(format!("src/{stem}.rs"), format!("{stem}.rs"))];
        for rel in files.keys() {
            let name = rel.strip_prefix("src/").unwrap_or(rel);
            if name.ends_with("_h.rs") && !name.contains('/') {
                compared.push((rel.clone(), name.to_string()));
            }
        }
        if dir.join(format!("{stem}.lib.rs")).exists() {
            compared.push(("src/lib.rs".to_string(), format!("{stem}.lib.rs")));
        }
        for (rel, golden) in compared {
            let got = &files[&rel];
            let expected_path = dir.join(&golden);
            if bless {
                std::fs::write(&expected_path, got).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
            if *got != expected {
                let diff = similar::TextDiff::from_lines(&expected, got)
                    .unified_diff()
                    .header(&format!("golden/{golden}"), "transpiled now")
                    .to_string();
                stale.push(diff);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "the transpiler's output changed (PORTLAB_BLESS=1 rewrites the golden files):\n{}",
        stale.join("\n")
    );
}
