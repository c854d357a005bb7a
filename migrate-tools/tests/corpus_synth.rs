//! `bench/corpus/synth/vp8synth.py` is byte-reproducible: run into a temporary folder, every
//! stream and reference it writes (synth-*.ivf, .md5, .framemd5) equals the committed file in
//! bench/corpus/streams, and it writes every committed synth-* file.

use std::path::{Path, PathBuf};
use std::process::Command;

fn has(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn synth_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("synth-"))
        .collect();
    v.sort();
    v
}

#[test]
fn vp8synth_rewrites_the_committed_streams_byte_for_byte() {
    // vp8synth.py takes its references from vpxdec.
    for tool in ["python3", "vpxdec"] {
        if !has(tool) {
            vp8_stage::missing_tool(tool, "vp8synth.py against the committed synth streams");
            return;
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let committed = root.join("bench/corpus/streams");
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("vp8synth-out");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    // The command line of bench/corpus/synth/README.md, into the temporary folder.
    let o = Command::new("python3")
        .arg(root.join("bench/corpus/synth/vp8synth.py"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "vp8synth.py failed:\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let written = synth_files(&out);
    assert!(
        written.iter().filter(|n| n.ends_with(".ivf")).count() > 10,
        "{written:?}"
    );
    assert_eq!(written, synth_files(&committed), "the set of synth-* files");
    for name in &written {
        let new = std::fs::read(out.join(name)).unwrap();
        let old = std::fs::read(committed.join(name)).unwrap();
        assert!(
            new == old,
            "{name}: vp8synth.py wrote {} bytes that differ from the committed {} bytes",
            new.len(),
            old.len()
        );
    }
}
