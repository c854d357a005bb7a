//! Runtime dispatch: every corpus stream decoded under each `--cpumask` word (none, sse2, ssse3,
//! avx2, all), in-process through `vp8-c` and through the C CLI, must give the md5s vpxdec wrote.
//! Each word selects a different set of asm kernels (checkasm proves each kernel equal to its C
//! fallback in isolation; this proves the decoder wires the sets together correctly). Masks
//! above what the CPU has are still valid: the decoder uses the intersection.

mod common;

use std::process::Command;

use common::{FrameMd5, Stream, corpus, md5_hex};
use md5::{Digest, Md5};
use vp8_c::{Decoder, ErrorKind, Settings};
use vp8_stage::ivf;

const WORDS: [&str; 5] = ["none", "sse2", "ssse3", "avx2", "all"];

/// Per-frame md5s and the whole-output md5 of one stream decoded in-process.
fn decode(stream: &Stream, cpu_mask: u32) -> Result<(Vec<FrameMd5>, String), String> {
    let bytes = std::fs::read(&stream.ivf).map_err(|e| format!("read: {e}"))?;
    let (_, frames) = ivf::parse(&bytes).map_err(|e| format!("IVF: {e}"))?;
    let settings = Settings {
        cpu_mask,
        ..Settings::default()
    };
    let mut decoder = Decoder::new(settings).map_err(|e| format!("open: {e}"))?;
    let mut whole = Md5::new();
    let mut out = Vec::new();
    let mut buf = Vec::new();
    for frame in &frames {
        match decoder.decode(&frame.data) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::EmptyFrame => continue,
            Err(e) => return Err(format!("compressed frame {}: {e}", frame.index)),
        }
        if let Some(picture) = decoder.picture() {
            buf.clear();
            picture.write_i420(&mut buf).unwrap();
            whole.update(&buf);
            out.push(FrameMd5 {
                index: out.len() as u64,
                width: picture.width(),
                height: picture.height(),
                md5: md5_hex(&buf),
            });
        }
    }
    Ok((out, common::hex(&whole.finalize())))
}

/// Runs `check(word, stream)` for every mask word and stream, one thread per word (the decodes are
/// independent), and fails with every mismatch it reports.
fn for_every_word(streams: &[Stream], check: impl Fn(&str, &Stream) -> Option<String> + Sync) {
    let failures = common::on_threads(&WORDS, |&word| {
        streams
            .iter()
            .filter_map(|s| check(word, s))
            .collect::<Vec<_>>()
    });
    assert!(
        failures.is_empty(),
        "{} (mask, stream) pairs differ from the reference:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "{} streams x {} --cpumask words match",
        streams.len(),
        WORDS.len()
    );
}

#[test]
fn in_process_every_cpumask_matches_reference() {
    for_every_word(&corpus(), |word, s| {
        let mask = vp8_c::parse_cpu_mask(word).expect("a valid --cpumask word");
        match decode(s, mask) {
            Err(e) => Some(format!("  {word}: {}: {e}", s.name)),
            Ok((frames, md5)) => {
                if let Some(i) = (0..frames.len().max(s.frames.len()))
                    .find(|&i| frames.get(i) != s.frames.get(i))
                {
                    Some(format!(
                        "  {word}: {}: output frame {i}: got {:?}, expected {:?}",
                        s.name,
                        frames.get(i).map(ToString::to_string),
                        s.frames.get(i).map(ToString::to_string)
                    ))
                } else if md5 != s.md5 {
                    Some(format!("  {word}: {}: whole md5 {md5}", s.name))
                } else {
                    None
                }
            }
        }
    });
}

#[test]
fn cli_every_cpumask_matches_reference() {
    let cli = common::cli();
    for_every_word(&corpus(), |word, s| {
        let o = Command::new(cli)
            .args(["-q", "--cpumask", word, "--muxer", "md5", "-i"])
            .arg(&s.ivf)
            .output()
            .expect("run vp8dec");
        let got = String::from_utf8_lossy(&o.stdout).trim().to_string();
        (!o.status.success() || got != s.md5).then(|| {
            format!(
                "  --cpumask {word}: {}: {} md5 {got:?}, expected {}; {}",
                s.name,
                o.status,
                s.md5,
                String::from_utf8_lossy(&o.stderr).trim()
            )
        })
    });
}

#[test]
fn cli_rejects_unknown_cpumask() {
    let o = Command::new(common::cli())
        .args(["-q", "--cpumask", "avx512", "--muxer", "md5", "-i", "x.ivf"])
        .output()
        .expect("run vp8dec");
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--cpumask"));
}
