//! The crate's error type: a failure's kind (the C stage's `VP8_ERR_*` code, as the stage
//! contract's [`ErrorKind`]) and its exact detail message, as the C stage words it.
//!
//! Replaces the C convention of a negative return code plus a message `snprintf`ed into the
//! decoder's `error` buffer: every step of decoding returns `Result<_, DecodeError>`, and the
//! stage adapter (stage.rs) hands kind and message to the stage contract unchanged.
//!
//! Guarantees: a failure carries the C stage's kind and message (safe/tests/errors.rs and the
//! corruption set compare them). Cost: none on a valid stream, where no error is built:
//! `callgrind_annotate` of `portlab profile --stages c,safe --no-perf --limit 10` (step 28)
//! shows no instruction on this file's lines; a `Result` return costs its callers a test of the
//! discriminant, as the C's return code did.
use vp8_stage::ErrorKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub kind: ErrorKind,
    /// what exactly went wrong (the C stage's `vp8_last_error` text)
    pub message: String,
}

impl DecodeError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        DecodeError {
            kind,
            message: message.into(),
        }
    }

    /// The negative `VP8_ERR_*` code of the C-style API.
    pub fn code(&self) -> i32 {
        self.kind.code()
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for DecodeError {}

pub type Vp8Result<T = ()> = Result<T, DecodeError>;
