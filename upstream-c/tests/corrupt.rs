//! Corrupt input against the sanitizer build of the C CLI (`make asan`: AddressSanitizer +
//! UBSan + LeakSanitizer, -O1 -g).
//!
//! The corruption set (`vp8_stage::corrupt`, shared with the differential test of every stage in
//! `migrate-tools/tests/corrupt_stages.rs`) is a deterministic set of broken streams made from a
//! few corpus streams: truncations, bit flips, impossible partition sizes and IVF fields, random
//! frames, 0 x N and 16383 x 16383 key frames (refused through --sizelimit), empty, dropped and
//! duplicated frames, cut files, and streams of different sizes back to back.
//!
//! Each one is written to a file and decoded with `vp8dec --muxer framemd5`. Every case must end
//! normally: exit code 0, 1 or 3 (never a signal or a sanitizer exit code), no sanitizer report on
//! stderr, no hang. Where the damage is confined to one frame k, every output frame from the next
//! key frame after k on must equal the reference (`NAME.framemd5`): the decoder recovers. Where
//! the file is cut, the output must be exactly the reference's frames before the cut.
//!
//! If the toolchain has no libasan, the test falls back to UBSan alone and says so loudly.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use common::{FrameMd5, Stream, corpus, make, make_build_dir, parse_framemd5};
use vp8_stage::corrupt::{Case, Expect, build_cases, pick_sources, token_partition_count};
use vp8_stage::ivf;

/// Passed to every run: no corrupt key frame may make the decoder allocate gigabytes, and the
/// 16383 x 16383 cases are refused by it.
const SIZE_LIMIT: &str = "4096x4096";
/// A case running longer than this is a hang.
const TIMEOUT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------------
// The sanitizer build

struct SanitizerCli {
    path: PathBuf,
    what: &'static str,
}

fn cc_supports(flag: &str) -> bool {
    let dir = make_build_dir("probe");
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("probe.c");
    std::fs::write(&src, "int main(void) { return 0; }\n").unwrap();
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    Command::new(cc)
        .arg(flag)
        .arg(&src)
        .arg("-o")
        .arg(dir.join("probe"))
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn sanitizer_cli() -> &'static SanitizerCli {
    static CLI: OnceLock<SanitizerCli> = OnceLock::new();
    CLI.get_or_init(|| {
        let (sanitizers, what) = if cc_supports("-fsanitize=address,undefined") {
            ("address,undefined", "ASan + UBSan + LSan")
        } else {
            eprintln!("{}", "!".repeat(78));
            eprintln!("!!! AddressSanitizer is NOT available with this C compiler (no libasan?).");
            eprintln!(
                "!!! The corruption tests run with UBSan only: memory errors will NOT be seen."
            );
            eprintln!(
                "!!! Install it (Debian: apt-get install libgcc-12-dev / clang) for real coverage."
            );
            eprintln!("{}", "!".repeat(78));
            ("undefined", "UBSan only (ASan unavailable)")
        };
        let dir = make_build_dir("sanitize");
        make(&dir, &["asan", &format!("SANITIZERS={sanitizers}")])
            .unwrap_or_else(|e| panic!("building the sanitizer CLI failed:\n{e}"));
        SanitizerCli {
            path: dir.join("asan/vp8dec"),
            what,
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Running

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    timed_out: bool,
}

fn run_case(cli: &Path, dir: &Path, id: usize, case: &Case) -> Outcome {
    let input = dir.join(format!("case{id}.ivf"));
    let out_path = dir.join(format!("case{id}.out"));
    let err_path = dir.join(format!("case{id}.err"));
    std::fs::write(&input, &case.bytes).unwrap();
    // Files, not pipes, so a chatty case can never block on a full pipe.
    let mut child = Command::new(cli)
        .arg("-i")
        .arg(&input)
        .args(["--muxer", "framemd5", "--sizelimit", SIZE_LIMIT])
        .args(&case.args)
        .env(
            "ASAN_OPTIONS",
            "detect_leaks=1:allocator_may_return_null=1:exitcode=86",
        )
        .env(
            "UBSAN_OPTIONS",
            "print_stacktrace=1:halt_on_error=1:exitcode=87",
        )
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("run the sanitizer vp8dec");
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            timed_out = true;
            child.kill().ok();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let outcome = Outcome {
        code: status.code(),
        stdout: std::fs::read_to_string(&out_path).unwrap_or_default(),
        stderr: String::from_utf8_lossy(&std::fs::read(&err_path).unwrap_or_default()).into_owned(),
        timed_out,
    };
    for p in [&out_path, &err_path] {
        std::fs::remove_file(p).ok();
    }
    outcome
}

/// Err explains what is wrong with the outcome.
fn judge(case: &Case, o: &Outcome) -> Result<(), String> {
    if o.timed_out {
        return Err(format!("no exit after {TIMEOUT:?}: a hang"));
    }
    for marker in [
        "ERROR: AddressSanitizer",
        "ERROR: LeakSanitizer",
        "runtime error:",
        "Sanitizer",
    ] {
        if o.stderr.contains(marker) {
            return Err(format!("sanitizer report ({marker:?})"));
        }
    }
    match o.code {
        None => return Err("killed by a signal".into()),
        Some(0 | 1 | 3) => {}
        Some(c) => return Err(format!("exit code {c} (expected 0, 1 or 3)")),
    }
    if let Some(needle) = &case.stderr_has
        && !o.stderr.contains(needle.as_str())
    {
        return Err(format!("stderr lacks {needle:?}"));
    }
    let got = parse_framemd5(&o.stdout).map_err(|e| format!("unparsable framemd5 output: {e}"))?;
    match &case.expect {
        Expect::NoCrash => Ok(()),
        Expect::Recover { tail } => {
            let reference = &case_reference(case)[..];
            let tail = *tail;
            if got.len() < tail {
                return Err(format!(
                    "{} output frames, fewer than the {tail} after the next key frame",
                    got.len()
                ));
            }
            let got_tail = &got[got.len() - tail..];
            let want_tail = &reference[reference.len() - tail..];
            match (0..tail).find(|&i| got_tail[i].content() != want_tail[i].content()) {
                None => Ok(()),
                Some(i) => Err(format!(
                    "no recovery: output frame {} is {}, the reference's frame {} is {}",
                    got.len() - tail + i,
                    got_tail[i],
                    reference.len() - tail + i,
                    want_tail[i]
                )),
            }
        }
        Expect::Exact { frames, code } => {
            if o.code != Some(*code) {
                return Err(format!("exit code {:?}, expected {code}", o.code));
            }
            match (0..got.len().max(frames.len())).find(|&i| got.get(i) != frames.get(i)) {
                None => Ok(()),
                Some(i) => Err(format!(
                    "output frame {i} is {:?}, expected {:?} ({} frames, expected {})",
                    got.get(i).map(|f| f.to_string()),
                    frames.get(i).map(|f| f.to_string()),
                    got.len(),
                    frames.len()
                )),
            }
        }
    }
}

/// The reference framemd5 of the stream a case was made from (its name's first part).
fn case_reference(case: &Case) -> Vec<FrameMd5> {
    static REFS: OnceLock<Vec<Stream>> = OnceLock::new();
    let streams = REFS.get_or_init(corpus);
    let name = case.name.split('/').next().unwrap();
    streams
        .iter()
        .find(|s| s.name == name)
        .map(|s| s.frames.clone())
        .unwrap_or_default()
}

#[test]
fn corrupt_streams_end_cleanly_and_the_decoder_recovers() {
    let cli = sanitizer_cli();
    let streams = vp8_stage::corpus::corpus_streams(&common::corpus_dir()).unwrap();
    let sources = pick_sources(&streams);
    let cases = build_cases(&sources);
    let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    let count = |f: &dyn Fn(&Expect) -> bool| cases.iter().filter(|c| f(&c.expect)).count();
    eprintln!(
        "corrupt: {} cases from {} streams {names:?} ({} check recovery, {} exact output, {} only a clean end); CLI built with {}",
        cases.len(),
        sources.len(),
        count(&|e| matches!(e, Expect::Recover { .. })),
        count(&|e| matches!(e, Expect::Exact { .. })),
        count(&|e| matches!(e, Expect::NoCrash)),
        cli.what
    );

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corrupt");
    let failures_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corrupt-failures");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&failures_dir).ok();

    let next = AtomicUsize::new(0);
    let failures: Mutex<Vec<(usize, String, String)>> = Mutex::new(Vec::new());
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let id = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(id) else { break };
                    let outcome = run_case(&cli.path, &dir, id, case);
                    let input = dir.join(format!("case{id}.ivf"));
                    if let Err(why) = judge(case, &outcome) {
                        std::fs::create_dir_all(&failures_dir).unwrap();
                        let kept = failures_dir.join(format!("case{id}.ivf"));
                        std::fs::rename(&input, &kept).ok();
                        let tail: String = outcome
                            .stderr
                            .lines()
                            .take(12)
                            .collect::<Vec<_>>()
                            .join("\n      ");
                        let repro = format!(
                            "{} -i {} --muxer framemd5 --sizelimit {SIZE_LIMIT} {}",
                            cli.path.display(),
                            kept.display(),
                            case.args.join(" ")
                        );
                        failures.lock().unwrap().push((
                            id,
                            format!("{}: {why}", case.name),
                            format!("    repro: {repro}\n    stderr: {tail}"),
                        ));
                    } else {
                        std::fs::remove_file(&input).ok();
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    eprintln!(
        "corrupt: {} cases ran in {:.1?}",
        cases.len(),
        start.elapsed()
    );
    if !failures.is_empty() {
        let mut report = format!(
            "{} of {} corrupt-stream cases failed ({}):\n",
            failures.len(),
            cases.len(),
            cli.what
        );
        for (_, what, detail) in failures.iter().take(40) {
            report.push_str(&format!("  {what}\n{detail}\n"));
        }
        if failures.len() > 40 {
            report.push_str(&format!(
                "  ... and {} more; all inputs kept in {}\n",
                failures.len() - 40,
                failures_dir.display()
            ));
        }
        panic!("{report}");
    }
}

/// The header parser this test relies on finds the token partition counts the corpus names
/// promise (e.g. "tp3-8parts-*" has 8), so the partition-size cases hit real size fields.
#[test]
fn partition_count_parser_reads_the_corpus() {
    let mut checked = 0;
    for s in corpus() {
        let Some(parts) = s.name.split('-').find_map(|w| {
            w.strip_suffix("parts")
                .and_then(|n| n.parse::<usize>().ok())
        }) else {
            continue;
        };
        let bytes = std::fs::read(&s.ivf).unwrap();
        let (_, frames) = ivf::parse(&bytes).unwrap();
        for f in frames.iter().filter(|f| !f.data.is_empty()) {
            assert_eq!(
                token_partition_count(&f.data),
                parts,
                "{}: frame {}",
                s.name,
                f.index
            );
        }
        checked += 1;
    }
    if checked == 0 {
        eprintln!("note: no corpus stream is named *-Nparts-*; partition parser unchecked");
    }
}
