//! How Portlab's binaries (`portlab`, `vp8dec`) meet a standard output that cannot take their
//! output, the way the C CLI does: a closed stdout or a full disk ends with one error line and
//! exit status 1, a broken pipe ends the process by SIGPIPE.
//!
//! Rust's own start-up would reopen a closed stdout on /dev/null (the output silently lost, exit
//! 0) and ignore SIGPIPE (so `portlab verify | head -1` panics on the next line), so both
//! binaries are `#![no_main]` and enter through C's `main`, calling [`run`]. Writes that still
//! fail (`/dev/full`) panic inside `println!`; the hook installed here turns that one panic into
//! the error line.

use std::ffi::c_int;
use std::io;
use std::os::fd::AsFd;
use std::panic::UnwindSafe;
use std::process::ExitCode;

/// What `println!`'s panic message starts with when stdout refuses a write.
const PRINT_FAILED: &str = "failed printing to stdout: ";

/// Run a binary's body from C's `main`: stdout write failures become `PROG: error: write error
/// on stdout: REASON` and status 1; any other panic is reported as usual and gives status 101
/// (unwinding may not cross the C entry point). Returns the status for `main` to return.
pub fn run(prog: &'static str, body: impl FnOnce() -> ExitCode + UnwindSafe) -> c_int {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied());
        if let Some(reason) = msg.and_then(|m| m.strip_prefix(PRINT_FAILED)) {
            let reason = reason.split(" (os error ").next().unwrap_or(reason);
            eprintln!("{prog}: error: write error on stdout: {reason}");
            std::process::exit(1);
        }
        default_hook(info);
    }));
    match std::panic::catch_unwind(body) {
        Ok(code) => status(code),
        Err(_) => 101,
    }
}

/// The number inside an `ExitCode` (std has no stable accessor; every status a body returns was
/// made from a u8).
fn status(code: ExitCode) -> c_int {
    (0..=u8::MAX)
        .find(|&n| ExitCode::from(n) == code)
        .map_or(1, c_int::from)
}

/// Err if descriptor 1 is closed (`prog >&-`): `println!` would drop every line without a word.
pub fn stdout_open() -> io::Result<()> {
    io::stdout().as_fd().try_clone_to_owned().map(drop)
}
