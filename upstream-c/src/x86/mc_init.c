/*
 * x86-64 mc kernels: installs the asm/x86_64 implementations into the mc table for the
 * instruction sets cpu_flags allows, each level overriding the one below. AVX2 only replaces the
 * six-tap 16x16 and 8x8 kernels; everything else keeps its SSSE3 version (see mc_avx2.S).
 */
#include "../mc.h"

#include "vp8/vp8.h"

#if defined(__x86_64__)
#include "vp8asm/mc.h"
#endif

void vp8_mc_dsp_init_x86(Vp8McDsp *dsp, unsigned cpu_flags)
{
#if defined(__x86_64__)
    if (cpu_flags & VP8_CPU_SSE2) {
        dsp->put[VP8_MC_SIXTAP][VP8_MC_16x16] = vp8_sixtap_16x16_sse2;
        dsp->put[VP8_MC_SIXTAP][VP8_MC_8x8] = vp8_sixtap_8x8_sse2;
        dsp->put[VP8_MC_SIXTAP][VP8_MC_8x4] = vp8_sixtap_8x4_sse2;
        dsp->put[VP8_MC_SIXTAP][VP8_MC_4x4] = vp8_sixtap_4x4_sse2;
        dsp->put[VP8_MC_BILINEAR][VP8_MC_16x16] = vp8_bilinear_16x16_sse2;
        dsp->put[VP8_MC_BILINEAR][VP8_MC_8x8] = vp8_bilinear_8x8_sse2;
        dsp->put[VP8_MC_BILINEAR][VP8_MC_8x4] = vp8_bilinear_8x4_sse2;
        dsp->put[VP8_MC_BILINEAR][VP8_MC_4x4] = vp8_bilinear_4x4_sse2;
    }
    if (cpu_flags & VP8_CPU_SSSE3) {
        dsp->put[VP8_MC_SIXTAP][VP8_MC_16x16] = vp8_sixtap_16x16_ssse3;
        dsp->put[VP8_MC_SIXTAP][VP8_MC_8x8] = vp8_sixtap_8x8_ssse3;
        dsp->put[VP8_MC_SIXTAP][VP8_MC_8x4] = vp8_sixtap_8x4_ssse3;
        dsp->put[VP8_MC_SIXTAP][VP8_MC_4x4] = vp8_sixtap_4x4_ssse3;
        dsp->put[VP8_MC_BILINEAR][VP8_MC_16x16] = vp8_bilinear_16x16_ssse3;
        dsp->put[VP8_MC_BILINEAR][VP8_MC_8x8] = vp8_bilinear_8x8_ssse3;
        dsp->put[VP8_MC_BILINEAR][VP8_MC_8x4] = vp8_bilinear_8x4_ssse3;
        dsp->put[VP8_MC_BILINEAR][VP8_MC_4x4] = vp8_bilinear_4x4_ssse3;
    }
    if (cpu_flags & VP8_CPU_AVX2) {
        dsp->put[VP8_MC_SIXTAP][VP8_MC_16x16] = vp8_sixtap_16x16_avx2;
        dsp->put[VP8_MC_SIXTAP][VP8_MC_8x8] = vp8_sixtap_8x8_avx2;
    }
#else
    (void)dsp;
    (void)cpu_flags;
#endif
}
