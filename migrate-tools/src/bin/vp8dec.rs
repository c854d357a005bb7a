//! `vp8dec`: decode a VP8 IVF stream with any Portlab stage (`--stage c|transpiled|safe`); the flags,
//! output and exit codes of the C CLI (`upstream-c/tools/vp8dec.c`). See `vp8dec --help` and
//! `portlab::vp8dec`.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(portlab::vp8dec::main(std::env::args_os()))
}
