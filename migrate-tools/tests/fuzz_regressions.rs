//! The fuzzers' regression set (`fuzz/regressions/`: every input a fuzz target ever failed on, and
//! a few hand-made hostile streams) through every stage, replayed exactly as the fuzz targets ran
//! it (`vp8_stage::fuzz`: the input's CPU mask, one thread, the frame-area and frame-count caps),
//! and once more with the C fallbacks only: no stage may panic, and every stage must give the C
//! stage's pictures and errors frame by frame (docs/fuzzing.md). The C stage itself runs these
//! inputs under ASan and UBSan in `fuzz/fuzz.sh smoke` (the c-asan target reads the same folder).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use portlab::stage;
use vp8_stage::fuzz::{self, CPU_MASK_BYTE};

fn regressions() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_stage_agrees_on_every_fuzz_regression() {
    let inputs = regressions();
    assert!(inputs.len() >= 3, "only {} regression inputs", inputs.len());
    let stages = stage::all_stages();
    assert_eq!(stages.len(), 3, "every stage must be built in");
    assert_eq!(stages[0].name(), "c");
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    for (name, input) in &inputs {
        let mut variants = vec![("as saved", input.clone())];
        if input.len() > CPU_MASK_BYTE {
            let mut fallbacks = input.clone();
            fallbacks[CPU_MASK_BYTE] = 4; // "none": the C fallbacks only
            variants.push(("--cpumask none", fallbacks));
        }
        for (how, bytes) in variants {
            match catch_unwind(AssertUnwindSafe(|| fuzz::differences(&stages, &bytes))) {
                Ok(differences) => failures.extend(
                    differences
                        .into_iter()
                        .map(|d| format!("{name} ({how}): {d}")),
                ),
                Err(payload) => {
                    let msg = payload
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    failures.push(format!("{name} ({how}): panic: {msg}"));
                }
            }
        }
    }
    std::panic::set_hook(hook);
    eprintln!(
        "{} fuzz regression inputs x {} stages",
        inputs.len(),
        stages.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The hand-made inputs do what their names say, in every stage: the harness rules are live.
#[test]
fn hand_made_inputs_hit_the_limits_they_name() {
    let inputs = regressions();
    let get = |name: &str| {
        &inputs
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("fuzz/regressions/{name} is missing"))
            .1
    };
    for st in stage::all_stages() {
        let huge = get("hand-key-16383x16383.ivf");
        let out = fuzz::decode(st, &fuzz::settings(huge), &fuzz::frames(huge));
        assert!(
            matches!(
                out.first(),
                Some(fuzz::Outcome::Error(vp8_stage::ErrorKind::TooLarge, _))
            ),
            "{}: {out:?}",
            st.name()
        );
        let inter = get("hand-inter-first.ivf");
        let out = fuzz::decode(st, &fuzz::settings(inter), &fuzz::frames(inter));
        assert!(
            matches!(
                out.first(),
                Some(fuzz::Outcome::Error(vp8_stage::ErrorKind::NeedKeyframe, _))
            ),
            "{}: {out:?}",
            st.name()
        );
    }
}
