//! The census figures the docs quote are generated (`portlab census --update-docs` writes the
//! block between the `census:begin` and `census:end` markers), and this test fails when a block
//! is not what the census of the current tree gives: the docs cannot go stale unnoticed.

use std::process::Command;

use portlab::census::{self, census_target};
use portlab::host::workspace_root;

#[test]
fn the_census_blocks_in_the_docs_are_current() {
    if Command::new("clang").arg("--version").output().is_err() {
        vp8_stage::missing_tool("clang", "the census figures quoted in docs/");
        return;
    }
    let root = workspace_root();
    let stages: Vec<_> = ["c", "transpiled"]
        .iter()
        .map(|s| census_target(&root, s, Some("clang")).unwrap())
        .collect();
    let block = census::doc_block(&stages);
    for doc in ["docs/tools-census-inspect.md", "docs/findings.md"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        let want = census::update_doc(&text, &block).unwrap();
        assert!(
            want == text,
            "{doc}: its generated census block is stale: run `cargo run --release -p portlab -- \
             census --update-docs` and commit the result"
        );
    }
}

#[test]
fn update_doc_replaces_every_block_and_keeps_the_rest() {
    let doc = "a\n<!-- census:begin -->\nold\n<!-- census:end -->\nb\n<!-- census:begin x -->y<!-- census:end -->\n";
    let out = census::update_doc(doc, "NEW").unwrap();
    assert_eq!(out, "a\nNEW\nb\nNEW\n");
    assert!(census::update_doc("no markers", "NEW").is_err());
    assert!(census::update_doc("<!-- census:begin -->", "NEW").is_err());
    // One convention for every generated block (portlab::docblock).
    assert_eq!(
        census::DOC_BEGIN,
        portlab::docblock::begin("census", "", "portlab census --update-docs")
    );
    assert_eq!(census::DOC_END, portlab::docblock::end("census"));
}
