//! Motion compensation (sub-pixel prediction, RFC 6386 section 18): the function-pointer table and
//! the kernel contract shared by the C fallbacks (mc.c) and the asm kernels (asm/, installed by
//! x86/dsp_init.c).
//!
//! Contract of every vp8_mc_fn, for a W x H block (W x H given by the table slot):
//!   dst[y * dst_stride + x] = prediction of the pixel at src[y * src_stride + x] displaced by
//!   (mx/8, my/8) pixels, mx and my in 0..7 (eighth pels; luma only ever uses even values).
//!   The six-tap kernels filter horizontally first (rows -2 .. H+2), clamp each intermediate to
//!   0..255 after rounding (+64 >> 7), then vertically; a zero fraction is the identity filter.
//!   The bilinear kernels do the same with two taps (rows 0 .. H); no clamp is needed.
//!   mx == my == 0 is a plain copy.
//! Memory: a kernel may read src from column -2 to W+2 and row -2 to H+2 (six-tap) or column 0 to
//!   W and row 0 to H (bilinear) whatever the fractions; the caller guarantees these are readable.
//!   dst and src never overlap. No alignment is guaranteed; strides may be any value >= W.
pub type vp8_mc_fn = Option<
    unsafe extern "C" fn(*mut u8, isize, *const u8, isize, i32, i32),
>;
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
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Vp8McDsp {
    pub put: [[vp8_mc_fn; 4]; 2],
}
