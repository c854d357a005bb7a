//! `portlab`: Portlab's migration toolkit.
//!
//! `portlab` alone (and so `cargo run --release` at the workspace root) is `portlab report`: every
//! stage decoded, checked, timed and counted in one table and `target/portlab-report/index.html`.
//! `portlab transpile` regenerates the transpiled stage (`transpiled/`) from the C stage
//! (`upstream-c/`); `portlab transpile --check` verifies the committed output is current.
//!
//! Entered through C's `main` (portlab::cli_io says why): a closed stdout is an error, a full
//! one is one error line, a broken pipe (`portlab verify | head -1`) ends the process by SIGPIPE.
// The test harness brings its own main when this file is built as a unit-test binary.
#![cfg_attr(not(test), no_main)]

#[cfg(not(test))]
use std::ffi::{c_char, c_int};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "portlab",
    about = "Portlab's migration toolkit",
    long_about = "Portlab's migration toolkit. Without a subcommand: `portlab report` (its options \
                  are accepted here too).",
    version,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
    #[command(flatten)]
    report: portlab::report::ReportArgs,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Every stage decoded, checked against vpxdec's MD5s, timed, its instructions, unsafe code
    /// and panic sites counted: one table, and target/portlab-report/index.html with charts.
    /// The default subcommand.
    Report(portlab::report::ReportArgs),
    /// Transpile C to unsafe Rust (default: the C stage upstream-c/ into transpiled/).
    Transpile(portlab::transpile::cli::TranspileArgs),
    /// Decode a corpus with several stages and CPU masks; compare every frame with each other
    /// and with the committed *.framemd5.
    Verify(portlab::verify::VerifyArgs),
    /// Time the stages (whole vp8dec processes) against each other, the C CLI and vpxdec/ffmpeg.
    Bench(portlab::bench::BenchArgs),
    /// Compare two stages (or builds) function by function: callgrind instructions, perf
    /// cpu-clock samples, the shared asm kernels as the anchor.
    Profile(portlab::profile::ProfileArgs),
    /// Count unsafe code, raw pointers, casts and lines per stage and module.
    Census(portlab::census::CensusArgs),
    /// Read the release binary: disassembly diff, stack frames, panic sites, inlining.
    Inspect(portlab::inspect::InspectArgs),
    /// Rebuild every recorded port step of the safe stage and chart what safety cost.
    Stages(portlab::stages::StagesArgs),
    /// The `vp8dec` binary's CLI, run by `portlab report` under valgrind so that no other
    /// binary has to be built.
    #[command(hide = true, disable_help_flag = true, disable_version_flag = true)]
    Vp8dec {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
}

/// C's entry point; the arguments are read through `std::env::args_os`.
#[cfg(not(test))]
#[unsafe(no_mangle)]
extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    portlab::cli_io::run("portlab", run)
}

#[cfg_attr(test, allow(dead_code))]
fn run() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = portlab::cli_io::stdout_open() {
        eprintln!(
            "portlab: error: write error on stdout: {}",
            portlab::output::io_message(&e)
        );
        return ExitCode::from(1);
    }
    let Some(command) = cli.command else {
        return ExitCode::from(portlab::report::main(&cli.report));
    };
    match command {
        Cmd::Report(a) => ExitCode::from(portlab::report::main(&a)),
        Cmd::Vp8dec { args } => ExitCode::from(portlab::vp8dec::main(
            std::iter::once(std::ffi::OsString::from("vp8dec")).chain(args),
        )),
        Cmd::Transpile(a) => portlab::transpile::cli::main(&a, &portlab::host::workspace_root()),
        Cmd::Verify(a) => ExitCode::from(portlab::verify::main(&a)),
        Cmd::Bench(a) => ExitCode::from(portlab::bench::main(&a)),
        Cmd::Profile(a) => ExitCode::from(portlab::profile::main(&a)),
        Cmd::Census(a) => portlab::census::main(&a),
        Cmd::Inspect(a) => portlab::inspect::main(&a),
        Cmd::Stages(a) => portlab::stages::main(&a),
    }
}
