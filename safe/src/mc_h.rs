//! Motion compensation (sub-pixel prediction, RFC 6386 section 18): the dispatch table, whose slots
//! have the safe fn type `vp8_asm::safe::mc::McFn` (its doc comment gives the exact windows),
//! shared by the Rust fallbacks (mc.rs) and the asm kernels' wrappers (installed by x86/mc_init.rs).
//!
//! Contract of every McFn, for a W x H block (W x H given by the table slot):
//!   dst[y * dst_stride + x] = prediction of the pixel at src[y * src_stride + x] displaced by
//!   (mx/8, my/8) pixels, mx and my in 0..7 (eighth pels; luma only ever uses even values).
//!   The six-tap kernels filter horizontally first (rows -2 .. H+2), clamp each intermediate to
//!   0..255 after rounding (+64 >> 7), then vertically; a zero fraction is the identity filter.
//!   The bilinear kernels do the same with two taps (rows 0 .. H); no clamp is needed.
//!   mx == my == 0 is a plain copy.
//! Memory: dst and src are distinct slices; no alignment is guaranteed.
pub use vp8_asm::safe::mc::McFn;
pub type Vp8McSize = u32;
pub const VP8_MC_16x16: i32 = 0;
pub const VP8_MC_8x8: i32 = 1;
pub const VP8_MC_8x4: i32 = 2;
pub const VP8_MC_4x4: i32 = 3;
pub const VP8_MC_SIZES: i32 = 4;
pub type Vp8McFilter = u32;
pub const VP8_MC_SIXTAP: i32 = 0;
pub const VP8_MC_BILINEAR: i32 = 1;
pub const VP8_MC_FILTERS: i32 = 2;
#[derive(Debug, Clone, Copy)]
pub struct Vp8McDsp {
    pub put: [[McFn; 4]; 2],
}
