//! The registry of stages: one entry per stage of the port, in migration order. Every tool that
//! lists, builds, counts or disassembles stages (vp8dec, verify, bench, census, inspect, profile,
//! the criterion benches) takes names, crates and folders from here, so a new stage is one entry
//! here plus its [`Vp8Stage`](crate::Vp8Stage) adapter (registered in `portlab::stage`).
//!
//! This crate depends on no stage, so an entry says *where* a stage is, not how to call it.

/// The language a stage's decoder is written in (what census and inspect count in it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    C,
    Rust,
}

/// Where a stage lives and what it is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageInfo {
    /// What `--stage` / `--stages` accept: "c", "transpiled", "safe".
    pub name: &'static str,
    /// One line for `--help` and reports.
    pub description: &'static str,
    /// The cargo package: "vp8-c".
    pub crate_name: &'static str,
    /// The Rust crate identifier, as in symbol paths: "vp8_c".
    pub lib_name: &'static str,
    /// The stage's folder, relative to the workspace root: "upstream-c".
    pub folder: &'static str,
    /// The decoder's sources, relative to the workspace root: "upstream-c/src". Programs in its
    /// `bin/` (the transpiled CLI) are not part of the decoder.
    pub source_dir: &'static str,
    pub language: Language,
}

/// Every stage of the port, in migration order.
pub const STAGES: [StageInfo; 3] = [
    StageInfo {
        name: "c",
        description: "the C decoder (upstream-c/, crate vp8-c)",
        crate_name: "vp8-c",
        lib_name: "vp8_c",
        folder: "upstream-c",
        source_dir: "upstream-c/src",
        language: Language::C,
    },
    StageInfo {
        name: "transpiled",
        description: "the C decoder transpiled to unsafe Rust (transpiled/, crate vp8-transpiled)",
        crate_name: "vp8-transpiled",
        lib_name: "vp8_transpiled",
        folder: "transpiled",
        source_dir: "transpiled/src",
        language: Language::Rust,
    },
    StageInfo {
        name: "safe",
        description: "the safe Rust decoder refactored step by step from the transpiled one (safe/, crate vp8-safe)",
        crate_name: "vp8-safe",
        lib_name: "vp8_safe",
        folder: "safe",
        source_dir: "safe/src",
        language: Language::Rust,
    },
];

/// The entry called `name`.
pub fn stage_info(name: &str) -> Option<&'static StageInfo> {
    STAGES.iter().find(|s| s.name == name)
}

/// The entry whose Rust crate is `lib_name` (`vp8_transpiled` -> transpiled).
pub fn stage_of_crate(lib_name: &str) -> Option<&'static StageInfo> {
    STAGES.iter().find(|s| s.lib_name == lib_name)
}

/// Every stage name, in migration order.
pub fn stage_names() -> impl Iterator<Item = &'static str> {
    STAGES.iter().map(|s| s.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_crates_and_folders_are_unique_and_consistent() {
        for (i, a) in STAGES.iter().enumerate() {
            assert_eq!(a.lib_name, a.crate_name.replace('-', "_"));
            assert!(a.source_dir.starts_with(a.folder));
            for b in &STAGES[i + 1..] {
                assert_ne!(a.name, b.name);
                assert_ne!(a.crate_name, b.crate_name);
                assert_ne!(a.folder, b.folder);
            }
        }
        assert_eq!(stage_info("transpiled").unwrap().folder, "transpiled");
        assert_eq!(stage_of_crate("vp8_safe").unwrap().name, "safe");
        assert!(stage_info("rust").is_none());
    }
}
