//! The Rust `vp8dec`: the C CLI (`upstream-c/tools/vp8dec.c`) over any stage.
//!
//! Same flags, same stdout (md5, framemd5, yuv, y4m bytes), same exit codes and the same warnings
//! as the C CLI for the same input, plus `--stage c|transpiled|safe` (default `c`). The binary
//! `src/bin/vp8dec.rs` only calls [`main`]; the logic lives here so tests and `portlab bench` can
//! share it.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Read};
use std::time::{Duration, Instant};

use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use md5::{Digest, Md5};
use vp8_stage::ivf::{IvfError, IvfReader};

use crate::output::{Muxer, Output, io_message};
use crate::stage::{self, ErrorKind, Settings, StageDecoder, StageError, hex, parse_cpu_mask};

pub const EXIT_OK: u8 = 0;
/// Stopped: bad input file, I/O error, --strict error, --verify mismatch, y4m size change.
pub const EXIT_ERROR: u8 = 1;
/// Bad command line.
pub const EXIT_USAGE: u8 = 2;
/// Went to the end, but some frames failed to decode (skipped).
pub const EXIT_FRAMES_FAILED: u8 = 3;

/// After this many decode warnings the rest are only counted.
const MAX_WARNINGS: u64 = 50;

/// `vp8dec --help`.
pub const HELP: &str = "\
vp8dec: decode a VP8 stream (IVF or WebM file) with one of Portlab's decoder stages.

Usage: vp8dec -i IN.ivf [-o OUT] [--muxer NAME] [--stage c|transpiled|safe] [options]

Examples:
  vp8dec -i in.ivf -o out.y4m              decode to a y4m file (plays in ffplay/mpv)
  vp8dec -i in.ivf -o out.yuv              raw I420, same bytes as `vpxdec --i420`
  vp8dec -i in.ivf --muxer md5             print the MD5 of the raw I420 output
  vp8dec -i in.ivf --muxer framemd5        print one MD5 per output frame
  vp8dec -i in.webm --muxer md5            the same for a WebM file (its first VP8 track)
  vp8dec -i in.ivf --muxer md5 --stage transpiled
                                           the same with the transpiled (unsafe Rust) stage
  vp8dec -i in.ivf --verify 0123...cdef    check the output MD5, exit 1 if it differs
  vp8dec -i in.ivf --muxer null --cpumask none   decode with the C code only, no output
  cat in.ivf | vp8dec -i - -o - | ffplay -f rawvideo -pix_fmt yuv420p -video_size WxH -

Stage:
      --stage NAME      which implementation of the decoder runs (default c):
                          c           the C decoder (upstream-c/), linked in through vp8-c
                          transpiled  that C translated to unsafe Rust by `portlab transpile`
                                      (transpiled/)
                          safe        the Rust port refactored by hand from the transpiled
                                      code, step by step (safe/; docs/safe-stage.md says how
                                      far it is from #![forbid(unsafe_code)])
                        Every stage gives the same output, warnings and exit codes; this
                        binary is otherwise the C CLI (upstream-c/build/vp8dec) in Rust.

Input and output:
  -i, --input FILE      IVF file with fourcc VP80, or WebM/Matroska (its first VP8 video
                        track), told apart by content; - reads stdin
  -o, --output FILE     output file; - writes stdout. The muxer follows the extension
                        (.y4m, .yuv, .md5, .framemd5; - means yuv) unless --muxer is given
      --muxer NAME      what to write:
                          yuv       raw I420 planes at the coded size, no stride padding,
                                    chroma (w+1)/2 x (h+1)/2
                          y4m       YUV4MPEG2 header (W, H, frame rate from the IVF header)
                                    and a FRAME line before each picture; fails if the
                                    picture size changes mid-stream
                          md5       one line: the MD5 of the bytes yuv would write, i.e.
                                    `vpxdec --i420 -o - in.ivf | md5sum`
                          framemd5  per output frame: \"<index> <W>x<H> <md5>\", index from 0
                          null      nothing; decode only
                        md5, framemd5 and null need no -o (they print to stdout)
      --limit N         stop after N output frames
      --verify MD5      compare the MD5 of the decoded I420 output (what --muxer md5
                        prints) with MD5; exit 1 on a mismatch. Without -o or --muxer
                        nothing else is written

Decoder:
      --cpumask WORD    none, sse2, ssse3, avx2 (each includes the ones before it) or
                        all (default): the CPU features the decoder may use (the asm
                        kernels in asm/ are shared by every stage)
      --threads N       decoding threads; 0 (default) = one per core, at most 3 (one
                        per chain of row tasks: parsing, reconstruction, loop filter;
                        docs/threads.md). Every stage uses them; output never
                        depends on the count
      --sizelimit L     refuse key frames larger than L: WxH (e.g. 1920x1080, compared
                        as the area W*H) or a pixel count; 0 = no limit (default)

Errors:
      --keep-going      (default) a frame that fails to decode is skipped with a warning
                        naming the frame and the reason; the decoder resumes at the next
                        key frame
      --strict          stop with exit code 1 at the first frame that fails to decode
                        (a zero-length frame is only a warning in both modes)

Other:
  -q, --quiet           no progress or summary; warnings and errors still print
  -h, --help            this text
      --version         the decoder API version and the stages built in
  Progress (frames, fps) is shown on stderr when stderr is a terminal.

Exit codes:
  0  every frame decoded (and --verify matched)
  1  stopped by an error: unreadable or bad IVF file, I/O error, --strict decode error,
     --verify mismatch, y4m size change
  2  bad command line
  3  reached the end, but some frames failed to decode and were skipped (--keep-going)

To compare stages over the whole corpus use `portlab verify`; to time them, `portlab bench`.
";

#[derive(Parser, Debug)]
#[command(
    name = "vp8dec",
    disable_help_flag = true,
    disable_version_flag = true,
    infer_long_args = true,
    args_override_self = true
)]
struct Args {
    #[arg(short = 'i', long = "input", allow_hyphen_values = true)]
    input: Option<String>,
    #[arg(short = 'o', long = "output", allow_hyphen_values = true)]
    output: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    muxer: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    limit: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    verify: Option<String>,
    #[arg(short = 'q', long)]
    quiet: bool,
    #[arg(long, allow_hyphen_values = true)]
    cpumask: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    threads: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    sizelimit: Option<String>,
    #[arg(long = "keep-going", overrides_with = "strict")]
    keep_going: bool,
    #[arg(long, overrides_with = "keep_going")]
    strict: bool,
    #[arg(long, allow_hyphen_values = true)]
    stage: Option<String>,
    #[arg(short = 'h', long)]
    help: bool,
    #[arg(long)]
    version: bool,
    /// Stray arguments (reported like the C CLI does).
    #[arg(hide = true, allow_hyphen_values = false)]
    rest: Vec<String>,
}

/// The parsed command line.
#[derive(Debug, Clone)]
pub struct Options {
    pub input: String,
    pub output: Option<String>,
    pub muxer: Muxer,
    /// 0: none.
    pub limit: u64,
    pub verify: Option<String>,
    pub quiet: bool,
    pub strict: bool,
    pub settings: Settings,
    pub stage: &'static dyn stage::Vp8Stage,
}

fn usage_error(msg: &str) -> u8 {
    eprintln!("vp8dec: {msg}\nvp8dec: see `vp8dec --help`");
    EXIT_USAGE
}

/// A non-negative decimal that fits u64, starting with a digit (the C CLI's `parse_u64`).
fn parse_u64(s: &str) -> Option<u64> {
    if !s.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    s.parse().ok()
}

/// "WxH" (area W*H) or "N" (pixels).
pub fn parse_size_limit(s: &str) -> Option<u64> {
    match s.split_once('x') {
        None => parse_u64(s),
        Some((w, h)) => {
            if w.is_empty() || w.len() >= 24 {
                return None;
            }
            let (w, h) = (parse_u64(w)?, parse_u64(h)?);
            if w > 0xffff_ffff || h > 0xffff_ffff {
                return None;
            }
            Some(w * h)
        }
    }
}

fn parse_md5(s: &str) -> Option<String> {
    (s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())).then(|| s.to_ascii_lowercase())
}

/// Parse the command line. `Err(code)`: stop with that exit code (help, version, usage error).
pub fn parse_args<I, T>(argv: I) -> Result<Options, u8>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let argv: Vec<OsString> = argv.into_iter().map(Into::into).collect();
    let a = match Args::try_parse_from(&argv) {
        Ok(a) => a,
        Err(e) => {
            use clap::error::{ContextKind, ContextValue, ErrorKind as K};
            // Word the common errors as the C CLI (getopt) does.
            let arg = match e.get(ContextKind::InvalidArg) {
                Some(ContextValue::String(s)) => s.split_whitespace().next().map(str::to_string),
                _ => None,
            };
            let msg = match (e.kind(), arg) {
                (K::UnknownArgument, Some(a)) => format!("unknown option '{a}'"),
                (K::InvalidValue | K::NoEquals, Some(a)) => {
                    // Name the option as it was typed (getopt does): "-i", not "--input".
                    let typed = argv.last().map(|t| t.to_string_lossy().into_owned());
                    let a = match typed {
                        Some(t) if t.starts_with("--") => t,
                        Some(t) if t.starts_with('-') && t.len() == 2 => t,
                        _ => a,
                    };
                    format!("option '{a}' needs a value")
                }
                _ => {
                    let text = e.render().to_string();
                    let first = text.lines().next().unwrap_or("bad command line");
                    first.trim_start_matches("error: ").to_string()
                }
            };
            return Err(usage_error(&msg));
        }
    };
    if a.help {
        print!("{HELP}");
        return Err(EXIT_OK);
    }
    if a.version {
        let stages: Vec<&str> = stage::all_stages().iter().map(|s| s.name()).collect();
        println!(
            "vp8dec (Portlab Rust CLI; stages: {}), VP8 API version {}",
            stages.join(", "),
            vp8_c::ffi::VP8_API_VERSION
        );
        return Err(EXIT_OK);
    }
    let muxer = match &a.muxer {
        None => None,
        Some(m) => match Muxer::from_name(m) {
            Some(m) => Some(m),
            None => {
                return Err(usage_error(&format!(
                    "unknown muxer '{m}': choose yuv, y4m, md5, framemd5 or null"
                )));
            }
        },
    };
    let mut limit = 0;
    if let Some(l) = &a.limit {
        match parse_u64(l) {
            Some(n) if n > 0 => limit = n,
            _ => {
                return Err(usage_error(&format!(
                    "--limit wants a positive number of frames, not '{l}'"
                )));
            }
        }
    }
    let verify = match &a.verify {
        None => None,
        Some(v) => match parse_md5(v) {
            Some(v) => Some(v),
            None => {
                return Err(usage_error(&format!(
                    "--verify wants an MD5 of 32 hex digits, not '{v}'"
                )));
            }
        },
    };
    let mut settings = Settings::default();
    if let Some(c) = &a.cpumask {
        match parse_cpu_mask(c) {
            Some(m) => settings.cpu_mask = m,
            None => {
                return Err(usage_error(&format!(
                    "unknown --cpumask '{c}': choose none, sse2, ssse3, avx2 or all"
                )));
            }
        }
    }
    if let Some(t) = &a.threads {
        match parse_u64(t) {
            Some(n) if n <= 1024 => settings.threads = n as u32,
            _ => {
                return Err(usage_error(&format!(
                    "--threads wants a number from 0 (automatic) to 1024, not '{t}'"
                )));
            }
        }
    }
    if let Some(s) = &a.sizelimit {
        match parse_size_limit(s) {
            Some(area) => settings.max_frame_area = area,
            None => {
                return Err(usage_error(&format!(
                    "--sizelimit wants WxH (e.g. 1920x1080) or a pixel count, not '{s}'"
                )));
            }
        }
    }
    let stage = match stage::stage_by_name(a.stage.as_deref().unwrap_or("c")) {
        Ok(s) => s,
        Err(e) => return Err(usage_error(&e)),
    };
    if let Some(r) = a.rest.first() {
        return Err(usage_error(&format!(
            "unexpected argument '{r}' (the input file goes after -i)"
        )));
    }
    let Some(input) = a.input else {
        return Err(usage_error("no input: give -i IN.ivf (- for stdin)"));
    };
    let muxer = match muxer {
        None => match &a.output {
            Some(o) => match Muxer::from_path(o) {
                Some(m) => m,
                None => {
                    return Err(usage_error(&format!(
                        "cannot tell the output format from '{o}': name it .y4m, .yuv, .md5 or \
                         .framemd5, or add --muxer yuv|y4m|md5|framemd5|null"
                    )));
                }
            },
            None if verify.is_some() => Muxer::Null,
            None => {
                return Err(usage_error(
                    "no output: give -o OUT (.y4m, .yuv, or - for yuv on stdout) or --muxer \
                     md5|framemd5|null",
                ));
            }
        },
        Some(m) => {
            if a.output.is_none() && matches!(m, Muxer::Yuv | Muxer::Y4m) {
                return Err(usage_error(&format!(
                    "--muxer {} needs -o FILE (or -o - for stdout)",
                    m.name()
                )));
            }
            m
        }
    };
    Ok(Options {
        input,
        output: a.output,
        muxer,
        limit,
        verify,
        quiet: a.quiet,
        strict: a.strict,
        settings,
        stage,
    })
}

/// Progress on a terminal (indicatif), and warnings that do not tear it.
struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
}

impl Progress {
    fn new(enabled: bool, total_frames: u64) -> Progress {
        let bar = enabled.then(|| {
            let bar = if total_frames > 0 {
                ProgressBar::with_draw_target(Some(total_frames), ProgressDrawTarget::stderr())
                    .with_style(
                        ProgressStyle::with_template(
                            "vp8dec: {bar:30} {pos}/{len} frames, {msg}, eta {eta}",
                        )
                        .expect("valid template"),
                    )
            } else {
                ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
                    ProgressStyle::with_template("vp8dec: {spinner} {pos} frames, {msg}")
                        .expect("valid template"),
                )
            };
            bar.enable_steady_tick(Duration::from_millis(250));
            bar
        });
        Progress {
            bar,
            start: Instant::now(),
        }
    }

    fn warn(&self, msg: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{msg}")),
            None => eprintln!("{msg}"),
        }
    }

    fn set(&self, frames: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(frames);
            let elapsed = self.start.elapsed().as_secs_f64();
            if elapsed > 0.0 {
                bar.set_message(format!("{:.1} fps", frames as f64 / elapsed));
            }
        }
    }

    /// The closing line "N frames decoded, F fps (T s)", like the C CLI's.
    fn finish(&mut self, frames: u64) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
            let elapsed = self.start.elapsed().as_secs_f64();
            let fps = if elapsed > 0.0 {
                frames as f64 / elapsed
            } else {
                0.0
            };
            eprintln!("vp8dec: {frames} frames decoded, {fps:.1} fps  ({elapsed:.2} s)");
        }
    }

    fn clear(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

struct Run<'o> {
    opt: &'o Options,
    dec: Box<dyn StageDecoder>,
    out: Output,
    verify_md5: Md5,
    progress: Progress,
    /// Frames that failed to decode.
    failed: u64,
    /// Decode warnings printed or counted.
    warnings: u64,
    /// A run of frames refused with "waiting for a key frame": its first frame and length.
    waiting_first: u64,
    waiting_count: u64,
    /// Frames read from the file.
    frames_read: u64,
    /// File position after the last frame read.
    offset: u64,
}

impl Run<'_> {
    fn flush_waiting(&mut self) {
        if self.waiting_count > 1 && self.warnings <= MAX_WARNINGS {
            self.progress.warn(&format!(
                "vp8dec: warning: frames {} to {}: {} (skipped)",
                self.waiting_first + 1,
                self.waiting_first + self.waiting_count - 1,
                ErrorKind::NeedKeyframe.name()
            ));
        }
        self.waiting_count = 0;
    }

    fn warn_frame(&mut self, index: u64, err: &StageError) {
        self.warnings += 1;
        if self.warnings > MAX_WARNINGS {
            return;
        }
        let strict = self.opt.strict;
        self.progress.warn(&format!(
            "vp8dec: {}: frame {index}: {}{}{}{}",
            if strict { "error" } else { "warning" },
            err.name,
            if err.detail.is_empty() { "" } else { ": " },
            err.detail,
            if strict || err.kind == ErrorKind::EmptyFrame {
                ""
            } else {
                " (frame skipped)"
            }
        ));
        if self.warnings == MAX_WARNINGS {
            self.progress
                .warn("vp8dec: further frame warnings are only counted");
        }
    }

    /// Decode the whole input; returns an exit code.
    fn decode_all<R: Read>(&mut self, ivf: &mut IvfReader<R>, name: &str) -> u8 {
        let o = self.opt;
        let mut shown = 0u64;
        loop {
            if o.limit != 0 && shown >= o.limit {
                self.flush_waiting();
                return EXIT_OK;
            }
            let frame = match ivf.next_frame() {
                Ok(Some(f)) => f,
                Ok(None) => {
                    self.flush_waiting();
                    return EXIT_OK;
                }
                Err(e) => {
                    self.flush_waiting();
                    self.progress.warn(&format!(
                        "vp8dec: error: {}",
                        ivf_message(&e, name, Some((self.frames_read, self.offset)))
                    ));
                    return EXIT_ERROR;
                }
            };
            self.frames_read = frame.index + 1;
            self.offset += 12 + frame.data.len() as u64;
            let index = frame.index;
            let result = self.dec.decode(&frame.data);
            if let Err(e) = &result {
                if e.kind == ErrorKind::NeedKeyframe && self.waiting_count > 0 && !o.strict {
                    self.waiting_count += 1;
                    self.failed += 1;
                    continue;
                }
            }
            self.flush_waiting();
            match result {
                Err(e) if e.kind == ErrorKind::EmptyFrame => {
                    self.warn_frame(index, &e);
                    continue;
                }
                Err(e) => {
                    if e.kind == ErrorKind::NeedKeyframe {
                        self.waiting_first = index;
                        self.waiting_count = 1;
                    }
                    self.failed += 1;
                    self.warn_frame(index, &e);
                    if o.strict {
                        return EXIT_ERROR;
                    }
                    continue;
                }
                Ok(()) => {}
            }
            while o.limit == 0 || shown < o.limit {
                let Some(pic) = self.dec.picture() else { break };
                if let Err(msg) = self.out.write(&pic) {
                    self.progress.warn(&format!("vp8dec: error: {msg}"));
                    return EXIT_ERROR;
                }
                if o.verify.is_some() {
                    pic.md5_update(&mut self.verify_md5);
                }
                shown += 1;
            }
            self.progress.set(shown);
        }
    }
}

/// An IVF error worded like the C CLI's (tools/ivf.c); `at` is the index and file position of
/// the frame being read, None while reading the file header.
fn ivf_message(e: &IvfError, name: &str, at: Option<(u64, u64)>) -> String {
    let offset = at.map_or(0, |(_, offset)| offset);
    let printable = |b: &[u8; 4]| -> String {
        b.iter()
            .map(|&c| {
                if (0x20..0x7f).contains(&c) {
                    c as char
                } else {
                    '?'
                }
            })
            .collect()
    };
    match e {
        IvfError::Io(e) => match at {
            None => format!(
                "{name}: read error in the IVF file header: {}",
                io_message(e)
            ),
            Some((frame, _)) => format!("{name}: read error in frame {frame}: {}", io_message(e)),
        },
        IvfError::TruncatedLongHeader { header_size } => format!(
            "{name}: truncated IVF file header (header size field says {header_size} bytes)"
        ),
        IvfError::TruncatedFileHeader { got: 0 } => {
            format!("{name}: empty file, not an IVF file")
        }
        IvfError::TruncatedFileHeader { got } => {
            format!("{name}: truncated IVF file header ({got} of 32 bytes)")
        }
        IvfError::NotIvf { start } => format!(
            "{name}: not an IVF file (starts with \"{}\", expected \"DKIF\"); vp8dec reads IVF only",
            printable(start)
        ),
        IvfError::NotVp8 { fourcc } => format!(
            "{name}: IVF fourcc is \"{}\", not \"VP80\": this stream is not VP8{}",
            printable(fourcc),
            if fourcc == b"VP90" {
                " (it is VP9; use vpxdec or dav1d-style tools)"
            } else {
                ""
            }
        ),
        IvfError::TruncatedFrameHeader { frame, got } => format!(
            "{name}: frame {frame}: truncated IVF frame header at byte {offset} ({got} of 12 bytes)"
        ),
        IvfError::TruncatedFrame { frame, size, got } => format!(
            "{name}: frame {frame}: truncated: the IVF frame header says {size} bytes, the file \
             ends after {got}"
        ),
        IvfError::FrameTooLarge { frame, size } => format!(
            "{name}: frame {frame}: IVF frame size {size} bytes exceeds the {} MiB limit (corrupt \
             file?)",
            vp8_stage::ivf::MAX_FRAME_SIZE >> 20
        ),
    }
}

/// Run with parsed options; returns the exit code.
pub fn run(o: &Options) -> u8 {
    let from_stdin = o.input == "-";
    let reader: Box<dyn Read> = if from_stdin {
        Box::new(BufReader::with_capacity(1 << 16, io::stdin()))
    } else {
        match File::open(&o.input) {
            Ok(f) => Box::new(BufReader::with_capacity(1 << 16, f)),
            Err(e) => {
                eprintln!(
                    "vp8dec: error: cannot open input '{}': {}",
                    o.input,
                    io_message(&e)
                );
                return EXIT_ERROR;
            }
        }
    };
    let name = if from_stdin {
        "stdin"
    } else {
        o.input.as_str()
    };
    // WebM/Matroska, recognised by its first bytes, goes on as the IVF of its VP8 track.
    let reader = match crate::webm::ivf_input(reader, name) {
        Ok(r) => r,
        Err(msg) => {
            eprintln!("vp8dec: error: {msg}");
            return EXIT_ERROR;
        }
    };
    let mut ivf = match IvfReader::new(reader) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("vp8dec: error: {}", ivf_message(&e, name, None));
            return EXIT_ERROR;
        }
    };
    let dec = match o.stage.open(&o.settings) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("vp8dec: error: cannot open the decoder: {}", e.name);
            return EXIT_ERROR;
        }
    };
    let header = *ivf.header();
    let out = match Output::open(o.muxer, o.output.as_deref(), header.rate, header.scale) {
        Ok(out) => out,
        Err(msg) => {
            eprintln!("vp8dec: error: {msg}");
            return EXIT_ERROR;
        }
    };
    let total = match (u64::from(header.frame_count), o.limit) {
        (0, _) => 0,
        (n, 0) => n,
        (n, l) => n.min(l),
    };
    let mut run = Run {
        opt: o,
        dec,
        out,
        verify_md5: Md5::new(),
        progress: Progress::new(!o.quiet && io::stderr().is_terminal(), total),
        failed: 0,
        warnings: 0,
        waiting_first: 0,
        waiting_count: 0,
        frames_read: 0,
        offset: u64::from(header.header_size).max(32),
    };

    let mut status = run.decode_all(&mut ivf, name);

    // Close the output even after an error, so what was decoded is flushed (and md5 printed).
    if let Err(msg) = run.out.close() {
        run.progress.clear();
        eprintln!("vp8dec: error: {msg}");
        return EXIT_ERROR;
    }
    let frames = run.out.frames;
    run.progress.finish(frames);
    if run.warnings > MAX_WARNINGS {
        eprintln!("vp8dec: {} frame warnings in all", run.warnings);
    }
    if status == EXIT_OK && run.failed > 0 {
        eprintln!(
            "vp8dec: {} of {} frames failed to decode and were skipped",
            run.failed, run.frames_read
        );
        status = EXIT_FRAMES_FAILED;
    }
    if let Some(expected) = &o.verify {
        let got = hex(&std::mem::take(&mut run.verify_md5).finalize());
        if &got != expected {
            eprintln!(
                "vp8dec: --verify failed: the decoded output ({frames} frames) has md5 {got}, \
                 expected {expected}"
            );
            return EXIT_ERROR;
        }
        if !o.quiet {
            eprintln!("vp8dec: --verify: md5 {got} matches ({frames} frames)");
        }
    }
    status
}

/// The whole CLI: parse `argv` (program name first), run, return the exit code.
pub fn main<I, T>(argv: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    match parse_args(argv) {
        Ok(o) => run(&o),
        Err(code) => code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, u8> {
        parse_args(std::iter::once("vp8dec").chain(args.iter().copied()))
    }

    #[test]
    fn usage_errors_exit_2() {
        for args in [
            &[][..],
            &["-i"],
            &["-i", "x.ivf"],
            &["-i", "x.ivf", "-o", "out"],
            &["-i", "x.ivf", "--muxer", "yuv"],
            &["-i", "x.ivf", "--muxer", "md6"],
            &["-i", "x.ivf", "--muxer", "md5", "--limit", "0"],
            &["-i", "x.ivf", "--muxer", "md5", "--limit", "-3"],
            &["-i", "x.ivf", "--muxer", "md5", "--limit", "+3"],
            &["-i", "x.ivf", "--muxer", "md5", "--threads", "1025"],
            &["-i", "x.ivf", "--muxer", "md5", "--cpumask", "sse4"],
            &["-i", "x.ivf", "--muxer", "md5", "--sizelimit", "x5"],
            &["-i", "x.ivf", "--muxer", "md5", "--stage", "rust"],
            &["-i", "x.ivf", "--verify", "abc"],
            &["-i", "x.ivf", "--muxer", "md5", "extra"],
            &["-i", "x.ivf", "--muxer", "md5", "--bogus"],
        ] {
            assert_eq!(parse(args).err(), Some(EXIT_USAGE), "args {args:?}");
        }
    }

    #[test]
    fn options_like_getopt() {
        let o = parse(&[
            "-ix.ivf",
            "--mux=framemd5",
            "--strict",
            "--keep-going",
            "--lim",
            "3",
        ])
        .unwrap();
        assert_eq!(o.input, "x.ivf");
        assert_eq!(o.muxer, Muxer::FrameMd5);
        assert!(!o.strict);
        assert_eq!(o.limit, 3);
        let o = parse(&[
            "-i",
            "-",
            "-o",
            "-",
            "--sizelimit",
            "16x16",
            "--cpumask",
            "none",
        ])
        .unwrap();
        assert_eq!(o.muxer, Muxer::Yuv);
        assert_eq!(o.settings.max_frame_area, 256);
        assert_eq!(o.settings.cpu_mask, 0);
        let o = parse(&["-i", "a", "--verify", "0123456789ABCDEF0123456789abcdef"]).unwrap();
        assert_eq!(o.muxer, Muxer::Null);
        assert_eq!(
            o.verify.as_deref(),
            Some("0123456789abcdef0123456789abcdef")
        );
        let o = parse(&["-i", "a", "--muxer", "md5", "--muxer", "null"]).unwrap();
        assert_eq!(o.muxer, Muxer::Null);
        assert_eq!(o.stage.name(), "c");
    }

    #[test]
    fn size_limits() {
        assert_eq!(parse_size_limit("1920x1080"), Some(1920 * 1080));
        assert_eq!(parse_size_limit("0"), Some(0));
        assert_eq!(parse_size_limit("12"), Some(12));
        assert_eq!(parse_size_limit("1x"), None);
        assert_eq!(parse_size_limit("4294967296x1"), None);
    }
}
