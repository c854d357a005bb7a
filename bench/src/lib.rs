//! `portlab-bench`: what the criterion benches (`benches/decode.rs`) decode.
//!
//! `cargo bench -p portlab-bench` decodes each benchmark stream in-process with every stage built
//! into `portlab` (and CPU mask), loading the IVF once and decoding all its frames with a fresh
//! decoder per iteration, so the figures are per-stage decode cost without process start-up or
//! file I/O (what `portlab bench` includes).
//!
//! Environment:
//! - `PORTLAB_BENCH_STREAMS`: comma-separated .ivf files or folders of them (e.g.
//!   `target/bench-streams` from `portlab bench --generate`). Default: the VGA
//!   corpus stream `bench/corpus/streams/bench-vga-testsrc2-640x480.ivf` (short, so a run takes
//!   about a minute); `all` = the three corpus `bench-*.ivf`.
//! - `PORTLAB_BENCH_CPUMASK`: comma-separated masks (none, sse2, ssse3, avx2, all); default `all`.
//! - `PORTLAB_BENCH_STAGES`: comma-separated stages; default every stage built in.

use std::path::{Path, PathBuf};

use portlab::stage::{self, Settings, Vp8Stage, parse_cpu_mask};
use portlab::verify::{corpus_streams, read_ivf};

/// A stream loaded into memory.
#[derive(Debug, Clone)]
pub struct LoadedStream {
    pub name: String,
    pub frames: Vec<Vec<u8>>,
    /// Output pictures per decode (for throughput).
    pub pictures: u64,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/streams")
}

/// The streams to bench (see the crate docs). Panics with a clear message on a bad setting.
pub fn bench_streams() -> Vec<LoadedStream> {
    let spec = std::env::var("PORTLAB_BENCH_STREAMS").unwrap_or_default();
    let paths: Vec<PathBuf> = match spec.as_str() {
        "" => vec![corpus_dir().join("bench-vga-testsrc2-640x480.ivf")],
        "all" => corpus_streams(&corpus_dir())
            .expect("corpus")
            .into_iter()
            .filter(|s| s.name.starts_with("bench-"))
            .map(|s| s.ivf)
            .collect(),
        list => list
            .split(',')
            .filter(|p| !p.is_empty())
            .flat_map(|p| {
                let p = PathBuf::from(p);
                let p = if p.exists() {
                    p
                } else {
                    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(&p)
                };
                corpus_streams(&p)
                    .unwrap_or_else(|e| panic!("PORTLAB_BENCH_STREAMS: {e}"))
                    .into_iter()
                    .map(|s| s.ivf)
            })
            .collect(),
    };
    assert!(
        !paths.is_empty(),
        "PORTLAB_BENCH_STREAMS={spec:?} names no .ivf"
    );
    paths
        .iter()
        .map(|p| {
            let frames = read_ivf(p).unwrap_or_else(|e| panic!("{e}"));
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let mut s = LoadedStream {
                name,
                frames,
                pictures: 0,
            };
            s.pictures = decode_all(stage::all_stages()[0], Settings::default(), &s.frames);
            s
        })
        .collect()
}

/// The stages to bench.
pub fn bench_stages() -> Vec<&'static dyn Vp8Stage> {
    match std::env::var("PORTLAB_BENCH_STAGES") {
        Ok(list) if !list.is_empty() => {
            stage::parse_stage_list(&list).unwrap_or_else(|e| panic!("PORTLAB_BENCH_STAGES: {e}"))
        }
        _ => stage::all_stages(),
    }
}

/// The CPU masks to bench: (word, mask).
pub fn bench_masks() -> Vec<(String, u32)> {
    let list = std::env::var("PORTLAB_BENCH_CPUMASK").unwrap_or_else(|_| "all".to_string());
    list.split(',')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let m = parse_cpu_mask(w)
                .unwrap_or_else(|| panic!("PORTLAB_BENCH_CPUMASK: unknown mask word {w:?}"));
            (w.to_string(), m)
        })
        .collect()
}

/// Decode every frame with a fresh decoder; returns the pictures output (each one's first pixel
/// goes through `black_box`, so nothing is optimised away).
pub fn decode_all(stage: &dyn Vp8Stage, settings: Settings, frames: &[Vec<u8>]) -> u64 {
    let mut dec = stage.open(&settings).expect("open decoder");
    let mut pictures = 0u64;
    for f in frames {
        if dec.decode(f).is_ok() {
            while let Some(p) = dec.picture() {
                std::hint::black_box(p.planes[0][0]);
                pictures += 1;
            }
        }
    }
    pictures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_stream_decodes_with_every_stage() {
        let streams = bench_streams();
        assert_eq!(streams.len(), 1);
        for st in stage::all_stages() {
            assert_eq!(
                decode_all(st, Settings::default(), &streams[0].frames),
                streams[0].pictures,
                "stage {}",
                st.name()
            );
        }
    }
}
