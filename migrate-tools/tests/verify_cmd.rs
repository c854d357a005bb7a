//! `portlab verify`: passes on the corpus for every stage built in (masks none and all), and
//! catches injected mismatches: a corrupted reference file (names the frame) and a stage whose
//! output is off by one pixel (names frame, plane and (x, y), writes both frames as .y4m).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const PORTLAB: &str = env!("CARGO_BIN_EXE_portlab");

fn corpus_dir() -> PathBuf {
    match std::env::var_os("VP8_CORPUS_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/corpus/streams"),
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("portlab-verify-test")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn verify(args: &[&str]) -> Output {
    Command::new(PORTLAB)
        .arg("verify")
        .args(args)
        .output()
        .expect("run portlab verify")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A temporary corpus with copies of two small streams and their references.
fn small_corpus(name: &str) -> PathBuf {
    let dir = scratch(name);
    for stem in [
        "altref-2pass-tp1-p1-scroll-odd-129x97",
        "synth-zero-length-frame",
    ] {
        for ext in ["ivf", "md5", "framemd5"] {
            let src = corpus_dir().join(format!("{stem}.{ext}"));
            std::fs::copy(&src, dir.join(format!("{stem}.{ext}")))
                .unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        }
    }
    dir
}

#[test]
fn the_whole_corpus_verifies_for_every_stage_and_mask() {
    let out = scratch("whole");
    let json = out.join("r.json");
    let o = verify(&[
        "--corpus",
        corpus_dir().to_str().unwrap(),
        "--stages",
        "all",
        "--cpumask",
        "none,all",
        "--out",
        out.to_str().unwrap(),
        &format!("--json={}", json.display()),
    ]);
    assert!(o.status.success(), "portlab verify failed:\n{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("| stream"), "no table:\n{stdout}");
    assert!(stdout.contains("c/none") && stdout.contains("c/all"));
    let j: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(j["ok"], true);
    let n = j["streams"].as_array().unwrap().len();
    assert!(n > 50, "only {n} streams verified");
    let combos = j["combos"].as_array().unwrap().len();
    assert_eq!(combos, 2 * portlab::stage::all_stages().len());
}

#[test]
fn a_corrupted_reference_file_is_reported_with_its_frame() {
    let dir = small_corpus("bad-ref");
    let stem = "altref-2pass-tp1-p1-scroll-odd-129x97";
    let path = dir.join(format!("{stem}.framemd5"));
    let text_ref = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text_ref.lines().map(str::to_string).collect();
    // Frame 5's md5: change its first hex digit.
    let line = &mut lines[5];
    let pos = line.rfind(' ').unwrap() + 1;
    let c = line.as_bytes()[pos];
    line.replace_range(pos..pos + 1, if c == b'0' { "1" } else { "0" });
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();

    let out = dir.join("mismatch");
    let o = verify(&[
        "--corpus",
        dir.to_str().unwrap(),
        "--stages",
        "c",
        "--cpumask",
        "none,all",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let j: Value = serde_json::from_slice(&o.stdout).expect("--json prints JSON on stdout");
    assert_eq!(j["ok"], false);
    let m = j["mismatches"].as_array().unwrap();
    assert_eq!(m.len(), 2, "both masks disagree with the reference: {m:?}");
    for mm in m {
        assert_eq!(mm["stream"], stem);
        assert_eq!(mm["frame"], 5);
        assert!(
            mm["what"]
                .as_str()
                .unwrap()
                .contains("output frame 5 differs from")
        );
    }
    let st = j["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stream"] == stem)
        .unwrap();
    assert_eq!(st["results"]["c/all"]["first_bad_frame"], 5);
    assert_eq!(st["results"]["c/all"]["text"], "frame 5");
    // The other stream is fine.
    let other = j["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stream"] == "synth-zero-length-frame")
        .unwrap();
    assert_eq!(other["results"]["c/none"]["ok"], true);
    // The table names the frame too.
    let o = verify(&[
        "--corpus",
        dir.to_str().unwrap(),
        "--stages",
        "c",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let t = text(&o);
    assert!(t.contains("frame 5"), "{t}");
    assert!(t.contains("MISMATCH"), "{t}");
}

#[test]
fn a_broken_stage_is_pinned_to_frame_plane_and_pixel() {
    let dir = small_corpus("bad-stage");
    let stem = "altref-2pass-tp1-p1-scroll-odd-129x97";
    let out = dir.join("mismatch");
    // The C stage's output frame 7 gets +1 at U (x 5, y 4): it now differs from the reference
    // and from the other mask... of the same stage too (the fault hits every mask of the stage),
    // so compare with the other stage when there is one, else with the reference alone.
    let stages = if portlab::stage::all_stages().len() > 1 {
        "transpiled,c"
    } else {
        "c"
    };
    let o = verify(&[
        "--corpus",
        dir.to_str().unwrap(),
        "--stages",
        stages,
        "--cpumask",
        "all",
        "--streams",
        "scroll-odd",
        "--out",
        out.to_str().unwrap(),
        "--inject-fault",
        "c:7:1:5:4",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("MISMATCH"), "{t}");
    if stages == "c" {
        // Only the reference to compare with: the frame is named, no pixel can be.
        assert!(t.contains("output frame 7 differs"), "{t}");
        return;
    }
    assert!(
        t.contains("frame 7 plane 1 (U) at (x 5, y 4)"),
        "no pixel position in:\n{t}"
    );
    assert!(t.contains("c/all has"), "{t}");
    assert!(t.contains("transpiled/all has"), "{t}");
    let files: Vec<PathBuf> = std::fs::read_dir(out.join(stem))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        assert!(bytes.starts_with(b"YUV4MPEG2 W129 H97 "), "{}", f.display());
        let header = bytes.iter().position(|&b| b == b'\n').unwrap() + 1 + b"FRAME\n".len();
        assert_eq!(bytes.len() - header, 129 * 97 + 2 * 65 * 49);
    }
    // The two files differ in exactly that pixel.
    let a = std::fs::read(&files[0]).unwrap();
    let b = std::fs::read(&files[1]).unwrap();
    let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    assert_eq!(diffs.len(), 1);
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        &["--stages", "rust"][..],
        &["--cpumask", "sse9"],
        &["--corpus", "/nonexistent/corpus"],
        &["--inject-fault", "c:1"],
    ] {
        let o = verify(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
    }
}

#[test]
fn a_filter_that_matches_nothing_says_so_not_that_the_folder_is_empty() {
    let dir = small_corpus("nomatch");
    let o = verify(&[
        "--corpus",
        dir.to_str().unwrap(),
        "--streams",
        "no-such-stream",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("no stream name contains it") && t.contains("2 .ivf streams in"),
        "{t}"
    );
}

#[test]
fn an_unreadable_stream_is_reported_with_the_reason_not_as_a_mismatch() {
    let dir = small_corpus("unreadable");
    std::fs::write(dir.join("broken.ivf"), b"garbage").unwrap();
    std::fs::copy(
        dir.join("synth-zero-length-frame.framemd5"),
        dir.join("broken.framemd5"),
    )
    .unwrap();
    // The convention of every reporting subcommand: --json=FILE and --markdown FILE.
    let (json, md) = (dir.join("v.json"), dir.join("v.md"));
    let o = verify(&[
        "--corpus",
        dir.to_str().unwrap(),
        "--stages",
        "c",
        &format!("--json={}", json.display()),
        "--markdown",
        md.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(
        md.contains("| broken ") && md.contains("UNREADABLE broken"),
        "{md}"
    );
    let j: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(j["ok"], false, "{j}");
    assert_eq!(j["streams"].as_array().map(Vec::len), Some(3), "{j}");
    let t = text(&o);
    assert!(
        t.contains("broken.ivf: not an IVF file"),
        "the reason is not given: {t}"
    );
    assert!(
        t.contains("verify: 1 unreadable stream (2 stage/masks, 3 streams)"),
        "{t}"
    );
    assert!(
        !t.contains("mismatch"),
        "an unreadable stream called a mismatch: {t}"
    );
}
