//! `portlab bench --cachegrind`: the deterministic cost of the decoder's own code, for comparing
//! stages and compilers where timing noise (5-15% on a shared machine) hides the difference.
//!
//! Each command (stages, C CLIs) decodes each stream once under `valgrind --tool=cachegrind
//! --cache-sim=no --branch-sim=yes`. The instructions (Ir) and simulated branch mispredicts
//! (Bcm + Bim) of the decoder's own functions are summed: those of the registry's Rust stages
//! (demangled paths under `vp8_transpiled::`, `vp8_safe::`), the safe stage's checks at its asm
//! boundary (`vp8_asm::safe::`, see [`SAFE_BOUNDARY`]) and the C functions defined in
//! upstream-c/src, whose names come from the symbol tables of the objects `make` compiled from
//! it. Left out: the shared asm kernels, the CLI, the Rust runtime, libc; none of them is what a
//! stage or a compiler changes. One figure: cost = Ir + 15 x mispredicts (a mispredict costs
//! about 15 cycles on current x86 cores).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

use object::{Object, ObjectSymbol, SymbolKind};
use serde_json::{Value, json};

use super::{BenchStream, Cmd, subst};
use crate::stage::{Language, STAGES};

/// Cycles a mispredicted branch costs, roughly, on current x86 cores.
pub const MISPREDICT_WEIGHT: u64 = 15;

/// The library names (as they appear in symbol paths) of the Rust stages: vp8_transpiled,
/// vp8_safe.
pub fn rust_stage_crates() -> Vec<&'static str> {
    STAGES
        .iter()
        .filter(|s| s.language == Language::Rust)
        .map(|s| s.lib_name)
        .collect()
}

/// The path of the safe stage's checked kernel calls. Until port step 40 they were wrapper
/// functions of this crate, since then they are inlined into `vp8_safe`'s own; counted either
/// way, so that the safe stage's figure covers what its checks cost at every step (left out
/// before: at step 39, 33.6 M instructions on the lowrate 1080p stream's first 15 frames,
/// beside 127.5 M counted).
pub const SAFE_BOUNDARY: &str = "vp8_asm::safe::";

/// Decoder instructions and mispredicts of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cost {
    pub ir: u64,
    pub mispredicts: u64,
}

impl Cost {
    pub fn weighted(&self) -> u64 {
        self.ir + MISPREDICT_WEIGHT * self.mispredicts
    }
}

/// Which functions are the decoder's own.
#[derive(Debug, Clone, Default)]
pub struct DecoderFunctions {
    /// Functions defined in upstream-c/src (clone suffixes such as `.constprop.0` stripped).
    pub c: HashSet<String>,
}

impl DecoderFunctions {
    /// Read the defined function symbols of every object under `obj_src` (a make build's
    /// obj/src, compiled from upstream-c/src).
    pub fn from_objects(obj_src: &Path) -> Result<DecoderFunctions, String> {
        let mut c = HashSet::new();
        let mut stack = vec![obj_src.to_path_buf()];
        let mut objects = 0;
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "o") {
                    let data = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                    let file =
                        object::File::parse(&*data).map_err(|e| format!("{}: {e}", p.display()))?;
                    objects += 1;
                    for s in file.symbols() {
                        if s.kind() == SymbolKind::Text && s.is_definition() {
                            if let Ok(name) = s.name() {
                                c.insert(base_name(name).to_string());
                            }
                        }
                    }
                }
            }
        }
        if objects == 0 {
            return Err(format!("no objects under {}", obj_src.display()));
        }
        Ok(DecoderFunctions { c })
    }

    /// Is `fn_name` (as cachegrind prints it: demangled) one of the decoder's own functions?
    pub fn contains(&self, fn_name: &str) -> bool {
        // `<vp8_transpiled::X as Trait>::f` is the crate's own impl; `core::ptr::drop_in_place<
        // vp8_transpiled::X>` is core's code instantiated for it, and is left out.
        let path = fn_name.trim_start_matches('<');
        if rust_stage_crates()
            .iter()
            .any(|k| path.strip_prefix(k).is_some_and(|r| r.starts_with("::")))
        {
            return true;
        }
        if path.starts_with(SAFE_BOUNDARY) {
            return true;
        }
        self.c.contains(base_name(fn_name))
    }
}

/// `foo.constprop.0` -> `foo`: the compiler's clones are the same C function.
fn base_name(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

/// Sum the Ir and Bcm + Bim of the decoder's functions in a cachegrind output file.
pub fn decoder_cost(out_file_text: &str, own: &DecoderFunctions) -> Result<Cost, String> {
    let mut events: Vec<&str> = Vec::new();
    let mut per_fn: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    let mut current: Option<&str> = None;
    for line in out_file_text.lines() {
        if let Some(ev) = line.strip_prefix("events:") {
            events = ev.split_whitespace().collect();
        } else if let Some(f) = line.strip_prefix("fn=") {
            current = Some(f.trim());
        } else if line.starts_with(|c: char| c.is_ascii_digit()) {
            let Some(f) = current else { continue };
            let counts = per_fn.entry(f).or_insert_with(|| vec![0; events.len()]);
            // The first number is the line; missing trailing counts are zeros.
            for (slot, v) in counts.iter_mut().zip(line.split_whitespace().skip(1)) {
                *slot += v
                    .parse::<u64>()
                    .map_err(|e| format!("cachegrind: {line}: {e}"))?;
            }
        }
    }
    let col = |name: &str| {
        events
            .iter()
            .position(|e| *e == name)
            .ok_or_else(|| format!("cachegrind output without event {name} (events: {events:?})"))
    };
    let (ir, bcm, bim) = (col("Ir")?, col("Bcm")?, col("Bim")?);
    let mut cost = Cost::default();
    for (f, counts) in &per_fn {
        if own.contains(f) {
            cost.ir += counts[ir];
            cost.mispredicts += counts[bcm] + counts[bim];
        }
    }
    Ok(cost)
}

/// The decoder's cost of one run and its cachegrind output file.
type Measured = Result<(Cost, PathBuf), String>;

/// Run `cmd` on `stream` under cachegrind.
fn measure(cmd: &Cmd, stream: &BenchStream, scratch: &Path, own: &DecoderFunctions) -> Measured {
    let out = scratch.join(format!("cachegrind.{}.{}.out", cmd.id, stream.name));
    let o = Command::new("valgrind")
        .args(["--tool=cachegrind", "--cache-sim=no", "--branch-sim=yes"])
        .arg(format!("--cachegrind-out-file={}", out.display()))
        .arg(&cmd.program)
        .args(subst(&cmd.time_args, &stream.path, 0))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    if !o.status.success() {
        let err = String::from_utf8_lossy(&o.stderr);
        let lines: Vec<&str> = err.lines().collect();
        return Err(format!(
            "cachegrind run of {} on {} failed ({}):\n{}",
            cmd.id,
            stream.name,
            o.status,
            lines[lines.len().saturating_sub(15)..].join("\n")
        ));
    }
    let text = std::fs::read_to_string(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok((decoder_cost(&text, own)?, out))
}

/// Every (stream, command) once under cachegrind, `jobs` at a time; ratios to the first command.
pub fn run(
    cmds: &[&Cmd],
    streams: &[BenchStream],
    own: &DecoderFunctions,
    scratch: &Path,
    jobs: usize,
    note: &(dyn Fn(&str) + Sync),
) -> Result<Value, String> {
    let work: Vec<(usize, usize)> = (0..streams.len())
        .flat_map(|s| (0..cmds.len()).map(move |c| (s, c)))
        .collect();
    note(&format!(
        "cachegrind: {} runs ({} streams x {} commands), {} at a time ...",
        work.len(),
        streams.len(),
        cmds.len(),
        jobs.max(1)
    ));
    let next = Mutex::new(0usize);
    let results: Mutex<BTreeMap<(usize, usize), Measured>> = Mutex::new(BTreeMap::new());
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1).min(work.len()) {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().expect("queue lock");
                        *n += 1;
                        *n - 1
                    };
                    let Some(&(si, ci)) = work.get(i) else { break };
                    let r = measure(cmds[ci], &streams[si], scratch, own);
                    if let Ok((c, _)) = &r {
                        note(&format!(
                            "cachegrind: {} on {}: Ir {}, mispredicts {}",
                            cmds[ci].id, streams[si].name, c.ir, c.mispredicts
                        ));
                    }
                    results.lock().expect("results lock").insert((si, ci), r);
                }
            });
        }
    });
    let mut results = results.into_inner().expect("results lock");
    let mut out = Vec::new();
    for (si, st) in streams.iter().enumerate() {
        let mut rows = Vec::new();
        let mut base: Option<Cost> = None;
        for (ci, c) in cmds.iter().enumerate() {
            let (cost, file) = results.remove(&(si, ci)).expect("every run done")?;
            let b = *base.get_or_insert(cost);
            let ratio = |x: u64, y: u64| (y > 0).then(|| x as f64 / y as f64);
            rows.push(json!({
                "id": c.id,
                "label": c.label,
                "ir": cost.ir,
                "mispredicts": cost.mispredicts,
                "cost": cost.weighted(),
                "ir_ratio": ratio(cost.ir, b.ir),
                "cost_ratio": ratio(cost.weighted(), b.weighted()),
                "cachegrind_out": file.display().to_string(),
            }));
        }
        out.push(
            json!({"stream": st.name, "path": st.path.display().to_string(), "results": rows}),
        );
    }
    Ok(json!({
        "baseline": cmds.first().map(|c| c.id.clone()),
        "mispredict_weight": MISPREDICT_WEIGHT,
        "decoder_functions": {
            "rust_crates": rust_stage_crates(),
            "c_functions": own.c.len(),
        },
        "streams": out,
    }))
}

/// The Markdown section.
pub fn markdown(cg: &Value) -> String {
    let base = cg["baseline"].as_str().unwrap_or("");
    let f3 = |v: &Value| v.as_f64().map_or("-".to_string(), |x| format!("{x:.3}"));
    let mut m = format!(
        "## cachegrind: decoder instructions and mispredicts\n\n\
         - Only the decoder's own functions (Rust stage crates {}, the safe stage's asm boundary `vp8_asm::safe`, {} C functions of \
         upstream-c/src); asm kernels, CLI, runtime and libc left out. cost = Ir + {} x \
         mispredicts (Bcm + Bim); ratios to `{base}`.\n\n\
         | stream | command | Ir | mispredicts | Ir ÷ {base} | cost ÷ {base} |\n|---|---|--:|--:|--:|--:|\n",
        rust_stage_crates().join(", "),
        cg["decoder_functions"]["c_functions"],
        cg["mispredict_weight"],
    );
    for st in cg["streams"].as_array().into_iter().flatten() {
        for r in st["results"].as_array().into_iter().flatten() {
            m += &format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                st["stream"].as_str().unwrap_or(""),
                r["label"].as_str().unwrap_or(""),
                r["ir"],
                r["mispredicts"],
                f3(&r["ir_ratio"]),
                f3(&r["cost_ratio"]),
            );
        }
    }
    m += "\n";
    m
}

/// The counts as ratios to every C build of the run (the C stage `c` and each C CLI `c-cli-X`),
/// one row per (stream, command): what the docs compare, where [`markdown`] gives ratios to the
/// first command only. Ir in millions.
pub fn ratios_markdown(cg: &Value) -> String {
    let first = cg["streams"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let bases: Vec<String> = first
        .iter()
        .filter_map(|r| r["id"].as_str())
        .filter(|id| *id == "c" || id.starts_with("c-cli-"))
        .map(str::to_string)
        .collect();
    let mut m = format!(
        "## cachegrind: decoder instructions as ratios to each C build\n\n\
         - Decoder functions only, as in the cachegrind table; cost = Ir + {} x mispredicts. \
         **Above 1 = more than that C build.**\n\n| stream | command | Ir (M) |",
        cg["mispredict_weight"]
    );
    for b in &bases {
        m += &format!(" Ir ÷ {b} |");
    }
    for b in &bases {
        m += &format!(" cost ÷ {b} |");
    }
    m += "\n|---|---|--:|";
    m += &"--:|".repeat(2 * bases.len());
    m += "\n";
    let ratio = |x: &Value, y: &Value| match (x.as_f64(), y.as_f64()) {
        (Some(x), Some(y)) if y > 0.0 => format!("{:.3}", x / y),
        _ => "-".to_string(),
    };
    for st in cg["streams"].as_array().into_iter().flatten() {
        let rows = st["results"].as_array().cloned().unwrap_or_default();
        let by_id = |id: &str| rows.iter().find(|r| r["id"] == id).cloned();
        for r in &rows {
            m += &format!(
                "| {} | {} | {} |",
                st["stream"].as_str().unwrap_or(""),
                r["label"].as_str().unwrap_or(""),
                r["ir"]
                    .as_f64()
                    .map_or("-".to_string(), |x| format!("{:.2}", x / 1e6)),
            );
            for key in ["ir", "cost"] {
                for b in &bases {
                    let cell = by_id(b).map_or("-".to_string(), |base| ratio(&r[key], &base[key]));
                    m += &format!(" {cell} |");
                }
            }
            m += "\n";
        }
    }
    m += "\n";
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoder_functions_by_symbol() {
        let own = DecoderFunctions {
            c: ["vp8_decode_frame", "decode_mb_rows"]
                .map(String::from)
                .into(),
        };
        assert!(own.contains("vp8_transpiled::decodeframe::decode_mb_rows"));
        assert!(own.contains("<vp8_transpiled::Foo as core::ops::Drop>::drop"));
        assert!(own.contains("vp8_safe::tokens::read"));
        assert!(own.contains("vp8_asm::safe::idct::idct_add_y_avx2::wrapper"));
        assert!(own.contains("decode_mb_rows.constprop.0"));
        assert!(!own.contains("core::ptr::drop_in_place<vp8_transpiled::Foo>"));
        assert!(!own.contains("vp8_transpiledx::f"));
        assert!(!own.contains("vp8_sixtap_predict16x16_ssse3"));
        assert!(!own.contains("memcpy"));
    }

    #[test]
    fn sums_only_the_decoder_functions() {
        let text = "desc: x\ncmd: y\nevents: Ir Bc Bcm Bi Bim\nfl=a.c\nfn=decode_mb_rows\n\
                    1 10 2 1 0 0\n2 5 1 1 1 1\nfn=memcpy\n3 100 9 9 9 9\nfn=vp8_transpiled::a::b\n\
                    4 7\nsummary: 122 12 11 10 10\n";
        let own = DecoderFunctions {
            c: ["decode_mb_rows"].map(String::from).into(),
        };
        let c = decoder_cost(text, &own).unwrap();
        assert_eq!(
            c,
            Cost {
                ir: 22,
                mispredicts: 3
            }
        );
        assert_eq!(c.weighted(), 22 + 45);
    }
}
