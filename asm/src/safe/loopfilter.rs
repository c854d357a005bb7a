//! Loop filters (RFC 6386 section 15): the safe fn types of the loop-filter table and the wrapper
//! of every kernel.
//!
//! Table slots, as `upstream-c/src/x86/loopfilter_init.c` installs them: SSE2 serves all
//! twelve; SSSE3 replaces the four macroblock-edge ones (`mb_top_y`, `mb_left_y`, `mb_top_uv`,
//! `mb_left_uv`). There is no AVX2 level.
//!
//! Edges are named as in `upstream-c/src/loopfilter.h`: a *top* edge is horizontal, between the
//! rows at `pos - stride` and `pos`; a *left* edge is vertical, between the columns at `pos - 1`
//! and `pos`. *mb* filters the macroblock edge at `pos`; *inner* the subblock edges 4, 8 and 12
//! (luma) or 4 (chroma) inside the block at `pos`, in that order. Luma filters 16 positions along
//! the edge, chroma 8 in U and 8 in V.
//!
//! The thresholds are `u8`; the kernels' header allows `edge_limit <= 254` (the decoder passes at
//! most 193, `interior` at most 63, `hev_thresh` at most 3): `edge_limit == 255` gives
//! unspecified pixels (still inside the window).
//!
//! Windows (rows x columns relative to `pos`, per `asm/include/vp8asm/loopfilter.h`); the
//! wrappers check the span from its first to its last byte, `stride >=` its width and `stride <=
//! u32::MAX`:
//!
//! | kernel | rows | columns |
//! |---|---|---|
//! | `mb_top_y` | -4..=3 | 0..=15 |
//! | `mb_left_y` | 0..=15 | -4..=3 |
//! | `inner_top_y`, `inner_left_y` | 0..=15 | 0..=15 |
//! | `mb_top_uv` (each plane) | -4..=3 | 0..=7 |
//! | `mb_left_uv` (each plane) | 0..=7 | -4..=3 |
//! | `inner_top_uv`, `inner_left_uv` (each plane) | 0..=7 | 0..=7 |
//! | `simple_mb_top` | -2..=1 | 0..=15 |
//! | `simple_mb_left` | 0..=15 | -2..=1 |
//! | `simple_inner_top` | 0..=13 (2..=13 read) | 0..=15 |
//! | `simple_inner_left` | 0..=15 | 0..=13 (2..=13 read) |
//!
//! Bytes are read and written only inside the window (a kernel may rewrite a pixel it read with
//! the same value).

#[cfg(target_arch = "x86_64")]
use super::{Sse2, Ssse3};
use super::{Window, check};
#[cfg(target_arch = "x86_64")]
use core::ffi::c_int;

/// Filters a luma edge (or the inner edges of a luma macroblock) in place: the C stage's
/// `vp8_lf_luma_fn` (slots `mb_top_y`, `mb_left_y`, `inner_top_y`, `inner_left_y`). `buf[pos]`
/// is the first pixel after the edge (the macroblock's top-left pixel); rows are `stride` apart.
/// The window of each slot is in the [module](self) table; the thresholds are E, I and the high
/// edge variance threshold of RFC 6386 section 15.
pub type LfLumaFn =
    fn(buf: &mut [u8], pos: usize, stride: usize, edge_limit: u8, interior: u8, hev_thresh: u8);

/// Filters the same edge of the U and the V block with the same thresholds: `vp8_lf_chroma_fn`
/// (slots `mb_top_uv`, `mb_left_uv`, `inner_top_uv`, `inner_left_uv`). The two planes have the
/// same layout, so one `pos` and one `stride` serve both (the C stage passes two pointers at the
/// same offset of its two chroma planes); each of `u` and `v` must hold the window.
pub type LfChromaFn = fn(
    u: &mut [u8],
    v: &mut [u8],
    pos: usize,
    stride: usize,
    edge_limit: u8,
    interior: u8,
    hev_thresh: u8,
);

/// The simple filter on a luma edge (or the inner edges), `edge_limit` only: `vp8_lf_simple_fn`
/// (slots `simple_mb_top`, `simple_mb_left`, `simple_inner_top`, `simple_inner_left`).
pub type LfSimpleFn = fn(buf: &mut [u8], pos: usize, stride: usize, edge_limit: u8);

/// A window as the module table gives it.
#[inline(always)]
const fn lf_window(up: usize, left: usize, down: usize, right: usize, width: usize) -> Window {
    Window {
        up,
        left,
        down,
        right,
        width,
    }
}

macro_rules! luma_wrappers {
    ($($getter:ident($token:ident) => $kernel:ident, $window:expr;)*) => {$(
        #[doc = concat!(
            "`", stringify!($kernel), "` as a checked [`LfLumaFn`]; contract in \
             `asm/include/vp8asm/loopfilter.h`."
        )]
        #[cfg(target_arch = "x86_64")]
        pub fn $getter(_: $token) -> LfLumaFn {
            fn wrapper(buf: &mut [u8], pos: usize, stride: usize, e: u8, i: u8, h: u8) {
                check(site!($kernel, "buf", $window), buf.len(), pos, stride);
                // SAFETY: the token proves the ISA; the check proved that `buf` holds every pixel
                // the kernel reads or writes around `pos` (in bounds).
                unsafe {
                    crate::loopfilter::$kernel(
                        buf.as_mut_ptr().add(pos),
                        stride as isize,
                        c_int::from(e),
                        c_int::from(i),
                        c_int::from(h),
                    )
                }
            }
            wrapper
        }
    )*};
}

luma_wrappers! {
    mb_top_y_sse2(Sse2) => vp8_lf_mb_top_y_sse2, lf_window(4, 0, 3, 15, 16);
    mb_left_y_sse2(Sse2) => vp8_lf_mb_left_y_sse2, lf_window(0, 4, 15, 3, 8);
    inner_top_y_sse2(Sse2) => vp8_lf_inner_top_y_sse2, lf_window(0, 0, 15, 15, 16);
    inner_left_y_sse2(Sse2) => vp8_lf_inner_left_y_sse2, lf_window(0, 0, 15, 15, 16);
    mb_top_y_ssse3(Ssse3) => vp8_lf_mb_top_y_ssse3, lf_window(4, 0, 3, 15, 16);
    mb_left_y_ssse3(Ssse3) => vp8_lf_mb_left_y_ssse3, lf_window(0, 4, 15, 3, 8);
}

macro_rules! chroma_wrappers {
    ($($getter:ident($token:ident) => $kernel:ident, $window:expr;)*) => {$(
        #[doc = concat!(
            "`", stringify!($kernel), "` as a checked [`LfChromaFn`]; contract in \
             `asm/include/vp8asm/loopfilter.h`."
        )]
        #[cfg(target_arch = "x86_64")]
        pub fn $getter(_: $token) -> LfChromaFn {
            fn wrapper(u: &mut [u8], v: &mut [u8], pos: usize, stride: usize, e: u8, i: u8, h: u8) {
                check(site!($kernel, "u", $window), u.len(), pos, stride);
                check(site!($kernel, "v", $window), v.len(), pos, stride);
                // SAFETY: the token proves the ISA; the checks proved that `u` and `v` (disjoint
                // borrows, so the two filtered regions cannot overlap) each hold the window
                // around `pos`.
                unsafe {
                    crate::loopfilter::$kernel(
                        u.as_mut_ptr().add(pos),
                        v.as_mut_ptr().add(pos),
                        stride as isize,
                        c_int::from(e),
                        c_int::from(i),
                        c_int::from(h),
                    )
                }
            }
            wrapper
        }
    )*};
}

chroma_wrappers! {
    mb_top_uv_sse2(Sse2) => vp8_lf_mb_top_uv_sse2, lf_window(4, 0, 3, 7, 8);
    mb_left_uv_sse2(Sse2) => vp8_lf_mb_left_uv_sse2, lf_window(0, 4, 7, 3, 8);
    inner_top_uv_sse2(Sse2) => vp8_lf_inner_top_uv_sse2, lf_window(0, 0, 7, 7, 8);
    inner_left_uv_sse2(Sse2) => vp8_lf_inner_left_uv_sse2, lf_window(0, 0, 7, 7, 8);
    mb_top_uv_ssse3(Ssse3) => vp8_lf_mb_top_uv_ssse3, lf_window(4, 0, 3, 7, 8);
    mb_left_uv_ssse3(Ssse3) => vp8_lf_mb_left_uv_ssse3, lf_window(0, 4, 7, 3, 8);
}

macro_rules! simple_wrappers {
    ($($getter:ident($token:ident) => $kernel:ident, $window:expr;)*) => {$(
        #[doc = concat!(
            "`", stringify!($kernel), "` as a checked [`LfSimpleFn`]; contract in \
             `asm/include/vp8asm/loopfilter.h`."
        )]
        #[cfg(target_arch = "x86_64")]
        pub fn $getter(_: $token) -> LfSimpleFn {
            fn wrapper(buf: &mut [u8], pos: usize, stride: usize, e: u8) {
                check(site!($kernel, "buf", $window), buf.len(), pos, stride);
                // SAFETY: the token proves the ISA; the check proved that `buf` holds every pixel
                // the kernel reads or writes around `pos` (in bounds).
                unsafe { crate::loopfilter::$kernel(buf.as_mut_ptr().add(pos), stride as isize, c_int::from(e)) }
            }
            wrapper
        }
    )*};
}

simple_wrappers! {
    simple_mb_top_sse2(Sse2) => vp8_lf_simple_mb_top_sse2, lf_window(2, 0, 1, 15, 16);
    simple_mb_left_sse2(Sse2) => vp8_lf_simple_mb_left_sse2, lf_window(0, 2, 15, 1, 4);
    simple_inner_top_sse2(Sse2) => vp8_lf_simple_inner_top_sse2, lf_window(0, 0, 13, 15, 16);
    simple_inner_left_sse2(Sse2) => vp8_lf_simple_inner_left_sse2, lf_window(0, 0, 15, 13, 14);
}
