//! checkasm (tests/checkasm/, README.md there): every asm kernel at every ISA level this CPU has,
//! against its C fallback, with randomized and extreme inputs and ABI checks. Built with the
//! Makefile (warnings as errors) into cargo's scratch folder and run with two seeds: a fixed one
//! and one that changes per run (printed, and settable with VP8_CHECKASM_SEED, so a failure
//! reproduces with `upstream-c/build/checkasm --seed=N`).
//!
//! It cannot pass vacuously: the output must list, for every ISA level the CPU reports, more
//! than zero kernels tested, and checkasm itself fails when a level installs a kernel no test
//! covers. `--selftest` checks that the ABI checker catches planted bugs. And the kernel symbols
//! are defined exactly once in a binary that links the C stage (vp8-asm assembles them; the C
//! stage's own library must not).
#![cfg(target_arch = "x86_64")]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn checkasm() -> &'static Path {
    static BIN: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = BIN.get_or_init(|| {
        let dir = common::make_build_dir("checkasm");
        common::make(&dir, &["WERROR=1", "checkasm"]).map(|()| dir.join("checkasm"))
    });
    match built {
        Ok(path) => path,
        Err(e) => panic!("building checkasm failed:\n{e}"),
    }
}

fn run(args: &[&str]) -> (bool, String) {
    let out = Command::new(checkasm())
        .args(args)
        .output()
        .expect("run checkasm");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Run all kernels with one seed; panics on any failure or on a vacuous run.
fn check_seed(seed: u64) {
    let (ok, text) = run(&[&format!("--seed={seed}")]);
    assert!(ok, "checkasm --seed={seed} failed:\n{text}");
    let cpu_line = text
        .lines()
        .find(|l| l.starts_with("checkasm: seed="))
        .unwrap_or_else(|| panic!("no header line:\n{text}"));
    let cpu_isas: Vec<&str> = cpu_line
        .split("cpu:")
        .nth(1)
        .unwrap_or("")
        .split_whitespace()
        .filter(|w| ["sse2", "ssse3", "avx2"].contains(w))
        .collect();
    // "isa sse2: 47 kernels tested (idct 6, mc 8, loopfilter 12, ipred 21)"
    let mut tested = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with("isa ")) {
        let Some((isa, rest)) = line["isa ".len()..].split_once(": ") else {
            continue;
        };
        if rest.contains(" kernels tested") {
            let n = rest.split(' ').next().and_then(|n| n.parse::<u32>().ok());
            tested.insert(isa.to_string(), n.unwrap_or(0));
        }
    }
    // Every x86-64 CPU has SSE2: an empty list means the output format changed.
    assert!(cpu_isas.contains(&"sse2"), "no ISA level detected:\n{text}");
    for isa in &cpu_isas {
        let n = tested.get(*isa).copied().unwrap_or(0);
        assert!(
            n > 0,
            "checkasm tested no kernel at the {isa} level, which the CPU has:\n{text}"
        );
    }
    let summary = text
        .lines()
        .find(|l| l.starts_with("checkasm: ") && l.ends_with(" failed"))
        .unwrap_or_else(|| panic!("no summary line:\n{text}"));
    let passed: u32 = summary["checkasm: ".len()..]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(summary.ends_with(" 0 failed"), "{summary}\n{text}");
    assert_eq!(
        passed,
        tested.values().sum::<u32>(),
        "passed count does not match the per-ISA counts:\n{text}"
    );
    eprintln!("checkasm --seed={seed}: {summary}; per ISA: {tested:?}");
}

#[test]
fn every_kernel_matches_c_fixed_seed() {
    check_seed(1);
}

#[test]
fn every_kernel_matches_c_changing_seed() {
    let seed = match std::env::var("VP8_CHECKASM_SEED") {
        Ok(s) => s.parse().expect("VP8_CHECKASM_SEED must be a number"),
        Err(_) => {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap();
            (t.as_secs() ^ u64::from(t.subsec_nanos())) & 0xffff_ffff
        }
    };
    check_seed(seed);
}

#[test]
fn abi_checker_catches_planted_bugs() {
    let (ok, text) = run(&["--selftest"]);
    assert!(ok, "checkasm --selftest failed:\n{text}");
    assert!(text.contains(" checks, 0 failed"), "{text}");
}

#[test]
fn list_and_filters_work() {
    let (ok, text) = run(&["--list", "--test=idct"]);
    assert!(ok, "{text}");
    assert!(text.contains("vp8_idct_add_sse2"), "{text}");
    assert!(
        !text.contains("sixtap"),
        "--test=idct listed other domains:\n{text}"
    );
    let (ok, text) = run(&["--test=vp8_iwht_dc_sse2", "--seed=7", "-v"]);
    assert!(ok, "{text}");
    assert!(
        text.contains("ok   vp8_iwht_dc_sse2") && text.contains("1 passed, 0 failed"),
        "{text}"
    );
    let (ok, text) = run(&["--isa=avx512"]);
    assert!(!ok && text.contains("unknown ISA level"), "{text}");
}

/// Kernel names declared in asm/include/vp8asm/*.h.
fn header_kernels() -> Vec<String> {
    let dir = common::crate_dir().join("../asm/include/vp8asm");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some(rest) = line.trim().strip_prefix("void vp8_") {
                if let Some((name, _)) = rest.split_once('(') {
                    names.push(format!("vp8_{name}"));
                }
            }
        }
    }
    names.sort();
    assert!(names.len() >= 6, "kernels not found in {}", dir.display());
    names
}

/// `name -> number of definitions` of the given symbols in nm's output for `path`.
fn defined(path: &Path, names: &[String]) -> BTreeMap<String, usize> {
    let out = Command::new("nm").arg(path).output().expect("run nm");
    assert!(out.status.success(), "nm {} failed", path.display());
    let text = String::from_utf8_lossy(&out.stdout);
    let mut count: BTreeMap<String, usize> = names.iter().map(|n| (n.clone(), 0)).collect();
    for line in text.lines() {
        let mut parts = line.split_whitespace().rev();
        let (Some(sym), Some(kind)) = (parts.next(), parts.next()) else {
            continue;
        };
        // Anything but undefined (U) or weak-undefined (w/v) references is a definition.
        if !matches!(kind, "U" | "w" | "v") {
            if let Some(c) = count.get_mut(sym) {
                *c += 1;
            }
        }
    }
    count
}

#[test]
fn kernel_symbols_are_defined_once() {
    // Make sure this binary links the C stage (and so every kernel its tables reference).
    let decoder = vp8_c::Decoder::new(vp8_c::Settings::default());
    assert!(decoder.is_ok());
    let names = header_kernels();

    let exe = std::env::current_exe().unwrap();
    let in_exe = defined(&exe, &names);
    let wrong: Vec<String> = in_exe
        .iter()
        .filter(|&(_, &c)| c != 1)
        .map(|(n, c)| format!("{n}: defined {c} times"))
        .collect();
    assert!(
        wrong.is_empty(),
        "in {}:\n{}",
        exe.display(),
        wrong.join("\n")
    );

    // The C stage's own archive must not carry a copy (vp8-asm's is the only one).
    let lib = Path::new(env!("VP8_C_OUT_DIR")).join("libvp8c.a");
    let in_lib: Vec<String> = defined(&lib, &names)
        .into_iter()
        .filter(|&(_, c)| c > 0)
        .map(|(n, _)| n)
        .collect();
    assert!(
        in_lib.is_empty(),
        "{} defines kernels vp8-asm owns: {in_lib:?}",
        lib.display()
    );
}
