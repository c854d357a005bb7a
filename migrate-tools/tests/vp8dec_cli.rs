//! The Rust `vp8dec` (src/bin/vp8dec.rs) against the committed references and the C CLI:
//! - every stage built in, over the whole corpus: `--muxer md5` equals `NAME.md5` and
//!   `--muxer framemd5` equals `NAME.framemd5`, byte for byte;
//! - edge cases (corrupt, truncated and non-IVF input, --strict, --limit, --verify, y4m/yuv
//!   output, stdin, usage errors): the same stdout, exit code and stderr as the C CLI
//!   (upstream-c/tools, built here with make), for every stage.

mod common;
use common::c_cli;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const VP8DEC: &str = env!("CARGO_BIN_EXE_vp8dec");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("VP8_CORPUS_DIR") {
        Some(d) => PathBuf::from(d),
        None => root().join("bench/corpus/streams"),
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("portlab-vp8dec-test");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn stages() -> Vec<&'static str> {
    portlab::stage::all_stages()
        .iter()
        .map(|s| s.name())
        .collect()
}

/// (name, ivf, md5 file text, framemd5 file text).
type Stream = (String, PathBuf, String, String);

/// Every corpus stream with references.
fn corpus() -> Vec<Stream> {
    let streams = portlab::verify::corpus_streams(&corpus_dir()).unwrap();
    let out: Vec<_> = streams
        .into_iter()
        .filter_map(|s| {
            let md5 = std::fs::read_to_string(s.md5?).ok()?;
            let framemd5 = std::fs::read_to_string(s.framemd5?).ok()?;
            Some((s.name, s.ivf, md5, framemd5))
        })
        .collect();
    assert!(
        out.len() > 10,
        "corpus in {} too small",
        corpus_dir().display()
    );
    out
}

fn run(program: &str, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(program)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    if let Some(data) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let data = data.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&data);
        });
    }
    child.wait_with_output().unwrap()
}

/// Run `jobs` on two threads (the CI machine has 2 cores); collect failures.
fn parallel<T: Sync>(items: &[T], f: impl Fn(&T) -> Vec<String> + Sync) -> Vec<String> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let f = f(item);
                    failures.lock().unwrap().extend(f);
                }
            });
        }
    });
    failures.into_inner().unwrap()
}

#[test]
fn md5_and_framemd5_match_the_corpus_for_every_stage() {
    let streams = corpus();
    let jobs: Vec<(&str, &Stream)> = stages()
        .into_iter()
        .flat_map(|st| streams.iter().map(move |s| (st, s)))
        .collect();
    let failures = parallel(&jobs, |(stage, (name, ivf, md5, framemd5))| {
        let mut f = Vec::new();
        let ivf = ivf.to_str().unwrap();
        for (muxer, expected) in [("md5", md5), ("framemd5", framemd5)] {
            let o = run(
                VP8DEC,
                &["-q", "-i", ivf, "--muxer", muxer, "--stage", stage],
                None,
            );
            let got = String::from_utf8_lossy(&o.stdout);
            // The md5 files may carry a file name after the hash; compare the hash.
            let same = if muxer == "md5" {
                got.split_whitespace().next() == expected.split_whitespace().next()
            } else {
                got == *expected
            };
            if !o.status.success() || !same {
                let first_bad = got
                    .lines()
                    .zip(expected.lines())
                    .position(|(a, b)| a != b)
                    .map_or(String::new(), |i| format!(" (first differing line {i})"));
                f.push(format!(
                    "  --stage {stage} {name} --muxer {muxer}: {}{first_bad}; stderr: {}",
                    o.status,
                    String::from_utf8_lossy(&o.stderr).trim()
                ));
            }
        }
        f
    });
    assert!(
        failures.is_empty(),
        "the Rust vp8dec differs from the corpus references:\n{}",
        failures.join("\n")
    );
}

fn stream(name: &str) -> PathBuf {
    corpus_dir().join(format!("{name}.ivf"))
}

/// Edge-case inputs: (label, file) written to the scratch folder.
fn edge_inputs() -> Vec<(&'static str, PathBuf)> {
    let src = std::fs::read(stream("bench-vga-testsrc2-640x480")).unwrap();
    let mut corrupt = src.clone();
    // Deterministic damage: flip bytes across the payloads (and through some frame headers).
    let mut x: u64 = 0x1234_5678;
    for _ in 0..150 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let i = 200 + (x % (corrupt.len() as u64 - 200)) as usize;
        corrupt[i] ^= 0x5a;
    }
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("corrupt", corrupt),
        ("truncated", src[..30_000].to_vec()),
        ("short-header", src[..20].to_vec()),
        ("empty", Vec::new()),
        (
            "not-ivf",
            b"RIFF....WEBPVP8 this is not an ivf file at all".to_vec(),
        ),
        ("vp9", {
            let mut v = src[..32].to_vec();
            v[8..12].copy_from_slice(b"VP90");
            v
        }),
    ];
    files
        .into_iter()
        .map(|(label, bytes)| {
            let p = scratch(&format!("edge-{label}.ivf"));
            std::fs::write(&p, bytes).unwrap();
            (label, p)
        })
        .collect()
}

#[test]
fn same_stdout_exit_code_and_stderr_as_the_c_cli() {
    let c = c_cli();
    let edge = edge_inputs();
    let path = |label: &str| -> String {
        edge.iter()
            .find(|(l, _)| *l == label)
            .unwrap()
            .1
            .to_string_lossy()
            .into_owned()
    };
    let vga = stream("bench-vga-testsrc2-640x480")
        .to_string_lossy()
        .into_owned();
    let odd = stream("altref-2pass-tp1-p1-scroll-odd-129x97")
        .to_string_lossy()
        .into_owned();
    let vga_md5 = std::fs::read_to_string(corpus_dir().join("bench-vga-testsrc2-640x480.md5"))
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let (corrupt, truncated) = (path("corrupt"), path("truncated"));
    let cases: Vec<Vec<String>> = [
        vec!["-i", &corrupt, "--muxer", "framemd5"],
        vec!["-i", &corrupt, "--muxer", "md5", "--strict"],
        vec![
            "-i",
            &corrupt,
            "--muxer",
            "framemd5",
            "--strict",
            "--keep-going",
        ],
        vec!["-i", &truncated, "--muxer", "framemd5"],
        vec!["-i", &path("short-header"), "--muxer", "md5"],
        vec!["-i", &path("empty"), "--muxer", "md5"],
        vec!["-i", &path("not-ivf"), "--muxer", "md5"],
        vec!["-i", &path("vp9"), "--muxer", "md5"],
        vec!["-i", "/nonexistent/in.ivf", "--muxer", "md5"],
        vec!["-i", &vga, "--muxer", "framemd5", "--limit", "3"],
        vec!["-i", &vga, "--verify", &vga_md5],
        vec!["-i", &vga, "--verify", "0123456789abcdef0123456789abcdef"],
        vec!["-i", &vga, "--verify", &vga_md5, "-q", "--muxer", "md5"],
        vec!["-i", &vga, "--muxer", "md5", "--sizelimit", "320x240"],
        vec![
            "-i",
            &vga,
            "--muxer",
            "md5",
            "--sizelimit",
            "640x480",
            "--cpumask",
            "none",
        ],
        vec!["-i", &odd, "-o", "-", "--limit", "4"],
        vec!["-i", &odd, "-o", "-", "--muxer", "y4m", "--threads", "2"],
        vec!["-i", &vga, "-o", "/nonexistent/dir/out.y4m"],
        // Usage errors.
        vec![],
        vec!["-i", &vga],
        vec!["-i", &vga, "-o", "out.bin"],
        vec!["-i", &vga, "--muxer", "yuv"],
        vec!["-i", &vga, "--muxer", "md6"],
        vec!["-i", &vga, "--muxer", "md5", "--limit", "0"],
        vec!["-i", &vga, "--muxer", "md5", "--limit"],
        vec!["-i", &vga, "--muxer", "md5", "--threads", "2000"],
        vec!["-i", &vga, "--muxer", "md5", "--cpumask", "sse4"],
        vec!["-i", &vga, "--muxer", "md5", "--sizelimit", "axb"],
        vec!["-i", &vga, "--verify", "xyz"],
        vec!["-i", &vga, "--muxer", "md5", "stray"],
        vec!["-i", &vga, "--muxer", "md5", "--bogus"],
        vec!["-i"],
    ]
    .iter()
    .map(|v| v.iter().map(|s| s.to_string()).collect())
    .collect();
    let mut failures = Vec::new();
    for args in &cases {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let want = run(c, &a, None);
        for stage in stages() {
            // --stage first: after a trailing option it would be taken as that option's value.
            let mut ra = vec!["--stage", stage];
            ra.extend(a.iter().copied());
            let got = run(VP8DEC, &ra, None);
            let (ge, we) = (
                String::from_utf8_lossy(&got.stderr),
                String::from_utf8_lossy(&want.stderr),
            );
            if got.status.code() != want.status.code() || got.stdout != want.stdout || ge != we {
                failures.push(format!(
                    "  vp8dec {} --stage {stage}: exit {:?} vs C {:?}; stdout {} vs {} bytes{}; \
                     stderr:\n    rust: {}\n    C:    {}",
                    a.join(" "),
                    got.status.code(),
                    want.status.code(),
                    got.stdout.len(),
                    want.stdout.len(),
                    if got.stdout == want.stdout {
                        " (same)"
                    } else {
                        " (DIFFER)"
                    },
                    ge.trim().replace('\n', "\n          "),
                    we.trim().replace('\n', "\n          ")
                ));
            }
        }
    }
    // stdin input.
    let bytes = std::fs::read(&vga).unwrap();
    let want = run(c, &["-i", "-", "--muxer", "framemd5"], Some(&bytes));
    for stage in stages() {
        let got = run(
            VP8DEC,
            &["-i", "-", "--muxer", "framemd5", "--stage", stage],
            Some(&bytes),
        );
        if got.stdout != want.stdout || got.status.code() != want.status.code() {
            failures.push(format!(
                "  -i - (stdin) --stage {stage}: differs from the C CLI"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "the Rust vp8dec differs from the C CLI on {} cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn y4m_and_yuv_files_equal_the_c_cli_files() {
    let c = c_cli();
    let odd = stream("altref-2pass-tp1-p1-scroll-odd-129x97");
    let odd = odd.to_str().unwrap();
    for ext in ["y4m", "yuv"] {
        let want_path = scratch(&format!("c-out.{ext}"));
        let o = run(
            c,
            &["-q", "-i", odd, "-o", want_path.to_str().unwrap()],
            None,
        );
        assert!(o.status.success());
        let want = std::fs::read(&want_path).unwrap();
        for stage in stages() {
            let p = scratch(&format!("rust-{stage}.{ext}"));
            let o = run(
                VP8DEC,
                &["-q", "-i", odd, "-o", p.to_str().unwrap(), "--stage", stage],
                None,
            );
            assert!(o.status.success(), "{stage} {ext}: {o:?}");
            assert!(
                std::fs::read(&p).unwrap() == want,
                "--stage {stage}: .{ext} differs from the C CLI's"
            );
        }
    }
}

#[test]
fn help_teaches_and_version_names_the_stages() {
    let o = run(VP8DEC, &["--help"], None);
    assert!(o.status.success());
    let help = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "Examples:",
        "--stage",
        "--muxer",
        "framemd5",
        "--cpumask",
        "Exit codes:",
        "--strict",
    ] {
        assert!(help.contains(needle), "--help lacks {needle:?}");
    }
    let o = run(VP8DEC, &["--version"], None);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("stages: c"));
    let o = run(
        VP8DEC,
        &["-i", "x.ivf", "--muxer", "md5", "--stage", "nope"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown stage 'nope'"));
}
