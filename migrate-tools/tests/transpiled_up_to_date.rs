//! `transpiled/` must be exactly what `portlab transpile` generates from the C stage today:
//! the in-process equivalent of `cargo run -p portlab -- transpile --check`, so that
//! `cargo test --workspace` (CI) fails when the C changed and nobody regenerated.

use std::path::Path;

use portlab::transpile::{self, Options, REGENERATE};

#[test]
fn transpiled_stage_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .canonicalize()
        .unwrap();
    let opts = Options::project_default(&root);
    if !transpile::clang_available(&opts.clang) {
        eprintln!("=====================================================================");
        eprintln!(
            "SKIPPED: clang is not installed: transpiled/ was NOT checked against upstream-c/"
        );
        eprintln!("=====================================================================");
        return;
    }
    let files =
        transpile::transpile(&opts).unwrap_or_else(|e| panic!("portlab transpile fails:\n{e}"));
    if let Some(report) = transpile::check(&opts.out_dir, &files) {
        panic!("transpiled/ differs from what upstream-c generates; run `{REGENERATE}`:\n{report}");
    }
}
