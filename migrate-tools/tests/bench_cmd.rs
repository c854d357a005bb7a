//! `portlab bench` in a quick mode on one small stream: it runs, times every stage (and the peers
//! that are installed), and writes valid JSON with per-round ratios to the C stage. With valgrind
//! installed it also checks `--callgrind`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const PORTLAB: &str = env!("CARGO_BIN_EXE_portlab");
const VP8DEC: &str = env!("CARGO_BIN_EXE_vp8dec");

fn stream() -> PathBuf {
    let dir = match std::env::var_os("VP8_CORPUS_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/corpus/streams"),
    };
    dir.join("altref-2pass-testsrc2-176x144.ivf")
}

fn has(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn summary_ok(v: &Value, what: &str) -> f64 {
    for k in ["median", "min", "max", "q1", "q3", "iqr"] {
        assert!(v[k].is_f64(), "{what}: {k} missing in {v}");
    }
    let (min, q1, med, q3, max) = (
        v["min"].as_f64().unwrap(),
        v["q1"].as_f64().unwrap(),
        v["median"].as_f64().unwrap(),
        v["q3"].as_f64().unwrap(),
        v["max"].as_f64().unwrap(),
    );
    assert!(
        min <= q1 && q1 <= med && med <= q3 && q3 <= max,
        "{what}: {v}"
    );
    med
}

#[test]
fn quick_bench_writes_json_with_ratios() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("portlab-bench-test");
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("bench.json");
    let md = dir.join("bench.md");
    let callgrind = has("valgrind");
    let mut args = vec![
        "bench".to_string(),
        "--quick".into(),
        "--rounds".into(),
        "2".into(),
        "--streams".into(),
        stream().to_string_lossy().into_owned(),
        "--vp8dec".into(),
        VP8DEC.into(),
        format!("--json={}", json.display()),
        "--markdown".into(),
        md.to_string_lossy().into_owned(),
        "-q".into(),
    ];
    if callgrind {
        args.extend([
            "--callgrind".into(),
            "--callgrind-frames".into(),
            "3".into(),
        ]);
    }
    let o = Command::new(PORTLAB).args(&args).output().unwrap();
    assert!(
        o.status.success(),
        "portlab bench failed: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let j: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(j["meta"]["rounds"], 2);
    let streams = j["streams"].as_array().unwrap();
    assert_eq!(streams.len(), 1);
    let st = &streams[0];
    assert!(st["frames"].as_u64().unwrap() > 0);
    assert_eq!(st["md5"].as_str().unwrap().len(), 32);
    let rows = st["results"].as_array().unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for s in portlab::stage::all_stages() {
        assert!(
            ids.contains(&s.name()),
            "stage {} not timed: {ids:?}",
            s.name()
        );
    }
    if has("vpxdec") {
        assert!(ids.contains(&"vpxdec"), "{ids:?}");
    }
    for r in rows {
        let id = r["id"].as_str().unwrap();
        assert_eq!(r["samples"]["cpu_s"].as_array().unwrap().len(), 2, "{id}");
        assert!(summary_ok(&r["cpu_s"], id) > 0.0);
        summary_ok(&r["wall_s"], id);
        let ratio = summary_ok(&r["ratio_to_c"]["cpu"], id);
        summary_ok(&r["ratio_to_c"]["wall"], id);
        assert!(ratio > 0.0, "{id}: {ratio}");
        if id == "c" {
            assert_eq!(ratio, 1.0);
        }
    }
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(report.contains("| command | CPU s |"), "{report}");
    assert_eq!(std::fs::read_to_string(&md).unwrap(), report);
    if callgrind {
        let cg = j["callgrind"]["results"].as_array().unwrap();
        let c = cg.iter().find(|r| r["id"] == "c").unwrap();
        assert!(c["instructions"].as_u64().unwrap() > 100_000);
        assert_eq!(c["ratio_to_c"].as_f64(), Some(1.0));
        assert_eq!(cg.len(), portlab::stage::all_stages().len());
    }
}

#[test]
fn a_wrong_decoder_is_refused() {
    // A "vp8dec" that prints a wrong md5 must stop the bench before any timing.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("portlab-bench-test");
    std::fs::create_dir_all(&dir).unwrap();
    let fake = dir.join("fake-vp8dec");
    std::fs::write(&fake, "#!/bin/sh\necho 0123456789abcdef0123456789abcdef\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let o = Command::new(PORTLAB)
        .args([
            "bench",
            "--quick",
            "--peers",
            "none",
            "--stages",
            "c",
            "-q",
            "--streams",
        ])
        .arg(stream())
        .arg("--vp8dec")
        .arg(&fake)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("refusing to time a decoder whose output is wrong"),
        "{err}"
    );
}
