//! Motion compensation (RFC 6386 section 18): the safe [`McFn`] type, the table slot [`McSlot`]
//! and the checked slot of every six-tap and bilinear kernel.
//!
//! Table slots, as `upstream-c/src/x86/mc_init.c` installs them: every `put[filter][size]` gets
//! its SSE2 kernel, then its SSSE3 kernel; AVX2 replaces only six-tap 16x16 and 8x8.

use super::block::MbBlock;
#[cfg(target_arch = "x86_64")]
use super::{Avx2, Sse2, Ssse3};
use super::{Slot, Window, check_rect, check_window, fits, window_panic};
use core::ffi::c_int;

/// Predicts a `W` x `H` block (the size is the table slot's) from a reference picture: the C
/// stage's `vp8_mc_fn` (`upstream-c/src/mc.h`), with the pointers turned into slices.
///
/// - `dst` starts at the block's top-left pixel; rows are `dst_stride` apart. Only the `W` x `H`
///   block is written: `dst` must hold `(H - 1) * dst_stride + W` bytes and `dst_stride >= W`.
/// - `src[src_pos]` is the reference pixel the block's top-left pixel is predicted from; rows are
///   `src_stride` apart. `mx`, `my` are the eighth-pel fractions (only `& 7` is used; a zero
///   fraction skips its pass, both zero copy).
/// - The window read from `src`, relative to `src_pos`, is exactly what the kernels' header
///   `asm/include/vp8asm/mc.h` allows, and depends on which fractions are zero:
///   six-tap columns `-2 ..= W + 2` if `mx & 7 != 0`, else `0 .. W`; rows `-2 ..= H + 2` if
///   `my & 7 != 0`, else `0 .. H`; bilinear columns `0 ..= W` if `mx & 7 != 0`, else `0 .. W`;
///   rows `0 ..= H` if `my & 7 != 0`, else `0 .. H`. `src_stride` must be at least the
///   window's width (`W + 5` with horizontal six-tap taps, `W + 1` bilinear, `W` without).
///   (The decoder's emulated-edge buffer for a six-tap block is exactly `W + 5` by `H + 5`.)
/// - The arithmetic is RFC 6386 section 18.3: each pass rounds (`+ 64 >> 7`) and clamps to
///   `0..=255`, the horizontal pass first over the rows the vertical one needs.
///
/// The kernels' slots panic when a window does not fit or a stride exceeds `u32::MAX`; implementations
/// must not read or write outside these windows (a Rust fallback that did would panic on inputs
/// a kernel accepts).
pub type McFn = fn(
    dst: &mut [u8],
    dst_stride: usize,
    src: &[u8],
    src_pos: usize,
    src_stride: usize,
    mx: u32,
    my: u32,
);

/// The `src` window of a `w` x `h` block (see [`McFn`]) when the horizontal (`x`) and vertical
/// (`y`) passes run: six-tap taps reach 2 before and 3 after, bilinear 1 after.
#[inline(always)]
const fn src_window(w: usize, h: usize, sixtap: bool, x: bool, y: bool) -> Window {
    let (before, after) = if sixtap { (2, 3) } else { (0, 1) };
    let (up, down) = if y { (before, after) } else { (0, 0) };
    let (left, right) = if x { (before, after) } else { (0, 0) };
    Window {
        up,
        left,
        down: h - 1 + down,
        right: w - 1 + right,
        width: w + left + right,
    }
}

/// The block sizes of the table's columns: [`MC_16X16`], [`MC_8X8`], [`MC_8X4`], [`MC_4X4`]
/// index it and are the `S` of [`McSlot`] (columns as in `upstream-c/src/mc.h`).
pub const MC_BLOCKS: [(usize, usize); 4] = [(16, 16), (8, 8), (8, 4), (4, 4)];
/// The 16x16 column of [`MC_BLOCKS`].
pub const MC_16X16: usize = 0;
/// The 8x8 column of [`MC_BLOCKS`].
pub const MC_8X8: usize = 1;
/// The 8x4 column of [`MC_BLOCKS`].
pub const MC_8X4: usize = 2;
/// The 4x4 column of [`MC_BLOCKS`].
pub const MC_4X4: usize = 3;

/// The kernel side of an [`McSlot`]: the kernel, whether it is six-tap (else bilinear) and its
/// name for a panic message (private fields: only the getters below make one, and only for the
/// `S` of the kernel's block size).
#[derive(Clone, Copy, Debug)]
pub struct McAsm<const S: usize> {
    raw: RawMcFn,
    sixtap: bool,
    kernel: &'static str,
}

/// The kernels' C signature (`asm/include/vp8asm/mc.h`).
type RawMcFn = unsafe extern "C" fn(*mut u8, isize, *const u8, isize, c_int, c_int);

impl<const S: usize> McAsm<S> {
    /// Calls the kernel.
    ///
    /// # Safety
    /// `dst` must hold the `MC_BLOCKS[S]` block with rows `dst_stride` apart, and `src` the
    /// kernel's read window for these fractions around `src_pos` with rows `src_stride` apart
    /// (see [`McFn`]), both strides at most `u32::MAX`. (The ISA needs no promise: only a getter
    /// makes an `McAsm`, from the token that proves it, and only for the kernel's size `S`;
    /// `&mut` and `&` borrows cannot overlap, as the kernel requires.)
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    unsafe fn run(
        &self,
        dst: &mut [u8],
        dst_stride: usize,
        src: &[u8],
        src_pos: usize,
        src_stride: usize,
        mx: u32,
        my: u32,
    ) {
        // SAFETY: the caller's promise (windows in bounds, strides fit isize) and the getter's
        // (ISA present, size `S`) are the kernel's preconditions.
        unsafe {
            (self.raw)(
                dst.as_mut_ptr(),
                dst_stride as isize,
                src.as_ptr().add(src_pos),
                src_stride as isize,
                (mx & 7) as c_int,
                (my & 7) as c_int,
            )
        }
    }
}

/// A motion-compensation table slot for blocks of size [`MC_BLOCKS`]`[S]`: a kernel or a safe
/// [`McFn`] (see [`Slot`]). The size is part of the type so that the windows are constants
/// where the check is inlined.
pub type McSlot<const S: usize> = Slot<McAsm<S>, McFn>;

impl<const S: usize> McSlot<S> {
    /// Predicts the slot's block: the arguments and contract of [`McFn`]. For a kernel, panics
    /// when a window does not fit (checked here, inlined into the caller), then calls it.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    pub fn call(
        &self,
        dst: &mut [u8],
        dst_stride: usize,
        src: &[u8],
        src_pos: usize,
        src_stride: usize,
        mx: u32,
        my: u32,
    ) {
        match self {
            &Slot::Rust(f) => f(dst, dst_stride, src, src_pos, src_stride, mx, my),
            Slot::Asm(k) => {
                let (w, h) = MC_BLOCKS[S];
                let (x, y) = (mx & 7 != 0, my & 7 != 0);
                let dst_win = &const { Window::block(MC_BLOCKS[S].0, MC_BLOCKS[S].1) };
                check_window(k.kernel, "dst", dst_win, dst.len(), 0, dst_stride);
                let src_win = src_window(w, h, k.sixtap, x, y);
                if !fits(&src_win, src.len(), src_pos, src_stride) {
                    // Scalars only: a `Window` argument would be built on the stack before the
                    // test (measured: 11 instructions per call), not in the cold branch.
                    src_panic(k.kernel, S, k.sixtap, x, y, src.len(), src_pos, src_stride);
                }
                // SAFETY: the checks above proved that `dst` holds the block and `src` the
                // kernel's read window around `src_pos` for these fractions.
                unsafe { k.run(dst, dst_stride, src, src_pos, src_stride, mx, my) }
            }
        }
    }
}

impl<const S: usize> McSlot<S> {
    /// [`call`](Self::call) for a caller that always supplies the whole window of the filter,
    /// whatever the fractions (as a decoder does: its emulated-edge buffer and its border test
    /// are for the six-tap reach), and knows the filter at compile time: the `src` check is then
    /// a constant window, the widest the filter can read (`-2 ..= W + 2` by `-2 ..= H + 2`
    /// six-tap, `0 ..= W` by `0 ..= H` bilinear), where `call` picks one of four by the
    /// fractions at run time. Stricter than the contract, never looser. Panics if the slot's
    /// kernel is not of the filter `SIXTAP` says.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    pub fn call_full<const SIXTAP: bool>(
        &self,
        dst: &mut [u8],
        dst_stride: usize,
        src: &[u8],
        src_pos: usize,
        src_stride: usize,
        mx: u32,
        my: u32,
    ) {
        match self {
            &Slot::Rust(f) => f(dst, dst_stride, src, src_pos, src_stride, mx, my),
            Slot::Asm(k) => {
                assert!(
                    k.sixtap == SIXTAP,
                    "{}: not a {} kernel",
                    k.kernel,
                    if SIXTAP { "six-tap" } else { "bilinear" }
                );
                check_window(
                    k.kernel,
                    "dst",
                    &const { Window::block(MC_BLOCKS[S].0, MC_BLOCKS[S].1) },
                    dst.len(),
                    0,
                    dst_stride,
                );
                let full = &const {
                    src_window(MC_BLOCKS[S].0, MC_BLOCKS[S].1, SIXTAP, true, true).small()
                };
                check_window(k.kernel, "src", full, src.len(), src_pos, src_stride);
                // SAFETY: `dst` holds the block (checked above), and the kernel's read window
                // for any fractions lies inside the full window checked above.
                unsafe { k.run(dst, dst_stride, src, src_pos, src_stride, mx, my) }
            }
        }
    }
}

impl<const S: usize> McSlot<S> {
    /// [`call_full`](Self::call_full) into a checked `N` x `N` block, the predicted block at
    /// pixel (`x`, `y`) of it: panics unless the slot's block fits there (`x <= N - W`, `y <= N -
    /// H`) and, for a kernel, unless `src` holds the filter's whole window; the destination
    /// needs no other check.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    pub fn call_block<const N: usize, const SIXTAP: bool>(
        &self,
        b: &mut MbBlock<'_, N>,
        x: usize,
        y: usize,
        src: &[u8],
        src_pos: usize,
        src_stride: usize,
        mx: u32,
        my: u32,
    ) {
        let (w, h) = const { (MC_BLOCKS[S].0, MC_BLOCKS[S].1) };
        const { assert!(MC_BLOCKS[S].0 <= N && MC_BLOCKS[S].1 <= N) };
        // Subtractions of constants: no overflow for any `x`, `y`.
        assert!(
            x <= N - w && y <= N - h,
            "a {w}x{h} block at ({x}, {y}) of a {N}x{N} one"
        );
        let p = b.offset(x, y);
        match self {
            &Slot::Rust(f) => f(&mut b.buf[p..], b.stride, src, src_pos, src_stride, mx, my),
            Slot::Asm(k) => {
                assert!(
                    k.sixtap == SIXTAP,
                    "{}: not a {} kernel",
                    k.kernel,
                    if SIXTAP { "six-tap" } else { "bilinear" }
                );
                let full = &const {
                    src_window(MC_BLOCKS[S].0, MC_BLOCKS[S].1, SIXTAP, true, true).small()
                };
                check_window(k.kernel, "src", full, src.len(), src_pos, src_stride);
                // SAFETY: the predicted block lies inside the block `MbBlock::new` checked (the
                // assertion above), so `buf[p..]` holds it with the block's stride; the kernel's
                // read window for any fractions lies inside the full window checked above.
                unsafe {
                    let dst = b.buf.get_unchecked_mut(p..);
                    k.run(dst, b.stride, src, src_pos, src_stride, mx, my)
                }
            }
        }
    }
}

/// A reference picture plane with a border: `width` x `height` visible pixels from
/// `data[origin]`, rows `stride` apart, and `border` more pixels readable on every side. Checked
/// once when made (the decoder makes one per plane and macroblock row), so that [`McSlot::call_ref`] can read any block whose
/// filter window stays inside the border after the same four compares a decoder makes anyway to
/// choose between the picture and an emulated edge (port step 52).
#[derive(Debug, Clone, Copy)]
pub struct RefPlane<'a> {
    data: &'a [u8],
    origin: usize,
    width: i64,
    height: i64,
    stride: usize,
    border: i64,
}

impl<'a> RefPlane<'a> {
    /// Panics unless `data` holds every pixel (x, y) for x in `-border..width + border` and y in
    /// `-border..height + border` at `origin + y * stride + x`, with `width + 2 * border <=
    /// stride <= u32::MAX` and the plane not empty (every extent is then below `data.len()`,
    /// which keeps `call_ref`'s `i64` arithmetic exact).
    pub fn new(
        data: &'a [u8],
        origin: usize,
        (width, height): (usize, usize),
        stride: usize,
        border: usize,
    ) -> Self {
        let b = border;
        check_rect(
            "reference plane",
            data.len(),
            origin,
            stride,
            (width, height),
            (b, b, b, b),
        );
        RefPlane {
            data,
            origin,
            width: width as i64,
            height: height as i64,
            stride,
            border: border as i64,
        }
    }

    /// The plane's bytes.
    #[inline(always)]
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The index of the visible pixel (0, 0).
    #[inline(always)]
    pub fn origin(&self) -> usize {
        self.origin
    }

    /// The stride of the plane's rows.
    #[inline(always)]
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// The visible width and height.
    #[inline(always)]
    pub fn size(&self) -> (usize, usize) {
        (self.width as usize, self.height as usize)
    }
}

impl<const S: usize> McSlot<S> {
    /// Predicts the slot's block at pixel (`ox`, `oy`) of a checked block from the reference
    /// pixel (`x`, `y`) of `src` when the six-tap filter's whole window (2 pixels before, 3
    /// after, in both directions) lies inside `src`'s border, and returns true; returns false,
    /// calling nothing, when it does not (the caller then predicts from an emulated edge). The
    /// same test for both filters: the bilinear window is inside the six-tap one. The four
    /// compares are the only check of the source; the destination is checked as by
    /// [`call_block`](Self::call_block).
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    pub fn call_ref<const N: usize, const SIXTAP: bool>(
        &self,
        b: &mut MbBlock<'_, N>,
        ox: usize,
        oy: usize,
        src: &RefPlane<'_>,
        x: i32,
        y: i32,
        mx: u32,
        my: u32,
    ) -> bool {
        let (w, h) = const { (MC_BLOCKS[S].0 as i64, MC_BLOCKS[S].1 as i64) };
        let (x, y) = (x as i64, y as i64);
        if x - 2 < -src.border
            || y - 2 < -src.border
            || x + w + 3 > src.width + src.border
            || y + h + 3 > src.height + src.border
        {
            return false;
        }
        // Inside the border: `RefPlane::new` checked that every such pixel is in `data`.
        let pos = (src.origin as i64 + y * src.stride as i64 + x) as usize;
        let (w, h) = const { (MC_BLOCKS[S].0, MC_BLOCKS[S].1) };
        const { assert!(MC_BLOCKS[S].0 <= N && MC_BLOCKS[S].1 <= N) };
        assert!(
            ox <= N - w && oy <= N - h,
            "a {w}x{h} block at ({ox}, {oy}) of a {N}x{N} one"
        );
        let p = b.offset(ox, oy);
        match self {
            &Slot::Rust(f) => f(&mut b.buf[p..], b.stride, src.data, pos, src.stride, mx, my),
            Slot::Asm(k) => {
                assert!(
                    k.sixtap == SIXTAP,
                    "{}: not a {} kernel",
                    k.kernel,
                    if SIXTAP { "six-tap" } else { "bilinear" }
                );
                // SAFETY: the predicted block lies inside the block `MbBlock::new` checked; the
                // test above keeps the six-tap window, which holds the kernel's read window for
                // any fractions and either filter, inside the border `RefPlane::new` checked,
                // whose stride is at most `u32::MAX`.
                unsafe {
                    let dst = b.buf.get_unchecked_mut(p..);
                    k.run(dst, b.stride, src.data, pos, src.stride, mx, my)
                }
            }
        }
        true
    }
}

/// The panic of a failed `src` check of an [`McSlot`]`<S>`, its window rebuilt here.
#[cold]
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn src_panic(
    kernel: &'static str,
    s: usize,
    sixtap: bool,
    x: bool,
    y: bool,
    len: usize,
    pos: usize,
    stride: usize,
) -> ! {
    let (w, h) = MC_BLOCKS[s];
    window_panic(
        kernel,
        "src",
        src_window(w, h, sixtap, x, y),
        len,
        pos,
        stride,
    )
}

macro_rules! mc_slots {
    ($($getter:ident($token:ident) => $kernel:ident, $size:ident, $sixtap:literal;)*) => {$(
        #[doc = concat!(
            "`", stringify!($kernel), "` as a checked [`McSlot`]; contract in \
             `asm/include/vp8asm/mc.h`."
        )]
        #[cfg(target_arch = "x86_64")]
        pub fn $getter(_: $token) -> McSlot<$size> {
            Slot::Asm(McAsm {
                raw: crate::mc::$kernel,
                sixtap: $sixtap,
                kernel: stringify!($kernel),
            })
        }
    )*};
}

mc_slots! {
    sixtap_16x16_sse2(Sse2) => vp8_sixtap_16x16_sse2, MC_16X16, true;
    sixtap_8x8_sse2(Sse2) => vp8_sixtap_8x8_sse2, MC_8X8, true;
    sixtap_8x4_sse2(Sse2) => vp8_sixtap_8x4_sse2, MC_8X4, true;
    sixtap_4x4_sse2(Sse2) => vp8_sixtap_4x4_sse2, MC_4X4, true;
    bilinear_16x16_sse2(Sse2) => vp8_bilinear_16x16_sse2, MC_16X16, false;
    bilinear_8x8_sse2(Sse2) => vp8_bilinear_8x8_sse2, MC_8X8, false;
    bilinear_8x4_sse2(Sse2) => vp8_bilinear_8x4_sse2, MC_8X4, false;
    bilinear_4x4_sse2(Sse2) => vp8_bilinear_4x4_sse2, MC_4X4, false;
    sixtap_16x16_ssse3(Ssse3) => vp8_sixtap_16x16_ssse3, MC_16X16, true;
    sixtap_8x8_ssse3(Ssse3) => vp8_sixtap_8x8_ssse3, MC_8X8, true;
    sixtap_8x4_ssse3(Ssse3) => vp8_sixtap_8x4_ssse3, MC_8X4, true;
    sixtap_4x4_ssse3(Ssse3) => vp8_sixtap_4x4_ssse3, MC_4X4, true;
    bilinear_16x16_ssse3(Ssse3) => vp8_bilinear_16x16_ssse3, MC_16X16, false;
    bilinear_8x8_ssse3(Ssse3) => vp8_bilinear_8x8_ssse3, MC_8X8, false;
    bilinear_8x4_ssse3(Ssse3) => vp8_bilinear_8x4_ssse3, MC_8X4, false;
    bilinear_4x4_ssse3(Ssse3) => vp8_bilinear_4x4_ssse3, MC_4X4, false;
    sixtap_16x16_avx2(Avx2) => vp8_sixtap_16x16_avx2, MC_16X16, true;
    sixtap_8x8_avx2(Avx2) => vp8_sixtap_8x8_avx2, MC_8X8, true;
}
