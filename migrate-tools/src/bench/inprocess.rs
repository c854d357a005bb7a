//! In-process timing of the stages: each stage decodes the same streams in this process, its CPU
//! time read from the thread's own clock. For the short benchmark of `portlab report`, where the
//! streams are small enough that starting a `vp8dec` process (what the rounds of `portlab bench`
//! time) would weigh as much as the decoding.
//!
//! Method: one *pass* is every stream decoded once with a freshly opened decoder. A first pass of
//! the baseline stage sizes a *batch* (enough passes for at least [`MIN_BATCH_SECONDS`]), so the
//! clock's resolution does not matter. Each round runs one batch per stage in an order shuffled by
//! a seeded RNG, and the ratio to the baseline is taken within the round, as `portlab bench` does.

use vp8_stage::{Settings, Vp8Stage};

use super::{Rng, Summary};

/// The shortest batch timed.
pub const MIN_BATCH_SECONDS: f64 = 0.03;

/// CPU seconds this thread has run (`CLOCK_THREAD_CPUTIME_ID`): the decoders run on it alone
/// with `threads = 1`, and the other threads of the process (a progress bar) do not count.
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: ts is a valid, writable timespec; the clock id is a constant Linux knows.
    let r = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if r != 0 {
        return 0.0;
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// What one stage measured.
#[derive(Debug, Clone)]
pub struct StageTiming {
    pub stage: String,
    /// CPU seconds of one pass over the streams, per round.
    pub pass: Summary,
    /// Within-round ratio to the baseline (the first stage).
    pub ratio: Summary,
}

/// Decode every stream once; returns the thread CPU seconds taken.
fn pass(
    stage: &dyn Vp8Stage,
    streams: &[Vec<Vec<u8>>],
    settings: &Settings,
) -> Result<f64, String> {
    let t0 = thread_cpu_seconds();
    for frames in streams {
        let mut dec = stage
            .open(settings)
            .map_err(|e| format!("{}: cannot open the decoder: {e}", stage.name()))?;
        for f in frames {
            // A frame that fails to decode costs what it costs, in every stage alike.
            if dec.decode(f).is_ok() {
                while let Some(p) = dec.picture() {
                    std::hint::black_box(p.width);
                }
            }
        }
    }
    Ok(thread_cpu_seconds() - t0)
}

/// Time `stages` (the first is the baseline) on `streams` (IVF payloads) for `rounds` rounds;
/// `tick` is called after each batch.
pub fn time_stages(
    stages: &[&dyn Vp8Stage],
    streams: &[Vec<Vec<u8>>],
    settings: &Settings,
    rounds: usize,
    seed: u64,
    tick: &dyn Fn(),
) -> Result<Vec<StageTiming>, String> {
    if stages.is_empty() || rounds == 0 {
        return Err("nothing to time".into());
    }
    let first = pass(stages[0], streams, settings)?.max(1e-6);
    let batch = ((MIN_BATCH_SECONDS / first).ceil() as usize).clamp(1, 10_000);
    let mut rng = Rng::new(seed);
    let mut per_pass: Vec<Vec<f64>> = vec![Vec::new(); stages.len()];
    for _ in 0..rounds {
        let mut order: Vec<usize> = (0..stages.len()).collect();
        rng.shuffle(&mut order);
        for i in order {
            let mut t = 0.0;
            for _ in 0..batch {
                t += pass(stages[i], streams, settings)?;
            }
            per_pass[i].push(t / batch as f64);
            tick();
        }
    }
    let base = per_pass[0].clone();
    Ok(stages
        .iter()
        .zip(&per_pass)
        .map(|(s, t)| {
            let ratios: Vec<f64> = t.iter().zip(&base).map(|(x, b)| x / b.max(1e-12)).collect();
            StageTiming {
                stage: s.name().to_string(),
                pass: Summary::of(t).expect("rounds > 0"),
                ratio: Summary::of(&ratios).expect("rounds > 0"),
            }
        })
        .collect())
}
