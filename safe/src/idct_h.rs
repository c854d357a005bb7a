//! Inverse transforms and residual add (RFC 6386 section 14): the dispatch table. Its slots have
//! the safe fn types of `vp8_asm::safe::idct`, whose doc comments are the contract of every
//! implementation, the Rust fallbacks (idct.rs) and the asm kernels alike (each in a
//! `vp8_asm::safe::Slot`).
//!
//! Coefficient blocks are [i16; 16] in raster order (row-major 4x4), already dequantized (the
//! token decoder multiplies as it stores, wrapping to i16 as libvpx does). Every kernel that
//! consumes a block leaves the coefficients it read zeroed, so the decoder's coefficient storage
//! is all-zero again after reconstruction.
pub use vp8_asm::safe::idct::{
    IdctAddFn, IdctAddSlot, IdctAddUvFn, IdctAddUvSlot, IdctAddYFn, IdctAddYSlot, IdctDcAddFn,
    IwhtFn, IwhtSlot,
};

#[derive(Debug, Clone, Copy)]
pub struct Vp8IdctDsp {
    pub idct_add: IdctAddSlot,
    pub idct_dc_add: IdctAddSlot,
    pub idct_add_y: IdctAddYSlot,
    pub idct_add_uv: IdctAddUvSlot,
    pub iwht: IwhtSlot,
    pub iwht_dc: IwhtSlot,
}
