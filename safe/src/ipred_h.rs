//! Intra prediction (RFC 6386 section 12): the dispatch table, whose slots have the safe fn types
//! of `vp8_asm::safe::ipred` (their doc comments give each mode's window), shared by the Rust
//! fallbacks (ipred.rs) and the asm kernels (each in a `vp8_asm::safe::Slot`).
//!
//! Predictors write in place into the frame being reconstructed and read their edges from it:
//! the row above (dst[-stride + x]), the column to the left (dst[y * stride - 1]) and the
//! above-left pixel (dst[-stride - 1]). The decoder has already written the frame-edge values
//! (127 above the top row, including the corner; 129 left of the left column) into the border,
//! so V/H/TM need no special cases. DC at frame edges uses the _left/_top/_128 variants, which
//! read only the edge they name (the decoder chooses). Subblock predictors also read 4 above-right
//! pixels by value in `topright` (the decoder picks them, RFC 12.3).
pub use vp8_asm::safe::ipred::{Ipred4Fn, Ipred4Slot, IpredFn, IpredSlot};
/// The whole-block predictors for 16x16 luma and 8x8 chroma (one plane per call), in the order
/// of the [`Vp8IpredDsp`] tables (the C's `VP8_IPRED_*`, port step 66).
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpredMode {
    /// average of above row and left column
    Dc = 0,
    /// copy the above row
    V,
    /// copy the left column
    H,
    /// left + above - above-left, clamped
    Tm,
    /// average of the left column only (top frame row)
    DcLeft,
    /// average of the above row only (left frame column)
    DcTop,
    /// 128 (top-left macroblock)
    Dc128,
}
/// A 4x4 subblock mode, in the bitstream's order (RFC 11.2 intra_bmode), numbered as the C's
/// `VP8_B_*`: the index of its predictor in [`Vp8IpredDsp::pred4x4`] (port step 61).
#[repr(u8)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BMode {
    /// `VP8_B_DC`, also the border record's and the implied mode of a DC_PRED macroblock.
    #[default]
    Dc = 0,
    Tm,
    Ve,
    He,
    Ld,
    Rd,
    Vr,
    Vl,
    Hd,
    Hu,
}
#[derive(Debug, Clone, Copy)]
pub struct Vp8IpredDsp {
    pub pred16x16: [IpredSlot<16>; 7],
    pub pred8x8: [IpredSlot<8>; 7],
    pub pred4x4: [Ipred4Slot; 10],
}
