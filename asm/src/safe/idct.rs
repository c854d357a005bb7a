//! Inverse transforms with residual add (RFC 6386 section 14): the safe fn types of the idct
//! table and the wrapper of every kernel.
//!
//! Table slots, as `upstream-c/src/x86/idct_init.c` installs them: SSE2 serves all six;
//! AVX2 replaces `idct_add_y` and `idct_add_uv`.
//!
//! Coefficient blocks are `[i16; 16]` in raster order, already dequantized, so their sizes are
//! in the types and need no check; only the pixels are checked. The wrappers also refuse a
//! stride above `u32::MAX` (see the [parent module](super)).

#[cfg(target_arch = "x86_64")]
use super::{Avx2, Sse2};
use super::{Window, check};

/// Adds the inverse DCT of `block` to the 4x4 pixels at the start of `dst` (rows `stride` apart,
/// each result clamped to `0..=255`), then zeroes `block`: the C stage's `vp8_idct_add_fn`.
/// `dst` must hold `3 * stride + 4` bytes and `stride >= 4`; nothing else is touched. The
/// arithmetic, including the wrap of the first pass to 16 bits for extreme coefficients, is
/// `asm/include/vp8asm/idct.h`'s.
pub type IdctAddFn = fn(dst: &mut [u8], stride: usize, block: &mut [i16; 16]);

/// Adds `(block[0] + 4) >> 3` to the 4x4 pixels at the start of `dst` (clamped) and zeroes
/// `block[0]`: `vp8_idct_dc_add_fn`. Only `block[0]` may be non-zero (the others are not read and
/// stay as they are). Same window as [`IdctAddFn`] (the same Rust type: the two differ only in
/// this contract).
pub type IdctDcAddFn = fn(dst: &mut [u8], stride: usize, block: &mut [i16; 16]);

/// Adds the 16 luma blocks of a macroblock to the 16x16 pixels at the start of `dst`: block `i`
/// at block row `i / 4`, column `i % 4`, with the full inverse DCT when `eobs[i] > 1`, else the
/// DC-only form (only `blocks[i][0]` may then be non-zero; nothing is added when it is zero):
/// `vp8_idct_add_y_fn`. Consumed coefficients are zeroed. `dst` must hold `15 * stride + 16`
/// bytes and `stride >= 16`.
pub type IdctAddYFn =
    fn(dst: &mut [u8], stride: usize, blocks: &mut [[i16; 16]; 16], eobs: &[u8; 16]);

/// The 4 U blocks (`blocks[0..4]`) and 4 V blocks (`blocks[4..8]`) of a macroblock, added to the
/// 8x8 pixels at the start of `dst_u` and of `dst_v` (2x2 blocks each, same `stride`), with the
/// eob rule of [`IdctAddYFn`]: `vp8_idct_add_uv_fn`. Each of `dst_u`, `dst_v` must hold
/// `7 * stride + 8` bytes and `stride >= 8`.
pub type IdctAddUvFn = fn(
    dst_u: &mut [u8],
    dst_v: &mut [u8],
    stride: usize,
    blocks: &mut [[i16; 16]; 8],
    eobs: &[u8; 8],
);

/// The inverse Walsh-Hadamard transform of the Y2 block: output `i` becomes `blocks[i][0]` (the
/// DC of luma block `i`; nothing else of `blocks` is written), and `y2` is zeroed: `vp8_iwht_fn`.
/// The `iwht_dc` slot has the same type and is used when only `y2[0]` may be non-zero.
pub type IwhtFn = fn(blocks: &mut [[i16; 16]; 16], y2: &mut [i16; 16]);

macro_rules! idct_wrappers {
    ($($getter:ident($token:ident) -> $ty:ident => $kernel:ident, $w:literal;)*) => {$(
        #[doc = concat!(
            "`", stringify!($kernel), "` as a checked [`", stringify!($ty),
            "`]; contract in `asm/include/vp8asm/idct.h`."
        )]
        #[cfg(target_arch = "x86_64")]
        pub fn $getter(_: $token) -> $ty {
            fn wrapper(dst: &mut [u8], stride: usize, block: &mut [i16; 16]) {
                check(site!($kernel, "dst", Window::block($w, $w)), dst.len(), 0, stride);
                // SAFETY: the token proves the ISA; the check proved `dst` holds the 4x4 pixels
                // (so the stride fits isize); `block` is 16 coefficients; the borrows are disjoint.
                unsafe { crate::idct::$kernel(dst.as_mut_ptr(), stride as isize, block.as_mut_ptr()) }
            }
            wrapper
        }
    )*};
}

idct_wrappers! {
    idct_add_sse2(Sse2) -> IdctAddFn => vp8_idct_add_sse2, 4;
    idct_dc_add_sse2(Sse2) -> IdctDcAddFn => vp8_idct_dc_add_sse2, 4;
}

macro_rules! idct_y_wrappers {
    ($($getter:ident($token:ident) => $kernel:ident;)*) => {$(
        #[doc = concat!(
            "`", stringify!($kernel), "` as a checked [`IdctAddYFn`]; contract in \
             `asm/include/vp8asm/idct.h`."
        )]
        #[cfg(target_arch = "x86_64")]
        pub fn $getter(_: $token) -> IdctAddYFn {
            fn wrapper(dst: &mut [u8], stride: usize, blocks: &mut [[i16; 16]; 16], eobs: &[u8; 16]) {
                check(site!($kernel, "dst", Window::block(16, 16)), dst.len(), 0, stride);
                // SAFETY: the token proves the ISA; the check proved `dst` holds the 16x16
                // pixels; the arrays are the 16 blocks and 16 eobs the kernel reads.
                unsafe {
                    crate::idct::$kernel(dst.as_mut_ptr(), stride as isize, blocks.as_mut_ptr(), eobs.as_ptr())
                }
            }
            wrapper
        }
    )*};
}

idct_y_wrappers! {
    idct_add_y_sse2(Sse2) => vp8_idct_add_y_sse2;
    idct_add_y_avx2(Avx2) => vp8_idct_add_y_avx2;
}

macro_rules! idct_uv_wrappers {
    ($($getter:ident($token:ident) => $kernel:ident;)*) => {$(
        #[doc = concat!(
            "`", stringify!($kernel), "` as a checked [`IdctAddUvFn`]; contract in \
             `asm/include/vp8asm/idct.h`."
        )]
        #[cfg(target_arch = "x86_64")]
        pub fn $getter(_: $token) -> IdctAddUvFn {
            fn wrapper(
                dst_u: &mut [u8],
                dst_v: &mut [u8],
                stride: usize,
                blocks: &mut [[i16; 16]; 8],
                eobs: &[u8; 8],
            ) {
                check(site!($kernel, "dst_u", Window::block(8, 8)), dst_u.len(), 0, stride);
                check(site!($kernel, "dst_v", Window::block(8, 8)), dst_v.len(), 0, stride);
                // SAFETY: the token proves the ISA; the checks proved that `dst_u` and `dst_v`
                // (disjoint borrows) each hold 8x8 pixels; the arrays are the 8 blocks and eobs.
                unsafe {
                    crate::idct::$kernel(
                        dst_u.as_mut_ptr(),
                        dst_v.as_mut_ptr(),
                        stride as isize,
                        blocks.as_mut_ptr(),
                        eobs.as_ptr(),
                    )
                }
            }
            wrapper
        }
    )*};
}

idct_uv_wrappers! {
    idct_add_uv_sse2(Sse2) => vp8_idct_add_uv_sse2;
    idct_add_uv_avx2(Avx2) => vp8_idct_add_uv_avx2;
}

macro_rules! iwht_wrappers {
    ($($getter:ident($token:ident) => $kernel:ident;)*) => {$(
        #[doc = concat!(
            "`", stringify!($kernel), "` as an [`IwhtFn`] (fixed-size arrays: nothing to \
             check); contract in `asm/include/vp8asm/idct.h`."
        )]
        #[cfg(target_arch = "x86_64")]
        pub fn $getter(_: $token) -> IwhtFn {
            fn wrapper(blocks: &mut [[i16; 16]; 16], y2: &mut [i16; 16]) {
                // SAFETY: the token proves the ISA; the kernel reads `y2`'s 16 coefficients and
                // writes `blocks[i][0]` of the 16 blocks and `y2`, all inside the two borrows.
                unsafe { crate::idct::$kernel(blocks.as_mut_ptr(), y2.as_mut_ptr()) }
            }
            wrapper
        }
    )*};
}

iwht_wrappers! {
    iwht_sse2(Sse2) => vp8_iwht_sse2;
    iwht_dc_sse2(Sse2) => vp8_iwht_dc_sse2;
}
