//! Motion compensation (sub-pixel prediction, RFC 6386 section 18): the dispatch table, whose slots
//! are `vp8_asm::safe::mc::McSlot`s of the safe fn type `McFn` (its doc comment gives the windows),
//! shared by the Rust fallbacks (mc.rs) and the asm kernels' slots (installed by x86/mc_init.rs).
//!
//! Contract of every McFn, for a W x H block (W x H given by the table slot):
//!   dst[y * dst_stride + x] = prediction of the pixel at src[y * src_stride + x] displaced by
//!   (mx/8, my/8) pixels, mx and my in 0..7 (eighth pels; luma only ever uses even values).
//!   The six-tap kernels filter horizontally first (rows -2 .. H+2), clamp each intermediate to
//!   0..255 after rounding (+64 >> 7), then vertically; a zero fraction is the identity filter.
//!   The bilinear kernels do the same with two taps (rows 0 .. H); no clamp is needed.
//!   mx == my == 0 is a plain copy.
//! Memory: dst and src are distinct slices; no alignment is guaranteed.
pub use vp8_asm::safe::mc::{MC_4X4, MC_8X4, MC_8X8, MC_16X16, McFn, McSlot};
/// The interpolation filter of a frame (RFC 6386 section 18: six-tap, or bilinear for versions
/// 1 and 2), the row of the `put*` tables (the C's `VP8_MC_SIXTAP`, `VP8_MC_BILINEAR`; port step
/// 66).
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum McFilter {
    Sixtap = 0,
    Bilinear,
}
/// One column per block size, as the C table's `put[filter][size]`, but as four fields: the size
/// is part of a slot's type (its windows are constants where the check is inlined, port step 40).
#[derive(Debug, Clone, Copy)]
pub struct Vp8McDsp {
    pub put16x16: [McSlot<MC_16X16>; 2],
    pub put8x8: [McSlot<MC_8X8>; 2],
    pub put8x4: [McSlot<MC_8X4>; 2],
    pub put4x4: [McSlot<MC_4X4>; 2],
}
