//! Panic call sites: every `call`/`jmp` in a function whose target resolves (directly, through
//! a PLT stub, or through a GOT slot and its relocation) to a panic entry point of `core`/`std`/
//! `alloc`, by kind. A `call [rip+slot]` to `core::panicking::panic_bounds_check` shows in
//! `objdump -d` as `call *0x10ee2a(%rip) # <_DYNAMIC+0x258>`: only the slot's
//! `R_X86_64_RELATIVE` relocation says where it goes, which is why this never greps text.

use std::collections::BTreeMap;

use super::binary::{Binary, Callee};

/// The kind of a panic entry point, from its demangled path (`None`: not a panic).
pub fn panic_kind(path: &str) -> Option<&'static str> {
    let last = path.rsplit("::").next().unwrap_or(path);
    if path.starts_with("core::panicking::panic_bounds_check")
        || path.starts_with("core::slice::index::slice_")
            && (last.ends_with("_fail") || path.contains("_fail::"))
        || path.starts_with("core::str::slice_error_fail")
        || last == "len_mismatch_fail"
    {
        return Some("bounds");
    }
    if path.starts_with("core::panicking::panic_const::") {
        return Some(
            if path.contains("div_by_zero") || path.contains("rem_by_zero") {
                "div_zero"
            } else {
                "overflow"
            },
        );
    }
    if path.starts_with("core::option::unwrap_failed")
        || path.starts_with("core::option::expect_failed")
        || path.starts_with("core::result::unwrap_failed")
    {
        return Some("unwrap");
    }
    if path.starts_with("alloc::alloc::handle_alloc_error")
        || path.starts_with("alloc::raw_vec::handle_error")
        || path.starts_with("alloc::raw_vec::capacity_overflow")
    {
        return Some("alloc");
    }
    // Landing pads of `extern "C"` functions (and drops during unwinding): a panic may not
    // unwind out of them, so the unwinder lands here and aborts.
    if path.starts_with("core::panicking::panic_cannot_unwind")
        || path.starts_with("core::panicking::panic_in_cleanup")
        || path.starts_with("core::panicking::panic_nounwind")
    {
        return Some("nounwind");
    }
    if path.starts_with("core::panicking::")
        || path.starts_with("std::panicking::begin_panic")
        || path.starts_with("std::rt::begin_panic")
        || path.starts_with("core::cell::panic_already")
    {
        return Some("panic");
    }
    None
}

/// C's equivalents (not panics, reported apart): abort paths and fortify/stack-protector failures.
pub fn c_trap_kind(name: &str) -> bool {
    matches!(
        name,
        "abort" | "__assert_fail" | "__stack_chk_fail" | "__chk_fail" | "__fortify_fail"
    ) || name.ends_with("_chk_fail")
}

/// The kinds in report order.
pub const KINDS: [&str; 7] = [
    "bounds", "overflow", "div_zero", "unwrap", "panic", "nounwind", "alloc",
];

/// One function's panic and trap sites.
#[derive(Debug, Clone, Default)]
pub struct PanicSites {
    pub func: usize,
    /// kind -> number of call/jmp sites.
    pub by_kind: BTreeMap<&'static str, usize>,
    /// (offset in the function, callee path) of each site.
    pub sites: Vec<(u64, String)>,
    /// Calls to abort/__assert_fail/__stack_chk_fail.
    pub c_traps: usize,
}

impl PanicSites {
    pub fn total(&self) -> usize {
        self.by_kind.values().sum()
    }
}

fn callee_path(b: &Binary, c: &Callee) -> Option<String> {
    match c {
        Callee::Func(i) => Some(b.funcs[*i].demangled.clone()),
        Callee::Import(n) => Some(n.clone()),
        _ => None,
    }
}

/// Panic sites of function `fi`.
pub fn panic_sites(b: &Binary, fi: usize) -> PanicSites {
    let mut out = PanicSites {
        func: fi,
        ..PanicSites::default()
    };
    let f = &b.funcs[fi];
    for ins in b.decode(fi) {
        let Some(c) = b.callee(&ins) else { continue };
        // A jump inside the function is a branch, not a call.
        if let Callee::Addr(a) = c {
            if a >= f.addr && a < f.addr + f.size {
                continue;
            }
        }
        let Some(p) = callee_path(b, &c) else {
            continue;
        };
        if let Some(k) = panic_kind(&p) {
            *out.by_kind.entry(k).or_insert(0) += 1;
            out.sites.push((ins.ip() - f.addr, p));
        } else if c_trap_kind(&p) {
            out.c_traps += 1;
        }
    }
    out
}

/// Panic sites of every function of the given stages (functions with none included).
pub fn all_panic_sites(b: &Binary, stages: &[String]) -> Vec<PanicSites> {
    (0..b.funcs.len())
        .filter(|&i| stages.iter().any(|s| *s == b.funcs[i].origin.stage))
        .map(|i| panic_sites(b, i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(
            panic_kind("core::panicking::panic_bounds_check"),
            Some("bounds")
        );
        assert_eq!(
            panic_kind("core::slice::index::slice_end_index_len_fail"),
            Some("bounds")
        );
        assert_eq!(
            panic_kind("core::panicking::panic_const::panic_const_add_overflow"),
            Some("overflow")
        );
        assert_eq!(panic_kind("core::option::unwrap_failed"), Some("unwrap"));
        assert_eq!(panic_kind("core::panicking::panic_fmt"), Some("panic"));
        assert_eq!(
            panic_kind("core::panicking::panic_cannot_unwind"),
            Some("nounwind")
        );
        assert_eq!(panic_kind("memcpy"), None);
        assert_eq!(panic_kind("vp8_transpiled::decode::panic_free"), None);
    }
}
