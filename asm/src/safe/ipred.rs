//! Intra prediction (RFC 6386 sections 12.2, 12.3): the safe fn types of the ipred table and the
//! wrapper of every kernel.
//!
//! Table slots, as `upstream-c/src/x86/ipred_init.c` installs them: SSE2 serves every 16x16
//! and 8x8 mode and the 4x4 modes DC, TM, VE, HE, LD, RD, HU; SSSE3 adds 4x4 VR, VL, HD; AVX2
//! replaces 16x16 H and TM and 8x8 TM.
//!
//! The wrappers check each window below and also refuse a stride above `u32::MAX` (see the
//! [parent module](super)).

#[cfg(target_arch = "x86_64")]
use super::{Avx2, Sse2, Ssse3};
use super::{Window, check};

/// Predicts an `N` x `N` block (16x16 luma or 8x8 chroma, by table slot) in place in `buf`, from
/// its edges in the same buffer: the C stage's `vp8_ipred_fn` (`upstream-c/src/ipred.h`).
///
/// `buf[pos]` is the block's top-left pixel; rows are `stride` apart. The edges are the row
/// above (`pos - stride + x`), the column to the left (`pos + y * stride - 1`) and the above-left
/// pixel (`pos - stride - 1`). Each mode reads only the edges it uses, and the window is exactly
/// those (per `asm/include/vp8asm/ipred.h`), from its first byte to the block's last pixel:
///
/// | mode | reads | first byte | `stride >=` |
/// |---|---|---|---|
/// | DC | above, left | `pos - stride` | `N + 1` |
/// | DC_LEFT, H | left | `pos - 1` | `N + 1` |
/// | DC_TOP, V | above | `pos - stride` | `N` |
/// | DC_128 | nothing | `pos` | `N` |
/// | TM | above, left, above-left | `pos - stride - 1` | `N + 1` |
///
/// and the last byte is `pos + (N - 1) * stride + N - 1`. Only the block is written.
pub type IpredFn = fn(buf: &mut [u8], pos: usize, stride: usize);

/// Predicts a 4x4 subblock in place, as [`IpredFn`], in any of the ten modes: the C stage's
/// `vp8_ipred4_fn`. The four pixels above-right come by value in `topright` (the C kernels take
/// a pointer that may point into `buf` itself, which a `&mut` borrow of `buf` excludes; they are
/// the row above the macroblock for the right-column subblocks, RFC 12.3). Every 4x4 mode may read
/// the above-left pixel (the C fallbacks load the whole edge), so the window is the same for all:
/// `pos - stride - 1 ..= pos + 3 * stride + 3`, with `stride >= 5`.
pub type Ipred4Fn = fn(buf: &mut [u8], pos: usize, stride: usize, topright: [u8; 4]);

/// The window of an `n` x `n` predictor that reads `up` rows above and `left` columns left.
#[inline(always)]
const fn pred_window(n: usize, up: usize, left: usize, width: usize) -> Window {
    Window {
        up,
        left,
        down: n - 1,
        right: n - 1,
        width,
    }
}

macro_rules! ipred_wrappers {
    ($($getter:ident($token:ident) => $kernel:ident, $n:literal, up $up:literal, left $left:literal,
       width $width:literal;)*) => {$(
        #[doc = concat!(
            "`", stringify!($kernel), "` as a checked [`IpredFn`]; contract in \
             `asm/include/vp8asm/ipred.h`."
        )]
        #[cfg(target_arch = "x86_64")]
        pub fn $getter(_: $token) -> IpredFn {
            fn wrapper(buf: &mut [u8], pos: usize, stride: usize) {
                let site = site!($kernel, "buf", pred_window($n, $up, $left, $width));
                check(site, buf.len(), pos, stride);
                // SAFETY: the token proves the ISA; the check proved that `buf` holds every edge
                // pixel this mode reads and the block it writes around `pos` (in bounds).
                unsafe { crate::ipred::$kernel(buf.as_mut_ptr().add(pos), stride as isize) }
            }
            wrapper
        }
    )*};
}

ipred_wrappers! {
    pred16x16_dc_sse2(Sse2) => vp8_pred16x16_dc_sse2, 16, up 1, left 0, width 17;
    pred16x16_dc_left_sse2(Sse2) => vp8_pred16x16_dc_left_sse2, 16, up 0, left 1, width 17;
    pred16x16_dc_top_sse2(Sse2) => vp8_pred16x16_dc_top_sse2, 16, up 1, left 0, width 16;
    pred16x16_dc_128_sse2(Sse2) => vp8_pred16x16_dc_128_sse2, 16, up 0, left 0, width 16;
    pred16x16_v_sse2(Sse2) => vp8_pred16x16_v_sse2, 16, up 1, left 0, width 16;
    pred16x16_h_sse2(Sse2) => vp8_pred16x16_h_sse2, 16, up 0, left 1, width 17;
    pred16x16_tm_sse2(Sse2) => vp8_pred16x16_tm_sse2, 16, up 1, left 1, width 17;
    pred8x8_dc_sse2(Sse2) => vp8_pred8x8_dc_sse2, 8, up 1, left 0, width 9;
    pred8x8_dc_left_sse2(Sse2) => vp8_pred8x8_dc_left_sse2, 8, up 0, left 1, width 9;
    pred8x8_dc_top_sse2(Sse2) => vp8_pred8x8_dc_top_sse2, 8, up 1, left 0, width 8;
    pred8x8_dc_128_sse2(Sse2) => vp8_pred8x8_dc_128_sse2, 8, up 0, left 0, width 8;
    pred8x8_v_sse2(Sse2) => vp8_pred8x8_v_sse2, 8, up 1, left 0, width 8;
    pred8x8_h_sse2(Sse2) => vp8_pred8x8_h_sse2, 8, up 0, left 1, width 9;
    pred8x8_tm_sse2(Sse2) => vp8_pred8x8_tm_sse2, 8, up 1, left 1, width 9;
    pred16x16_h_avx2(Avx2) => vp8_pred16x16_h_avx2, 16, up 0, left 1, width 17;
    pred16x16_tm_avx2(Avx2) => vp8_pred16x16_tm_avx2, 16, up 1, left 1, width 17;
    pred8x8_tm_avx2(Avx2) => vp8_pred8x8_tm_avx2, 8, up 1, left 1, width 9;
}

macro_rules! ipred4_wrappers {
    ($($getter:ident($token:ident) => $kernel:ident;)*) => {$(
        #[doc = concat!(
            "`", stringify!($kernel), "` as a checked [`Ipred4Fn`]; contract in \
             `asm/include/vp8asm/ipred.h`."
        )]
        #[cfg(target_arch = "x86_64")]
        pub fn $getter(_: $token) -> Ipred4Fn {
            fn wrapper(buf: &mut [u8], pos: usize, stride: usize, topright: [u8; 4]) {
                check(site!($kernel, "buf", pred_window(4, 1, 1, 5)), buf.len(), pos, stride);
                // SAFETY: the token proves the ISA; the check proved that `buf` holds the edges
                // and the block around `pos`; `topright` is the 4 bytes the kernel reads there.
                unsafe { crate::ipred::$kernel(buf.as_mut_ptr().add(pos), stride as isize, topright.as_ptr()) }
            }
            wrapper
        }
    )*};
}

ipred4_wrappers! {
    pred4x4_dc_sse2(Sse2) => vp8_pred4x4_dc_sse2;
    pred4x4_tm_sse2(Sse2) => vp8_pred4x4_tm_sse2;
    pred4x4_ve_sse2(Sse2) => vp8_pred4x4_ve_sse2;
    pred4x4_he_sse2(Sse2) => vp8_pred4x4_he_sse2;
    pred4x4_ld_sse2(Sse2) => vp8_pred4x4_ld_sse2;
    pred4x4_rd_sse2(Sse2) => vp8_pred4x4_rd_sse2;
    pred4x4_hu_sse2(Sse2) => vp8_pred4x4_hu_sse2;
    pred4x4_vr_ssse3(Ssse3) => vp8_pred4x4_vr_ssse3;
    pred4x4_vl_ssse3(Ssse3) => vp8_pred4x4_vl_ssse3;
    pred4x4_hd_ssse3(Ssse3) => vp8_pred4x4_hd_ssse3;
}
