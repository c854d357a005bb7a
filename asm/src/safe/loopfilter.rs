//! Loop filters (RFC 6386 section 15): the safe fn types of the loop-filter table, its slot
//! types and the checked slot of every kernel.
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
//! slots check the span from its first to its last byte, `stride >=` its width and `stride <=
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

use super::{Slot, Window, check_window};
#[cfg(target_arch = "x86_64")]
use super::{Sse2, Ssse3};
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
const fn lf_window(up: usize, left: usize, down: usize, right: usize, width: usize) -> Window {
    Window {
        up,
        left,
        down,
        right,
        width,
    }
}

/// The table's slots, each with its window (the module table): the `E` of the slot types.
pub mod edge {
    /// Slot `mb_top_y`.
    pub const MB_TOP_Y: usize = 0;
    /// Slot `mb_left_y`.
    pub const MB_LEFT_Y: usize = 1;
    /// Slot `inner_top_y`.
    pub const INNER_TOP_Y: usize = 2;
    /// Slot `inner_left_y`.
    pub const INNER_LEFT_Y: usize = 3;
    /// Slot `mb_top_uv`.
    pub const MB_TOP_UV: usize = 4;
    /// Slot `mb_left_uv`.
    pub const MB_LEFT_UV: usize = 5;
    /// Slot `inner_top_uv`.
    pub const INNER_TOP_UV: usize = 6;
    /// Slot `inner_left_uv`.
    pub const INNER_LEFT_UV: usize = 7;
    /// Slot `simple_mb_top`.
    pub const SIMPLE_MB_TOP: usize = 8;
    /// Slot `simple_mb_left`.
    pub const SIMPLE_MB_LEFT: usize = 9;
    /// Slot `simple_inner_top`.
    pub const SIMPLE_INNER_TOP: usize = 10;
    /// Slot `simple_inner_left`.
    pub const SIMPLE_INNER_LEFT: usize = 11;
}

/// The window of each slot of [`edge`] (the module table).
const WINDOWS: [Window; 12] = [
    lf_window(4, 0, 3, 15, 16).small(),
    lf_window(0, 4, 15, 3, 8).small(),
    lf_window(0, 0, 15, 15, 16).small(),
    lf_window(0, 0, 15, 15, 16).small(),
    lf_window(4, 0, 3, 7, 8).small(),
    lf_window(0, 4, 7, 3, 8).small(),
    lf_window(0, 0, 7, 7, 8).small(),
    lf_window(0, 0, 7, 7, 8).small(),
    lf_window(2, 0, 1, 15, 16).small(),
    lf_window(0, 2, 15, 1, 4).small(),
    lf_window(0, 0, 13, 15, 16).small(),
    lf_window(0, 0, 15, 13, 14).small(),
];

/// The kernel side of a loop-filter slot for the [`edge`] `E`: the kernel and its name for a
/// panic message (private fields: only the getters below make one, and only for the slot whose
/// window the kernel has).
#[derive(Clone, Copy, Debug)]
pub struct LfAsm<R, const E: usize> {
    raw: R,
    kernel: &'static str,
}

type RawLumaFn = unsafe extern "C" fn(*mut u8, isize, c_int, c_int, c_int);
type RawChromaFn = unsafe extern "C" fn(*mut u8, *mut u8, isize, c_int, c_int, c_int);
type RawSimpleFn = unsafe extern "C" fn(*mut u8, isize, c_int);

/// A luma loop-filter slot (edge `E` of [`edge`]): a kernel or a safe [`LfLumaFn`] (see
/// [`Slot`]). The edge is part of the type so that the window is a constant where the check is
/// inlined.
pub type LfLumaSlot<const E: usize> = Slot<LfAsm<RawLumaFn, E>, LfLumaFn>;
/// A chroma loop-filter slot: a kernel or a safe [`LfChromaFn`] (see [`Slot`]).
pub type LfChromaSlot<const E: usize> = Slot<LfAsm<RawChromaFn, E>, LfChromaFn>;
/// A simple-filter slot: a kernel or a safe [`LfSimpleFn`] (see [`Slot`]).
pub type LfSimpleSlot<const E: usize> = Slot<LfAsm<RawSimpleFn, E>, LfSimpleFn>;

// `run` calls the kernel. Safety (each): `buf` (or each of `u`, `v`) must hold the window of edge
// `E` around `pos`, rows `stride` apart, `stride <= u32::MAX`. The ISA and the window's edge need
// no promise: only a getter makes an `LfAsm`, from the token that proves the ISA and only for
// the edge whose window the kernel has; `u` and `v` are disjoint borrows.
impl<const E: usize> LfAsm<RawLumaFn, E> {
    #[inline(always)]
    unsafe fn run(&self, buf: &mut [u8], pos: usize, stride: usize, e: u8, i: u8, h: u8) {
        let (e, i, h) = (c_int::from(e), c_int::from(i), c_int::from(h));
        // SAFETY: the caller's promise and the getter's are the kernel's preconditions.
        unsafe { (self.raw)(buf.as_mut_ptr().add(pos), stride as isize, e, i, h) }
    }
}

impl<const E: usize> LfAsm<RawChromaFn, E> {
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    unsafe fn run(
        &self,
        u: &mut [u8],
        v: &mut [u8],
        pos: usize,
        stride: usize,
        e: u8,
        i: u8,
        h: u8,
    ) {
        let (u, v) = (u.as_mut_ptr(), v.as_mut_ptr());
        let (e, i, h) = (c_int::from(e), c_int::from(i), c_int::from(h));
        // SAFETY: the caller's promise and the getter's are the kernel's preconditions.
        unsafe { (self.raw)(u.add(pos), v.add(pos), stride as isize, e, i, h) }
    }
}

impl<const E: usize> LfAsm<RawSimpleFn, E> {
    #[inline(always)]
    unsafe fn run(&self, buf: &mut [u8], pos: usize, stride: usize, e: u8) {
        // SAFETY: the caller's promise and the getter's are the kernel's preconditions.
        unsafe { (self.raw)(buf.as_mut_ptr().add(pos), stride as isize, c_int::from(e)) }
    }
}

impl<const E: usize> LfLumaSlot<E> {
    /// Filters: the arguments and contract of [`LfLumaFn`]. For a kernel, panics when the window
    /// does not fit (checked here, inlined into the caller), then calls it.
    #[inline(always)]
    pub fn call(&self, buf: &mut [u8], pos: usize, stride: usize, e: u8, i: u8, h: u8) {
        match self {
            &Slot::Rust(f) => f(buf, pos, stride, e, i, h),
            Slot::Asm(k) => {
                check_window(
                    k.kernel,
                    "buf",
                    &const { WINDOWS[E] },
                    buf.len(),
                    pos,
                    stride,
                );
                // SAFETY: the check proved that `buf` holds the edge's window around `pos`.
                unsafe { k.run(buf, pos, stride, e, i, h) }
            }
        }
    }
}

impl<const E: usize> LfChromaSlot<E> {
    /// Filters U and V: the arguments and contract of [`LfChromaFn`]. For a kernel, panics when
    /// a window does not fit (checked here, inlined into the caller), then calls it.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    pub fn call(&self, u: &mut [u8], v: &mut [u8], pos: usize, stride: usize, e: u8, i: u8, h: u8) {
        match self {
            &Slot::Rust(f) => f(u, v, pos, stride, e, i, h),
            Slot::Asm(k) => {
                check_window(k.kernel, "u", &const { WINDOWS[E] }, u.len(), pos, stride);
                check_window(k.kernel, "v", &const { WINDOWS[E] }, v.len(), pos, stride);
                // SAFETY: the checks proved that `u` and `v` each hold the window around `pos`.
                unsafe { k.run(u, v, pos, stride, e, i, h) }
            }
        }
    }
}

impl<const E: usize> LfSimpleSlot<E> {
    /// Filters: the arguments and contract of [`LfSimpleFn`]. For a kernel, panics when the
    /// window does not fit (checked here, inlined into the caller), then calls it.
    #[inline(always)]
    pub fn call(&self, buf: &mut [u8], pos: usize, stride: usize, e: u8) {
        match self {
            &Slot::Rust(f) => f(buf, pos, stride, e),
            Slot::Asm(k) => {
                check_window(
                    k.kernel,
                    "buf",
                    &const { WINDOWS[E] },
                    buf.len(),
                    pos,
                    stride,
                );
                // SAFETY: the check proved that `buf` holds the edge's window around `pos`.
                unsafe { k.run(buf, pos, stride, e) }
            }
        }
    }
}

/// A macroblock's `N` x `N` block in one plane with the 4 rows above and 4 columns left of it,
/// checked once (port step 41): every window of [`edge`] for blocks of that size lies inside, so
/// the slots' `call_block` has nothing left to check. The decoder makes one per plane and
/// macroblock and runs up to four filters on it, where `call` checked each filter's window.
#[derive(Debug)]
pub struct LfBlock<'a, const N: usize> {
    buf: &'a mut [u8],
    pos: usize,
    stride: usize,
}

/// The window an [`LfBlock`] is checked for.
const fn block_window(n: usize) -> Window {
    lf_window(4, 4, n - 1, n - 1, n + 4)
}

/// Whether the window of edge `e` lies inside [`block_window`]`(n)`.
const fn inside_block(e: usize, n: usize) -> bool {
    let (w, b) = (WINDOWS[e], block_window(n));
    w.up <= b.up && w.left <= b.left && w.down <= b.down && w.right <= b.right
}

impl<'a, const N: usize> LfBlock<'a, N> {
    /// The block whose top-left pixel is `buf[pos]`, rows `stride` apart; panics unless `buf`
    /// holds it with 4 rows above and 4 columns left (and `N + 4 <= stride <= u32::MAX`).
    #[inline(always)]
    pub fn new(buf: &'a mut [u8], pos: usize, stride: usize) -> Self {
        let w = &const { block_window(N).small() };
        check_window("loop filter", "buf", w, buf.len(), pos, stride);
        LfBlock { buf, pos, stride }
    }
}

/// The same block of the U and the V plane, which share a layout (one `pos`, one `stride`, as
/// the chroma kernels take them), each checked as an [`LfBlock`]`<8>`.
#[derive(Debug)]
pub struct LfUvBlock<'a> {
    u: &'a mut [u8],
    v: &'a mut [u8],
    pos: usize,
    stride: usize,
}

impl<'a> LfUvBlock<'a> {
    /// As [`LfBlock::new`] for both planes.
    #[inline(always)]
    pub fn new(u: &'a mut [u8], v: &'a mut [u8], pos: usize, stride: usize) -> Self {
        let w = &const { block_window(8).small() };
        // The two planes share `pos` and `stride`, so the window fits both exactly when it fits
        // the shorter: one check (step 49), where there was one per plane.
        check_window("loop filter", "u, v", w, u.len().min(v.len()), pos, stride);
        LfUvBlock { u, v, pos, stride }
    }
}

impl<const E: usize> LfLumaSlot<E> {
    /// [`call`](Self::call) on a checked macroblock: no check of its own.
    #[inline(always)]
    pub fn call_block(&self, b: &mut LfBlock<'_, 16>, e: u8, i: u8, h: u8) {
        const { assert!(inside_block(E, 16)) };
        match self {
            &Slot::Rust(f) => f(b.buf, b.pos, b.stride, e, i, h),
            // SAFETY: `LfBlock::new` checked a window that holds this edge's (the assertion
            // above, at compile time).
            Slot::Asm(k) => unsafe { k.run(b.buf, b.pos, b.stride, e, i, h) },
        }
    }
}

impl<const E: usize> LfChromaSlot<E> {
    /// [`call`](Self::call) on a checked pair of chroma blocks: no check of its own.
    #[inline(always)]
    pub fn call_block(&self, b: &mut LfUvBlock<'_>, e: u8, i: u8, h: u8) {
        const { assert!(inside_block(E, 8)) };
        match self {
            &Slot::Rust(f) => f(b.u, b.v, b.pos, b.stride, e, i, h),
            // SAFETY: `LfUvBlock::new` checked, in each plane, a window that holds this edge's
            // (the assertion above, at compile time).
            Slot::Asm(k) => unsafe { k.run(b.u, b.v, b.pos, b.stride, e, i, h) },
        }
    }
}

impl<const E: usize> LfSimpleSlot<E> {
    /// [`call`](Self::call) on a checked macroblock: no check of its own.
    #[inline(always)]
    pub fn call_block(&self, b: &mut LfBlock<'_, 16>, e: u8) {
        const { assert!(inside_block(E, 16)) };
        match self {
            &Slot::Rust(f) => f(b.buf, b.pos, b.stride, e),
            // SAFETY: as for `call_block` of a luma slot.
            Slot::Asm(k) => unsafe { k.run(b.buf, b.pos, b.stride, e) },
        }
    }
}

/// One getter per kernel, for the slot type `$slot` of edge `$edge`.
macro_rules! lf_slots {
    ($slot:ident: $($getter:ident($token:ident) => $kernel:ident, $edge:ident;)*) => {$(
        #[doc = concat!(
            "`", stringify!($kernel), "` as a checked [`", stringify!($slot), "`]; contract in \
             `asm/include/vp8asm/loopfilter.h`."
        )]
        #[cfg(target_arch = "x86_64")]
        pub fn $getter(_: $token) -> $slot<{ edge::$edge }> {
            Slot::Asm(LfAsm {
                raw: crate::loopfilter::$kernel,
                kernel: stringify!($kernel),
            })
        }
    )*};
}

lf_slots! { LfLumaSlot:
    mb_top_y_sse2(Sse2) => vp8_lf_mb_top_y_sse2, MB_TOP_Y;
    mb_left_y_sse2(Sse2) => vp8_lf_mb_left_y_sse2, MB_LEFT_Y;
    inner_top_y_sse2(Sse2) => vp8_lf_inner_top_y_sse2, INNER_TOP_Y;
    inner_left_y_sse2(Sse2) => vp8_lf_inner_left_y_sse2, INNER_LEFT_Y;
    mb_top_y_ssse3(Ssse3) => vp8_lf_mb_top_y_ssse3, MB_TOP_Y;
    mb_left_y_ssse3(Ssse3) => vp8_lf_mb_left_y_ssse3, MB_LEFT_Y;
}

lf_slots! { LfChromaSlot:
    mb_top_uv_sse2(Sse2) => vp8_lf_mb_top_uv_sse2, MB_TOP_UV;
    mb_left_uv_sse2(Sse2) => vp8_lf_mb_left_uv_sse2, MB_LEFT_UV;
    inner_top_uv_sse2(Sse2) => vp8_lf_inner_top_uv_sse2, INNER_TOP_UV;
    inner_left_uv_sse2(Sse2) => vp8_lf_inner_left_uv_sse2, INNER_LEFT_UV;
    mb_top_uv_ssse3(Ssse3) => vp8_lf_mb_top_uv_ssse3, MB_TOP_UV;
    mb_left_uv_ssse3(Ssse3) => vp8_lf_mb_left_uv_ssse3, MB_LEFT_UV;
}

lf_slots! { LfSimpleSlot:
    simple_mb_top_sse2(Sse2) => vp8_lf_simple_mb_top_sse2, SIMPLE_MB_TOP;
    simple_mb_left_sse2(Sse2) => vp8_lf_simple_mb_left_sse2, SIMPLE_MB_LEFT;
    simple_inner_top_sse2(Sse2) => vp8_lf_simple_inner_top_sse2, SIMPLE_INNER_TOP;
    simple_inner_left_sse2(Sse2) => vp8_lf_simple_inner_left_sse2, SIMPLE_INNER_LEFT;
}
