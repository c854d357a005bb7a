//! `portlab inspect`: what each stage became in the linked release binary — disassembly side by
//! side, stack frames, panic call sites, and what was inlined.
//!
//! **Which binary.** By default `cargo build --release -p portlab --bin vp8dec`, i.e. the
//! binary people run: one executable holding the C stage (compiled by `cc` with the Makefile's
//! `-O2`, by the system C compiler), the transpiled stage (rustc, release profile) and the asm
//! kernels once. Both stages sit in one binary, linked by one linker with the same flags, so a
//! difference between them is the compilers', not the build's; and the asm kernels can be seen
//! to be one copy shared by both. C functions keep their C names, transpiled ones are Rust
//! paths (`vp8_transpiled::decode::filter_mb_row`), so they never collide (see
//! [`binary`] for how symbols are assigned to stages). `--binary PATH` inspects any other ELF
//! x86-64 executable instead (e.g. `upstream-c/build/vp8dec` from the Makefile, or a PGO or
//! `-C target-cpu` build); it needs its `.symtab`.
//!
//! **Why not `rustc --emit=asm`.** rav1d found that `--emit=asm` changes code generation (it
//! forces one codegen unit); only the final linked binary shows what runs.
//!
//! **Tools.** ELF symbols, sections and dynamic relocations are read with the `object` crate,
//! `.eh_frame` with `gimli` (the unwind rows give the frame sizes exactly as the unwinder sees
//! them), and x86-64 machine code is decoded with `iced-x86` (decoder + Intel formatter): the
//! analyses need structured operands (branch targets, rip-relative slots, `rsp` arithmetic),
//! which parsing `objdump -d` text would only approximate, and binutils' output format varies
//! between versions. Symbol names are demangled with `rustc-demangle` (legacy and v0).
//!
//! Reports are Markdown by default; `--json` puts JSON on stdout instead, `--json=FILE` writes
//! it to FILE, `--markdown FILE` also writes the Markdown (the convention of every subcommand).

pub mod binary;
pub mod disasm;
pub mod docs;
pub mod frames;
pub mod inlining;
pub mod panics;
pub mod source;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::stage::{Language, STAGES, stage_info};
use binary::{Binary, Classifier};

/// `portlab inspect` arguments.
#[derive(clap::Args, Debug, Clone)]
pub struct InspectArgs {
    #[command(subcommand)]
    pub what: Option<What>,
    /// Rewrite the inspect blocks of README.md and docs/*.md from the JSON each names (written
    /// by `inspect frames|panics|inlining --json=docs/data/inspect-*.json`); no binary is read.
    #[arg(long, conflicts_with_all = ["binary", "no_build", "json", "markdown", "stages"])]
    pub update_docs: bool,
    /// The ELF binary to inspect (default: build and use the release `vp8dec`).
    #[arg(long, global = true)]
    pub binary: Option<PathBuf>,
    /// Use the release `vp8dec` already in the target folder; do not run cargo.
    #[arg(long, global = true)]
    pub no_build: bool,
    /// Write the results as JSON: to stdout with --json (instead of the Markdown), to FILE with
    /// --json=FILE (the Markdown then still goes to stdout).
    #[arg(long, global = true, value_name = "FILE", num_args = 0..=1, default_missing_value = "-", require_equals = true)]
    pub json: Option<String>,
    /// Also write the Markdown report to FILE.
    #[arg(long, global = true, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Stages to report (default: c,transpiled,safe, those present in the binary).
    #[arg(long, global = true, value_delimiter = ',')]
    pub stages: Vec<String>,
    /// Workspace root (default: the enclosing Cargo workspace).
    #[arg(long, global = true)]
    pub root: Option<PathBuf>,
}

#[derive(clap::Subcommand, Debug, Clone)]
pub enum What {
    /// Disassembly of one function in every stage that has it, normalised and diffed.
    Disasm {
        /// The function: C name (`filter_mb_row`), optionally with the module
        /// (`decode::filter_mb_row`).
        func: String,
        /// Two columns instead of a unified diff.
        #[arg(long)]
        side_by_side: bool,
        /// Also blank stack slots (`[rsp+38h]`, `[rbp-40h]` -> `[stack]`).
        #[arg(long)]
        loose: bool,
        /// Context lines of the unified diff.
        #[arg(long, default_value_t = 3)]
        context: usize,
    },
    /// Stack frame sizes (.eh_frame CFA offsets; disassembly where the CFI cannot tell), largest
    /// first, and C vs transpiled for every function in both.
    Frames {
        /// Rows per table.
        #[arg(long, default_value_t = 15)]
        top: usize,
    },
    /// Bounds-check and other panic call sites per function.
    Panics {
        /// Rows of the per-function table.
        #[arg(long, default_value_t = 20)]
        top: usize,
    },
    /// Source functions inlined away (no symbol) and call sites of the rest.
    Inlining {
        /// List every function, not only those whose fate differs between C and transpiled.
        #[arg(long)]
        all: bool,
    },
}

/// Build the release `vp8dec` (or find it with `no_build`) and return its path.
pub fn release_vp8dec(root: &Path, no_build: bool) -> Result<PathBuf, String> {
    let (mut cmd, p) = crate::host::vp8dec_build(&crate::host::target_dir(root), "release");
    if no_build {
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!(
                "{} does not exist: build it or drop --no-build",
                p.display()
            ))
        };
    }
    let st = cmd.status().map_err(|e| format!("cargo: {e}"))?;
    if !st.success() {
        return Err("cargo build --release -p portlab --bin vp8dec failed".into());
    }
    if p.is_file() {
        Ok(p)
    } else {
        Err(format!("cargo did not leave {}", p.display()))
    }
}

/// Load the binary the arguments name, with the project's classifier.
pub fn load(a: &InspectArgs) -> Result<(Binary, PathBuf), String> {
    let root = a.root.clone().unwrap_or_else(crate::host::workspace_root);
    let path = match &a.binary {
        Some(p) => p.clone(),
        None => release_vp8dec(&root, a.no_build)?,
    };
    let cls = Classifier::project(&root);
    Ok((Binary::load(&path, &cls)?, root))
}

fn stages_of(b: &Binary, a: &InspectArgs) -> Vec<String> {
    if !a.stages.is_empty() {
        return a.stages.clone();
    }
    b.stages().into_iter().filter(|s| s != "asm").collect()
}

pub fn main(a: &InspectArgs) -> ExitCode {
    if a.update_docs {
        if a.what.is_some() {
            eprintln!(
                "portlab inspect: --update-docs reads no binary: give it without a subcommand"
            );
            return ExitCode::from(2);
        }
        let root = a.root.clone().unwrap_or_else(crate::host::workspace_root);
        return match docs::update_docs(&root) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("portlab inspect: {e}");
                ExitCode::from(1)
            }
        };
    }
    let Some(what) = &a.what else {
        eprintln!(
            "portlab inspect: name what to inspect (disasm, frames, panics, inlining) or give \
             --update-docs; see portlab inspect --help"
        );
        return ExitCode::from(2);
    };
    let (b, root) = match load(a) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("portlab inspect: {e}");
            return ExitCode::from(2);
        }
    };
    let stages = stages_of(&b, a);
    let res = match what {
        What::Disasm {
            func,
            side_by_side,
            loose,
            context,
        } => disasm_report(&b, func, &stages, *side_by_side, *loose, *context),
        What::Frames { top } => Ok(frames_report(&b, &stages, *top)),
        What::Panics { top } => Ok(panics_report(&b, &stages, *top)),
        What::Inlining { all } => Ok(inlining_report(&b, &root, &stages, *all)),
    };
    match res {
        Ok((md, mut js)) => {
            js["meta"] = meta(&b, &root);
            match crate::bench::write_report(
                &md,
                &js,
                a.json.as_deref(),
                a.markdown.as_deref(),
                true,
            ) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("portlab inspect: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Err(e) => {
            eprintln!("portlab inspect: {e}");
            ExitCode::from(1)
        }
    }
}

/// What a report was measured on: the command, the date, the commit, the compilers. The
/// binary is named from the workspace root when it is inside it (or inside the target folder).
fn meta(b: &Binary, root: &Path) -> Value {
    let target = crate::host::target_dir(root);
    let binary = b
        .path
        .strip_prefix(&target)
        .map(|p| Path::new("target").join(p))
        .or_else(|_| b.path.strip_prefix(root).map(Path::to_path_buf))
        .unwrap_or_else(|_| b.path.clone());
    json!({
        "tool": "portlab inspect",
        "command": crate::host::command_line(),
        "date": crate::host::utc_now(),
        "git": crate::bench::git_state(),
        "binary": binary,
        "rustc": crate::host::first_line("rustc", &["--version"]),
        "cc": crate::host::first_line("cc", &["--version"]),
    })
}

fn func_json(b: &Binary, i: usize) -> Value {
    let f = &b.funcs[i];
    json!({
        "stage": f.origin.stage,
        "module": f.origin.module,
        "name": f.origin.name,
        "variant": f.origin.variant,
        "symbol": f.sym,
        "demangled": f.demangled,
        "addr": format!("{:#x}", f.addr),
        "size": f.size,
    })
}

// ------------------------------------------------------------------------------------------------
// disasm

/// Functions matching `query` (`name` or `module::name`) in `stage`, main body first.
pub fn find_funcs(b: &Binary, stage: &str, query: &str) -> Vec<usize> {
    let (module, name) = match query.rsplit_once("::") {
        Some((m, n)) => (Some(m), n),
        None => (None, query),
    };
    let mut v: Vec<usize> = b
        .stage_funcs(stage)
        .filter(|&i| {
            let o = &b.funcs[i].origin;
            o.name == name
                && module.is_none_or(|m| inlining::pair_key(&o.module) == m || o.module == m)
        })
        .collect();
    v.sort_by_key(|&i| {
        (
            !b.funcs[i].origin.variant.is_empty(),
            std::cmp::Reverse(b.funcs[i].size),
        )
    });
    v
}

pub type Report = (String, Value);

pub fn disasm_report(
    b: &Binary,
    query: &str,
    stages: &[String],
    side_by_side: bool,
    loose: bool,
    context: usize,
) -> Result<Report, String> {
    let mut sides: Vec<(String, usize)> = Vec::new();
    let mut others: Vec<usize> = Vec::new();
    let mut look: Vec<String> = stages.to_vec();
    look.push("asm".into());
    for st in &look {
        let found = find_funcs(b, st, query);
        if let Some(&first) = found.first() {
            sides.push((st.clone(), first));
            others.extend(&found[1..]);
        }
    }
    if sides.is_empty() {
        return Err(format!(
            "no function '{query}' in stages {} of {} (inlined everywhere, or misspelt: \
             `portlab inspect inlining --all` lists them)",
            look.join(","),
            b.path.display()
        ));
    }
    let mut md = format!("## `{query}` in {}\n\n", b.path.display());
    md.push_str("| stage | symbol | address | bytes | instructions | frame | panic sites |\n|---|---|--:|--:|--:|--:|--:|\n");
    let mut listings = Vec::new();
    let mut js_sides = Vec::new();
    for (st, i) in &sides {
        let insns = b.decode(*i);
        let fr = frames::frame_of(b, *i, &insns);
        let ps = panics::panic_sites(b, *i);
        let f = &b.funcs[*i];
        let _ = writeln!(
            md,
            "| {st} | `{}` | {:#x} | {} | {} | {} | {} |",
            f.demangled,
            f.addr,
            f.size,
            insns.len(),
            fr.frame,
            ps.total()
        );
        let lines = disasm::normalised(b, *i, &insns, loose);
        let mut fj = func_json(b, *i);
        fj["instructions"] = json!(insns.len());
        fj["frame"] = json!(fr.frame);
        fj["panic_sites"] = json!(ps.total());
        fj["lines"] = json!(
            lines
                .iter()
                .map(|(o, s)| format!("{o:#x} {s}"))
                .collect::<Vec<_>>()
        );
        js_sides.push(fj);
        listings.push((st.clone(), insns, lines));
    }
    if !others.is_empty() {
        md.push_str("\nOther copies (clones, closures, per-codegen-unit copies), not shown: ");
        md.push_str(
            &others
                .iter()
                .map(|&i| format!("`{}`", b.funcs[i].sym))
                .collect::<Vec<_>>()
                .join(", "),
        );
        md.push('\n');
    }
    let mut js = json!({"what": "disasm", "binary": b.path, "function": query, "sides": js_sides});
    if listings.len() == 1 {
        let (st, _, lines) = &listings[0];
        md.push_str(&format!(
            "\nOnly the {st} stage has a symbol for it{}.\n\n```asm\n",
            if st == "asm" {
                " (the kernel every stage calls: one copy)"
            } else {
                " (the other stages inlined it into every caller, or have no such function)"
            }
        ));
        for (o, s) in lines {
            let _ = writeln!(md, "{o:5x} {s}");
        }
        md.push_str("```\n");
        return Ok((md, js));
    }
    let (an, ai, al) = &listings[0];
    let (bn, bi, bl) = &listings[1];
    // Mnemonic differences.
    let ma = disasm::mnemonics(ai);
    let mb = disasm::mnemonics(bi);
    let keys: BTreeSet<&String> = ma.keys().chain(mb.keys()).collect();
    let mut delta: Vec<(String, i64, usize, usize)> = keys
        .into_iter()
        .map(|k| {
            let x = ma.get(k).copied().unwrap_or(0);
            let y = mb.get(k).copied().unwrap_or(0);
            (k.clone(), y as i64 - x as i64, x, y)
        })
        .filter(|d| d.1 != 0)
        .collect();
    delta.sort_by_key(|d| (std::cmp::Reverse(d.1.abs()), d.0.clone()));
    let _ = writeln!(
        md,
        "\n### Instructions: {an} {} -> {bn} {} ({:+})\n",
        ai.len(),
        bi.len(),
        bi.len() as i64 - ai.len() as i64
    );
    md.push_str(&format!(
        "| mnemonic | {an} | {bn} | Δ |\n|---|--:|--:|--:|\n"
    ));
    for d in delta.iter().take(12) {
        let _ = writeln!(md, "| {} | {} | {} | {:+} |", d.0, d.2, d.3, d.1);
    }
    md.push_str("\n### Diff (normalised: labels, callee names, data objects)\n\n");
    let body = if side_by_side {
        disasm::side_by_side(al, bl, 60)
    } else {
        disasm::unified(an, al, bn, bl, context)
    };
    md.push_str(if side_by_side { "```\n" } else { "```diff\n" });
    md.push_str(&body);
    md.push_str("```\n");
    js["mnemonic_delta"] = json!(
        delta
            .iter()
            .map(|d| json!({"mnemonic": d.0, "a": d.2, "b": d.3, "delta": d.1}))
            .collect::<Vec<_>>()
    );
    js["diff"] = json!(disasm::unified(an, al, bn, bl, context));
    Ok((md, js))
}

// ------------------------------------------------------------------------------------------------
// frames

pub fn frames_report(b: &Binary, stages: &[String], top: usize) -> Report {
    let all = frames::frames(b, stages);
    let mut md = format!("## Stack frames in {}\n\n", b.path.display());
    md.push_str("Frame = bytes from the caller's `rsp` before the call down to the function's lowest `rsp` (return address included: a function that touches no stack has 8). Source `eh_frame`: largest CFA offset of its unwind rows; `disasm`: a walk of its code (frame pointer or no FDE).\n\n");
    let mut js_stages = serde_json::Map::new();
    for st in stages {
        let v: Vec<&frames::Frame> = all
            .iter()
            .filter(|f| b.funcs[f.func].origin.stage == *st)
            .collect();
        js_stages.insert(
            st.clone(),
            json!(
                v.iter()
                    .map(|f| {
                        let mut j = func_json(b, f.func);
                        j["frame"] = json!(f.frame);
                        j["source"] = json!(f.source);
                        j["eh_frame"] = json!(f.eh);
                        j["disasm"] = json!(f.disasm.max_depth);
                        j["frame_pointer"] = json!(f.disasm.frame_pointer);
                        j["realign"] = json!(f.disasm.realign);
                        j["probes"] = json!(f.disasm.probes);
                        j
                    })
                    .collect::<Vec<_>>()
            ),
        );
    }
    let js_stages = Value::Object(js_stages);
    md.push_str(&frames_summary(&js_stages));
    for st in stages {
        let mut v: Vec<&frames::Frame> = all
            .iter()
            .filter(|f| b.funcs[f.func].origin.stage == *st)
            .collect();
        v.sort_by_key(|f| (std::cmp::Reverse(f.frame), f.func));
        let _ = writeln!(md, "\n### Largest frames: {st}\n");
        md.push_str("| function | frame | source | eh_frame | disasm | notes |\n|---|--:|---|--:|--:|---|\n");
        for f in v.iter().take(top) {
            let mut notes = Vec::new();
            if f.disasm.frame_pointer {
                notes.push("frame pointer".to_string());
            }
            if f.disasm.realign > 0 {
                notes.push(format!("realigned to {}", f.disasm.realign));
            }
            if f.disasm.probes {
                notes.push("stack probes".into());
            }
            let _ = writeln!(
                md,
                "| `{}` | {} | {} | {} | {} | {} |",
                b.funcs[f.func].label(),
                f.frame,
                f.source,
                f.eh.map_or("–".into(), |e| e.to_string()),
                f.disasm.max_depth,
                notes.join(", ")
            );
        }
    }
    // C vs each Rust stage.
    let mut comparisons = Vec::new();
    let c_stage = STAGES
        .iter()
        .find(|s| s.language == Language::C)
        .map(|s| s.name);
    if let Some(c_name) = c_stage.filter(|c| stages.iter().any(|s| s == c)) {
        let c = frames::by_key(b, &all, c_name);
        for st in stages.iter().filter(|s| *s != c_name) {
            let r = frames::by_key(b, &all, st);
            let mut rows: Vec<(String, i64, i64, usize, usize)> = c
                .iter()
                .filter_map(|(k, cv)| {
                    r.get(k)
                        .map(|rv| (format!("{}::{}", k.0, k.1), cv.0, rv.0, cv.2, rv.2))
                })
                .collect();
            rows.sort_by_key(|x| (std::cmp::Reverse(x.2 - x.1), x.0.clone()));
            let bigger = rows.iter().filter(|x| x.2 > x.1).count();
            let smaller = rows.iter().filter(|x| x.2 < x.1).count();
            let _ = writeln!(
                md,
                "\n### C vs {st}: {} functions in both; {st} larger in {bigger}, smaller in {smaller}; total {} -> {} bytes\n",
                rows.len(),
                rows.iter().map(|x| x.1).sum::<i64>(),
                rows.iter().map(|x| x.2).sum::<i64>()
            );
            md.push_str(&format!(
                "| function | C | {st} | Δ | copies (C / {st}) |\n|---|--:|--:|--:|--:|\n"
            ));
            let show: Vec<&(String, i64, i64, usize, usize)> = rows
                .iter()
                .take(top)
                .chain(rows.iter().rev().take(3).filter(|x| x.2 < x.1))
                .collect();
            let mut seen = BTreeSet::new();
            for x in show {
                if !seen.insert(&x.0) {
                    continue;
                }
                let _ = writeln!(
                    md,
                    "| `{}` | {} | {} | {:+} | {} / {} |",
                    x.0,
                    x.1,
                    x.2,
                    x.2 - x.1,
                    x.3,
                    x.4
                );
            }
            comparisons.push(json!({
                "a": c_name, "b": st,
                "rows": rows.iter().map(|x| json!({"function": x.0, "a": x.1, "b": x.2, "delta": x.2 - x.1, "copies_a": x.3, "copies_b": x.4})).collect::<Vec<_>>(),
            }));
        }
    }
    (
        md,
        json!({"what": "frames", "binary": b.path, "stages": js_stages, "comparisons": comparisons}),
    )
}

/// The frames summary table (a row per stage) from the `stages` of `inspect frames --json`:
/// what the report prints first and what the documents' inspect blocks quote.
pub fn frames_summary(stages: &Value) -> String {
    let mut md = String::from(
        "| stage | functions | frame > 8 | largest | total of all frames | eh_frame = disasm |\n|---|--:|--:|--:|--:|--:|\n",
    );
    for (st, v) in stages.as_object().into_iter().flatten() {
        let v = v.as_array().map_or(&[][..], Vec::as_slice);
        let frame = |f: &Value| f["frame"].as_i64().unwrap_or(0);
        let from_eh = |f: &&Value| f["source"] == "eh_frame" && !f["eh_frame"].is_null();
        let with_eh = v.iter().filter(from_eh).count();
        let agree = v
            .iter()
            .filter(from_eh)
            .filter(|f| f["eh_frame"] == f["disasm"])
            .count();
        let _ = writeln!(
            md,
            "| {st} | {} | {} | {} | {} | {agree}/{with_eh} |",
            v.len(),
            v.iter().filter(|f| frame(f) > 8).count(),
            v.iter().map(frame).max().unwrap_or(0),
            v.iter().map(frame).sum::<i64>()
        );
    }
    md
}

// ------------------------------------------------------------------------------------------------
// panics

pub fn panics_report(b: &Binary, stages: &[String], top: usize) -> Report {
    let all = panics::all_panic_sites(b, stages);
    let mut md = format!("## Panic call sites in {}\n\n", b.path.display());
    md.push_str("A site is a `call`/`jmp` whose target resolves (direct, PLT, or GOT slot + relocation) to a `core`/`std`/`alloc` panic entry point. `bounds`: panic_bounds_check, slice_*_fail; `overflow`/`div_zero`: panic_const_*; `unwrap`: unwrap_failed/expect_failed; `panic`: panic, panic_fmt, assert_failed, …; `nounwind`: panic_cannot_unwind/panic_in_cleanup, the abort an `extern \"C\"` function's landing pad reaches when a callee panics (a landing pad, not a check in the body); `alloc`: allocation failure. C traps: abort, __assert_fail, __stack_chk_fail.\n\n");
    let mut js_stages = serde_json::Map::new();
    for st in stages {
        let v: Vec<&panics::PanicSites> = all
            .iter()
            .filter(|p| b.funcs[p.func].origin.stage == *st)
            .collect();
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &v {
            for (k, n) in &p.by_kind {
                *kinds.entry(k).or_insert(0) += n;
            }
        }
        js_stages.insert(
            st.clone(),
            json!({
                "functions": v.len(),
                "with_sites": v.iter().filter(|p| p.total() > 0).count(),
                "sites": v.iter().map(|p| p.total()).sum::<usize>(),
                "by_kind": kinds,
                "c_traps": v.iter().map(|p| p.c_traps).sum::<usize>(),
                "per_function": v.iter().filter(|p| p.total() > 0 || p.c_traps > 0).map(|p| {
                    let mut j = func_json(b, p.func);
                    j["sites"] = json!(p.total());
                    j["by_kind"] = json!(p.by_kind);
                    j["c_traps"] = json!(p.c_traps);
                    j["calls"] = json!(p.sites.iter().map(|(o, c)| json!({"offset": format!("{o:#x}"), "callee": c})).collect::<Vec<_>>());
                    j
                }).collect::<Vec<_>>(),
            }),
        );
    }
    let js_stages = Value::Object(js_stages);
    md.push_str(&panics_summary(&js_stages));
    let mut v: Vec<&panics::PanicSites> = all.iter().filter(|p| p.total() > 0).collect();
    v.sort_by_key(|p| (std::cmp::Reverse(p.total()), p.func));
    if !v.is_empty() {
        let _ = writeln!(md, "\n### Functions with the most panic sites\n");
        md.push_str("| stage | function | sites |");
        for k in panics::KINDS {
            md.push_str(&format!(" {k} |"));
        }
        md.push_str("\n|---|---|--:|");
        md.push_str(&"--:|".repeat(panics::KINDS.len()));
        md.push('\n');
        for p in v.iter().take(top) {
            let f = &b.funcs[p.func];
            let _ = write!(
                md,
                "| {} | `{}` | {} |",
                f.origin.stage,
                f.label(),
                p.total()
            );
            for k in panics::KINDS {
                let _ = write!(md, " {} |", p.by_kind.get(k).copied().unwrap_or(0));
            }
            md.push('\n');
        }
    }
    (
        md,
        json!({"what": "panics", "binary": b.path, "stages": js_stages}),
    )
}

/// The panics summary table (a row per stage) from the `stages` of `inspect panics --json`.
pub fn panics_summary(stages: &Value) -> String {
    let mut md = String::from("| stage | functions | with sites | sites |");
    for k in panics::KINDS {
        md.push_str(&format!(" {k} |"));
    }
    md.push_str(" C traps |\n|---|--:|--:|--:|");
    md.push_str(&"--:|".repeat(panics::KINDS.len() + 1));
    md.push('\n');
    for (st, v) in stages.as_object().into_iter().flatten() {
        let n = |x: &Value| x.as_u64().unwrap_or(0);
        let _ = write!(
            md,
            "| {st} | {} | {} | {} |",
            n(&v["functions"]),
            n(&v["with_sites"]),
            n(&v["sites"])
        );
        for k in panics::KINDS {
            let _ = write!(md, " {} |", n(&v["by_kind"][k]));
        }
        let _ = writeln!(md, " {} |", n(&v["c_traps"]));
    }
    md
}

// ------------------------------------------------------------------------------------------------
// inlining

fn status_cell(s: &inlining::Survival) -> String {
    match s.status() {
        "symbol" if s.symbols.len() > 1 => format!("symbol ×{}", s.symbols.len()),
        st => st.to_string(),
    }
}

pub fn inlining_report(b: &Binary, root: &Path, stages: &[String], all: bool) -> Report {
    let refs = inlining::refs(b);
    let mut md = format!("## Inlining in {}\n\n", b.path.display());
    md.push_str("`symbol`: the function has a symbol (×N: clones or per-codegen-unit copies); `inlined`: no symbol, and the stage's source calls it, so every call was inlined; `uncalled`: no symbol and the stage's own source never names it (inlined into another crate's caller, or dropped). `calls`: direct call sites in the binary (+ tail jumps); `ptr`: address taken (lea or GOT-slot load in code, relocated data words such as function-pointer tables).\n\n");
    let mut per_stage: BTreeMap<String, Vec<inlining::Survival>> = BTreeMap::new();
    for st in stages {
        let src = match stage_info(st) {
            Some(s) if s.language == Language::C => source::c_functions(&root.join(s.source_dir)),
            Some(s) => source::rust_functions(&root.join(s.source_dir)),
            None => continue,
        };
        let sv = inlining::survival(b, &refs, st, &src);
        per_stage.insert(st.clone(), sv);
    }
    // In the order of `stages`, as the other reports.
    let mut js_stages = serde_json::Map::new();
    for (st, sv) in stages
        .iter()
        .filter_map(|st| per_stage.get(st).map(|sv| (st, sv)))
    {
        js_stages.insert(
            st.clone(),
            json!(sv.iter().map(|s| json!({
                "module": s.src.module,
                "name": s.src.name,
                "inline": s.src.inline,
                "status": s.status(),
                "symbols": s.symbols.iter().map(|&i| b.funcs[i].sym.clone()).collect::<Vec<_>>(),
                "calls": s.calls,
                "callers": s.callers,
                "tail_jumps": s.tail_jumps,
                "lea": s.lea,
                "data_refs": s.data_refs,
            })).collect::<Vec<_>>()),
        );
    }
    let js_stages = Value::Object(js_stages);
    md.push_str(&inlining_summary(&js_stages));
    // Pair C with each other stage by (module, name); migration order, then any other stage.
    let rank = |st: &str| {
        STAGES
            .iter()
            .position(|s| s.name == st)
            .unwrap_or(STAGES.len())
    };
    let mut order: Vec<&String> = per_stage.keys().collect();
    order.sort_by_key(|st| rank(st));
    let mut rows: BTreeMap<(String, String), BTreeMap<&String, &inlining::Survival>> =
        BTreeMap::new();
    for st in &order {
        for s in &per_stage[*st] {
            rows.entry((inlining::pair_key(&s.src.module), s.src.name.clone()))
                .or_default()
                .insert(st, s);
        }
    }
    let _ = writeln!(
        md,
        "\n### Per function{}\n",
        if all {
            ""
        } else {
            " (only where the stages differ; --all for every one)"
        }
    );
    md.push_str("| function |");
    for st in &order {
        let _ = write!(md, " {st} | calls | ptr |");
    }
    md.push_str("\n|---|");
    md.push_str(&"---|--:|--:|".repeat(order.len()));
    md.push('\n');
    for ((m, n), cells) in &rows {
        let statuses: BTreeSet<&str> = order
            .iter()
            .map(|st| cells.get(st).map_or("–", |s| s.status()))
            .collect();
        if !all && statuses.len() < 2 {
            continue;
        }
        let _ = write!(
            md,
            "| `{}{n}` |",
            if m.is_empty() {
                String::new()
            } else {
                format!("{m}::")
            }
        );
        for st in &order {
            match cells.get(st) {
                Some(s) => {
                    let calls = if s.tail_jumps > 0 {
                        format!("{}+{}j", s.calls, s.tail_jumps)
                    } else {
                        s.calls.to_string()
                    };
                    let _ = write!(
                        md,
                        " {} | {} | {} |",
                        status_cell(s),
                        calls,
                        s.lea + s.data_refs
                    );
                }
                None => md.push_str(" – | | |"),
            }
        }
        md.push('\n');
    }
    (
        md,
        json!({"what": "inlining", "binary": b.path, "stages": js_stages}),
    )
}

/// The inlining summary table (a row per stage) from the `stages` of `inspect inlining --json`.
pub fn inlining_summary(stages: &Value) -> String {
    let mut md = String::from(
        "| stage | source functions | symbol | inlined | uncalled | call sites to them |\n|---|--:|--:|--:|--:|--:|\n",
    );
    for (st, v) in stages.as_object().into_iter().flatten() {
        let v = v.as_array().map_or(&[][..], Vec::as_slice);
        let count = |s: &str| v.iter().filter(|x| x["status"] == s).count();
        let n = |x: &Value| x.as_u64().unwrap_or(0);
        let _ = writeln!(
            md,
            "| {st} | {} | {} | {} | {} | {} |",
            v.len(),
            count("symbol"),
            count("inlined"),
            count("uncalled"),
            v.iter()
                .map(|x| n(&x["calls"]) + n(&x["tail_jumps"]))
                .sum::<u64>()
        );
    }
    md
}
