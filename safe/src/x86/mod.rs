//! The module tree of `upstream-c/src/x86`.
pub mod idct_init;
pub mod ipred_init;
pub mod loopfilter_init;
pub mod mc_init;
