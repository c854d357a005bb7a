//! `portlab report`: the front door. `portlab` with no subcommand, and so `cargo run --release`
//! at the workspace root, runs it: every stage decodes the sample streams and is checked against
//! vpxdec's MD5s ([`verify`]), a short in-process benchmark times it against the C stage
//! ([`bench::inprocess`]), callgrind counts its instructions (a [`profile`] of each stage),
//! [`census`] counts its unsafe code and [`crate::inspect`] its panic call sites in this very
//! binary. One table on stdout, and `target/portlab-report/index.html` with SVG charts: the stage
//! ratios, the per-kernel profile and the port-step curve ([`stages::port_step_charts`]).
//!
//! Everything runs in this process except valgrind, which runs this same executable as
//! `portlab vp8dec ...` (a hidden subcommand with the flags of the `vp8dec` binary): no cargo
//! build, and the instructions counted are those of the code the table's other columns describe.

use std::fmt::Write as _;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Value, json};

use crate::bench;
use crate::census::{self, Counts};
use crate::host::{cpu_model, workspace_root};
use crate::inspect::binary::{Binary, Classifier};
use crate::inspect::panics;
use crate::profile::{self, CallgrindProfile, Category};
use crate::stage::{self, Language, Settings};
use crate::stages;
use crate::verify::{self, CorpusStream, VerifyPlan, corpus_streams, resolve};

/// The bundled sample stream: 30 frames of 176x144, a few milliseconds per decode.
pub const SAMPLE: &str = "bench/corpus/streams/sample.ivf";

/// `portlab report` options (also those of `portlab` with no subcommand). The argument ids are
/// prefixed: flattened at the top level, an id equal to a subcommand's global argument
/// (`inspect --stages`) would hand that argument this one's default.
#[derive(clap::Args, Debug, Clone)]
#[command(after_help = "\
Examples:
  cargo run --release                            the same as `portlab report` on the sample stream
  portlab report --streams bench/corpus/streams/bench-vga-testsrc2-640x480.ivf
  portlab report --stages c,safe --rounds 15
  portlab report --json=target/portlab-report/report.json

Ratios are stage / C stage: above 1 means slower (or more instructions) than C.
Exit codes: 0 every stage bit-exact, 1 a mismatch or a failed measurement, 2 bad command line.")]
pub struct ReportArgs {
    /// Streams: .ivf files or folders of them, comma-separated; their NAME.md5 / NAME.framemd5
    /// (vpxdec's) are the references. Default: the bundled sample stream.
    #[arg(
        id = "report_streams",
        long = "streams",
        value_name = "PATHS",
        value_delimiter = ','
    )]
    pub streams: Vec<PathBuf>,
    /// Stages, comma-separated, or all. C is the baseline of every ratio and always runs.
    #[arg(
        id = "report_stages",
        long = "stages",
        default_value = "all",
        value_name = "LIST"
    )]
    pub stages: String,
    /// Timed rounds of the in-process benchmark (each: one batch of decodes per stage).
    #[arg(
        id = "report_rounds",
        long = "rounds",
        default_value_t = 9,
        value_name = "N"
    )]
    pub rounds: usize,
    /// Frames of the first stream decoded under callgrind (0: skip the instruction counts).
    #[arg(
        id = "report_ir_frames",
        long = "ir-frames",
        default_value_t = 30,
        value_name = "N"
    )]
    pub ir_frames: u64,
    /// Where index.html, report.json, the charts and the callgrind files go.
    #[arg(
        id = "report_out",
        long = "out",
        value_name = "DIR",
        default_value = "target/portlab-report"
    )]
    pub out: PathBuf,
    /// Write the results as JSON: to stdout with --json, to FILE with --json=FILE.
    #[arg(id = "report_json", long = "json", value_name = "FILE", num_args = 0..=1, default_missing_value = "-", require_equals = true)]
    pub json: Option<String>,
    /// Also write the Markdown table to FILE.
    #[arg(id = "report_markdown", long = "markdown", value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// No progress bar.
    #[arg(id = "report_quiet", short = 'q', long = "quiet")]
    pub quiet: bool,
}

impl Default for ReportArgs {
    fn default() -> ReportArgs {
        ReportArgs {
            streams: Vec::new(),
            stages: "all".into(),
            rounds: 9,
            ir_frames: 30,
            out: PathBuf::from("target/portlab-report"),
            json: None,
            markdown: None,
            quiet: false,
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Row {
    pub stage: String,
    pub language: Language,
    /// Every stream, every CPU mask, equal to the references and to the C stage.
    pub bit_exact: bool,
    pub time: Option<bench::inprocess::StageTiming>,
    pub ir: Option<CallgrindProfile>,
    /// Rust: (unsafe expressions, expressions); None for C.
    pub unsafe_exprs: Option<(usize, usize)>,
    pub loc: usize,
    /// Rust panic call sites in the stage's functions of this binary; None for C.
    pub panic_sites: Option<usize>,
}

impl Row {
    pub fn unsafe_share(&self) -> Option<f64> {
        self.unsafe_exprs
            .filter(|(_, e)| *e > 0)
            .map(|(u, e)| 100.0 * u as f64 / e as f64)
    }
}

/// Everything `portlab report` measured.
#[derive(Debug, Clone)]
pub struct Report {
    pub rows: Vec<Row>,
    pub streams: Vec<CorpusStream>,
    pub verify: verify::Report,
    pub charts: Vec<PathBuf>,
    pub port_steps_source: String,
    pub seconds: f64,
    pub out: PathBuf,
    /// Frames decoded under callgrind (0: not counted).
    pub ir_frames: u64,
}

/// The streams: each path a file or a folder of .ivf files.
fn find_streams(paths: &[PathBuf]) -> Result<Vec<CorpusStream>, String> {
    let paths: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(SAMPLE)]
    } else {
        paths.to_vec()
    };
    let mut out = Vec::new();
    for p in paths {
        let p = resolve(&p);
        if !p.exists() {
            return Err(format!("{}: no such stream or folder", p.display()));
        }
        let found = corpus_streams(&p)?;
        if found.is_empty() {
            return Err(format!("{}: no .ivf streams", p.display()));
        }
        out.extend(found);
    }
    Ok(out)
}

fn ratio(x: u64, c: u64) -> f64 {
    x as f64 / c.max(1) as f64
}

impl Report {
    fn c_row(&self) -> Option<&Row> {
        self.rows.iter().find(|r| r.language == Language::C)
    }

    fn ir_ratio(&self, r: &Row) -> Option<f64> {
        let c = self.c_row()?.ir.as_ref()?.total;
        Some(ratio(r.ir.as_ref()?.total, c))
    }

    /// The table: stage x bit-exact, time / C, instructions / C, unsafe share, panic sites.
    pub fn table(&self) -> String {
        let mut s = String::from(
            "| stage | bit-exact | time ÷ C | instructions ÷ C | unsafe share | panic sites |\n\
             |---|---|--:|--:|--:|--:|\n",
        );
        for r in &self.rows {
            let time = r.time.as_ref().map_or("–".into(), |t| {
                format!(
                    "{:.2} [{:.2}–{:.2}]",
                    t.ratio.median, t.ratio.q1, t.ratio.q3
                )
            });
            let ir = self.ir_ratio(r).map_or("–".into(), |x| format!("{x:.3}"));
            let share = match (r.language, r.unsafe_share()) {
                (Language::C, _) => "all (C)".to_string(),
                (_, Some(x)) => format!("{x:.1}%"),
                (_, None) => "–".to_string(),
            };
            let panics = r.panic_sites.map_or("–".into(), |n| n.to_string());
            let _ = writeln!(
                s,
                "| {} | {} | {time} | {ir} | {share} | {panics} |",
                r.stage,
                if r.bit_exact { "yes" } else { "NO" }
            );
        }
        s
    }

    /// Below the table: what was measured how, and where the report is.
    pub fn notes(&self) -> String {
        let frames: usize = self
            .verify
            .streams
            .iter()
            .map(|s| s.cells.first().map_or(0, |c| c.frames))
            .sum();
        let mut s = String::new();
        let _ = writeln!(
            s,
            "\n{} stream(s), {frames} frames; bit-exact: every frame's MD5 under CPU masks none and all equals vpxdec's \
             (.framemd5/.md5) and the C stage's. Time: median CPU-time ratio of {} in-process rounds [IQR]. \
             Instructions: callgrind, up to {} frames of {}, the whole process. Unsafe share: unsafe expressions / expressions \
             (portlab census). Panic sites: calls to Rust panic entry points in the stage's functions of this binary \
             (portlab inspect panics).",
            self.streams.len(),
            self.rows
                .first()
                .and_then(|r| r.time.as_ref())
                .map_or(0, |t| t.ratio.n),
            self.ir_frames,
            self.streams
                .first()
                .map_or(String::new(), |s| s.name.clone()),
        );
        for m in &self.verify.mismatches {
            let _ = writeln!(s, "MISMATCH {} {}: {}", m.stream, m.combo, m.what);
        }
        let _ = writeln!(
            s,
            "report: {} (in {:.1} s)",
            self.out.join("index.html").display(),
            self.seconds
        );
        s
    }

    pub fn to_json(&self) -> Value {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                json!({
                    "stage": r.stage,
                    "bit_exact": r.bit_exact,
                    "time_ratio": r.time.as_ref().map(|t| t.ratio.json()),
                    "pass_cpu_seconds": r.time.as_ref().map(|t| t.pass.json()),
                    "instructions": r.ir.as_ref().map(|p| p.total),
                    "instructions_ratio": self.ir_ratio(r),
                    "instructions_by_category": r.ir.as_ref().map(|p| json!({
                        "kernel": p.category_total(Category::Kernel),
                        "decoder": p.category_total(Category::Decoder),
                        "other": p.category_total(Category::Other),
                    })),
                    "unsafe_exprs": r.unsafe_exprs.map(|x| x.0),
                    "exprs": r.unsafe_exprs.map(|x| x.1),
                    "unsafe_share_pct": r.unsafe_share(),
                    "loc": r.loc,
                    "panic_sites": r.panic_sites,
                })
            })
            .collect();
        json!({
            "tool": "portlab report",
            "date": profile::today(),
            "cpu_model": cpu_model(),
            "streams": self.streams.iter().map(|s| s.ivf.display().to_string()).collect::<Vec<_>>(),
            "rows": rows,
            "verify": self.verify.to_json(),
            "charts": self.charts,
            "port_steps_source": self.port_steps_source,
            "seconds": self.seconds,
        })
    }
}

/// `portlab report`: returns the exit code.
pub fn main(a: &ReportArgs) -> u8 {
    match run(a) {
        Ok(r) => {
            if r.rows.iter().all(|r| r.bit_exact) {
                0
            } else {
                1
            }
        }
        Err((code, e)) => {
            eprintln!("portlab report: {e}");
            code
        }
    }
}

/// Measure, print and write everything.
pub fn run(a: &ReportArgs) -> Result<Report, (u8, String)> {
    let t0 = Instant::now();
    let usage = |e: String| (2u8, e);
    let failed = |e: String| (1u8, e);
    let root = workspace_root();
    let mut chosen = stage::parse_stage_list(&a.stages).map_err(usage)?;
    // C is the baseline of every ratio: first, and always there.
    let c = stage::all_stages()
        .into_iter()
        .find(|s| s.info().language == Language::C)
        .ok_or_else(|| failed("no C stage is built in".into()))?;
    chosen.retain(|s| s.name() != c.name());
    chosen.insert(0, c);
    if a.rounds == 0 {
        return Err(usage("--rounds must be at least 1".into()));
    }
    let streams = find_streams(&a.streams).map_err(usage)?;
    let out = if a.out.is_absolute() {
        a.out.clone()
    } else {
        root.join(&a.out)
    };
    std::fs::create_dir_all(&out).map_err(|e| failed(format!("{}: {e}", out.display())))?;

    let n = chosen.len() as u64;
    let steps = 1 + a.rounds as u64 * n + if a.ir_frames > 0 { n } else { 0 } + n + 2;
    let bar = if a.quiet || !io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(steps), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("report {elapsed_precise} [{bar:30}] {pos}/{len} {msg}")
            .expect("valid template")
            .progress_chars("=> "),
    );

    // 1. Bit-exactness: portlab verify's plan over the chosen stages, masks none and all.
    bar.set_message("verify: every stage against vpxdec's md5s");
    let combos = chosen
        .iter()
        .flat_map(|&s| {
            [stage::cpu::NONE, stage::cpu::ALL]
                .into_iter()
                .map(move |m| verify::Combo {
                    stage: s,
                    cpu_mask: m,
                })
        })
        .collect();
    let plan = VerifyPlan {
        combos,
        streams: streams.clone(),
        corpus: streams[0].ivf.clone(),
        out: out.join("mismatch"),
        threads: 1,
        jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
        progress: false,
        fault: None,
    };
    let vreport = verify::run_verify(&plan, "portlab report");
    bar.inc(1);
    let bit_exact = |name: &str| {
        vreport.streams.iter().all(|st| {
            st.cells
                .iter()
                .zip(&vreport.combos)
                .filter(|(_, label)| label.split('/').next() == Some(name))
                .all(|(c, _)| c.ok)
        }) && !vreport.mismatches.iter().any(|m| m.combo == "all")
    };

    // 2. The short benchmark, in process.
    bar.set_message("benchmark: in-process rounds");
    let payloads: Vec<Vec<Vec<u8>>> = streams
        .iter()
        .map(CorpusStream::frames)
        .collect::<Result<_, _>>()
        .map_err(failed)?;
    let settings = Settings {
        cpu_mask: stage::cpu::ALL,
        threads: 1,
        max_frame_area: 0,
    };
    let timing =
        bench::inprocess::time_stages(&chosen, &payloads, &settings, a.rounds, 1, &|| bar.inc(1))
            .map_err(failed)?;

    // 3. Instructions: callgrind over this executable's `vp8dec` subcommand.
    let mut ir: Vec<Option<CallgrindProfile>> = vec![None; chosen.len()];
    if a.ir_frames > 0 {
        let exe = std::env::current_exe()
            .map_err(|e| failed(format!("cannot find this executable: {e}")))?;
        for (i, s) in chosen.iter().enumerate() {
            bar.set_message(format!("callgrind: {}", s.name()));
            ir[i] = Some(
                callgrind(&exe, s.name(), &streams[0].ivf, a.ir_frames, &out).map_err(failed)?,
            );
            bar.inc(1);
        }
    }

    // 4. Census of each stage's source.
    let mut census_rows = Vec::new();
    for s in &chosen {
        bar.set_message(format!("census: {}", s.name()));
        let c = census::census_target(&root, s.name(), None).map_err(failed)?;
        census_rows.push(match &c.total {
            Counts::Rust(r) => (Some((r.unsafe_exprs, r.exprs)), r.loc),
            Counts::C(c) => (None, c.loc),
        });
        bar.inc(1);
    }

    // 5. Panic sites in this binary (it links every stage, as vp8dec does).
    bar.set_message("inspect: panic sites in this binary");
    let exe =
        std::env::current_exe().map_err(|e| failed(format!("cannot find this executable: {e}")))?;
    let binary = Binary::load(&exe, &Classifier::project(&root)).map_err(failed)?;
    let panic_sites: Vec<Option<usize>> = chosen
        .iter()
        .map(|s| {
            (s.info().language != Language::C).then(|| {
                panics::all_panic_sites(&binary, &[s.name().to_string()])
                    .iter()
                    .map(panics::PanicSites::total)
                    .sum()
            })
        })
        .collect();
    drop(binary);
    bar.inc(1);

    let rows: Vec<Row> = chosen
        .iter()
        .enumerate()
        .map(|(i, s)| Row {
            stage: s.name().to_string(),
            language: s.info().language,
            bit_exact: bit_exact(s.name()),
            time: timing.get(i).cloned(),
            ir: ir[i].clone(),
            unsafe_exprs: census_rows[i].0,
            loc: census_rows[i].1,
            panic_sites: panic_sites[i],
        })
        .collect();

    // 6. Charts and the page.
    bar.set_message("charts");
    let mut report = Report {
        rows,
        streams,
        verify: vreport,
        charts: Vec::new(),
        port_steps_source: String::new(),
        seconds: 0.0,
        out: out.clone(),
        ir_frames: a.ir_frames,
    };
    report.charts = stage_charts(&report, &out).map_err(failed)?;
    let (steps_charts, source) = stages::port_step_charts(&root, &out).map_err(failed)?;
    report.charts.extend(steps_charts);
    report.port_steps_source = source;
    bar.inc(1);
    bar.finish_and_clear();
    report.seconds = t0.elapsed().as_secs_f64();

    let json = report.to_json();
    std::fs::write(
        out.join("report.json"),
        serde_json::to_string_pretty(&json).expect("json") + "\n",
    )
    .map_err(|e| failed(format!("{}: {e}", out.join("report.json").display())))?;
    std::fs::write(out.join("index.html"), html(&report))
        .map_err(|e| failed(format!("{}: {e}", out.join("index.html").display())))?;
    let md = report.table() + &report.notes();
    bench::write_report(&md, &json, a.json.as_deref(), a.markdown.as_deref(), false)
        .map_err(failed)?;
    Ok(report)
}

/// Instructions of `stage` decoding the first `frames` frames of `stream`, by function:
/// `valgrind --tool=callgrind EXE vp8dec ...`, parsed by `portlab profile`'s parser.
fn callgrind(
    exe: &Path,
    stage: &str,
    stream: &Path,
    frames: u64,
    out: &Path,
) -> Result<CallgrindProfile, String> {
    let file = out.join(format!("callgrind.{stage}.out"));
    let run = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", file.display()))
        .arg(exe)
        // One thread: the C stage is threaded, and callgrind's counts must not depend on scheduling.
        .args([
            "vp8dec",
            "--stage",
            stage,
            "--threads",
            "1",
            "--muxer",
            "null",
            "-q",
        ])
        .args(["--limit", &frames.to_string(), "-i"])
        .arg(stream)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run valgrind (apt-get install valgrind): {e}"))?;
    if !run.status.success() {
        let err = String::from_utf8_lossy(&run.stderr);
        let tail: Vec<&str> = err.lines().rev().take(8).collect();
        return Err(format!(
            "callgrind of stage {stage} failed ({}):\n{}",
            run.status,
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        ));
    }
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    profile::parse_callgrind(&text, None).map_err(|e| format!("{}: {e}", file.display()))
}

/// The report's own charts: stage ratios, instructions by category, the per-kernel profile.
fn stage_charts(r: &Report, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let names: Vec<String> = r.rows.iter().map(|x| x.stage.clone()).collect();
    let mut files = Vec::new();
    let ratios = dir.join("report-ratios.svg");
    let values: Vec<Vec<f64>> = r
        .rows
        .iter()
        .map(|x| {
            vec![
                x.time.as_ref().map_or(0.0, |t| t.ratio.median),
                r.ir_ratio(x).unwrap_or(0.0),
            ]
        })
        .collect();
    svg_bars(
        &ratios,
        "Each stage relative to C (1 = as fast / as many instructions as C)",
        "ratio to the C stage",
        &names,
        &["CPU time ÷ C".to_string(), "instructions ÷ C".to_string()],
        &values,
    )?;
    files.push(ratios);
    let profiles: Vec<&CallgrindProfile> = r.rows.iter().filter_map(|x| x.ir.as_ref()).collect();
    if profiles.len() == r.rows.len() && !profiles.is_empty() {
        let cats = dir.join("report-categories.svg");
        let labels = [
            (Category::Kernel, "shared asm kernels"),
            (Category::Decoder, "the stage's decoder code"),
            (Category::Other, "other (CLI, runtime, libc, loader)"),
        ];
        svg_bars(
            &cats,
            "Where the instructions go, per stage (callgrind, millions)",
            "instructions (millions)",
            &labels.iter().map(|l| l.1.to_string()).collect::<Vec<_>>(),
            &names,
            &labels
                .iter()
                .map(|(c, _)| {
                    profiles
                        .iter()
                        .map(|p| p.category_total(*c) as f64 / 1e6)
                        .collect()
                })
                .collect::<Vec<_>>(),
        )?;
        files.push(cats);
        // The per-kernel profile: the busiest kernels in C, in every stage. Equal bars are the
        // anchor: the kernels run the same code on the same data whatever calls them.
        let mut kernels: Vec<(&String, u64)> = profiles[0]
            .functions
            .iter()
            .filter(|(_, f)| f.category == Category::Kernel)
            .map(|(n, f)| (n, f.ir))
            .collect();
        kernels.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
        kernels.truncate(15);
        let path = dir.join("report-kernels.svg");
        svg_bars(
            &path,
            "Per-kernel profile: instructions in the busiest asm kernels (callgrind, thousands)",
            "instructions (thousands)",
            &kernels.iter().map(|k| k.0.clone()).collect::<Vec<_>>(),
            &names,
            &kernels
                .iter()
                .map(|(k, _)| profiles.iter().map(|p| p.ir(k) as f64 / 1e3).collect())
                .collect::<Vec<_>>(),
        )?;
        files.push(path);
        // The decoder's own functions, where the stages differ.
        let mut funcs: Vec<(&String, u64)> = profiles
            .iter()
            .flat_map(|p| p.functions.iter())
            .filter(|(_, f)| f.category == Category::Decoder)
            .map(|(n, f)| (n, f.ir))
            .collect();
        funcs.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
        let mut seen = std::collections::BTreeSet::new();
        funcs.retain(|(n, _)| seen.insert((*n).clone()));
        funcs.truncate(15);
        let path = dir.join("report-functions.svg");
        svg_bars(
            &path,
            "The busiest decoder functions (not kernels), per stage (callgrind, thousands)",
            "instructions (thousands)",
            &funcs.iter().map(|k| k.0.clone()).collect::<Vec<_>>(),
            &names,
            &funcs
                .iter()
                .map(|(k, _)| profiles.iter().map(|p| p.ir(k) as f64 / 1e3).collect())
                .collect::<Vec<_>>(),
        )?;
        files.push(path);
    }
    Ok(files)
}

/// Horizontal bars, one group per row and one bar per series (any number of series):
/// `values[row][series]`. Each row takes one segment per series, the row's name on the middle one;
/// the x axis runs a third past the longest bar, where the legend goes.
pub fn svg_bars(
    path: &Path,
    title: &str,
    x_label: &str,
    rows: &[String],
    series: &[String],
    values: &[Vec<f64>],
) -> Result<(), String> {
    use plotters::coord::ranged1d::SegmentValue;
    use plotters::prelude::*;
    let k = series.len().max(1);
    let n = rows.len().max(1);
    let segs = n * k;
    let height = (130 + 16 * segs + 14 * n) as u32;
    let root = SVGBackend::new(path, (1000, height)).into_drawing_area();
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let max = values
        .iter()
        .flatten()
        .copied()
        .fold(0.0f64, f64::max)
        .max(1e-9)
        * 1.35;
    // Row r's series s is segment (n-1-r)*k + (k-1-s): the first row and series at the top.
    let seg = |r: usize, s: usize| (n - 1 - r) * k + (k - 1 - s);
    let labels: Vec<String> = (0..segs)
        .map(|g| {
            let r = n - 1 - g / k;
            let s = k - 1 - g % k;
            if s == k / 2 {
                rows.get(r).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .collect();
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(260)
        .build_cartesian_2d(0f64..max, (0..segs - 1).into_segmented())
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc(x_label)
        .y_labels(segs)
        .y_label_formatter(&|v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                labels.get(*i).cloned().unwrap_or_default()
            }
            SegmentValue::Last => String::new(),
        })
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(|e| err(&e))?;
    let palette = [
        RGBColor(70, 110, 190),
        RGBColor(220, 120, 40),
        RGBColor(60, 150, 80),
        RGBColor(150, 80, 160),
        RGBColor(120, 120, 120),
    ];
    for (s, name) in series.iter().enumerate() {
        let color = palette[s % palette.len()];
        chart
            .draw_series((0..rows.len()).map(|r| {
                let g = seg(r, s);
                let v = values.get(r).and_then(|v| v.get(s)).copied().unwrap_or(0.0);
                let mut bar = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(g)),
                        (v, SegmentValue::Exact(g + 1)),
                    ],
                    color.filled(),
                );
                bar.set_margin(1, 1, 0, 0);
                bar
            }))
            .map_err(|e| err(&e))?
            .label(name.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 14))
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// index.html: the table, the notes, every chart (relative links, so the folder can be moved).
fn html(r: &Report) -> String {
    let mut h = String::from(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Portlab report</title>\n<style>\
         body{font-family:sans-serif;max-width:1040px;margin:2em auto;padding:0 1em;color:#222}\
         table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3em .7em}\
         td{text-align:right}td:first-child,td:nth-child(2){text-align:left}\
         .bad{color:#b00;font-weight:bold}img{max-width:100%;border:1px solid #eee;margin:.5em 0}\
         </style></head><body>\n<h1>Portlab: one VP8 decoder, three stages</h1>\n",
    );
    let _ = writeln!(
        h,
        "<p>Written by <code>portlab report</code> on {} ({}) in {:.1} s. Streams: {}.</p>",
        escape(&profile::today()),
        escape(&cpu_model()),
        r.seconds,
        escape(
            &r.streams
                .iter()
                .map(|s| s.name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        )
    );
    h.push_str("<table><tr><th>stage</th><th>bit-exact</th><th>time ÷ C</th><th>instructions ÷ C</th><th>unsafe share</th><th>panic sites</th><th>lines of code</th></tr>\n");
    for row in r.table().lines().skip(2).zip(&r.rows) {
        let (line, x) = row;
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        h.push_str("<tr>");
        for (i, c) in cells.iter().enumerate() {
            if i == 1 && !x.bit_exact {
                let _ = write!(h, "<td class=\"bad\">{}</td>", escape(c));
            } else {
                let _ = write!(h, "<td>{}</td>", escape(c));
            }
        }
        let _ = writeln!(h, "<td>{}</td></tr>", x.loc);
    }
    h.push_str("</table>\n");
    let _ = writeln!(
        h,
        "<p>{}</p>",
        escape(r.notes().trim()).replace('\n', "<br>")
    );
    let section = |h: &mut String, title: &str, text: &str, files: &[&PathBuf]| {
        if files.is_empty() {
            return;
        }
        let _ = writeln!(h, "<h2>{}</h2>\n<p>{}</p>", escape(title), escape(text));
        for f in files {
            let name = f
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            let _ = writeln!(h, "<p><img src=\"{0}\" alt=\"{0}\"></p>", escape(&name));
        }
    };
    let of = |prefix: &str| -> Vec<&PathBuf> {
        r.charts
            .iter()
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            })
            .collect()
    };
    section(
        &mut h,
        "Stage ratios",
        "CPU time (median of the in-process rounds) and callgrind instructions of each stage, divided by the C stage's.",
        &of("report-ratios"),
    );
    section(
        &mut h,
        "Per-kernel profile",
        "Callgrind instructions by category, in the busiest shared asm kernels (the same code in every stage: equal bars are the anchor) and in the busiest decoder functions.",
        &[
            of("report-categories"),
            of("report-kernels"),
            of("report-functions"),
        ]
        .concat(),
    );
    section(
        &mut h,
        "Port-step curve",
        &format!(
            "What each recorded step of the safe port cost, from {}. See docs/stages.md and docs/safe-stage.md.",
            r.port_steps_source
        ),
        &of("stages-"),
    );
    h.push_str("<p>All figures: <a href=\"report.json\">report.json</a>.</p>\n</body></html>\n");
    h
}
