//! `vp8dec`: decode a VP8 IVF stream with any Portlab stage (`--stage c|transpiled|safe`); the flags,
//! output and exit codes of the C CLI (`upstream-c/tools/vp8dec.c`). See `vp8dec --help` and
//! `portlab::vp8dec`.
//!
//! Entered through C's `main` (portlab::cli_io says why): a closed stdout stays closed and is
//! reported, a broken pipe ends the process by SIGPIPE, as with the C CLI.
// The test harness brings its own main when this file is built as a unit-test binary.
#![cfg_attr(not(test), no_main)]

#[cfg(not(test))]
use std::ffi::{c_char, c_int};

/// C's entry point; the arguments are read through `std::env::args_os`.
#[cfg(not(test))]
#[unsafe(no_mangle)]
extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    portlab::cli_io::run("vp8dec", || {
        std::process::ExitCode::from(portlab::vp8dec::main(std::env::args_os()))
    })
}
