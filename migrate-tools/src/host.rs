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

/// The 1-minute load average (/proc/loadavg), which says how shared the machine was while a
/// timing ran; None where it cannot be read.
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The current UTC time as `YYYY-MM-DDTHH:MM:SSZ`, for the date a report was measured.
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc_date_time(secs)
}

/// `secs` since the Unix epoch as a UTC date and time (the proleptic Gregorian calendar, by the
/// days-from-civil inversion on 400-year eras).
fn utc_date_time(secs: u64) -> String {
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3_600,
        rem / 60 % 60,
        rem % 60
    )
}

/// This process's command line as a shell would take it, the program shown as `portlab`.
pub fn command_line() -> String {
    let args: Vec<String> = std::iter::once("portlab".to_string())
        .chain(std::env::args().skip(1))
        .collect();
    shlex::try_join(args.iter().map(String::as_str)).unwrap_or_else(|_| args.join(" "))
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

    #[test]
    fn utc_dates() {
        assert_eq!(utc_date_time(0), "1970-01-01T00:00:00Z");
        // date -u -d @1796617000 +%FT%TZ
        assert_eq!(utc_date_time(1_796_617_000), "2026-12-07T04:16:40Z");
        assert_eq!(utc_date_time(951_782_400), "2000-02-29T00:00:00Z");
    }
}
