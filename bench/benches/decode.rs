//! In-process decoding speed of each stage (see `src/lib.rs` for the environment variables):
//!
//! ```text
//! cargo bench -p portlab-bench                                  # VGA stream, every stage
//! PORTLAB_BENCH_STREAMS=all PORTLAB_BENCH_CPUMASK=none,all cargo bench -p portlab-bench
//! PORTLAB_BENCH_STREAMS=target/bench-streams cargo bench -p portlab-bench -- transpiled
//! ```
//!
//! One benchmark per (stream, stage/mask): `decode/<stream>/<stage>-<mask>`, each iteration a
//! fresh decoder decoding every frame of the stream held in memory; throughput in pictures.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use portlab::stage::Settings;
use portlab_bench::{bench_masks, bench_stages, bench_streams, decode_all};

fn decode(c: &mut Criterion) {
    let stages = bench_stages();
    let masks = bench_masks();
    for stream in bench_streams() {
        let mut group = c.benchmark_group(format!("decode/{}", stream.name));
        group.throughput(Throughput::Elements(stream.pictures));
        for st in &stages {
            for (word, mask) in &masks {
                let settings = Settings {
                    cpu_mask: *mask,
                    threads: 1,
                    max_frame_area: 0,
                };
                group.bench_function(format!("{}-{word}", st.name()), |b| {
                    b.iter(|| decode_all(*st, settings, black_box(&stream.frames)))
                });
            }
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = decode
}
criterion_main!(benches);
