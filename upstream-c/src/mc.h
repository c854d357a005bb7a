/*
 * Motion compensation (sub-pixel prediction, RFC 6386 section 18): the function-pointer table and
 * the kernel contract shared by the C fallbacks (mc.c) and the asm kernels (asm/, installed by
 * x86/dsp_init.c).
 *
 * Contract of every vp8_mc_fn, for a W x H block (W x H given by the table slot):
 *   dst[y * dst_stride + x] = prediction of the pixel at src[y * src_stride + x] displaced by
 *   (mx/8, my/8) pixels, mx and my in 0..7 (eighth pels; luma only ever uses even values).
 *   The six-tap kernels filter horizontally first (rows -2 .. H+2), clamp each intermediate to
 *   0..255 after rounding (+64 >> 7), then vertically; a zero fraction is the identity filter.
 *   The bilinear kernels do the same with two taps (rows 0 .. H); no clamp is needed.
 *   mx == my == 0 is a plain copy.
 * Memory: a kernel may read src from column -2 to W+2 and row -2 to H+2 (six-tap) or column 0 to
 *   W and row 0 to H (bilinear) whatever the fractions; the caller guarantees these are readable.
 *   dst and src never overlap. No alignment is guaranteed; strides may be any value >= W.
 */
#ifndef VP8_SRC_MC_H
#define VP8_SRC_MC_H

#include "common.h"

typedef void (*vp8_mc_fn)(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
                          ptrdiff_t src_stride, int mx, int my);

enum Vp8McSize { VP8_MC_16x16 = 0, VP8_MC_8x8 = 1, VP8_MC_8x4 = 2, VP8_MC_4x4 = 3, VP8_MC_SIZES = 4 };
enum Vp8McFilter { VP8_MC_SIXTAP = 0, VP8_MC_BILINEAR = 1, VP8_MC_FILTERS = 2 };

typedef struct Vp8McDsp {
    vp8_mc_fn put[VP8_MC_FILTERS][VP8_MC_SIZES];
} Vp8McDsp;

/* Fill the table with the C fallbacks, then let the ISA init replace what cpu_flags allow. */
void vp8_mc_dsp_init(Vp8McDsp *dsp, unsigned cpu_flags);
/* Replace entries with the asm/x86_64 kernels that cpu_flags allow (src/x86/mc_init.c). */
void vp8_mc_dsp_init_x86(Vp8McDsp *dsp, unsigned cpu_flags);

/* The C fallbacks, exported so checkasm can compare kernels against them. */
void vp8_sixtap_16x16_c(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_sixtap_8x8_c(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_sixtap_8x4_c(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_sixtap_4x4_c(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_bilinear_16x16_c(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_bilinear_8x8_c(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_bilinear_8x4_c(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_bilinear_4x4_c(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);

#endif
