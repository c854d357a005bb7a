/*
 * Motion compensation C fallbacks (RFC 6386 sections 18.3, 18.4): the six-tap and bilinear
 * sub-pixel predictors for every block size, and the table init. One two-pass driver serves both
 * filter families and all sizes; the exported kernels only bind the size and the tap set.
 */
#include "mc.h"

#include <string.h>

#include "tables.h"

enum { MC_MAX_W = 16, MC_MAX_H = 16, MC_SIXTAP_ROWS = 5 };
enum { MC_SIXTAP = 0, MC_BILINEAR = 1 };

/* Round, shift and clamp one filtered sum. Negative sums clamp to 0 anyway; testing first keeps
 * the shift on non-negative values, where C defines it. */
static inline uint8_t mc_round(int sum)
{
    return sum < 0 ? 0 : vp8_clip_pixel(sum >> 7);
}

/*
 * One separable pass: every output is the tap-weighted sum of source pixels `step` apart (step = 1
 * horizontally, the stride vertically), rounded and clamped to a pixel. Clamping matters only for
 * six-tap (negative taps); the bilinear taps are non-negative and sum to 128, so their results
 * already lie in 0..255 - which is also why an 8-bit intermediate is exact for both families.
 * The taps are spelled out rather than looped over: at -O2 a tap loop is not unrolled and costs
 * about twice the instructions. Odd six-tap fractions have zero outer taps, so they get a 4-tap
 * loop (only chroma uses them).
 */
VP8_ALWAYS_INLINE void mc_pass(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
                               ptrdiff_t src_stride, ptrdiff_t step, int w, int h, int family,
                               const int16_t *taps)
{
    if (family == MC_BILINEAR) {
        const int b0 = taps[0], b1 = taps[1];
        for (int y = 0; y < h; y++) {
            const uint8_t *s = src + y * src_stride;
            uint8_t *d = dst + y * dst_stride;
            for (int x = 0; x < w; x++)
                d[x] = mc_round(64 + s[x] * b0 + s[x + step] * b1);
        }
    } else if (taps[0] == 0 && taps[5] == 0) {
        const int t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4];
        for (int y = 0; y < h; y++) {
            const uint8_t *s = src + y * src_stride;
            uint8_t *d = dst + y * dst_stride;
            for (int x = 0; x < w; x++)
                d[x] = mc_round(64 + s[x - step] * t1 + s[x] * t2 + s[x + step] * t3 +
                                s[x + 2 * step] * t4);
        }
    } else {
        const int t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4],
                  t5 = taps[5];
        for (int y = 0; y < h; y++) {
            const uint8_t *s = src + y * src_stride;
            uint8_t *d = dst + y * dst_stride;
            for (int x = 0; x < w; x++)
                d[x] = mc_round(64 + s[x - 2 * step] * t0 + s[x - step] * t1 + s[x] * t2 +
                                s[x + step] * t3 + s[x + 2 * step] * t4 + s[x + 3 * step] * t5);
        }
    }
}

VP8_ALWAYS_INLINE void mc_copy(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
                               ptrdiff_t src_stride, int w, int h)
{
    for (int y = 0; y < h; y++)
        memcpy(dst + y * dst_stride, src + y * src_stride, (size_t)w);
}

/*
 * The reference form is always two passes (horizontal over the extra rows the vertical taps need,
 * then vertical). A zero fraction selects the identity tap set, whose pass reproduces its input
 * exactly, so skipping it gives identical results while reading fewer pixels.
 */
VP8_ALWAYS_INLINE void mc_block(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
                                ptrdiff_t src_stride, int w, int h, int mx, int my, int family)
{
    const int16_t *htaps = family == MC_BILINEAR ? vp8_bilinear_filters[mx & 7] : vp8_sixtap_filters[mx & 7];
    const int16_t *vtaps = family == MC_BILINEAR ? vp8_bilinear_filters[my & 7] : vp8_sixtap_filters[my & 7];

    mx &= 7;
    my &= 7;
    if (mx == 0 && my == 0) {
        mc_copy(dst, dst_stride, src, src_stride, w, h);
    } else if (my == 0) {
        mc_pass(dst, dst_stride, src, src_stride, 1, w, h, family, htaps);
    } else if (mx == 0) {
        mc_pass(dst, dst_stride, src, src_stride, src_stride, w, h, family, vtaps);
    } else if (family == MC_BILINEAR) {
        uint8_t tmp[(MC_MAX_H + 1) * MC_MAX_W];

        mc_pass(tmp, w, src, src_stride, 1, w, h + 1, family, htaps);
        mc_pass(dst, dst_stride, tmp, w, w, w, h, family, vtaps);
    } else {
        /* Rows -2 .. h+2 of the horizontal pass feed the vertical taps. */
        uint8_t tmp[(MC_MAX_H + MC_SIXTAP_ROWS) * MC_MAX_W];

        mc_pass(tmp, w, src - 2 * src_stride, src_stride, 1, w, h + MC_SIXTAP_ROWS, family, htaps);
        mc_pass(dst, dst_stride, tmp + 2 * w, w, w, w, h, family, vtaps);
    }
}

VP8_ALWAYS_INLINE void sixtap(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
                              ptrdiff_t src_stride, int w, int h, int mx, int my)
{
    mc_block(dst, dst_stride, src, src_stride, w, h, mx, my, MC_SIXTAP);
}

VP8_ALWAYS_INLINE void bilinear(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
                                ptrdiff_t src_stride, int w, int h, int mx, int my)
{
    mc_block(dst, dst_stride, src, src_stride, w, h, mx, my, MC_BILINEAR);
}

void vp8_sixtap_16x16_c(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
                        ptrdiff_t src_stride, int mx, int my)
{
    sixtap(dst, dst_stride, src, src_stride, 16, 16, mx, my);
}

void vp8_sixtap_8x8_c(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride,
                      int mx, int my)
{
    sixtap(dst, dst_stride, src, src_stride, 8, 8, mx, my);
}

void vp8_sixtap_8x4_c(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride,
                      int mx, int my)
{
    sixtap(dst, dst_stride, src, src_stride, 8, 4, mx, my);
}

void vp8_sixtap_4x4_c(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride,
                      int mx, int my)
{
    sixtap(dst, dst_stride, src, src_stride, 4, 4, mx, my);
}

void vp8_bilinear_16x16_c(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
                          ptrdiff_t src_stride, int mx, int my)
{
    bilinear(dst, dst_stride, src, src_stride, 16, 16, mx, my);
}

void vp8_bilinear_8x8_c(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
                        ptrdiff_t src_stride, int mx, int my)
{
    bilinear(dst, dst_stride, src, src_stride, 8, 8, mx, my);
}

void vp8_bilinear_8x4_c(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
                        ptrdiff_t src_stride, int mx, int my)
{
    bilinear(dst, dst_stride, src, src_stride, 8, 4, mx, my);
}

void vp8_bilinear_4x4_c(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
                        ptrdiff_t src_stride, int mx, int my)
{
    bilinear(dst, dst_stride, src, src_stride, 4, 4, mx, my);
}

void vp8_mc_dsp_init(Vp8McDsp *dsp, unsigned cpu_flags)
{
    dsp->put[VP8_MC_SIXTAP][VP8_MC_16x16] = vp8_sixtap_16x16_c;
    dsp->put[VP8_MC_SIXTAP][VP8_MC_8x8] = vp8_sixtap_8x8_c;
    dsp->put[VP8_MC_SIXTAP][VP8_MC_8x4] = vp8_sixtap_8x4_c;
    dsp->put[VP8_MC_SIXTAP][VP8_MC_4x4] = vp8_sixtap_4x4_c;
    dsp->put[VP8_MC_BILINEAR][VP8_MC_16x16] = vp8_bilinear_16x16_c;
    dsp->put[VP8_MC_BILINEAR][VP8_MC_8x8] = vp8_bilinear_8x8_c;
    dsp->put[VP8_MC_BILINEAR][VP8_MC_8x4] = vp8_bilinear_8x4_c;
    dsp->put[VP8_MC_BILINEAR][VP8_MC_4x4] = vp8_bilinear_4x4_c;
#if defined(__x86_64__)
    vp8_mc_dsp_init_x86(dsp, cpu_flags);
#else
    (void)cpu_flags;
#endif
}
