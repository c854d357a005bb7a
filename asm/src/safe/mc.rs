//! Motion compensation (RFC 6386 section 18): the safe [`McFn`] type and the wrapper of every
//! six-tap and bilinear kernel.
//!
//! Table slots, as `upstream-c/src/x86/mc_init.c` installs them: every `put[filter][size]` gets
//! its SSE2 kernel, then its SSSE3 kernel; AVX2 replaces only six-tap 16x16 and 8x8.

#[cfg(target_arch = "x86_64")]
use super::{Avx2, Sse2, Ssse3};
use super::{Window, check};

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
/// The wrappers panic when a window does not fit; implementations must not read or write
/// outside these windows (a Rust fallback that did would panic on inputs a kernel accepts).
pub type McFn = fn(
    dst: &mut [u8],
    dst_stride: usize,
    src: &[u8],
    src_pos: usize,
    src_stride: usize,
    mx: u32,
    my: u32,
);

/// The `src` window of a six-tap `w` x `h` block (see [`McFn`]).
#[inline(always)]
fn sixtap_window(w: usize, h: usize, mx: u32, my: u32) -> Window {
    let (x, y) = (mx & 7 != 0, my & 7 != 0);
    Window {
        up: if y { 2 } else { 0 },
        left: if x { 2 } else { 0 },
        down: h - 1 + if y { 3 } else { 0 },
        right: w - 1 + if x { 3 } else { 0 },
        width: w + if x { 5 } else { 0 },
    }
}

/// The `src` window of a bilinear `w` x `h` block (see [`McFn`]).
#[inline(always)]
fn bilinear_window(w: usize, h: usize, mx: u32, my: u32) -> Window {
    let (x, y) = (mx & 7 != 0, my & 7 != 0);
    Window {
        up: 0,
        left: 0,
        down: h - 1 + y as usize,
        right: w - 1 + x as usize,
        width: w + x as usize,
    }
}

/// Checks the `dst` and `src` windows of `kernel` for a `w` x `h` block.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn check_mc(
    kernel: &'static str,
    w: usize,
    h: usize,
    src_window: Window,
    dst: &[u8],
    dst_stride: usize,
    src: &[u8],
    src_pos: usize,
    src_stride: usize,
) {
    check(kernel, "dst", dst.len(), 0, dst_stride, Window::block(w, h));
    check(kernel, "src", src.len(), src_pos, src_stride, src_window);
}

macro_rules! mc_wrappers {
    ($($getter:ident($token:ident) => $kernel:ident, $w:literal x $h:literal, $window:ident;)*) => {$(
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
                let kernel = stringify!($kernel);
                let window = $window($w, $h, mx, my);
                check_mc(kernel, $w, $h, window, dst, dst_stride, src, src_pos, src_stride);
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
    sixtap_16x16_sse2(Sse2) => vp8_sixtap_16x16_sse2, 16 x 16, sixtap_window;
    sixtap_8x8_sse2(Sse2) => vp8_sixtap_8x8_sse2, 8 x 8, sixtap_window;
    sixtap_8x4_sse2(Sse2) => vp8_sixtap_8x4_sse2, 8 x 4, sixtap_window;
    sixtap_4x4_sse2(Sse2) => vp8_sixtap_4x4_sse2, 4 x 4, sixtap_window;
    bilinear_16x16_sse2(Sse2) => vp8_bilinear_16x16_sse2, 16 x 16, bilinear_window;
    bilinear_8x8_sse2(Sse2) => vp8_bilinear_8x8_sse2, 8 x 8, bilinear_window;
    bilinear_8x4_sse2(Sse2) => vp8_bilinear_8x4_sse2, 8 x 4, bilinear_window;
    bilinear_4x4_sse2(Sse2) => vp8_bilinear_4x4_sse2, 4 x 4, bilinear_window;
    sixtap_16x16_ssse3(Ssse3) => vp8_sixtap_16x16_ssse3, 16 x 16, sixtap_window;
    sixtap_8x8_ssse3(Ssse3) => vp8_sixtap_8x8_ssse3, 8 x 8, sixtap_window;
    sixtap_8x4_ssse3(Ssse3) => vp8_sixtap_8x4_ssse3, 8 x 4, sixtap_window;
    sixtap_4x4_ssse3(Ssse3) => vp8_sixtap_4x4_ssse3, 4 x 4, sixtap_window;
    bilinear_16x16_ssse3(Ssse3) => vp8_bilinear_16x16_ssse3, 16 x 16, bilinear_window;
    bilinear_8x8_ssse3(Ssse3) => vp8_bilinear_8x8_ssse3, 8 x 8, bilinear_window;
    bilinear_8x4_ssse3(Ssse3) => vp8_bilinear_8x4_ssse3, 8 x 4, bilinear_window;
    bilinear_4x4_ssse3(Ssse3) => vp8_bilinear_4x4_ssse3, 4 x 4, bilinear_window;
    sixtap_16x16_avx2(Avx2) => vp8_sixtap_16x16_avx2, 16 x 16, sixtap_window;
    sixtap_8x8_avx2(Avx2) => vp8_sixtap_8x8_avx2, 8 x 8, sixtap_window;
}
