//! Bad input: damaged copies of corpus streams (truncated frames, broken start codes, sizes and
//! partition tables, empty frames, a failed key frame followed by inter frames) decoded by the C
//! stage and the safe stage must give the same result for every frame: the same error kind and
//! the same detail message, or the same pictures.

use vp8_c::CStage;
use vp8_safe::stage::SafeStage;
use vp8_stage::{Settings, StageDecoder, Vp8Stage, corpus};

/// What a stage made of each frame: Ok with the MD5s of its pictures, or the error.
fn run(stage: &dyn Vp8Stage, frames: &[Vec<u8>]) -> Vec<String> {
    let mut dec: Box<dyn StageDecoder> = stage.open(&Settings::default()).expect("open");
    frames
        .iter()
        .map(|data| match dec.decode(data) {
            Ok(()) => {
                let mut out = String::from("ok");
                while let Some(p) = dec.picture() {
                    out.push(' ');
                    out.push_str(&p.md5_hex());
                }
                out
            }
            Err(e) => format!("{:?} {}: {}", e.kind, e.name, e.detail),
        })
        .collect()
}

/// Damaged variants of a stream's first frames.
fn variants(frames: &[Vec<u8>]) -> Vec<(String, Vec<Vec<u8>>)> {
    let head: Vec<Vec<u8>> = frames.iter().take(4).cloned().collect();
    let key = &head[0];
    let mut out = Vec::new();
    let cuts = [
        0,
        1,
        2,
        3,
        5,
        9,
        10,
        11,
        16,
        40,
        key.len() / 2,
        key.len() - 1,
    ];
    for &cut in cuts.iter().filter(|&&c| c < key.len()) {
        let mut v = head.clone();
        v[0].truncate(cut);
        out.push((format!("key frame cut to {cut} bytes"), v));
    }
    for (at, byte) in [
        (3, 0x9c),
        (5, 0x00),
        (6, 0),
        (7, 0),
        (8, 0),
        (9, 0),
        (0, 0xff),
        (2, 0xff),
    ] {
        if at < key.len() {
            let mut v = head.clone();
            v[0][at] = byte;
            out.push((format!("key frame byte {at} set to {byte:#x}"), v));
        }
    }
    // Flip bits of the first partition's header fields (segmentation, filter, partitions).
    for at in 10..key.len().min(24) {
        let mut v = head.clone();
        v[0][at] ^= 0x5a;
        out.push((format!("key frame byte {at} flipped"), v));
    }
    if let Some(inter) = head.get(1) {
        for cut in [1, 2, 3, 4, inter.len() / 2] {
            let mut v = head.clone();
            v[1].truncate(cut.min(inter.len()));
            out.push((format!("inter frame cut to {cut} bytes"), v));
        }
    }
    let mut v = head.clone();
    v.insert(1, Vec::new());
    out.push(("an empty frame after the key frame".into(), v));
    let mut v = head.clone();
    v.remove(0);
    out.push(("no key frame".into(), v));
    out
}

#[test]
fn safe_stage_reports_bad_input_as_the_c_stage_does() {
    let streams = corpus::corpus_streams(&corpus::corpus_dir()).expect("corpus");
    let picked: Vec<_> = streams
        .iter()
        .filter(|s| {
            [
                "partitions",
                "tp3-8parts-mandel",
                "synth-version1",
                "segment",
            ]
            .iter()
            .any(|k| s.name.contains(k))
        })
        .collect();
    assert!(!picked.is_empty(), "no corpus stream picked");
    let mut compared = 0;
    let mut messages = std::collections::BTreeSet::new();
    for s in picked {
        let frames = s.frames().expect("frames");
        for (what, damaged) in variants(&frames) {
            let c = run(&CStage, &damaged);
            let safe = run(&SafeStage, &damaged);
            assert_eq!(safe, c, "{}: {what}", s.name);
            messages.extend(c.into_iter().filter(|r| !r.starts_with("ok")));
            compared += 1;
        }
    }
    eprintln!("{compared} damaged streams: same results as the C stage");
    for m in &messages {
        eprintln!("  {m}");
    }
    // The variants must reach the header's checks, not just one of them.
    assert!(
        messages.len() >= 6,
        "only {} distinct errors",
        messages.len()
    );
}
