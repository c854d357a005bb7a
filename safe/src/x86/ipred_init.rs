//! x86-64 ipred kernels: installs the asm/x86_64 implementations into the ipred table for the
//! instruction sets cpu_flags allows, each level overriding the one below.
use vp8_asm::{
    vp8_pred16x16_dc_128_sse2, vp8_pred16x16_dc_left_sse2, vp8_pred16x16_dc_sse2,
    vp8_pred16x16_dc_top_sse2, vp8_pred16x16_h_avx2, vp8_pred16x16_h_sse2,
    vp8_pred16x16_tm_avx2, vp8_pred16x16_tm_sse2, vp8_pred16x16_v_sse2,
    vp8_pred4x4_dc_sse2, vp8_pred4x4_hd_ssse3, vp8_pred4x4_he_sse2, vp8_pred4x4_hu_sse2,
    vp8_pred4x4_ld_sse2, vp8_pred4x4_rd_sse2, vp8_pred4x4_tm_sse2, vp8_pred4x4_ve_sse2,
    vp8_pred4x4_vl_ssse3, vp8_pred4x4_vr_ssse3, vp8_pred8x8_dc_128_sse2,
    vp8_pred8x8_dc_left_sse2, vp8_pred8x8_dc_sse2, vp8_pred8x8_dc_top_sse2,
    vp8_pred8x8_h_sse2, vp8_pred8x8_tm_avx2, vp8_pred8x8_tm_sse2, vp8_pred8x8_v_sse2,
};
use crate::ipred_h::{
    VP8_B_DC, VP8_B_HD, VP8_B_HE, VP8_B_HU, VP8_B_LD, VP8_B_RD, VP8_B_TM, VP8_B_VE,
    VP8_B_VL, VP8_B_VR, VP8_IPRED_DC, VP8_IPRED_DC_128, VP8_IPRED_DC_LEFT,
    VP8_IPRED_DC_TOP, VP8_IPRED_H, VP8_IPRED_TM, VP8_IPRED_V, Vp8IpredDsp, vp8_ipred4_fn,
    vp8_ipred_fn,
};
use crate::vp8_h::{VP8_CPU_AVX2, VP8_CPU_SSE2, VP8_CPU_SSSE3};
pub unsafe extern "C" fn vp8_ipred_dsp_init_x86(dsp: *mut Vp8IpredDsp, cpu_flags: u32) {
    if cpu_flags & VP8_CPU_SSE2 as u32 != 0 {
        (*dsp).pred16x16[VP8_IPRED_DC as usize] = Some(vp8_pred16x16_dc_sse2);
        (*dsp).pred16x16[VP8_IPRED_V as usize] = Some(vp8_pred16x16_v_sse2);
        (*dsp).pred16x16[VP8_IPRED_H as usize] = Some(vp8_pred16x16_h_sse2);
        (*dsp).pred16x16[VP8_IPRED_TM as usize] = Some(vp8_pred16x16_tm_sse2);
        (*dsp).pred16x16[VP8_IPRED_DC_LEFT as usize] = Some(vp8_pred16x16_dc_left_sse2);
        (*dsp).pred16x16[VP8_IPRED_DC_TOP as usize] = Some(vp8_pred16x16_dc_top_sse2);
        (*dsp).pred16x16[VP8_IPRED_DC_128 as usize] = Some(vp8_pred16x16_dc_128_sse2);
        (*dsp).pred8x8[VP8_IPRED_DC as usize] = Some(vp8_pred8x8_dc_sse2);
        (*dsp).pred8x8[VP8_IPRED_V as usize] = Some(vp8_pred8x8_v_sse2);
        (*dsp).pred8x8[VP8_IPRED_H as usize] = Some(vp8_pred8x8_h_sse2);
        (*dsp).pred8x8[VP8_IPRED_TM as usize] = Some(vp8_pred8x8_tm_sse2);
        (*dsp).pred8x8[VP8_IPRED_DC_LEFT as usize] = Some(vp8_pred8x8_dc_left_sse2);
        (*dsp).pred8x8[VP8_IPRED_DC_TOP as usize] = Some(vp8_pred8x8_dc_top_sse2);
        (*dsp).pred8x8[VP8_IPRED_DC_128 as usize] = Some(vp8_pred8x8_dc_128_sse2);
        (*dsp).pred4x4[VP8_B_DC as usize] = Some(vp8_pred4x4_dc_sse2);
        (*dsp).pred4x4[VP8_B_TM as usize] = Some(vp8_pred4x4_tm_sse2);
        (*dsp).pred4x4[VP8_B_VE as usize] = Some(vp8_pred4x4_ve_sse2);
        (*dsp).pred4x4[VP8_B_HE as usize] = Some(vp8_pred4x4_he_sse2);
        (*dsp).pred4x4[VP8_B_LD as usize] = Some(vp8_pred4x4_ld_sse2);
        (*dsp).pred4x4[VP8_B_RD as usize] = Some(vp8_pred4x4_rd_sse2);
        (*dsp).pred4x4[VP8_B_HU as usize] = Some(vp8_pred4x4_hu_sse2);
    }
    if cpu_flags & VP8_CPU_SSSE3 as u32 != 0 {
        (*dsp).pred4x4[VP8_B_VR as usize] = Some(vp8_pred4x4_vr_ssse3);
        (*dsp).pred4x4[VP8_B_VL as usize] = Some(vp8_pred4x4_vl_ssse3);
        (*dsp).pred4x4[VP8_B_HD as usize] = Some(vp8_pred4x4_hd_ssse3);
    }
    if cpu_flags & VP8_CPU_AVX2 as u32 != 0 {
        (*dsp).pred16x16[VP8_IPRED_H as usize] = Some(vp8_pred16x16_h_avx2);
        (*dsp).pred16x16[VP8_IPRED_TM as usize] = Some(vp8_pred16x16_tm_avx2);
        (*dsp).pred8x8[VP8_IPRED_TM as usize] = Some(vp8_pred8x8_tm_avx2);
    }
}
