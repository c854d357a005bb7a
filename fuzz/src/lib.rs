//! What the fuzz targets share: the three stages as `vp8_stage::Vp8Stage`s and one step per
//! target. The rules (IVF input, CPU-mask byte, frame and area caps, what is compared) are
//! `vp8_stage::fuzz`, the same the regression test replays findings with.

use vp8_stage::{Vp8Stage, fuzz};

// The transpiled stage's adapter is portlab's own (migrate-tools/src/stage/transpiled.rs),
// included rather than linked: the portlab crate would bring its whole toolkit into every fuzz
// build.
#[path = "../../migrate-tools/src/stage/transpiled.rs"]
mod transpiled;

pub use transpiled::TranspiledStage;

/// Every stage, the C stage (the reference of the differential target) first.
pub const STAGES: [&dyn Vp8Stage; 3] = [
    &vp8_c::CStage,
    &TranspiledStage,
    &vp8_safe::stage::SafeStage,
];

/// One execution of a single-stage target: decode the input's frames and read every byte of
/// every picture (a sum, cheaper than the differential target's MD5s). A crash, sanitizer report
/// or panic is the finding.
pub fn decode_one(stage: &dyn Vp8Stage, input: &[u8]) {
    let frames = fuzz::frames(input);
    if frames.is_empty() {
        return;
    }
    let settings = fuzz::settings(input);
    let mut decoder = stage
        .open(&settings)
        .unwrap_or_else(|e| panic!("stage {} refused {settings:?}: {e}", stage.name()));
    let mut sum = 0u64;
    for frame in &frames {
        if decoder.decode(frame).is_ok() {
            while let Some(picture) = decoder.picture() {
                for p in 0..3 {
                    sum += picture
                        .rows(p)
                        .flatten()
                        .map(|&b| u64::from(b))
                        .sum::<u64>();
                }
            }
        }
    }
    std::hint::black_box(sum);
}

/// One execution of the differential target: every stage on the input; any difference in
/// pictures (MD5, size, flags), picture count or error is a finding.
pub fn decode_differential(input: &[u8]) {
    let differences = fuzz::differences(&STAGES, input);
    assert!(
        differences.is_empty(),
        "the stages disagree:\n{}",
        differences.join("\n")
    );
}
