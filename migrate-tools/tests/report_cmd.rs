//! `portlab report`, the front door (`portlab` with no subcommand, `cargo run --release` at the
//! root): on the sample stream every stage is bit-exact, every column is filled from its tool, and
//! the page and its charts are written.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const PORTLAB: &str = env!("CARGO_BIN_EXE_portlab");

fn has_valgrind() -> bool {
    Command::new("valgrind").arg("--version").output().is_ok()
}

#[test]
fn no_subcommand_is_the_report_with_every_column_filled() {
    if !has_valgrind() {
        vp8_stage::missing_tool("valgrind", "portlab report's instruction counts");
        return;
    }
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-cmd");
    std::fs::remove_dir_all(&out_dir).ok();
    // No subcommand: the report's options are accepted at the top level.
    let out = Command::new(PORTLAB)
        .args(["--rounds", "2", "--ir-frames", "3", "--json", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["stage"].as_str().unwrap()).collect();
    assert_eq!(names, ["c", "transpiled", "safe"]);
    for r in rows {
        let stage = r["stage"].as_str().unwrap();
        assert_eq!(r["bit_exact"], true, "{stage}");
        assert!(r["time_ratio"]["median"].as_f64().unwrap() > 0.0, "{stage}");
        assert_eq!(r["time_ratio"]["n"], 2, "{stage}");
        assert!(r["instructions"].as_u64().unwrap() > 100_000, "{stage}");
        // The shared kernels run the same instructions in every bit-exact stage.
        assert_eq!(
            r["instructions_by_category"]["kernel"], rows[0]["instructions_by_category"]["kernel"],
            "{stage}"
        );
        assert!(r["loc"].as_u64().unwrap() > 1000, "{stage}");
    }
    assert_eq!(rows[0]["instructions_ratio"], 1.0);
    assert!(rows[0]["panic_sites"].is_null() && rows[0]["unsafe_share_pct"].is_null());
    // The safe stage is #![forbid(unsafe_code)]; the transpiled one is mostly unsafe.
    assert_eq!(rows[2]["unsafe_exprs"], 0);
    assert!(rows[1]["unsafe_share_pct"].as_f64().unwrap() > 50.0);
    assert!(rows[2]["panic_sites"].as_u64().unwrap() > 0);
    // The table went to stderr with --json; the page links every chart, and they exist.
    assert!(
        stderr.contains(
            "| stage | bit-exact | time ÷ C | instructions ÷ C | unsafe share | panic sites |"
        ),
        "{stderr}"
    );
    let html = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    for chart in [
        "report-ratios.svg",
        "report-categories.svg",
        "report-kernels.svg",
        "report-functions.svg",
        "stages-instructions.svg",
        "stages-tradeoff.svg",
    ] {
        assert!(html.contains(&format!("src=\"{chart}\"")), "{chart}");
        let svg = std::fs::read_to_string(out_dir.join(chart)).unwrap();
        assert!(
            svg.starts_with("<svg") || svg.starts_with("<?xml"),
            "{chart}"
        );
    }
    assert!(out_dir.join("report.json").is_file());
}

#[test]
fn a_stream_that_is_not_there_is_a_usage_error() {
    let out = Command::new(PORTLAB)
        .args(["report", "--streams", "no/such.ivf", "--ir-frames", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no such stream"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_unreadable_stream_is_named_by_the_report_not_by_verify() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-unreadable");
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.ivf");
    std::fs::write(&broken, b"garbage").unwrap();
    let out = Command::new(PORTLAB)
        .args(["report", "--ir-frames", "0", "--rounds", "1", "--streams"])
        .arg(&broken)
        .arg("--out")
        .arg(dir.join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("portlab report: broken: UNREADABLE") && stderr.contains("not an IVF file"),
        "{stderr}"
    );
    assert!(!stderr.contains("portlab verify"), "{stderr}");
}
