//! Decode every corpus stream in-process through `vp8-c` and compare each output frame and the
//! whole output with the reference md5s vpxdec wrote (bench/corpus/streams/NAME.{md5,framemd5}).
//! Every mismatching stream is reported (name, first bad frame) before the test fails.

mod common;

use common::{FrameMd5, Stream, corpus, md5_hex};
use md5::{Digest, Md5};
use vp8_c::{Decoder, ErrorKind, Settings, cpu};
use vp8_stage::ivf;

/// Decode a stream; Err describes the first problem.
fn check_stream(stream: &Stream, settings: Settings) -> Result<(), String> {
    let bytes = std::fs::read(&stream.ivf).map_err(|e| format!("read: {e}"))?;
    let (_, frames) = ivf::parse(&bytes).map_err(|e| format!("IVF: {e}"))?;
    let mut decoder = Decoder::new(settings).map_err(|e| format!("open: {e}"))?;
    let mut whole = Md5::new();
    let mut out: Vec<FrameMd5> = Vec::new();
    let mut first_bad: Option<String> = None;
    let mut picture_bytes = Vec::new();
    for frame in &frames {
        if let Err(e) = decoder.decode(&frame.data) {
            // A zero-length frame decodes nothing and leaves the state alone (vp8.h), as vpxdec
            // skips it: not a failure, and no picture.
            if e.kind() == ErrorKind::EmptyFrame {
                continue;
            }
            first_bad.get_or_insert_with(|| {
                format!("compressed frame {}: decode error: {e}", frame.index)
            });
            continue;
        }
        if let Some(picture) = decoder.picture() {
            picture_bytes.clear();
            picture.write_i420(&mut picture_bytes).unwrap();
            whole.update(&picture_bytes);
            let got = FrameMd5 {
                index: out.len() as u64,
                width: picture.width(),
                height: picture.height(),
                md5: md5_hex(&picture_bytes),
            };
            if first_bad.is_none() && stream.frames.get(out.len()) != Some(&got) {
                first_bad = Some(match stream.frames.get(out.len()) {
                    Some(want) => format!(
                        "output frame {} (compressed frame {}): got {got}, expected {want}",
                        out.len(),
                        frame.index
                    ),
                    None => format!(
                        "output frame {} is one more than the reference has",
                        out.len()
                    ),
                });
            }
            out.push(got);
        }
    }
    if let Some(bad) = first_bad {
        return Err(bad);
    }
    if out.len() != stream.frames.len() {
        return Err(format!(
            "{} output frames, the reference has {}",
            out.len(),
            stream.frames.len()
        ));
    }
    let md5 = common::hex(&whole.finalize());
    if md5 != stream.md5 {
        return Err(format!("whole-output md5 {md5}, expected {}", stream.md5));
    }
    Ok(())
}

fn check_corpus(settings: Settings, what: &str) {
    let streams = corpus();
    let mut failures = Vec::new();
    for stream in &streams {
        if let Err(e) = check_stream(stream, settings) {
            failures.push(format!("  {}: {e}", stream.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus streams differ from the reference ({what}):\n{}",
        failures.len(),
        streams.len(),
        failures.join("\n")
    );
    eprintln!(
        "{} corpus streams match their reference md5s ({what})",
        streams.len()
    );
}

#[test]
fn corpus_matches_reference_default_settings() {
    check_corpus(Settings::default(), "default settings");
}

/// The C fallbacks alone: output must not depend on CPU features.
#[test]
fn corpus_matches_reference_c_only_single_thread() {
    check_corpus(
        Settings {
            cpu_mask: cpu::NONE,
            threads: 1,
            ..Settings::default()
        },
        "--cpumask none, 1 thread",
    );
}

/// An explicit thread count (3: every chain of row tasks on its own thread). tests/threads.rs
/// covers the other counts, every CPU mask, the corruption set and ThreadSanitizer.
#[test]
fn corpus_matches_reference_three_threads() {
    check_corpus(
        Settings {
            threads: 3,
            ..Settings::default()
        },
        "3 threads",
    );
}

/// The reference files agree with themselves: per-frame lines numbered from 0, and the md5 of
/// the IVF frames parsed by `vp8_stage::ivf` reaching the end of each file cleanly.
#[test]
fn corpus_files_are_well_formed() {
    for stream in corpus() {
        for (i, f) in stream.frames.iter().enumerate() {
            assert_eq!(
                f.index, i as u64,
                "{}: framemd5 line {i} has index {}",
                stream.name, f.index
            );
        }
        let bytes = std::fs::read(&stream.ivf).unwrap();
        let (header, frames) =
            ivf::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", stream.name));
        assert_eq!(&header.fourcc, b"VP80");
        assert!(!frames.is_empty(), "{}: no frames", stream.name);
    }
}
