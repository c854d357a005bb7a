/*
 * x86-64 loopfilter kernels: installs the asm/x86_64 implementations into the loopfilter table for the
 * instruction sets cpu_flags allows, each level overriding the one below.
 */
#include "../loopfilter.h"

#include "vp8/vp8.h"
#include "vp8asm/loopfilter.h"

void vp8_loopfilter_dsp_init_x86(Vp8LoopfilterDsp *dsp, unsigned cpu_flags)
{
    if (cpu_flags & VP8_CPU_SSE2) {
        dsp->mb_top_y = vp8_lf_mb_top_y_sse2;
        dsp->mb_left_y = vp8_lf_mb_left_y_sse2;
        dsp->inner_top_y = vp8_lf_inner_top_y_sse2;
        dsp->inner_left_y = vp8_lf_inner_left_y_sse2;
        dsp->mb_top_uv = vp8_lf_mb_top_uv_sse2;
        dsp->mb_left_uv = vp8_lf_mb_left_uv_sse2;
        dsp->inner_top_uv = vp8_lf_inner_top_uv_sse2;
        dsp->inner_left_uv = vp8_lf_inner_left_uv_sse2;
        dsp->simple_mb_top = vp8_lf_simple_mb_top_sse2;
        dsp->simple_mb_left = vp8_lf_simple_mb_left_sse2;
        dsp->simple_inner_top = vp8_lf_simple_inner_top_sse2;
        dsp->simple_inner_left = vp8_lf_simple_inner_left_sse2;
    }
    /* Only the macroblock-edge filters have an SSSE3 version (the other kernels gain nothing). */
    if (cpu_flags & VP8_CPU_SSSE3) {
        dsp->mb_top_y = vp8_lf_mb_top_y_ssse3;
        dsp->mb_left_y = vp8_lf_mb_left_y_ssse3;
        dsp->mb_top_uv = vp8_lf_mb_top_uv_ssse3;
        dsp->mb_left_uv = vp8_lf_mb_left_uv_ssse3;
    }
    /* No AVX2 level: a VEX build of the same code measured ~2% per kernel, nothing in the decoder. */
}
