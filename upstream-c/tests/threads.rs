//! Multithreaded decoding (`n_threads`, `--threads`; src/thread.c) never changes the output:
//! - every corpus stream in process at 1, 2 and 3 threads under every `--cpumask` word, frame by
//!   frame against the md5s vpxdec wrote;
//! - the C CLI at `--threads 4` and `8` (the decoder clamps both to 3, one thread per chain, so
//!   the in-process runs at 3 cover them under every mask; this covers the flag's path);
//! - the corruption set (`vp8_stage::corrupt`) at 2 threads against 1 thread, frame by frame: the
//!   same pictures and the same errors, so recovery is unchanged too;
//! - the ThreadSanitizer build (`make tsan`, clang) decodes the corpus at `--threads 2` and `4`
//!   without a report. Without clang it fails when `CI` is set and is skipped otherwise.

mod common;

use std::process::Command;

use common::{FrameMd5, Stream, corpus, make, make_build_dir, md5_hex, on_threads};
use vp8_c::{Decoder, Settings};
use vp8_stage::corrupt::{Case, build_cases, pick_sources};
use vp8_stage::ivf::{self, IvfReader};

const WORDS: [&str; 5] = ["none", "sse2", "ssse3", "avx2", "all"];

/// What one compressed frame gave: the picture's md5 (or "-" when none is shown), or the error.
fn decode_frames(frames: &[Vec<u8>], settings: Settings) -> Result<Vec<String>, String> {
    let mut decoder = Decoder::new(settings).map_err(|e| format!("open: {e}"))?;
    let mut out = Vec::new();
    let mut buf = Vec::new();
    for f in frames {
        match decoder.decode(f) {
            Ok(()) => match decoder.picture() {
                Some(p) => {
                    buf.clear();
                    p.write_i420(&mut buf).unwrap();
                    out.push(format!("{}x{} {}", p.width(), p.height(), md5_hex(&buf)));
                }
                None => out.push("-".to_string()),
            },
            Err(e) => out.push(format!("error {e}")),
        }
    }
    Ok(out)
}

fn stream_frames(stream: &Stream) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(&stream.ivf).unwrap();
    let (_, frames) = ivf::parse(&bytes).unwrap();
    frames.into_iter().map(|f| f.data).collect()
}

/// The reference as decode_frames writes it (only the shown pictures are compared).
fn pictures(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| l.as_str() != "-" && !l.starts_with("error"))
        .cloned()
        .collect()
}

fn reference(stream: &Stream) -> Vec<String> {
    stream
        .frames
        .iter()
        .map(|f: &FrameMd5| format!("{}x{} {}", f.width, f.height, f.md5))
        .collect()
}

#[test]
fn corpus_identical_at_1_2_3_threads_under_every_cpumask() {
    let streams = corpus();
    let failures = on_threads(&WORDS, |&word| {
        let mask = vp8_c::parse_cpu_mask(word).unwrap();
        let mut failures = Vec::new();
        for s in &streams {
            let frames = stream_frames(s);
            let want = reference(s);
            for threads in [1, 2, 3] {
                let settings = Settings {
                    cpu_mask: mask,
                    threads,
                    ..Settings::default()
                };
                let got = decode_frames(&frames, settings).map(|l| pictures(&l));
                if got.as_ref() != Ok(&want) {
                    let i = got.as_ref().map_or(0, |g| {
                        (0..g.len().max(want.len()))
                            .find(|&i| g.get(i) != want.get(i))
                            .unwrap_or(0)
                    });
                    failures.push(format!(
                        "  {}: --cpumask {word} --threads {threads}: output frame {i}: got {:?}, expected {:?}",
                        s.name,
                        got.as_ref().map(|g| g.get(i).cloned()),
                        want.get(i)
                    ));
                }
            }
        }
        failures
    });
    assert!(
        failures.is_empty(),
        "{} (stream, mask, threads) runs differ from the reference:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "{} streams x {} --cpumask words x threads 1, 2, 3 match",
        streams.len(),
        WORDS.len()
    );
}

/// Runs the CLI `cli` over the corpus at each thread count; returns the mismatches.
fn cli_corpus(cli: &std::path::Path, threads: &[&str], env: &[(&str, &str)]) -> Vec<String> {
    let streams = corpus();
    let mut failures = Vec::new();
    for s in &streams {
        for t in threads {
            let o = Command::new(cli)
                .args(["-q", "--threads", t, "--muxer", "md5", "-i"])
                .arg(&s.ivf)
                .envs(env.iter().copied())
                .output()
                .expect("run vp8dec");
            let got = String::from_utf8_lossy(&o.stdout).trim().to_string();
            let stderr = String::from_utf8_lossy(&o.stderr);
            if !o.status.success() || got != s.md5 || stderr.contains("ThreadSanitizer") {
                failures.push(format!(
                    "  --threads {t}: {}: {} md5 {got:?}, expected {}; {}",
                    s.name,
                    o.status,
                    s.md5,
                    stderr.lines().take(30).collect::<Vec<_>>().join("\n    ")
                ));
            }
        }
    }
    failures
}

#[test]
fn cli_corpus_identical_at_4_and_8_threads() {
    let failures = cli_corpus(common::cli(), &["4", "8"], &[]);
    assert!(
        failures.is_empty(),
        "{} CLI runs differ from the reference:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn case_frames(case: &Case) -> Vec<Vec<u8>> {
    let Ok(mut reader) = IvfReader::new(case.bytes.as_slice()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while let Ok(Some(f)) = reader.next_frame() {
        out.push(f.data);
    }
    out
}

#[test]
fn corruption_set_identical_at_2_threads() {
    let streams = vp8_stage::corpus::corpus_streams(&common::corpus_dir()).unwrap();
    let cases = build_cases(&pick_sources(&streams));
    assert!(cases.len() > 1000, "only {} corruption cases", cases.len());
    let settings = |threads| Settings {
        threads,
        max_frame_area: 4096 * 4096,
        ..Settings::default()
    };
    let chunks: Vec<_> = cases.chunks(cases.len().div_ceil(2)).collect();
    let failures = on_threads(&chunks, |chunk| {
        let mut failures = Vec::new();
        for case in chunk.iter() {
            let frames = case_frames(case);
            let want = decode_frames(&frames, settings(1));
            let got = decode_frames(&frames, settings(2));
            if got != want {
                failures.push(format!(
                    "  {}: 2 threads {got:?}\n    1 thread {want:?}",
                    case.name
                ));
            }
        }
        failures
    });
    assert!(
        failures.is_empty(),
        "{} corruption cases decode differently at 2 threads:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    eprintln!("{} corruption cases: 2 threads = 1 thread", cases.len());
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn thread_sanitizer_finds_nothing_in_the_corpus() {
    if !have("clang") {
        assert!(
            std::env::var_os("CI").is_none(),
            "clang is missing: the ThreadSanitizer test cannot run (CI is set)"
        );
        eprintln!("SKIPPED: clang is missing, no ThreadSanitizer build");
        return;
    }
    let dir = make_build_dir("tsan");
    make(&dir, &["tsan"]).unwrap_or_else(|e| panic!("make tsan failed:\n{e}"));
    let failures = cli_corpus(
        &dir.join("tsan/vp8dec"),
        &["2", "4"],
        &[("TSAN_OPTIONS", "halt_on_error=1:exitcode=66")],
    );
    assert!(
        failures.is_empty(),
        "{} ThreadSanitizer runs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
