//! Inverse transforms and residual add (RFC 6386 section 14): the dispatch table. Its slots have
//! the safe fn types of `vp8_asm::safe::idct`, whose doc comments are the contract of every
//! implementation, the Rust fallbacks (idct.rs) and the asm kernels' wrappers alike.
//!
//! Coefficient blocks are [i16; 16] in raster order (row-major 4x4), already dequantized (the
//! token decoder multiplies as it stores, wrapping to i16 as libvpx does). Every kernel that
//! consumes a block leaves the coefficients it read zeroed, so the decoder's coefficient storage
//! is all-zero again after reconstruction.
pub use vp8_asm::safe::idct::{IdctAddFn, IdctAddUvFn, IdctAddYFn, IdctDcAddFn, IwhtFn};

#[derive(Debug, Clone, Copy)]
pub struct Vp8IdctDsp {
    pub idct_add: IdctAddFn,
    pub idct_dc_add: IdctDcAddFn,
    pub idct_add_y: IdctAddYFn,
    pub idct_add_uv: IdctAddUvFn,
    pub iwht: IwhtFn,
    pub iwht_dc: IwhtFn,
}
