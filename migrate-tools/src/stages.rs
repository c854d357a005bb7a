//! `portlab stages`: every recorded port step of the safe stage rebuilt and measured, and what
//! safety cost charted step by step.
//!
//! A port step is a commit whose message carries the trailer `Port-step: <n> <title>`.
//! `stages list` prints every such commit reachable from the branch, ordered by step number
//! (ties in topological order), after the two fixed stages `c` and `transpiled`. Not
//! first-parent order: steps written on side branches and merged with a merge commit would be
//! skipped by it.
//!
//! `stages run` checks each step out with `git worktree add --detach` under `target/stages/wt/`
//! and builds a small harness (generated under `target/stages/harness/`, one shared
//! `CARGO_TARGET_DIR`) that depends by path on that step's `vp8-safe`, `vp8-c` and `vp8-stage`
//! and decodes through `SafeStage` or `CStage`: building all of portlab per step would cost
//! several minutes more on two cores. The fixed rows come from the current tree's release
//! `vp8dec`. Each row gets: corpus bit-exactness (the `.md5`/`.framemd5` references), callgrind
//! instructions on the first frames of one stream, CPU time in paired runs against the C stage of
//! the same binary (median ratio with a bootstrap 95% interval: [`bench::time_command`] and
//! [`bench::paired::bootstrap_ci`]), unsafe expressions and fns of `safe/src` ([`census`]), panic and
//! bounds-check call sites in the binary ([`inspect::panics`]), `.text` and stage code size, and
//! peak RSS. Results are cached per commit and options in `target/stages/cache/`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Value, json};

use crate::bench::{self, Summary};
use crate::census::{self, Counts};
use crate::inspect::{self, binary::Binary, binary::Classifier, panics};

/// `portlab stages` arguments.
#[derive(clap::Args, Debug, Clone)]
#[command(after_help = "\
Examples:
  cargo run --release -p portlab -- stages list
  cargo run --release -p portlab -- stages run --quick          every step, a few minutes each
  cargo run --release -p portlab -- stages run --steps 3..5
  cargo run --release -p portlab -- stages run --json=target/stages/report.json

Ratios are stage / C stage of the same binary: above 1 means slower (or more instructions) than C.")]
pub struct StagesArgs {
    #[command(subcommand)]
    pub cmd: StagesCmd,
}

#[derive(clap::Subcommand, Debug, Clone)]
pub enum StagesCmd {
    /// The fixed stages and every commit with a `Port-step:` trailer, by step number.
    List(ListArgs),
    /// Build, verify and measure the steps; write docs/stages.md and docs/img/stages-*.svg.
    Run(RunArgs),
}

#[derive(clap::Args, Debug, Clone)]
pub struct ListArgs {
    /// The history to read (a branch, tag or commit).
    #[arg(long, default_value = "HEAD")]
    pub rev: String,
    /// The repository (default: this workspace).
    #[arg(long, value_name = "PATH")]
    pub repo: Option<PathBuf>,
    /// Write the list as JSON: to stdout with --json (instead of the table), to FILE with
    /// --json=FILE (the table then still goes to stdout).
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-", require_equals = true)]
    pub json: Option<String>,
}

#[derive(clap::Args, Debug, Clone)]
pub struct RunArgs {
    /// The history to read (a branch, tag or commit).
    #[arg(long, default_value = "HEAD")]
    pub rev: String,
    /// The repository (default: this workspace).
    #[arg(long, value_name = "PATH")]
    pub repo: Option<PathBuf>,
    /// Step numbers to run: `A..B` (inclusive), `A..`, `..B` or `N`. The fixed rows always run.
    #[arg(long, value_name = "A..B")]
    pub steps: Option<String>,
    /// Corpus streams (names without .ivf) checked for bit-exactness, comma-separated.
    /// Default: all of bench/corpus/streams (with --quick: every tenth).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub streams: Vec<String>,
    /// The stream timed and counted (name without .ivf).
    #[arg(
        long,
        default_value = "bench-720p-mandel-1280x720",
        value_name = "NAME"
    )]
    pub time_stream: String,
    /// Timed (C, stage) pairs per row (default 11; 3 with --quick).
    #[arg(long)]
    pub pairs: Option<usize>,
    /// Frames decoded under callgrind (default 10; 3 with --quick).
    #[arg(long)]
    pub ir_frames: Option<u64>,
    /// Fewer streams and pairs, so that the whole history runs in minutes.
    #[arg(long)]
    pub quick: bool,
    /// Skip the fixed rows `c` and `transpiled`.
    #[arg(long)]
    pub no_fixed: bool,
    /// Measure again the steps whose cached result is a failure.
    #[arg(long)]
    pub retry_failed: bool,
    /// Write the Markdown report here (relative to the repository).
    #[arg(long, default_value = "docs/stages.md", value_name = "FILE")]
    pub markdown: PathBuf,
    /// Write the charts here as stages-*.svg (relative to the repository).
    #[arg(long, default_value = "docs/img", value_name = "DIR")]
    pub img_dir: PathBuf,
    /// All results as JSON: stdout with --json, FILE with --json=FILE.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-", require_equals = true)]
    pub json: Option<String>,
    /// Measure through this program instead of building: `PROG step WORKTREE COMMIT` and
    /// `PROG fixed STAGE REPO` print a JSON object of measurements (tests use it).
    #[arg(long, hide = true, value_name = "PROG")]
    pub measure_with: Option<PathBuf>,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

/// One recorded port step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub number: u32,
    pub title: String,
    pub commit: String,
    pub short: String,
    pub date: String,
}

fn git(repo: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Parse a `Port-step:` trailer value: `<n> <title>`.
pub fn parse_trailer(value: &str) -> Option<(u32, String)> {
    let v = value.trim();
    let (n, title) = v.split_once(char::is_whitespace).unwrap_or((v, ""));
    Some((n.parse().ok()?, title.trim().to_string()))
}

/// The port steps reachable from `rev`, by step number (ties: oldest first, topologically).
/// git's trailer parser reads the trailer block only, so a `Port-step:` line in the middle of a
/// message does not count.
pub fn port_steps(repo: &Path, rev: &str) -> Result<Vec<Step>, String> {
    let text = git(
        repo,
        &[
            "log",
            "--topo-order",
            "--reverse",
            "--date=format:%Y-%m-%d %H:%M",
            "--format=%H%x1f%h%x1f%ad%x1f%(trailers:key=Port-step,valueonly,separator=%x1d)%x1e",
            rev,
            "--",
        ],
    )?;
    let mut out = Vec::new();
    for rec in text.split('\x1e') {
        let f: Vec<&str> = rec.trim_start_matches('\n').split('\x1f').collect();
        let [commit, short, date, trailers] = f[..] else {
            continue;
        };
        // A commit with two trailers is two steps at once: keep the last, as git does for
        // `--trailer` lookups.
        let Some((number, title)) = trailers.split('\x1d').filter_map(parse_trailer).next_back()
        else {
            continue;
        };
        out.push(Step {
            number,
            title,
            commit: commit.to_string(),
            short: short.to_string(),
            date: date.to_string(),
        });
    }
    out.sort_by_key(|s| s.number);
    Ok(out)
}

/// The fixed rows before the steps.
pub const FIXED: [(&str, &str); 2] = [
    ("c", "the C decoder (upstream-c)"),
    ("transpiled", "the transpiled library (transpiled)"),
];

fn repo_of(repo: &Option<PathBuf>) -> PathBuf {
    repo.clone()
        .unwrap_or_else(crate::host::workspace_root)
        .canonicalize()
        .unwrap_or_else(|_| crate::host::workspace_root())
}

pub fn main(a: &StagesArgs) -> ExitCode {
    let r = match &a.cmd {
        StagesCmd::List(l) => list(l),
        StagesCmd::Run(r) => run(r),
    };
    match r {
        Ok(code) => code,
        Err(e) => {
            eprintln!("portlab stages: {e}");
            ExitCode::from(2)
        }
    }
}

fn list(a: &ListArgs) -> Result<ExitCode, String> {
    let repo = repo_of(&a.repo);
    let steps = port_steps(&repo, &a.rev)?;
    let mut rows: Vec<Value> = FIXED
        .iter()
        .map(|(name, title)| json!({"row": name, "kind": "fixed", "title": title}))
        .collect();
    rows.extend(steps.iter().map(|s| {
        json!({"row": s.number.to_string(), "kind": "step", "step": s.number,
               "commit": s.commit, "short": s.short, "date": s.date, "title": s.title})
    }));
    let js = json!({"order": "step number", "rev": a.rev, "rows": rows});
    let mut table = format!("{:<12} {:<10} {:<16} title\n", "step", "commit", "date");
    for (name, title) in FIXED {
        let _ = writeln!(table, "{name:<12} {:<10} {:<16} {title}", "-", "-");
    }
    for s in &steps {
        let _ = writeln!(
            table,
            "{:<12} {:<10} {:<16} {}",
            s.number, s.short, s.date, s.title
        );
    }
    bench::write_report(&table, &js, a.json.as_deref(), None, true)?;
    Ok(ExitCode::SUCCESS)
}

/// `A..B`, `A..`, `..B`, `N` -> inclusive bounds.
pub fn parse_range(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("--steps {s}: expected A..B, A.., ..B or N");
    let num = |t: &str, d: u32| {
        if t.is_empty() {
            Ok(d)
        } else {
            t.trim().parse::<u32>().map_err(|_| bad())
        }
    };
    match s.split_once("..") {
        Some((a, b)) => Ok((num(a, 0)?, num(b.trim_start_matches('='), u32::MAX)?)),
        None => {
            let n = num(s, 0)?;
            Ok((n, n))
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Measuring.

/// Settings of a run that change the figures: a cached result is reused only under the same.
#[derive(Debug, Clone)]
struct Plan {
    repo: PathBuf,
    work: PathBuf,
    verify_streams: Option<Vec<String>>,
    time_stream: String,
    pairs: usize,
    ir_frames: u64,
    quick: bool,
}

impl Plan {
    fn key(&self) -> String {
        format!(
            "v2 verify={:?} quick={} time={} pairs={} ir_frames={}",
            self.verify_streams, self.quick, self.time_stream, self.pairs, self.ir_frames
        )
    }
}

/// How a program decodes one stream with one stage: the harness or `vp8dec`.
#[derive(Debug, Clone)]
enum Decoder {
    Harness(PathBuf),
    Vp8dec(PathBuf),
}

impl Decoder {
    fn path(&self) -> &Path {
        match self {
            Decoder::Harness(p) | Decoder::Vp8dec(p) => p,
        }
    }

    fn command(&self, stage: &str, stream: &Path, limit: Option<u64>) -> Command {
        let mut c = Command::new(self.path());
        match self {
            Decoder::Harness(_) => {
                c.arg("decode").arg(stage).arg(stream);
                if let Some(n) = limit {
                    c.arg(n.to_string());
                }
            }
            Decoder::Vp8dec(_) => {
                c.args([
                    "--stage",
                    stage,
                    "--threads",
                    "1",
                    "--muxer",
                    "null",
                    "-q",
                    "-i",
                ])
                .arg(stream);
                if let Some(n) = limit {
                    c.args(["--limit", &n.to_string()]);
                }
            }
        }
        c
    }
}

/// Median of the ratios and the bootstrap 95% interval of that median (`portlab bench
/// --paired`'s, fixed seed: the interval is reproducible from the same samples).
pub fn median_ci(ratios: &[f64]) -> Option<(f64, f64, f64)> {
    let median = Summary::of(ratios)?.median;
    let (lo, hi) = bench::paired::bootstrap_ci(ratios, 1);
    Some((median, lo, hi))
}

/// Peak resident set of a run, in KiB, through GNU time (`None` without /usr/bin/time). Not
/// `wait4`'s `ru_maxrss` of our own child: Linux carries the high-water mark of the memory the
/// child had before `exec` (portlab's, tens of MB, shared by vfork) into it, which would hide a
/// 6 MB decoder. GNU time's own few MB are below any decoder's.
fn peak_rss_kb(cmd: Command, scratch: &Path) -> Result<Option<u64>, String> {
    let gnu_time = Path::new("/usr/bin/time");
    if !gnu_time.is_file() {
        return Ok(None);
    }
    let out_file = scratch.join("rss.txt");
    let status = Command::new(gnu_time)
        .args(["-f", "%M", "-o"])
        .arg(&out_file)
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("{}: {e}", gnu_time.display()))?;
    if !status.success() {
        return Err(format!("{cmd:?} failed under /usr/bin/time ({status})"));
    }
    let text =
        std::fs::read_to_string(&out_file).map_err(|e| format!("{}: {e}", out_file.display()))?;
    Ok(text.lines().last().and_then(|l| l.trim().parse().ok()))
}

/// Instructions of one run under callgrind (its "Collected" total).
fn callgrind_ir(mut cmd: Command, out_file: &Path) -> Result<u64, String> {
    let mut vg = Command::new("valgrind");
    vg.arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(cmd.get_program())
        .args(cmd.get_args());
    let _ = &mut cmd;
    let out = vg
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    let err = String::from_utf8_lossy(&out.stderr);
    err.lines()
        .find_map(|l| {
            l.split_once("Collected :")
                .map(|(_, v)| v.trim().to_string())
        })
        .and_then(|v| v.replace(',', "").parse::<u64>().ok())
        .filter(|_| out.status.success())
        .ok_or_else(|| format!("callgrind failed ({}): {}", out.status, tail(&err, 600)))
}

fn tail(s: &str, n: usize) -> String {
    let start = s.len().saturating_sub(n);
    let start = (start..s.len())
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0);
    s[start..].trim().to_string()
}

/// Runs of each side in one timed pair.
const RUNS: usize = 3;

/// The measurements every row shares, from its binary: `stage` against `c` in the same binary.
fn measure_binary(
    plan: &Plan,
    dec: &Decoder,
    stage: &str,
    tree: &Path,
    scratch: &Path,
    bar: &ProgressBar,
) -> Result<Value, String> {
    let mut m = serde_json::Map::new();
    let stream = tree
        .join("bench/corpus/streams")
        .join(format!("{}.ivf", plan.time_stream));
    if !stream.is_file() {
        return Err(format!("{}: no such stream", stream.display()));
    }
    // The binary: size, .text, the stage's code, its panic and bounds-check sites.
    bar.set_message(format!("{stage}: reading the binary"));
    let bin = dec.path();
    let bytes = std::fs::read(bin).map_err(|e| format!("{}: {e}", bin.display()))?;
    m.insert("binary_bytes".into(), json!(bytes.len()));
    {
        use object::{Object, ObjectSection};
        let file = object::File::parse(&*bytes).map_err(|e| format!("{}: {e}", bin.display()))?;
        let text = file.section_by_name(".text").map(|s| s.size());
        m.insert("text_bytes".into(), json!(text));
    }
    drop(bytes);
    let b = Binary::load(bin, &Classifier::project(tree))?;
    let stage_funcs: Vec<usize> = b.stage_funcs(stage).collect();
    m.insert(
        "stage_code_bytes".into(),
        json!(stage_funcs.iter().map(|&i| b.funcs[i].size).sum::<u64>()),
    );
    if stage != "c" {
        let sites = panics::all_panic_sites(&b, &[stage.to_string()]);
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &sites {
            for (k, n) in &p.by_kind {
                *kinds.entry(k).or_insert(0) += n;
            }
        }
        m.insert(
            "panic_sites".into(),
            json!(sites.iter().map(|p| p.total()).sum::<usize>()),
        );
        m.insert(
            "bounds_checks".into(),
            json!(kinds.get("bounds").copied().unwrap_or(0)),
        );
        m.insert("panic_kinds".into(), json!(kinds));
    }
    drop(b);
    // Instructions: deterministic, so even a small change shows.
    bar.set_message(format!("{stage}: callgrind"));
    let ir_stage = callgrind_ir(
        dec.command(stage, &stream, Some(plan.ir_frames)),
        &scratch.join(format!("callgrind.{stage}.out")),
    )?;
    let ir_c = callgrind_ir(
        dec.command("c", &stream, Some(plan.ir_frames)),
        &scratch.join("callgrind.c.out"),
    )?;
    m.insert("ir".into(), json!(ir_stage));
    m.insert("ir_c".into(), json!(ir_c));
    m.insert("ir_ratio".into(), json!(ir_stage as f64 / ir_c as f64));
    m.insert("ir_frames".into(), json!(plan.ir_frames));
    m.insert("time_stream".into(), json!(plan.time_stream));
    // Paired CPU time: each pair runs C and the stage back to back, in an alternating order, so
    // a change of machine load hits both sides of most pairs.
    let mut ratios = Vec::new();
    let err_file = scratch.join("time.stderr");
    for i in 0..plan.pairs {
        bar.set_message(format!("{stage}: timing pair {}/{}", i + 1, plan.pairs));
        let order = if i % 2 == 0 {
            [stage, "c"]
        } else {
            ["c", stage]
        };
        let mut t = BTreeMap::new();
        for st in order {
            // The corpus streams decode in some 50 ms: a side of a pair is RUNS runs in a row.
            for _ in 0..RUNS {
                let r = bench::time_command(dec.command(st, &stream, None), &err_file)
                    .map_err(|e| format!("{}: {e}", bin.display()))?;
                if r.code != 0 {
                    return Err(format!(
                        "{} decode {st} exited with {}: {}",
                        bin.display(),
                        r.code,
                        tail(&std::fs::read_to_string(&err_file).unwrap_or_default(), 400)
                    ));
                }
                *t.entry(st).or_insert(0.0) += r.cpu;
            }
        }
        ratios.push(t[stage] / t["c"].max(1e-9));
    }
    if let Some((median, lo, hi)) = median_ci(&ratios) {
        m.insert(
            "time_ratio".into(),
            json!({"median": median, "ci_low": lo, "ci_high": hi, "pairs": ratios.len(), "samples": ratios}),
        );
    }
    bar.set_message(format!("{stage}: peak RSS"));
    m.insert(
        "peak_rss_kb".into(),
        json!(peak_rss_kb(dec.command(stage, &stream, None), scratch)?),
    );
    m.insert(
        "peak_rss_c_kb".into(),
        json!(peak_rss_kb(dec.command("c", &stream, None), scratch)?),
    );
    Ok(Value::Object(m))
}

/// The harness crate: decodes through the step's `SafeStage` or `CStage`.
const HARNESS_MAIN: &str = r#"//! Generated by `portlab stages`: decodes through one step's stages.
//! `decode STAGE STREAM [LIMIT]`: decode, discarding the pictures.
//! `verify DIR [NAME...]`: the safe stage against the corpus references, one line per stream.
use std::process::ExitCode;

use vp8_stage::corpus::{corpus_streams, decode_md5s};
use vp8_stage::{Settings, Vp8Stage};

fn stage(name: &str) -> Option<&'static dyn Vp8Stage> {
    match name {
        "c" => Some(&vp8_c::CStage),
        "safe" => Some(&vp8_safe::stage::SafeStage),
        _ => None,
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("decode") if args.len() >= 3 => {
            let Some(st) = stage(&args[1]) else { return ExitCode::from(2) };
            let bytes = std::fs::read(&args[2]).expect("read the stream");
            let (_, frames) = vp8_stage::ivf::parse(&bytes).expect("an IVF stream");
            let limit = args.get(3).map_or(usize::MAX, |n| n.parse().expect("a frame count"));
            // One thread: callgrind's counts must not depend on scheduling, and the stages
            // are compared on the same work.
            let settings = Settings { threads: 1, ..Settings::default() };
            let mut dec = st.open(&settings).expect("open a decoder");
            let mut pictures = 0u64;
            for f in frames.iter().take(limit) {
                if dec.decode(&f.data).is_ok() {
                    while let Some(p) = dec.picture() {
                        std::hint::black_box(&p);
                        pictures += 1;
                    }
                }
            }
            std::hint::black_box(pictures);
            ExitCode::SUCCESS
        }
        Some("verify") if args.len() >= 2 => {
            let streams = corpus_streams(std::path::Path::new(&args[1])).expect("the corpus");
            let want = &args[2..];
            let mut bad = 0;
            for s in streams.iter().filter(|s| want.is_empty() || want.contains(&s.name)) {
                let Ok(Some((frames, md5))) = s.reference() else {
                    println!("FAIL {}: no reference", s.name);
                    bad += 1;
                    continue;
                };
                let mut dec = vp8_safe::stage::SafeStage.open(&Settings::default()).expect("open");
                let (got, whole) = decode_md5s(dec.as_mut(), &s.frames().expect("frames"));
                if got == frames && whole == md5 {
                    println!("ok {}", s.name);
                } else {
                    let i = (0..got.len().max(frames.len())).find(|&i| got.get(i) != frames.get(i));
                    println!("FAIL {}: first differing picture {i:?}", s.name);
                    bad += 1;
                }
            }
            if bad == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        _ => {
            eprintln!("usage: decode STAGE STREAM [LIMIT] | verify DIR [NAME...]");
            ExitCode::from(2)
        }
    }
}
"#;

fn harness_manifest(wt: &Path) -> String {
    let p = |rel: &str| format!("{:?}", wt.join(rel).to_string_lossy());
    format!(
        "# Generated by `portlab stages`.\n[package]\nname = \"stage-harness\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nvp8-safe = {{ path = {} }}\nvp8-c = {{ path = {} }}\nvp8-stage = {{ path = {} }}\n\n\
         # Its own workspace: target/ lies inside portlab's.\n[workspace]\n\n\
         [profile.release]\ndebug = \"line-tables-only\"\n",
        p("safe"),
        p("upstream-c"),
        p("migrate-tools/stage"),
    )
}

/// Generate and build the harness of the step checked out at `wt`.
fn build_harness(plan: &Plan, wt: &Path, short: &str, log: &Path) -> Result<PathBuf, String> {
    let dir = plan.work.join("harness").join(short);
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("Cargo.toml"), harness_manifest(wt)).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/main.rs"), HARNESS_MAIN).map_err(|e| e.to_string())?;
    // The step's lockfile pins what it was tested with, and needs no registry lookup.
    if let Ok(lock) = std::fs::read(wt.join("Cargo.lock")) {
        let _ = std::fs::write(dir.join("Cargo.lock"), lock);
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let log_file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let out = Command::new(&cargo)
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", plan.work.join("cargo-target"))
        .args([
            "build",
            "--release",
            "--message-format=json-render-diagnostics",
        ])
        .stdin(Stdio::null())
        .stderr(log_file)
        .output()
        .map_err(|e| format!("{cargo}: {e}"))?;
    if !out.status.success() {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        return Err(format!(
            "build failed (log: {}):\n{}",
            log.display(),
            tail(&text, 1200)
        ));
    }
    let exe = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["reason"] == "compiler-artifact" && v["target"]["name"] == "stage-harness")
        .find_map(|v| v["executable"].as_str().map(PathBuf::from))
        .ok_or("cargo did not report the harness executable")?;
    // The shared target dir is overwritten by the next step: keep this step's binary.
    let keep = dir.join("stage-harness");
    std::fs::copy(&exe, &keep).map_err(|e| format!("{}: {e}", keep.display()))?;
    Ok(keep)
}

fn verify_names(plan: &Plan, corpus: &Path) -> Result<Vec<String>, String> {
    let all: Vec<String> = vp8_stage::corpus::corpus_streams(corpus)?
        .into_iter()
        .map(|s| s.name)
        .collect();
    Ok(match &plan.verify_streams {
        Some(v) => v.clone(),
        None if plan.quick => all.into_iter().step_by(10).collect(),
        None => all,
    })
}

/// Census of a Rust stage's source: (unsafe exprs, exprs, unsafe fns, fns).
fn census_of(tree: &Path, stage: &str, dir: &Path) -> Value {
    match census::census_rust_dir(tree, stage, dir) {
        Ok(c) => match c.total {
            Counts::Rust(r) => json!({
                "unsafe_exprs": r.unsafe_exprs, "exprs": r.exprs,
                "unsafe_fns": r.unsafe_fns, "fns": r.fns,
                "unsafe_blocks": r.unsafe_blocks, "loc": r.loc,
            }),
            Counts::C(_) => Value::Null,
        },
        Err(e) => json!({"error": e}),
    }
}

fn measure_step(plan: &Plan, wt: &Path, step: &Step, bar: &ProgressBar) -> Result<Value, Value> {
    let scratch = plan.work.join("scratch").join(&step.short);
    std::fs::create_dir_all(&scratch)
        .map_err(|e| json!({"status": "error", "error": e.to_string()}))?;
    bar.set_message(format!("step {}: building", step.number));
    let log = scratch.join("build.log");
    let t0 = Instant::now();
    let exe = build_harness(plan, wt, &step.short, &log)
        .map_err(|e| json!({"status": "build-failed", "error": e}))?;
    let build_s = t0.elapsed().as_secs_f64();
    bar.set_message(format!("step {}: checking the corpus", step.number));
    let corpus = wt.join("bench/corpus/streams");
    let names = verify_names(plan, &corpus).map_err(|e| json!({"status": "error", "error": e}))?;
    let out = Command::new(&exe)
        .arg("verify")
        .arg(&corpus)
        .args(&names)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| json!({"status": "error", "error": e.to_string()}))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let failed: Vec<&str> = text.lines().filter(|l| l.starts_with("FAIL")).collect();
    let checked = text.lines().filter(|l| l.starts_with("ok ")).count() + failed.len();
    if !out.status.success() || checked != names.len() {
        return Err(json!({
            "status": "verify-failed", "bit_exact": false, "streams_checked": checked,
            "build_seconds": build_s,
            "error": format!("{} of {} streams differ or crashed ({}): {}", names.len() - (checked - failed.len()), names.len(), out.status, failed.iter().take(5).cloned().collect::<Vec<_>>().join("; ")),
        }));
    }
    let mut m = measure_binary(plan, &Decoder::Harness(exe), "safe", wt, &scratch, bar)
        .map_err(|e| json!({"status": "error", "bit_exact": true, "error": e}))?;
    m["bit_exact"] = json!(true);
    m["streams_checked"] = json!(checked);
    m["build_seconds"] = json!(build_s);
    m["status"] = json!("ok");
    Ok(m)
}

/// A fixed row (`c`, `transpiled`) from the current tree's release vp8dec: bit-exactness in
/// process (portlab links the same stages), the rest through the binary.
fn measure_fixed(plan: &Plan, stage: &str, bar: &ProgressBar) -> Result<Value, Value> {
    let err = |e: String| json!({"status": "error", "error": e});
    bar.set_message(format!("{stage}: building vp8dec"));
    let vp8dec = inspect::release_vp8dec(&plan.repo, false).map_err(err)?;
    bar.set_message(format!("{stage}: checking the corpus"));
    let st = crate::stage::stage_by_name(stage).map_err(err)?;
    let corpus = plan.repo.join("bench/corpus/streams");
    let names = verify_names(plan, &corpus).map_err(err)?;
    let mut failed = Vec::new();
    for s in vp8_stage::corpus::corpus_streams(&corpus)
        .map_err(err)?
        .iter()
        .filter(|s| names.contains(&s.name))
    {
        let ok = match s.reference() {
            Ok(Some((frames, md5))) => {
                let mut dec = st
                    .open(&crate::stage::Settings::default())
                    .map_err(|e| err(e.to_string()))?;
                let (got, whole) =
                    vp8_stage::corpus::decode_md5s(dec.as_mut(), &s.frames().map_err(err)?);
                got == frames && whole == md5
            }
            _ => false,
        };
        if !ok {
            failed.push(s.name.clone());
        }
    }
    if !failed.is_empty() {
        return Err(
            json!({"status": "verify-failed", "bit_exact": false, "streams_checked": names.len(),
                          "error": format!("differ: {}", failed.join(", "))}),
        );
    }
    let scratch = plan.work.join("scratch").join(format!("fixed-{stage}"));
    std::fs::create_dir_all(&scratch).map_err(|e| err(e.to_string()))?;
    let mut m = measure_binary(
        plan,
        &Decoder::Vp8dec(vp8dec),
        stage,
        &plan.repo,
        &scratch,
        bar,
    )
    .map_err(|e| json!({"status": "error", "bit_exact": true, "error": e}))?;
    m["bit_exact"] = json!(true);
    m["streams_checked"] = json!(names.len());
    m["status"] = json!("ok");
    Ok(m)
}

/// `PROG step WORKTREE COMMIT` / `PROG fixed STAGE REPO`: its stdout is the measurement object;
/// a non-zero exit is a failed build (the message is its stderr).
fn measure_external(prog: &Path, args: &[&std::ffi::OsStr]) -> Result<Value, Value> {
    let out = Command::new(prog)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| json!({"status": "error", "error": format!("{}: {e}", prog.display())}))?;
    if !out.status.success() {
        return Err(json!({"status": "build-failed",
                          "error": String::from_utf8_lossy(&out.stderr).trim().to_string()}));
    }
    let mut v: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| json!({"status": "error", "error": format!("{}: {e}", prog.display())}))?;
    if v.get("status").is_none() {
        v["status"] = json!("ok");
    }
    Ok(v)
}

/// Check `commit` out (once) under target/stages/wt/.
fn worktree(plan: &Plan, step: &Step) -> Result<PathBuf, String> {
    let wt = plan.work.join("wt").join(&step.short);
    if wt.join(".git").exists() {
        let head = git(&wt, &["rev-parse", "HEAD"])?;
        if head.trim() == step.commit {
            return Ok(wt);
        }
        git(
            &plan.repo,
            &["worktree", "remove", "--force", &wt.to_string_lossy()],
        )?;
    }
    let _ = git(&plan.repo, &["worktree", "prune"]);
    git(
        &plan.repo,
        &[
            "worktree",
            "add",
            "--detach",
            &wt.to_string_lossy(),
            &step.commit,
        ],
    )?;
    Ok(wt)
}

fn run(a: &RunArgs) -> Result<ExitCode, String> {
    let repo = repo_of(&a.repo);
    let plan = Plan {
        work: repo.join("target/stages"),
        repo: repo.clone(),
        verify_streams: (!a.streams.is_empty()).then(|| a.streams.clone()),
        time_stream: a.time_stream.clone(),
        pairs: a.pairs.unwrap_or(if a.quick { 3 } else { 11 }).max(1),
        ir_frames: a.ir_frames.unwrap_or(if a.quick { 3 } else { 10 }).max(1),
        quick: a.quick,
    };
    let (lo, hi) = match &a.steps {
        Some(s) => parse_range(s)?,
        None => (0, u32::MAX),
    };
    let steps: Vec<Step> = port_steps(&repo, &a.rev)?
        .into_iter()
        .filter(|s| (lo..=hi).contains(&s.number))
        .collect();
    let cache_dir = plan.work.join("cache");
    std::fs::create_dir_all(&cache_dir).map_err(|e| format!("{}: {e}", cache_dir.display()))?;
    let head = git(&repo, &["rev-parse", "HEAD"])?.trim().to_string();
    let fixed: Vec<(&str, &str)> = if a.no_fixed {
        Vec::new()
    } else {
        FIXED.to_vec()
    };

    let bar = if a.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(
            Some((fixed.len() + steps.len()) as u64),
            ProgressDrawTarget::hidden(),
        )
    } else {
        ProgressBar::new((fixed.len() + steps.len()) as u64)
    };
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} {msg}")
            .unwrap()
            .progress_chars("=> "),
    );
    let key = plan.key();
    let mut rows = Vec::new();
    let mut measured = 0usize;
    let mut failures = 0usize;
    // One loop over all rows: (cache file, the row's description, how to measure it).
    enum What<'a> {
        Fixed(&'a str),
        Step(&'a Step),
    }
    let mut todo: Vec<(PathBuf, Value, What)> = Vec::new();
    for (name, title) in &fixed {
        // The fixed rows come from HEAD's tree (an uncommitted change is measured too, but
        // cached under HEAD: rerun with a clean tree for a report).
        todo.push((
            cache_dir.join(format!("fixed-{name}-{head}.json")),
            json!({"row": name, "kind": "fixed", "commit": head, "short": &head[..head.len().min(9)], "title": title}),
            What::Fixed(name),
        ));
    }
    for s in &steps {
        todo.push((
            cache_dir.join(format!("{}.json", s.commit)),
            json!({"row": s.number.to_string(), "kind": "step", "step": s.number, "commit": s.commit,
                   "short": s.short, "date": s.date, "title": s.title}),
            What::Step(s),
        ));
    }
    for (file, desc, what) in todo {
        let cached: Option<Value> = std::fs::read_to_string(&file)
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            .filter(|v| v["key"] == key.as_str())
            .map(|v| v["result"].clone())
            .filter(|r| !a.retry_failed || r["status"] == "ok");
        let (result, hit) = match cached {
            Some(r) => (r, true),
            None => {
                let t0 = Instant::now();
                let r = match what {
                    What::Fixed(name) => match &a.measure_with {
                        Some(p) => measure_external(
                            p,
                            &["fixed".as_ref(), name.as_ref(), repo.as_os_str()],
                        ),
                        None => measure_fixed(&plan, name, &bar),
                    },
                    What::Step(s) => {
                        bar.set_message(format!("step {}: worktree", s.number));
                        match worktree(&plan, s) {
                            Err(e) => Err(json!({"status": "error", "error": e})),
                            Ok(wt) => {
                                let census = census_of(&wt, "safe", &wt.join("safe/src"));
                                let r = match &a.measure_with {
                                    Some(p) => measure_external(
                                        p,
                                        &["step".as_ref(), wt.as_os_str(), s.commit.as_ref()],
                                    ),
                                    None => measure_step(&plan, &wt, s, &bar),
                                };
                                match r {
                                    Ok(mut v) | Err(mut v) if v.is_object() => {
                                        v["census"] = census;
                                        if v["status"] == "ok" { Ok(v) } else { Err(v) }
                                    }
                                    other => other,
                                }
                            }
                        }
                    }
                };
                let mut r = r.unwrap_or_else(|e| e);
                r["seconds"] = json!(t0.elapsed().as_secs_f64());
                measured += 1;
                let _ = std::fs::write(
                    &file,
                    serde_json::to_string_pretty(&json!({"key": key, "result": r})).unwrap(),
                );
                (r, false)
            }
        };
        let mut row = desc;
        if let (Some(o), Some(r)) = (row.as_object_mut(), result.as_object()) {
            for (k, v) in r {
                o.insert(k.clone(), v.clone());
            }
        }
        if row["kind"] == "fixed" && row["row"] == "transpiled" && row.get("census").is_none() {
            row["census"] = census_of(&repo, "transpiled", &repo.join("transpiled/src"));
        }
        row["cached"] = json!(hit);
        if row["status"] != "ok" {
            failures += 1;
            bar.suspend(|| {
                eprintln!(
                    "stages: {} {}: {}: {}",
                    row["row"].as_str().unwrap_or(""),
                    row["title"].as_str().unwrap_or(""),
                    row["status"].as_str().unwrap_or(""),
                    row["error"].as_str().unwrap_or("")
                )
            });
        }
        bar.inc(1);
        rows.push(row);
    }
    bar.finish_and_clear();

    let md = markdown(&rows, &plan);
    let md_path = repo.join(&a.markdown);
    let img = repo.join(&a.img_dir);
    std::fs::create_dir_all(&img).map_err(|e| format!("{}: {e}", img.display()))?;
    if let Some(p) = md_path.parent() {
        std::fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    std::fs::write(&md_path, &md).map_err(|e| format!("{}: {e}", md_path.display()))?;
    let charts = charts(&rows, &img)?;
    let report = json!({
        "order": "step number", "rev": a.rev, "key": key, "measured": measured,
        "cached": rows.len() - measured, "failed": failures, "rows": rows,
        "markdown": md_path, "charts": charts,
    });
    match a.json.as_deref() {
        Some("-") => println!("{}", serde_json::to_string_pretty(&report).unwrap()),
        Some(f) => std::fs::write(repo.join(f), serde_json::to_string_pretty(&report).unwrap())
            .map_err(|e| format!("{f}: {e}"))?,
        None => {
            print!("{md}");
            eprintln!(
                "stages: {} rows ({measured} measured, {} cached, {failures} failed); wrote {} and {}",
                rows.len(),
                rows.len() - measured,
                md_path.display(),
                img.join("stages-*.svg").display()
            );
        }
    }
    Ok(if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

// ------------------------------------------------------------------------------------------------
// Report.

fn num(v: &Value, k: &str) -> Option<f64> {
    v.get(k).and_then(Value::as_f64)
}

/// Share of the stage's expressions in unsafe context, in percent.
pub fn unsafe_share(row: &Value) -> Option<f64> {
    let c = row.get("census")?;
    let (u, e) = (num(c, "unsafe_exprs")?, num(c, "exprs")?);
    (e > 0.0).then(|| 100.0 * u / e)
}

fn time_ratio(row: &Value) -> Option<(f64, f64, f64)> {
    let t = row.get("time_ratio")?;
    Some((num(t, "median")?, num(t, "ci_low")?, num(t, "ci_high")?))
}

fn markdown(rows: &[Value], plan: &Plan) -> String {
    let mut md = String::from("# What safety cost, step by step\n\n");
    let _ = writeln!(
        md,
        "Written by `portlab stages run{}`. One row per recorded port step of the safe stage (commits with a `Port-step:` trailer reachable from the branch, by step number), after the C and transpiled stages. \
         Bit-exact: the corpus streams checked against vpxdec's MD5s. Unsafe exprs / fns: `portlab census` of `safe/src`. Panic sites (all kinds) and bounds checks: `portlab inspect panics` of the stage's functions in the binary. \
         Ir ratio: callgrind instructions of the stage / of the C stage in the same binary, first {} frames of `{}`. Time ratio: median of {} paired CPU-time ratios (a side: 3 decodes of the whole stream in a row; the sides in alternating order), with a bootstrap 95% interval. \
         .text: the stage's code bytes. Peak RSS: decoding that stream (GNU time's maximum resident set). Steps measure a harness built from the step's tree; the fixed rows, the current release `vp8dec`.\n",
        if plan.quick { " --quick" } else { "" },
        plan.ir_frames,
        plan.time_stream,
        plan.pairs
    );
    md.push_str("| step | commit | title | bit-exact | unsafe exprs | unsafe fns | panic sites | bounds checks | Ir ratio | time ratio (95% CI) | .text | peak RSS |\n");
    md.push_str("|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    let int = |v: Option<f64>| v.map_or("–".to_string(), |x| format!("{}", x as u64));
    for r in rows {
        let census = r
            .get("census")
            .filter(|c| c.is_object() && c.get("error").is_none());
        let ue = census.and_then(|c| num(c, "unsafe_exprs"));
        let share = unsafe_share(r);
        let bit = match r["status"].as_str() {
            Some("ok") => "yes".to_string(),
            Some(s) => format!("**{s}**"),
            None => "–".to_string(),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {}{} | {} | {} | {} | {} | {} | {} | {} |",
            r["row"].as_str().unwrap_or(""),
            r["short"].as_str().map_or("–".into(), |s| format!("`{s}`")),
            r["title"].as_str().unwrap_or("").replace('|', "\\|"),
            bit,
            int(ue),
            share.map_or(String::new(), |s| format!(" ({s:.1}%)")),
            int(census.and_then(|c| num(c, "unsafe_fns"))),
            int(num(r, "panic_sites")),
            int(num(r, "bounds_checks")),
            num(r, "ir_ratio").map_or("–".into(), |x| format!("{x:.3}")),
            time_ratio(r).map_or("–".into(), |(m, l, h)| format!("{m:.3} ({l:.3}–{h:.3})")),
            num(r, "stage_code_bytes").map_or("–".into(), |x| format!("{:.1} KiB", x / 1024.0)),
            num(r, "peak_rss_kb").map_or("–".into(), |x| format!("{:.1} MiB", x / 1024.0)),
        );
    }
    let failed: Vec<&Value> = rows.iter().filter(|r| r["status"] != "ok").collect();
    if !failed.is_empty() {
        md.push_str("\n## Failed rows\n\n");
        for r in failed {
            let _ = writeln!(
                md,
                "- {} ({}): {}: {}",
                r["row"].as_str().unwrap_or(""),
                r["short"].as_str().unwrap_or(""),
                r["status"].as_str().unwrap_or(""),
                r["error"]
                    .as_str()
                    .unwrap_or("")
                    .lines()
                    .next()
                    .unwrap_or("")
            );
        }
    }
    md.push_str("\n![Instructions per step](img/stages-instructions.svg)\n![Time per step](img/stages-time.svg)\n![Unsafe share per step](img/stages-unsafe.svg)\n![Safety versus speed](img/stages-tradeoff.svg)\n");
    md
}

/// A line (with points) over the rows, optional whiskers; x is the row index, labelled.
fn svg_per_row(
    path: &Path,
    title: &str,
    y_desc: &str,
    labels: &[String],
    values: &[Option<(f64, f64, f64)>],
    baseline: Option<f64>,
) -> Result<(), String> {
    use plotters::prelude::*;
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let width = (200 + 28 * labels.len()).max(700) as u32;
    let root = SVGBackend::new(path, (width, 460)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let ys = values.iter().flatten().flat_map(|&(m, l, h)| [m, l, h]);
    let (mut lo, mut hi) = ys.fold((f64::MAX, f64::MIN), |(a, b), y| (a.min(y), b.max(y)));
    if let Some(b) = baseline {
        (lo, hi) = (lo.min(b), hi.max(b));
    }
    if lo > hi {
        (lo, hi) = (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.1).max(1e-3);
    let n = labels.len().max(1);
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(50)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), (lo - pad)..(hi + pad))
        .map_err(|e| err(&e))?;
    let l2 = labels.to_vec();
    chart
        .configure_mesh()
        .x_labels(n)
        .x_label_formatter(&|x: &f64| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                l2.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .x_desc("step")
        .y_desc(y_desc)
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(|e| err(&e))?;
    if let Some(b) = baseline {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(-0.5, b), (n as f64 - 0.5, b)],
                BLACK.mix(0.4),
            )))
            .map_err(|e| err(&e))?;
    }
    let blue = RGBColor(70, 110, 190);
    let pts: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|(m, _, _)| (i as f64, m)))
        .collect();
    chart
        .draw_series(std::iter::once(PathElement::new(
            pts.clone(),
            blue.stroke_width(2),
        )))
        .map_err(|e| err(&e))?;
    chart
        .draw_series(pts.iter().map(|&p| Circle::new(p, 4, blue.filled())))
        .map_err(|e| err(&e))?;
    chart
        .draw_series(values.iter().enumerate().filter_map(|(i, v)| {
            let (m, l, h) = (*v)?;
            // The interval as a whisker with caps (plotters' ErrorBar needs a feature we do not
            // build).
            let x = i as f64;
            let orange = RGBColor(220, 120, 40).stroke_width(2);
            (l != m || h != m).then(|| {
                PathElement::new(
                    vec![
                        (x - 0.15, l),
                        (x + 0.15, l),
                        (x, l),
                        (x, h),
                        (x - 0.15, h),
                        (x + 0.15, h),
                    ],
                    orange,
                )
            })
        }))
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

/// Unsafe share (x) against time ratio (y, Ir ratio if untimed), rows joined in order.
fn svg_tradeoff(path: &Path, rows: &[Value]) -> Result<(), String> {
    use plotters::prelude::*;
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let pts: Vec<(f64, f64, String)> = rows
        .iter()
        .filter_map(|r| {
            let y = time_ratio(r).map(|t| t.0).or_else(|| num(r, "ir_ratio"))?;
            Some((
                unsafe_share(r)?,
                y,
                r["row"].as_str().unwrap_or("").to_string(),
            ))
        })
        .collect();
    let root = SVGBackend::new(path, (800, 600)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let (ylo, yhi) = pts
        .iter()
        .fold((1.0f64, 1.0f64), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let xmax = pts.iter().map(|p| p.0).fold(1.0f64, f64::max);
    let pad = ((yhi - ylo) * 0.1).max(0.02);
    let mut chart = ChartBuilder::on(&root)
        .caption("Safety versus speed, step by step", ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d((xmax * 1.05)..-0.5f64, (ylo - pad)..(yhi + pad))
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc("unsafe expressions, % of all (fewer to the right)")
        .y_desc("time / C (median of pairs)")
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(|e| err(&e))?;
    let blue = RGBColor(70, 110, 190);
    chart
        .draw_series(std::iter::once(PathElement::new(
            pts.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(),
            blue.mix(0.6),
        )))
        .map_err(|e| err(&e))?;
    chart
        .draw_series(pts.iter().map(|p| {
            EmptyElement::at((p.0, p.1))
                + Circle::new((0, 0), 4, blue.filled())
                + Text::new(p.2.clone(), (5, -14), ("sans-serif", 12))
        }))
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

/// The port-step curve for `portlab report`: the charts drawn again into `dir` from the rows
/// `stages run` cached under `target/stages/cache/` when every step reachable from HEAD and both
/// fixed rows are cached there (the fixed rows from the newest file); else copies of the charts
/// `stages run` last wrote into `docs/img/`. Returns the charts and where they came from.
pub fn port_step_charts(repo: &Path, dir: &Path) -> Result<(Vec<PathBuf>, String), String> {
    let cache = repo.join("target/stages/cache");
    let read = |f: &Path| -> Option<Value> {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(f).ok()?).ok()?;
        Some(v["result"].clone())
    };
    let newest_fixed = |name: &str| -> Option<Value> {
        let prefix = format!("fixed-{name}-");
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&cache)
            .ok()?
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .collect();
        files.sort();
        read(&files.last()?.1)
    };
    let mut rows = Vec::new();
    let mut complete = cache.is_dir();
    if complete {
        for (name, title) in FIXED {
            match newest_fixed(name) {
                Some(r) => rows.push((json!({"row": name, "kind": "fixed", "title": title}), r)),
                None => complete = false,
            }
        }
        for s in port_steps(repo, "HEAD").unwrap_or_default() {
            match read(&cache.join(format!("{}.json", s.commit))) {
                Some(r) => rows.push((
                    json!({"row": s.number.to_string(), "kind": "step", "title": s.title}),
                    r,
                )),
                None => complete = false,
            }
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if complete && rows.len() > FIXED.len() {
        let rows: Vec<Value> = rows
            .into_iter()
            .map(|(mut row, r)| {
                if let (Some(o), Some(r)) = (row.as_object_mut(), r.as_object()) {
                    for (k, v) in r {
                        o.insert(k.clone(), v.clone());
                    }
                }
                row
            })
            .collect();
        let files = charts(&rows, dir)?;
        return Ok((
            files,
            format!("the `portlab stages run` cache ({})", cache.display()),
        ));
    }
    let img = repo.join("docs/img");
    let mut files = Vec::new();
    for name in [
        "stages-instructions",
        "stages-time",
        "stages-unsafe",
        "stages-tradeoff",
    ] {
        let from = img.join(format!("{name}.svg"));
        let to = dir.join(format!("{name}.svg"));
        if std::fs::copy(&from, &to).is_ok() {
            files.push(to);
        }
    }
    Ok((
        files,
        "docs/img/stages-*.svg, as `portlab stages run` last wrote them (no complete cache in target/stages/cache)".into(),
    ))
}

fn charts(rows: &[Value], dir: &Path) -> Result<Vec<PathBuf>, String> {
    let labels: Vec<String> = rows
        .iter()
        .map(|r| r["row"].as_str().unwrap_or("").to_string())
        .collect();
    let point = |v: Option<f64>| v.map(|x| (x, x, x));
    let ir: Vec<_> = rows.iter().map(|r| point(num(r, "ir_ratio"))).collect();
    let time: Vec<_> = rows.iter().map(time_ratio).collect();
    let share: Vec<_> = rows.iter().map(|r| point(unsafe_share(r))).collect();
    let files = [
        dir.join("stages-instructions.svg"),
        dir.join("stages-time.svg"),
        dir.join("stages-unsafe.svg"),
        dir.join("stages-tradeoff.svg"),
    ];
    svg_per_row(
        &files[0],
        "Instructions per step (callgrind), relative to C",
        "Ir / C",
        &labels,
        &ir,
        Some(1.0),
    )?;
    svg_per_row(
        &files[1],
        "CPU time per step, relative to C (median, 95% bootstrap CI)",
        "time / C",
        &labels,
        &time,
        Some(1.0),
    )?;
    svg_per_row(
        &files[2],
        "Unsafe share of the stage's expressions",
        "unsafe exprs, %",
        &labels,
        &share,
        None,
    )?;
    svg_tradeoff(&files[3], rows)?;
    Ok(files.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailer_and_range() {
        assert_eq!(
            parse_trailer("3 frame headers"),
            Some((3, "frame headers".into()))
        );
        assert_eq!(parse_trailer("x y"), None);
        assert_eq!(parse_range("2..5").unwrap(), (2, 5));
        assert_eq!(parse_range("7").unwrap(), (7, 7));
        assert_eq!(parse_range("..4").unwrap(), (0, 4));
        assert_eq!(parse_range("51..").unwrap(), (51, u32::MAX));
        assert!(parse_range("a..b").is_err());
    }

    #[test]
    fn bootstrap_interval_holds_the_median() {
        let xs = [1.10, 1.12, 1.08, 1.30, 1.11, 1.09, 1.13];
        let (m, lo, hi) = median_ci(&xs).unwrap();
        assert_eq!(m, 1.11);
        assert!(
            lo <= m && m <= hi && lo >= 1.08 && hi <= 1.30,
            "{lo} {m} {hi}"
        );
        assert_eq!(median_ci(&[2.0]).unwrap(), (2.0, 2.0, 2.0));
    }
}
