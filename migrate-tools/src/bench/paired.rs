//! `portlab bench --paired A,B`: paired A/B CPU-time runs, to resolve differences of about 1%
//! that the shuffled rounds cannot (their per-round ratio moves by 10-40% on a shared machine).
//!
//! Per stream, `--pairs` pairs run back to back, alternating A B and B A so that drift and
//! order effects cancel; each run's user+sys CPU time comes from `wait4`. The result is the median
//! of the per-pair ratios B / A with a bootstrap 95% confidence interval of that median (2000
//! resamples, seeded by `--seed`), and the inclusive IQR of the ratios.

use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Value, json};

use super::{BenchStream, Cmd, Rng, Summary, tail, time_command};

/// Bootstrap resamples of the median.
const RESAMPLES: usize = 2000;

/// The bootstrap 95% interval of the median of `xs`: the 2.5th and 97.5th percentiles of the
/// medians of `RESAMPLES` samples drawn with replacement.
pub fn bootstrap_ci(xs: &[f64], seed: u64) -> (f64, f64) {
    let mut rng = Rng::new(seed);
    let mut draw = vec![0.0; xs.len()];
    let mut medians: Vec<f64> = (0..RESAMPLES)
        .map(|_| {
            for d in draw.iter_mut() {
                *d = xs[(rng.next_u64() % xs.len() as u64) as usize];
            }
            Summary::of(&draw).map_or(f64::NAN, |s| s.median)
        })
        .collect();
    medians.sort_by(f64::total_cmp);
    (
        medians[RESAMPLES * 25 / 1000],
        medians[RESAMPLES * 975 / 1000 - 1],
    )
}

/// The pairs of one stream.
#[derive(Debug, Clone, Default)]
struct PairSamples {
    a: Vec<f64>,
    b: Vec<f64>,
}

/// Time `pairs` (after `warmup` discarded) A/B pairs on every stream; returns the JSON result.
pub fn run(
    [a, b]: [&Cmd; 2],
    streams: &[BenchStream],
    pairs: usize,
    warmup: usize,
    seed: u64,
    err_file: &Path,
    progress: bool,
) -> Result<Value, String> {
    if pairs < 2 {
        return Err("--pairs must be at least 2".to_string());
    }
    let total = (streams.len() * (pairs + warmup)) as u64;
    let bar = if progress {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("paired {bar:30} {pos}/{len} pairs, eta {eta}  {msg}")
                .expect("valid template"),
        );
        bar.enable_steady_tick(Duration::from_millis(500));
        bar
    } else {
        ProgressBar::hidden()
    };
    let cpu = |c: &Cmd, st: &BenchStream| -> Result<f64, String> {
        let t = time_command(c.command(&c.time_argv(&st.path)), err_file)
            .map_err(|e| format!("cannot run {}: {e}", c.display(&st.path)))?;
        if t.code != 0 {
            return Err(format!(
                "command failed (exit {}): {}\n{}",
                t.code,
                c.display(&st.path),
                tail(err_file)
            ));
        }
        Ok(t.cpu)
    };
    let mut results = Vec::new();
    for st in streams {
        let mut s = PairSamples::default();
        for i in 0..warmup + pairs {
            let (ta, tb) = if i % 2 == 0 {
                let ta = cpu(a, st);
                (ta, cpu(b, st))
            } else {
                let tb = cpu(b, st);
                (cpu(a, st), tb)
            };
            let (ta, tb) = match (ta, tb) {
                (Ok(ta), Ok(tb)) => (ta, tb),
                (Err(e), _) | (_, Err(e)) => {
                    bar.finish_and_clear();
                    return Err(e);
                }
            };
            if i >= warmup {
                s.a.push(ta);
                s.b.push(tb);
                if (i - warmup) % 10 == 9 {
                    bar.set_message(format!(
                        "{}: running median B/A {:.4}",
                        st.name,
                        Summary::of(&ratios(&s)).map_or(f64::NAN, |x| x.median)
                    ));
                }
            }
            bar.inc(1);
        }
        let r = ratios(&s);
        let sum = Summary::of(&r).expect("pairs >= 2");
        let (lo, hi) = bootstrap_ci(&r, seed);
        results.push(json!({
            "stream": st.name,
            "path": st.path.display().to_string(),
            "frames": st.frames,
            "pairs": pairs,
            "median_ratio": sum.median,
            "ci95": [lo, hi],
            "ratio": sum.json(),
            "cpu_a_s": Summary::of(&s.a).map(|x| x.json()),
            "cpu_b_s": Summary::of(&s.b).map(|x| x.json()),
            "samples": {"ratios": r, "cpu_a_s": s.a, "cpu_b_s": s.b},
        }));
    }
    bar.finish_and_clear();
    Ok(json!({
        "a": {"id": a.id, "label": a.label, "command": a.display(Path::new("{stream}"))},
        "b": {"id": b.id, "label": b.label, "command": b.display(Path::new("{stream}"))},
        "warmup_pairs": warmup,
        "bootstrap_resamples": RESAMPLES,
        "seed": seed,
        "results": results,
    }))
}

/// B / A per pair (a zero A, below the clock's resolution, gives no ratio).
fn ratios(s: &PairSamples) -> Vec<f64> {
    s.a.iter()
        .zip(&s.b)
        .filter(|(a, _)| **a > 0.0)
        .map(|(a, b)| b / a)
        .collect()
}

/// The Markdown section of a paired run.
pub fn markdown(p: &Value) -> String {
    let f = |v: &Value, d: usize| v.as_f64().map_or("-".to_string(), |x| format!("{x:.d$}"));
    let mut m = String::new();
    m += "## Paired A/B CPU time (B ÷ A per pair, alternating A B / B A)\n\n";
    m += &format!(
        "- A = `{}`\n- B = `{}`\n- median of the per-pair ratios, bootstrap 95% CI of that \
         median ({} resamples, seed {}), inclusive IQR of the ratios; {} warm-up pair(s) \
         discarded. **B ÷ A above 1 = B slower.**\n\n",
        p["a"]["command"].as_str().unwrap_or(""),
        p["b"]["command"].as_str().unwrap_or(""),
        p["bootstrap_resamples"],
        p["seed"],
        p["warmup_pairs"]
    );
    m += "| stream | pairs | median CPU s A | median CPU s B | B ÷ A (median of pairs) | 95% CI | IQR |\n";
    m += "|---|--:|--:|--:|--:|---|---|\n";
    for r in p["results"].as_array().into_iter().flatten() {
        m += &format!(
            "| {} | {} | {} | {} | **{}** | [{}, {}] | [{}, {}] |\n",
            r["stream"].as_str().unwrap_or(""),
            r["pairs"],
            f(&r["cpu_a_s"]["median"], 3),
            f(&r["cpu_b_s"]["median"], 3),
            f(&r["median_ratio"], 4),
            f(&r["ci95"][0], 4),
            f(&r["ci95"][1], 4),
            f(&r["ratio"]["q1"], 3),
            f(&r["ratio"]["q3"], 3),
        );
    }
    m += "\n";
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bootstrap_interval_brackets_the_median() {
        let xs: Vec<f64> = (0..101).map(|i| 0.95 + i as f64 * 0.001).collect();
        let (lo, hi) = bootstrap_ci(&xs, 1);
        assert!(lo < 1.0 && 1.0 < hi && lo > 0.95 && hi < 1.05, "{lo} {hi}");
        assert_eq!(bootstrap_ci(&xs, 1), (lo, hi));
        assert_eq!(bootstrap_ci(&[2.0, 2.0, 2.0], 3), (2.0, 2.0));
    }
}
