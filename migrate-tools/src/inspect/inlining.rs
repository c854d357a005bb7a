//! Which source functions survive as symbols, and how often the rest of the binary reaches them.
//!
//! For every function the stage's source defines (C: `upstream-c/src/**`; transpiled: every
//! `fn` item of `transpiled/src/**`): the symbols of that stage with the same module and name
//! (GCC clones and per-codegen-unit copies of Rust `#[inline]` functions count as copies), and,
//! over the whole binary's disassembly, the direct `call`s to any copy, tail `jmp`s from other
//! functions, instructions taking its address (`lea`, loads of its GOT slot: function pointers
//! built in code) and relocated data words
//! holding it (function-pointer tables). A function with no symbol was inlined into every caller
//! — or, when nothing in the stage's own source names it ("uncalled"), inlined into a caller in
//! another crate (portlab's stage adapter calls the transpiled API) or dropped as unused.

use std::collections::{BTreeMap, HashMap};

use super::binary::{Binary, Callee};
use super::source::SrcFn;

/// How the binary's code reaches each function start.
#[derive(Debug, Clone, Default)]
pub struct Refs {
    /// Function index -> direct call sites.
    pub calls: HashMap<usize, usize>,
    /// Function index -> distinct calling functions.
    pub callers: HashMap<usize, usize>,
    /// Function index -> jumps from another function (tail calls).
    pub tail_jumps: HashMap<usize, usize>,
    /// Function index -> instructions taking its address (`lea reg, [rip+fn]`, GOT loads).
    pub lea: HashMap<usize, usize>,
    /// Function index -> instructions decoded.
    pub insns: HashMap<usize, usize>,
}

/// Decode every function of the binary once and collect the references.
pub fn refs(b: &Binary) -> Refs {
    let mut r = Refs::default();
    for i in 0..b.funcs.len() {
        let insns = b.decode(i);
        r.insns.insert(i, insns.len());
        let mut called: Vec<usize> = Vec::new();
        for ins in &insns {
            if let Some(a) = b.address_taken(ins) {
                if let Some(t) = b.func_at(a) {
                    *r.lea.entry(t).or_insert(0) += 1;
                }
                continue;
            }
            let Some(Callee::Func(t)) = b.callee(ins) else {
                continue;
            };
            if ins.is_call_near() || ins.is_call_near_indirect() {
                *r.calls.entry(t).or_insert(0) += 1;
                if !called.contains(&t) {
                    called.push(t);
                }
            } else if t != i {
                *r.tail_jumps.entry(t).or_insert(0) += 1;
                if !called.contains(&t) {
                    called.push(t);
                }
            }
        }
        for t in called {
            *r.callers.entry(t).or_insert(0) += 1;
        }
    }
    r
}

/// One source function in the binary.
#[derive(Debug, Clone)]
pub struct Survival {
    pub src: SrcFn,
    /// Symbol indices (copies and clones).
    pub symbols: Vec<usize>,
    pub calls: usize,
    pub callers: usize,
    pub tail_jumps: usize,
    pub lea: usize,
    pub data_refs: usize,
}

impl Survival {
    /// "symbol"; "inlined" (no symbol, called elsewhere in the stage's source); "uncalled" (no
    /// symbol, and the stage's source never names it: inlined into another crate's caller, or
    /// dropped as unused).
    pub fn status(&self) -> &'static str {
        if !self.symbols.is_empty() {
            "symbol"
        } else if self.src.uses > 0 {
            "inlined"
        } else {
            "uncalled"
        }
    }
}

/// Match source functions of `stage` with its symbols.
pub fn survival(b: &Binary, r: &Refs, stage: &str, src: &[SrcFn]) -> Vec<Survival> {
    let mut by_name: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for i in b.stage_funcs(stage) {
        let o = &b.funcs[i].origin;
        if o.variant.starts_with('{') {
            continue; // closures and shims are not the function itself
        }
        by_name
            .entry((o.module.as_str(), o.name.as_str()))
            .or_default()
            .push(i);
    }
    src.iter()
        .map(|s| {
            let symbols: Vec<usize> = if s.module.ends_with(".h") {
                // A header's static inline function: a copy in any file that includes it.
                by_name
                    .iter()
                    .filter(|((_, n), _)| *n == s.name)
                    .flat_map(|(_, v)| v.iter().copied())
                    .collect()
            } else {
                by_name
                    .get(&(s.module.as_str(), s.name.as_str()))
                    .cloned()
                    .unwrap_or_default()
            };
            let sum = |m: &HashMap<usize, usize>| {
                symbols.iter().map(|i| m.get(i).copied().unwrap_or(0)).sum()
            };
            Survival {
                calls: sum(&r.calls),
                callers: sum(&r.callers),
                tail_jumps: sum(&r.tail_jumps),
                lea: sum(&r.lea),
                data_refs: symbols.iter().map(|&i| b.data_refs(b.funcs[i].addr)).sum(),
                src: s.clone(),
                symbols,
            }
        })
        .collect()
}

/// The key that pairs a C function with its transpiled twin: module (`decode`, `mc_h`,
/// `x86::mc_init`) and name.
pub fn pair_key(module: &str) -> String {
    if module.is_empty() {
        return "lib".to_string(); // the crate root is the transpiled lib.c
    }
    let m = module
        .strip_suffix(".c")
        .map(str::to_string)
        .unwrap_or_else(|| {
            module
                .strip_suffix(".h")
                .map(|h| format!("{h}_h"))
                .unwrap_or_else(|| module.to_string())
        });
    m.replace('/', "::")
}
