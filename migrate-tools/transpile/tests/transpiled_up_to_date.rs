//! `transpiled/` must be exactly what `portlab transpile` generates from the C stage today:
//! the in-process equivalent of `cargo run -p portlab -- transpile --check`, so that
//! `cargo test --workspace` (CI) fails when the C changed and nobody regenerated.

use std::path::Path;

use portlab_transpile::{self as transpile, Options, REGENERATE};

#[test]
fn transpiled_stage_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .unwrap()
        .canonicalize()
        .unwrap();
    let opts = Options::project_default(&root);
    if !transpile::clang_available(&opts.clang) {
        vp8_stage::missing_tool("clang", "transpiled/ against upstream-c/");
        return;
    }
    let files =
        transpile::transpile(&opts).unwrap_or_else(|e| panic!("portlab transpile fails:\n{e}"));
    if let Some(report) = transpile::check(&opts.out_dir, &files) {
        panic!("transpiled/ differs from what upstream-c generates; run `{REGENERATE}`:\n{report}");
    }
}
