//! x86-64 mc kernels: installs the asm/x86_64 implementations into the mc table for the
//! instruction sets cpu_flags allows, each level overriding the one below. AVX2 only replaces the
//! six-tap 16x16 and 8x8 kernels; everything else keeps its SSSE3 version (see mc_avx2.S).
use vp8_asm::{
    vp8_bilinear_16x16_sse2, vp8_bilinear_16x16_ssse3, vp8_bilinear_4x4_sse2,
    vp8_bilinear_4x4_ssse3, vp8_bilinear_8x4_sse2, vp8_bilinear_8x4_ssse3,
    vp8_bilinear_8x8_sse2, vp8_bilinear_8x8_ssse3, vp8_sixtap_16x16_avx2,
    vp8_sixtap_16x16_sse2, vp8_sixtap_16x16_ssse3, vp8_sixtap_4x4_sse2,
    vp8_sixtap_4x4_ssse3, vp8_sixtap_8x4_sse2, vp8_sixtap_8x4_ssse3, vp8_sixtap_8x8_avx2,
    vp8_sixtap_8x8_sse2, vp8_sixtap_8x8_ssse3,
};
use crate::mc_h::{
    VP8_MC_16x16, VP8_MC_4x4, VP8_MC_8x4, VP8_MC_8x8, VP8_MC_BILINEAR, VP8_MC_SIXTAP,
    Vp8McDsp, vp8_mc_fn,
};
use crate::vp8_h::{VP8_CPU_AVX2, VP8_CPU_SSE2, VP8_CPU_SSSE3};
pub unsafe extern "C" fn vp8_mc_dsp_init_x86(dsp: *mut Vp8McDsp, cpu_flags: u32) {
    if cpu_flags & VP8_CPU_SSE2 as u32 != 0 {
        (*dsp).put[VP8_MC_SIXTAP as usize][VP8_MC_16x16 as usize] = Some(
            vp8_sixtap_16x16_sse2,
        );
        (*dsp).put[VP8_MC_SIXTAP as usize][VP8_MC_8x8 as usize] = Some(
            vp8_sixtap_8x8_sse2,
        );
        (*dsp).put[VP8_MC_SIXTAP as usize][VP8_MC_8x4 as usize] = Some(
            vp8_sixtap_8x4_sse2,
        );
        (*dsp).put[VP8_MC_SIXTAP as usize][VP8_MC_4x4 as usize] = Some(
            vp8_sixtap_4x4_sse2,
        );
        (*dsp).put[VP8_MC_BILINEAR as usize][VP8_MC_16x16 as usize] = Some(
            vp8_bilinear_16x16_sse2,
        );
        (*dsp).put[VP8_MC_BILINEAR as usize][VP8_MC_8x8 as usize] = Some(
            vp8_bilinear_8x8_sse2,
        );
        (*dsp).put[VP8_MC_BILINEAR as usize][VP8_MC_8x4 as usize] = Some(
            vp8_bilinear_8x4_sse2,
        );
        (*dsp).put[VP8_MC_BILINEAR as usize][VP8_MC_4x4 as usize] = Some(
            vp8_bilinear_4x4_sse2,
        );
    }
    if cpu_flags & VP8_CPU_SSSE3 as u32 != 0 {
        (*dsp).put[VP8_MC_SIXTAP as usize][VP8_MC_16x16 as usize] = Some(
            vp8_sixtap_16x16_ssse3,
        );
        (*dsp).put[VP8_MC_SIXTAP as usize][VP8_MC_8x8 as usize] = Some(
            vp8_sixtap_8x8_ssse3,
        );
        (*dsp).put[VP8_MC_SIXTAP as usize][VP8_MC_8x4 as usize] = Some(
            vp8_sixtap_8x4_ssse3,
        );
        (*dsp).put[VP8_MC_SIXTAP as usize][VP8_MC_4x4 as usize] = Some(
            vp8_sixtap_4x4_ssse3,
        );
        (*dsp).put[VP8_MC_BILINEAR as usize][VP8_MC_16x16 as usize] = Some(
            vp8_bilinear_16x16_ssse3,
        );
        (*dsp).put[VP8_MC_BILINEAR as usize][VP8_MC_8x8 as usize] = Some(
            vp8_bilinear_8x8_ssse3,
        );
        (*dsp).put[VP8_MC_BILINEAR as usize][VP8_MC_8x4 as usize] = Some(
            vp8_bilinear_8x4_ssse3,
        );
        (*dsp).put[VP8_MC_BILINEAR as usize][VP8_MC_4x4 as usize] = Some(
            vp8_bilinear_4x4_ssse3,
        );
    }
    if cpu_flags & VP8_CPU_AVX2 as u32 != 0 {
        (*dsp).put[VP8_MC_SIXTAP as usize][VP8_MC_16x16 as usize] = Some(
            vp8_sixtap_16x16_avx2,
        );
        (*dsp).put[VP8_MC_SIXTAP as usize][VP8_MC_8x8 as usize] = Some(
            vp8_sixtap_8x8_avx2,
        );
    }
}
