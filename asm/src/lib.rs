//! `vp8-asm`: Portlab's shared x86-64 VP8 kernels, one copy for every stage.
//!
//! The kernels are hand-written assembly in `asm/x86_64/*.S` (GNU as, System V ABI), each
//! bit-identical to the C fallback of the same name in `upstream-c/src/<domain>.c` (with `_c`
//! instead of the ISA suffix); `upstream-c/tests/checkasm` proves that for every kernel and ISA
//! level. Their C declarations and contracts (what they read and write, alignment, ranges) are
//! in `asm/include/vp8asm/<domain>.h`; this crate:
//!
//! - assembles every `.S` once (`build.rs`, static library `vp8asm`; `links = "vp8asm"` makes it
//!   the only crate that may), so any binary that links a stage has each kernel symbol exactly
//!   once. The C stage's tables (`upstream-c/src/x86/*_init.c`) reference the symbols; the crate
//!   `vp8-c` depends on this one for them;
//! - declares every kernel of those headers for Rust, in one module per domain ([`idct`],
//!   [`ipred`], [`loopfilter`], [`mc`]), all re-exported at the crate root: the transpiled and
//!   safe stages import them from here. A unit test parses the headers and fails if a kernel is
//!   missing here or its parameters differ.
//!
//! Calling a kernel is `unsafe`: the caller must have checked the CPU feature its suffix names
//! (`is_x86_feature_detected!`, or the C stage's `VP8_CPU_*` flags) and meet the header's
//! contract. [`safe`] wraps every kernel in a safe function that checks those preconditions (CPU
//! tokens, slice windows); the safe stage calls the kernels only through it.
//!
//! Only x86_64 has kernels: on other targets the domain modules do not exist and
//! [`kernels()`] is empty.
//!
//! ```
//! # #[cfg(target_arch = "x86_64")] {
//! // Add the DC-only inverse transform of one 4x4 block: every pixel += (80 + 4) >> 3 = 10.
//! let mut pixels = [100u8; 4 * 4];
//! let mut block = [0i16; 16];
//! block[0] = 80;
//! assert!(is_x86_feature_detected!("sse2"));
//! // SAFETY: SSE2 is present; 4 rows of 4 pixels with stride 4 and 16 coefficients are valid.
//! unsafe { vp8_asm::vp8_idct_dc_add_sse2(pixels.as_mut_ptr(), 4, block.as_mut_ptr()) };
//! assert_eq!(pixels, [110u8; 16]);
//! assert_eq!(block, [0i16; 16]); // the kernel zeroes what it consumed
//! # }
//! ```

/// Declares kernels (`unsafe extern "C"`) and lists them in the module's `kernels()`, so the
/// declarations and the list used by the symbol checks cannot disagree.
#[cfg(target_arch = "x86_64")]
macro_rules! kernels {
    ($(pub fn $name:ident($($arg:ident: $ty:ty),* $(,)?);)*) => {
        unsafe extern "C" {
            $(pub fn $name($($arg: $ty),*);)*
        }

        /// Every kernel of this module: symbol name and address.
        pub fn kernels() -> Vec<(&'static str, usize)> {
            vec![$((stringify!($name), $name as *const () as usize)),*]
        }
    };
}

/// Inverse DCT / WHT with residual add (`vp8asm/idct.h`, contract in `upstream-c/src/idct.h`).
#[cfg(target_arch = "x86_64")]
pub mod idct {
    kernels! {
        // sse2 (requires VP8_CPU_SSE2)
        pub fn vp8_idct_add_sse2(dst: *mut u8, stride: isize, block: *mut i16);
        pub fn vp8_idct_dc_add_sse2(dst: *mut u8, stride: isize, block: *mut i16);
        pub fn vp8_idct_add_y_sse2(
            dst: *mut u8,
            stride: isize,
            blocks: *mut [i16; 16],
            eobs: *const u8,
        );
        pub fn vp8_idct_add_uv_sse2(
            dst_u: *mut u8,
            dst_v: *mut u8,
            stride: isize,
            blocks: *mut [i16; 16],
            eobs: *const u8,
        );
        pub fn vp8_iwht_sse2(blocks: *mut [i16; 16], y2: *mut i16);
        pub fn vp8_iwht_dc_sse2(blocks: *mut [i16; 16], y2: *mut i16);
        // avx2 (requires VP8_CPU_AVX2)
        pub fn vp8_idct_add_y_avx2(
            dst: *mut u8,
            stride: isize,
            blocks: *mut [i16; 16],
            eobs: *const u8,
        );
        pub fn vp8_idct_add_uv_avx2(
            dst_u: *mut u8,
            dst_v: *mut u8,
            stride: isize,
            blocks: *mut [i16; 16],
            eobs: *const u8,
        );
    }
}

/// Intra prediction (`vp8asm/ipred.h`, contract in `upstream-c/src/ipred.h`).
#[cfg(target_arch = "x86_64")]
pub mod ipred {
    kernels! {
        // sse2 (requires VP8_CPU_SSE2)
        pub fn vp8_pred16x16_dc_sse2(dst: *mut u8, stride: isize);
        pub fn vp8_pred16x16_dc_left_sse2(dst: *mut u8, stride: isize);
        pub fn vp8_pred16x16_dc_top_sse2(dst: *mut u8, stride: isize);
        pub fn vp8_pred16x16_dc_128_sse2(dst: *mut u8, stride: isize);
        pub fn vp8_pred16x16_v_sse2(dst: *mut u8, stride: isize);
        pub fn vp8_pred16x16_h_sse2(dst: *mut u8, stride: isize);
        pub fn vp8_pred16x16_tm_sse2(dst: *mut u8, stride: isize);
        pub fn vp8_pred8x8_dc_sse2(dst: *mut u8, stride: isize);
        pub fn vp8_pred8x8_dc_left_sse2(dst: *mut u8, stride: isize);
        pub fn vp8_pred8x8_dc_top_sse2(dst: *mut u8, stride: isize);
        pub fn vp8_pred8x8_dc_128_sse2(dst: *mut u8, stride: isize);
        pub fn vp8_pred8x8_v_sse2(dst: *mut u8, stride: isize);
        pub fn vp8_pred8x8_h_sse2(dst: *mut u8, stride: isize);
        pub fn vp8_pred8x8_tm_sse2(dst: *mut u8, stride: isize);
        pub fn vp8_pred4x4_dc_sse2(dst: *mut u8, stride: isize, topright: *const u8);
        pub fn vp8_pred4x4_tm_sse2(dst: *mut u8, stride: isize, topright: *const u8);
        pub fn vp8_pred4x4_ve_sse2(dst: *mut u8, stride: isize, topright: *const u8);
        pub fn vp8_pred4x4_he_sse2(dst: *mut u8, stride: isize, topright: *const u8);
        pub fn vp8_pred4x4_ld_sse2(dst: *mut u8, stride: isize, topright: *const u8);
        pub fn vp8_pred4x4_rd_sse2(dst: *mut u8, stride: isize, topright: *const u8);
        pub fn vp8_pred4x4_hu_sse2(dst: *mut u8, stride: isize, topright: *const u8);
        // ssse3 (requires VP8_CPU_SSSE3)
        pub fn vp8_pred4x4_vr_ssse3(dst: *mut u8, stride: isize, topright: *const u8);
        pub fn vp8_pred4x4_vl_ssse3(dst: *mut u8, stride: isize, topright: *const u8);
        pub fn vp8_pred4x4_hd_ssse3(dst: *mut u8, stride: isize, topright: *const u8);
        // avx2 (requires VP8_CPU_AVX2)
        pub fn vp8_pred16x16_h_avx2(dst: *mut u8, stride: isize);
        pub fn vp8_pred16x16_tm_avx2(dst: *mut u8, stride: isize);
        pub fn vp8_pred8x8_tm_avx2(dst: *mut u8, stride: isize);
    }
}

/// Loop filters (`vp8asm/loopfilter.h`, contract in `upstream-c/src/loopfilter.h`).
#[cfg(target_arch = "x86_64")]
pub mod loopfilter {
    use core::ffi::c_int;

    kernels! {
        // sse2 (requires VP8_CPU_SSE2)
        pub fn vp8_lf_mb_top_y_sse2(
            dst: *mut u8,
            stride: isize,
            edge_limit: c_int,
            interior: c_int,
            hev_thresh: c_int,
        );
        pub fn vp8_lf_mb_left_y_sse2(
            dst: *mut u8,
            stride: isize,
            edge_limit: c_int,
            interior: c_int,
            hev_thresh: c_int,
        );
        pub fn vp8_lf_inner_top_y_sse2(
            dst: *mut u8,
            stride: isize,
            edge_limit: c_int,
            interior: c_int,
            hev_thresh: c_int,
        );
        pub fn vp8_lf_inner_left_y_sse2(
            dst: *mut u8,
            stride: isize,
            edge_limit: c_int,
            interior: c_int,
            hev_thresh: c_int,
        );
        pub fn vp8_lf_mb_top_uv_sse2(
            dst_u: *mut u8,
            dst_v: *mut u8,
            stride: isize,
            edge_limit: c_int,
            interior: c_int,
            hev_thresh: c_int,
        );
        pub fn vp8_lf_mb_left_uv_sse2(
            dst_u: *mut u8,
            dst_v: *mut u8,
            stride: isize,
            edge_limit: c_int,
            interior: c_int,
            hev_thresh: c_int,
        );
        pub fn vp8_lf_inner_top_uv_sse2(
            dst_u: *mut u8,
            dst_v: *mut u8,
            stride: isize,
            edge_limit: c_int,
            interior: c_int,
            hev_thresh: c_int,
        );
        pub fn vp8_lf_inner_left_uv_sse2(
            dst_u: *mut u8,
            dst_v: *mut u8,
            stride: isize,
            edge_limit: c_int,
            interior: c_int,
            hev_thresh: c_int,
        );
        pub fn vp8_lf_simple_mb_top_sse2(dst: *mut u8, stride: isize, edge_limit: c_int);
        pub fn vp8_lf_simple_mb_left_sse2(dst: *mut u8, stride: isize, edge_limit: c_int);
        pub fn vp8_lf_simple_inner_top_sse2(dst: *mut u8, stride: isize, edge_limit: c_int);
        pub fn vp8_lf_simple_inner_left_sse2(dst: *mut u8, stride: isize, edge_limit: c_int);
        // ssse3 (requires VP8_CPU_SSSE3)
        pub fn vp8_lf_mb_top_y_ssse3(
            dst: *mut u8,
            stride: isize,
            edge_limit: c_int,
            interior: c_int,
            hev_thresh: c_int,
        );
        pub fn vp8_lf_mb_left_y_ssse3(
            dst: *mut u8,
            stride: isize,
            edge_limit: c_int,
            interior: c_int,
            hev_thresh: c_int,
        );
        pub fn vp8_lf_mb_top_uv_ssse3(
            dst_u: *mut u8,
            dst_v: *mut u8,
            stride: isize,
            edge_limit: c_int,
            interior: c_int,
            hev_thresh: c_int,
        );
        pub fn vp8_lf_mb_left_uv_ssse3(
            dst_u: *mut u8,
            dst_v: *mut u8,
            stride: isize,
            edge_limit: c_int,
            interior: c_int,
            hev_thresh: c_int,
        );
    }
}

/// Motion compensation, six-tap and bilinear (`vp8asm/mc.h`, contract in `upstream-c/src/mc.h`).
#[cfg(target_arch = "x86_64")]
pub mod mc {
    use core::ffi::c_int;

    kernels! {
        // sse2 (requires VP8_CPU_SSE2)
        pub fn vp8_sixtap_16x16_sse2(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        pub fn vp8_sixtap_8x8_sse2(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        pub fn vp8_sixtap_8x4_sse2(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        pub fn vp8_sixtap_4x4_sse2(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        pub fn vp8_bilinear_16x16_sse2(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        pub fn vp8_bilinear_8x8_sse2(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        pub fn vp8_bilinear_8x4_sse2(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        pub fn vp8_bilinear_4x4_sse2(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        // ssse3 (requires VP8_CPU_SSSE3)
        pub fn vp8_sixtap_16x16_ssse3(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        pub fn vp8_sixtap_8x8_ssse3(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        pub fn vp8_sixtap_8x4_ssse3(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        pub fn vp8_sixtap_4x4_ssse3(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        pub fn vp8_bilinear_16x16_ssse3(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        pub fn vp8_bilinear_8x8_ssse3(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        pub fn vp8_bilinear_8x4_ssse3(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        pub fn vp8_bilinear_4x4_ssse3(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        // avx2 (requires VP8_CPU_AVX2)
        pub fn vp8_sixtap_16x16_avx2(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
        pub fn vp8_sixtap_8x8_avx2(
            dst: *mut u8,
            dst_stride: isize,
            src: *const u8,
            src_stride: isize,
            mx: c_int,
            my: c_int,
        );
    }
}

#[cfg(target_arch = "x86_64")]
pub use {idct::*, ipred::*, loopfilter::*, mc::*};

/// Every kernel this crate declares, by symbol name with its address (taking the addresses makes
/// the linker resolve each one: a declared kernel without a definition fails to link).
pub fn kernels() -> Vec<(&'static str, usize)> {
    #[cfg(target_arch = "x86_64")]
    {
        let mut all = idct::kernels();
        all.extend(ipred::kernels());
        all.extend(loopfilter::kernels());
        all.extend(mc::kernels());
        all
    }
    #[cfg(not(target_arch = "x86_64"))]
    Vec::new()
}

pub mod safe;

#[cfg(test)]
mod tests;
