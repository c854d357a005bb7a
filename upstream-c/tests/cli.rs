//! The C CLI (`tools/`), built with the Makefile (warnings as errors) into cargo's scratch
//! folder: its md5 and framemd5 muxers over the whole corpus, the yuv/y4m writers, --verify,
//! --limit, stdin, exit codes and messages; and the MD5 implementation against the md-5 crate.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{XorShift, cli, corpus, make, make_build_dir, md5_hex, parse_framemd5};

fn run(args: &[&str]) -> Output {
    Command::new(cli())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run vp8dec")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-test");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn md5_muxer_matches_corpus() {
    let streams = corpus();
    let mut failures = Vec::new();
    for s in &streams {
        let o = run(&["-q", "-i", path_str(&s.ivf), "--muxer", "md5"]);
        let got = stdout(&o).trim().to_string();
        if !o.status.success() || got != s.md5 {
            failures.push(format!(
                "  {}: {} md5 {got:?}, expected {}; stderr: {}",
                s.name,
                o.status,
                s.md5,
                stderr(&o).trim()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "vp8dec --muxer md5 differs on {} of {} streams:\n{}",
        failures.len(),
        streams.len(),
        failures.join("\n")
    );
}

#[test]
fn framemd5_muxer_matches_corpus() {
    let streams = corpus();
    let mut failures = Vec::new();
    for s in &streams {
        let o = run(&["-q", "-i", path_str(&s.ivf), "--muxer", "framemd5"]);
        let got = match parse_framemd5(&stdout(&o)) {
            Ok(lines) => lines,
            Err(e) => {
                failures.push(format!("  {}: unparsable output: {e}", s.name));
                continue;
            }
        };
        let first_bad = (0..got.len().max(s.frames.len())).find(|&i| got.get(i) != s.frames.get(i));
        if !o.status.success() || first_bad.is_some() {
            let i = first_bad.unwrap_or(0);
            failures.push(format!(
                "  {}: {}, first bad frame {i}: got {:?}, expected {:?}; stderr: {}",
                s.name,
                o.status,
                got.get(i).map(|f| f.to_string()),
                s.frames.get(i).map(|f| f.to_string()),
                stderr(&o).trim()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "vp8dec --muxer framemd5 differs on {} of {} streams:\n{}",
        failures.len(),
        streams.len(),
        failures.join("\n")
    );
}

/// The yuv muxer writes exactly the bytes the md5 muxer hashes; y4m wraps them in the header
/// and FRAME lines; `-o -` writes yuv to stdout; `-i -` reads stdin.
#[test]
fn yuv_y4m_stdout_and_stdin() {
    let streams = corpus();
    let s = streams
        .iter()
        .find(|s| s.name == "sample")
        .unwrap_or(&streams[0]);
    let yuv = scratch("out.yuv");
    let o = run(&["-q", "-i", path_str(&s.ivf), "-o", path_str(&yuv)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&yuv).unwrap();
    assert_eq!(md5_hex(&bytes), s.md5, "md5 of the .yuv file");

    let o = run(&["-q", "-i", path_str(&s.ivf), "-o", "-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, bytes, "-o - writes the yuv bytes to stdout");

    let mut child = Command::new(cli())
        .args(["-q", "-i", "-", "--muxer", "md5"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let ivf_bytes = std::fs::read(&s.ivf).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&ivf_bytes));
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(o.status.success());
    assert_eq!(stdout(&o).trim(), s.md5, "-i - reads stdin");

    if s.frames
        .iter()
        .all(|f| (f.width, f.height) == (s.frames[0].width, s.frames[0].height))
    {
        let y4m = scratch("out.y4m");
        let o = run(&["-q", "-i", path_str(&s.ivf), "-o", path_str(&y4m)]);
        assert!(o.status.success(), "{}", stderr(&o));
        let data = std::fs::read(&y4m).unwrap();
        let header_end = data.iter().position(|&b| b == b'\n').unwrap();
        let header = std::str::from_utf8(&data[..header_end]).unwrap();
        let (w, h) = (s.frames[0].width, s.frames[0].height);
        assert!(
            header.starts_with(&format!("YUV4MPEG2 W{w} H{h} F")),
            "{header}"
        );
        assert!(header.ends_with(" Ip A0:0 C420jpeg"), "{header}");
        let frame_size = bytes.len() / s.frames.len();
        let mut rest = &data[header_end + 1..];
        let mut planes = Vec::new();
        while !rest.is_empty() {
            assert!(rest.starts_with(b"FRAME\n"), "FRAME line expected");
            planes.extend_from_slice(&rest[6..6 + frame_size]);
            rest = &rest[6 + frame_size..];
        }
        assert_eq!(planes, bytes, "y4m frames carry the yuv bytes");
    }
}

/// A stream whose picture size changes: y4m refuses it with a clear error, md5 carries on.
#[test]
fn y4m_refuses_a_size_change() {
    let streams = corpus();
    let Some(s) = streams.iter().find(|s| {
        s.frames
            .iter()
            .any(|f| (f.width, f.height) != (s.frames[0].width, s.frames[0].height))
    }) else {
        eprintln!("note: no corpus stream changes size; y4m size-change check skipped");
        return;
    };
    let y4m = scratch("resize.y4m");
    let o = run(&["-q", "-i", path_str(&s.ivf), "-o", path_str(&y4m)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("size changes"), "{}", stderr(&o));
}

#[test]
fn limit_stops_after_n_frames() {
    let s = &corpus()[0];
    let o = run(&[
        "-q",
        "-i",
        path_str(&s.ivf),
        "--muxer",
        "framemd5",
        "--limit",
        "2",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let got = parse_framemd5(&stdout(&o)).unwrap();
    assert_eq!(got, s.frames[..2.min(s.frames.len())]);
}

#[test]
fn verify_exit_codes() {
    let s = &corpus()[0];
    let ivf = path_str(&s.ivf);
    let o = run(&["-q", "-i", ivf, "--verify", &s.md5]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "matching --verify: {}",
        stderr(&o)
    );
    let upper = s.md5.to_ascii_uppercase();
    assert_eq!(
        run(&["-q", "-i", ivf, "--verify", &upper]).status.code(),
        Some(0),
        "--verify is case-insensitive"
    );

    let wrong = "0123456789abcdef0123456789abcdef";
    let o = run(&["-q", "-i", ivf, "--verify", wrong]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("--verify failed") && err.contains(wrong) && err.contains(&s.md5),
        "{err}"
    );

    // --verify alongside another muxer checks the decoded pictures, not the muxer's bytes.
    let o = run(&["-q", "-i", ivf, "--muxer", "framemd5", "--verify", &s.md5]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let o = run(&["-i", ivf, "--verify", "abc"]);
    assert_eq!(o.status.code(), Some(2), "a malformed md5 is a usage error");
}

#[test]
fn help_exits_zero_and_teaches() {
    let o = run(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o);
    for needle in [
        "Examples",
        "framemd5",
        "--verify",
        "--cpumask",
        "--sizelimit",
        "--strict",
        "Exit codes",
    ] {
        assert!(help.contains(needle), "--help lacks {needle:?}");
    }
}

#[test]
fn missing_input_is_a_clear_error() {
    let o = run(&["-i", "/nonexistent/stream.ivf", "--muxer", "md5"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("/nonexistent/stream.ivf") && err.contains("cannot open"),
        "{err}"
    );
    assert!(
        o.stdout.is_empty(),
        "no md5 for an input that was never read"
    );
}

#[test]
fn bad_files_are_clear_errors() {
    let not_ivf = scratch("not.ivf");
    std::fs::write(&not_ivf, b"RIFF....WEBPVP8 this is not an ivf file").unwrap();
    let o = run(&["-i", path_str(&not_ivf), "--muxer", "null"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("DKIF"), "{}", stderr(&o));

    let s = &corpus()[0];
    let mut vp9 = std::fs::read(&s.ivf).unwrap();
    vp9[8..12].copy_from_slice(b"VP90");
    let vp9_path = scratch("vp9.ivf");
    std::fs::write(&vp9_path, &vp9).unwrap();
    let o = run(&["-i", path_str(&vp9_path), "--muxer", "null"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("VP90") && stderr(&o).contains("VP80"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn usage_errors_exit_2() {
    let s = &corpus()[0];
    let ivf = path_str(&s.ivf);
    for (args, needle) in [
        (vec![], "no input"),
        (vec!["-i", ivf], "no output"),
        (vec!["-i", ivf, "--bogus"], "--bogus"),
        (vec!["-i", ivf, "--muxer", "avi"], "avi"),
        (vec!["-i", ivf, "-o", "out.bin"], "out.bin"),
        (vec!["-i", ivf, "--muxer", "yuv"], "-o"),
        (
            vec!["-i", ivf, "--muxer", "null", "--cpumask", "mmx"],
            "mmx",
        ),
        (
            vec!["-i", ivf, "--muxer", "null", "--limit", "0"],
            "--limit",
        ),
        (
            vec!["-i", ivf, "--muxer", "null", "--threads", "x"],
            "--threads",
        ),
        (
            vec!["-i", ivf, "--muxer", "null", "--sizelimit", "10y10"],
            "--sizelimit",
        ),
        (vec!["-i", ivf, "--muxer", "null", "extra"], "extra"),
        (vec!["-i"], "-i"),
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(needle),
            "{args:?}: stderr lacks {needle:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn settings_flags_do_not_change_output() {
    let s = &corpus()[0];
    let ivf = path_str(&s.ivf);
    for args in [
        vec!["--cpumask", "none"],
        vec!["--cpumask", "sse2", "--threads", "1"],
        vec!["--cpumask", "all", "--threads", "2"],
        vec!["--sizelimit", "16384x16384", "--strict", "--keep-going"],
    ] {
        let mut full = vec!["-q", "-i", ivf, "--muxer", "md5"];
        full.extend(&args);
        let o = run(&full);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert_eq!(stdout(&o).trim(), s.md5, "{args:?}");
    }
}

#[test]
fn sizelimit_refuses_and_strict_stops() {
    let s = &corpus()[0];
    let ivf = path_str(&s.ivf);
    let o = run(&["-i", ivf, "--muxer", "framemd5", "--sizelimit", "8x8"]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "keep-going: frames failed but decoding went on: {}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("frame 0:"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let o = run(&[
        "-i",
        ivf,
        "--muxer",
        "framemd5",
        "--sizelimit",
        "64",
        "--strict",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("error: frame 0:"), "{}", stderr(&o));
}

/// The optimized build is warning-free with clang too (gcc is checked by every other test:
/// `common::cli()` builds with WERROR=1 and the default cc).
#[test]
fn clang_build_is_warning_free() {
    if Command::new("clang").arg("--version").output().is_err() {
        vp8_stage::missing_tool("clang", "the warning-free clang build");
        return;
    }
    make(&make_build_dir("clang"), &["CC=clang", "WERROR=1", "all"]).unwrap();
}

/// tools/md5.c: RFC 1321's suite, then files of awkward lengths against the md-5 crate (and
/// md5sum where present).
#[test]
fn c_md5_matches_md5_crate() {
    let dir = make_build_dir("md5test");
    make(&dir, &["WERROR=1", "md5test"]).unwrap();
    let md5_test = dir.join("md5_test");
    let o = Command::new(&md5_test).output().unwrap();
    assert!(
        o.status.success(),
        "RFC 1321 suite: {}{}",
        stdout(&o),
        stderr(&o)
    );

    let mut rng = XorShift::new(1321);
    let mut files = Vec::new();
    for len in [
        0usize, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 65_536, 1_000_003,
    ] {
        let path = scratch(&format!("md5-input-{len}"));
        let data = rng.bytes(len);
        std::fs::write(&path, &data).unwrap();
        files.push((path, md5_hex(&data)));
    }
    let o = Command::new(&md5_test)
        .args(files.iter().map(|(p, _)| p))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), files.len());
    for ((path, want), line) in files.iter().zip(&lines) {
        assert_eq!(
            *line,
            format!("{want}  {}", path.display()),
            "md5_test vs md-5 crate"
        );
    }
    if let Ok(o) = Command::new("md5sum")
        .args(files.iter().map(|(p, _)| p))
        .output()
    {
        assert_eq!(stdout(&o), out, "md5_test vs md5sum");
    }
}
