//! The module tree of `upstream-c/src/x86`.
#[rustfmt::skip]
pub mod idct_init;
#[rustfmt::skip]
pub mod ipred_init;
#[rustfmt::skip]
pub mod loopfilter_init;
#[rustfmt::skip]
pub mod mc_init;
