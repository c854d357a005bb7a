//! The fuzzing harness every stage shares: how one fuzz input becomes decoder [`Settings`] and
//! compressed frames, and what a stage made of them. The cargo-fuzz targets (`fuzz/`), the C
//! libFuzzer harness (`fuzz/c/fuzz_decode.c`, the same rules in C) and the regression test of
//! the findings (`migrate-tools/tests/fuzz_regressions.rs`) all go through here, so a saved input
//! replays exactly as the fuzzer ran it (docs/fuzzing.md).
//!
//! An input is an IVF file. The IVF header's last four bytes are unused by the format; byte
//! [`CPU_MASK_BYTE`] picks the `--cpumask` the stages decode under, so the fuzzer also explores
//! the C fallbacks and each ISA level of the asm kernels. Two caps keep every execution fast:
//! key frames above [`MAX_FRAME_AREA`] pixels are refused ([`Settings::max_frame_area`], the
//! decoder's own limit) and at most [`MAX_FRAMES`] frames are decoded.

use crate::ivf::IvfReader;
use crate::{CPU_MASK_WORDS, ErrorKind, Settings, StageDecoder, Vp8Stage, parse_cpu_mask};

/// Key frames above this many pixels are refused (`TooLarge`): about 360x360, above every small
/// corpus stream (at most 256x192) and far below what a fuzzed header can claim (16383x16383).
pub const MAX_FRAME_AREA: u64 = 1 << 17;

/// Frames decoded per input; the rest is ignored.
pub const MAX_FRAMES: usize = 32;

/// The IVF header byte (of the unused bytes 28..31) that selects the CPU mask.
pub const CPU_MASK_BYTE: usize = 28;

/// The CPU mask an input asks for: byte [`CPU_MASK_BYTE`] modulo 5 picks "all", "avx2",
/// "ssse3", "sse2" or "none" (0, what muxers write, is "all").
pub fn cpu_mask(input: &[u8]) -> u32 {
    let pick = input.get(CPU_MASK_BYTE).copied().unwrap_or(0) as usize % CPU_MASK_WORDS.len();
    let word = CPU_MASK_WORDS[CPU_MASK_WORDS.len() - 1 - pick];
    parse_cpu_mask(word).expect("CPU_MASK_WORDS are all valid")
}

/// The settings an input decodes under: its CPU mask, one thread, the [`MAX_FRAME_AREA`] cap.
pub fn settings(input: &[u8]) -> Settings {
    Settings {
        cpu_mask: cpu_mask(input),
        threads: 1,
        max_frame_area: MAX_FRAME_AREA,
    }
}

/// The frames of the IVF input, up to [`MAX_FRAMES`] and up to the first container error (a bad
/// header gives none: the decoders are then not called).
pub fn frames(input: &[u8]) -> Vec<Vec<u8>> {
    let Ok(mut reader) = IvfReader::new(input) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while out.len() < MAX_FRAMES {
        match reader.next_frame() {
            Ok(Some(frame)) => out.push(frame.data),
            _ => break,
        }
    }
    out
}

/// One picture a stage gave: its size, key-frame flag, frame number and the MD5 of its I420
/// bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PictureSummary {
    pub width: usize,
    pub height: usize,
    pub keyframe: bool,
    pub frame_number: u64,
    pub md5: String,
}

/// What one compressed frame did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Decoded; the pictures it made available (none for a hidden frame).
    Pictures(Vec<PictureSummary>),
    /// Refused: the error kind and its detail message.
    Error(ErrorKind, String),
}

/// Decode `frames` with a fresh decoder of `stage` and say what each frame did. A stage that
/// cannot open a decoder with these settings (they are always valid) panics, as does a stage bug.
pub fn decode(stage: &dyn Vp8Stage, settings: &Settings, frames: &[Vec<u8>]) -> Vec<Outcome> {
    let mut decoder: Box<dyn StageDecoder> = stage
        .open(settings)
        .unwrap_or_else(|e| panic!("stage {} refused {settings:?}: {e}", stage.name()));
    frames
        .iter()
        .map(|frame| match decoder.decode(frame) {
            Ok(()) => {
                let mut pictures = Vec::new();
                while let Some(p) = decoder.picture() {
                    pictures.push(PictureSummary {
                        width: p.width,
                        height: p.height,
                        keyframe: p.keyframe,
                        frame_number: p.frame_number,
                        md5: p.md5_hex(),
                    });
                }
                Outcome::Pictures(pictures)
            }
            Err(e) => Outcome::Error(e.kind, e.detail),
        })
        .collect()
}

/// The first difference between two stages' outcomes on the same frames, as a message naming the
/// frame; `None` if they agree.
pub fn first_difference(
    want_name: &str,
    want: &[Outcome],
    got_name: &str,
    got: &[Outcome],
) -> Option<String> {
    if want.len() != got.len() {
        return Some(format!(
            "{got_name} went through {} frames, {want_name} through {}",
            got.len(),
            want.len()
        ));
    }
    let i = (0..want.len()).find(|&i| want[i] != got[i])?;
    Some(format!(
        "frame {i}: {got_name} gives {:?}, {want_name} gives {:?}",
        got[i], want[i]
    ))
}

/// Run `input` through every stage in `stages` (the first is the reference, normally the C
/// stage) under the input's settings, and the reference also with all CPU features when the input
/// asks for fewer (the asm kernels and the C fallbacks must agree): every difference, as
/// messages. Empty when all agree.
pub fn differences(stages: &[&dyn Vp8Stage], input: &[u8]) -> Vec<String> {
    let settings = settings(input);
    let frames = frames(input);
    let Some((reference, others)) = stages.split_first() else {
        return Vec::new();
    };
    let want = decode(*reference, &settings, &frames);
    let mut out = Vec::new();
    let mask = crate::cpu_mask_word(settings.cpu_mask);
    if settings.cpu_mask != crate::cpu::ALL {
        let all = Settings {
            cpu_mask: crate::cpu::ALL,
            ..settings
        };
        let got = decode(*reference, &all, &frames);
        let want_name = format!("{} --cpumask {mask}", reference.name());
        let got_name = format!("{} --cpumask all", reference.name());
        out.extend(first_difference(&want_name, &want, &got_name, &got));
    }
    for stage in others {
        let got = decode(*stage, &settings, &frames);
        let want_name = format!("{} --cpumask {mask}", reference.name());
        let got_name = format!("{} --cpumask {mask}", stage.name());
        out.extend(first_difference(&want_name, &want, &got_name, &got));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpu;
    use crate::ivf::{IvfHeader, write_frame};

    fn ivf(mask_byte: u8, frames: &[&[u8]]) -> Vec<u8> {
        let mut out = IvfHeader::vp8(16, 16, 30, 0).to_bytes().to_vec();
        for (i, f) in frames.iter().enumerate() {
            write_frame(&mut out, i as u64, f).unwrap();
        }
        out[CPU_MASK_BYTE] = mask_byte;
        out
    }

    #[test]
    fn mask_byte_picks_every_word_and_zero_is_all() {
        let masks: Vec<u32> = (0..5).map(|b| cpu_mask(&ivf(b, &[]))).collect();
        assert_eq!(
            masks,
            [
                cpu::ALL,
                cpu::SSE2 | cpu::SSSE3 | cpu::AVX2,
                cpu::SSE2 | cpu::SSSE3,
                cpu::SSE2,
                cpu::NONE
            ]
        );
        assert_eq!(cpu_mask(&[]), cpu::ALL);
        assert_eq!(settings(&ivf(9, &[])).max_frame_area, MAX_FRAME_AREA);
    }

    #[test]
    fn frames_stop_at_the_cap_and_at_a_broken_container() {
        let many: Vec<&[u8]> = vec![b"x"; MAX_FRAMES + 5];
        assert_eq!(frames(&ivf(0, &many)).len(), MAX_FRAMES);
        let mut two = ivf(0, &[b"ab", b"cd"]);
        two.truncate(two.len() - 1);
        assert_eq!(frames(&two), [b"ab".to_vec()]);
        assert!(frames(b"not an ivf file at all, not at all.").is_empty());
    }
}
