//! Decoding threads never change the output, in any stage: every corpus stream through every
//! stage built into portlab at 2, 3, 4 and 8 threads, with all CPU features and with the C/Rust
//! fallbacks only, frame by frame against the md5s vpxdec wrote; and the corruption set through
//! the transpiled and safe stages at 2 threads against the C stage at 1 thread (the same
//! pictures, the same errors, so the same recovery). The C stage's own thread tests (its
//! corruption run at 2 threads, ThreadSanitizer) are upstream-c/tests/threads.rs.

mod stage_runs;

use portlab::stage::{self, Settings, Vp8Stage, cpu, cpu_mask_word};
use stage_runs::{ivf_frames, on_two_threads, run};
use vp8_stage::corpus::{check_corpus, corpus_dir, corpus_streams};
use vp8_stage::corrupt::{build_cases, pick_sources};

fn settings(mask: u32, threads: u32) -> Settings {
    Settings {
        cpu_mask: mask,
        threads,
        max_frame_area: 4096 * 4096,
    }
}

#[test]
fn corpus_bit_exact_at_every_thread_count_in_every_stage() {
    let stages = stage::all_stages();
    assert!(stages.len() >= 2, "only the C stage is built in");
    let runs: Vec<(&dyn Vp8Stage, u32, u32)> = stages
        .iter()
        .flat_map(|&st| {
            [2u32, 3, 4, 8]
                .into_iter()
                .flat_map(move |t| [cpu::ALL, cpu::NONE].into_iter().map(move |m| (st, t, m)))
        })
        .collect();
    let failures = on_two_threads(&runs, |&(st, threads, mask)| {
        check_corpus(st, &settings(mask, threads))
            .err()
            .map(|e| format!("--threads {threads}: {e}"))
            .into_iter()
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corruption_set_at_2_threads_gives_the_1_thread_c_output_in_every_stage() {
    let streams = corpus_streams(&corpus_dir()).unwrap();
    let cases = build_cases(&pick_sources(&streams));
    assert!(cases.len() > 1000, "only {} corruption cases", cases.len());
    let stages = stage::all_stages();
    let c = stages[0];
    assert_eq!(c.name(), "c");
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let failures = on_two_threads(&cases, |case| {
        let mut failures = Vec::new();
        let frames = ivf_frames(&case.bytes);
        let want = run(c, &settings(cpu::ALL, 1), &frames);
        // The C stage's own 2-vs-1-thread run is upstream-c/tests/threads.rs.
        for st in stages.iter().filter(|st| st.name() != "c") {
            let got = run(*st, &settings(cpu::ALL, 2), &frames);
            if got != want {
                let i = (0..got.len().max(want.len()))
                    .find(|&i| got.get(i) != want.get(i))
                    .unwrap_or(0);
                failures.push(format!(
                    "{} --threads 2 --cpumask {} {}: frame {i}: got {:?}, 1-thread C gives {:?}",
                    st.name(),
                    cpu_mask_word(cpu::ALL),
                    case.name,
                    got.get(i),
                    want.get(i)
                ));
            }
        }
        failures
    });
    std::panic::set_hook(hook);
    assert!(
        failures.is_empty(),
        "{} runs differ:\n{}",
        failures.len(),
        failures
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
