//! The safe wrapper's behaviour at the edges of the C API: errors carry code, name and detail;
//! no picture before a frame; empty and garbage frames are refused without harming the decoder.

mod common;

use vp8_c::{Decoder, ErrorKind, Settings, cpu, parse_cpu_mask};
use vp8_stage::ivf;

fn sample_frames() -> Vec<ivf::IvfFrame> {
    let stream = &common::corpus()[0];
    ivf::parse(&std::fs::read(&stream.ivf).unwrap()).unwrap().1
}

#[test]
fn no_picture_before_the_first_frame() {
    let mut d = Decoder::new(Settings::default()).unwrap();
    assert!(d.picture().is_none());
}

#[test]
fn empty_frame_is_its_own_error() {
    let mut d = Decoder::new(Settings::default()).unwrap();
    let e = d.decode(&[]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::EmptyFrame);
    assert!(e.code() < 0);
    assert!(!e.name().is_empty());
    assert!(d.picture().is_none());
}

#[test]
fn inter_frame_first_needs_a_key_frame() {
    let frames = sample_frames();
    let inter = frames
        .iter()
        .find(|f| f.data.first().is_some_and(|b| b & 1 == 1))
        .unwrap();
    let mut d = Decoder::new(Settings::default()).unwrap();
    let e = d.decode(&inter.data).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NeedKeyframe, "{e}");
}

#[test]
fn truncated_key_frame_is_refused_and_the_decoder_recovers() {
    let frames = sample_frames();
    let mut d = Decoder::new(Settings::default()).unwrap();
    let e = d.decode(&frames[0].data[..5]).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Truncated | ErrorKind::Corrupt),
        "{e}"
    );
    assert!(e.to_string().contains(e.name()));
    d.decode(&frames[0].data).unwrap();
    let p = d.picture().expect("a key frame is shown");
    assert!(p.keyframe());
}

#[test]
fn picture_planes_cover_the_coded_size() {
    let frames = sample_frames();
    let mut d = Decoder::new(Settings::default()).unwrap();
    d.decode(&frames[0].data).unwrap();
    let p = d.picture().unwrap();
    for plane in 0..3 {
        let (w, h) = p.plane_size(plane);
        assert!(p.stride(plane) >= w);
        assert_eq!(p.rows(plane).count(), h);
        assert!(p.plane(plane).len() >= (h - 1) * p.stride(plane) + w);
    }
    let mut bytes = Vec::new();
    p.write_i420(&mut bytes).unwrap();
    let (w, h) = (p.width(), p.height());
    assert_eq!(bytes.len(), w * h + 2 * w.div_ceil(2) * h.div_ceil(2));
    // Taken once: a second call has nothing new.
    assert!(d.picture().is_none());
}

#[test]
fn size_limit_refuses_large_key_frames() {
    let frames = sample_frames();
    let mut d = Decoder::new(Settings {
        max_frame_area: 1,
        ..Settings::default()
    })
    .unwrap();
    let e = d.decode(&frames[0].data).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLarge, "{e}");
}

#[test]
fn cpu_mask_words() {
    assert_eq!(parse_cpu_mask("none").unwrap(), cpu::NONE);
    assert_eq!(parse_cpu_mask("sse2").unwrap(), cpu::SSE2);
    assert_eq!(
        parse_cpu_mask("ssse3").unwrap() & (cpu::SSE2 | cpu::SSSE3),
        cpu::SSE2 | cpu::SSSE3
    );
    assert_eq!(parse_cpu_mask("all").unwrap(), cpu::ALL);
    assert_eq!(
        parse_cpu_mask("bogus").unwrap_err().kind(),
        ErrorKind::InvalidArg
    );
}
