//! `portlab profile`: where two stages (or two builds) of the decoder spend their instructions and
//! their time, function by function, anchored on the asm kernels they share.
//!
//! Method:
//! 1. **Instructions (callgrind).** Each side decodes the same stream once under
//!    `valgrind --tool=callgrind --dump-instr=yes`. The `callgrind.out` file is parsed here
//!    directly (see [`parse_callgrind`]) rather than through `callgrind_annotate`: the annotate
//!    script prints one row per (file, function) pair, so a function whose body includes inlined
//!    code from headers or the Rust standard library (`bool.h`, `uint_macros.rs`) comes out in
//!    several pieces to re-add; its columns, thresholds and number formatting change between
//!    valgrind versions; and it cannot give the per-instruction costs `--annotate` needs. The
//!    format itself is small and specified (name compression, relative positions, `calls=`
//!    lines whose inclusive cost must not count as self cost), and is parsed in one pass.
//! 2. **Canonical names.** Every symbol is mapped to one name ([`canonical_name`]): the C name,
//!    or the last segment of the demangled Rust path (`vp8_transpiled::tokens::vp8_decode_mb_tokens`
//!    -> `vp8_decode_mb_tokens`), without compiler clone suffixes (`.isra.0`, `.part.0`,
//!    `.cold`, `.llvm.123`) or Rust hashes, so the same logical function lines up across stages
//!    and its pieces add up.
//! 3. **Time (perf).** Each side runs `--perf-runs` times (interleaved A, B, A, B, ...) under
//!    `perf record -e cpu-clock -c PERIOD` (a software clock: hardware counters are not needed);
//!    samples are counted per canonical name and run. If perf is missing or not permitted the
//!    report says so and goes on with callgrind alone.
//! 4. **The kernel anchor.** The asm kernels (`vp8_<name>_<isa>`) execute the same code on the
//!    same data in every stage, so their instruction counts must be identical when the stages are
//!    bit-exact (any difference is flagged), and any difference in their *time* comes from the
//!    callers: stack layout, buffer alignment, argument passing, cache state. A kernel whose
//!    cpu-clock time per run differs by more than `--threshold` percent between the sides, and by
//!    more than two standard errors of the run-to-run noise, is flagged as caller-induced
//!    ([`flag_difference`]).
//! 5. **`--function NAME --annotate`**: the per-instruction costs of one function on both sides,
//!    disassembled in-process by `inspect`'s disassembler (iced-x86, Intel syntax, the listing
//!    `portlab inspect disasm` prints) and aligned side by side by opcode.
//!
//! Markdown on stdout (and `--markdown FILE`), `--json[=FILE]`, `--svg FILE` (charts, plotters).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use object::{Object, ObjectSection, ObjectSymbol};
use serde_json::{Value, json};

use crate::host::{cpu_model, first_line, target_dir, vp8dec_build, workspace_root};
use crate::inspect::binary::{Binary, Classifier};
use crate::inspect::disasm;
use crate::stage::{self, Language, STAGES};
use crate::verify::resolve;

/// The default stream: 30 frames of 720p, about 0.1 s natively and 3 s under callgrind.
pub const DEFAULT_STREAM: &str = "bench/corpus/streams/bench-720p-mandel-1280x720.ivf";

/// `portlab profile` options.
#[derive(clap::Args, Debug, Clone)]
#[command(after_help = "\
Examples:
  cargo run --release -p portlab -- profile                      C vs transpiled on the 720p stream
  cargo run --release -p portlab -- profile --no-perf --limit 10  callgrind only, 10 frames
  cargo run --release -p portlab -- profile --function vp8_decode_mb_tokens --annotate
  cargo run --release -p portlab -- profile --binaries target/bench-c-gcc/vp8dec,target/bench-c-clang/vp8dec
  cargo run --release -p portlab -- profile --json=p.json --markdown p.md --svg docs/img/profile.svg

Sides: --stages A,B runs the release vp8dec (one binary holds every stage) with --stage A and
--stage B. --binaries X,Y runs two vp8dec-compatible binaries (the Rust vp8dec or the C CLI);
with --stages too, each binary gets its --stage, - for none (the C CLI has no --stage):
  --binaries upstream-c/build/vp8dec,target/release/vp8dec --stages=-,transpiled
Ratios are B / A: above 1 means B costs more.
Needs valgrind (apt-get install valgrind); perf (apt-get install linux-perf) is optional.")]
pub struct ProfileArgs {
    /// The two stages to compare, comma-separated (A,B). Default c,transpiled.
    #[arg(long, value_name = "A,B")]
    pub stages: Option<String>,
    /// Compare two binaries (A,B) instead of two stages of one binary (with --stages, each
    /// binary's --stage; "-" for none).
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    pub binaries: Vec<PathBuf>,
    /// Names of the two sides in reports (default: the stage names or binary paths).
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    pub labels: Vec<String>,
    /// The stream both sides decode.
    #[arg(long, value_name = "IVF", default_value = DEFAULT_STREAM)]
    pub stream: PathBuf,
    /// Decode only the first N output frames.
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// Decoding threads (1 keeps callgrind's counts deterministic).
    #[arg(long, default_value_t = 1)]
    pub threads: u32,
    /// --cpumask for both sides: none, sse2, ssse3, avx2, all.
    #[arg(long, value_name = "WORD")]
    pub cpumask: Option<String>,
    /// Percent difference of a kernel's time between the sides above which it is flagged.
    #[arg(long, default_value_t = 5.0, value_name = "PCT")]
    pub threshold: f64,
    /// Rows in the function tables (and bars in the function chart).
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// perf record runs per side (interleaved).
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub perf_runs: usize,
    /// cpu-clock sampling period in microseconds.
    #[arg(long, default_value_t = 50, value_name = "US")]
    pub perf_period_us: u64,
    /// Skip perf (callgrind only).
    #[arg(long)]
    pub no_perf: bool,
    /// One function (canonical name, e.g. vp8_decode_mb_tokens or vp8_sixtap_16x16_avx2):
    /// its row first; with --annotate its instructions side by side.
    #[arg(long, value_name = "NAME")]
    pub function: Option<String>,
    /// Per-instruction instruction counts of --function for both sides (iced-x86 + callgrind).
    #[arg(long, requires = "function")]
    pub annotate: bool,
    /// The Rust vp8dec to run for --stages (default: target/release/vp8dec, rebuilt by cargo).
    #[arg(long, value_name = "PATH")]
    pub vp8dec: Option<PathBuf>,
    /// Where callgrind and perf outputs go (kept for kcachegrind / perf report).
    #[arg(long, value_name = "DIR", default_value = "target/portlab-profile")]
    pub out: PathBuf,
    /// Write all results as JSON: stdout with --json, FILE with --json=FILE.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-", require_equals = true)]
    pub json: Option<String>,
    /// Also write the Markdown report to FILE.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Write SVG charts: FILE (instructions of the top functions, A vs B) and FILE with
    /// "-kernels" before the extension (the kernel anchor: time difference per kernel).
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Exit 1 if any shared kernel's instruction count differs between the sides.
    #[arg(long)]
    pub strict: bool,
    /// No progress messages.
    #[arg(short, long)]
    pub quiet: bool,
}

// ------------------------------------------------------------------------------------------------
// Names.

/// One name for a function across stages, compilers and clones: the demangled Rust path's last
/// segment (`vp8_transpiled::decode::filter_mb_row` -> `filter_mb_row`; a closure keeps its
/// parent: `main::{{closure}}`), without a Rust hash (`::h0123...`) or compiler clone suffixes
/// (`.isra.0`, `.part.1`, `.constprop.0`, `.cold`, `.lto_priv.0`, `.llvm.1234`).
pub fn canonical_name(symbol: &str) -> String {
    let mut s = symbol.trim();
    // Compiler clone suffixes (repeated: `f.constprop.0.isra.0`, `f.cold.1`).
    loop {
        let before = s;
        for suffix in [
            ".isra",
            ".part",
            ".constprop",
            ".cold",
            ".lto_priv",
            ".llvm",
            ".localalias",
            ".specialized",
        ] {
            if let Some(i) = s.rfind(suffix) {
                let rest = &s[i + suffix.len()..];
                if rest.is_empty()
                    || (rest.starts_with('.')
                        && rest[1..].chars().all(|c| c.is_ascii_digit())
                        && rest.len() > 1)
                {
                    s = &s[..i];
                }
            }
        }
        if s == before {
            break;
        }
    }
    let segments = split_path(s);
    let mut segs: Vec<&str> = segments;
    // Rust legacy hash segment.
    if segs.len() > 1 {
        let last = segs[segs.len() - 1];
        if last.len() == 17
            && last.starts_with('h')
            && last[1..].chars().all(|c| c.is_ascii_hexdigit())
        {
            segs.pop();
        }
    }
    let Some(last) = segs.last() else {
        return s.to_string();
    };
    if last.starts_with("{{") && segs.len() >= 2 {
        // main::{{closure}}: keep the function the closure is in.
        let parent = segs[..segs.len() - 1]
            .iter()
            .rev()
            .find(|p| !p.starts_with("{{"))
            .copied()
            .unwrap_or("");
        return format!("{parent}::{last}");
    }
    last.to_string()
}

/// Split a demangled path at `::` outside `<...>`, `(...)` and `[...]`.
fn split_path(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let (mut depth, mut start, mut i) = (0i32, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'<' | b'(' | b'[' => depth += 1,
            b'>' | b')' | b']' => depth -= 1,
            b':' if depth == 0 && i + 1 < bytes.len() && bytes[i + 1] == b':' => {
                out.push(&s[start..i]);
                i += 2;
                start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&s[start..]);
    out.retain(|p| !p.is_empty());
    out
}

/// ISA suffixes of the shared kernels (`vp8_<name>_<isa>`, DESIGN.md).
const ISAS: [&str; 8] = [
    "sse2", "ssse3", "sse4", "sse41", "sse4_1", "avx", "avx2", "avx512",
];

/// Is this canonical name one of the shared asm kernels (`vp8_<name>_<isa>`)?
pub fn is_kernel_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("vp8_") else {
        return false;
    };
    let Some((body, isa)) = rest.rsplit_once('_') else {
        return false;
    };
    !body.is_empty()
        && (ISAS.contains(&isa) || isa.starts_with("avx512"))
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// What a function is, for totals and tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// A shared asm kernel (asm/x86_64/*.S): the same code in every stage.
    Kernel,
    /// Decoder code of some stage (upstream-c/src, transpiled/src, safe/src).
    Decoder,
    /// Everything else: the CLI, the Rust runtime, libc, the dynamic loader, the OS kernel.
    Other,
}

impl Category {
    pub fn name(self) -> &'static str {
        match self {
            Category::Kernel => "kernel",
            Category::Decoder => "decoder",
            Category::Other => "other",
        }
    }
}

/// Is `file` (a path as a compiler or callgrind names it) a decoder source of a stage written in
/// `language` (any stage with `None`)?
fn is_stage_source(file: &str, language: Option<Language>) -> bool {
    STAGES
        .iter()
        .filter(|s| language.is_none_or(|l| s.language == l))
        .any(|s| file.contains(&format!("/{}/", s.source_dir)))
}

/// The canonical names of the C stage's functions in `binary`, from the binary itself rather than
/// from the sources: its function symbols that lie in a compile unit built from the C stage's
/// sources (DWARF: the cargo build and any `-g` build), and those defined by the C stage's own
/// library beside it (`libvp8.a` with `vp8dec`: the Makefile's build, which has no `-g`).
/// Unreadable files give no names.
pub fn c_stage_functions(binary: &Path) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    if let Ok(data) = std::fs::read(binary) {
        if let Ok(file) = object::File::parse(&*data) {
            let ranges = c_stage_units(&file);
            names.extend(
                file.symbols()
                    .filter(|s| s.kind() == object::SymbolKind::Text && !s.is_undefined())
                    .filter(|s| {
                        ranges
                            .iter()
                            .any(|&(lo, hi)| (lo..hi).contains(&s.address()))
                    })
                    .filter_map(|s| s.name().ok().map(canonical_name)),
            );
        }
    }
    if let Ok(data) = std::fs::read(binary.with_file_name("libvp8.a")) {
        if let Ok(archive) = object::read::archive::ArchiveFile::parse(&*data) {
            for member in archive.members().flatten() {
                let Some(obj) = member
                    .data(&*data)
                    .ok()
                    .and_then(|d| object::File::parse(d).ok())
                else {
                    continue;
                };
                // A C object names its source in a FILE symbol; the asm kernels' objects do not
                // belong to the C stage.
                let from_c = obj.symbols().any(|s| {
                    s.kind() == object::SymbolKind::File
                        && s.name().is_ok_and(|n| n.ends_with(".c"))
                });
                if from_c {
                    names.extend(
                        obj.symbols()
                            .filter(|s| s.kind() == object::SymbolKind::Text && s.is_definition())
                            .filter_map(|s| s.name().ok().map(canonical_name)),
                    );
                }
            }
        }
    }
    names
}

/// The address ranges of the DWARF compile units of `file` built from the C stage's sources.
fn c_stage_units(file: &object::File) -> Vec<(u64, u64)> {
    let load = |id: gimli::SectionId| -> Result<std::borrow::Cow<[u8]>, gimli::Error> {
        Ok(file
            .section_by_name(id.name())
            .and_then(|s| s.uncompressed_data().ok())
            .unwrap_or_default())
    };
    let Ok(sections) = gimli::DwarfSections::load(load) else {
        return Vec::new();
    };
    let dwarf = sections.borrow(|s| gimli::EndianSlice::new(s, gimli::LittleEndian));
    let mut out = Vec::new();
    let mut headers = dwarf.units();
    while let Ok(Some(header)) = headers.next() {
        let Ok(unit) = dwarf.unit(header) else {
            continue;
        };
        let text = |r: Option<gimli::EndianSlice<gimli::LittleEndian>>| {
            r.map(|r| r.to_string_lossy().into_owned())
        };
        let Some(name) = text(unit.name) else {
            continue;
        };
        // The Makefile compiles `src/x.c` from upstream-c/: relative to the unit's folder.
        let path = match text(unit.comp_dir) {
            Some(dir) if !name.starts_with('/') => format!("{dir}/{name}"),
            _ => name,
        };
        if !is_stage_source(&path, Some(Language::C)) {
            continue;
        }
        if let Ok(mut ranges) = dwarf.unit_ranges(&unit) {
            while let Ok(Some(r)) = ranges.next() {
                out.push((r.begin, r.end));
            }
        }
    }
    out
}

/// The category of a function from its raw symbol and the source file callgrind gave it; a
/// symbol without a source file (no debug info) that `c_stage` (see [`c_stage_functions`])
/// names is decoder code.
pub fn categorize(symbol: &str, file: &str, c_stage: &BTreeSet<String>) -> Category {
    let c = categorize_by_file(symbol, file);
    if c == Category::Other
        && (file.is_empty() || file == "???")
        && c_stage.contains(&canonical_name(symbol))
    {
        Category::Decoder
    } else {
        c
    }
}

fn categorize_by_file(symbol: &str, file: &str) -> Category {
    let canon = canonical_name(symbol);
    let asm_file = file.contains("/asm/")
        && [".S", ".s", ".inc", ".asm"]
            .iter()
            .any(|e| file.ends_with(e));
    if is_kernel_name(&canon) || asm_file {
        return Category::Kernel;
    }
    let decoder_path = STAGES
        .iter()
        .filter(|s| s.language == Language::Rust)
        .any(|s| symbol.contains(&format!("{}::", s.lib_name)));
    if is_stage_source(file, None) || decoder_path {
        Category::Decoder
    } else {
        Category::Other
    }
}

// ------------------------------------------------------------------------------------------------
// callgrind.out.

/// One executed instruction of an annotated function.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstrCost {
    pub ir: u64,
    /// Source file (as callgrind names it, inlined files included) and line; "" / 0 if unknown.
    pub file: String,
    pub line: u64,
}

/// Self cost of one canonical function in one callgrind profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnCost {
    pub name: String,
    pub category: Category,
    /// Instructions executed in the function's own code (inlined code included, callees not).
    pub ir: u64,
    /// The raw symbols that make it up, with their object files.
    pub symbols: BTreeSet<String>,
    pub objects: BTreeSet<String>,
}

/// A parsed callgrind profile.
#[derive(Debug, Clone, Default)]
pub struct CallgrindProfile {
    /// `summary:`/`totals:` (else the sum of all self costs).
    pub total: u64,
    pub functions: BTreeMap<String, FnCost>,
    /// With an annotate target: address -> cost, for the target's instructions.
    pub instrs: BTreeMap<u64, InstrCost>,
    /// Whether positions include instruction addresses (`--dump-instr=yes`).
    pub has_instr: bool,
    pub command: String,
}

impl CallgrindProfile {
    pub fn ir(&self, name: &str) -> u64 {
        self.functions.get(name).map_or(0, |f| f.ir)
    }

    pub fn category_total(&self, c: Category) -> u64 {
        self.functions
            .values()
            .filter(|f| f.category == c)
            .map(|f| f.ir)
            .sum()
    }
}

/// Names defined with `(id) name` and referred to with `(id)` (callgrind's name compression).
#[derive(Default)]
struct Names(HashMap<String, String>);

impl Names {
    fn get(&mut self, v: &str) -> String {
        let v = v.trim();
        if let Some(rest) = v.strip_prefix('(') {
            if let Some((id, name)) = rest.split_once(')') {
                let name = name.trim();
                if name.is_empty() {
                    return self.0.get(id).cloned().unwrap_or_else(|| format!("({id})"));
                }
                self.0.insert(id.to_string(), name.to_string());
                return name.to_string();
            }
        }
        v.to_string()
    }
}

fn parse_pos(tok: &str, last: u64) -> Result<u64, String> {
    let bad = || format!("bad position '{tok}'");
    if tok == "*" {
        return Ok(last);
    }
    if let Some(d) = tok.strip_prefix('+') {
        return Ok(last.wrapping_add(parse_num(d).ok_or_else(bad)?));
    }
    if let Some(d) = tok.strip_prefix('-') {
        return Ok(last.wrapping_sub(parse_num(d).ok_or_else(bad)?));
    }
    parse_num(tok).ok_or_else(bad)
}

fn parse_num(t: &str) -> Option<u64> {
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else {
        t.parse().ok()
    }
}

/// Parse a callgrind.out file: the self instruction count (`Ir`) of every function, summed by
/// [`canonical_name`] across inlined pieces, clones and objects. With `annotate`, also the
/// per-instruction costs of the functions whose canonical name is `annotate` (needs
/// `--dump-instr=yes`).
///
/// The format (valgrind's `docs/callgrind-format`): header lines `key: value` (`positions:`,
/// `events:`, `summary:`); `ob=`/`fl=`/`fi=`/`fe=`/`fn=` set the object, the function's file, the
/// current (inlined) file and the function, each possibly compressed as `(id) name` / `(id)`;
/// a cost line is the positions (`instr` and/or `line`: absolute, `+N`/`-N` relative to the
/// previous cost line, `*` the same) then the event counts; `calls=COUNT TARGET` is followed by
/// one cost line whose cost is the callee's inclusive cost, which is not the caller's self cost,
/// and neither line moves the "previous position" (callgrind's dump.c writes them so).
pub fn parse_callgrind(text: &str, annotate: Option<&str>) -> Result<CallgrindProfile, String> {
    let mut prof = CallgrindProfile::default();
    let mut positions: Vec<String> = vec!["line".to_string()];
    let mut ir_index = 0usize;
    let mut summary: Option<u64> = None;
    let (mut obs, mut files, mut fns) = (Names::default(), Names::default(), Names::default());
    let (mut ob, mut fl, mut cur_file, mut func) =
        (String::new(), String::new(), String::new(), String::new());
    let mut last = vec![0u64; 2];
    let mut pending_call = false;
    // raw symbol -> (object, file, ir)
    let mut raw: HashMap<String, (String, String, u64)> = HashMap::new();
    let mut canon_cache: HashMap<String, bool> = HashMap::new();
    let mut sum = 0u64;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let first = line.as_bytes()[0];
        if first.is_ascii_digit() || first == b'+' || first == b'-' || first == b'*' {
            let mut toks = line.split_ascii_whitespace();
            let mut pos = vec![0u64; positions.len()];
            for (i, p) in pos.iter_mut().enumerate() {
                let t = toks
                    .next()
                    .ok_or_else(|| format!("line {}: missing position", n + 1))?;
                *p = parse_pos(t, last[i]).map_err(|e| format!("line {}: {e}", n + 1))?;
            }
            let costs: Vec<u64> = toks.map(|t| t.parse::<u64>().unwrap_or(0)).collect();
            let ir = costs.get(ir_index).copied().unwrap_or(0);
            if pending_call {
                // The callee's inclusive cost: not self cost; does not move `last`.
                pending_call = false;
                continue;
            }
            last[..pos.len()].copy_from_slice(&pos);
            sum += ir;
            let e = raw
                .entry(func.clone())
                .or_insert_with(|| (ob.clone(), fl.clone(), 0));
            e.2 += ir;
            if let Some(target) = annotate {
                let hit = *canon_cache
                    .entry(func.clone())
                    .or_insert_with(|| canonical_name(&func) == target);
                if hit && prof.has_instr {
                    let addr = pos[0];
                    let ln = positions
                        .iter()
                        .position(|p| p == "line")
                        .map_or(0, |i| pos[i]);
                    let c = prof.instrs.entry(addr).or_default();
                    c.ir += ir;
                    if c.file.is_empty() {
                        c.file = cur_file.clone();
                        c.line = ln;
                    }
                }
            }
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            if !key.contains(':') && !key.contains(' ') {
                match key {
                    "ob" => ob = obs.get(value),
                    "fl" => {
                        fl = files.get(value);
                        cur_file = fl.clone();
                    }
                    "fi" | "fe" => cur_file = files.get(value),
                    "fn" => {
                        func = fns.get(value);
                        cur_file = fl.clone();
                    }
                    "cob" => {
                        obs.get(value);
                    }
                    "cfi" | "cfl" => {
                        files.get(value);
                    }
                    "cfn" => {
                        fns.get(value);
                    }
                    "calls" => {
                        // calls=COUNT TARGET-POSITION: the target is relative to `last` but does
                        // not update it.
                        pending_call = true;
                    }
                    _ => {} // jump=, jcnd=, ...
                }
                continue;
            }
        }
        if let Some((key, value)) = line.split_once(':') {
            let value = value.trim();
            match key.trim() {
                "positions" => {
                    positions = value.split_ascii_whitespace().map(str::to_string).collect();
                    if positions.is_empty() {
                        positions.push("line".into());
                    }
                    last = vec![0; positions.len()];
                    prof.has_instr = positions.first().is_some_and(|p| p == "instr");
                }
                "events" => {
                    ir_index = value
                        .split_ascii_whitespace()
                        .position(|e| e == "Ir")
                        .unwrap_or(0);
                }
                "summary" | "totals" => {
                    let v: Vec<u64> = value
                        .split_ascii_whitespace()
                        .map(|t| t.parse().unwrap_or(0))
                        .collect();
                    let x = v.get(ir_index).copied().unwrap_or(0);
                    summary = Some(summary.map_or(x, |s: u64| s.max(x)));
                }
                "cmd" => prof.command = value.to_string(),
                _ => {}
            }
        }
    }
    if annotate.is_some() && !prof.has_instr {
        return Err(
            "the callgrind output has no instruction addresses (run with --dump-instr=yes)".into(),
        );
    }
    // The C stage's functions of each object, read only for objects with symbols callgrind
    // found no source file for.
    let mut c_stage: HashMap<String, BTreeSet<String>> = HashMap::new();
    for (sym, (object, file, ir)) in raw {
        let name = canonical_name(&sym);
        let cat = if file.is_empty() || file == "???" {
            let names = c_stage
                .entry(object.clone())
                .or_insert_with(|| c_stage_functions(Path::new(&object)));
            categorize(&sym, &file, names)
        } else {
            categorize(&sym, &file, &BTreeSet::new())
        };
        let f = prof
            .functions
            .entry(name.clone())
            .or_insert_with(|| FnCost {
                name,
                category: cat,
                ir: 0,
                symbols: BTreeSet::new(),
                objects: BTreeSet::new(),
            });
        f.ir += ir;
        // A kernel or decoder piece makes the whole name that category.
        f.category = f.category.min(cat);
        f.symbols.insert(sym);
        if !object.is_empty() {
            f.objects.insert(object);
        }
    }
    prof.total = summary.unwrap_or(sum).max(sum);
    Ok(prof)
}

// ------------------------------------------------------------------------------------------------
// perf.

/// cpu-clock samples of one side: per run, per canonical name.
#[derive(Debug, Clone, Default)]
pub struct PerfProfile {
    /// Per run: canonical name -> samples.
    pub runs: Vec<HashMap<String, u64>>,
    /// Per run: all samples.
    pub totals: Vec<u64>,
    pub period_ns: u64,
}

impl PerfProfile {
    /// Samples of `name` in each run.
    pub fn per_run(&self, name: &str) -> Vec<f64> {
        self.runs
            .iter()
            .map(|r| r.get(name).copied().unwrap_or(0) as f64)
            .collect()
    }

    pub fn mean(&self, name: &str) -> f64 {
        mean(&self.per_run(name))
    }

    pub fn mean_total(&self) -> f64 {
        mean(&self.totals.iter().map(|&x| x as f64).collect::<Vec<_>>())
    }

    /// Milliseconds per run.
    pub fn ms(&self, samples: f64) -> f64 {
        samples * self.period_ns as f64 / 1e6
    }
}

/// Count `perf script -F ip,sym,dso` lines ("  ip symbol (dso)") per canonical name.
pub fn parse_perf_script(text: &str) -> (HashMap<String, u64>, u64) {
    let mut m: HashMap<String, u64> = HashMap::new();
    let mut total = 0;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let rest = line
            .split_once(char::is_whitespace)
            .map_or("", |(_, r)| r)
            .trim();
        let (sym, dso) = match rest.rfind(" (") {
            Some(i) if rest.ends_with(')') => (&rest[..i], &rest[i + 2..rest.len() - 1]),
            _ => (rest, ""),
        };
        let sym = sym.trim();
        // `sym+0x1c` when perf prints offsets.
        let sym = match sym.rsplit_once("+0x") {
            Some((s, off)) if off.chars().all(|c| c.is_ascii_hexdigit()) => s,
            _ => sym,
        };
        let name = if sym.is_empty() || sym == "[unknown]" {
            if dso.contains("kernel") {
                "[kernel]".to_string()
            } else {
                format!(
                    "[unknown in {}]",
                    Path::new(dso)
                        .file_name()
                        .map_or(dso.into(), |f| f.to_string_lossy())
                )
            }
        } else {
            canonical_name(sym)
        };
        *m.entry(name).or_default() += 1;
        total += 1;
    }
    (m, total)
}

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

fn variance(xs: &[f64]) -> f64 {
    if xs.len() < 2 {
        return 0.0;
    }
    let m = mean(xs);
    xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (xs.len() - 1) as f64
}

/// The comparison of one cost between the sides.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    /// Means per run.
    pub a: f64,
    pub b: f64,
    /// (b - a) / a; 0 if both are 0, infinite if only a is 0.
    pub rel: f64,
    /// Standard error of (b - a) / a from the run-to-run spread (at least sampling noise).
    pub rel_se: f64,
    /// |b - a| is more than [`Z`] standard errors (and there are [`MIN_SAMPLES`] samples).
    pub significant: bool,
    /// More than the threshold and significant.
    pub flagged: bool,
}

/// Standard errors a difference must exceed to count: 3σ, because ~40 kernels are tested at
/// once (at 2σ, two of them would be flagged by chance in a typical run).
pub const Z: f64 = 3.0;

/// Fewer samples than this (summed over the runs, on the larger side) never count as a
/// difference: a kernel sampled 20 times tells nothing at 5%.
pub const MIN_SAMPLES: f64 = 50.0;

/// Compare per-run costs (e.g. cpu-clock samples of one kernel in each perf run) of side A and
/// side B. The standard error of the difference of the means comes from the run-to-run variance
/// of each side, but is never taken below the Poisson noise of sampling (sqrt of the count).
/// `flagged` when the relative difference exceeds `threshold` (a fraction: 0.05 = 5%) *and*
/// [`Z`] standard errors, with at least [`MIN_SAMPLES`] samples.
pub fn flag_difference(a: &[f64], b: &[f64], threshold: f64) -> Difference {
    let (ma, mb) = (mean(a), mean(b));
    let (na, nb) = (a.len().max(1) as f64, b.len().max(1) as f64);
    let se_runs = (variance(a) / na + variance(b) / nb).sqrt();
    let se_poisson = (ma / na + mb / nb).sqrt();
    let enough = a.iter().sum::<f64>().max(b.iter().sum::<f64>()) >= MIN_SAMPLES;
    difference(ma, mb, se_runs.max(se_poisson), enough, threshold)
}

/// Compare the share that `a` takes of `a_totals`, run by run, with the share `b` takes of
/// `b_totals` (one kernel's samples over all kernels' samples in the same run): a run that the
/// machine made slow as a whole (another job, a frequency change) moves the numerator and the
/// denominator alike, so this is far less noisy than [`flag_difference`] on a shared machine;
/// it cannot see an effect that slows every kernel alike (compare the totals for that). The
/// standard error comes from the run-to-run spread of the shares, at least the binomial
/// sampling noise `sqrt(p (1 - p) / N)`.
pub fn flag_share_difference(
    a: &[f64],
    a_totals: &[f64],
    b: &[f64],
    b_totals: &[f64],
    threshold: f64,
) -> Difference {
    let shares = |c: &[f64], t: &[f64]| -> Vec<f64> {
        c.iter()
            .zip(t)
            .filter(|(_, t)| **t > 0.0)
            .map(|(c, t)| c / t)
            .collect()
    };
    let (sa, sb) = (shares(a, a_totals), shares(b, b_totals));
    let (ma, mb) = (mean(&sa), mean(&sb));
    let (na, nb) = (sa.len().max(1) as f64, sb.len().max(1) as f64);
    let se_runs = (variance(&sa) / na + variance(&sb) / nb).sqrt();
    let binom = |p: f64, n: f64| if n > 0.0 { p * (1.0 - p) / n } else { 0.0 };
    let se_binom = (binom(ma, a_totals.iter().sum()) + binom(mb, b_totals.iter().sum())).sqrt();
    let enough = a.iter().sum::<f64>().max(b.iter().sum::<f64>()) >= MIN_SAMPLES;
    difference(ma, mb, se_runs.max(se_binom), enough, threshold)
}

fn difference(ma: f64, mb: f64, se: f64, enough: bool, threshold: f64) -> Difference {
    let rel = if ma > 0.0 {
        (mb - ma) / ma
    } else if mb > 0.0 {
        f64::INFINITY
    } else {
        0.0
    };
    let rel_se = if ma > 0.0 { se / ma } else { 0.0 };
    let significant = enough && (mb - ma).abs() > Z * se;
    Difference {
        a: ma,
        b: mb,
        rel,
        rel_se,
        significant,
        flagged: significant && rel.abs() > threshold,
    }
}

// ------------------------------------------------------------------------------------------------
// The comparison.

/// What the anchor says about one kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Same instructions; time within the threshold or the noise.
    Same,
    /// Same instructions, time differs beyond threshold and noise: the callers make the kernel
    /// slower or faster (alignment, stack layout, argument passing, cache state).
    CallerInduced,
    /// Time differs beyond the threshold but not beyond the noise: more runs would tell.
    Noisy,
    /// The instruction counts differ: the sides did not run the kernel on the same work (not
    /// bit-exact, or different dispatch).
    InstructionsDiffer,
    /// Executed by one side only.
    OneSideOnly,
    /// No perf data: instruction counts only.
    NoTime,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Same => "same",
            Verdict::CallerInduced => "FLAG caller-induced",
            Verdict::Noisy => "noisy",
            Verdict::InstructionsDiffer => "FLAG instructions differ",
            Verdict::OneSideOnly => "FLAG one side only",
            Verdict::NoTime => "no time data",
        }
    }

    pub fn flagged(self) -> bool {
        matches!(
            self,
            Verdict::CallerInduced | Verdict::InstructionsDiffer | Verdict::OneSideOnly
        )
    }
}

/// One shared kernel, both sides.
#[derive(Debug, Clone)]
pub struct KernelRow {
    pub name: String,
    pub ir_a: u64,
    pub ir_b: u64,
    /// cpu-clock samples per run (None without perf).
    pub time: Option<Difference>,
    /// Its share of all kernels' samples, run by run (None without perf).
    pub share: Option<Difference>,
    /// Share of the whole run's samples (mean over runs).
    pub run_share_a: f64,
    pub run_share_b: f64,
    pub verdict: Verdict,
}

/// Per run: the samples of all the given kernels together.
pub fn kernel_totals(p: &PerfProfile, names: &[&str]) -> Vec<f64> {
    p.runs
        .iter()
        .map(|r| {
            names
                .iter()
                .map(|n| r.get(*n).copied().unwrap_or(0) as f64)
                .sum()
        })
        .collect()
}

/// The kernel anchor: every kernel either side executed, with its verdict.
///
/// Instruction counts first: a kernel executed by one side only, or with different counts, is
/// flagged whatever its time. Then time: flagged as caller-induced when its cpu-clock time per
/// run ([`flag_difference`]) or its share of all kernel time ([`flag_share_difference`])
/// differs beyond `threshold` and the noise; "noisy" when the share differs beyond the
/// threshold within the noise.
pub fn compare_kernels(
    a: &CallgrindProfile,
    b: &CallgrindProfile,
    perf: Option<(&PerfProfile, &PerfProfile)>,
    threshold: f64,
) -> Vec<KernelRow> {
    let names: BTreeSet<&String> = a
        .functions
        .values()
        .chain(b.functions.values())
        .filter(|f| f.category == Category::Kernel && f.ir > 0)
        .map(|f| &f.name)
        .collect();
    let name_list: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
    let totals =
        perf.map(|(pa, pb)| (kernel_totals(pa, &name_list), kernel_totals(pb, &name_list)));
    let mut rows = Vec::new();
    for name in names {
        let (ir_a, ir_b) = (a.ir(name), b.ir(name));
        let time =
            perf.map(|(pa, pb)| flag_difference(&pa.per_run(name), &pb.per_run(name), threshold));
        let share = perf.zip(totals.as_ref()).map(|((pa, pb), (ta, tb))| {
            flag_share_difference(&pa.per_run(name), ta, &pb.per_run(name), tb, threshold)
        });
        let run_share = |p: &PerfProfile| {
            let t = p.mean_total();
            if t > 0.0 { p.mean(name) / t } else { 0.0 }
        };
        let (run_share_a, run_share_b) =
            perf.map_or((0.0, 0.0), |(pa, pb)| (run_share(pa), run_share(pb)));
        let verdict = if ir_a == 0 || ir_b == 0 {
            Verdict::OneSideOnly
        } else if ir_a != ir_b {
            Verdict::InstructionsDiffer
        } else {
            match (time, share) {
                (Some(t), Some(s)) if t.flagged || s.flagged => Verdict::CallerInduced,
                (Some(_), Some(s)) if s.rel.abs() > threshold => Verdict::Noisy,
                (Some(_), Some(_)) => Verdict::Same,
                _ => Verdict::NoTime,
            }
        };
        rows.push(KernelRow {
            name: name.clone(),
            ir_a,
            ir_b,
            time,
            share,
            run_share_a,
            run_share_b,
            verdict,
        });
    }
    rows.sort_by(|x, y| {
        (y.ir_a.max(y.ir_b))
            .cmp(&x.ir_a.max(x.ir_b))
            .then(x.name.cmp(&y.name))
    });
    rows
}

/// One function, both sides.
#[derive(Debug, Clone)]
pub struct FnRow {
    pub name: String,
    pub category: Category,
    pub ir_a: u64,
    pub ir_b: u64,
    /// Mean cpu-clock samples per run.
    pub samples_a: Option<f64>,
    pub samples_b: Option<f64>,
}

impl FnRow {
    pub fn ratio(&self) -> Option<f64> {
        (self.ir_a > 0).then(|| self.ir_b as f64 / self.ir_a as f64)
    }

    pub fn diff(&self) -> i64 {
        self.ir_b as i64 - self.ir_a as i64
    }
}

/// Every function either side executed, sorted by the larger of the two instruction counts.
pub fn compare_functions(
    a: &CallgrindProfile,
    b: &CallgrindProfile,
    perf: Option<(&PerfProfile, &PerfProfile)>,
) -> Vec<FnRow> {
    let names: BTreeSet<&String> = a.functions.keys().chain(b.functions.keys()).collect();
    let mut rows: Vec<FnRow> = names
        .into_iter()
        .map(|n| {
            let cat = match (a.functions.get(n), b.functions.get(n)) {
                (Some(x), Some(y)) => x.category.min(y.category),
                (Some(x), None) | (None, Some(x)) => x.category,
                (None, None) => Category::Other,
            };
            FnRow {
                name: n.clone(),
                category: cat,
                ir_a: a.ir(n),
                ir_b: b.ir(n),
                samples_a: perf.map(|(p, _)| p.mean(n)),
                samples_b: perf.map(|(_, p)| p.mean(n)),
            }
        })
        .collect();
    rows.sort_by(|x, y| {
        y.ir_a
            .max(y.ir_b)
            .cmp(&x.ir_a.max(x.ir_b))
            .then(x.name.cmp(&y.name))
    });
    rows
}

// ------------------------------------------------------------------------------------------------
// Running.

/// One side of the comparison: a label and a command line (without the stream arguments).
#[derive(Debug, Clone)]
pub struct Side {
    pub label: String,
    pub program: PathBuf,
    /// Extra arguments (e.g. `--stage c`).
    pub extra: Vec<String>,
}

impl Side {
    fn args(&self, stream: &Path, a: &ProfileArgs, muxer: &str) -> Vec<String> {
        let mut v: Vec<String> = vec![
            "-i".into(),
            stream.to_string_lossy().into_owned(),
            "--muxer".into(),
            muxer.into(),
            "-q".into(),
            "--threads".into(),
            a.threads.to_string(),
        ];
        if let Some(m) = &a.cpumask {
            v.extend(["--cpumask".into(), m.clone()]);
        }
        if let Some(n) = a.limit {
            v.extend(["--limit".into(), n.to_string()]);
        }
        v.extend(self.extra.iter().cloned());
        v
    }

    fn display(&self, stream: &Path, a: &ProfileArgs) -> String {
        std::iter::once(self.program.to_string_lossy().into_owned())
            .chain(self.args(stream, a, "null"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(tool).is_file()))
}

/// Today's date (UTC), YYYY-MM-DD.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    // Howard Hinnant's civil_from_days.
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The release vp8dec: `--vp8dec`, else target/release/vp8dec after `cargo build --release`.
fn release_vp8dec(a: &ProfileArgs, note: &dyn Fn(&str)) -> Result<PathBuf, String> {
    if let Some(p) = &a.vp8dec {
        return Ok(resolve(p));
    }
    note("building the release vp8dec: cargo build --release -p portlab --bin vp8dec ...");
    let (mut cmd, p) = vp8dec_build(&target_dir(&workspace_root()), "release");
    match cmd.arg("-q").status() {
        Ok(s) if s.success() => {}
        Ok(s) => return Err(format!("cargo build of the release vp8dec failed ({s})")),
        Err(e) => note(&format!("cannot run cargo ({e}); using what is there")),
    }
    if p.is_file() {
        Ok(p)
    } else {
        Err(format!("no {}: build it or pass --vp8dec", p.display()))
    }
}

fn short_path(p: &Path) -> String {
    let comps: Vec<String> = p
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    comps[comps.len().saturating_sub(2)..].join("/")
}

fn make_sides(a: &ProfileArgs, note: &dyn Fn(&str)) -> Result<Vec<Side>, String> {
    let stage_names: Option<Vec<String>> = a.stages.as_ref().map(|s| {
        s.split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect()
    });
    let mut sides = Vec::new();
    if !a.binaries.is_empty() {
        if a.binaries.len() != 2 {
            return Err(format!(
                "--binaries needs two paths (A,B), got {}",
                a.binaries.len()
            ));
        }
        let stages = stage_names.unwrap_or_default();
        if stages.len() > 2 {
            return Err("--stages with --binaries: one stage for both, or one per binary".into());
        }
        for (i, b) in a.binaries.iter().enumerate() {
            let p = resolve(b);
            if !p.is_file() {
                return Err(format!("{}: no such binary", p.display()));
            }
            let st = stages.get(i).or(stages.first());
            let mut label = short_path(&p);
            let mut extra = Vec::new();
            if let Some(s) = st.filter(|s| s.as_str() != "-") {
                label = format!("{label} --stage {s}");
                extra = vec!["--stage".to_string(), s.clone()];
            }
            sides.push(Side {
                label,
                program: p,
                extra,
            });
        }
        if sides[0].label == sides[1].label {
            sides[0].label += " (A)";
            sides[1].label += " (B)";
        }
    } else {
        // Default: the first two stages of the migration, C and transpiled.
        let names = stage_names
            .unwrap_or_else(|| STAGES.iter().take(2).map(|s| s.name.to_string()).collect());
        if names.len() != 2 {
            return Err(format!(
                "--stages needs two stages (A,B), got {}",
                names.len()
            ));
        }
        for n in &names {
            stage::stage_by_name(n)?;
        }
        let vp8dec = release_vp8dec(a, note)?;
        for n in names {
            sides.push(Side {
                label: n.clone(),
                program: vp8dec.clone(),
                extra: vec!["--stage".into(), n],
            });
        }
    }
    if !a.labels.is_empty() {
        if a.labels.len() != 2 {
            return Err("--labels needs two names (A,B)".into());
        }
        for (s, l) in sides.iter_mut().zip(&a.labels) {
            s.label = l.clone();
        }
    }
    Ok(sides)
}

fn tail_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

fn run_callgrind(
    side: &Side,
    stream: &Path,
    a: &ProfileArgs,
    out: &Path,
    annotate: Option<&str>,
) -> Result<CallgrindProfile, String> {
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--dump-instr=yes")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(&side.program)
        .args(side.args(stream, a, "null"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "callgrind run of {} failed ({}):\n{}",
            side.label,
            output.status,
            tail_lines(&String::from_utf8_lossy(&output.stderr), 15)
        ));
    }
    let text = std::fs::read_to_string(out).map_err(|e| format!("{}: {e}", out.display()))?;
    parse_callgrind(&text, annotate).map_err(|e| format!("{}: {e}", out.display()))
}

/// Can perf record cpu-clock here? Err(reason) if not.
fn perf_usable(scratch: &Path) -> Result<String, String> {
    if !on_path("perf") {
        return Err("perf is not installed (apt-get install linux-perf)".into());
    }
    let version = first_line("perf", &["--version"]).unwrap_or_default();
    let data = scratch.join("perf-probe.data");
    let out = Command::new("perf")
        .args(["record", "-q", "-e", "cpu-clock", "-o"])
        .arg(&data)
        .args(["--", "true"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run perf: {e}"))?;
    std::fs::remove_file(&data).ok();
    if out.status.success() {
        Ok(version)
    } else {
        Err(format!(
            "`perf record -e cpu-clock` fails here ({}): {}",
            out.status,
            tail_lines(&String::from_utf8_lossy(&out.stderr), 3).replace('\n', " ")
        ))
    }
}

fn run_perf(
    side: &Side,
    stream: &Path,
    a: &ProfileArgs,
    data: &Path,
) -> Result<(HashMap<String, u64>, u64), String> {
    let out = Command::new("perf")
        .args(["record", "-q", "-e", "cpu-clock", "-c"])
        .arg((a.perf_period_us * 1000).to_string())
        .arg("-o")
        .arg(data)
        .arg("--")
        .arg(&side.program)
        .args(side.args(stream, a, "null"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run perf: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "perf record of {} failed ({}): {}",
            side.label,
            out.status,
            tail_lines(&String::from_utf8_lossy(&out.stderr), 5)
        ));
    }
    let script = Command::new("perf")
        .args(["script", "-F", "ip,sym,dso", "-i"])
        .arg(data)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run perf script: {e}"))?;
    if !script.status.success() {
        return Err(format!(
            "perf script failed: {}",
            tail_lines(&String::from_utf8_lossy(&script.stderr), 5)
        ));
    }
    Ok(parse_perf_script(&String::from_utf8_lossy(&script.stdout)))
}

fn md5_of(side: &Side, stream: &Path, a: &ProfileArgs) -> Option<String> {
    let out = Command::new(&side.program)
        .args(side.args(stream, a, "md5"))
        .stdin(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .split(|c: char| !c.is_ascii_hexdigit())
        .find(|w| w.len() == 32)
        .map(str::to_ascii_lowercase)
}

// ------------------------------------------------------------------------------------------------
// Annotation.

/// One line of one side in the annotated view: an instruction, or a branch target's label.
#[derive(Debug, Clone)]
pub struct AsmLine {
    pub addr: u64,
    /// As `portlab inspect disasm` prints it (Intel syntax, labels, callee names).
    pub text: String,
    pub ir: u64,
    pub source: String,
    /// A label line (`L3:`): no instruction of its own, no count.
    pub label: bool,
}

impl AsmLine {
    fn opcode(&self) -> &str {
        self.text.split_ascii_whitespace().next().unwrap_or("")
    }
}

/// The lines of `name` on one side with their counts: every function symbol of its object that
/// holds an executed instruction of it (the body and its clones, `.cold` parts), disassembled by
/// `inspect`'s disassembler, so a function reads the same in both tools.
fn annotate_side(prof: &CallgrindProfile, name: &str) -> Result<Vec<AsmLine>, String> {
    let f = prof
        .functions
        .get(name)
        .ok_or_else(|| format!("function '{name}' was not executed"))?;
    let object = f
        .objects
        .iter()
        .find(|o| Path::new(o).is_file())
        .map(PathBuf::from)
        .ok_or_else(|| format!("no object file for '{name}' ({:?})", f.objects))?;
    let b = Binary::load(&object, &Classifier::project(&workspace_root()))?;
    let mut funcs: Vec<usize> = prof
        .instrs
        .keys()
        .filter_map(|&a| b.func_containing(a))
        .collect();
    funcs.sort_by_key(|&i| b.funcs[i].addr);
    funcs.dedup();
    if funcs.is_empty() {
        return Err(format!(
            "{}: no function symbol holds the executed instructions of '{name}'",
            object.display()
        ));
    }
    let mut v = Vec::new();
    for fi in funcs {
        let start = b.funcs[fi].addr;
        for (offset, text) in disasm::normalised(&b, fi, &b.decode(fi), false) {
            let addr = start + offset;
            let label = !text.starts_with(' ');
            let c = prof.instrs.get(&addr).filter(|_| !label);
            v.push(AsmLine {
                addr,
                text: text.trim().to_string(),
                ir: c.map_or(0, |c| c.ir),
                source: c
                    .filter(|c| !c.file.is_empty())
                    .map(|c| {
                        format!(
                            "{}:{}",
                            Path::new(&c.file)
                                .file_name()
                                .map_or(c.file.clone(), |f| f.to_string_lossy().into_owned()),
                            c.line
                        )
                    })
                    .unwrap_or_default(),
                label,
            });
        }
    }
    Ok(v)
}

/// Pair the two instruction lists by opcode (a diff of the opcode sequences): rows of
/// (left, right), either side possibly missing.
pub fn align_asm(a: &[AsmLine], b: &[AsmLine]) -> Vec<(Option<usize>, Option<usize>)> {
    let oa: Vec<&str> = a.iter().map(AsmLine::opcode).collect();
    let ob: Vec<&str> = b.iter().map(AsmLine::opcode).collect();
    crate::inspect::disasm::diff_rows(&oa, &ob)
        .into_iter()
        .map(|(l, r, _)| (l, r))
        .collect()
}

// ------------------------------------------------------------------------------------------------
// Report.

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn signed_thousands(n: i64) -> String {
    if n < 0 {
        format!("−{}", thousands(n.unsigned_abs()))
    } else {
        format!("+{}", thousands(n as u64))
    }
}

fn ratio_text(r: Option<f64>) -> String {
    r.map_or("-".into(), |r| format!("{r:.3}"))
}

fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:+.1}%", x * 100.0)
    } else {
        "new".into()
    }
}

/// Everything `portlab profile` measured.
#[derive(Debug)]
pub struct Profile {
    pub sides: Vec<Side>,
    pub commands: Vec<String>,
    pub callgrind: Vec<CallgrindProfile>,
    pub callgrind_files: Vec<PathBuf>,
    pub perf: Option<Vec<PerfProfile>>,
    /// Why perf is missing, if it is.
    pub perf_note: String,
    pub md5: Vec<Option<String>>,
    pub kernels: Vec<KernelRow>,
    /// All kernels together: samples per run, B vs A (a caller effect that slows every kernel
    /// alike shows here and not in the per-kernel shares).
    pub kernels_total: Option<Difference>,
    pub functions: Vec<FnRow>,
    pub annotate: Option<(Vec<AsmLine>, Vec<AsmLine>)>,
    pub meta: Value,
}

fn finite(x: f64) -> Value {
    if x.is_finite() { json!(x) } else { Value::Null }
}

fn perf_pair(p: &Option<Vec<PerfProfile>>) -> Option<(&PerfProfile, &PerfProfile)> {
    p.as_ref().map(|v| (&v[0], &v[1]))
}

impl Profile {
    pub fn to_json(&self, a: &ProfileArgs) -> Value {
        let labels: Vec<&str> = self.sides.iter().map(|s| s.label.as_str()).collect();
        let perf = perf_pair(&self.perf);
        let totals: Vec<Value> = (0..2)
            .map(|i| {
                let c = &self.callgrind[i];
                json!({
                    "label": labels[i],
                    "command": self.commands[i],
                    "md5": self.md5[i],
                    "callgrind_out": self.callgrind_files[i].display().to_string(),
                    "instructions": c.total,
                    "instructions_decoder": c.category_total(Category::Decoder),
                    "instructions_kernels": c.category_total(Category::Kernel),
                    "instructions_other": c.category_total(Category::Other),
                    "perf_samples_per_run": self.perf.as_ref().map(|p| p[i].mean_total()),
                    "perf_ms_per_run": self.perf.as_ref().map(|p| p[i].ms(p[i].mean_total())),
                })
            })
            .collect();
        let kernels: Vec<Value> = self
            .kernels
            .iter()
            .map(|k| {
                json!({
                    "name": k.name,
                    "ir_a": k.ir_a,
                    "ir_b": k.ir_b,
                    "ir_equal": k.ir_a == k.ir_b,
                    "samples_per_run_a": k.time.map(|t| t.a),
                    "samples_per_run_b": k.time.map(|t| t.b),
                    "ms_per_run_a": perf.map(|(p, _)| p.ms(k.time.map_or(0.0, |t| t.a))),
                    "ms_per_run_b": perf.map(|(_, p)| p.ms(k.time.map_or(0.0, |t| t.b))),
                    "samples_a": perf.map(|(p, _)| p.per_run(&k.name)),
                    "samples_b": perf.map(|(_, p)| p.per_run(&k.name)),
                    "run_time_share_a": perf.map(|_| k.run_share_a),
                    "run_time_share_b": perf.map(|_| k.run_share_b),
                    "time_rel_diff": k.time.map(|t| finite(t.rel)),
                    "time_rel_se": k.time.map(|t| t.rel_se),
                    "time_significant": k.time.map(|t| t.significant),
                    "kernel_share_a": k.share.map(|s| s.a),
                    "kernel_share_b": k.share.map(|s| s.b),
                    "kernel_share_rel_diff": k.share.map(|s| finite(s.rel)),
                    "kernel_share_rel_se": k.share.map(|s| s.rel_se),
                    "kernel_share_significant": k.share.map(|s| s.significant),
                    "verdict": k.verdict.name(),
                    "flagged": k.verdict.flagged(),
                })
            })
            .collect();
        let functions: Vec<Value> = self
            .functions
            .iter()
            .map(|f| {
                let sym = |i: usize| {
                    self.callgrind[i]
                        .functions
                        .get(&f.name)
                        .map(|x| x.symbols.iter().cloned().collect::<Vec<_>>())
                        .unwrap_or_default()
                };
                json!({
                    "name": f.name,
                    "category": f.category.name(),
                    "ir_a": f.ir_a,
                    "ir_b": f.ir_b,
                    "ratio": f.ratio(),
                    "diff": f.diff(),
                    "samples_per_run_a": f.samples_a,
                    "samples_per_run_b": f.samples_b,
                    "symbols_a": sym(0),
                    "symbols_b": sym(1),
                })
            })
            .collect();
        let annotate = self.annotate.as_ref().map(|(la, lb)| {
            let rows = align_asm(la, lb);
            let cell = |l: Option<&AsmLine>| {
                l.map(|l| json!({"addr": format!("{:#x}", l.addr), "instr": l.text, "ir": l.ir, "source": l.source}))
            };
            json!({
                "function": a.function,
                "rows": rows.iter().map(|(x, y)| json!({
                    "a": cell(x.map(|i| &la[i])),
                    "b": cell(y.map(|i| &lb[i])),
                })).collect::<Vec<_>>(),
            })
        });
        json!({
            "meta": self.meta,
            "sides": totals,
            "kernels_total": self.kernels_total.map(|d| json!({
                "samples_per_run_a": d.a,
                "samples_per_run_b": d.b,
                "rel_diff": finite(d.rel),
                "rel_se": d.rel_se,
                "significant": d.significant,
                "flagged": d.flagged,
            })),
            "kernels": kernels,
            "functions": functions,
            "annotate": annotate,
        })
    }

    pub fn markdown(&self, a: &ProfileArgs) -> String {
        let mut m = String::new();
        let (la, lb) = (&self.sides[0].label, &self.sides[1].label);
        let meta = &self.meta;
        let (ca, cb) = (&self.callgrind[0], &self.callgrind[1]);
        let perf = perf_pair(&self.perf);
        writeln!(m, "# portlab profile: {la} (A) vs {lb} (B)\n").unwrap();
        writeln!(
            m,
            "- Stream `{}`{}, threads {}, cpumask {}; {} on {} ({} CPUs), {}",
            meta["stream"].as_str().unwrap_or(""),
            a.limit
                .map_or(String::new(), |n| format!(" (first {n} frames)")),
            a.threads,
            a.cpumask.as_deref().unwrap_or("all"),
            meta["date"].as_str().unwrap_or(""),
            meta["cpu_model"].as_str().unwrap_or(""),
            meta["nproc"],
            meta["host_note"].as_str().unwrap_or("")
        )
        .unwrap();
        for (i, s) in self.sides.iter().enumerate() {
            writeln!(
                m,
                "- {} = {}: `{}` (output md5 {})",
                ["A", "B"][i],
                s.label,
                self.commands[i],
                self.md5[i].as_deref().unwrap_or("?")
            )
            .unwrap();
        }
        let same_output = self.md5[0].is_some() && self.md5[0] == self.md5[1];
        writeln!(
            m,
            "- Output: {}",
            if same_output {
                "identical (bit-exact)"
            } else {
                "**differs or unknown**: kernel counts need not match"
            }
        )
        .unwrap();
        writeln!(
            m,
            "- Instructions: {}, `valgrind --tool=callgrind --dump-instr=yes`, self cost per canonical function (inlined code included, callees not); outputs {} and {}",
            meta["valgrind"].as_str().unwrap_or("valgrind"),
            self.callgrind_files[0].display(),
            self.callgrind_files[1].display()
        )
        .unwrap();
        match perf {
            Some((pa, _)) => writeln!(
                m,
                "- Time: {}, `perf record -e cpu-clock -c {}` ({} µs per sample), {} runs per side, interleaved; ms = samples × period, mean per run",
                meta["perf"].as_str().unwrap_or("perf"),
                pa.period_ns,
                pa.period_ns / 1000,
                pa.runs.len()
            )
            .unwrap(),
            None => writeln!(m, "- Time: **no perf data**: {}", self.perf_note).unwrap(),
        }
        writeln!(m, "- Ratios are B ÷ A (above 1: {lb} costs more).\n").unwrap();

        // Totals.
        writeln!(m, "## Totals\n").unwrap();
        writeln!(m, "| | {la} | {lb} | B ÷ A |\n|---|---:|---:|---:|").unwrap();
        let row = |m: &mut String, what: &str, x: u64, y: u64| {
            writeln!(
                m,
                "| {what} | {} | {} | {} |",
                thousands(x),
                thousands(y),
                ratio_text((x > 0).then(|| y as f64 / x as f64))
            )
            .unwrap();
        };
        row(&mut m, "instructions, whole process", ca.total, cb.total);
        row(
            &mut m,
            "… decoder code (C / Rust stage functions)",
            ca.category_total(Category::Decoder),
            cb.category_total(Category::Decoder),
        );
        row(
            &mut m,
            "… shared asm kernels",
            ca.category_total(Category::Kernel),
            cb.category_total(Category::Kernel),
        );
        row(
            &mut m,
            "… other (CLI, runtime, libc, loader)",
            ca.category_total(Category::Other),
            cb.category_total(Category::Other),
        );
        if let Some((pa, pb)) = perf {
            let (ta, tb) = (pa.mean_total(), pb.mean_total());
            writeln!(
                m,
                "| cpu-clock ms per run (perf) | {:.1} | {:.1} | {} |",
                pa.ms(ta),
                pb.ms(tb),
                ratio_text((ta > 0.0).then(|| tb / ta))
            )
            .unwrap();
        }
        writeln!(m).unwrap();

        if let Some(name) = &a.function {
            writeln!(m, "## `{name}`\n").unwrap();
            match self.functions.iter().find(|f| &f.name == name) {
                Some(f) => {
                    fn_table(&mut m, la, lb, std::slice::from_ref(f), perf);
                    for (i, c) in [ca, cb].iter().enumerate() {
                        if let Some(x) = c.functions.get(name) {
                            writeln!(
                                m,
                                "- {} symbols: {}",
                                ["A", "B"][i],
                                x.symbols
                                    .iter()
                                    .map(|s| format!("`{s}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                            .unwrap();
                        }
                    }
                    writeln!(m).unwrap();
                }
                None => writeln!(m, "Not executed by either side.\n").unwrap(),
            }
        }

        // Kernels.
        let flagged: Vec<&KernelRow> = self
            .kernels
            .iter()
            .filter(|k| k.verdict.flagged())
            .collect();
        let same_ir = self.kernels.iter().filter(|k| k.ir_a == k.ir_b).count();
        writeln!(m, "## Shared asm kernels (the anchor)\n").unwrap();
        writeln!(
            m,
            "{} kernels executed; {} with identical instruction counts; threshold {}%; flagged: {}.\n",
            self.kernels.len(),
            same_ir,
            a.threshold,
            if flagged.is_empty() {
                "none".to_string()
            } else {
                flagged.iter().map(|k| format!("`{}` ({})", k.name, k.verdict.name())).collect::<Vec<_>>().join(", ")
            }
        )
        .unwrap();
        if let (Some((pa, pb)), Some(d)) = (perf, self.kernels_total) {
            writeln!(
                m,
                "All kernels together: {:.1} ms/run in {la}, {:.1} in {lb}: {} (±{:.1}% at {Z}σ){}.\n",
                pa.ms(d.a),
                pb.ms(d.b),
                pct(d.rel),
                Z * d.rel_se * 100.0,
                if d.flagged {
                    " — **FLAG: every kernel together differs, a caller effect common to all kernels**"
                } else if d.rel.abs() > a.threshold / 100.0 {
                    " — beyond the threshold but within the noise"
                } else {
                    ""
                }
            )
            .unwrap();
            writeln!(
                m,
                "*time* = cpu-clock ms per run, which moves with the whole machine; *share* = the kernel's share of all kernel samples within each run, which cancels what slows a run as a whole (noise on a shared VM) and isolates what is particular to one kernel. ±: {Z} standard errors of the run-to-run spread (at least the sampling noise). A verdict needs at least {MIN_SAMPLES} samples.\n"
            )
            .unwrap();
            writeln!(
                m,
                "| kernel | Ir {la} | Ir {lb} | Ir equal | ms/run {la} | ms/run {lb} | time B vs A | share {la} | share {lb} | share B vs A | verdict |\n|---|---:|---:|:-:|---:|---:|---:|---:|---:|---:|---|"
            )
            .unwrap();
        } else {
            writeln!(
                m,
                "| kernel | Ir {la} | Ir {lb} | Ir equal | verdict |\n|---|---:|---:|:-:|---|"
            )
            .unwrap();
        }
        for k in &self.kernels {
            let eq = if k.ir_a == k.ir_b { "yes" } else { "**NO**" };
            match (perf, k.time, k.share) {
                (Some((pa, pb)), Some(t), Some(s)) => writeln!(
                    m,
                    "| `{}` | {} | {} | {eq} | {:.2} | {:.2} | {} ±{:.1}% | {:.2}% | {:.2}% | {} ±{:.1}% | {} |",
                    k.name,
                    thousands(k.ir_a),
                    thousands(k.ir_b),
                    pa.ms(t.a),
                    pb.ms(t.b),
                    pct(t.rel),
                    Z * t.rel_se * 100.0,
                    s.a * 100.0,
                    s.b * 100.0,
                    pct(s.rel),
                    Z * s.rel_se * 100.0,
                    k.verdict.name()
                )
                .unwrap(),
                _ => writeln!(
                    m,
                    "| `{}` | {} | {} | {eq} | {} |",
                    k.name,
                    thousands(k.ir_a),
                    thousands(k.ir_b),
                    k.verdict.name()
                )
                .unwrap(),
            }
        }
        writeln!(m).unwrap();

        // Functions.
        let top: Vec<FnRow> = self.functions.iter().take(a.top).cloned().collect();
        writeln!(m, "## Top {} functions by instructions\n", top.len()).unwrap();
        fn_table(&mut m, la, lb, &top, perf);
        writeln!(m).unwrap();
        let mut differ: Vec<FnRow> = self
            .functions
            .iter()
            .filter(|f| f.ir_a != f.ir_b)
            .cloned()
            .collect();
        differ.sort_by_key(|f| std::cmp::Reverse(f.diff().unsigned_abs()));
        differ.truncate(a.top);
        writeln!(m, "## Functions whose instruction counts differ most\n").unwrap();
        writeln!(
            m,
            "A function present on one side only was inlined (or split out) differently; its cost moved to or from its callers.\n"
        )
        .unwrap();
        writeln!(
            m,
            "| function | kind | Ir {la} | Ir {lb} | B − A | B ÷ A |\n|---|---|---:|---:|---:|---:|"
        )
        .unwrap();
        for f in &differ {
            writeln!(
                m,
                "| `{}` | {} | {} | {} | {} | {} |",
                f.name,
                f.category.name(),
                thousands(f.ir_a),
                thousands(f.ir_b),
                signed_thousands(f.diff()),
                ratio_text(f.ratio())
            )
            .unwrap();
        }
        writeln!(m).unwrap();

        if let Some((xa, xb)) = &self.annotate {
            let name = a.function.as_deref().unwrap_or("");
            let (ta, tb): (u64, u64) =
                (xa.iter().map(|l| l.ir).sum(), xb.iter().map(|l| l.ir).sum());
            let instructions = |x: &[AsmLine]| x.iter().filter(|l| !l.label).count();
            writeln!(m, "## `{name}` instruction by instruction\n").unwrap();
            writeln!(
                m,
                "{la}: {} instructions in the code, {} executed; {lb}: {} in the code, {} executed. Rows are paired by a diff of the opcode sequences.\n",
                instructions(xa),
                thousands(ta),
                instructions(xb),
                thousands(tb)
            )
            .unwrap();
            writeln!(
                m,
                "| {la} addr | source | instruction | Ir | Ir | instruction | source | {lb} addr |\n|---|---|---|---:|---:|---|---|---|"
            )
            .unwrap();
            let esc = |s: &str| s.replace('|', "\\|");
            for (x, y) in align_asm(xa, xb) {
                let l = x.map(|i| &xa[i]);
                let r = y.map(|i| &xb[i]);
                writeln!(
                    m,
                    "| {} | {} | {} | {} | {} | {} | {} | {} |",
                    l.map_or(String::new(), |l| format!("{:x}", l.addr)),
                    l.map_or("", |l| l.source.as_str()),
                    l.map_or(String::new(), |l| format!("`{}`", esc(&l.text))),
                    l.filter(|l| !l.label)
                        .map_or(String::new(), |l| thousands(l.ir)),
                    r.filter(|r| !r.label)
                        .map_or(String::new(), |r| thousands(r.ir)),
                    r.map_or(String::new(), |r| format!("`{}`", esc(&r.text))),
                    r.map_or("", |r| r.source.as_str()),
                    r.map_or(String::new(), |r| format!("{:x}", r.addr)),
                )
                .unwrap();
            }
            writeln!(m).unwrap();
        }
        m
    }
}

fn fn_table(
    m: &mut String,
    la: &str,
    lb: &str,
    rows: &[FnRow],
    perf: Option<(&PerfProfile, &PerfProfile)>,
) {
    if perf.is_some() {
        writeln!(
            m,
            "| function | kind | Ir {la} | Ir {lb} | B ÷ A | ms/run {la} | ms/run {lb} |\n|---|---|---:|---:|---:|---:|---:|"
        )
        .unwrap();
    } else {
        writeln!(
            m,
            "| function | kind | Ir {la} | Ir {lb} | B ÷ A |\n|---|---|---:|---:|---:|"
        )
        .unwrap();
    }
    for f in rows {
        write!(
            m,
            "| `{}` | {} | {} | {} | {} |",
            f.name,
            f.category.name(),
            thousands(f.ir_a),
            thousands(f.ir_b),
            ratio_text(f.ratio())
        )
        .unwrap();
        if let Some((pa, pb)) = perf {
            write!(
                m,
                " {:.2} | {:.2} |",
                pa.ms(f.samples_a.unwrap_or(0.0)),
                pb.ms(f.samples_b.unwrap_or(0.0))
            )
            .unwrap();
        }
        writeln!(m).unwrap();
    }
}

// ------------------------------------------------------------------------------------------------
// SVG charts.

/// The kernel chart's file next to the function chart's: `x.svg` -> `x-kernels.svg`.
pub fn kernel_svg_path(p: &Path) -> PathBuf {
    let stem = p
        .file_stem()
        .map_or("profile".into(), |s| s.to_string_lossy().into_owned());
    let ext = p
        .extension()
        .map_or("svg".into(), |e| e.to_string_lossy().into_owned());
    p.with_file_name(format!("{stem}-kernels.{ext}"))
}

/// Horizontal grouped bars: for each row, one bar per series. `values[row][series]`.
pub fn svg_grouped_bars(
    path: &Path,
    title: &str,
    x_label: &str,
    rows: &[String],
    series: &[String],
    values: &[Vec<f64>],
) -> Result<(), String> {
    use plotters::coord::ranged1d::SegmentValue;
    use plotters::prelude::*;
    let n = rows.len().max(1);
    let height = (120 + 34 * n) as u32;
    let root = SVGBackend::new(path, (1000, height)).into_drawing_area();
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let max = values
        .iter()
        .flatten()
        .copied()
        .fold(0.0f64, f64::max)
        .max(1e-9)
        * 1.08;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(230)
        .build_cartesian_2d(0f64..max, (0..n - 1).into_segmented())
        .map_err(|e| err(&e))?;
    let labels: Vec<String> = rows.to_vec();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc(x_label)
        .y_labels(n)
        .y_label_formatter(&|v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => n
                .checked_sub(1 + *i)
                .and_then(|r| labels.get(r))
                .cloned()
                .unwrap_or_default(),
            SegmentValue::Last => String::new(),
        })
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(|e| err(&e))?;
    let colors = [RGBColor(70, 110, 190), RGBColor(220, 120, 40)];
    // Row 0 at the top (segment n-1). Series 0 in the upper half of its segment, series 1 in
    // the lower half (SegmentValue::Exact(i) is the segment's lower edge, CenterOf(i) its middle).
    for (s, name) in series.iter().take(2).enumerate() {
        let color = colors[s];
        chart
            .draw_series((0..rows.len()).map(|r| {
                let seg = n - 1 - r;
                let (y0, y1) = if s == 0 {
                    (SegmentValue::CenterOf(seg), SegmentValue::Exact(seg + 1))
                } else {
                    (SegmentValue::Exact(seg), SegmentValue::CenterOf(seg))
                };
                let mut bar = Rectangle::new([(0.0, y0), (values[r][s], y1)], color.filled());
                if s == 0 {
                    bar.set_margin(3, 0, 0, 0);
                } else {
                    bar.set_margin(0, 3, 0, 0);
                }
                bar
            }))
            .map_err(|e| err(&e))?
            .label(name.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 14))
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

/// The kernel anchor chart: for each kernel with at least 5 samples per run (at most 20, most
/// sampled first), two bars: its share of all kernel time B vs A (the precise measure) and its
/// cpu-clock time per run B vs A, in percent, each with a ±[`Z`]σ whisker, over the ±threshold
/// band; flagged kernels in red. The x axis is clipped to ±4×threshold (at least ±20%); the
/// values are also in the labels.
pub fn svg_kernels(
    path: &Path,
    title: &str,
    rows: &[KernelRow],
    threshold_pct: f64,
) -> Result<(), String> {
    use plotters::coord::ranged1d::SegmentValue;
    use plotters::prelude::*;
    let weight = |k: &KernelRow| k.time.map_or(0.0, |t| t.a.max(t.b));
    let mut shown: Vec<&KernelRow> = rows
        .iter()
        .filter(|k| weight(k) >= 5.0 && k.share.is_some())
        .collect();
    shown.sort_by(|x, y| weight(y).total_cmp(&weight(x)));
    shown.truncate(20);
    let total_kernels = rows.len();
    let same_ir = rows.iter().filter(|k| k.ir_a == k.ir_b).count();
    // Two segments per kernel, the first kernel at the top: segment 2(n-1-i)+1 = share,
    // 2(n-1-i) = time.
    let n = shown.len().max(1);
    let segs = 2 * n;
    let height = (160 + 40 * n) as u32;
    let root = SVGBackend::new(path, (1000, height)).into_drawing_area();
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let span = (threshold_pct * 4.0).max(20.0);
    let labels: Vec<String> = (0..segs)
        .map(|seg| {
            let i = n - 1 - seg / 2;
            let Some(k) = shown.get(i) else {
                return String::new();
            };
            let ir = if k.ir_a == k.ir_b { "" } else { " (Ir differ)" };
            if seg % 2 == 1 {
                format!(
                    "{} share {}{ir}",
                    k.name,
                    k.share.map_or("-".into(), |s| pct(s.rel))
                )
            } else {
                format!("time {}", k.time.map_or("-".into(), |t| pct(t.rel)))
            }
        })
        .collect();
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(55)
        .y_label_area_size(330)
        .build_cartesian_2d(-span..span, (0..segs - 1).into_segmented())
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(segs)
        .y_label_formatter(&|v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => labels.get(*i).cloned().unwrap_or_default(),
            SegmentValue::Last => String::new(),
        })
        .x_desc(format!(
            "B vs A (%), whiskers ±{Z}σ of the run-to-run noise; {same_ir} of {total_kernels} kernels have identical instruction counts"
        ))
        .label_style(("sans-serif", 12))
        .draw()
        .map_err(|e| err(&e))?;
    let band = RGBColor(225, 225, 225);
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [
                (-threshold_pct, SegmentValue::Exact(0)),
                (threshold_pct, SegmentValue::Last),
            ],
            band.filled(),
        )))
        .map_err(|e| err(&e))?
        .label(format!("±{threshold_pct}% threshold"))
        .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], band.filled()));
    let clip = |v: f64| v.clamp(-span, span);
    let blue = RGBColor(70, 110, 190);
    let light = RGBColor(150, 175, 225);
    let red = RGBColor(200, 50, 50);
    for (i, k) in shown.iter().enumerate() {
        let base = 2 * (n - 1 - i);
        for (seg, d, color) in [(base + 1, k.share, blue), (base, k.time, light)] {
            let Some(d) = d else { continue };
            let v = if d.rel.is_finite() {
                d.rel * 100.0
            } else {
                span
            };
            let e = Z * d.rel_se * 100.0;
            let color = if d.flagged { red } else { color };
            let mut bar = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(seg)),
                    (clip(v), SegmentValue::Exact(seg + 1)),
                ],
                color.filled(),
            );
            if seg == base + 1 {
                bar.set_margin(4, 0, 0, 0);
            } else {
                bar.set_margin(0, 8, 0, 0);
            }
            chart
                .draw_series(std::iter::once(bar))
                .map_err(|e| err(&e))?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![
                        (clip(v - e), SegmentValue::CenterOf(seg)),
                        (clip(v + e), SegmentValue::CenterOf(seg)),
                    ],
                    BLACK.stroke_width(1),
                )))
                .map_err(|e| err(&e))?;
        }
    }
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Last)],
            BLACK,
        )))
        .map_err(|e| err(&e))?;
    for (label, color) in [
        ("share of all kernel time, B vs A", blue),
        ("cpu-clock time per run, B vs A", light),
        ("flagged: caller-induced", red),
    ] {
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, SegmentValue<usize>)>>())
            .map_err(|e| err(&e))?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 12))
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// Main.

/// `portlab profile`: returns the exit code.
pub fn main(a: &ProfileArgs) -> u8 {
    match run(a) {
        Ok(p) => {
            if a.strict && p.kernels.iter().any(|k| k.ir_a != k.ir_b) {
                eprintln!("portlab profile: --strict: a shared kernel's instruction count differs");
                return 1;
            }
            0
        }
        Err(e) => {
            eprintln!("portlab profile: {e}");
            1
        }
    }
}

/// Measure, print and write everything; returns the profile.
pub fn run(a: &ProfileArgs) -> Result<Profile, String> {
    let quiet = a.quiet;
    let note = |m: &str| {
        if !quiet {
            eprintln!("portlab profile: {m}");
        }
    };
    if a.threshold.is_nan() || a.threshold < 0.0 {
        return Err("--threshold must be a percentage >= 0".into());
    }
    if let Some(m) = &a.cpumask {
        stage::parse_cpu_mask(m).ok_or_else(|| format!("unknown --cpumask '{m}'"))?;
    }
    let stream = resolve(&a.stream);
    if !stream.is_file() {
        return Err(format!("{}: no such stream", stream.display()));
    }
    let sides = make_sides(a, &note)?;
    if !on_path("valgrind") {
        return Err("needs valgrind for instruction counts (apt-get install valgrind)".into());
    }
    let scratch = resolve(&a.out);
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let file_tag = |s: &Side, i: usize| -> String {
        let t: String = s
            .label
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        format!("{}-{}", ["a", "b"][i], t.trim_matches('-'))
    };

    let md5: Vec<Option<String>> = sides.iter().map(|s| md5_of(s, &stream, a)).collect();
    if md5[0].is_none() || md5[1].is_none() {
        for (s, m) in sides.iter().zip(&md5) {
            if m.is_none() {
                return Err(format!(
                    "{} does not decode {} (`{}`)",
                    s.label,
                    stream.display(),
                    s.display(&stream, a)
                ));
            }
        }
    }
    if md5[0] != md5[1] {
        note("warning: the two sides' outputs differ: kernel instruction counts need not match");
    }

    // 1. callgrind.
    let mut callgrind = Vec::new();
    let mut files = Vec::new();
    for (i, s) in sides.iter().enumerate() {
        let out = scratch.join(format!("callgrind.{}.out", file_tag(s, i)));
        note(&format!("callgrind: {} ...", s.label));
        let annotate = if a.annotate {
            a.function.as_deref()
        } else {
            None
        };
        callgrind.push(run_callgrind(s, &stream, a, &out, annotate)?);
        files.push(out);
    }

    // 2. perf.
    let mut perf_note = String::new();
    let mut perf_version = Value::Null;
    let perf = if a.no_perf || a.perf_runs == 0 {
        perf_note = "skipped (--no-perf)".into();
        None
    } else {
        match perf_usable(&scratch) {
            Err(why) => {
                note(&format!("perf: {why}; continuing with callgrind only"));
                perf_note = why;
                None
            }
            Ok(version) => {
                perf_version = json!(version);
                let mut profs = vec![
                    PerfProfile {
                        period_ns: a.perf_period_us * 1000,
                        ..Default::default()
                    };
                    2
                ];
                note(&format!("perf: {} runs per side ...", a.perf_runs));
                let mut failed = None;
                'runs: for r in 0..a.perf_runs {
                    for (i, s) in sides.iter().enumerate() {
                        let data = scratch.join(format!("perf.{}.data", file_tag(s, i)));
                        match run_perf(s, &stream, a, &data) {
                            Ok((m, total)) => {
                                profs[i].runs.push(m);
                                profs[i].totals.push(total);
                            }
                            Err(e) => {
                                failed = Some(format!("run {}: {e}", r + 1));
                                break 'runs;
                            }
                        }
                    }
                }
                match failed {
                    Some(e) => {
                        note(&format!("perf: {e}; continuing with callgrind only"));
                        perf_note = e;
                        None
                    }
                    None => Some(profs),
                }
            }
        }
    };

    let pp = perf_pair(&perf);
    let kernels = compare_kernels(&callgrind[0], &callgrind[1], pp, a.threshold / 100.0);
    let kernel_names: Vec<&str> = kernels.iter().map(|k| k.name.as_str()).collect();
    let kernels_total = pp.map(|(pa, pb)| {
        flag_difference(
            &kernel_totals(pa, &kernel_names),
            &kernel_totals(pb, &kernel_names),
            a.threshold / 100.0,
        )
    });
    let functions = compare_functions(&callgrind[0], &callgrind[1], pp);
    let annotate = if a.annotate {
        let name = a.function.as_deref().unwrap_or("");
        Some((
            annotate_side(&callgrind[0], name)?,
            annotate_side(&callgrind[1], name)?,
        ))
    } else {
        None
    };
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
    let meta = json!({
        "tool": "portlab profile",
        "date": today(),
        "cpu_model": cpu_model(),
        "nproc": nproc,
        "host_note": if nproc <= 2 { "a shared, noisy VM: trust instruction counts over times" } else { "" },
        "stream": stream.display().to_string(),
        "limit": a.limit,
        "threads": a.threads,
        "cpumask": a.cpumask.clone().unwrap_or_else(|| "all".into()),
        "threshold_pct": a.threshold,
        "valgrind": first_line("valgrind", &["--version"]),
        "perf": perf_version,
        "perf_note": perf_note,
        "perf_runs": perf.as_ref().map(|_| a.perf_runs),
        "perf_period_us": perf.as_ref().map(|_| a.perf_period_us),
        "same_output": md5[0].is_some() && md5[0] == md5[1],
    });
    let commands: Vec<String> = sides.iter().map(|s| s.display(&stream, a)).collect();
    let profile = Profile {
        sides,
        commands,
        callgrind,
        callgrind_files: files,
        perf,
        perf_note,
        md5,
        kernels,
        kernels_total,
        functions,
        annotate,
        meta,
    };

    let md = profile.markdown(a);
    crate::bench::write_report(
        &md,
        &profile.to_json(a),
        a.json.as_deref(),
        a.markdown.as_deref(),
        quiet,
    )?;
    if let Some(svg) = &a.svg {
        write_svgs(&profile, a, svg)?;
        if profile.perf.is_some() {
            note(&format!(
                "wrote {} and {}",
                svg.display(),
                kernel_svg_path(svg).display()
            ));
        } else {
            // The kernel chart plots time differences: without perf samples it would be empty.
            eprintln!(
                "portlab profile: wrote {}; no kernel chart ({}): it plots perf's cpu-clock \
                 samples per kernel, and there are none ({})",
                svg.display(),
                kernel_svg_path(svg).display(),
                profile.perf_note
            );
        }
    }
    Ok(profile)
}

fn write_svgs(p: &Profile, a: &ProfileArgs, svg: &Path) -> Result<(), String> {
    if let Some(dir) = svg.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let (la, lb) = (&p.sides[0].label, &p.sides[1].label);
    let top: Vec<&FnRow> = p.functions.iter().take(a.top.min(25)).collect();
    let rows: Vec<String> = top
        .iter()
        .map(|f| {
            format!(
                "{}{}",
                f.name,
                if f.category == Category::Kernel {
                    " (asm)"
                } else {
                    ""
                }
            )
        })
        .collect();
    let values: Vec<Vec<f64>> = top
        .iter()
        .map(|f| vec![f.ir_a as f64 / 1e6, f.ir_b as f64 / 1e6])
        .collect();
    let stream = Path::new(p.meta["stream"].as_str().unwrap_or(""))
        .file_name()
        .map_or(String::new(), |f| f.to_string_lossy().into_owned());
    svg_grouped_bars(
        svg,
        &format!("Instructions per function (callgrind), {la} vs {lb}, {stream}"),
        "million instructions (self cost, inlined code included)",
        &rows,
        &[la.clone(), lb.clone()],
        &values,
    )?;
    if p.perf.is_none() {
        return Ok(());
    }
    svg_kernels(
        &kernel_svg_path(svg),
        &format!(
            "Shared asm kernels, {lb} vs {la}: same instructions, so any time difference is caller-induced"
        ),
        &p.kernels,
        a.threshold,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names_line_up_across_stages() {
        assert_eq!(
            canonical_name("vp8_transpiled::tokens::vp8_decode_mb_tokens"),
            "vp8_decode_mb_tokens"
        );
        assert_eq!(
            canonical_name("vp8_decode_mb_tokens"),
            "vp8_decode_mb_tokens"
        );
        assert_eq!(canonical_name("filter_mb_row.isra.0"), "filter_mb_row");
        assert_eq!(canonical_name("decode_mb_row.part.0.cold"), "decode_mb_row");
        assert_eq!(canonical_name("foo.constprop.3"), "foo");
        assert_eq!(
            canonical_name("vp8_transpiled::decode::filter_mb_row.llvm.1234567"),
            "filter_mb_row"
        );
        assert_eq!(
            canonical_name("vp8_transpiled::decode::filter_mb_row::h0123456789abcdef"),
            "filter_mb_row"
        );
        assert_eq!(
            canonical_name("<vp8_c::Decoder as core::ops::drop::Drop>::drop"),
            "drop"
        );
        assert_eq!(
            canonical_name("core::ptr::drop_in_place<alloc::vec::Vec<u8>>"),
            "drop_in_place<alloc::vec::Vec<u8>>"
        );
        assert_eq!(
            canonical_name("portlab::vp8dec::main::{{closure}}"),
            "main::{{closure}}"
        );
        assert_eq!(canonical_name("0x0000000000010240"), "0x0000000000010240");
        // A dot that is not a clone suffix stays.
        assert_eq!(canonical_name("a.b"), "a.b");
    }

    #[test]
    fn kernels_and_categories() {
        assert!(is_kernel_name("vp8_sixtap_16x16_avx2"));
        assert!(is_kernel_name("vp8_lf_mb_left_y_ssse3"));
        assert!(is_kernel_name("vp8_idct_add_sse2"));
        assert!(!is_kernel_name("vp8_sixtap_16x16_c"));
        assert!(!is_kernel_name("vp8_decode_mb_tokens"));
        assert!(!is_kernel_name("sixtap_avx2"));
        // Without a source file (the Makefile build has no debug info): by the C stage's
        // functions in the binary. This test binary links the C stage (vp8-c, built with debug
        // info), so its DWARF names them.
        let names = c_stage_functions(&std::env::current_exe().unwrap());
        for f in [
            "vp8_decode_frame",
            "vp8_decode_mb_tokens",
            "vp8_decode_modes",
        ] {
            assert!(names.contains(f), "{f} not in {names:?}");
        }
        assert!(
            !names.contains("main") && !names.contains("memset") && !names.contains("malloc"),
            "{names:?}"
        );
        assert!(!names.iter().any(|n| is_kernel_name(n)), "{names:?}");
        let none = BTreeSet::new();
        use Category::*;
        for (symbol, file, c_stage, want) in [
            (
                "vp8_sixtap_8x8_avx2",
                "/w/asm/x86_64/mc_avx2.S",
                &none,
                Kernel,
            ),
            (
                "vp8_decode_modes",
                "/w/upstream-c/src/modes.c",
                &none,
                Decoder,
            ),
            (
                "vp8_transpiled::modes::vp8_decode_modes",
                "???",
                &none,
                Decoder,
            ),
            ("memset", "./string/memset.S", &none, Other),
            ("main", "/w/upstream-c/tools/vp8dec.c", &none, Other),
            ("vp8_decode_mb_tokens", "???", &names, Decoder),
            ("vp8_decode_modes.isra.0", "???", &names, Decoder),
            ("memset", "???", &names, Other),
            ("vp8_decode_mb_tokens", "???", &none, Other),
        ] {
            assert_eq!(
                categorize(symbol, file, c_stage),
                want,
                "{symbol} in {file}"
            );
        }
    }

    const SAMPLE: &str = "# callgrind format
version: 1
creator: callgrind-3.19.0
cmd: ./vp8dec -i x.ivf

positions: instr line
events: Ir
summary: 1000

ob=(1) /bin/vp8dec
fl=(1) /w/upstream-c/src/tokens.c
fn=(1) vp8_decode_mb_tokens
0x100 10 5
+4 +1 7
fi=(2) /w/upstream-c/src/bool.h
+3 200 11
fe=(1)
+2 12 2
cfi=(3) /w/asm/x86_64/mc_avx2.S
cfn=(2) vp8_sixtap_8x8_avx2
calls=3 0x900 1
* * 300
+5 * 1
fl=(3)
fn=(2)
0x900 1 100
+1 * 200
fl=(4) /w/transpiled/src/tokens.rs
fn=(3) vp8_transpiled::tokens::vp8_decode_mb_tokens
0x2000 5 40
fn=(4) vp8_decode_mb_tokens.cold
0x3000 7 9
";

    #[test]
    fn callgrind_self_costs_sum_pieces_and_skip_call_costs() {
        let p = parse_callgrind(SAMPLE, Some("vp8_decode_mb_tokens")).unwrap();
        assert!(p.has_instr);
        assert_eq!(p.total, 1000);
        // C piece 5+7+11+2+1 (not the 300 of the call), Rust piece 40, .cold clone 9.
        let f = &p.functions["vp8_decode_mb_tokens"];
        assert_eq!(f.ir, 26 + 40 + 9);
        assert_eq!(f.symbols.len(), 3);
        assert_eq!(f.category, Category::Decoder);
        assert_eq!(p.ir("vp8_sixtap_8x8_avx2"), 300);
        assert_eq!(
            p.functions["vp8_sixtap_8x8_avx2"].category,
            Category::Kernel
        );
        // Per instruction: relative addresses, the call line does not move the position.
        assert_eq!(p.instrs[&0x100].ir, 5);
        assert_eq!(p.instrs[&0x104].ir, 7);
        assert_eq!(p.instrs[&0x107].ir, 11);
        assert!(p.instrs[&0x107].file.ends_with("bool.h"));
        assert_eq!(p.instrs[&0x107].line, 200);
        assert_eq!(p.instrs[&0x109].ir, 2);
        assert_eq!(p.instrs[&0x10e].ir, 1);
        assert_eq!(p.instrs[&0x10e].line, 12);
        assert!(!p.instrs.contains_key(&0x900));
        assert_eq!(p.instrs[&0x2000].ir, 40);
    }

    #[test]
    fn perf_script_lines_are_counted_by_canonical_name() {
        let text = "    55d8e0 vp8_transpiled::tokens::vp8_decode_mb_tokens (/w/vp8dec)
    55d8e4 vp8_decode_mb_tokens (/w/vp8dec)
 ffffffff81675356 clear_page_erms ([kernel.kallsyms])
 ffffffff81675356 [unknown] ([kernel.kallsyms])
    1234 <vp8_c::Decoder as core::ops::drop::Drop>::drop (/w/vp8dec)
";
        let (m, total) = parse_perf_script(text);
        assert_eq!(total, 5);
        assert_eq!(m["vp8_decode_mb_tokens"], 2);
        assert_eq!(m["clear_page_erms"], 1);
        assert_eq!(m["[kernel]"], 1);
        assert_eq!(m["drop"], 1);
    }

    #[test]
    fn flagging_finds_a_synthetic_difference_and_ignores_noise() {
        // 20% slower, tight runs: flagged.
        let a = [1000.0, 1010.0, 990.0, 1005.0, 995.0];
        let b = [1200.0, 1190.0, 1210.0, 1205.0, 1195.0];
        let d = flag_difference(&a, &b, 0.05);
        assert!(d.significant && d.flagged, "{d:?}");
        assert!((d.rel - 0.2).abs() < 0.01);
        // 2% slower: below the threshold even though significant.
        let b2: Vec<f64> = a.iter().map(|x| x * 1.02).collect();
        assert!(!flag_difference(&a, &b2, 0.05).flagged);
        // 30% apart with wild runs: beyond the threshold, within the noise.
        let c = [100.0, 20.0, 150.0, 0.0, 80.0];
        let e = [120.0, 200.0, 0.0, 90.0, 50.0];
        let d = flag_difference(&c, &e, 0.05);
        assert!(d.rel.abs() > 0.05 && !d.significant && !d.flagged, "{d:?}");
        // 2 vs 4 samples per run: doubled, but too few samples to mean anything.
        let d = flag_difference(&[2.0, 2.0, 2.0], &[4.0, 4.0, 4.0], 0.05);
        assert!(!d.flagged, "{d:?}");
        // Zero on both sides.
        assert!(!flag_difference(&[0.0; 3], &[0.0; 3], 0.05).flagged);
    }

    #[test]
    fn kernel_shares_see_through_a_noisy_machine() {
        // Each run slowed by the machine as a whole (factors 0.7..1.4), the same in A and B.
        let machine = [1.0, 1.4, 0.7, 1.2, 0.9, 1.3, 0.8, 1.1, 1.0, 1.35];
        let run = |base: f64| -> Vec<f64> { machine.iter().map(|m| (base * m).round()).collect() };
        // Kernel X: 400 samples per run in A, 20% more in B (runs in another order, as a busy
        // machine would have it); all kernels: 4000 (+80 in B).
        let xa = run(400.0);
        let (ta, tb) = (run(4000.0), run(4080.0));
        // Raw time: the machine noise hides the 20%.
        let mixed: Vec<f64> = machine.iter().rev().map(|m| (480.0 * m).round()).collect();
        let raw = flag_difference(&xa, &mixed, 0.05);
        assert!(!raw.flagged, "{raw:?}");
        // The share of kernel time cancels it: flagged.
        let tmixed: Vec<f64> = machine.iter().rev().map(|m| (4080.0 * m).round()).collect();
        let share = flag_share_difference(&xa, &ta, &mixed, &tmixed, 0.05);
        assert!(
            share.flagged && (share.rel - 0.176).abs() < 0.01,
            "{share:?}"
        );
        // A kernel whose share does not move is not flagged, however noisy the runs.
        let (ya, yb) = (run(1000.0), run(1020.0));
        let d = flag_share_difference(&ya, &ta, &yb, &tb, 0.05);
        assert!(!d.flagged && d.rel.abs() < 0.01, "{d:?}");
    }

    fn prof(fns: &[(&str, u64)]) -> CallgrindProfile {
        let mut p = CallgrindProfile::default();
        for (n, ir) in fns {
            let cat = categorize(n, "", &BTreeSet::from(["vp8_decode_modes".to_string()]));
            p.functions.insert(
                n.to_string(),
                FnCost {
                    name: n.to_string(),
                    category: cat,
                    ir: *ir,
                    symbols: BTreeSet::new(),
                    objects: BTreeSet::new(),
                },
            );
            p.total += ir;
        }
        p
    }

    fn perf(runs: &[&[(&str, u64)]]) -> PerfProfile {
        let mut p = PerfProfile {
            period_ns: 50_000,
            ..Default::default()
        };
        for r in runs {
            p.runs
                .push(r.iter().map(|(n, c)| (n.to_string(), *c)).collect());
            p.totals.push(r.iter().map(|(_, c)| c).sum::<u64>() + 1000);
        }
        p
    }

    #[test]
    fn kernel_anchor_verdicts() {
        let a = prof(&[
            ("vp8_sixtap_16x16_avx2", 1000),
            ("vp8_idct_add_sse2", 500),
            ("vp8_lf_mb_top_y_sse2", 70),
            ("vp8_decode_modes", 9),
        ]);
        let b = prof(&[
            ("vp8_sixtap_16x16_avx2", 1000),
            ("vp8_idct_add_sse2", 501),
            ("vp8_decode_modes", 12),
        ]);
        let pa = perf(&[
            &[("vp8_sixtap_16x16_avx2", 400), ("vp8_idct_add_sse2", 100)],
            &[("vp8_sixtap_16x16_avx2", 410), ("vp8_idct_add_sse2", 100)],
            &[("vp8_sixtap_16x16_avx2", 405), ("vp8_idct_add_sse2", 100)],
        ]);
        let pb = perf(&[
            &[("vp8_sixtap_16x16_avx2", 500), ("vp8_idct_add_sse2", 100)],
            &[("vp8_sixtap_16x16_avx2", 505), ("vp8_idct_add_sse2", 100)],
            &[("vp8_sixtap_16x16_avx2", 495), ("vp8_idct_add_sse2", 100)],
        ]);
        let rows = compare_kernels(&a, &b, Some((&pa, &pb)), 0.05);
        let v: HashMap<&str, Verdict> = rows.iter().map(|r| (r.name.as_str(), r.verdict)).collect();
        assert_eq!(v.len(), 3, "decoder functions are not kernels");
        assert_eq!(v["vp8_sixtap_16x16_avx2"], Verdict::CallerInduced);
        assert_eq!(v["vp8_idct_add_sse2"], Verdict::InstructionsDiffer);
        assert_eq!(v["vp8_lf_mb_top_y_sse2"], Verdict::OneSideOnly);
        let rows = compare_kernels(&a, &a, Some((&pa, &pa)), 0.05);
        assert!(
            rows.iter()
                .filter(|r| r.ir_a > 0)
                .all(|r| r.verdict == Verdict::Same)
        );
        let rows = compare_kernels(&a, &a, None, 0.05);
        assert!(rows.iter().all(|r| r.verdict == Verdict::NoTime));
    }

    #[test]
    fn asm_alignment_pairs_equal_opcodes() {
        let l = |t: &str| AsmLine {
            addr: 0,
            text: t.into(),
            ir: 0,
            source: String::new(),
            label: t.ends_with(':'),
        };
        let a = vec![l("push rbp"), l("mov rax, rdi"), l("add rax, 1"), l("ret")];
        let b = vec![
            l("push rbx"),
            l("mov rax, rsi"),
            l("cmp rax, 3"),
            l("jae L1"),
            l("add rax, 1"),
            l("ret"),
        ];
        let rows = align_asm(&a, &b);
        assert_eq!(rows.first(), Some(&(Some(0), Some(0))));
        assert!(rows.contains(&(Some(2), Some(4))));
        assert_eq!(rows.last(), Some(&(Some(3), Some(5))));
        assert_eq!(rows.iter().filter(|r| r.0.is_none()).count(), 2);
    }

    #[test]
    fn dates_and_paths() {
        assert_eq!(today().len(), 10);
        assert_eq!(
            kernel_svg_path(Path::new("docs/img/p.svg")),
            Path::new("docs/img/p-kernels.svg")
        );
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(12), "12");
    }
}
