//! The `portlab transpile` command line (main.rs dispatches here).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{Error, Options, REGENERATE};

#[derive(Args, Debug)]
pub struct TranspileArgs {
    /// Regenerate into memory and compare with the output folder; exit 1 with a diff if it
    /// differs. Without clang this prints SKIPPED and exits 0.
    #[arg(long)]
    check: bool,
    /// A compile_commands.json: its files, -I, -D and -std flags are used.
    #[arg(long, value_name = "FILE")]
    compile_commands: Option<PathBuf>,
    /// Include folder (repeatable).
    #[arg(short = 'I', value_name = "DIR")]
    include: Vec<String>,
    /// Preprocessor definition NAME or NAME=VALUE (repeatable).
    #[arg(short = 'D', value_name = "DEF")]
    define: Vec<String>,
    /// C standard (`-std=`).
    #[arg(long, default_value = "c11")]
    std: String,
    /// The clang to run (default: $CLANG or `clang`).
    #[arg(long)]
    clang: Option<String>,
    /// Output crate folder (default: transpiled/).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Source folder whose layout the modules mirror (default: upstream-c/src, or the files'
    /// common folder).
    #[arg(long, value_name = "DIR")]
    src_dir: Option<String>,
    /// The C file whose module is the crate root (lib.rs).
    #[arg(long, value_name = "FILE")]
    root_file: Option<String>,
    /// Package name of the generated crate.
    #[arg(long)]
    crate_name: Option<String>,
    /// Workspace root (default: found from the current folder).
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// C files (default: the project's C stage).
    files: Vec<String>,
}

/// `p` (relative to the working folder) relative to `root`; absolute when it lies outside, so
/// that the "nothing translated" check names it rather than clang failing to find it.
fn rel_to(root: &Path, p: &str) -> String {
    let abs = std::path::absolute(Path::new(p)).unwrap_or_else(|_| PathBuf::from(p));
    let abs = abs.canonicalize().unwrap_or(abs);
    match abs.strip_prefix(root) {
        Ok(r) => r.to_string_lossy().into_owned(),
        Err(_) => abs.to_string_lossy().into_owned(),
    }
}

/// An absolute, canonical form of a path given relative to the working folder.
fn absolute(p: &Path) -> Result<PathBuf, String> {
    std::path::absolute(p)
        .and_then(|a| a.canonicalize())
        .map_err(|e| format!("{}: {e}", p.display()))
}

/// The deepest folder that contains every input file and `-I` folder: the translation root when
/// no `--root` is given, so that what the user passes is never mistaken for a system header.
fn common_root(files: &[PathBuf], dirs: &[PathBuf]) -> Result<PathBuf, String> {
    let mut common: Option<PathBuf> = None;
    let folders = files
        .iter()
        .map(|f| f.parent().unwrap_or(Path::new("/")).to_path_buf())
        .chain(dirs.iter().cloned());
    for folder in folders {
        common = Some(match common {
            None => folder,
            Some(c) => c
                .ancestors()
                .find(|x| folder.starts_with(x))
                .unwrap_or(Path::new("/"))
                .to_path_buf(),
        });
    }
    let common = common.ok_or("no input files")?;
    if common.parent().is_none() || common.starts_with("/usr") {
        return Err(format!(
            "the inputs have no common folder but {}, where system headers live too: pass \
             --root DIR (the folder holding your sources and headers)",
            common.display()
        ));
    }
    Ok(common)
}

/// Options for C that is not the project's: FILES (or a compile_commands.json) into `--out`.
fn foreign_options(a: &TranspileArgs) -> Result<Options, String> {
    let out = a.out.as_ref().ok_or(
        "--out DIR is required with your own files (the default output, transpiled/, is the \
         project's own transpiled stage)",
    )?;
    let out = std::path::absolute(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut files: Vec<PathBuf> = Vec::new();
    for f in &a.files {
        files.push(absolute(Path::new(f))?);
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    for i in &a.include {
        dirs.push(absolute(Path::new(i))?);
    }
    if let Some(cc) = &a.compile_commands {
        let text = std::fs::read_to_string(cc).map_err(|e| format!("{}: {e}", cc.display()))?;
        let db: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", cc.display()))?;
        for entry in db.as_array().ok_or("compile commands: not an array")? {
            let dir = entry
                .get("directory")
                .and_then(|d| d.as_str())
                .unwrap_or(".");
            if let Some(file) = entry.get("file").and_then(|f| f.as_str()) {
                files.push(absolute(&Path::new(dir).join(file))?);
            }
        }
    }
    let root = match &a.root {
        Some(r) => absolute(r)?,
        None => common_root(&files, &dirs)?,
    };
    // Declarations from outside the root count as system headers and are not translated.
    if let Some(outside) = files.iter().chain(&dirs).find(|p| !p.starts_with(&root)) {
        return Err(format!(
            "{} is outside --root {}: its declarations would be taken for system headers and \
             dropped; pass a --root that contains every input file and -I folder",
            outside.display(),
            root.display()
        ));
    }
    let mut o = Options::standalone(&root, Vec::new(), out);
    // Run again from the same folder, the same arguments regenerate the crate.
    let args: Vec<String> = std::env::args()
        .skip_while(|a| a != "transpile")
        .map(|a| {
            if a.is_empty() || a.contains(|c: char| c.is_whitespace() || "'\"$`\\".contains(c)) {
                format!("'{}'", a.replace('\'', "'\\''"))
            } else {
                a
            }
        })
        .collect();
    if !args.is_empty() {
        o.regenerate = format!("portlab {}", args.join(" "));
    }
    Ok(o)
}

fn options(a: &TranspileArgs, default_root: &Path) -> Result<Options, String> {
    let foreign = !a.files.is_empty() || a.compile_commands.is_some();
    let mut o = if foreign {
        foreign_options(a)?
    } else {
        let root = a.root.clone().unwrap_or_else(|| default_root.to_path_buf());
        Options::project_default(&absolute(&root)?)
    };
    let root = o.root.clone();
    if let Some(cc) = &a.compile_commands {
        let text = std::fs::read_to_string(cc).map_err(|e| format!("{}: {e}", cc.display()))?;
        let db: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", cc.display()))?;
        o.files.clear();
        o.includes.clear();
        for entry in db.as_array().ok_or("compile commands: not an array")? {
            let dir = entry
                .get("directory")
                .and_then(|d| d.as_str())
                .unwrap_or(".");
            let file = entry
                .get("file")
                .and_then(|f| f.as_str())
                .ok_or("compile commands: entry without file")?;
            let abs = Path::new(dir).join(file);
            o.files.push(rel_to(&root, &abs.to_string_lossy()));
            let args: Vec<String> = match entry.get("arguments").and_then(|a| a.as_array()) {
                Some(a) => a
                    .iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect(),
                None => entry
                    .get("command")
                    .and_then(|c| c.as_str())
                    .unwrap_or("")
                    .split_whitespace()
                    .map(str::to_string)
                    .collect(),
            };
            let mut it = args.iter();
            while let Some(arg) = it.next() {
                let (flag, val) = if arg == "-I" || arg == "-D" {
                    (arg.as_str(), it.next().cloned().unwrap_or_default())
                } else if let Some(v) = arg.strip_prefix("-I") {
                    ("-I", v.to_string())
                } else if let Some(v) = arg.strip_prefix("-D") {
                    ("-D", v.to_string())
                } else if let Some(v) = arg.strip_prefix("-std=") {
                    o.std = v.to_string();
                    continue;
                } else {
                    continue;
                };
                if flag == "-I" {
                    let inc = rel_to(&root, &Path::new(dir).join(&val).to_string_lossy());
                    if !o.includes.contains(&inc) {
                        o.includes.push(inc);
                    }
                } else if !o.defines.contains(&val) {
                    o.defines.push(val);
                }
            }
        }
    }
    if !a.files.is_empty() {
        o.files = a.files.iter().map(|f| rel_to(&root, f)).collect();
        o.includes.clear();
        o.layout.root_file = None;
        // Modules mirror the files' common folder.
        let mut common: Option<PathBuf> = None;
        for f in &o.files {
            let parent = Path::new(f).parent().unwrap_or(Path::new("")).to_path_buf();
            common = Some(match common {
                None => parent,
                Some(c) => c
                    .ancestors()
                    .find(|x| parent.starts_with(x))
                    .unwrap_or(Path::new(""))
                    .to_path_buf(),
            });
        }
        o.layout.src_dir = common
            .map(|c| c.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    for i in &a.include {
        o.includes.push(rel_to(&root, i));
    }
    o.defines.extend(a.define.iter().cloned());
    o.std = a.std.clone();
    if let Some(c) = &a.clang {
        o.clang = c.clone();
    }
    if let Some(out) = &a.out {
        o.out_dir = std::path::absolute(out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    if let Some(s) = &a.src_dir {
        o.layout.src_dir = rel_to(&root, s);
    }
    if let Some(r) = &a.root_file {
        o.layout.root_file = Some(rel_to(&root, r));
    }
    if let Some(n) = &a.crate_name {
        o.crate_name = n.clone();
    }
    Ok(o)
}

/// Run `portlab transpile` with parsed arguments.
/// `portlab transpile`. Without `--root`, the project is the one at `default_root` (the caller's
/// workspace root: `portlab` finds it once for all its tools).
pub fn main(a: &TranspileArgs, default_root: &Path) -> ExitCode {
    let o = match options(a, default_root) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("portlab transpile: {e}");
            return ExitCode::from(2);
        }
    };
    if !super::clang_available(&o.clang) {
        if a.check {
            eprintln!(
                "=============================================================================="
            );
            eprintln!(
                "portlab transpile --check: SKIPPED: clang (`{}`) is not installed.",
                o.clang
            );
            eprintln!("The transpiled stage was NOT verified against upstream-c/.");
            eprintln!("Install it (apt-get install -y clang) to run this check.");
            eprintln!(
                "=============================================================================="
            );
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "portlab transpile: cannot run clang (`{}`): install it (apt-get install -y clang)",
            o.clang
        );
        return ExitCode::FAILURE;
    }
    let files = match super::transpile(&o) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("portlab transpile: {e}");
            return ExitCode::FAILURE;
        }
    };
    if a.check {
        match super::check(&o.out_dir, &files) {
            None => {
                eprintln!(
                    "portlab transpile --check: {} is up to date ({} files)",
                    o.out_dir.display(),
                    files.len()
                );
                ExitCode::SUCCESS
            }
            Some(report) => {
                println!("{report}");
                eprintln!(
                    "portlab transpile --check: {} differs from what the C sources generate; run `{REGENERATE}`",
                    o.out_dir.display()
                );
                ExitCode::FAILURE
            }
        }
    } else {
        match super::write(&o.out_dir, &files) {
            Ok(()) => {
                eprintln!(
                    "portlab transpile: wrote {} files to {}",
                    files.len(),
                    o.out_dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(Error::Io(e)) | Err(Error::Stale { report: e }) => {
                eprintln!("portlab transpile: {e}");
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("portlab transpile: {e}");
                ExitCode::FAILURE
            }
        }
    }
}
