//! `portlab census` on hand-written fixtures (tests/fixtures/census/): every expected number below
//! was derived by reading the fixture, not by running the tool.

use std::path::{Path, PathBuf};
use std::process::Command;

use portlab::census::{self, Counts, RustCounts};

use portlab::host::workspace_root;

const PORTLAB: &str = env!("CARGO_BIN_EXE_portlab");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/census")
        .join(name)
}

#[test]
fn rust_fixture_counts() {
    let src = std::fs::read_to_string(fixture("sample.rs")).unwrap();
    let c = census::census_rust_source(&src).unwrap();
    let expected = RustCounts {
        // 51 lines, 12 blank, 2 `//` lines (the `//!` and the `///`), 2 block-comment lines.
        loc: 37,
        // raw_read, bump, safe_caller, exported, after_exported, nested, inner (the foreign
        // `abs` has no body).
        fns: 7,
        // raw_read, bump (`unsafe extern "C" fn`).
        unsafe_fns: 2,
        // in safe_caller and in nested.
        unsafe_blocks: 2,
        // unsafe impl Send.
        unsafe_impls: 1,
        // #[no_mangle].
        unsafe_attrs: 1,
        // statics: `0`; `3` (array length), `[1, 2, 3]` (4); raw_read: `*p.add(i)` (4); bump:
        // `COUNTER += 1` (3); safe_caller: `v.as_ptr()` (2), `unsafe {..}` (1) + `raw_read(p, 0)`
        // (4), `x as u8` (2); exported: `n + 1` (3); after_exported: `a as i64` (2), `b * 2` (3);
        // nested: `unsafe {..}` (1), `7` (1), `|| abs(-3)` (5), `inner() + c()` (5).
        exprs: 1 + 1 + 4 + 4 + 3 + (2 + 1 + 4 + 2) + 3 + (2 + 3) + (1 + 1 + 5 + 5),
        // raw_read's 4 and bump's 3 (unsafe fn bodies), the 4 inside safe_caller's block, the
        // closure (5) and the sum (5) inside nested's block -- not `7`: the nested `fn inner`
        // is an item with its own, safe, context. Nothing in exported or after_exported.
        unsafe_exprs: 4 + 3 + 4 + 5 + 5,
        // *const u8, *mut c_void.
        raw_ptr_types: 2,
        // COUNTER and the foreign errno_like.
        static_mut: 2,
        // abs, errno_like.
        extern_decls: 2,
        // x as u8, a as i64.
        as_casts: 2,
    };
    assert_eq!(c, expected);
}

/// cargo-geiger 0.11 marks everything after a safe `#[no_mangle]` function as unsafe. The census
/// decides by syntax alone: here only the one block at the end is unsafe.
#[test]
fn a_safe_no_mangle_function_does_not_make_the_rest_of_the_file_unsafe() {
    let src = r#"
#[no_mangle]
pub extern "C" fn exported(x: i32) -> i32 {
    x + 1
}

pub fn later(v: &[u8], i: usize) -> u8 {
    let y = v[i];
    y.wrapping_add(1)
}

pub fn last(p: *const u8) -> u8 {
    unsafe { *p }
}
"#;
    let c = census::census_rust_source(src).unwrap();
    assert_eq!(c.unsafe_fns, 0);
    assert_eq!(c.unsafe_blocks, 1);
    // `*p` and `p`.
    assert_eq!(c.unsafe_exprs, 2);
    // x + 1 (3); v[i] (3), y.wrapping_add(1) (3); unsafe {..} (1), *p (1), p (1).
    assert_eq!(c.exprs, 12);
    assert_eq!(c.unsafe_attrs, 1);
}

#[test]
fn c_fixture_counts() {
    let root = workspace_root();
    let path = fixture("sample.c");
    let clang = std::env::var("CLANG").unwrap_or_else(|_| "clang".into());
    let st = census::census_target(&root, path.to_str().unwrap(), Some(&clang)).unwrap();
    let Counts::C(c) = st.total else {
        panic!("not C")
    };
    // 29 lines: 4 blank, 1 comment-only; the string holding `//` and the line with a trailing
    // comment count.
    assert_eq!(c.loc, 24);
    if !portlab::transpile::clang_available(&clang) {
        eprintln!("clang not found: only lines were counted");
        return;
    }
    assert_eq!(c.fns, Some(2)); // sum, widen
    // name, next, n, p.
    assert_eq!(c.ptr_decls, Some(4));
    // (int)i, (long)p[i].
    assert_eq!(c.casts, Some(2));
    // n->v, n->next, *p.
    assert_eq!(c.ptr_derefs, Some(3));
    // limits[0], p[i].
    assert_eq!(c.subscripts, Some(2));
    // counter, name (a mutable pointer to const), calls; not the const limits.
    assert_eq!(c.mutable_globals, Some(3));
}

/// The project's stages: the transpiled stage's functions are unsafe except the few the
/// transpiler proves need no unsafe operation (plain `fn`s), and the CLI's JSON says what the
/// library computes.
#[test]
fn project_census_from_the_cli() {
    let root = workspace_root();
    let t = census::census_target(&root, "transpiled", None).unwrap();
    let Counts::Rust(tc) = t.total else { panic!() };
    let c = census::census_target(&root, "c", None).unwrap();
    assert!(
        tc.fns > 50 && tc.unsafe_fns < tc.fns && 2 * tc.unsafe_fns > tc.fns,
        "{tc:?}"
    );
    assert!(tc.raw_ptr_types > 0 && tc.as_casts > 0);
    assert!(c.modules.iter().any(|m| m.module == "decode.c"));
    assert!(t.modules.iter().any(|m| m.module == "decode"));

    let o = Command::new(PORTLAB)
        .current_dir(&root)
        .args(["census", "--stages", "transpiled", "--json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let total = &v["stages"][0]["total"];
    assert_eq!(total["unsafe_fns"], tc.unsafe_fns);
    assert_eq!(total["unsafe_exprs"], tc.unsafe_exprs);
    assert_eq!(total["loc"], tc.loc);

    let o = Command::new(PORTLAB)
        .current_dir(&root)
        .args(["census", "--stages", "c,transpiled", "--clang", "none"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&o.stdout);
    assert!(md.contains("| transpiled | decode |"), "{md}");
    assert!(md.contains("| c | decode.c |"), "{md}");
}
