//! `portlab stages` on a small git repository made here: commits with and without `Port-step:`
//! trailers (one on a side branch merged with a merge commit, one whose step does not build),
//! measured through a stub (`--measure-with`, a shell script printing each step's committed
//! `measure.json`) so that no real build runs. The census of each step's `safe/src` is real.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const PORTLAB: &str = env!("CARGO_BIN_EXE_portlab");

fn git(repo: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write(repo: &Path, rel: &str, text: &str) {
    let p = repo.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn commit(repo: &Path, message: &str) {
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", message]);
}

/// A step's measurements as the stub prints them.
fn measure(ir_ratio: f64, panics: u32) -> String {
    format!(
        r#"{{"bit_exact": true, "streams_checked": 2, "ir_ratio": {ir_ratio}, "panic_sites": {panics}, "bounds_checks": {b}, "time_ratio": {{"median": {t}, "ci_low": {l}, "ci_high": {h}, "pairs": 3}}, "stage_code_bytes": 4096, "peak_rss_kb": 3072}}"#,
        b = panics / 2,
        t = ir_ratio + 0.01,
        l = ir_ratio - 0.02,
        h = ir_ratio + 0.05,
    )
}

/// The fixture repository and the stub's call log.
fn fixture(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("portlab-stages-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    write(&repo, "README.md", "fixture\n");
    write(
        &repo,
        "transpiled/src/lib.rs",
        "pub unsafe fn f(p: *const u8) -> u8 {\n    unsafe { *p }\n}\n",
    );
    commit(&repo, "start");
    // Step 0: two unsafe fns, both bodies unsafe context.
    write(
        &repo,
        "safe/src/lib.rs",
        "pub unsafe fn get(p: *const u8) -> u8 {\n    unsafe { *p }\n}\npub unsafe fn put(p: *mut u8, v: u8) {\n    unsafe { *p = v }\n}\n",
    );
    write(&repo, "measure.json", &measure(1.50, 10));
    commit(
        &repo,
        "safe: step 0, a copy\n\nPort-step: 0 copy of the transpiled library\n",
    );
    // A tooling commit: no trailer; a trailer-like line inside the body does not count.
    write(&repo, "tools.txt", "x\n");
    commit(
        &repo,
        "tools: something else\n\nPort-step: 9 not a trailer, the paragraph below ends the message\n\nJust text.\n",
    );
    // Step 1: one unsafe fn left.
    write(
        &repo,
        "safe/src/lib.rs",
        "pub fn get(v: &[u8]) -> u8 {\n    v[0]\n}\npub unsafe fn put(p: *mut u8, v: u8) {\n    unsafe { *p = v }\n}\n",
    );
    write(&repo, "measure.json", &measure(1.30, 14));
    commit(
        &repo,
        "safe step 1: get over a slice\n\nPort-step: 1 get over a slice\n",
    );
    // Step 3 on a side branch, merged with a merge commit (first-parent order would miss it;
    // `-s ours`: both sides changed measure.json, and the merge commit is no step).
    git(&repo, &["checkout", "-q", "-b", "side"]);
    write(&repo, "side.txt", "side\n");
    write(&repo, "measure.json", &measure(1.10, 20));
    commit(
        &repo,
        "safe step 3: from the side branch\n\nPort-step: 3 side branch step\n",
    );
    git(&repo, &["checkout", "-q", "main"]);
    // Step 2 does not build (the stub fails where FAIL exists).
    write(&repo, "FAIL", "\n");
    commit(
        &repo,
        "safe step 2: broken\n\nPort-step: 2 a step that does not build\n",
    );
    std::fs::remove_file(repo.join("FAIL")).unwrap();
    write(&repo, "measure.json", &measure(1.20, 12));
    commit(
        &repo,
        "safe step 4: fixed again\n\nPort-step: 4 all safe now\n",
    );
    git(
        &repo,
        &[
            "merge",
            "-q",
            "--no-ff",
            "-s",
            "ours",
            "-m",
            "merge side",
            "side",
        ],
    );

    let log = dir.join("calls.log");
    let stub = dir.join("stub.sh");
    std::fs::write(
        &stub,
        format!(
            "#!/bin/sh\necho \"$1 $2\" >> '{log}'\n\
             if [ \"$1\" = fixed ]; then\n  echo '{{\"bit_exact\": true, \"ir_ratio\": 1.0, \"peak_rss_kb\": 2048}}'\n  exit 0\nfi\n\
             if [ -f \"$2/FAIL\" ]; then\n  echo 'error[E0308]: mismatched types' >&2\n  exit 1\nfi\n\
             cat \"$2/measure.json\"\n",
            log = log.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).unwrap();
    (repo, stub, log)
}

fn portlab(args: &[&str]) -> Output {
    Command::new(PORTLAB).args(args).output().unwrap()
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn rows(v: &Value) -> Vec<(String, String)> {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["row"].as_str().unwrap().to_string(),
                r["title"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn calls(log: &Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn list_orders_steps_by_number_with_titles() {
    let (repo, _, _) = fixture("list");
    let r = repo.to_str().unwrap();
    let out = portlab(&["stages", "list", "--repo", r, "--json"]);
    assert!(out.status.success());
    let v = json_of(&out);
    assert_eq!(v["order"], "step number");
    assert_eq!(
        rows(&v),
        [
            ("c", "the C decoder (upstream-c)"),
            ("transpiled", "the transpiled library (transpiled)"),
            ("0", "copy of the transpiled library"),
            ("1", "get over a slice"),
            ("2", "a step that does not build"),
            ("3", "side branch step"),
            ("4", "all safe now"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // Each step names its own commit.
    let step3 = &v["rows"][5];
    let subject = Command::new("git")
        .args(["-C", r, "log", "-1", "--format=%s"])
        .arg(step3["commit"].as_str().unwrap())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&subject.stdout).trim(),
        "safe step 3: from the side branch"
    );
    assert!(
        step3["commit"]
            .as_str()
            .unwrap()
            .starts_with(step3["short"].as_str().unwrap())
    );
    // The text table, and --rev: main before the merge has no step 3.
    let out = portlab(&["stages", "list", "--repo", r, "--rev", "main~1"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let firsts: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(firsts, ["c", "transpiled", "0", "1", "2", "4"]);
    assert!(text.contains("all safe now"));
    let _ = std::fs::remove_dir_all(repo.parent().unwrap());
}

#[test]
fn run_reports_failures_goes_on_and_caches() {
    let (repo, stub, log) = fixture("run");
    let r = repo.to_str().unwrap();
    let s = stub.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut a = vec![
            "stages",
            "run",
            "--repo",
            r,
            "--measure-with",
            s,
            "--json",
            "-q",
        ];
        a.extend_from_slice(extra);
        portlab(&a)
    };
    let out = run(&[]);
    // A failed step makes the exit status 1, after every other row was measured.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    let ids: Vec<String> = rows(&v).into_iter().map(|r| r.0).collect();
    assert_eq!(ids, ["c", "transpiled", "0", "1", "2", "3", "4"]);
    let row = |id: &str| {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["row"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(row("2")["status"], "build-failed");
    assert!(
        row("2")["error"]
            .as_str()
            .unwrap()
            .contains("mismatched types")
    );
    for id in ["c", "transpiled", "0", "1", "3", "4"] {
        assert_eq!(row(id)["status"], "ok", "{id}");
        assert_eq!(row(id)["cached"], false, "{id}");
    }
    assert_eq!(v["measured"], 7);
    assert_eq!(v["failed"], 1);
    assert_eq!(row("3")["ir_ratio"], 1.10);
    // The census is real: step 0 has 2 unsafe fns, step 1 one; the transpiled row is
    // counted from the current tree.
    assert_eq!(row("0")["census"]["unsafe_fns"], 2);
    assert_eq!(row("1")["census"]["unsafe_fns"], 1);
    assert_eq!(row("transpiled")["census"]["unsafe_fns"], 1);
    assert!(
        row("0")["census"]["unsafe_exprs"].as_u64().unwrap()
            > row("1")["census"]["unsafe_exprs"].as_u64().unwrap()
    );
    // Each step was checked out in its own worktree under target/stages/wt.
    let c = calls(&log);
    assert_eq!(c.len(), 7, "{c:?}");
    assert!(
        c[0].starts_with("fixed c") && c[1].starts_with("fixed transpiled"),
        "{c:?}"
    );
    for (line, id) in c[2..].iter().zip(["0", "1", "2", "3", "4"]) {
        let wt = line.strip_prefix("step ").unwrap();
        assert!(wt.contains("target/stages/wt/"), "{line}");
        assert_eq!(
            row(id)["short"].as_str().unwrap(),
            Path::new(wt).file_name().unwrap().to_str().unwrap()
        );
    }
    // The report: one row per step, and the four charts.
    let md = std::fs::read_to_string(repo.join("docs/stages.md")).unwrap();
    assert!(md.contains("| 1 | `"), "{md}");
    assert!(md.contains("| get over a slice | yes |"), "{md}");
    assert!(md.contains("**build-failed**"), "{md}");
    assert!(md.contains("1.110 (1.080–1.150)"), "{md}");
    for chart in ["instructions", "time", "unsafe", "tradeoff"] {
        let svg =
            std::fs::read_to_string(repo.join(format!("docs/img/stages-{chart}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{chart}");
    }

    // Rerun: everything comes from the cache, the stub is not called, the failure stays.
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1));
    let v2 = json_of(&out);
    assert_eq!(v2["measured"], 0);
    assert!(
        v2["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["cached"] == true)
    );
    assert_eq!(calls(&log).len(), 7);
    assert_eq!(rows(&v2), rows(&v));

    // --retry-failed measures only the failed step again; --steps limits the steps.
    let out = run(&["--retry-failed"]);
    assert_eq!(json_of(&out)["measured"], 1);
    let c = calls(&log);
    assert_eq!(c.len(), 8);
    assert!(
        c[7].starts_with("step ") && c[7].ends_with(row("2")["short"].as_str().unwrap()),
        "{c:?}"
    );
    let out = run(&["--steps", "3..4", "--no-fixed"]);
    assert_eq!(out.status.code(), Some(0));
    let ids: Vec<String> = rows(&json_of(&out)).into_iter().map(|r| r.0).collect();
    assert_eq!(ids, ["3", "4"]);
    assert_eq!(calls(&log).len(), 8);
    let _ = std::fs::remove_dir_all(repo.parent().unwrap());
}
