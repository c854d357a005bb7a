//! `portlab bench`: whole-process timing of the stages against each other, the C CLI (built with
//! gcc and/or clang) and, when installed, libvpx's `vpxdec` and FFmpeg; also the 1080p benchmark
//! streams (`bench/streams.rs`), paired A/B runs (`bench/paired.rs`) and decoder-only
//! instruction counts (`bench/cachegrind.rs`).
//!
//! Method of the default mode:
//! 1. **Correctness gate.** Every command decodes every stream to an MD5 of its I420 output; ours
//!    (the stages and the C CLIs) must equal the stream's `.md5` (or the in-process C stage's),
//!    or the bench stops. A peer (vpxdec, ffmpeg) that disagrees is dropped with a warning.
//! 2. **Rounds.** After `--warmup` discarded rounds, each of `--rounds` rounds runs every
//!    (stream, command) once in an order shuffled by a seeded RNG (`--seed`), so slow drifts in
//!    machine load hit every command alike. Each run is one process with its output discarded;
//!    its user+sys CPU time comes from `wait4`'s rusage, its wall time from a monotonic clock.
//! 3. **Summary.** Per command: median, min/max and inclusive IQR of CPU and wall time; and the
//!    ratio to the C stage (`vp8dec --stage c`), computed within each round and then summarised
//!    the same way (a ratio above 1 means slower than C). With `--cc`, also the ratio to each C
//!    CLI build.
//! 4. **`--callgrind`**: every stage (and C CLI) once under `valgrind --tool=callgrind` on the
//!    first `--callgrind-frames` frames of the first stream: instruction counts are
//!    deterministic, so small differences show that timing noise would hide.
//! 5. **`--cachegrind`**: decoder-only instructions and mispredicts per (stream, command).
//!
//! `--paired A,B` replaces the rounds by alternating A/B pairs (median of the per-pair ratios with
//! a bootstrap CI); `--generate` only makes the 1080p streams.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use md5::{Digest, Md5};
use serde_json::{Value, json};

use crate::host::{
    command_line, cpu_model, first_line, load_average, utc_now, vp8dec_build, workspace_root,
};
use crate::stage::{self, Settings, Vp8Stage, cpu_mask_word, hex, parse_cpu_mask};
use crate::verify::{corpus_streams, read_ivf, resolve};

pub mod cachegrind;
pub mod docs;
pub mod inprocess;
pub mod paired;
pub mod streams;

/// `portlab bench` options.
#[derive(clap::Args, Debug, Clone)]
#[command(after_help = "\
Examples:
  cargo run --release -p portlab -- bench                       3 corpus bench streams, 10 rounds
  cargo run --release -p portlab -- bench --quick               smoke test: one small stream, 3 rounds
  cargo run --release -p portlab -- bench --generate            make the four 1080p streams (120 frames)
  cargo run --release -p portlab -- bench --streams 1080p --cc gcc,clang   time on them (made if missing)
  cargo run --release -p portlab -- bench --streams 1080p:noisy,1080p:lowrate --quick   30-frame ones
  cargo run --release -p portlab -- bench --paired c,transpiled --pairs 300 --streams 1080p
  cargo run --release -p portlab -- bench --paired c-cli-gcc,c --pairs 100
  cargo run --release -p portlab -- bench --paired 'vpxdec --noblit {stream}',c --quick
  cargo run --release -p portlab -- bench --cachegrind --rounds 0 --cc gcc,clang   decoder-only counts
  cargo run --release -p portlab -- bench --callgrind --rounds 0   instruction counts only
  cargo run --release -p portlab -- bench --json=r.json --markdown r.md

Build portlab with --release: a debug vp8dec times debug code. Ratios are ours / C stage,
computed per round: above 1 means slower than C.")]
pub struct BenchArgs {
    /// Stages to time (through the Rust vp8dec, `--stage X`), comma-separated, or all.
    #[arg(long, default_value = "all", value_name = "LIST")]
    pub stages: String,
    /// Streams: .ivf files or folders of them, or `1080p` (the four 1080p benchmark streams,
    /// made into target/bench-streams when missing) or `1080p:NAME` (noisy, motion, lowrate,
    /// parts2, or parts4, which `1080p` leaves out); comma-separated or repeated. Default: bench/corpus/streams/bench-*.ivf.
    #[arg(long, value_name = "PATHS", value_delimiter = ',')]
    pub streams: Vec<PathBuf>,
    /// Timed rounds (default 10; 3 with --quick).
    #[arg(long)]
    pub rounds: Option<usize>,
    /// Discarded warm-up rounds.
    #[arg(long, default_value_t = 1)]
    pub warmup: usize,
    /// Seed of the run-order shuffle.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Smoke test: one small stream (the VGA corpus stream) and 3 rounds.
    #[arg(long)]
    pub quick: bool,
    /// --cpumask for our commands (vp8dec stages and C CLIs): none, sse2, ssse3, avx2, all.
    #[arg(long, default_value = "all", value_name = "WORD")]
    pub cpumask: String,
    /// Decoding threads for every command.
    #[arg(long, default_value_t = 1)]
    pub threads: u32,
    /// Also build the C stage's own CLI with these compilers (gcc, clang: comma-separated) via
    /// `make -C upstream-c CC=X BUILD=target/bench-c-X` and time it as "c-cli-X".
    #[arg(long, value_delimiter = ',', value_name = "CC")]
    pub cc: Vec<String>,
    /// Peers to time when installed: auto (vpxdec, ffmpeg, ffmpeg -cpuflags 0), none, or a
    /// comma-separated subset of vpxdec,ffmpeg,ffmpeg-c.
    #[arg(long, default_value = "auto", value_name = "LIST")]
    pub peers: String,
    /// Also count instructions with valgrind --tool=callgrind (each stage and C CLI once).
    #[arg(long)]
    pub callgrind: bool,
    /// Frames decoded under callgrind (from the first stream).
    #[arg(long, default_value_t = 10)]
    pub callgrind_frames: u64,
    /// The Rust vp8dec to time (default: the one beside this portlab, rebuilt by cargo with the
    /// same profile when it can be).
    #[arg(long, value_name = "PATH")]
    pub vp8dec: Option<PathBuf>,
    /// Skip the MD5 correctness gate.
    #[arg(long)]
    pub no_check: bool,
    /// Write all results (with raw samples) as JSON: stdout with --json, FILE with --json=FILE.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-", require_equals = true)]
    pub json: Option<String>,
    /// Also write the Markdown report to FILE.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// No progress output.
    #[arg(short, long)]
    pub quiet: bool,
    /// Make the 1080p benchmark streams (all four, or those named by `--streams 1080p:NAME`)
    /// into target/bench-streams, print their paths and stop.
    #[arg(long)]
    pub generate: bool,
    /// Frames of the 1080p streams (default 120; 30 with --quick).
    #[arg(long)]
    pub frames: Option<u32>,
    /// Paired A/B CPU-time runs instead of rounds: A,B are stages (c, transpiled), C CLI builds
    /// (c-cli-gcc, c-cli-clang), peers (vpxdec, ffmpeg, ffmpeg-c) or commands with `{stream}`
    /// (a command holding a comma is given as a second --paired). The ratio is B / A.
    #[arg(long, value_name = "A,B", num_args = 1)]
    pub paired: Vec<String>,
    /// A/B pairs per stream with --paired (default 300; 20 with --quick; 0: no timing, e.g. to
    /// count the two sides with --cachegrind).
    #[arg(long)]
    pub pairs: Option<usize>,
    /// Also count the decoder's own instructions and mispredicts with valgrind
    /// --tool=cachegrind (each stage, C CLI and --paired command once per stream).
    #[arg(long)]
    pub cachegrind: bool,
    /// Also time every command stopped after its first frame (`--limit 1`, `-frames:v 1`) in
    /// the same rounds: start-up CPU s, net CPU s (whole - start-up: frames 2..N) and net ratios.
    #[arg(long)]
    pub startup: bool,
    /// Cachegrind runs at a time.
    #[arg(long, default_value_t = 2)]
    pub jobs: usize,
    /// Measure nothing: rewrite the generated bench blocks of these documents (between
    /// `<!-- bench:begin docs/data/RUN.json VIEW ... -->` and `<!-- bench:end -->`) from the
    /// committed JSON of the run each names, as this bench prints it (the workspace's tests check
    /// they are current). Without a value (or `all`): README.md and docs/*.md.
    #[arg(long, value_name = "FILES", num_args = 0..=1, value_delimiter = ',', default_missing_value = "all")]
    pub update_docs: Option<Vec<PathBuf>>,
}

/// Median, spread and count of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    /// Inclusive quartiles (Python's `statistics.quantiles(method="inclusive")`).
    pub q1: f64,
    pub q3: f64,
    pub n: usize,
}

impl Summary {
    pub fn of(xs: &[f64]) -> Option<Summary> {
        if xs.is_empty() {
            return None;
        }
        let mut v = xs.to_vec();
        v.sort_by(f64::total_cmp);
        let q = |p: f64| {
            let pos = (v.len() - 1) as f64 * p;
            let i = pos.floor() as usize;
            let frac = pos - i as f64;
            if i + 1 < v.len() {
                v[i] * (1.0 - frac) + v[i + 1] * frac
            } else {
                v[i]
            }
        };
        Some(Summary {
            median: q(0.5),
            min: v[0],
            max: v[v.len() - 1],
            q1: q(0.25),
            q3: q(0.75),
            n: v.len(),
        })
    }

    pub fn json(&self) -> Value {
        json!({
            "median": self.median, "min": self.min, "max": self.max,
            "q1": self.q1, "q3": self.q3, "iqr": self.q3 - self.q1, "n": self.n,
        })
    }
}

/// Deterministic shuffles: the order of runs must be reproducible from --seed.
use vp8_stage::rng::XorShift as Rng;

/// What a command is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `vp8dec --stage X` (the Rust CLI).
    Stage,
    /// The C stage's own CLI (upstream-c/tools), built by make with some compiler.
    CCli,
    /// Another decoder (vpxdec, ffmpeg).
    Peer,
    /// A command given to `--paired` (no MD5 gate: its output format is unknown).
    Command,
}

/// One decoder command.
#[derive(Debug, Clone)]
pub struct Cmd {
    pub id: String,
    pub label: String,
    pub kind: Kind,
    program: PathBuf,
    /// Arguments with "{S}" for the stream.
    time_args: Vec<String>,
    md5_args: Vec<String>,
    /// Arguments to decode only the first N frames ("{N}"), for callgrind.
    limit_args: Vec<String>,
}

fn subst(args: &[String], stream: &Path, n: u64) -> Vec<String> {
    args.iter()
        .map(|a| {
            a.replace("{S}", &stream.to_string_lossy())
                .replace("{N}", &n.to_string())
        })
        .collect()
}

impl Cmd {
    pub fn time_argv(&self, stream: &Path) -> Vec<String> {
        subst(&self.time_args, stream, 0)
    }

    fn command(&self, args: &[String]) -> Command {
        let mut c = Command::new(&self.program);
        c.args(args);
        c
    }

    /// The command line as text, for reports.
    pub fn display(&self, stream: &Path) -> String {
        std::iter::once(self.program.to_string_lossy().into_owned())
            .chain(self.time_argv(stream))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn vp8dec_like(id: &str, label: &str, kind: Kind, program: &Path, extra: &[String]) -> Cmd {
    let mut time = s(&["-i", "{S}", "--muxer", "null", "-q"]);
    time.extend(extra.iter().cloned());
    let mut md5 = s(&["-i", "{S}", "--muxer", "md5", "-q"]);
    md5.extend(extra.iter().cloned());
    let mut limit = time.clone();
    limit.extend(s(&["--limit", "{N}"]));
    Cmd {
        id: id.to_string(),
        label: label.to_string(),
        kind,
        program: program.to_path_buf(),
        time_args: time,
        md5_args: md5,
        limit_args: limit,
    }
}

const FF: [&str; 4] = ["-nostdin", "-hide_banner", "-loglevel", "error"];
const FF_MD5: [&str; 9] = [
    "-c:v",
    "rawvideo",
    "-pix_fmt",
    "yuv420p",
    "-fps_mode",
    "passthrough",
    "-f",
    "md5",
    "-",
];

fn ffmpeg_cmd(id: &str, label: &str, pure_c: bool, threads: u32) -> Cmd {
    let mut pre = s(&FF);
    if pure_c {
        pre.extend(s(&["-cpuflags", "0"]));
    }
    pre.extend(s(&["-threads", &threads.to_string(), "-i", "{S}"]));
    let mut time = pre.clone();
    time.extend(s(&["-f", "null", "-"]));
    let mut md5 = pre.clone();
    md5.extend(s(&FF_MD5));
    let mut limit = pre;
    limit.extend(s(&["-frames:v", "{N}", "-f", "null", "-"]));
    Cmd {
        id: id.to_string(),
        label: label.to_string(),
        kind: Kind::Peer,
        program: PathBuf::from("ffmpeg"),
        time_args: time,
        md5_args: md5,
        limit_args: limit,
    }
}

fn vpxdec_cmd(threads: u32) -> Cmd {
    let t = format!("--threads={threads}");
    Cmd {
        id: "vpxdec".to_string(),
        label: "vpxdec (libvpx)".to_string(),
        kind: Kind::Peer,
        program: PathBuf::from("vpxdec"),
        time_args: s(&["--noblit", &t, "{S}"]),
        md5_args: s(&["--i420", "--md5", &t, "{S}"]),
        limit_args: s(&["--noblit", &t, "--limit={N}", "{S}"]),
    }
}

/// The peers `--peers auto` times when installed.
const PEERS: [&str; 3] = ["vpxdec", "ffmpeg", "ffmpeg-c"];

fn peer_cmd(p: &str, threads: u32) -> Result<Cmd, String> {
    Ok(match p {
        "vpxdec" => vpxdec_cmd(threads),
        "ffmpeg" => ffmpeg_cmd("ffmpeg", "ffmpeg (ffvp8)", false, threads),
        "ffmpeg-c" => ffmpeg_cmd("ffmpeg-c", "ffmpeg -cpuflags 0 (ffvp8, C)", true, threads),
        other => {
            return Err(format!(
                "unknown peer '{other}': choose vpxdec, ffmpeg, ffmpeg-c"
            ));
        }
    })
}

/// `vp8dec --stage NAME` with the common arguments.
fn stage_cmd(name: &str, vp8dec: &Path, ours_extra: &[String]) -> Cmd {
    let mut extra = ours_extra.to_vec();
    extra.extend(s(&["--stage", name]));
    vp8dec_like(
        name,
        &format!("vp8dec --stage {name}"),
        Kind::Stage,
        vp8dec,
        &extra,
    )
}

/// The C CLI built with `cc` (recorded in `compilers` for the report).
fn c_cli_cmd(
    cc: &str,
    ours_extra: &[String],
    compilers: &mut Vec<Value>,
    note: &dyn Fn(&str),
) -> Result<Cmd, String> {
    let bin = build_c_cli(cc, note)?;
    compilers
        .push(json!({"cc": cc, "version": tool_version(cc), "binary": bin.display().to_string()}));
    Ok(vp8dec_like(
        &format!("c-cli-{cc}"),
        &format!("C CLI vp8dec ({cc})"),
        Kind::CCli,
        &bin,
        ours_extra,
    ))
}

/// A command line given to `--paired`, split like a shell would; `{stream}` marks the stream.
fn custom_cmd(line: &str, id: &str) -> Result<Cmd, String> {
    let words = shlex::split(line)
        .filter(|w| !w.is_empty())
        .ok_or_else(|| {
            format!("--paired: cannot split '{line}' into words (unbalanced quotes?)")
        })?;
    if !words.iter().any(|w| w.contains("{stream}")) {
        return Err(format!(
            "--paired: '{line}' is not a stage (c, transpiled), C CLI (c-cli-gcc), peer \
             (vpxdec, ffmpeg, ffmpeg-c) or a command with {{stream}}"
        ));
    }
    let args: Vec<String> = words[1..]
        .iter()
        .map(|w| w.replace("{stream}", "{S}"))
        .collect();
    Ok(Cmd {
        id: id.to_string(),
        label: line.to_string(),
        kind: Kind::Command,
        program: PathBuf::from(&words[0]),
        time_args: args,
        md5_args: Vec::new(),
        limit_args: Vec::new(),
    })
}

/// The two sides of `--paired`: "A,B" in one value, or two values.
fn paired_sides(a: &BenchArgs) -> Result<Option<[String; 2]>, String> {
    let sides: Vec<String> = match a.paired.as_slice() {
        [] => return Ok(None),
        [one] => one.split(',').map(|w| w.trim().to_string()).collect(),
        many => many.to_vec(),
    };
    match <[String; 2]>::try_from(sides) {
        Ok(pair) => Ok(Some(pair)),
        Err(v) => Err(format!(
            "--paired takes two sides, A,B (got {}: {v:?})",
            v.len()
        )),
    }
}

/// `--generate`: make the 1080p streams and print their paths.
fn generate(a: &BenchArgs, note: &dyn Fn(&str)) -> Result<u8, String> {
    let mut words: Vec<String> = a
        .streams
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if let Some(w) = words.iter().find(|w| !streams::is_1080p_word(w)) {
        return Err(format!(
            "--generate makes the 1080p streams only: --streams 1080p or 1080p:NAME, not {w}"
        ));
    }
    if words.is_empty() {
        words.push("1080p".to_string());
    }
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let t0 = Instant::now();
    for p in streams::resolve_1080p(&words, frames_1080p(a), note)? {
        println!("{}", p.display());
    }
    note(&format!(
        "streams ready in {:.1} s",
        t0.elapsed().as_secs_f64()
    ));
    Ok(0)
}

/// Is `tool` on PATH (runs `tool -version`-like probe)?
fn installed(tool: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|d| {
            let p = d.join(tool);
            p.is_file()
                && std::fs::metadata(&p).is_ok_and(|m| {
                    use std::os::unix::fs::PermissionsExt;
                    m.permissions().mode() & 0o111 != 0
                })
        })
    })
}

/// One finished run: CPU (user+sys) and wall seconds, exit code.
#[derive(Debug, Clone, Copy)]
pub struct RunTime {
    pub cpu: f64,
    pub wall: f64,
    /// Exit code, or -signal.
    pub code: i32,
}

/// Run a command with stdin/stdout discarded and stderr to `stderr_file`; measure it with
/// `wait4`'s rusage (this child only) and a monotonic clock.
pub fn time_command(mut cmd: Command, stderr_file: &Path) -> io::Result<RunTime> {
    let err = File::create(stderr_file)?;
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(err);
    let t0 = Instant::now();
    let child = cmd.spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pid is our child, not yet reaped (std only reaps in wait()/try_wait(), which
        // are never called on it); status and ru are valid out-pointers.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
        if r == pid {
            break;
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
    let wall = t0.elapsed().as_secs_f64();
    drop(child);
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else if libc::WIFSIGNALED(status) {
        -libc::WTERMSIG(status)
    } else {
        -1
    };
    Ok(RunTime {
        cpu: tv(ru.ru_utime) + tv(ru.ru_stime),
        wall,
        code,
    })
}

fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let start = text.len().saturating_sub(2000);
    let start = (start..text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    text[start..].to_string()
}

/// A stream to time.
#[derive(Debug, Clone)]
pub struct BenchStream {
    pub name: String,
    pub path: PathBuf,
    /// Output pictures (in-process C stage).
    pub frames: u64,
    pub width: usize,
    pub height: usize,
    /// MD5 of the I420 output: the `.md5` beside the stream, else the in-process C stage's.
    pub md5: String,
    pub md5_source: String,
}

/// Decode in-process with the C stage: output frames, first size, whole md5.
fn probe(path: &Path, cpu_mask: u32) -> Result<(u64, usize, usize, String), String> {
    let frames = read_ivf(path)?;
    let mut dec = stage::CStage
        .open(&Settings {
            cpu_mask,
            threads: 1,
            max_frame_area: 0,
        })
        .map_err(|e| e.to_string())?;
    let mut md5 = Md5::new();
    let (mut n, mut w, mut h) = (0u64, 0, 0);
    for f in &frames {
        if dec.decode(f).is_ok() {
            while let Some(p) = dec.picture() {
                if n == 0 {
                    (w, h) = (p.width, p.height);
                }
                p.md5_update(&mut md5);
                n += 1;
            }
        }
    }
    Ok((n, w, h, hex(&md5.finalize())))
}

/// Frames of the 1080p streams.
fn frames_1080p(a: &BenchArgs) -> u32 {
    a.frames.unwrap_or(if a.quick {
        streams::QUICK_FRAMES
    } else {
        streams::FULL_FRAMES
    })
}

fn find_streams(a: &BenchArgs, note: &dyn Fn(&str)) -> Result<Vec<PathBuf>, String> {
    let corpus = resolve(Path::new("bench/corpus/streams"));
    if a.streams.is_empty() {
        let all = corpus_streams(&corpus)?;
        let want: Vec<PathBuf> = all
            .into_iter()
            .filter(|s| s.name.starts_with("bench-"))
            .filter(|s| !a.quick || s.name.starts_with("bench-vga"))
            .map(|s| s.ivf)
            .collect();
        if want.is_empty() {
            return Err(format!("no bench-*.ivf in {}", corpus.display()));
        }
        return Ok(want);
    }
    let mut out = Vec::new();
    for p in &a.streams {
        let word = p.to_string_lossy();
        if streams::is_1080p_word(&word) {
            out.extend(streams::resolve_1080p(&[&word], frames_1080p(a), note)?);
            continue;
        }
        let p = resolve(p);
        if p.is_dir() {
            let found = corpus_streams(&p)?;
            if found.is_empty() {
                return Err(format!(
                    "no .ivf in {}{}",
                    p.display(),
                    if p.ends_with("bench-streams") {
                        " (make the 1080p streams with `portlab bench --generate`, or use `--streams 1080p`)"
                    } else {
                        ""
                    }
                ));
            }
            out.extend(found.into_iter().map(|s| s.ivf));
        } else if p.is_file() {
            out.push(p);
        } else {
            return Err(format!("{}: no such stream or folder", p.display()));
        }
    }
    Ok(out)
}

/// The Rust vp8dec to time: `--vp8dec`, else the one beside this executable, rebuilt first by
/// cargo (same target folder and profile) when this executable lives in a cargo target folder,
/// so a stale binary is never timed.
fn ensure_vp8dec(a: &BenchArgs, note: &dyn Fn(&str)) -> Result<(PathBuf, String), String> {
    if let Some(p) = &a.vp8dec {
        return Ok((p.clone(), "given with --vp8dec".to_string()));
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
    let dir = exe
        .parent()
        .ok_or("executable without a folder")?
        .to_path_buf();
    let candidate = dir.join("vp8dec");
    let profile_dir = dir.file_name().map(|n| n.to_string_lossy().into_owned());
    let target_dir = dir.parent().map(Path::to_path_buf);
    if let (Some(profile), Some(target)) = (profile_dir, target_dir) {
        if target.join("CACHEDIR.TAG").is_file() || target.join(".rustc_info.json").is_file() {
            let (mut cmd, _) = vp8dec_build(&target, &profile);
            cmd.arg("-q");
            note(&format!("building vp8dec ({profile}) with cargo ..."));
            match cmd.status() {
                Ok(st) if st.success() => {}
                Ok(st) => return Err(format!("cargo build of vp8dec failed ({st})")),
                Err(e) => note(&format!(
                    "cannot run cargo ({e}); using {}",
                    candidate.display()
                )),
            }
            if profile == "debug" {
                note(
                    "warning: timing a debug build of vp8dec; use `cargo run --release -p portlab -- bench`",
                );
            }
            if candidate.is_file() {
                return Ok((candidate, format!("cargo profile {profile}")));
            }
        }
    }
    if candidate.is_file() {
        return Ok((candidate, "beside portlab".to_string()));
    }
    Err(format!(
        "no vp8dec beside {}: build it (`cargo build --release -p portlab`) or pass --vp8dec",
        exe.display()
    ))
}

/// Build the C CLI with `cc` into target/bench-c-<cc>; returns the binary.
fn build_c_cli(cc: &str, note: &dyn Fn(&str)) -> Result<PathBuf, String> {
    if !matches!(cc, "gcc" | "clang") && !installed(cc) {
        return Err(format!("--cc {cc}: not installed"));
    }
    let root = workspace_root();
    let build = root.join(format!("target/bench-c-{cc}"));
    note(&format!(
        "building the C CLI with {cc}: make -C upstream-c CC={cc} BUILD={} cli",
        build.display()
    ));
    // Tests and concurrent runs share target/bench-c-<cc>: make's `rm libvp8.a; ar` in one run
    // races the link in another, so builds of one folder take turns on a lock file.
    std::fs::create_dir_all(root.join("target"))
        .map_err(|e| format!("cannot create {}: {e}", root.join("target").display()))?;
    let lock_path = root.join(format!("target/bench-c-{cc}.lock"));
    let lock = std::fs::File::create(&lock_path)
        .map_err(|e| format!("cannot create {}: {e}", lock_path.display()))?;
    // File::lock is std since 1.89, above the workspace's rust-version (1.85): raising that
    // would turn on lints the transpiler's code does not meet yet. The toolchain here has it.
    #[allow(clippy::incompatible_msrv)]
    let locked = lock.lock();
    locked.map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    let out = Command::new("make")
        .arg("-C")
        .arg(root.join("upstream-c"))
        .arg(format!("CC={cc}"))
        .arg(format!("BUILD={}", build.display()))
        .arg("-j2")
        .arg("cli")
        .output()
        .map_err(|e| format!("cannot run make: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "make with CC={cc} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(build.join("vp8dec"))
}

fn tool_version(tool: &str) -> Option<String> {
    match tool {
        "vpxdec" => {
            let out = Command::new("vpxdec").arg("--help").output().ok()?;
            let text = String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr);
            text.lines()
                .find(|l| l.contains("VP8 Decoder"))
                .map(|l| l.trim().to_string())
        }
        "ffmpeg" => first_line("ffmpeg", &["-hide_banner", "-version"]),
        cc => first_line(cc, &["--version"]),
    }
}

/// The commit a run measured, and whether the stages' or tools' sources had uncommitted changes.
pub(crate) fn git_state() -> Value {
    let root = workspace_root();
    let commit = Command::new("git")
        .arg("-C")
        .arg(&root)
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let dirty = Command::new("git")
        .arg("-C")
        .arg(&root)
        .args([
            "status",
            "--porcelain",
            "--",
            "upstream-c",
            "transpiled",
            "safe",
            "migrate-tools",
            "asm",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| !o.stdout.is_empty());
    json!({"commit": commit, "uncommitted_changes": dirty})
}

/// Parse the MD5 out of a decoder's md5 output.
fn find_md5(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_hexdigit())
        .find(|w| w.len() == 32)
        .map(|w| w.to_ascii_lowercase())
}

/// Everything measured for one (stream, command).
#[derive(Debug, Clone, Default)]
struct Samples {
    cpu: Vec<f64>,
    wall: Vec<f64>,
    /// With --startup: the same command stopped after the first frame, in the same rounds.
    startup_cpu: Vec<f64>,
}

impl Samples {
    /// Per round, CPU s minus start-up: the cost of frames 2..N (None without --startup or
    /// when a start-up run took at least as long as the whole one).
    fn net(&self) -> Option<Vec<f64>> {
        if self.startup_cpu.len() != self.cpu.len() || self.cpu.is_empty() {
            return None;
        }
        let net: Vec<f64> = self
            .cpu
            .iter()
            .zip(&self.startup_cpu)
            .map(|(f, s)| f - s)
            .collect();
        net.iter().all(|x| *x > 0.0).then_some(net)
    }
}

/// The bench, as parsed and prepared.
struct Plan {
    streams: Vec<BenchStream>,
    cmds: Vec<Cmd>,
    rounds: usize,
    warmup: usize,
    seed: u64,
    /// Also time each command stopped after its first frame (start-up cost).
    startup: bool,
    meta: Value,
}

fn fmt3(x: f64) -> String {
    format!("{x:.3}")
}

fn range(s: &Summary) -> String {
    format!("{} [{}–{}]", fmt3(s.median), fmt3(s.min), fmt3(s.max))
}

/// `portlab bench`: returns the exit code.
pub fn main(a: &BenchArgs) -> u8 {
    match run(a) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("portlab bench: {e}");
            1
        }
    }
}

fn run(a: &BenchArgs) -> Result<u8, String> {
    if let Some(docs) = &a.update_docs {
        let root = workspace_root();
        let docs: Vec<PathBuf> = docs
            .iter()
            .filter(|d| d.as_os_str() != "all")
            .map(|d| root.join(d))
            .collect();
        let docs = if docs.is_empty() {
            crate::docblock::documents(&root)
        } else {
            docs
        };
        for d in docs {
            let text = std::fs::read_to_string(&d).map_err(|e| format!("{}: {e}", d.display()))?;
            let (new, n) =
                docs::update_text(&root, &text).map_err(|e| format!("{}: {e}", d.display()))?;
            if n > 0 && new != text {
                std::fs::write(&d, new).map_err(|e| format!("{}: {e}", d.display()))?;
                eprintln!("portlab bench: updated {} ({n} blocks)", d.display());
            }
        }
        return Ok(0);
    }
    let quiet = a.quiet;
    let tty = io::stderr().is_terminal();
    let note = |m: &str| {
        if !quiet {
            eprintln!("portlab bench: {m}");
        }
    };
    let stages = stage::parse_stage_list(&a.stages)?;
    let mask = parse_cpu_mask(&a.cpumask).ok_or_else(|| {
        format!(
            "unknown --cpumask '{}': choose none, sse2, ssse3, avx2 or all",
            a.cpumask
        )
    })?;
    if a.generate {
        return generate(a, &note);
    }
    let paired_sides = paired_sides(a)?;
    // Paired runs replace the rounds (unless --rounds asks for both).
    let rounds = a.rounds.unwrap_or(match (&paired_sides, a.quick) {
        (Some(_), _) => 0,
        (None, true) => 3,
        (None, false) => 10,
    });
    let paths = find_streams(a, &note)?;

    // Commands.
    let (vp8dec, vp8dec_origin) = ensure_vp8dec(a, &note)?;
    let mut ours_extra = s(&["--threads", &a.threads.to_string()]);
    if mask != stage::cpu::ALL {
        ours_extra.extend(s(&["--cpumask", &a.cpumask]));
    }
    let mut cmds = Vec::new();
    let mut compilers = Vec::new();
    if let Some(sides) = &paired_sides {
        for (i, word) in sides.iter().enumerate() {
            cmds.push(if let Ok(st) = stage::stage_by_name(word) {
                stage_cmd(st.name(), &vp8dec, &ours_extra)
            } else if let Some(cc) = word.strip_prefix("c-cli-") {
                c_cli_cmd(cc, &ours_extra, &mut compilers, &note)?
            } else if PEERS.contains(&word.as_str()) {
                peer_cmd(word, a.threads)?
            } else {
                custom_cmd(word, ["A", "B"][i])?
            });
        }
    } else {
        for st in &stages {
            cmds.push(stage_cmd(st.name(), &vp8dec, &ours_extra));
        }
        for cc in &a.cc {
            cmds.push(c_cli_cmd(cc, &ours_extra, &mut compilers, &note)?);
        }
        let peers: Vec<&str> = match a.peers.as_str() {
            "auto" => PEERS.to_vec(),
            "none" => vec![],
            list => list.split(',').filter(|p| !p.is_empty()).collect(),
        };
        for p in peers {
            let tool = if p == "ffmpeg-c" { "ffmpeg" } else { p };
            if !installed(tool) {
                if a.peers != "auto" {
                    return Err(format!("peer {p}: `{tool}` is not installed"));
                }
                note(&format!("{tool} not installed: not timed"));
                continue;
            }
            cmds.push(peer_cmd(p, a.threads)?);
        }
    }
    if cmds.is_empty() {
        return Err("nothing to time".to_string());
    }

    // Streams, with their reference MD5.
    let mut streams = Vec::new();
    for p in &paths {
        let (frames, width, height, md5) = probe(p, mask)?;
        let name = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let md5_file = [
            p.with_extension("md5"),
            PathBuf::from(format!("{}.md5", p.display())),
        ]
        .into_iter()
        .find(|f| f.is_file());
        let (md5, md5_source) = match md5_file
            .as_ref()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|t| find_md5(&t))
        {
            Some(m) => (m, md5_file.unwrap().display().to_string()),
            None => (md5, "the in-process C stage".to_string()),
        };
        streams.push(BenchStream {
            name,
            path: p.clone(),
            frames,
            width,
            height,
            md5,
            md5_source,
        });
    }

    let scratch = workspace_root().join("target/portlab-bench");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let err_file = scratch.join("stderr.txt");

    // 1. Correctness gate.
    let mut dropped: Vec<Value> = Vec::new();
    if !a.no_check {
        note(&format!(
            "checking MD5s: {} commands x {} streams ...",
            cmds.len(),
            streams.len()
        ));
        let mut keep = vec![true; cmds.len()];
        for st in &streams {
            for (i, c) in cmds.iter().enumerate() {
                if !keep[i] || c.kind == Kind::Command {
                    continue;
                }
                let out = c
                    .command(&subst(&c.md5_args, &st.path, 0))
                    .stdin(Stdio::null())
                    .output()
                    .map_err(|e| format!("cannot run {}: {e}", c.program.display()))?;
                let got = find_md5(&String::from_utf8_lossy(&out.stdout));
                if got.as_deref() == Some(st.md5.as_str()) {
                    continue;
                }
                let msg = format!(
                    "{} on {}: md5 {} ({}), expected {} from {}",
                    c.id,
                    st.name,
                    got.as_deref().unwrap_or("none"),
                    out.status,
                    st.md5,
                    st.md5_source
                );
                if c.kind == Kind::Peer && paired_sides.is_none() {
                    note(&format!("warning: {msg}: peer not timed"));
                    dropped.push(json!({"id": c.id, "reason": msg}));
                    keep[i] = false;
                } else {
                    return Err(format!(
                        "{msg}\nrefusing to time a decoder whose output is wrong ({}){}",
                        c.display(&st.path),
                        String::from_utf8_lossy(&out.stderr)
                            .lines()
                            .next()
                            .map(|l| format!("\n  {l}"))
                            .unwrap_or_default()
                    ));
                }
            }
        }
        let mut i = 0;
        cmds.retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }

    let mut versions = serde_json::Map::new();
    for c in &cmds {
        if c.kind == Kind::Peer {
            let tool = c.program.to_string_lossy().into_owned();
            if !versions.contains_key(&tool) {
                versions.insert(tool.clone(), json!(tool_version(&tool)));
            }
        }
    }
    let meta = json!({
        "tool": "portlab bench",
        "command": command_line(),
        "date": utc_now(),
        "nproc": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "load_average": {"start": load_average()},
        "rounds": rounds,
        "warmup": a.warmup,
        "seed": a.seed,
        "threads": a.threads,
        "cpumask": cpu_mask_word(mask),
        "cpu_flags": cpu_mask_word(stage::cpu_flags()),
        "cpu_model": cpu_model(),
        "vp8dec": vp8dec.display().to_string(),
        "vp8dec_origin": vp8dec_origin,
        "portlab_profile": if cfg!(debug_assertions) { "debug" } else { "release" },
        "c_compilers": compilers,
        "peer_versions": versions,
        "peers_dropped": dropped,
        "git": git_state(),
        "method": "whole processes, output discarded; CPU = user+sys from wait4 rusage; \
                   each round runs every (stream, command) once in a seeded shuffled order; \
                   warm-up rounds discarded; ratios = command / baseline within a round",
    });
    let plan = Plan {
        streams,
        cmds,
        rounds,
        warmup: a.warmup,
        seed: a.seed,
        startup: a.startup,
        meta,
    };

    // 2. Rounds.
    let samples = time_rounds(&plan, &err_file, !quiet && tty, &note)?;

    // Paired A/B runs.
    let pairs = a.pairs.unwrap_or(if a.quick { 20 } else { 300 });
    let paired = match &paired_sides {
        // --pairs 0: only the sides (e.g. for --cachegrind), no timing.
        Some(_) if pairs == 0 => None,
        Some(_) => Some(paired::run(
            [&plan.cmds[0], &plan.cmds[1]],
            &plan.streams,
            pairs,
            a.warmup,
            a.seed,
            &err_file,
            !quiet && tty,
        )?),
        None => None,
    };

    // 4. Callgrind.
    let callgrind = if a.callgrind {
        Some(callgrind(&plan, a.callgrind_frames, &scratch, &note)?)
    } else {
        None
    };

    // 5. Cachegrind.
    let cachegrind = if a.cachegrind {
        if !installed("valgrind") {
            return Err("--cachegrind needs valgrind (apt-get install -y valgrind)".to_string());
        }
        let cmds: Vec<&Cmd> = plan.cmds.iter().filter(|c| c.kind != Kind::Peer).collect();
        if cmds.is_empty() {
            return Err("--cachegrind counts stages and C CLIs: none to count".to_string());
        }
        let obj_src = c_objects(&plan.meta["c_compilers"], &note)?;
        let own = cachegrind::DecoderFunctions::from_objects(&obj_src)?;
        Some(cachegrind::run(
            &cmds,
            &plan.streams,
            &own,
            &scratch,
            a.jobs,
            &note,
        )?)
    } else {
        None
    };

    let mut report = Report::build(&plan, &samples, callgrind);
    report.json["meta"]["load_average"]["end"] = json!(load_average());
    report.json["paired"] = json!(paired);
    report.json["cachegrind"] = json!(cachegrind);
    let md = report.markdown(&plan);
    write_report(
        &md,
        &report.json,
        a.json.as_deref(),
        a.markdown.as_deref(),
        quiet,
    )?;
    Ok(0)
}

/// The objects make compiled from the C stage's sources (they name the C decoder's functions):
/// those of the first `--cc` build, else of a gcc build made now. make mirrors the source
/// folder under BUILD/obj (upstream-c/src -> BUILD/obj/src).
fn c_objects(compilers: &Value, note: &dyn Fn(&str)) -> Result<PathBuf, String> {
    let c = stage::STAGES
        .iter()
        .find(|s| s.language == stage::Language::C)
        .ok_or("the registry lists no C stage")?;
    let rel = Path::new(c.source_dir)
        .strip_prefix(c.folder)
        .map_err(|_| format!("{} is not under {}", c.source_dir, c.folder))?;
    let bin = match compilers[0]["binary"].as_str() {
        Some(b) => PathBuf::from(b),
        None => build_c_cli("gcc", note)?,
    };
    Ok(bin
        .parent()
        .ok_or("C CLI binary without a folder")?
        .join("obj")
        .join(rel))
}

fn time_rounds(
    plan: &Plan,
    err_file: &Path,
    progress: bool,
    note: &dyn Fn(&str),
) -> Result<Vec<Vec<Samples>>, String> {
    // (stream, command, start-up run?)
    let jobs: Vec<(usize, usize, bool)> = (0..plan.streams.len())
        .flat_map(|s| (0..plan.cmds.len()).map(move |c| (s, c)))
        .flat_map(|(s, c)| {
            let startup = plan.startup && !plan.cmds[c].limit_args.is_empty();
            [(s, c, false)]
                .into_iter()
                .chain(startup.then_some((s, c, true)))
        })
        .collect();
    let total = (plan.rounds + plan.warmup) * jobs.len();
    let mut samples = vec![vec![Samples::default(); plan.cmds.len()]; plan.streams.len()];
    if plan.rounds == 0 {
        return Ok(samples);
    }
    note(&format!(
        "timing: {} warm-up + {} rounds x {} runs ({} streams x {} commands{})",
        plan.warmup,
        plan.rounds,
        jobs.len(),
        plan.streams.len(),
        plan.cmds.len(),
        if plan.startup {
            ", whole and start-up"
        } else {
            ""
        }
    ));
    let bar = if progress {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("bench {bar:30} {pos}/{len} runs, eta {eta}  {msg}")
                .expect("valid template"),
        );
        bar.enable_steady_tick(Duration::from_millis(500));
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut rng = Rng::new(plan.seed);
    for r in 0..plan.warmup + plan.rounds {
        let mut order = jobs.clone();
        rng.shuffle(&mut order);
        for (si, ci, startup) in order {
            let st = &plan.streams[si];
            let c = &plan.cmds[ci];
            let argv = if startup {
                subst(&c.limit_args, &st.path, 1)
            } else {
                c.time_argv(&st.path)
            };
            bar.set_message(format!(
                "{} {} {}",
                if r < plan.warmup {
                    "warm-up".to_string()
                } else {
                    format!("round {}/{}", r - plan.warmup + 1, plan.rounds)
                },
                st.name,
                c.id
            ));
            let t = time_command(c.command(&argv), err_file)
                .map_err(|e| format!("cannot run {}: {e}", c.display(&st.path)))?;
            if t.code != 0 {
                bar.finish_and_clear();
                return Err(format!(
                    "command failed (exit {}): {}\n{}",
                    t.code,
                    c.display(&st.path),
                    tail(err_file)
                ));
            }
            if r >= plan.warmup && startup {
                samples[si][ci].startup_cpu.push(t.cpu);
            } else if r >= plan.warmup {
                samples[si][ci].cpu.push(t.cpu);
                samples[si][ci].wall.push(t.wall);
            }
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    Ok(samples)
}

/// Instruction counts under callgrind: (id, instructions).
fn callgrind(
    plan: &Plan,
    frames: u64,
    scratch: &Path,
    note: &dyn Fn(&str),
) -> Result<Value, String> {
    if !installed("valgrind") {
        return Err("--callgrind needs valgrind (apt-get install -y valgrind)".to_string());
    }
    let st = &plan.streams[0];
    let frames = frames.max(1);
    let mut results = Vec::new();
    for c in plan.cmds.iter().filter(|c| c.kind != Kind::Peer) {
        note(&format!(
            "callgrind: {} on {} ({frames} frames) ...",
            c.id, st.name
        ));
        let out_file = scratch.join(format!("callgrind.{}.out", c.id));
        let output = Command::new("valgrind")
            .arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", out_file.display()))
            .arg(&c.program)
            .args(subst(&c.limit_args, &st.path, frames))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run valgrind: {e}"))?;
        let err = String::from_utf8_lossy(&output.stderr);
        let ir = err
            .lines()
            .find_map(|l| {
                l.split_once("Collected :")
                    .map(|(_, v)| v.trim().to_string())
            })
            .and_then(|v| v.replace(',', "").parse::<u64>().ok());
        let Some(ir) = ir.filter(|_| output.status.success()) else {
            return Err(format!(
                "callgrind run of {} failed ({}):\n{}",
                c.id,
                output.status,
                err.lines()
                    .rev()
                    .take(15)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        };
        results.push((c.id.clone(), c.label.clone(), ir, out_file));
    }
    let base = results
        .iter()
        .find(|r| r.0 == "c")
        .or(results.first())
        .map(|r| r.2);
    Ok(json!({
        "stream": st.name,
        "frames": frames,
        "results": results.iter().map(|(id, label, ir, file)| json!({
            "id": id,
            "label": label,
            "instructions": ir,
            "ratio_to_c": base.map(|b| *ir as f64 / b as f64),
            "callgrind_out": file.display().to_string(),
        })).collect::<Vec<_>>(),
    }))
}

struct Report {
    json: Value,
}

impl Report {
    fn build(plan: &Plan, samples: &[Vec<Samples>], callgrind: Option<Value>) -> Report {
        // Baselines: the C stage (ratio_to_c) and each C CLI build.
        let c_index = plan.cmds.iter().position(|c| c.id == "c");
        let baselines: Vec<usize> = plan
            .cmds
            .iter()
            .enumerate()
            .filter(|(_, c)| c.id == "c" || c.kind == Kind::CCli)
            .map(|(i, _)| i)
            .collect();
        let ratio = |ours: &[f64], base: &[f64]| -> Option<Value> {
            let r: Vec<f64> = ours
                .iter()
                .zip(base)
                .filter(|(_, b)| **b > 0.0)
                .map(|(a, b)| a / b)
                .collect();
            Summary::of(&r).map(|s| s.json())
        };
        let mut streams = Vec::new();
        for (si, st) in plan.streams.iter().enumerate() {
            let mut rows = Vec::new();
            for (ci, c) in plan.cmds.iter().enumerate() {
                let smp = &samples[si][ci];
                let cpu = Summary::of(&smp.cpu);
                let wall = Summary::of(&smp.wall);
                let net = smp.net();
                let ratio_to = |b: usize| {
                    let mut r = json!({
                        "cpu": ratio(&smp.cpu, &samples[si][b].cpu),
                        "wall": ratio(&smp.wall, &samples[si][b].wall),
                    });
                    if plan.startup {
                        r["net"] = match (&net, samples[si][b].net()) {
                            (Some(ours), Some(base)) => json!(ratio(ours, &base)),
                            _ => Value::Null,
                        };
                    }
                    r
                };
                let mut ratios = serde_json::Map::new();
                for &b in &baselines {
                    ratios.insert(plan.cmds[b].id.clone(), ratio_to(b));
                }
                rows.push(json!({
                    "id": c.id,
                    "label": c.label,
                    "kind": match c.kind { Kind::Stage => "stage", Kind::CCli => "c-cli", Kind::Peer => "peer", Kind::Command => "command" },
                    "command": c.display(&st.path),
                    "cpu_s": cpu.map(|s| s.json()),
                    "wall_s": wall.map(|s| s.json()),
                    "fps": cpu.filter(|s| s.median > 0.0).map(|s| st.frames as f64 / s.median),
                    "ratio_to_c": c_index.map(ratio_to),
                    "ratios": ratios,
                    "samples": {"cpu_s": smp.cpu, "wall_s": smp.wall},
                }));
                if plan.startup {
                    let row = rows.last_mut().expect("just pushed");
                    let net_sum = net.as_deref().and_then(Summary::of);
                    row["startup_cpu_s"] = json!(Summary::of(&smp.startup_cpu).map(|s| s.json()));
                    row["net_cpu_s"] = json!(net_sum.map(|s| s.json()));
                    row["net_fps"] =
                        json!(net_sum.map(|s| st.frames.saturating_sub(1) as f64 / s.median));
                    row["samples"]["startup_cpu_s"] = json!(smp.startup_cpu);
                }
            }
            let spec = streams::SPECS
                .iter()
                .find(|s| st.name.starts_with(&format!("{}-1920x1080-", s.name)));
            streams.push(json!({
                "name": st.name,
                "desc": spec.map(|s| s.desc),
                "bytes": std::fs::metadata(&st.path).map(|m| m.len()).ok(),
                "path": st.path.display().to_string(),
                "frames": st.frames,
                "width": st.width,
                "height": st.height,
                "md5": st.md5,
                "md5_source": st.md5_source,
                "results": rows,
            }));
        }
        Report {
            json: json!({
                "meta": plan.meta,
                "commands": plan.cmds.iter().map(|c| json!({"id": c.id, "label": c.label})).collect::<Vec<_>>(),
                "streams": streams,
                "callgrind": callgrind,
            }),
        }
    }

    fn markdown(&self, plan: &Plan) -> String {
        let j = &self.json;
        let mut m = String::new();
        let meta = &j["meta"];
        writeln!(m, "# portlab bench\n").unwrap();
        writeln!(
            m,
            "- {} timed rounds after {} warm-up (seed {}), threads {}, cpumask {}; CPU: {} (flags: {})",
            plan.rounds,
            plan.warmup,
            plan.seed,
            meta["threads"],
            meta["cpumask"].as_str().unwrap_or(""),
            meta["cpu_model"].as_str().unwrap_or(""),
            meta["cpu_flags"].as_str().unwrap_or("")
        )
        .unwrap();
        writeln!(
            m,
            "- vp8dec: `{}` ({}); git {}{}",
            meta["vp8dec"].as_str().unwrap_or(""),
            meta["vp8dec_origin"].as_str().unwrap_or(""),
            meta["git"]["commit"].as_str().unwrap_or("?"),
            if meta["git"]["uncommitted_changes"] == json!(true) {
                " + uncommitted changes"
            } else {
                ""
            }
        )
        .unwrap();
        for c in meta["c_compilers"].as_array().into_iter().flatten() {
            writeln!(
                m,
                "- C CLI `c-cli-{}`: {}",
                c["cc"].as_str().unwrap_or(""),
                c["version"].as_str().unwrap_or("?")
            )
            .unwrap();
        }
        for (tool, v) in meta["peer_versions"].as_object().into_iter().flatten() {
            writeln!(m, "- {tool}: {}", v.as_str().unwrap_or("?")).unwrap();
        }
        writeln!(
            m,
            "- CPU s / wall s: median [min–max] over the rounds, IQR = q3 − q1. Ratios: this command ÷ the \
             baseline within each round, then median [min–max]; **above 1 = slower than the baseline**.\n"
        )
        .unwrap();
        writeln!(
            m,
            "| stream | size | frames | bytes | content |\n|---|---|--:|--:|---|"
        )
        .unwrap();
        for st in j["streams"].as_array().into_iter().flatten() {
            writeln!(
                m,
                "| {} | {}x{} | {} | {} | {} |",
                st["name"].as_str().unwrap_or(""),
                st["width"],
                st["height"],
                st["frames"],
                st["bytes"],
                st["desc"].as_str().unwrap_or("")
            )
            .unwrap();
        }
        writeln!(m).unwrap();
        m += &rounds_markdown(j);
        m += &callgrind_markdown(j);
        if j["paired"].is_object() {
            m += &paired::markdown(&j["paired"]);
        }
        if j["cachegrind"].is_object() {
            m += &cachegrind::markdown(&j["cachegrind"]);
        }
        m
    }
}

/// The timed rounds' Markdown: the summary of CPU-time ratios to the C stage, then one table per
/// stream with every command's times and its ratios to each C baseline. From the report's JSON
/// alone, so that `--update-docs` renders a committed run as the run printed it.
pub fn rounds_markdown(j: &Value) -> String {
    let mut m = String::new();
    let rounds = j["meta"]["rounds"].as_u64().unwrap_or(0);
    // (id, label, kind) of each command; the kind is in every stream's rows.
    let first_rows = j["streams"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let cmds: Vec<(String, String, String)> = j["commands"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, c)| {
            let s = |v: &Value| v.as_str().unwrap_or("").to_string();
            (
                s(&c["id"]),
                s(&c["label"]),
                s(&first_rows.get(i).map_or(Value::Null, |r| r["kind"].clone())),
            )
        })
        .collect();
    let startup = first_rows.iter().any(|r| r.get("startup_cpu_s").is_some());
    let baselines: Vec<String> = cmds
        .iter()
        .filter(|(id, _, kind)| id == "c" || kind == "c-cli")
        .map(|(id, _, _)| id.clone())
        .collect();
    if rounds > 0 && cmds.iter().any(|(id, _, _)| id == "c") {
        // Summary: CPU ratio to the C stage, per stream (median of the per-round ratios).
        let streams = j["streams"].as_array().cloned().unwrap_or_default();
        writeln!(
            m,
            "## Summary: CPU time ÷ `vp8dec --stage c` (median over rounds)\n"
        )
        .unwrap();
        write!(m, "| command |").unwrap();
        for st in &streams {
            write!(m, " {} |", st["name"].as_str().unwrap_or("")).unwrap();
        }
        writeln!(m, "\n|---|{}", "---|".repeat(streams.len())).unwrap();
        for (ci, (_, label, _)) in cmds.iter().enumerate() {
            write!(m, "| {label} |").unwrap();
            for st in &streams {
                let v = &st["results"][ci]["ratio_to_c"]["cpu"]["median"];
                write!(m, " {} |", v.as_f64().map_or("-".into(), fmt3)).unwrap();
            }
            writeln!(m).unwrap();
        }
        writeln!(m).unwrap();
    }
    if rounds > 0 {
        for st in j["streams"].as_array().into_iter().flatten() {
            writeln!(
                m,
                "## {} ({}x{}, {} frames)\n",
                st["name"].as_str().unwrap_or(""),
                st["width"],
                st["height"],
                st["frames"]
            )
            .unwrap();
            write!(m, "| command | CPU s | CPU IQR | wall s | fps |").unwrap();
            if startup {
                write!(m, " start-up CPU s | net CPU s | net fps |").unwrap();
            }
            for b in &baselines {
                write!(m, " CPU ÷ {b} |").unwrap();
                if startup {
                    write!(m, " net ÷ {b} |").unwrap();
                }
            }
            writeln!(m).unwrap();
            write!(m, "|---|---|---|---|---|").unwrap();
            let per_baseline = if startup { 2 } else { 1 };
            let extra = if startup { 3 } else { 0 };
            write!(
                m,
                "{}",
                "---|".repeat(extra + per_baseline * baselines.len())
            )
            .unwrap();
            writeln!(m).unwrap();
            for r in st["results"].as_array().into_iter().flatten() {
                let sum = |v: &Value| -> Option<Summary> {
                    Some(Summary {
                        median: v["median"].as_f64()?,
                        min: v["min"].as_f64()?,
                        max: v["max"].as_f64()?,
                        q1: v["q1"].as_f64()?,
                        q3: v["q3"].as_f64()?,
                        n: v["n"].as_u64()? as usize,
                    })
                };
                let cpu = sum(&r["cpu_s"]);
                let wall = sum(&r["wall_s"]);
                write!(
                    m,
                    "| {} | {} | {} | {} | {} |",
                    r["label"].as_str().unwrap_or(""),
                    cpu.map_or("-".into(), |s| range(&s)),
                    cpu.map_or("-".into(), |s| fmt3(s.q3 - s.q1)),
                    wall.map_or("-".into(), |s| range(&s)),
                    r["fps"].as_f64().map_or("-".into(), |f| format!("{f:.1}"))
                )
                .unwrap();
                if startup {
                    write!(
                        m,
                        " {} | {} | {} |",
                        r["startup_cpu_s"]["median"]
                            .as_f64()
                            .map_or("-".into(), fmt3),
                        sum(&r["net_cpu_s"]).map_or("-".into(), |s| range(&s)),
                        r["net_fps"]
                            .as_f64()
                            .map_or("-".into(), |f| format!("{f:.1}"))
                    )
                    .unwrap();
                }
                for b in &baselines {
                    let v = sum(&r["ratios"][b]["cpu"]);
                    write!(m, " {} |", v.map_or("-".into(), |s| range(&s))).unwrap();
                    if startup {
                        let v = sum(&r["ratios"][b]["net"]);
                        write!(m, " {} |", v.map_or("-".into(), |s| range(&s))).unwrap();
                    }
                }
                writeln!(m).unwrap();
            }
            writeln!(m).unwrap();
        }
    }
    m
}

/// The `--callgrind` section, from the report's JSON.
pub fn callgrind_markdown(j: &Value) -> String {
    let mut m = String::new();
    if let Some(cg) = j["callgrind"].as_object() {
        writeln!(
            m,
            "## callgrind: instructions ({}, first {} frames)\n",
            cg["stream"].as_str().unwrap_or(""),
            cg["frames"]
        )
        .unwrap();
        writeln!(m, "| command | instructions | ÷ c |\n|---|---|---|").unwrap();
        for r in cg["results"].as_array().into_iter().flatten() {
            writeln!(
                m,
                "| {} | {} | {} |",
                r["label"].as_str().unwrap_or(""),
                r["instructions"],
                r["ratio_to_c"].as_f64().map_or("-".into(), fmt3)
            )
            .unwrap();
        }
        writeln!(m).unwrap();
    }
    m
}

/// Prints a tool's Markdown report and writes its JSON and Markdown files, the way `bench` and
/// `profile` both take `--json[=FILE]` and `--markdown FILE`: `--json=-` (plain `--json`) puts
/// the JSON on stdout and the Markdown on stderr (unless quiet), so the JSON can be piped.
pub fn write_report(
    md: &str,
    json: &Value,
    json_arg: Option<&str>,
    markdown: Option<&std::path::Path>,
    quiet: bool,
) -> Result<(), String> {
    let json = serde_json::to_string_pretty(json).expect("json");
    match json_arg {
        Some("-") => {
            println!("{json}");
            if !quiet {
                eprint!("{md}");
            }
        }
        Some(path) => {
            print!("{md}");
            std::fs::write(path, json + "\n").map_err(|e| format!("{path}: {e}"))?;
        }
        None => print!("{md}"),
    }
    if let Some(p) = markdown {
        std::fs::write(p, md).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_matches_python_inclusive_quantiles() {
        // statistics.quantiles([1, 2, 3, 4, 10], n=4, method="inclusive") == [2.0, 3.0, 4.0]
        let s = Summary::of(&[10.0, 1.0, 3.0, 2.0, 4.0]).unwrap();
        assert_eq!(
            (s.q1, s.median, s.q3, s.min, s.max),
            (2.0, 3.0, 4.0, 1.0, 10.0)
        );
        // [1, 2, 3, 4] -> [1.75, 2.5, 3.25]
        let s = Summary::of(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert_eq!((s.q1, s.median, s.q3), (1.75, 2.5, 3.25));
        let s = Summary::of(&[5.0]).unwrap();
        assert_eq!((s.q1, s.median, s.q3), (5.0, 5.0, 5.0));
        assert!(Summary::of(&[]).is_none());
    }

    #[test]
    fn shuffle_is_seeded_and_a_permutation() {
        let mut a: Vec<u32> = (0..20).collect();
        let mut b = a.clone();
        Rng::new(7).shuffle(&mut a);
        Rng::new(7).shuffle(&mut b);
        assert_eq!(a, b);
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, (0..20).collect::<Vec<_>>());
        assert_ne!(a, (0..20).collect::<Vec<_>>());
    }

    #[test]
    fn md5_in_decoder_output() {
        assert_eq!(
            find_md5("MD5=0123456789abcdef0123456789ABCDEF\n").as_deref(),
            Some("0123456789abcdef0123456789abcdef")
        );
        assert_eq!(
            find_md5("953ba9d828df991ed68d061a8cd2ced8  out.i420").as_deref(),
            Some("953ba9d828df991ed68d061a8cd2ced8")
        );
        assert_eq!(find_md5("nothing"), None);
    }

    #[test]
    fn rusage_timing_of_a_child() {
        let dir = std::env::temp_dir().join(format!("portlab-bench-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut c = Command::new("sh");
        c.args([
            "-c",
            "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; exit 3",
        ]);
        let t = time_command(c, &dir.join("err")).unwrap();
        assert_eq!(t.code, 3);
        assert!(t.cpu > 0.0 && t.wall > 0.0, "{t:?}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
