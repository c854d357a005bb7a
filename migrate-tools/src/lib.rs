//! `portlab`: the measurement library over the stages (verify, bench, census, inspect, profile)
//! and the binaries `portlab` and `vp8dec`. The stage contract is `vp8-stage`; the transpiler is
//! `portlab-transpile`, re-exported here as [`transpile`] for `portlab transpile`.

pub use portlab_transpile as transpile;
// Stages behind one trait, and the tools over them (vp8dec, verify, bench).
pub mod bench;
// How `portlab` and `vp8dec` enter (C's main) and fail on an unwritable stdout.
pub mod cli_io;
// The generated blocks of docs/ (src/docblock.rs): census and bench figures rendered, not typed.
pub mod docblock;
// What the tools share about the machine and the checkout (workspace root, builds, versions).
pub mod host;
pub mod output;
pub mod stage;
pub mod verify;
pub mod vp8dec;
// WebM/Matroska input for vp8dec (src/webm.rs): the first VP8 track, as an IVF stream.
pub mod webm;
// `portlab profile` (src/profile.rs): per-function instructions and time of two stages.
pub mod profile;
// `portlab census` (src/census.rs) and `portlab inspect` (src/inspect/): unsafety counted in the
// source; frames, panics, inlining and disassembly read from the release binary.
pub mod census;
pub mod inspect;
// `portlab stages` (src/stages.rs): every recorded port step rebuilt, verified and measured.
pub mod stages;
// `portlab report` (src/report.rs), the default subcommand: all of the above in one table.
pub mod report;
