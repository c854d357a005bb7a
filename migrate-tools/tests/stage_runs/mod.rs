//! Shared by the tests that run whole streams through every stage in process and compare what
//! each frame gave (corrupt_stages.rs, threads_stages.rs).

use std::panic::{AssertUnwindSafe, catch_unwind};

use portlab::stage::{Settings, StageDecoder, Vp8Stage};
use vp8_stage::ivf::IvfReader;

/// What one compressed frame did: the MD5s of the pictures it gave, or the error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameOutcome {
    Pictures(Vec<String>),
    Error(String),
    Panic(String),
}

/// The frames of a (possibly damaged) IVF file, up to the first container error.
pub fn ivf_frames(bytes: &[u8]) -> Vec<Vec<u8>> {
    let Ok(mut reader) = IvfReader::new(bytes) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while let Ok(Some(f)) = reader.next_frame() {
        out.push(f.data);
    }
    out
}

/// Decode `frames` with `stage`; a panic is recorded and ends the run (the decoder may be in any
/// state after it). Silence the panic hook around calls that expect panics to be reported.
pub fn run(stage: &dyn Vp8Stage, settings: &Settings, frames: &[Vec<u8>]) -> Vec<FrameOutcome> {
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
                break;
            }
        }
    }
    out
}

/// `check` over `items` on two scoped threads (the CI machine's cores); the failures it returns,
/// in order.
pub fn on_two_threads<T: Sync>(
    items: &[T],
    check: impl Fn(&T) -> Vec<String> + Sync,
) -> Vec<String> {
    let half = items.len().div_ceil(2).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(half)
            .map(|chunk| s.spawn(|| chunk.iter().flat_map(&check).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}
