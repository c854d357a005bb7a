//! The inspect figures the docs quote (frames, panic sites, inlining of the release `vp8dec`)
//! are generated blocks: `portlab inspect --update-docs` renders each from the committed JSON of
//! its run under docs/data/. They depend on the compilers, so they cannot be measured again here;
//! this test renders them again and fails when a block differs from its JSON, and runs the tool
//! end to end: a block rendered from `inspect ... --json=FILE` holds the summary table the same
//! run printed.

use std::path::PathBuf;
use std::process::Command;

use portlab::docblock;
use portlab::host::workspace_root;
use portlab::inspect::docs;

const PORTLAB: &str = env!("CARGO_BIN_EXE_portlab");
const VP8DEC: &str = env!("CARGO_BIN_EXE_vp8dec");

#[test]
fn the_inspect_blocks_in_the_docs_are_rendered_from_their_committed_json() {
    let blocks = docblock::check_documents(
        &workspace_root(),
        docs::KIND,
        "portlab inspect",
        "cargo run --release -p portlab -- inspect --update-docs",
        docs::update_text,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(blocks > 0, "no inspect block in README.md or docs/*.md");
}

fn scratch() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("inspect-docs");
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("docs/data")).unwrap();
    d
}

#[test]
fn update_docs_renders_the_summary_the_run_printed() {
    let dir = scratch();
    let mut doc = String::from("# a document\n\n");
    for what in ["frames", "panics", "inlining"] {
        let json = dir.join(format!("docs/data/inspect-{what}.json"));
        let o = Command::new(PORTLAB)
            .current_dir(workspace_root())
            .args(["inspect", what, "--binary", VP8DEC])
            .arg(format!("--json={}", json.display()))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        doc.push_str(&format!(
            "{}\nstale\n{}\n\n",
            docblock::begin(
                docs::KIND,
                &format!("docs/data/inspect-{what}.json"),
                docs::COMMAND
            ),
            docblock::end(docs::KIND)
        ));
    }
    std::fs::write(dir.join("docs/x.md"), &doc).unwrap();
    let o = Command::new(PORTLAB)
        .args(["inspect", "--update-docs", "--root"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = std::fs::read_to_string(dir.join("docs/x.md")).unwrap();
    assert!(!out.contains("stale"), "{out}");
    for what in ["frames", "panics", "inlining"] {
        let o = Command::new(PORTLAB)
            .current_dir(workspace_root())
            .args(["inspect", what, "--binary", VP8DEC])
            .output()
            .unwrap();
        let printed = String::from_utf8(o.stdout).unwrap();
        // The report's summary table: from its header row to the first blank line.
        let start = printed.find("| stage |").expect("summary table");
        let table = &printed[start..start + printed[start..].find("\n\n").unwrap() + 1];
        assert!(
            out.contains(table),
            "{what}: the block does not hold the printed summary:\n{table}\n---\n{out}"
        );
        assert!(
            out.contains(&format!("JSON `docs/data/inspect-{what}.json`"))
                && out.contains(&format!("portlab inspect {what} --binary")),
            "{what}: the block does not name its run: {out}"
        );
    }
    // A second run changes nothing.
    let o = Command::new(PORTLAB)
        .args(["inspect", "--update-docs", "--root"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(dir.join("docs/x.md")).unwrap(), out);
}

#[test]
fn a_block_without_its_json_or_of_another_report_is_an_error() {
    let dir = scratch();
    let e = docs::render(&dir, "docs/data/none.json").unwrap_err();
    assert!(e.contains("docs/data/none.json"), "{e}");
    std::fs::write(
        dir.join("docs/data/d.json"),
        r#"{"what": "disasm", "stages": {}}"#,
    )
    .unwrap();
    let e = docs::render(&dir, "docs/data/d.json").unwrap_err();
    assert!(e.contains("frames, panics or inlining"), "{e}");
    // Inspect without a subcommand or --update-docs is a usage error.
    let o = Command::new(PORTLAB).arg("inspect").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    // --update-docs measures nothing, so a subcommand with it is a usage error too.
    let o = Command::new(PORTLAB)
        .args(["inspect", "--update-docs", "--root"])
        .arg(&dir)
        .arg("frames")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{o:?}");
}
