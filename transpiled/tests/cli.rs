//! The transpiled CLI (`vp8dec-transpiled`: `upstream-c/tools/*.c` through `portlab transpile`,
//! calling this crate's decoder) against the C CLI (`upstream-c/build`'s `vp8dec`, built with the
//! Makefile): same stdout, stderr and exit status byte for byte on the whole corpus (`--muxer
//! md5`, also checked against the md5s vpxdec wrote) and on the other paths of the program:
//! framemd5, y4m and yuv output, stdin, `--limit`, `--verify`, `--help`, usage errors, missing,
//! foreign, truncated and corrupted input. (Hand-written; everything under src/ is generated.)

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

const RUST_CLI: &str = env!("CARGO_BIN_EXE_vp8dec-transpiled");

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("VP8_CORPUS_DIR") {
        Some(d) => PathBuf::from(d),
        None => repo().join("bench/corpus/streams"),
    }
}

/// The C CLI, built once per test binary the way upstream-c's own tests build it (same folder
/// and flags, so after those tests this is a no-op make; cargo runs test binaries one at a time).
fn c_cli() -> &'static Path {
    static CLI: OnceLock<PathBuf> = OnceLock::new();
    CLI.get_or_init(|| {
        let build = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("vp8-c-make-release");
        let o = Command::new("make")
            .arg("-C")
            .arg(repo().join("upstream-c"))
            .arg(format!("BUILD={}", build.display()))
            .args(["-j2", "WERROR=1", "all"])
            .output()
            .expect("cannot run make");
        assert!(
            o.status.success(),
            "building the C CLI failed:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        build.join("vp8dec")
    })
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("transpiled-cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The corpus streams (sorted) with the md5 vpxdec wrote for each.
fn corpus() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(corpus_dir()).unwrap() {
        let ivf = e.unwrap().path();
        if ivf.extension().is_none_or(|x| x != "ivf") {
            continue;
        }
        let md5_file = ivf.with_extension("md5");
        let Ok(text) = std::fs::read_to_string(&md5_file) else {
            continue;
        };
        let md5 = text.split_whitespace().next().unwrap_or("").to_lowercase();
        out.push((ivf, md5));
    }
    out.sort();
    assert!(!out.is_empty(), "no corpus streams with .md5 files");
    out
}

fn run(exe: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(exe)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", exe.display()));
    if let Some(bytes) = stdin {
        // A CLI that stops reading early closes the pipe: a failed write is its business.
        let _ = child.stdin.take().unwrap().write_all(bytes);
    }
    child.wait_with_output().unwrap()
}

fn show(o: &Output) -> String {
    let text = |b: &[u8]| {
        let s = String::from_utf8_lossy(b);
        match s.char_indices().nth(2000) {
            Some((i, _)) => format!("{}... ({} bytes)", &s[..i], b.len()),
            None => s.into_owned(),
        }
    };
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        text(&o.stdout),
        text(&o.stderr)
    )
}

/// Run both CLIs; their status, stdout and stderr must be identical. Returns the C CLI's output.
fn same_with(c_args: &[&str], rust_args: &[&str], stdin: Option<&[u8]>) -> Output {
    let c = run(c_cli(), c_args, stdin);
    let r = run(Path::new(RUST_CLI), rust_args, stdin);
    assert!(
        c.status.code() == r.status.code() && c.stdout == r.stdout && c.stderr == r.stderr,
        "vp8dec {c_args:?}: the transpiled CLI differs from the C CLI\n=== C\n{}\n=== transpiled\n{}",
        show(&c),
        show(&r)
    );
    c
}

fn same(args: &[&str]) -> Output {
    same_with(args, args, None)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn md5_over_the_corpus_matches_the_c_cli_and_vpxdec() {
    let streams = corpus();
    let mut wrong = Vec::new();
    for (ivf, want) in &streams {
        let o = same(&["-i", s(ivf), "--muxer", "md5"]);
        let got = String::from_utf8_lossy(&o.stdout).trim().to_string();
        if !o.status.success() || got != *want {
            wrong.push(format!("{}: {got:?}, vpxdec {want}", ivf.display()));
        }
    }
    assert!(
        wrong.is_empty(),
        "differs from vpxdec:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn framemd5_yuv_y4m_stdin_and_limit_match() {
    let streams = corpus();
    // A spread of streams (sorted by name, so several encoders and sizes).
    for (ivf, _) in streams.iter().step_by(streams.len().div_ceil(4)) {
        let o = same(&["-i", s(ivf), "--muxer", "framemd5"]);
        // The frame md5s are vpxdec's too.
        let reference = std::fs::read_to_string(ivf.with_extension("framemd5")).unwrap();
        let md5s = |t: &str| -> Vec<String> {
            t.lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(|l| l.split_whitespace().last().unwrap().to_lowercase())
                .collect()
        };
        assert_eq!(
            md5s(&String::from_utf8_lossy(&o.stdout)),
            md5s(&reference),
            "{}",
            ivf.display()
        );
        same(&["-i", s(ivf), "--muxer", "framemd5", "--limit", "3"]);
    }
    let (ivf, _) = &streams[0];
    same(&["-i", s(ivf), "-o", "-"]);
    let bytes = std::fs::read(ivf).unwrap();
    same_with(
        &["-i", "-", "--muxer", "framemd5"],
        &["-i", "-", "--muxer", "framemd5"],
        Some(&bytes),
    );
    let (c_y4m, r_y4m) = (scratch("c.y4m"), scratch("transpiled.y4m"));
    same_with(
        &["-i", s(ivf), "-o", s(&c_y4m)],
        &["-i", s(ivf), "-o", s(&r_y4m)],
        None,
    );
    let (c_bytes, r_bytes) = (
        std::fs::read(&c_y4m).unwrap(),
        std::fs::read(&r_y4m).unwrap(),
    );
    assert!(c_bytes.starts_with(b"YUV4MPEG2 "));
    assert!(c_bytes == r_bytes, "the y4m files differ");
}

#[test]
fn verify_match_and_mismatch() {
    let (ivf, md5) = &corpus()[1];
    let o = same(&["-i", s(ivf), "--verify", md5]);
    assert_eq!(o.status.code(), Some(0));
    let upper = md5.to_uppercase();
    same(&["-i", s(ivf), "--verify", &upper, "--muxer", "md5"]);
    let o = same(&["-i", s(ivf), "--verify", "0123456789abcdef0123456789abcdef"]);
    assert_eq!(o.status.code(), Some(1));
    same(&["-q", "-i", s(ivf), "--verify", md5, "--limit", "2"]);
}

#[test]
fn help_version_and_usage_errors() {
    let o = same(&["--help"]);
    assert!(o.status.success() && !o.stdout.is_empty());
    same(&["-h"]);
    same(&["--version"]);
    let (ivf, _) = &corpus()[0];
    let ivf = s(ivf);
    for args in [
        vec![],
        vec!["--bogus"],
        vec!["-Z"],
        vec!["-i"],
        vec!["-i", ivf],
        vec!["-i", ivf, "--muxer"],
        vec!["-i", ivf, "--muxer", "avi"],
        vec!["-i", ivf, "--muxer", "yuv"],
        vec!["-i", ivf, "-o", "out.bin"],
        vec!["-i", ivf, "--muxer", "null", "--limit", "0"],
        vec!["-i", ivf, "--muxer", "null", "--verify", "abc"],
        vec!["-i", ivf, "--muxer", "null", "--cpumask", "mmx"],
        vec!["-i", ivf, "--muxer", "null", "--threads", "x"],
        vec!["-i", ivf, "--muxer", "null", "--sizelimit", "10y10"],
        vec!["-i", ivf, "--muxer", "null", "extra"],
    ] {
        let o = same(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
    // Settings that must not change the output, and one that refuses every frame.
    same(&[
        "-i",
        ivf,
        "--muxer",
        "md5",
        "--cpumask",
        "none",
        "--threads",
        "1",
    ]);
    same(&["-i", ivf, "--muxer", "framemd5", "--sizelimit", "8x8"]);
    same(&[
        "-i",
        ivf,
        "--muxer",
        "framemd5",
        "--sizelimit",
        "64",
        "--strict",
    ]);
}

#[test]
fn bad_input_files() {
    let missing = scratch("does-not-exist.ivf");
    let o = same(&["-i", s(&missing), "--muxer", "md5"]);
    assert_eq!(o.status.code(), Some(1));
    let (ivf, _) = &corpus()[0];
    let bytes = std::fs::read(ivf).unwrap();
    let mut vp9 = bytes.clone();
    vp9[8..12].copy_from_slice(b"VP90");
    // A broken key frame start code (the first frame's payload starts at byte 32 + 12): the
    // frames up to the next key frame fail. Flipped bits mid-stream: whatever the decoder makes
    // of them, both CLIs must say the same.
    let mut no_key = bytes.clone();
    no_key[44 + 3] ^= 0xff;
    let mut flipped = bytes.clone();
    let mid = bytes.len() / 2;
    for b in &mut flipped[mid..mid + 64] {
        *b ^= 0x5a;
    }
    let cases: [(&str, Vec<u8>, bool); 7] = [
        ("empty.ivf", Vec::new(), true),
        (
            "text.ivf",
            b"not a video file at all, just text\n".to_vec(),
            true,
        ),
        ("short-header.ivf", bytes[..20].to_vec(), true),
        ("vp9.ivf", vp9, true),
        ("truncated.ivf", bytes[..bytes.len() * 3 / 5].to_vec(), true),
        ("no-key-frame.ivf", no_key, true),
        ("flipped.ivf", flipped, false),
    ];
    for (name, data, fails) in cases {
        let path = scratch(name);
        std::fs::write(&path, data).unwrap();
        let o = same(&["-i", s(&path), "--muxer", "framemd5"]);
        assert!(!fails || o.status.code() != Some(0), "{name}: {}", show(&o));
        same(&["-i", s(&path), "--muxer", "framemd5", "--strict"]);
    }
}

/// Run `exe args` with stdout closed (by the shell), on /dev/full, and on a pipe whose reader is
/// gone: (how it ended, stderr) for each.
fn unwritable_stdout(exe: &Path, args: &[&str]) -> Vec<(String, String)> {
    let closed = Command::new("sh")
        .args(["-c", "exec \"$@\" >&-", "sh"])
        .arg(exe)
        .args(args)
        .output()
        .unwrap();
    let full = Command::new(exe)
        .args(args)
        .stdout(
            std::fs::File::options()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .output()
        .unwrap();
    let mut child = Command::new(exe)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let pipe = child.wait_with_output().unwrap();
    [closed, full, pipe]
        .iter()
        .map(|o| {
            (
                format!("{:?}", o.status),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            )
        })
        .collect()
}

#[test]
fn unwritable_stdout_ends_as_in_the_c_cli() {
    let (ivf, _) = &corpus()[0];
    for muxer in ["yuv", "md5", "framemd5"] {
        let args = ["-q", "-i", s(ivf), "--muxer", muxer, "-o", "-"];
        let c = unwritable_stdout(c_cli(), &args);
        let r = unwritable_stdout(Path::new(RUST_CLI), &args);
        assert_eq!(
            c, r,
            "--muxer {muxer}: C (closed, full, pipe) vs transpiled"
        );
        assert!(
            r[0].1
                .ends_with("write error on stdout: Bad file descriptor\n")
                && r[1]
                    .1
                    .ends_with("write error on stdout: No space left on device\n"),
            "--muxer {muxer}: {r:?}"
        );
    }
}

/// A 76-byte IVF whose key frame declares 16383x16383 with a 21-byte first partition: refused
/// as in C, with under 64 MiB of peak RSS (wait4's ru_maxrss) and no MD5 line.
#[test]
fn a_huge_key_frame_of_a_few_bytes_costs_no_memory() {
    let part = 21u32;
    let mut frame = ((part << 5) | (1 << 4)).to_le_bytes()[..3].to_vec();
    frame.extend_from_slice(&[0x9d, 0x01, 0x2a, 0xff, 0x3f, 0xff, 0x3f]);
    frame.extend(std::iter::repeat_n(0u8, part as usize + 1));
    let header = vp8_stage::ivf::IvfHeader::vp8(16383, 16383, 30, 1);
    let mut bytes = header.to_bytes().to_vec();
    vp8_stage::ivf::write_frame(&mut bytes, 0, &frame).unwrap();
    assert_eq!(bytes.len(), 76);
    let path = scratch("huge-key-frame.ivf");
    std::fs::write(&path, &bytes).unwrap();
    let o = same(&["-i", s(&path), "--muxer", "md5"]);
    assert!(o.stdout.is_empty(), "{}", show(&o));
    // Reaped by wait4 below, which also gives its peak RSS (Child::wait would not).
    #[allow(clippy::zombie_processes)]
    let child = Command::new(RUST_CLI)
        .args(["-q", "-i", s(&path), "--muxer", "null"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: rusage is plain data, valid all-zero.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 writes only its two out-parameters, valid for the call; the child is ours and
    // not reaped elsewhere.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut ru) };
    assert_eq!(pid, child.id() as libc::pid_t);
    assert!(ru.ru_maxrss <= 64 * 1024, "peak RSS {} KiB", ru.ru_maxrss);
}
