//! The bench figures the docs quote are generated blocks (`portlab bench --update-docs` renders
//! each from the committed JSON of its run under docs/data/), and this test renders them again:
//! it fails when a document's block differs from what its JSON gives, when a JSON a block names
//! is missing, and when a JSON in docs/data/ is quoted by no block. A timing cannot be re-measured
//! here; its rendering, and so every figure the docs retype from it, can be checked.

use portlab::bench::docs;
use portlab::docblock;
use portlab::host::workspace_root;

#[test]
fn the_bench_blocks_in_the_docs_are_rendered_from_their_committed_json() {
    let blocks = docblock::check_documents(
        &workspace_root(),
        docs::KIND,
        "portlab bench",
        "cargo run --release -p portlab -- bench --update-docs",
        docs::update_text,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(blocks > 0, "no bench block in README.md or docs/*.md");
}

#[test]
fn a_missing_json_or_view_is_an_error() {
    let root = std::env::temp_dir().join(format!("portlab-bench-docs-{}", std::process::id()));
    std::fs::create_dir_all(root.join("docs/data")).unwrap();
    let doc = format!(
        "{}\nold\n{}\n",
        docblock::begin(docs::KIND, "docs/data/none.json summary", docs::COMMAND),
        docblock::end(docs::KIND)
    );
    let e = docs::update_text(&root, &doc).unwrap_err();
    assert!(e.contains("docs/data/none.json"), "{e}");
    std::fs::write(
        root.join("docs/data/r.json"),
        r#"{"meta": {"rounds": 0}, "streams": []}"#,
    )
    .unwrap();
    let e = docs::render(&root, "docs/data/r.json paired").unwrap_err();
    assert!(e.contains("no `paired`"), "{e}");
    let e = docs::render(&root, "docs/data/r.json nonsense").unwrap_err();
    assert!(e.contains("unknown view"), "{e}");
    std::fs::remove_dir_all(&root).ok();
}
