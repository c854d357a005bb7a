//! Runs the C self-tests of the DSP fallbacks (`tests/dsp_selftest.c`: ipred + idct,
//! `tests/dsp_selftest_mc_lf.c`: mc + loop filter). Each checks every kernel against a second,
//! deliberately naive implementation written from the RFC's formulas, plus composition properties
//! (16x16 == four 8x8, inner edges == three single edges, DC-only == full transform...). They are
//! built with the sanitizers when the compiler has them, so out-of-contract reads fail too.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

mod common;

fn cc() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".to_string())
}

/// Whether the compiler builds and links `-fsanitize=address,undefined`: probed once per test
/// binary (both tests share the answer; concurrent probes over one file could fail at random
/// and silently drop the sanitizers). Under CI (which has gcc's sanitizer runtimes) a compiler
/// without them is a failure.
fn sanitizers_available(out_dir: &Path) -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        let probe = out_dir.join("probe.c");
        std::fs::write(&probe, "int main(void) { return 0; }\n").unwrap();
        let ok = Command::new(cc())
            .args(["-fsanitize=address,undefined", "-o"])
            .arg(out_dir.join("probe"))
            .arg(&probe)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            vp8_stage::missing_tool(
                "a compiler with ASan/UBSan",
                "the DSP self-tests under the sanitizers",
            );
        }
        ok
    })
}

fn build_and_run(name: &str, sources: &[&str]) {
    let dir = common::crate_dir();
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dsp-selftest");
    std::fs::create_dir_all(&out_dir).unwrap();
    let exe = out_dir.join(name);
    let mut cmd = Command::new(cc());
    cmd.args([
        "-std=c11",
        "-O1",
        "-g",
        "-Wall",
        "-Wextra",
        "-DHAVE_TABLES_C",
    ]);
    if sanitizers_available(&out_dir) {
        cmd.args(["-fsanitize=address,undefined", "-fno-sanitize-recover=all"]);
    } else {
        eprintln!("note: running {name} without ASan/UBSan");
    }
    cmd.arg("-I")
        .arg(dir.join("src"))
        .arg("-I")
        .arg(dir.join("include"));
    cmd.arg("-I")
        .arg(dir.join("../asm/include"))
        .arg("-o")
        .arg(&exe);
    for s in sources {
        cmd.arg(dir.join(s));
    }
    // The domain inits call their x86 installers, which reference the shared kernels.
    if cfg!(target_arch = "x86_64") {
        for f in ["mc", "idct", "ipred", "loopfilter"] {
            cmd.arg(dir.join(format!("src/x86/{f}_init.c")));
        }
        cmd.arg(dir.join("src/cpu.c"));
        let asm_dir = dir.join("../asm/x86_64");
        let mut asm: Vec<_> = std::fs::read_dir(&asm_dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        asm.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "S"));
        asm.sort();
        cmd.args(&asm);
        if !asm.is_empty() {
            cmd.arg("-I").arg(&asm_dir);
        }
    }
    let status = cmd.status().expect("run the C compiler");
    assert!(status.success(), "building {name} failed");
    let out = Command::new(&exe).output().expect("run the self-test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{name} failed:\n{}\n{}",
        stdout.lines().rev().take(30).collect::<Vec<_>>().join("\n"),
        stderr
    );
    let summary = stdout.lines().last().unwrap_or("");
    assert!(
        summary.contains(" passed, 0 failed"),
        "{name}: unexpected summary {summary:?}"
    );
    eprintln!("{name}: {summary}");
}

#[test]
fn ipred_and_idct_fallbacks() {
    build_and_run(
        "dsp_selftest",
        &[
            "tests/dsp_selftest.c",
            "src/ipred.c",
            "src/idct.c",
            "src/mc.c",
            "src/loopfilter.c",
            "src/tables.c",
        ],
    );
}

#[test]
fn mc_and_loopfilter_fallbacks() {
    build_and_run(
        "dsp_selftest_mc_lf",
        &[
            "tests/dsp_selftest_mc_lf.c",
            "src/mc.c",
            "src/loopfilter.c",
            "src/idct.c",
            "src/ipred.c",
            "src/tables.c",
        ],
    );
}
