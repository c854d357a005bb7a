//! Inverse transforms with residual add (RFC 6386 section 14): the safe fn types of the idct
//! table, its slot types and the checked slot of every kernel.
//!
//! Table slots, as `upstream-c/src/x86/idct_init.c` installs them: SSE2 serves all six;
//! AVX2 replaces `idct_add_y` and `idct_add_uv`.
//!
//! Coefficient blocks are `[i16; 16]` in raster order, already dequantized, so their sizes are
//! in the types and need no check; only the pixels are checked. The slots also refuse a
//! stride above `u32::MAX` (see the [parent module](super)).

use super::block::{MbBlock, inside_mb, subblock_xy};
#[cfg(target_arch = "x86_64")]
use super::{Avx2, Sse2};
use super::{Slot, Window, check_window};

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

/// The kernel side of an idct slot: the kernel and its name for a panic message (private
/// fields: only the getters below make one).
#[derive(Clone, Copy, Debug)]
pub struct IdctAsm<R> {
    raw: R,
    kernel: &'static str,
}

type RawAddFn = unsafe extern "C" fn(*mut u8, isize, *mut i16);
type RawAddYFn = unsafe extern "C" fn(*mut u8, isize, *mut [i16; 16], *const u8);
type RawAddUvFn = unsafe extern "C" fn(*mut u8, *mut u8, isize, *mut [i16; 16], *const u8);
type RawIwhtFn = unsafe extern "C" fn(*mut [i16; 16], *mut i16);

/// An `idct_add` or `idct_dc_add` slot: a kernel or a safe [`IdctAddFn`] (see [`Slot`]).
pub type IdctAddSlot = Slot<IdctAsm<RawAddFn>, IdctAddFn>;
/// An `idct_add_y` slot: a kernel or a safe [`IdctAddYFn`].
pub type IdctAddYSlot = Slot<IdctAsm<RawAddYFn>, IdctAddYFn>;
/// An `idct_add_uv` slot: a kernel or a safe [`IdctAddUvFn`].
pub type IdctAddUvSlot = Slot<IdctAsm<RawAddUvFn>, IdctAddUvFn>;
/// An `iwht` or `iwht_dc` slot: a kernel or a safe [`IwhtFn`].
pub type IwhtSlot = Slot<IdctAsm<RawIwhtFn>, IwhtFn>;

impl IdctAddSlot {
    /// The arguments and contract of [`IdctAddFn`] (or [`IdctDcAddFn`]). For a kernel, panics
    /// unless `dst` holds the 4x4 pixels (checked here, inlined into the caller).
    #[inline(always)]
    pub fn call(&self, dst: &mut [u8], stride: usize, block: &mut [i16; 16]) {
        match self {
            &Slot::Rust(f) => f(dst, stride, block),
            Slot::Asm(k) => {
                check_window(
                    k.kernel,
                    "dst",
                    &const { Window::block(4, 4) },
                    dst.len(),
                    0,
                    stride,
                );
                // SAFETY: only a getter below makes an `IdctAsm`, from the token that proves the
                // ISA; the check proved `dst` holds the 4x4 pixels (so the stride fits isize);
                // `block` is 16 coefficients; the borrows are disjoint.
                unsafe { (k.raw)(dst.as_mut_ptr(), stride as isize, block.as_mut_ptr()) }
            }
        }
    }
}

impl IdctAddYSlot {
    /// The arguments and contract of [`IdctAddYFn`]; for a kernel, checks the 16x16 pixels.
    #[inline(always)]
    pub fn call(
        &self,
        dst: &mut [u8],
        stride: usize,
        blocks: &mut [[i16; 16]; 16],
        eobs: &[u8; 16],
    ) {
        match self {
            &Slot::Rust(f) => f(dst, stride, blocks, eobs),
            Slot::Asm(k) => {
                check_window(
                    k.kernel,
                    "dst",
                    &const { Window::block(16, 16) },
                    dst.len(),
                    0,
                    stride,
                );
                // SAFETY: as for `IdctAddSlot::call`, with the 16x16 pixels, 16 blocks and eobs.
                unsafe {
                    (k.raw)(
                        dst.as_mut_ptr(),
                        stride as isize,
                        blocks.as_mut_ptr(),
                        eobs.as_ptr(),
                    )
                }
            }
        }
    }
}

impl IdctAddUvSlot {
    /// The arguments and contract of [`IdctAddUvFn`]; for a kernel, checks the 8x8 pixels of
    /// each plane.
    #[inline(always)]
    pub fn call(
        &self,
        dst_u: &mut [u8],
        dst_v: &mut [u8],
        stride: usize,
        blocks: &mut [[i16; 16]; 8],
        eobs: &[u8; 8],
    ) {
        match self {
            &Slot::Rust(f) => f(dst_u, dst_v, stride, blocks, eobs),
            Slot::Asm(k) => {
                let w = &const { Window::block(8, 8) };
                check_window(k.kernel, "dst_u", w, dst_u.len(), 0, stride);
                check_window(k.kernel, "dst_v", w, dst_v.len(), 0, stride);
                // SAFETY: as for `IdctAddSlot::call`; `dst_u` and `dst_v` are disjoint borrows,
                // each holding 8x8 pixels; the arrays are the 8 blocks and eobs.
                unsafe {
                    (k.raw)(
                        dst_u.as_mut_ptr(),
                        dst_v.as_mut_ptr(),
                        stride as isize,
                        blocks.as_mut_ptr(),
                        eobs.as_ptr(),
                    )
                }
            }
        }
    }
}

impl IdctAddSlot {
    /// [`call`](Self::call) on 4x4 subblock `sub` (raster order) of a checked luma block:
    /// panics unless `sub < 16`, and checks nothing else.
    #[inline(always)]
    pub fn call_block(&self, b: &mut MbBlock<'_, 16>, sub: usize, block: &mut [i16; 16]) {
        const { assert!(inside_mb(16, (12, 12), (4, 4), (0, 0))) };
        let (x, y) = subblock_xy(sub);
        let p = b.offset(x, y);
        match self {
            &Slot::Rust(f) => f(&mut b.buf[p..], b.stride, block),
            // SAFETY: `sub < 16`, so the subblock lies inside the window `MbBlock::new` checked
            // (the assertion above); `block` is 16 coefficients.
            Slot::Asm(k) => unsafe {
                (k.raw)(
                    b.buf.as_mut_ptr().add(p),
                    b.stride as isize,
                    block.as_mut_ptr(),
                )
            },
        }
    }
}

impl IdctAddYSlot {
    /// [`call`](Self::call) on a checked luma block: no check of its own.
    #[inline(always)]
    pub fn call_block(
        &self,
        b: &mut MbBlock<'_, 16>,
        blocks: &mut [[i16; 16]; 16],
        eobs: &[u8; 16],
    ) {
        const { assert!(inside_mb(16, (0, 0), (16, 16), (0, 0))) };
        match self {
            &Slot::Rust(f) => f(&mut b.buf[b.pos..], b.stride, blocks, eobs),
            // SAFETY: the 16x16 pixels are the block `MbBlock::new` checked.
            Slot::Asm(k) => unsafe {
                (k.raw)(
                    b.buf.as_mut_ptr().add(b.pos),
                    b.stride as isize,
                    blocks.as_mut_ptr(),
                    eobs.as_ptr(),
                )
            },
        }
    }
}

impl IdctAddUvSlot {
    /// [`call`](Self::call) on checked U and V blocks: panics unless their strides are equal
    /// (the kernels take one), and checks nothing else.
    #[inline(always)]
    pub fn call_block(
        &self,
        u: &mut MbBlock<'_, 8>,
        v: &mut MbBlock<'_, 8>,
        blocks: &mut [[i16; 16]; 8],
        eobs: &[u8; 8],
    ) {
        assert!(
            u.stride == v.stride,
            "U and V blocks with different strides"
        );
        match self {
            &Slot::Rust(f) => f(
                &mut u.buf[u.pos..],
                &mut v.buf[v.pos..],
                u.stride,
                blocks,
                eobs,
            ),
            // SAFETY: each plane's 8x8 pixels are the block `MbBlock::new` checked, with the
            // stride both share; `u` and `v` are disjoint borrows.
            Slot::Asm(k) => unsafe {
                (k.raw)(
                    u.buf.as_mut_ptr().add(u.pos),
                    v.buf.as_mut_ptr().add(v.pos),
                    u.stride as isize,
                    blocks.as_mut_ptr(),
                    eobs.as_ptr(),
                )
            },
        }
    }
}

impl IwhtSlot {
    /// The arguments and contract of [`IwhtFn`] (fixed-size arrays: nothing to check).
    #[inline(always)]
    pub fn call(&self, blocks: &mut [[i16; 16]; 16], y2: &mut [i16; 16]) {
        match self {
            &Slot::Rust(f) => f(blocks, y2),
            // SAFETY: only a getter below makes an `IdctAsm`, from the token that proves the ISA;
            // the kernel reads `y2`'s 16 coefficients and writes `blocks[i][0]` of the 16 blocks
            // and `y2`, all inside the two borrows.
            Slot::Asm(k) => unsafe { (k.raw)(blocks.as_mut_ptr(), y2.as_mut_ptr()) },
        }
    }
}

/// One getter per kernel, returning slot type `$slot`.
macro_rules! idct_slots {
    ($($getter:ident($token:ident) -> $slot:ident => $kernel:ident;)*) => {$(
        #[doc = concat!(
            "`", stringify!($kernel), "` as a checked [`", stringify!($slot),
            "`]; contract in `asm/include/vp8asm/idct.h`."
        )]
        #[cfg(target_arch = "x86_64")]
        pub fn $getter(_: $token) -> $slot {
            Slot::Asm(IdctAsm { raw: crate::idct::$kernel, kernel: stringify!($kernel) })
        }
    )*};
}

idct_slots! {
    idct_add_sse2(Sse2) -> IdctAddSlot => vp8_idct_add_sse2;
    idct_dc_add_sse2(Sse2) -> IdctAddSlot => vp8_idct_dc_add_sse2;
    idct_add_y_sse2(Sse2) -> IdctAddYSlot => vp8_idct_add_y_sse2;
    idct_add_y_avx2(Avx2) -> IdctAddYSlot => vp8_idct_add_y_avx2;
    idct_add_uv_sse2(Sse2) -> IdctAddUvSlot => vp8_idct_add_uv_sse2;
    idct_add_uv_avx2(Avx2) -> IdctAddUvSlot => vp8_idct_add_uv_avx2;
    iwht_sse2(Sse2) -> IwhtSlot => vp8_iwht_sse2;
    iwht_dc_sse2(Sse2) -> IwhtSlot => vp8_iwht_dc_sse2;
}
