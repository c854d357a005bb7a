//! Every corpus stream through the safe stage, under every `--cpumask` word, compared picture by
//! picture with the MD5s vpxdec wrote (`vp8_stage::corpus`). Every port step must pass it.

use vp8_safe::stage::SafeStage;
use vp8_stage::{CPU_MASK_WORDS, Settings, corpus, parse_cpu_mask};

#[test]
fn corpus_bit_exact_under_every_cpu_mask() {
    // One thread per mask: the five runs are independent and the machine has cores to spare.
    let results: Vec<(&str, Result<usize, String>)> = std::thread::scope(|s| {
        let runs: Vec<_> = CPU_MASK_WORDS
            .iter()
            .map(|&word| {
                let settings = Settings {
                    cpu_mask: parse_cpu_mask(word).unwrap(),
                    ..Settings::default()
                };
                (
                    word,
                    s.spawn(move || corpus::check_corpus(&SafeStage, &settings)),
                )
            })
            .collect();
        runs.into_iter()
            .map(|(w, h)| (w, h.join().expect("the check panicked")))
            .collect()
    });
    let mut failed = Vec::new();
    for (word, r) in results {
        match r {
            Ok(n) => eprintln!("--cpumask {word}: {n} streams bit-exact"),
            Err(e) => failed.push(e),
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
