/*
 * x86-64 ipred kernels: installs the asm/x86_64 implementations into the ipred table for the
 * instruction sets cpu_flags allows, each level overriding the one below.
 */
#include "../ipred.h"

#include "vp8/vp8.h"

#if defined(__x86_64__)
#include "vp8asm/ipred.h"
#endif

void vp8_ipred_dsp_init_x86(Vp8IpredDsp *dsp, unsigned cpu_flags)
{
#if defined(__x86_64__)
    if (cpu_flags & VP8_CPU_SSE2) {
        dsp->pred16x16[VP8_IPRED_DC] = vp8_pred16x16_dc_sse2;
        dsp->pred16x16[VP8_IPRED_V] = vp8_pred16x16_v_sse2;
        dsp->pred16x16[VP8_IPRED_H] = vp8_pred16x16_h_sse2;
        dsp->pred16x16[VP8_IPRED_TM] = vp8_pred16x16_tm_sse2;
        dsp->pred16x16[VP8_IPRED_DC_LEFT] = vp8_pred16x16_dc_left_sse2;
        dsp->pred16x16[VP8_IPRED_DC_TOP] = vp8_pred16x16_dc_top_sse2;
        dsp->pred16x16[VP8_IPRED_DC_128] = vp8_pred16x16_dc_128_sse2;

        dsp->pred8x8[VP8_IPRED_DC] = vp8_pred8x8_dc_sse2;
        dsp->pred8x8[VP8_IPRED_V] = vp8_pred8x8_v_sse2;
        dsp->pred8x8[VP8_IPRED_H] = vp8_pred8x8_h_sse2;
        dsp->pred8x8[VP8_IPRED_TM] = vp8_pred8x8_tm_sse2;
        dsp->pred8x8[VP8_IPRED_DC_LEFT] = vp8_pred8x8_dc_left_sse2;
        dsp->pred8x8[VP8_IPRED_DC_TOP] = vp8_pred8x8_dc_top_sse2;
        dsp->pred8x8[VP8_IPRED_DC_128] = vp8_pred8x8_dc_128_sse2;

        dsp->pred4x4[VP8_B_DC] = vp8_pred4x4_dc_sse2;
        dsp->pred4x4[VP8_B_TM] = vp8_pred4x4_tm_sse2;
        dsp->pred4x4[VP8_B_VE] = vp8_pred4x4_ve_sse2;
        dsp->pred4x4[VP8_B_HE] = vp8_pred4x4_he_sse2;
        dsp->pred4x4[VP8_B_LD] = vp8_pred4x4_ld_sse2;
        dsp->pred4x4[VP8_B_RD] = vp8_pred4x4_rd_sse2;
        dsp->pred4x4[VP8_B_HU] = vp8_pred4x4_hu_sse2;
    }
    if (cpu_flags & VP8_CPU_SSSE3) {
        dsp->pred4x4[VP8_B_VR] = vp8_pred4x4_vr_ssse3;
        dsp->pred4x4[VP8_B_VL] = vp8_pred4x4_vl_ssse3;
        dsp->pred4x4[VP8_B_HD] = vp8_pred4x4_hd_ssse3;
    }
    if (cpu_flags & VP8_CPU_AVX2) {
        dsp->pred16x16[VP8_IPRED_H] = vp8_pred16x16_h_avx2;
        dsp->pred16x16[VP8_IPRED_TM] = vp8_pred16x16_tm_avx2;
        dsp->pred8x8[VP8_IPRED_TM] = vp8_pred8x8_tm_avx2;
    }
#else
    (void)dsp;
    (void)cpu_flags;
#endif
}
