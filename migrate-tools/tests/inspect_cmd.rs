//! `portlab inspect` on real binaries: the `vp8dec` cargo built for these tests (the test
//! profile: optimized, with debug info; the same program `portlab inspect` reads by default in its
//! release build), a C fixture compiled by gcc with `-fstack-usage` (gcc's own frame sizes to
//! compare with), and a Rust fixture compiled by `rustc -O`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use iced_x86::{Mnemonic, OpKind, Register};
use portlab::inspect::binary::{Binary, Callee, Classifier};
use portlab::inspect::{self, frames, panics, source};

use portlab::host::workspace_root;

const PORTLAB: &str = env!("CARGO_BIN_EXE_portlab");
const VP8DEC: &str = env!("CARGO_BIN_EXE_vp8dec");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/inspect")
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("inspect")
        .join(name);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn vp8dec() -> &'static Binary {
    static B: OnceLock<Binary> = OnceLock::new();
    B.get_or_init(|| {
        Binary::load(Path::new(VP8DEC), &Classifier::project(&workspace_root())).unwrap()
    })
}

fn by_sym(b: &Binary, sym: &str) -> Vec<usize> {
    (0..b.funcs.len())
        .filter(|&i| b.funcs[i].sym == sym)
        .collect()
}

/// What a function's entry sequence implies, read independently of `frames`: 8 for the return
/// address, 8 per push, plus `sub rsp, imm`, over the straight-line code from the entry to the
/// first branch, call or return (compilers schedule other instructions between them).
fn prologue_frame(b: &Binary, fi: usize) -> i64 {
    let mut depth = 8;
    for ins in b.decode(fi) {
        if ins.flow_control() != iced_x86::FlowControl::Next {
            break;
        }
        match ins.mnemonic() {
            Mnemonic::Push => depth += 8,
            Mnemonic::Sub
                if ins.op_kind(0) == OpKind::Register && ins.op_register(0) == Register::RSP =>
            {
                depth += ins.immediate(1) as i64;
            }
            _ => {}
        }
    }
    depth
}

// ------------------------------------------------------------------------------------------------
// The release vp8dec.

#[test]
fn asm_kernels_are_one_copy_that_both_stages_reference() {
    let b = vp8dec();
    let kernels = source::asm_kernels(&workspace_root().join("asm"));
    let mut present = 0;
    for k in &kernels {
        let copies = by_sym(b, k);
        assert!(copies.len() <= 1, "{k} appears {} times", copies.len());
        if let Some(&i) = copies.first() {
            assert_eq!(b.funcs[i].origin.stage, "asm", "{k}");
            present += 1;
        }
    }
    // Every kernel the headers declare is linked (the C stage's DSP tables reference all of them).
    assert_eq!(
        present,
        kernels.len(),
        "asm kernels missing from the binary"
    );
    assert!(present >= 40, "{present}");

    // Both stages take the address of vp8_sixtap_16x16_ssse3 (their DSP tables), and it is the
    // same address: there is one function.
    let k = by_sym(b, "vp8_sixtap_16x16_ssse3")[0];
    let addr = b.funcs[k].addr;
    let mut refs: BTreeMap<String, usize> = BTreeMap::new();
    for stage in ["c", "transpiled"] {
        for i in b.stage_funcs(stage) {
            for ins in b.decode(i) {
                // lea of the address, a load of its GOT slot (what PIE code does for a global
                // function), or a call.
                let taken = b.address_taken(&ins) == Some(addr);
                let call = b.callee(&ins) == Some(Callee::Func(k));
                if taken || call {
                    *refs.entry(stage.to_string()).or_insert(0) += 1;
                }
            }
        }
    }
    assert!(refs.get("c").is_some_and(|&n| n > 0), "{refs:?}");
    assert!(refs.get("transpiled").is_some_and(|&n| n > 0), "{refs:?}");

    // So `inspect disasm` finds one function, the asm one, whichever stages are asked for.
    let stages = vec!["c".to_string(), "transpiled".to_string()];
    let (md, js) =
        inspect::disasm_report(b, "vp8_sixtap_16x16_ssse3", &stages, false, false, 3).unwrap();
    let sides = js["sides"].as_array().unwrap();
    assert_eq!(sides.len(), 1, "{md}");
    assert_eq!(sides[0]["stage"], "asm");
    assert_eq!(sides[0]["instructions"], b.decode(k).len());
    assert!(md.contains("one copy"), "{md}");
}

#[test]
fn frames_agree_with_the_prologues_and_between_cfi_and_disassembly() {
    let b = vp8dec();
    let stages = vec!["c".to_string(), "transpiled".to_string()];
    let all = frames::frames(b, &stages);
    // Wherever the CFI describes rsp throughout, the disassembly walk finds the same depth.
    let mut compared = 0;
    for f in &all {
        if f.source == "eh_frame" {
            assert_eq!(
                f.eh,
                Some(f.disasm.max_depth),
                "{}",
                b.funcs[f.func].demangled
            );
            compared += 1;
        }
    }
    assert!(compared > 50, "{compared}");

    // A known C function and its transpiled twin: frame = return address + pushes + sub rsp.
    let c = by_sym(b, "vp8_sixtap_16x16_c")[0];
    let fr = all.iter().find(|f| f.func == c).unwrap();
    assert_eq!(fr.frame, prologue_frame(b, c));
    assert!(fr.frame > 256, "{fr:?}"); // it holds a 16x21 intermediate block
    let t = inspect::find_funcs(b, "transpiled", "mc::vp8_sixtap_16x16_c")[0];
    let ft = all.iter().find(|f| f.func == t).unwrap();
    assert_eq!(ft.source, "eh_frame");
    assert_eq!(ft.eh, Some(prologue_frame(b, t)));

    // The comparison pairs functions by C name / last Rust path segment.
    let (md, js) = inspect::frames_report(b, &stages, 10);
    assert!(md.contains("### C vs transpiled"), "{md}");
    let rows = js["comparisons"][0]["rows"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["function"] == "mc::vp8_sixtap_16x16_c")
    );
}

#[test]
fn panics_are_found_through_the_got_in_rust_and_never_in_c() {
    let b = vp8dec();
    let stages = vec!["c".to_string(), "transpiled".to_string()];
    let all = panics::all_panic_sites(b, &stages);
    let c_sites: usize = all
        .iter()
        .filter(|p| b.funcs[p.func].origin.stage == "c")
        .map(|p| p.total())
        .sum();
    assert_eq!(c_sites, 0);
    let t: Vec<&panics::PanicSites> = all
        .iter()
        .filter(|p| b.funcs[p.func].origin.stage == "transpiled" && p.total() > 0)
        .collect();
    let bounds: usize = t
        .iter()
        .map(|p| p.by_kind.get("bounds").copied().unwrap_or(0))
        .sum();
    assert!(bounds > 0);
    // At least one of them is `call [rip+slot]` (PIE, through the GOT): no symbol name appears
    // in the instruction, only the slot's relocation tells.
    let via_got = t.iter().any(|p| {
        let f = &b.funcs[p.func];
        b.decode(p.func).iter().any(|ins| {
            p.sites.iter().any(|(off, _)| ins.ip() == f.addr + off)
                && ins.is_call_near_indirect()
                && ins.is_ip_rel_memory_operand()
        })
    });
    assert!(via_got, "no panic call went through the GOT");
}

#[test]
fn inlining_pairs_source_functions_with_symbols() {
    let b = vp8dec();
    let r = portlab::inspect::inlining::refs(b);
    let c_src = source::c_functions(&workspace_root().join("upstream-c/src"));
    let c = portlab::inspect::inlining::survival(b, &r, "c", &c_src);
    // vp8-c's Rust wrapper calls the C API through FFI: no inlining across that boundary.
    for api in [
        "vp8_open",
        "vp8_decode_frame",
        "vp8_get_picture",
        "vp8_close",
    ] {
        let s = c.iter().find(|s| s.src.name == api).unwrap();
        assert_eq!(s.status(), "symbol", "{api}");
        assert!(s.calls + s.tail_jumps > 0, "{api}");
    }
    // Every transpiled symbol is some source function of the transpiled stage.
    let t_src = source::rust_functions(&workspace_root().join("transpiled/src"));
    let t = portlab::inspect::inlining::survival(b, &r, "transpiled", &t_src);
    let matched: usize = t.iter().map(|s| s.symbols.len()).sum();
    let symbols = b
        .stage_funcs("transpiled")
        .filter(|&i| b.funcs[i].origin.variant.is_empty())
        .count();
    assert_eq!(matched, symbols);
    assert!(t.iter().any(|s| s.status() == "inlined"));
    // The transpiled CLI (transpiled/src/bin/: md5_*, ivf_*, main) is another binary, not linked
    // into vp8dec: its functions are not the stage's, so none of them can be "inlined" here.
    let cli_fns = |f: &str| f == "main" || f.starts_with("md5_") || f.starts_with("ivf_");
    let bin_src = std::fs::read_dir(workspace_root().join("transpiled/src/bin"))
        .unwrap()
        .flat_map(|e| walk_rs(&e.unwrap().path()))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect::<String>();
    assert!(bin_src.contains("fn md5_update"), "the CLI has moved");
    let counted: Vec<&str> = t
        .iter()
        .map(|s| s.src.name.as_str())
        .filter(|n| cli_fns(n))
        .collect();
    assert!(counted.is_empty(), "CLI functions counted: {counted:?}");
}

/// Every .rs file at or under `p`.
fn walk_rs(p: &Path) -> Vec<PathBuf> {
    if p.is_dir() {
        std::fs::read_dir(p)
            .unwrap()
            .flat_map(|e| walk_rs(&e.unwrap().path()))
            .collect()
    } else if p.extension().is_some_and(|x| x == "rs") {
        vec![p.to_path_buf()]
    } else {
        Vec::new()
    }
}

#[test]
fn the_cli_reports_markdown_and_json() {
    let bin = VP8DEC;
    let run = |args: &[&str]| {
        let o = Command::new(PORTLAB)
            .current_dir(workspace_root())
            .arg("inspect")
            .args(args)
            .arg("--binary")
            .arg(bin)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    let js: serde_json::Value = serde_json::from_str(&run(&["panics", "--json"])).unwrap();
    assert_eq!(js["stages"]["c"]["sites"], 0);
    let js: serde_json::Value = serde_json::from_str(&run(&["frames", "--json"])).unwrap();
    assert!(js["stages"]["transpiled"].as_array().unwrap().len() > 10);
    let md = run(&["inlining"]);
    assert!(
        md.contains("| c |") && md.contains("| transpiled |"),
        "{md}"
    );
    let md = run(&["disasm", "filter_mb_row"]);
    assert!(md.contains("| c | `filter_mb_row`"), "{md}");
    assert!(md.contains("vp8_transpiled::decode::filter_mb_row"), "{md}");
    assert!(md.contains("```diff"), "{md}");
}

// ------------------------------------------------------------------------------------------------
// Fixtures.

/// gcc's `-fstack-usage` figures for a C fixture built three ways (plain -O2, frame pointers,
/// stack-clash probes) equal the frames `inspect` reports, and the CFI and disassembly agree.
#[test]
fn c_fixture_frames_match_gcc_stack_usage() {
    if Command::new("gcc").arg("--version").output().is_err() {
        vp8_stage::missing_tool("gcc", "frames against gcc's -fstack-usage");
        return;
    }
    let dir = scratch("frames");
    let src = fixture("frames.c");
    for (variant, flags) in [
        ("plain", &[][..]),
        ("fp", &["-fno-omit-frame-pointer"][..]),
        ("clash", &["-fstack-clash-protection"][..]),
    ] {
        let obj = dir.join(format!("{variant}.o"));
        let exe = dir.join(variant);
        let o = Command::new("gcc")
            .args(["-O2", "-fstack-usage", "-c", "-o"])
            .arg(&obj)
            .args(flags)
            .arg(&src)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let o = Command::new("gcc")
            .arg("-o")
            .arg(&exe)
            .arg(&obj)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        // frames.c:13:31:big	624	static
        let su = std::fs::read_to_string(dir.join(format!("{variant}.su"))).unwrap();
        let expected: BTreeMap<String, i64> = su
            .lines()
            .filter(|l| l.ends_with("static"))
            .map(|l| {
                let mut cols = l.split('\t');
                let name = cols.next().unwrap().rsplit(':').next().unwrap().to_string();
                (name, cols.next().unwrap().parse().unwrap())
            })
            .collect();
        assert!(expected.len() >= 5, "{su}");

        let mut cls = Classifier {
            c_stage: "c".into(),
            ..Classifier::default()
        };
        for f in source::c_function_defs(&std::fs::read_to_string(&src).unwrap()) {
            cls.c_fns.insert(f.0, vec!["frames.c".into()]);
        }
        cls.c_files.insert("frames.c".into(), "frames.c".into());
        let b = Binary::load(&exe, &cls).unwrap();
        for (name, want) in &expected {
            let fi = *by_sym(&b, name)
                .first()
                .unwrap_or_else(|| panic!("{variant}: {name}"));
            let insns = b.decode(fi);
            let fr = frames::frame_of(&b, fi, &insns);
            assert_eq!(fr.frame, *want, "{variant} {name}: {fr:?}");
            assert_eq!(fr.disasm.max_depth, *want, "{variant} {name}: {fr:?}");
            if variant == "plain" {
                assert_eq!(fr.eh, Some(*want), "{variant} {name}");
            }
            if variant == "clash" && name == "huge" {
                assert!(fr.disasm.probes, "{fr:?}");
            }
        }
        // The known prologue: big = return address + sub rsp (+ pushes).
        let big = by_sym(&b, "big")[0];
        assert_eq!(prologue_frame(&b, big), expected["big"], "{variant}");
    }
}

/// A bounds check in a fixture compiled with `rustc -O` is found; a function without one has no
/// panic site; a frame beyond a page (probed) reads the same from CFI and code.
#[test]
fn rust_fixture_bounds_check_and_probed_frame() {
    let dir = scratch("panicfix");
    let exe = dir.join("panicfix");
    let o = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .args(["-O", "--edition", "2021", "--crate-name", "panicfix", "-o"])
        .arg(&exe)
        .arg(fixture("panicfix.rs"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let b = Binary::load(&exe, &Classifier::rust_only(&[("panicfix", "fixture")])).unwrap();
    let find = |name: &str| inspect::find_funcs(&b, "fixture", name)[0];

    let get = panics::panic_sites(&b, find("get"));
    assert_eq!(get.by_kind.get("bounds"), Some(&1), "{:?}", get.sites);
    let safe = panics::panic_sites(&b, find("get_or_zero"));
    assert_eq!(safe.total(), 0, "{:?}", safe.sites);

    let big = find("big_frame");
    let fr = frames::frame_of(&b, big, &b.decode(big));
    assert!(fr.frame > 20000, "{fr:?}");
    assert_eq!(fr.eh, Some(fr.disasm.max_depth), "{fr:?}");
    assert!(fr.disasm.probes, "{fr:?}");

    let stages = vec!["fixture".to_string()];
    let (md, _) = inspect::panics_report(&b, &stages, 5);
    assert!(md.contains("| fixture | `get` | 1 | 1 |"), "{md}");
}
