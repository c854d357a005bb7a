//! What the measurement tools (verify, bench, profile, census, inspect) ask of the machine and the
//! checkout they run in: the workspace root, the cargo build of the `vp8dec` they measure, the CPU
//! model and tool versions for their reports, and the source files of a folder. One copy each, so
//! the tools agree on where things are and how they are built.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root: the nearest ancestor of the current folder whose Cargo.toml has a
/// `[workspace]`, else the one this crate was built in.
pub fn workspace_root() -> PathBuf {
    let start = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    for dir in start.ancestors() {
        if std::fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|t| t.contains("[workspace]"))
        {
            return dir.to_path_buf();
        }
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The cargo target folder of the workspace at `root`: `CARGO_TARGET_DIR`, else `root/target`.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// The `cargo build` of the Rust `vp8dec` into `target` with the profile whose output folder is
/// `profile_dir` (`debug` is the dev profile, `release`, or a custom profile's name), and the
/// binary it leaves. The build gets this portlab's `transpiled` feature, so the binary measured
/// holds the stages this portlab knows. Callers add `-q` or not and report failures their way.
pub fn vp8dec_build(target: &Path, profile_dir: &str) -> (Command, PathBuf) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.arg("build")
        .arg("--manifest-path")
        .arg(workspace_root().join("Cargo.toml"))
        .args(["-p", "portlab", "--bin", "vp8dec", "--target-dir"])
        .arg(target);
    match profile_dir {
        "debug" => {}
        "release" => {
            cmd.arg("--release");
        }
        other => {
            cmd.arg("--profile").arg(other);
        }
    }
    if !cfg!(feature = "transpiled") {
        cmd.arg("--no-default-features");
    }
    (cmd, target.join(profile_dir).join("vp8dec"))
}

/// The first line a program prints (stdout, else stderr), e.g. of `gcc --version`.
pub fn first_line(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    text.lines().next().map(|l| l.trim().to_string())
}

/// Model name from /proc/cpuinfo.
pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string())
}

/// The files below `dir` whose extension is one of `exts`, sorted by path (`dir` itself if it is
/// a file, whatever its extension); an unreadable or missing folder has none.
pub fn files_under(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| exts.contains(&e))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_under_walks_sorted_and_filters_by_extension() {
        let root = workspace_root();
        let c = files_under(&root.join("upstream-c/src"), &["c"]);
        assert!(c.iter().any(|p| p.ends_with("src/tokens.c")), "{c:?}");
        assert!(c.iter().any(|p| p.ends_with("src/x86/mc_init.c")), "{c:?}");
        assert!(c.iter().all(|p| p.extension().unwrap() == "c"));
        let mut sorted = c.clone();
        sorted.sort();
        assert_eq!(c, sorted);
        let one = root.join("upstream-c/src/tokens.c");
        assert_eq!(files_under(&one, &["c"]), vec![one.clone()]);
        assert!(files_under(&root.join("no/such/folder"), &["c"]).is_empty());
    }
}
