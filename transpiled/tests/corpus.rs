//! Decode every corpus stream (bench/corpus/streams/*.ivf) through the transpiled stage's C API
//! (`vp8_open` / `vp8_decode_frame` / `vp8_get_picture` / `vp8_close`, called through raw
//! pointers as a C caller would) and compare each output frame's MD5 with the committed
//! `*.framemd5` and the whole output with `*.md5` (written by vpxdec).
//!
//! IVF, MD5 and framemd5 come from the stage contract (`vp8-stage`). (This file is hand-written;
//! everything under src/ is generated.)

use std::path::{Path, PathBuf};
use std::ptr;

use vp8_stage::md5::{Digest, FrameMd5, Md5, hex, parse_framemd5, parse_md5_file};
use vp8_transpiled::internal_h::Vp8Decoder;
use vp8_transpiled::vp8_h::{VP8_ERR_AGAIN, VP8_OK, Vp8Picture, Vp8Settings};

fn corpus_dir() -> PathBuf {
    match std::env::var_os("VP8_CORPUS_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/corpus/streams"),
    }
}

/// The I420 bytes of a picture (planes at the coded size, no stride padding), like vpxdec --i420.
fn i420(p: &Vp8Picture) -> Vec<u8> {
    let mut out = Vec::new();
    let (w, h) = (p.width as usize, p.height as usize);
    for plane in 0..3 {
        let (pw, ph) = if plane == 0 {
            (w, h)
        } else {
            (w.div_ceil(2), h.div_ceil(2))
        };
        for y in 0..ph {
            // SAFETY: the decoder guarantees the plane covers ph rows of stride bytes.
            let row = unsafe {
                std::slice::from_raw_parts(p.data[plane].offset(y as isize * p.stride[plane]), pw)
            };
            out.extend_from_slice(row);
        }
    }
    out
}

/// Decode a stream with the transpiled stage: (per-frame md5s, whole md5).
fn decode_transpiled(frames: &[Vec<u8>], cpu_mask: u32) -> (Vec<FrameMd5>, String) {
    let mut lines = Vec::new();
    let mut whole = Md5::new();
    // SAFETY: the generated C API, used exactly as vp8.h documents.
    unsafe {
        let settings = Vp8Settings {
            cpu_mask,
            n_threads: 1,
            max_frame_area: 0,
        };
        let mut dec: *mut Vp8Decoder = ptr::null_mut();
        assert_eq!(vp8_transpiled::vp8_open(&mut dec, &settings), VP8_OK);
        for f in frames {
            let ret = vp8_transpiled::vp8_decode_frame(dec, f.as_ptr(), f.len());
            if ret != VP8_OK {
                continue; // The reference files skip undecodable frames too.
            }
            let mut pic: Vp8Picture = std::mem::zeroed();
            let got = vp8_transpiled::vp8_get_picture(dec, &mut pic);
            if got == VP8_ERR_AGAIN {
                continue;
            }
            assert_eq!(got, VP8_OK);
            let bytes = i420(&pic);
            whole.update(&bytes);
            lines.push(FrameMd5 {
                index: lines.len() as u64,
                width: pic.width as usize,
                height: pic.height as usize,
                md5: hex(&Md5::digest(&bytes)),
            });
        }
        vp8_transpiled::vp8_close(&mut dec);
        assert!(dec.is_null());
    }
    (lines, hex(&whole.finalize()))
}

fn reference(path: &Path) -> Option<(Vec<FrameMd5>, String)> {
    let framemd5 = std::fs::read_to_string(path.with_extension("framemd5")).ok()?;
    let md5 = std::fs::read_to_string(path.with_extension("md5")).ok()?;
    let name = path.display();
    Some((
        parse_framemd5(&framemd5).unwrap_or_else(|e| panic!("{name}.framemd5: {e}")),
        parse_md5_file(&md5).unwrap_or_else(|e| panic!("{name}.md5: {e}")),
    ))
}

/// The payloads of an IVF file.
fn ivf_frames(path: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (_, frames) =
        vp8_stage::ivf::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    frames.into_iter().map(|f| f.data).collect()
}

fn streams() -> Vec<PathBuf> {
    let dir = corpus_dir();
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ivf"))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no corpus streams in {}", dir.display());
    v
}

fn check_corpus(cpu_mask: u32, what: &str) {
    let mut failures = Vec::new();
    let mut checked = 0;
    let streams = streams();
    for path in &streams {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let Some((want_lines, want_md5)) = reference(path) else {
            eprintln!("note: {name}: no .md5/.framemd5 beside it, skipped");
            continue;
        };
        let frames = ivf_frames(path);
        let (lines, md5) = decode_transpiled(&frames, cpu_mask);
        checked += 1;
        if let Some(i) =
            (0..lines.len().max(want_lines.len())).find(|&i| lines.get(i) != want_lines.get(i))
        {
            failures.push(format!(
                "  {name}: output frame {i}: got {:?}, expected {:?}",
                lines.get(i),
                want_lines.get(i)
            ));
        } else if md5 != want_md5 {
            failures.push(format!(
                "  {name}: whole-output md5 {md5}, expected {want_md5}"
            ));
        }
    }
    // Every stream of the corpus has its references: a test that checked fewer proves less.
    assert_eq!(
        checked,
        streams.len(),
        "only {checked} of {} corpus streams have .md5 and .framemd5 references",
        streams.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} corpus streams differ from the reference ({what}):\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{checked} corpus streams bit-exact through the transpiled stage ({what})");
}

#[test]
fn corpus_bit_exact_default_cpu() {
    check_corpus(0xffff_ffff, "all CPU features");
}

#[test]
fn corpus_bit_exact_c_fallbacks_only() {
    check_corpus(0, "--cpumask none");
}
