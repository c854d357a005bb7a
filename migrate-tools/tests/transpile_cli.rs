//! `portlab transpile` on C that is not the project's, as a user runs it from their own folder:
//! relative paths, the root found from the inputs, a crate that builds on its own, and errors
//! (never an empty crate with status 0) when something would be dropped.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use vp8_stage::missing_tool;

const PORTLAB: &str = env!("CARGO_BIN_EXE_portlab");

/// A small C program: a header with an anonymous struct named by its typedef, `//` comments,
/// a library file and `main` in `main.c` (whose module must not collide with the crate root).
fn project(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::create_dir_all(dir.join("include")).unwrap();
    let files = [
        (
            "include/ops.h",
            "#ifndef OPS_H\n#define OPS_H\ntypedef struct { int a; int b; } pair;\n\
             int add_one(int x);\nint sum(const pair *p);\n#endif\n",
        ),
        (
            "src/ops.c",
            "#include \"ops.h\"\n// Adds one.\nint add_one(int x) { return x + 1; }\n\
             /* Sums p[0] and <p[1]>. */\nint sum(const pair *p) { return p->a + p->b; }\n",
        ),
        (
            "src/main.c",
            "#include <stdio.h>\n#include \"ops.h\"\nint main(void) {\n\
             pair p = { 20, 22 };\n printf(\"%d %d\\n\", add_one(41), sum(&p));\n return 0;\n}\n",
        ),
        ("src/decls.c", "#include \"ops.h\"\nint add_one(int x);\n"),
    ];
    for (path, text) in files {
        std::fs::write(dir.join(path), text).unwrap();
    }
    dir
}

fn transpile(dir: &Path, args: &[&str]) -> Output {
    Command::new(PORTLAB)
        .current_dir(dir)
        .arg("transpile")
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn have_clang() -> bool {
    if portlab::transpile::clang_available("clang") {
        return true;
    }
    missing_tool("clang", "portlab transpile on C outside the project");
    false
}

#[test]
fn a_standalone_crate_from_the_users_folder_builds_and_runs_like_gcc() {
    if !have_clang() {
        return;
    }
    let dir = project("transpile-cli-ok");
    let o = transpile(
        &dir,
        &["src/ops.c", "src/main.c", "-I", "include", "--out", "out"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.join("out");
    let toml = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        toml.contains("\n[workspace]") && !toml.contains(".workspace = true"),
        "{toml}"
    );
    let ops = std::fs::read_to_string(out.join("src/ops.rs")).unwrap();
    assert!(ops.contains("/// Adds one.\n"), "{ops}");
    assert!(ops.contains(r"/// Sums p\[0\] and \<p\[1\]>."), "{ops}");
    let header = std::fs::read_to_string(out.join("src/ops_h.rs")).unwrap();
    assert!(header.contains("pub struct pair"), "{header}");
    assert!(out.join("src/main_c.rs").is_file());

    // The crate builds where it is, with no workspace around it (offline: libc is in cargo's
    // cache, as the transpiled stage depends on it).
    let build = Command::new(env!("CARGO"))
        .current_dir(&out)
        .args(["build", "--offline", "--quiet"])
        .env("CARGO_TARGET_DIR", out.join("target"))
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", stderr(&build));
    let rust = Command::new(out.join("target/debug/out")).output().unwrap();
    let c_bin = dir.join("c.out");
    let cc = Command::new("cc")
        .current_dir(&dir)
        .args(["-Iinclude", "src/ops.c", "src/main.c", "-o"])
        .arg(&c_bin)
        .output()
        .unwrap();
    assert!(cc.status.success(), "{}", stderr(&cc));
    let c = Command::new(&c_bin).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&rust.stdout), "42 42\n");
    assert_eq!(rust.stdout, c.stdout);
}

#[test]
fn what_would_be_dropped_is_an_error() {
    if !have_clang() {
        return;
    }
    let dir = project("transpile-cli-errors");
    // The header's folder outside --root: its declarations would count as system headers.
    let o = transpile(
        &dir,
        &[
            "src/ops.c",
            "-I",
            "include",
            "--root",
            "src",
            "--out",
            "out",
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("is outside --root"), "{}", stderr(&o));
    // Without --out the project's own transpiled/ would be overwritten.
    let o = transpile(&dir, &["src/ops.c", "-I", "include"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--out DIR is required"),
        "{}",
        stderr(&o)
    );
    // A file that defines nothing gives an error naming it, not an empty module.
    let o = transpile(&dir, &["src/decls.c", "-I", "include", "--out", "out"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("nothing was translated") && stderr(&o).contains("src/decls.c"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.join("out").exists());
}
