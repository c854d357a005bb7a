//! The bench figures the docs quote are generated blocks (`portlab bench --update-docs` renders
//! each from the committed JSON of its run under docs/data/), and this test renders them again:
//! it fails when a document's block differs from what its JSON gives, when a JSON a block names
//! is missing, and when a JSON in docs/data/ is quoted by no block. A timing cannot be re-measured
//! here; its rendering, and so every figure the docs retype from it, can be checked.

use std::collections::BTreeSet;

use portlab::bench::docs;
use portlab::docblock;
use portlab::host::workspace_root;

#[test]
fn the_bench_blocks_in_the_docs_are_rendered_from_their_committed_json() {
    let root = workspace_root();
    let mut quoted = BTreeSet::new();
    let mut blocks = 0;
    for doc in docblock::documents(&root) {
        let text = std::fs::read_to_string(&doc).unwrap();
        // Which JSONs the blocks name, and that each renders (a missing one fails here).
        docblock::replace(&text, docs::KIND, |args| {
            quoted.insert(args.split_whitespace().next().unwrap_or("").to_string());
            Ok(String::new())
        })
        .unwrap();
        let (want, n) =
            docs::update_text(&root, &text).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
        blocks += n;
        assert!(
            want == text,
            "{}: a generated bench block is not what its JSON renders: run `cargo run --release \
             -p portlab -- bench --update-docs` and commit the result",
            doc.display()
        );
    }
    assert!(blocks > 0, "no bench block in README.md or docs/*.md");
    for e in std::fs::read_dir(root.join("docs/data")).unwrap() {
        let p = e.unwrap().path();
        // Other tools' runs (`portlab inspect`) are checked by their own test.
        let run: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        if run["meta"]["tool"] != "portlab bench" {
            continue;
        }
        let rel = p
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(
            quoted.contains(&rel),
            "{rel}: no bench block renders it (quote it or remove it)"
        );
    }
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
