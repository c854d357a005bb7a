//! Helpers shared by the integration tests: the corpus, its reference files, MD5, and building the
//! C CLI with make. (Each test binary uses only some of them.)
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use md5::{Digest, Md5};

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `bench/corpus/streams`, or the folder named by `VP8_CORPUS_DIR` (e.g. a snapshot).
pub fn corpus_dir() -> PathBuf {
    match std::env::var_os("VP8_CORPUS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => crate_dir().join("../bench/corpus/streams"),
    }
}

pub use vp8_stage::md5::{FrameMd5, parse_framemd5};

/// A corpus stream with its reference outputs (written by vpxdec).
#[derive(Debug, Clone)]
pub struct Stream {
    pub name: String,
    pub ivf: PathBuf,
    pub md5: String,
    pub frames: Vec<FrameMd5>,
}

fn read_md5_file(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let md5 = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    assert!(
        md5.len() == 32 && md5.bytes().all(|b| b.is_ascii_hexdigit()),
        "{}: does not start with an md5",
        path.display()
    );
    md5
}

/// Every `*.ivf` of the corpus with a `.md5` and `.framemd5` beside it (NAME.md5 or NAME.ivf.md5).
/// Panics if there is none: a corpus test over nothing must not pass.
pub fn corpus() -> Vec<Stream> {
    let dir = corpus_dir();
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus folder {} unreadable: {e}", dir.display()));
    let mut streams = Vec::new();
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "ivf") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let find = |ext: &str| {
            [
                dir.join(format!("{stem}.{ext}")),
                dir.join(format!("{stem}.ivf.{ext}")),
            ]
            .into_iter()
            .find(|p| p.is_file())
        };
        let (Some(md5), Some(framemd5)) = (find("md5"), find("framemd5")) else {
            eprintln!(
                "note: {} has no .md5/.framemd5 beside it: skipped",
                path.display()
            );
            continue;
        };
        let text = std::fs::read_to_string(&framemd5).unwrap();
        let frames =
            parse_framemd5(&text).unwrap_or_else(|e| panic!("{}: {e}", framemd5.display()));
        streams.push(Stream {
            name: stem,
            ivf: path,
            md5: read_md5_file(&md5),
            frames,
        });
    }
    streams.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(
        !streams.is_empty(),
        "no corpus streams with .md5 and .framemd5 in {}: nothing to test against",
        dir.display()
    );
    streams
}

pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        write!(s, "{b:02x}").unwrap();
    }
    s
}

pub fn md5_hex(data: &[u8]) -> String {
    hex(&Md5::digest(data))
}

#[allow(unused_imports)]
pub use vp8_stage::rng::XorShift;

/// Where `make` builds for the tests: under cargo's per-target scratch folder, not in the tree.
pub fn make_build_dir(variant: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("vp8-c-make-{variant}"))
}

/// Run `make -C upstream-c BUILD=<dir> <args>`; Err carries make's output.
pub fn make(build_dir: &Path, args: &[&str]) -> Result<(), String> {
    let output = Command::new("make")
        .arg("-C")
        .arg(crate_dir())
        .arg(format!("BUILD={}", build_dir.display()))
        .arg("-j2")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run make: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "make {args:?} failed ({}):\n{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The optimized C CLI, built once per test binary with warnings as errors.
pub fn cli() -> &'static Path {
    static CLI: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = CLI.get_or_init(|| {
        let dir = make_build_dir("release");
        make(&dir, &["WERROR=1", "all"]).map(|()| dir.join("vp8dec"))
    });
    match built {
        Ok(path) => path,
        Err(e) => panic!("building the C CLI failed:\n{e}"),
    }
}

/// `check` on each of `items` in a scoped thread of its own (the decodes are independent); every
/// failure it returns, in order.
pub fn on_threads<T: Sync>(items: &[T], check: impl Fn(&T) -> Vec<String> + Sync) -> Vec<String> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .iter()
            .map(|item| scope.spawn(|| check(item)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}
