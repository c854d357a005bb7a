//! `portlab profile` on the project's own stages (C vs transpiled, one vp8dec binary), a few
//! frames of the 720p corpus stream: the instruction counts have the structure the stages
//! guarantee. The stages are bit-exact and call the same asm kernels with the same data, so
//! every kernel the C stage executes is executed by the transpiled stage with the identical
//! instruction count; the C stage's hottest functions are the known hot ones (token decoding,
//! mode parsing, the loop filter and motion compensation kernels). Needs valgrind (skipped with
//! a message without it, a failure when `CI` is set; .ci/run installs it); perf is used when it
//! works here.
//!
//! The comparison logic itself (flagging a synthetic difference, the callgrind parser, names)
//! is unit-tested in src/profile.rs.

use std::path::{Path, PathBuf};
use std::process::Command;

use portlab::inspect::binary::{Binary, Classifier};
use portlab::inspect::{self, disasm};
use serde_json::Value;

use portlab::host::workspace_root;

const PORTLAB: &str = env!("CARGO_BIN_EXE_portlab");
const VP8DEC: &str = env!("CARGO_BIN_EXE_vp8dec");

fn stream() -> PathBuf {
    let dir = match std::env::var_os("VP8_CORPUS_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/corpus/streams"),
    };
    dir.join("bench-720p-mandel-1280x720.ivf")
}

fn has_valgrind() -> bool {
    let ok = Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        vp8_stage::missing_tool("valgrind", "portlab profile (apt-get install valgrind)");
    }
    ok
}

fn scratch(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn profile(args: &[&str], dir: &Path) -> Value {
    let json = dir.join("profile.json");
    let out_dir = dir.join("out");
    let stream = stream();
    let mut all: Vec<String> = vec![
        "profile".into(),
        "--vp8dec".into(),
        VP8DEC.into(),
        "--stream".into(),
        stream.to_string_lossy().into_owned(),
        "--out".into(),
        out_dir.to_string_lossy().into_owned(),
        format!("--json={}", json.display()),
        "-q".into(),
    ];
    all.extend(args.iter().map(|s| s.to_string()));
    let o = Command::new(PORTLAB).args(&all).output().unwrap();
    assert!(
        o.status.success(),
        "portlab {all:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let md = String::from_utf8_lossy(&o.stdout);
    assert!(md.contains("## Shared asm kernels (the anchor)"), "{md}");
    serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap()
}

#[test]
fn c_and_transpiled_run_the_same_kernels_with_the_same_instructions() {
    if !has_valgrind() {
        return;
    }
    let dir = scratch("portlab-profile-test");
    let svg = dir.join("p.svg");
    let j = profile(
        &[
            "--limit",
            "6",
            "--perf-runs",
            "2",
            "--strict",
            "--svg",
            svg.to_str().unwrap(),
        ],
        &dir,
    );

    // Both sides ran, decoded the same pictures, and executed instructions.
    let sides = j["sides"].as_array().unwrap();
    assert_eq!(sides.len(), 2);
    assert_eq!(sides[0]["label"], "c");
    assert_eq!(sides[1]["label"], "transpiled");
    assert_eq!(
        sides[0]["md5"], sides[1]["md5"],
        "the stages must be bit-exact"
    );
    assert_eq!(j["meta"]["same_output"], true);
    for s in sides {
        let total = s["instructions"].as_u64().unwrap();
        let decoder = s["instructions_decoder"].as_u64().unwrap();
        let kernels = s["instructions_kernels"].as_u64().unwrap();
        assert!(total > 0 && decoder > 0 && kernels > 0, "{s}");
        assert!(decoder + kernels <= total, "{s}");
    }
    // The shared kernels carry the same work in both stages.
    assert_eq!(
        sides[0]["instructions_kernels"], sides[1]["instructions_kernels"],
        "kernel instructions differ between the stages"
    );

    // The anchor: every kernel the C stage executes, the transpiled stage executes with the
    // identical instruction count (and vice versa).
    let kernels = j["kernels"].as_array().unwrap();
    assert!(
        kernels.len() >= 10,
        "only {} kernels executed",
        kernels.len()
    );
    for k in kernels {
        let name = k["name"].as_str().unwrap();
        assert!(name.starts_with("vp8_"), "{name}");
        let (a, b) = (k["ir_a"].as_u64().unwrap(), k["ir_b"].as_u64().unwrap());
        assert!(a > 0, "{name}: executed by the transpiled stage only");
        assert_eq!(a, b, "{name}: {a} instructions in C, {b} in transpiled");
        assert_eq!(k["ir_equal"], true);
        assert_ne!(k["verdict"], "FLAG instructions differ");
    }
    let kernel_names: Vec<&str> = kernels
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .collect();
    assert!(
        kernel_names.iter().any(|n| n.starts_with("vp8_lf_")),
        "{kernel_names:?}"
    );
    assert!(
        kernel_names
            .iter()
            .any(|n| n.contains("sixtap") || n.contains("bilinear")),
        "{kernel_names:?}"
    );

    // The C stage's hottest functions are the known hot ones.
    let functions = j["functions"].as_array().unwrap();
    let mut c_top: Vec<(u64, &str, &str)> = functions
        .iter()
        .map(|f| {
            (
                f["ir_a"].as_u64().unwrap(),
                f["name"].as_str().unwrap(),
                f["category"].as_str().unwrap(),
            )
        })
        .collect();
    c_top.sort_by_key(|t| std::cmp::Reverse(t.0));
    let top10: Vec<&str> = c_top.iter().take(10).map(|t| t.1).collect();
    assert!(
        top10.iter().any(|n| n.contains("tokens")),
        "token decoding not in the C top 10: {top10:?}"
    );
    assert!(
        top10
            .iter()
            .any(|n| n.starts_with("vp8_lf_") || n.contains("sixtap")),
        "no loop filter / MC kernel in the C top 10: {top10:?}"
    );
    assert!(
        c_top.iter().take(3).any(|t| t.2 == "decoder"),
        "{:?}",
        &c_top[..3]
    );
    // The same logical function lines up across the stages under one name.
    let tokens = functions
        .iter()
        .find(|f| f["name"] == "vp8_decode_mb_tokens")
        .expect("vp8_decode_mb_tokens");
    assert!(
        tokens["ir_a"].as_u64().unwrap() > 0 && tokens["ir_b"].as_u64().unwrap() > 0,
        "{tokens}"
    );
    assert!(
        tokens["symbols_b"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().contains("vp8_transpiled")),
        "{tokens}"
    );

    // perf: used when it works here, reported when it does not.
    if j["meta"]["perf"].is_string() {
        for s in sides {
            assert!(s["perf_samples_per_run"].as_f64().unwrap() > 0.0, "{s}");
        }
        assert_eq!(kernels[0]["samples_a"].as_array().unwrap().len(), 2);
    } else {
        assert!(!j["meta"]["perf_note"].as_str().unwrap().is_empty());
    }

    // Charts: the kernel chart plots perf samples, so it is written only with them.
    let kernel_chart = dir.join("p-kernels.svg");
    let mut charts = vec![svg.clone()];
    if j["meta"]["perf"].is_string() {
        charts.push(kernel_chart);
    } else {
        assert!(!kernel_chart.exists(), "an empty kernel chart was written");
    }
    for p in charts {
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(
            text.starts_with("<svg") && text.contains("</svg>"),
            "{}",
            p.display()
        );
    }
    assert!(
        std::fs::read_to_string(&svg)
            .unwrap()
            .contains("vp8_decode_mb_tokens")
    );
}

#[test]
fn annotate_lines_up_a_kernel_instruction_by_instruction() {
    if !has_valgrind() {
        return;
    }
    let dir = scratch("portlab-profile-annotate-test");
    let j = profile(
        &[
            "--limit",
            "3",
            "--no-perf",
            "--function",
            "vp8_sixtap_16x16_avx2",
            "--annotate",
        ],
        &dir,
    );
    assert_eq!(j["meta"]["perf_note"], "skipped (--no-perf)");
    let rows = j["annotate"]["rows"].as_array().unwrap();
    assert!(rows.len() > 20, "{} rows", rows.len());
    // The same kernel, same binary: every instruction pairs with itself, with the same count.
    let mut executed = 0u64;
    for r in rows {
        let (a, b) = (&r["a"], &r["b"]);
        assert!(a.is_object() && b.is_object(), "unpaired row {r}");
        assert_eq!(a["addr"], b["addr"]);
        assert_eq!(a["instr"], b["instr"]);
        assert_eq!(a["ir"], b["ir"], "{r}");
        executed += a["ir"].as_u64().unwrap();
    }
    // The listing is `portlab inspect disasm`'s, line for line (Intel syntax, labels).
    let b = Binary::load(Path::new(VP8DEC), &Classifier::project(&workspace_root())).unwrap();
    let fi = inspect::find_funcs(&b, "asm", "vp8_sixtap_16x16_avx2")[0];
    let listing: Vec<String> = disasm::normalised(&b, fi, &b.decode(fi), false)
        .into_iter()
        .map(|(_, s)| s.trim().to_string())
        .collect();
    let annotated: Vec<&str> = rows
        .iter()
        .map(|r| r["a"]["instr"].as_str().unwrap())
        .collect();
    assert_eq!(annotated, listing);
    assert!(listing.iter().any(|l| l.starts_with("vmov")), "{listing:?}");
    let k = j["kernels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "vp8_sixtap_16x16_avx2")
        .expect("kernel row");
    assert_eq!(
        executed,
        k["ir_a"].as_u64().unwrap(),
        "per-instruction counts add up to the function's"
    );
}

#[test]
fn bad_arguments_are_refused() {
    let o = Command::new(PORTLAB)
        .args(["profile", "--stages", "c", "--vp8dec", VP8DEC, "-q"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("two stages"));
    let o = Command::new(PORTLAB)
        .args(["profile", "--annotate", "--vp8dec", VP8DEC])
        .output()
        .unwrap();
    assert!(
        !o.status.success(),
        "--annotate without --function must fail"
    );
}

/// Run a C toolchain command in `dir`; false if it is not installed (a failure when `CI` is set).
fn run_tool(dir: &Path, program: &str, args: &[&str]) -> bool {
    match Command::new(program).current_dir(dir).args(args).output() {
        Ok(o) => {
            assert!(
                o.status.success(),
                "{program} {args:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            true
        }
        Err(_) => {
            vp8_stage::missing_tool(program, "the C stage's names from a C build");
            false
        }
    }
}

/// Where a binary without a source file per symbol gets the C stage's names: the DWARF compile
/// units built from `upstream-c/src` (a `-g` build compiling `src/x.c` from `upstream-c/`), or,
/// without debug info, the symbols of the C stage's library beside it (the Makefile's
/// `libvp8.a`). A fixture laid out like the C stage, built both ways.
#[test]
fn c_stage_functions_come_from_dwarf_or_the_library_beside_the_binary() {
    let dir = scratch("portlab-profile-c-stage").join("upstream-c");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::create_dir_all(dir.join("tools")).unwrap();
    std::fs::write(
        dir.join("src/lib.c"),
        "__attribute__((noinline)) static int helper(int x) { return x * 3 + (x >> 2); }\n\
         int vp8_fixture_api(int x) { return helper(x) + helper(x + 1); }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("tools/main.c"),
        "int vp8_fixture_api(int);\nint main(int c, char **v) { (void)v; return vp8_fixture_api(c); }\n",
    )
    .unwrap();
    let names = |bin: &str| portlab::profile::c_stage_functions(&dir.join(bin));

    // The Makefile's way: no -g, the library beside the CLI.
    if !run_tool(&dir, "cc", &["-O2", "-c", "src/lib.c", "-o", "lib.o"])
        || !run_tool(&dir, "ar", &["rcs", "libvp8.a", "lib.o"])
    {
        return;
    }
    run_tool(
        &dir,
        "cc",
        &["-O2", "tools/main.c", "libvp8.a", "-o", "vp8dec"],
    );
    let n = names("vp8dec");
    assert!(
        n.contains("vp8_fixture_api") && n.contains("helper"),
        "{n:?}"
    );
    assert!(!n.contains("main"), "{n:?}");
    std::fs::remove_file(dir.join("libvp8.a")).unwrap();
    assert!(names("vp8dec").is_empty(), "no debug info, no library");

    // With debug info: the compile units of src/, whatever is beside the binary.
    run_tool(
        &dir,
        "cc",
        &["-O2", "-g", "src/lib.c", "tools/main.c", "-o", "vp8dec-g"],
    );
    let n = names("vp8dec-g");
    assert!(
        n.contains("vp8_fixture_api") && n.contains("helper"),
        "{n:?}"
    );
    assert!(!n.contains("main"), "{n:?}");
}

/// `--no-perf --svg`: the function chart is written, the kernel chart (perf samples per kernel)
/// is not, and the command says why instead of leaving an empty chart.
#[test]
fn no_perf_says_why_there_is_no_kernel_chart() {
    if !has_valgrind() {
        return;
    }
    let dir = scratch("profile-no-perf-chart");
    let svg = dir.join("np.svg");
    let _ = std::fs::remove_file(dir.join("np-kernels.svg"));
    let o = Command::new(PORTLAB)
        .args(["profile", "--vp8dec", VP8DEC, "--stream"])
        .arg(stream())
        .args(["--no-perf", "--limit", "2", "-q", "--out"])
        .arg(dir.join("out"))
        .arg("--svg")
        .arg(&svg)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(svg.is_file());
    assert!(
        !dir.join("np-kernels.svg").exists(),
        "an empty kernel chart was written"
    );
    assert!(
        err.contains("no kernel chart") && err.contains("skipped (--no-perf)"),
        "the reason is not given: {err}"
    );
}
