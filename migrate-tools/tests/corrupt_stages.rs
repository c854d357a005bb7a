//! The corruption set (`vp8_stage::corrupt`, ~1,600 broken streams) through every stage built
//! into portlab, in process, with all CPU features and with the fallbacks only: each stage must
//! give, frame by frame, exactly what the C stage gives (the same pictures, or the same error
//! kind, name and message), and no stage may panic. The C stage itself is checked against the
//! cases' expectations (clean end, recovery at the next key frame) under ASan/UBSan by
//! `upstream-c/tests/corrupt.rs`; equal output carries that over to the other stages.

use std::panic::{AssertUnwindSafe, catch_unwind};

use portlab::stage::{self, Settings, StageDecoder, Vp8Stage, cpu, cpu_mask_word};
use vp8_stage::corpus::{corpus_dir, corpus_streams};
use vp8_stage::corrupt::{Case, build_cases, pick_sources};
use vp8_stage::ivf::IvfReader;

/// What one compressed frame did: the MD5s of the pictures it gave, or the error.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FrameOutcome {
    Pictures(Vec<String>),
    Error(String),
    Panic(String),
}

/// The frames of a (possibly damaged) IVF file, up to the first container error.
fn frames(case: &Case) -> Vec<Vec<u8>> {
    let Ok(mut reader) = IvfReader::new(case.bytes.as_slice()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while let Ok(Some(f)) = reader.next_frame() {
        out.push(f.data);
    }
    out
}

fn run(stage: &dyn Vp8Stage, settings: &Settings, frames: &[Vec<u8>]) -> Vec<FrameOutcome> {
    let mut decoder: Box<dyn StageDecoder> = stage.open(settings).unwrap();
    let mut out = Vec::new();
    for f in frames {
        let step = catch_unwind(AssertUnwindSafe(|| match decoder.decode(f) {
            Ok(()) => {
                let mut md5s = Vec::new();
                while let Some(p) = decoder.picture() {
                    md5s.push(format!("{}x{} {}", p.width, p.height, p.md5_hex()));
                }
                FrameOutcome::Pictures(md5s)
            }
            Err(e) => FrameOutcome::Error(format!("{:?} {e}", e.kind)),
        }));
        match step {
            Ok(o) => out.push(o),
            Err(payload) => {
                let msg = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                out.push(FrameOutcome::Panic(msg));
                break; // the decoder may be in any state after a panic
            }
        }
    }
    out
}

#[test]
fn every_stage_gives_the_c_stages_output_on_corrupt_streams() {
    let streams = corpus_streams(&corpus_dir()).unwrap();
    let cases = build_cases(&pick_sources(&streams));
    assert!(cases.len() > 1000, "only {} corruption cases", cases.len());
    let stages = stage::all_stages();
    assert!(stages.len() >= 2, "only the C stage is built in");
    let c = stages[0];
    assert_eq!(c.name(), "c");
    let masks = [cpu::ALL, cpu::NONE];
    // Silence the default hook: a panic is reported below with its case.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let per_thread = cases.len().div_ceil(2);
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = cases
            .chunks(per_thread)
            .map(|chunk| {
                let stages = &stages;
                s.spawn(move || {
                    let mut failures = Vec::new();
                    for case in chunk {
                        let frames = frames(case);
                        for &mask in &masks {
                            let settings = Settings {
                                cpu_mask: mask,
                                threads: 1,
                                max_frame_area: 4096 * 4096,
                            };
                            let want = run(c, &settings, &frames);
                            for st in &stages[..] {
                                let got = if st.name() == "c" {
                                    want.clone()
                                } else {
                                    run(*st, &settings, &frames)
                                };
                                let bad = (0..got.len().max(want.len())).find(|&i| {
                                    got.get(i) != want.get(i)
                                        || matches!(got.get(i), Some(FrameOutcome::Panic(_)))
                                });
                                if let Some(i) = bad {
                                    failures.push(format!(
                                        "{} --cpumask {} {}: frame {i}: got {:?}, C gives {:?}",
                                        st.name(),
                                        cpu_mask_word(mask),
                                        case.name,
                                        got.get(i),
                                        want.get(i)
                                    ));
                                }
                            }
                        }
                    }
                    failures
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    std::panic::set_hook(hook);
    eprintln!(
        "{} corruption cases x {} stages x {} CPU masks",
        cases.len(),
        stages.len(),
        masks.len()
    );
    assert!(
        failures.is_empty(),
        "{} stage/case runs differ from the C stage:\n{}",
        failures.len(),
        failures
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
