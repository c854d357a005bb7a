//! Motion compensation (RFC 6386 section 18): the safe [`McFn`] type and the wrapper of every
//! six-tap and bilinear kernel.
//!
//! Table slots, as `upstream-c/src/x86/mc_init.c` installs them: every `put[filter][size]` gets
//! its SSE2 kernel, then its SSSE3 kernel; AVX2 replaces only six-tap 16x16 and 8x8.

#[cfg(target_arch = "x86_64")]
use super::{Avx2, Sse2, Ssse3};
use super::{Site, Window, check};

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
/// The wrappers panic when a window does not fit or a stride exceeds `u32::MAX`; implementations
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

/// The four `src` sites of `kernel`, indexed by [`fraction_index`].
const fn src_sites(kernel: &'static str, w: usize, h: usize, sixtap: bool) -> [Site; 4] {
    [
        Site {
            kernel,
            arg: "src",
            window: src_window(w, h, sixtap, false, false).small(),
        },
        Site {
            kernel,
            arg: "src",
            window: src_window(w, h, sixtap, true, false).small(),
        },
        Site {
            kernel,
            arg: "src",
            window: src_window(w, h, sixtap, false, true).small(),
        },
        Site {
            kernel,
            arg: "src",
            window: src_window(w, h, sixtap, true, true).small(),
        },
    ]
}

/// Which passes run: bit 0 horizontal (`mx & 7 != 0`), bit 1 vertical.
#[inline(always)]
fn fraction_index(mx: u32, my: u32) -> usize {
    usize::from(mx & 7 != 0) | usize::from(my & 7 != 0) << 1
}

macro_rules! mc_wrappers {
    ($($getter:ident($token:ident) => $kernel:ident, $w:literal x $h:literal, $sixtap:literal;)*) => {$(
        #[doc = concat!(
            "`", stringify!($kernel), "` (", stringify!($w), "x", stringify!($h),
            ") as a checked [`McFn`]; contract in `asm/include/vp8asm/mc.h`."
        )]
        #[cfg(target_arch = "x86_64")]
        pub fn $getter(_: $token) -> McFn {
            fn wrapper(
                dst: &mut [u8],
                dst_stride: usize,
                src: &[u8],
                src_pos: usize,
                src_stride: usize,
                mx: u32,
                my: u32,
            ) {
                static SRC: [Site; 4] = src_sites(stringify!($kernel), $w, $h, $sixtap);
                check(site!($kernel, "dst", Window::block($w, $h)), dst.len(), 0, dst_stride);
                // One constant window per case, rather than one looked up by index.
                let (len, pos, stride) = (src.len(), src_pos, src_stride);
                match fraction_index(mx, my) {
                    0 => check(&SRC[0], len, pos, stride),
                    1 => check(&SRC[1], len, pos, stride),
                    2 => check(&SRC[2], len, pos, stride),
                    _ => check(&SRC[3], len, pos, stride),
                }
                // SAFETY: the token this wrapper was obtained with proves the kernel's ISA; the
                // checks above proved that `dst` holds the block and `src` the kernel's read
                // window around `src_pos` (so `src_pos` is in bounds and both strides fit isize);
                // `&mut` and `&` borrows cannot overlap, as the kernel requires.
                unsafe {
                    crate::mc::$kernel(
                        dst.as_mut_ptr(),
                        dst_stride as isize,
                        src.as_ptr().add(src_pos),
                        src_stride as isize,
                        (mx & 7) as core::ffi::c_int,
                        (my & 7) as core::ffi::c_int,
                    )
                }
            }
            wrapper
        }
    )*};
}

mc_wrappers! {
    sixtap_16x16_sse2(Sse2) => vp8_sixtap_16x16_sse2, 16 x 16, true;
    sixtap_8x8_sse2(Sse2) => vp8_sixtap_8x8_sse2, 8 x 8, true;
    sixtap_8x4_sse2(Sse2) => vp8_sixtap_8x4_sse2, 8 x 4, true;
    sixtap_4x4_sse2(Sse2) => vp8_sixtap_4x4_sse2, 4 x 4, true;
    bilinear_16x16_sse2(Sse2) => vp8_bilinear_16x16_sse2, 16 x 16, false;
    bilinear_8x8_sse2(Sse2) => vp8_bilinear_8x8_sse2, 8 x 8, false;
    bilinear_8x4_sse2(Sse2) => vp8_bilinear_8x4_sse2, 8 x 4, false;
    bilinear_4x4_sse2(Sse2) => vp8_bilinear_4x4_sse2, 4 x 4, false;
    sixtap_16x16_ssse3(Ssse3) => vp8_sixtap_16x16_ssse3, 16 x 16, true;
    sixtap_8x8_ssse3(Ssse3) => vp8_sixtap_8x8_ssse3, 8 x 8, true;
    sixtap_8x4_ssse3(Ssse3) => vp8_sixtap_8x4_ssse3, 8 x 4, true;
    sixtap_4x4_ssse3(Ssse3) => vp8_sixtap_4x4_ssse3, 4 x 4, true;
    bilinear_16x16_ssse3(Ssse3) => vp8_bilinear_16x16_ssse3, 16 x 16, false;
    bilinear_8x8_ssse3(Ssse3) => vp8_bilinear_8x8_ssse3, 8 x 8, false;
    bilinear_8x4_ssse3(Ssse3) => vp8_bilinear_8x4_ssse3, 8 x 4, false;
    bilinear_4x4_ssse3(Ssse3) => vp8_bilinear_4x4_ssse3, 4 x 4, false;
    sixtap_16x16_avx2(Avx2) => vp8_sixtap_16x16_avx2, 16 x 16, true;
    sixtap_8x8_avx2(Avx2) => vp8_sixtap_8x8_avx2, 8 x 8, true;
}
