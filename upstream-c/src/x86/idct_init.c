/*
 * x86-64 idct kernels: installs the asm/x86_64 implementations into the idct table for the
 * instruction sets cpu_flags allows, each level overriding the one below.
 */
#include "../idct.h"

#include "vp8/vp8.h"

#if defined(__x86_64__)
#include "vp8asm/idct.h"
#endif

void vp8_idct_dsp_init_x86(Vp8IdctDsp *dsp, unsigned cpu_flags)
{
#if defined(__x86_64__)
    if (cpu_flags & VP8_CPU_SSE2) {
        dsp->idct_add = vp8_idct_add_sse2;
        dsp->idct_dc_add = vp8_idct_dc_add_sse2;
        dsp->idct_add_y = vp8_idct_add_y_sse2;
        dsp->idct_add_uv = vp8_idct_add_uv_sse2;
        dsp->iwht = vp8_iwht_sse2;
        dsp->iwht_dc = vp8_iwht_dc_sse2;
    }
    if (cpu_flags & VP8_CPU_AVX2) {
        dsp->idct_add_y = vp8_idct_add_y_avx2;
        dsp->idct_add_uv = vp8_idct_add_uv_avx2;
    }
#else
    (void)dsp;
    (void)cpu_flags;
#endif
}
