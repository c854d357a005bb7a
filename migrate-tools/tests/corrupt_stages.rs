//! The corruption set (`vp8_stage::corrupt`, ~1,600 broken streams) through every stage built
//! into portlab, in process, with all CPU features and with the fallbacks only: each stage must
//! give, frame by frame, exactly what the C stage gives (the same pictures, or the same error
//! kind, name and message), and no stage may panic. The C stage itself is checked against the
//! cases' expectations (clean end, recovery at the next key frame) under ASan/UBSan by
//! `upstream-c/tests/corrupt.rs`; equal output carries that over to the other stages.

mod stage_runs;

use portlab::stage::{self, Settings, cpu, cpu_mask_word};
use stage_runs::{FrameOutcome, ivf_frames, on_two_threads, run};
use vp8_stage::corpus::{corpus_dir, corpus_streams};
use vp8_stage::corrupt::{build_cases, pick_sources};

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
    let failures = on_two_threads(&cases, |case| {
        let mut failures = Vec::new();
        let frames = ivf_frames(&case.bytes);
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
                    got.get(i) != want.get(i) || matches!(got.get(i), Some(FrameOutcome::Panic(_)))
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
        failures
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
