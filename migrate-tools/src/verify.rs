//! `portlab verify`: decode a corpus with chosen stages and CPU masks in one process, and compare
//! every frame of every stage/mask with the others and with the committed `*.framemd5` (and
//! `*.md5`) written by vpxdec.
//!
//! A stage/mask is *ok* on a stream when its per-frame MD5s equal the reference file's (when there
//! is one), its frames and decode errors equal those of the first stage/mask (the baseline, `c`
//! with the first mask by default), and its whole-output MD5 equals the `.md5` file. Otherwise the
//! table shows its first bad output frame, and the report names, for that frame, the first pixel
//! (plane, x, y, both values) that differs from a stage/mask that got the frame right, and writes
//! both frames as `.y4m` files under `--out` so they can be viewed (`ffplay`, `mpv`) or diffed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use md5::{Digest, Md5};
use serde_json::{Value, json};

use crate::host::workspace_root;
use crate::stage::{
    self, ErrorKind, Frame, Settings, Vp8Stage, cpu_mask_word, hex, parse_cpu_mask,
};

/// `portlab verify` options.
#[derive(clap::Args, Debug, Clone)]
#[command(after_help = "\
Examples:
  portlab verify                                 every built stage, masks none and all, whole corpus
  portlab verify --stages c,transpiled --cpumask none,all,sse2
  portlab verify --streams synth,odd              only streams whose name contains synth or odd
  portlab verify --corpus target/bench-streams   other streams (references optional)
  portlab verify --json                          the results as JSON on stdout (--json=FILE: to a file)
  portlab verify --markdown v.md                 the table and the details also to v.md

Exit codes: 0 all match, 1 a mismatch (or a stream that cannot be read), 2 bad command line.")]
pub struct VerifyArgs {
    /// Stages to run, comma-separated (c, transpiled), or all: every stage built in. The first
    /// one, with the first mask, is the baseline the others are compared with.
    #[arg(long, default_value = "all", value_name = "LIST")]
    pub stages: String,
    /// CPU masks to run each stage with, comma-separated: none, sse2, ssse3, avx2, all.
    #[arg(long, default_value = "none,all", value_name = "LIST")]
    pub cpumask: String,
    /// Folder of *.ivf streams, with NAME.framemd5 / NAME.md5 references where known (or one
    /// .ivf file).
    #[arg(long, value_name = "DIR", default_value = "bench/corpus/streams")]
    pub corpus: PathBuf,
    /// Only streams whose name contains one of these words (comma-separated).
    #[arg(long, value_name = "WORDS")]
    pub streams: Option<String>,
    /// Where the two frames of each mismatch are written as .y4m files.
    #[arg(long, value_name = "DIR", default_value = "target/verify-mismatch")]
    pub out: PathBuf,
    /// Write the results as JSON: to stdout with --json, to FILE with --json=FILE (the table
    /// then still goes to stdout).
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-", require_equals = true)]
    pub json: Option<String>,
    /// Also write the Markdown report (the table and the details) to FILE.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Decoding threads per decoder (streams are decoded in parallel, one per core, anyway).
    #[arg(long, default_value_t = 1)]
    pub threads: u32,
    /// Streams decoded at once (default: one per core).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// For testing verify itself: add 1 to pixel (X, Y) of PLANE (0-2) of output FRAME of
    /// STAGE's pictures (all masks), as a broken stage would: STAGE:FRAME:PLANE:X:Y.
    #[arg(long, value_name = "SPEC", hide = true)]
    pub inject_fault: Option<String>,
}

/// A deliberate one-pixel error in one stage's output (`--inject-fault`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    pub stage: &'static str,
    pub frame: u64,
    pub plane: usize,
    pub x: usize,
    pub y: usize,
}

impl Fault {
    pub fn parse(spec: &str) -> Result<Fault, String> {
        let parts: Vec<&str> = spec.split(':').collect();
        let bad = || format!("--inject-fault wants STAGE:FRAME:PLANE:X:Y, not '{spec}'");
        if parts.len() != 5 {
            return Err(bad());
        }
        let stage = stage::stage_by_name(parts[0])?.name();
        let n = |s: &str| s.parse::<u64>().map_err(|_| bad());
        let plane = n(parts[2])? as usize;
        if plane > 2 {
            return Err(bad());
        }
        Ok(Fault {
            stage,
            frame: n(parts[1])?,
            plane,
            x: n(parts[3])? as usize,
            y: n(parts[4])? as usize,
        })
    }

    fn apply(&self, frame: &mut Frame) {
        let (w, h) = frame.plane_size(self.plane);
        if self.x < w && self.y < h {
            let v = &mut frame.planes[self.plane][self.y * w + self.x];
            *v = v.wrapping_add(1);
        }
    }
}

pub use vp8_stage::md5::{FrameMd5, parse_framemd5};

pub use vp8_stage::corpus::{CorpusStream, corpus_streams};

/// A stage with a CPU mask: one column of the table.
#[derive(Debug, Clone, Copy)]
pub struct Combo {
    pub stage: &'static dyn Vp8Stage,
    pub cpu_mask: u32,
}

impl Combo {
    /// "c/all", "transpiled/none".
    pub fn label(&self) -> String {
        format!("{}/{}", self.stage.name(), cpu_mask_word(self.cpu_mask))
    }
}

/// What one stage/mask made of one stream.
#[derive(Debug, Clone, Default)]
pub struct Decoded {
    /// Per output picture: size and MD5.
    pub frames: Vec<FrameMd5>,
    /// Frames (file index) that failed to decode, with the error kind.
    pub errors: Vec<(u64, ErrorKind)>,
    /// MD5 of the whole I420 output.
    pub md5: String,
    /// The stream could not be read (IVF error) or the decoder not opened.
    pub fatal: Option<String>,
}

/// Decode `frames` (IVF payloads) with one stage/mask. With `capture = Some(k)`, also return a
/// copy of output picture `k`.
pub fn decode_stream(
    frames: &[Vec<u8>],
    combo: Combo,
    threads: u32,
    fault: Option<Fault>,
    capture: Option<u64>,
) -> (Decoded, Option<Frame>) {
    let mut out = Decoded::default();
    let settings = Settings {
        cpu_mask: combo.cpu_mask,
        threads,
        max_frame_area: 0,
    };
    let mut dec = match combo.stage.open(&settings) {
        Ok(d) => d,
        Err(e) => {
            out.fatal = Some(format!("cannot open the decoder: {e}"));
            return (out, None);
        }
    };
    let fault = fault.filter(|f| f.stage == combo.stage.name());
    let mut whole = Md5::new();
    let mut captured = None;
    for (i, data) in frames.iter().enumerate() {
        if let Err(e) = dec.decode(data) {
            out.errors.push((i as u64, e.kind));
            continue;
        }
        while let Some(pic) = dec.picture() {
            let index = out.frames.len() as u64;
            let faulty = fault.is_some_and(|f| f.frame == index);
            if faulty || capture == Some(index) {
                let mut frame = pic.to_frame();
                if let Some(f) = fault.filter(|_| faulty) {
                    f.apply(&mut frame);
                }
                let mut md5 = Md5::new();
                for p in &frame.planes {
                    md5.update(p);
                    whole.update(p);
                }
                out.frames.push(FrameMd5 {
                    index,
                    width: frame.width,
                    height: frame.height,
                    md5: hex(&md5.finalize()),
                });
                if capture == Some(index) {
                    captured = Some(frame);
                }
            } else {
                pic.md5_update(&mut whole);
                out.frames.push(FrameMd5 {
                    index,
                    width: pic.width,
                    height: pic.height,
                    md5: pic.md5_hex(),
                });
            }
        }
    }
    out.md5 = hex(&whole.finalize());
    (out, captured)
}

/// The IVF payloads of a file.
pub fn read_ivf(path: &Path) -> Result<Vec<Vec<u8>>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (_, frames) =
        vp8_stage::ivf::parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(frames.into_iter().map(|f| f.data).collect())
}

const PLANE_NAMES: [&str; 3] = ["Y", "U", "V"];

/// "1 stream", "N streams".
fn streams(n: usize) -> String {
    format!("{n} {}", if n == 1 { "stream" } else { "streams" })
}

/// The first pixel difference of a mismatch, and where both frames were written.
#[derive(Debug, Clone)]
pub struct PixelDiff {
    /// The stage/mask that got the frame right (or the baseline).
    pub against: String,
    pub plane: usize,
    pub x: usize,
    pub y: usize,
    pub ours: u8,
    pub theirs: u8,
    /// Pixels that differ in the whole frame.
    pub count: usize,
    pub files: Vec<PathBuf>,
}

/// One stage/mask that is not ok on one stream.
#[derive(Debug, Clone)]
pub struct Mismatch {
    pub stream: String,
    pub combo: String,
    /// First bad output frame (None: only errors or the whole md5 differ).
    pub frame: Option<u64>,
    /// What went wrong, in words.
    pub what: String,
    pub pixel: Option<PixelDiff>,
}

/// The cell of the table for one stream and stage/mask.
#[derive(Debug, Clone)]
pub struct Cell {
    pub ok: bool,
    pub first_bad_frame: Option<u64>,
    pub frames: usize,
    pub md5: String,
    pub errors: usize,
    /// "ok", "frame 12", "errors", "unreadable" ...
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct StreamResult {
    pub name: String,
    pub has_reference: bool,
    pub reference_frames: Option<usize>,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub corpus: PathBuf,
    pub combos: Vec<String>,
    pub streams: Vec<StreamResult>,
    pub mismatches: Vec<Mismatch>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.mismatches.is_empty()
    }

    /// The Markdown-ish table: stream x stage/mask, "ok" or the first bad frame.
    pub fn table(&self) -> String {
        let name_w = self
            .streams
            .iter()
            .map(|s| s.name.len())
            .max()
            .unwrap_or(6)
            .max(6);
        let col_w: Vec<usize> = self.combos.iter().map(|c| c.len().max(10)).collect();
        let mut s = String::new();
        write!(s, "| {:name_w$} | ref |", "stream").unwrap();
        for (c, w) in self.combos.iter().zip(&col_w) {
            write!(s, " {c:w$} |").unwrap();
        }
        s.push('\n');
        write!(s, "|{}|-----|", "-".repeat(name_w + 2)).unwrap();
        for w in &col_w {
            write!(s, "{}|", "-".repeat(w + 2)).unwrap();
        }
        s.push('\n');
        for st in &self.streams {
            write!(
                s,
                "| {:name_w$} | {:3} |",
                st.name,
                if st.has_reference { "yes" } else { "no" }
            )
            .unwrap();
            for (cell, w) in st.cells.iter().zip(&col_w) {
                write!(s, " {:w$} |", cell.text).unwrap();
            }
            s.push('\n');
        }
        s
    }

    /// The mismatch details and the closing line.
    pub fn details(&self) -> String {
        let mut s = String::new();
        for m in &self.mismatches {
            if m.combo == "all" {
                // Nothing was decoded: the stream or its references could not be read.
                writeln!(s, "UNREADABLE {}: {}", m.stream, m.what).unwrap();
                continue;
            }
            writeln!(s, "MISMATCH {} {}: {}", m.stream, m.combo, m.what).unwrap();
            if let Some(p) = &m.pixel {
                writeln!(
                    s,
                    "  first differing pixel: frame {} plane {} ({}) at (x {}, y {}): {} has {}, {} has {} ({} pixels differ)",
                    m.frame.unwrap_or(0),
                    p.plane,
                    PLANE_NAMES[p.plane],
                    p.x,
                    p.y,
                    m.combo,
                    p.ours,
                    p.against,
                    p.theirs,
                    p.count
                )
                .unwrap();
                for f in &p.files {
                    writeln!(s, "  wrote {}", f.display()).unwrap();
                }
            }
        }
        let frames: usize = self
            .streams
            .iter()
            .map(|s| s.cells.first().map_or(0, |c| c.frames))
            .sum();
        if self.ok() {
            writeln!(
                s,
                "verify: all {} stage/masks ({}) match on {} ({} output frames per stage/mask)",
                self.combos.len(),
                self.combos.join(", "),
                streams(self.streams.len()),
                frames
            )
            .unwrap();
        } else {
            let unreadable = self.mismatches.iter().filter(|m| m.combo == "all").count();
            let mismatches = self.mismatches.len() - unreadable;
            let mut parts = Vec::new();
            if mismatches > 0 {
                parts.push(format!(
                    "{mismatches} {}",
                    if mismatches == 1 {
                        "mismatch"
                    } else {
                        "mismatches"
                    }
                ));
            }
            if unreadable > 0 {
                parts.push(format!(
                    "{unreadable} unreadable {}",
                    if unreadable == 1 { "stream" } else { "streams" }
                ));
            }
            writeln!(
                s,
                "verify: {} ({} stage/masks, {})",
                parts.join(", "),
                self.combos.len(),
                streams(self.streams.len())
            )
            .unwrap();
        }
        s
    }

    pub fn to_json(&self) -> Value {
        let streams: Vec<Value> = self
            .streams
            .iter()
            .map(|st| {
                let mut results = serde_json::Map::new();
                for (c, cell) in self.combos.iter().zip(&st.cells) {
                    results.insert(
                        c.clone(),
                        json!({
                            "ok": cell.ok,
                            "first_bad_frame": cell.first_bad_frame,
                            "frames": cell.frames,
                            "md5": cell.md5,
                            "decode_errors": cell.errors,
                            "text": cell.text,
                        }),
                    );
                }
                json!({
                    "stream": st.name,
                    "reference": st.has_reference,
                    "reference_frames": st.reference_frames,
                    "results": results,
                })
            })
            .collect();
        let mismatches: Vec<Value> = self
            .mismatches
            .iter()
            .map(|m| {
                json!({
                    "stream": m.stream,
                    "combo": m.combo,
                    "frame": m.frame,
                    "what": m.what,
                    "pixel": m.pixel.as_ref().map(|p| json!({
                        "against": p.against,
                        "plane": p.plane,
                        "plane_name": PLANE_NAMES[p.plane],
                        "x": p.x,
                        "y": p.y,
                        "value": p.ours,
                        "expected": p.theirs,
                        "differing_pixels": p.count,
                        "files": p.files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
                    })),
                })
            })
            .collect();
        json!({
            "ok": self.ok(),
            "corpus": self.corpus.display().to_string(),
            "combos": self.combos,
            "streams": streams,
            "mismatches": mismatches,
        })
    }
}

/// A relative default path (like `bench/corpus/streams`) that does not exist from here is taken
/// from the workspace root.
pub fn resolve(path: &Path) -> PathBuf {
    if path.is_absolute() || path.exists() {
        path.to_path_buf()
    } else {
        workspace_root().join(path)
    }
}

/// Settings for [`run_verify`], already parsed.
#[derive(Debug, Clone)]
pub struct VerifyPlan {
    pub combos: Vec<Combo>,
    pub streams: Vec<CorpusStream>,
    pub corpus: PathBuf,
    pub out: PathBuf,
    pub threads: u32,
    pub jobs: usize,
    pub progress: bool,
    pub fault: Option<Fault>,
}

impl VerifyPlan {
    pub fn from_args(a: &VerifyArgs) -> Result<VerifyPlan, String> {
        let stages = stage::parse_stage_list(&a.stages)?;
        let mut masks = Vec::new();
        for w in a
            .cpumask
            .split(',')
            .map(str::trim)
            .filter(|w| !w.is_empty())
        {
            let m = parse_cpu_mask(w).ok_or_else(|| {
                format!("unknown --cpumask '{w}': choose none, sse2, ssse3, avx2 or all")
            })?;
            if !masks.contains(&m) {
                masks.push(m);
            }
        }
        if masks.is_empty() {
            return Err("--cpumask names no mask".to_string());
        }
        let combos = stages
            .iter()
            .flat_map(|&s| {
                masks.iter().map(move |&m| Combo {
                    stage: s,
                    cpu_mask: m,
                })
            })
            .collect();
        let corpus = resolve(&a.corpus);
        let mut streams = corpus_streams(&corpus)?;
        if streams.is_empty() {
            return Err(format!("no .ivf streams to verify in {}", corpus.display()));
        }
        if let Some(words) = &a.streams {
            let words: Vec<&str> = words.split(',').filter(|w| !w.is_empty()).collect();
            let all = streams.len();
            streams.retain(|s| words.iter().any(|w| s.name.contains(w)));
            if streams.is_empty() {
                return Err(format!(
                    "--streams {}: no stream name contains it ({all} .ivf streams in {})",
                    words.join(","),
                    corpus.display()
                ));
            }
        }
        let out = if a.out.is_absolute() {
            a.out.clone()
        } else {
            workspace_root().join(&a.out)
        };
        let fault = a.inject_fault.as_deref().map(Fault::parse).transpose()?;
        let jobs = a
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1);
        Ok(VerifyPlan {
            combos,
            streams,
            corpus,
            out,
            threads: a.threads,
            jobs,
            progress: !a.quiet && a.json.as_deref() != Some("-") && io::stderr().is_terminal(),
            fault,
        })
    }
}

fn same_frame(a: &FrameMd5, b: &FrameMd5) -> bool {
    a == b
}

/// First index where two frame lists differ (by size and md5), counting a missing frame.
fn first_difference(a: &[FrameMd5], b: &[FrameMd5]) -> Option<usize> {
    (0..a.len().max(b.len())).find(|&i| match (a.get(i), b.get(i)) {
        (Some(x), Some(y)) => !same_frame(x, y),
        _ => true,
    })
}

fn read_md5_file(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let md5 = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if md5.len() != 32 || !md5.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("{}: does not start with an md5", path.display()));
    }
    Ok(md5)
}

fn describe_frame(f: Option<&FrameMd5>) -> String {
    match f {
        Some(f) => format!("{}x{} {}", f.width, f.height, f.md5),
        None => "no frame".to_string(),
    }
}

/// Verify one stream: decode it with every combo and compare.
fn verify_stream(plan: &VerifyPlan, st: &CorpusStream) -> (StreamResult, Vec<Mismatch>) {
    let labels: Vec<String> = plan.combos.iter().map(Combo::label).collect();
    let mut mismatches = Vec::new();
    let fail_all = |msg: String| {
        let cells = labels
            .iter()
            .map(|_| Cell {
                ok: false,
                first_bad_frame: None,
                frames: 0,
                md5: String::new(),
                errors: 0,
                text: "unreadable".to_string(),
            })
            .collect();
        (
            StreamResult {
                name: st.name.clone(),
                has_reference: st.framemd5.is_some(),
                reference_frames: None,
                cells,
            },
            vec![Mismatch {
                stream: st.name.clone(),
                combo: "all".to_string(),
                frame: None,
                what: msg,
                pixel: None,
            }],
        )
    };
    let payloads = match read_ivf(&st.ivf) {
        Ok(p) => p,
        Err(e) => return fail_all(e),
    };
    let reference = match &st.framemd5 {
        None => None,
        Some(p) => match std::fs::read_to_string(p)
            .map_err(|e| e.to_string())
            .and_then(|t| parse_framemd5(&t))
        {
            Ok(r) => Some(r),
            Err(e) => return fail_all(format!("{}: {e}", p.display())),
        },
    };
    let whole_ref = match st.md5.as_deref().map(read_md5_file).transpose() {
        Ok(m) => m,
        Err(e) => return fail_all(e),
    };
    let decoded: Vec<Decoded> = plan
        .combos
        .iter()
        .map(|&c| decode_stream(&payloads, c, plan.threads, plan.fault, None).0)
        .collect();
    let base = &decoded[0];
    let mut cells = Vec::new();
    for (ci, d) in decoded.iter().enumerate() {
        let label = &labels[ci];
        let mut problems: Vec<String> = Vec::new();
        let mut first_bad: Option<usize> = None;
        if let Some(f) = &d.fatal {
            problems.push(f.clone());
        }
        if let Some(r) = &reference {
            if let Some(i) = first_difference(&d.frames, r) {
                first_bad = Some(i);
                problems.push(format!(
                    "output frame {i} differs from {}: got {}, reference {} ({} frames, reference {})",
                    st.framemd5.as_ref().unwrap().file_name().unwrap().to_string_lossy(),
                    describe_frame(d.frames.get(i)),
                    describe_frame(r.get(i)),
                    d.frames.len(),
                    r.len()
                ));
            }
        }
        if ci > 0 {
            if let Some(i) = first_difference(&d.frames, &base.frames) {
                first_bad = Some(first_bad.map_or(i, |f| f.min(i)));
                problems.push(format!(
                    "output frame {i} differs from {}: got {}, {} has {}",
                    labels[0],
                    describe_frame(d.frames.get(i)),
                    labels[0],
                    describe_frame(base.frames.get(i))
                ));
            }
            if d.errors != base.errors {
                let k = (0..d.errors.len().max(base.errors.len()))
                    .find(|&k| d.errors.get(k) != base.errors.get(k))
                    .unwrap();
                let show = |e: Option<&(u64, ErrorKind)>| match e {
                    Some((f, k)) => format!("frame {f}: {}", k.name()),
                    None => "no further error".to_string(),
                };
                problems.push(format!(
                    "decode errors differ: {} has {}, {} has {}",
                    label,
                    show(d.errors.get(k)),
                    labels[0],
                    show(base.errors.get(k))
                ));
            }
        }
        if let Some(m) = &whole_ref {
            if d.fatal.is_none() && &d.md5 != m && first_bad.is_none() {
                problems.push(format!(
                    "whole-output md5 {} differs from {} ({m})",
                    d.md5,
                    st.md5
                        .as_ref()
                        .unwrap()
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                ));
            }
        }
        let ok = problems.is_empty();
        let text = if ok {
            "ok".to_string()
        } else if d.fatal.is_some() {
            "failed".to_string()
        } else if let Some(i) = first_bad {
            format!("frame {i}")
        } else if d.errors != base.errors {
            "errors".to_string()
        } else {
            "md5".to_string()
        };
        cells.push(Cell {
            ok,
            first_bad_frame: first_bad.map(|i| i as u64),
            frames: d.frames.len(),
            md5: d.md5.clone(),
            errors: d.errors.len(),
            text,
        });
        if !ok {
            let pixel = first_bad.and_then(|k| {
                pixel_diff(plan, st, &payloads, &decoded, reference.as_deref(), ci, k)
            });
            mismatches.push(Mismatch {
                stream: st.name.clone(),
                combo: label.clone(),
                frame: first_bad.map(|i| i as u64),
                what: problems.join("; "),
                pixel,
            });
        }
    }
    (
        StreamResult {
            name: st.name.clone(),
            has_reference: reference.is_some(),
            reference_frames: reference.as_ref().map(Vec::len),
            cells,
        },
        mismatches,
    )
}

/// For combo `ci`, bad at output frame `k`: find a combo whose frame `k` is right (matches the
/// reference; without a reference, the baseline), re-decode both up to frame k, and name the
/// first differing pixel; write both frames as .y4m.
fn pixel_diff(
    plan: &VerifyPlan,
    st: &CorpusStream,
    payloads: &[Vec<u8>],
    decoded: &[Decoded],
    reference: Option<&[FrameMd5]>,
    ci: usize,
    k: usize,
) -> Option<PixelDiff> {
    decoded[ci].frames.get(k)?;
    let good = |d: &Decoded| match reference {
        Some(r) => r.get(k).is_some() && d.frames.get(k) == r.get(k),
        None => d.frames.get(k).is_some() && d.frames.get(k) != decoded[ci].frames.get(k),
    };
    let partner = if reference.is_none() && ci != 0 {
        Some(0).filter(|_| good(&decoded[0]))
    } else {
        (0..decoded.len()).find(|&j| j != ci && good(&decoded[j]))
    }?;
    let (_, ours) = decode_stream(
        payloads,
        plan.combos[ci],
        plan.threads,
        plan.fault,
        Some(k as u64),
    );
    let (_, theirs) = decode_stream(
        payloads,
        plan.combos[partner],
        plan.threads,
        plan.fault,
        Some(k as u64),
    );
    let (ours, theirs) = (ours?, theirs?);
    let (plane, x, y, a, b) = ours.first_difference(&theirs)?;
    let count = if (ours.width, ours.height) == (theirs.width, theirs.height) {
        (0..3)
            .map(|p| {
                ours.planes[p]
                    .iter()
                    .zip(&theirs.planes[p])
                    .filter(|(a, b)| a != b)
                    .count()
            })
            .sum()
    } else {
        ours.planes.iter().map(Vec::len).sum()
    };
    let dir = plan.out.join(&st.name);
    let mut files = Vec::new();
    for (combo, frame) in [(ci, &ours), (partner, &theirs)] {
        let label = plan.combos[combo].label().replace('/', "-");
        let path = dir.join(format!("frame{k}-{label}.y4m"));
        let written = std::fs::create_dir_all(&dir).and_then(|()| {
            let mut f = io::BufWriter::new(std::fs::File::create(&path)?);
            frame.write_y4m(&mut f)?;
            f.flush()
        });
        match written {
            Ok(()) => files.push(path),
            Err(e) => eprintln!("portlab verify: cannot write {}: {e}", path.display()),
        }
    }
    Some(PixelDiff {
        against: plan.combos[partner].label(),
        plane,
        x,
        y,
        ours: a,
        theirs: b,
        count,
        files,
    })
}

/// Run the plan: every stream (in parallel, `plan.jobs` at a time) with every combo.
/// `tool` prefixes the line printed for each failing stream (`portlab verify`,
/// `portlab report`), so the user sees which command is speaking.
pub fn run_verify(plan: &VerifyPlan, tool: &str) -> Report {
    let n = plan.streams.len();
    let bar = if plan.progress {
        let bar = ProgressBar::with_draw_target(Some(n as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("verify {bar:30} {pos}/{len} streams  {msg}")
                .expect("valid template"),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let next = AtomicUsize::new(0);
    let results: Mutex<BTreeMap<usize, (StreamResult, Vec<Mismatch>)>> =
        Mutex::new(BTreeMap::new());
    std::thread::scope(|s| {
        for _ in 0..plan.jobs.min(n) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let st = &plan.streams[i];
                    bar.set_message(st.name.clone());
                    let r = verify_stream(plan, st);
                    if !r.1.is_empty() {
                        let what = if r.1.iter().all(|m| m.combo == "all") {
                            "UNREADABLE"
                        } else {
                            "MISMATCH"
                        };
                        bar.suspend(|| {
                            eprintln!("{tool}: {}: {what}", st.name);
                        });
                    }
                    results.lock().unwrap().insert(i, r);
                    bar.inc(1);
                }
            });
        }
    });
    bar.finish_and_clear();
    let mut streams = Vec::new();
    let mut mismatches = Vec::new();
    for (_, (r, m)) in results.into_inner().unwrap() {
        streams.push(r);
        mismatches.extend(m);
    }
    Report {
        corpus: plan.corpus.clone(),
        combos: plan.combos.iter().map(Combo::label).collect(),
        streams,
        mismatches,
    }
}

/// `portlab verify`: returns the exit code.
pub fn main(a: &VerifyArgs) -> u8 {
    let plan = match VerifyPlan::from_args(a) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("portlab verify: {e}");
            return 2;
        }
    };
    let report = run_verify(&plan, "portlab verify");
    let json = serde_json::to_string_pretty(&report.to_json()).expect("json");
    match a.json.as_deref() {
        Some("-") => {
            println!("{json}");
            eprint!("{}", report.details());
        }
        other => {
            print!("{}", report.table());
            println!();
            print!("{}", report.details());
            if let Some(path) = other {
                if let Err(e) = std::fs::write(path, json + "\n") {
                    eprintln!("portlab verify: cannot write {path}: {e}");
                    return 1;
                }
            }
        }
    }
    if let Some(p) = &a.markdown {
        let md = format!("{}\n{}", report.table(), report.details());
        if let Err(e) = std::fs::write(p, md) {
            eprintln!("portlab verify: cannot write {}: {e}", p.display());
            return 1;
        }
    }
    if report.ok() { 0 } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_specs() {
        let f = Fault::parse("c:3:1:4:5").unwrap();
        assert_eq!((f.stage, f.frame, f.plane, f.x, f.y), ("c", 3, 1, 4, 5));
        assert!(Fault::parse("c:3:3:4:5").is_err());
        assert!(Fault::parse("c:3:1:4").is_err());
        assert!(Fault::parse("rust:3:1:4:5").is_err());
    }
}
