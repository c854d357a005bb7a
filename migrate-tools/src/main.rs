//! `portlab`: Portlab's migration toolkit.
//!
//! `portlab transpile` regenerates the transpiled stage (`transpiled/`) from the C stage
//! (`upstream-c/`); `portlab transpile --check` verifies the committed output is current.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "portlab", about = "Portlab's migration toolkit", version)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Transpile C to unsafe Rust (default: the C stage upstream-c/ into transpiled/).
    Transpile(portlab::transpile::cli::TranspileArgs),
    /// Decode a corpus with several stages and CPU masks; compare every frame with each other
    /// and with the committed *.framemd5 (src/verify.rs).
    Verify(portlab::verify::VerifyArgs),
    /// Time the stages (whole vp8dec processes) against each other, the C CLI and vpxdec/ffmpeg
    /// (src/bench.rs).
    Bench(portlab::bench::BenchArgs),
    /// Compare two stages (or builds) function by function: callgrind instructions, perf
    /// cpu-clock samples, the shared asm kernels as the anchor (src/profile.rs).
    Profile(portlab::profile::ProfileArgs),
    /// Count unsafe code, raw pointers, casts and lines per stage and module (src/census.rs).
    Census(portlab::census::CensusArgs),
    /// Read the release binary: disassembly diff, stack frames, panic sites, inlining
    /// (src/inspect/).
    Inspect(portlab::inspect::InspectArgs),
    /// Rebuild every recorded port step of the safe stage and chart what safety cost (src/stages.rs).
    Stages(portlab::stages::StagesArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Cmd::Transpile(a) => portlab::transpile::cli::main(&a, &portlab::host::workspace_root()),
        Cmd::Verify(a) => ExitCode::from(portlab::verify::main(&a)),
        Cmd::Bench(a) => ExitCode::from(portlab::bench::main(&a)),
        Cmd::Profile(a) => ExitCode::from(portlab::profile::main(&a)),
        Cmd::Census(a) => portlab::census::main(&a),
        Cmd::Inspect(a) => portlab::inspect::main(&a),
        Cmd::Stages(a) => portlab::stages::main(&a),
    }
}
