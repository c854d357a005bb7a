//! Shared by the integration tests that compare against the C stage's own CLI.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The C CLI (upstream-c/tools), built once per test binary with make, warnings as errors, in
/// cargo's scratch folder.
pub fn c_cli() -> &'static str {
    static CLI: OnceLock<Result<String, String>> = OnceLock::new();
    let built = CLI.get_or_init(|| {
        let root: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .to_path_buf();
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("portlab-c-cli");
        let o = Command::new("make")
            .arg("-C")
            .arg(root.join("upstream-c"))
            .arg(format!("BUILD={}", dir.display()))
            .args(["-j2", "WERROR=1", "cli"])
            .output()
            .map_err(|e| format!("cannot run make: {e}"))?;
        if !o.status.success() {
            return Err(format!(
                "make failed:\n{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        Ok(dir.join("vp8dec").to_string_lossy().into_owned())
    });
    match built {
        Ok(p) => p,
        Err(e) => panic!("building the C CLI failed: {e}"),
    }
}
