/*
 * Motion compensation C fallbacks (RFC 6386 sections 18.3, 18.4): the six-tap and bilinear
 * sub-pixel predictors for every block size, and the table init. One two-pass driver serves both
 * filter families and all sizes; the exported kernels only bind the size and the tap set.
 */
#include "mc.h"

#include <string.h>

#include "tables.h"

enum { MC_MAX_W = 16, MC_MAX_H = 16, MC_MAX_TAPS = 6 };

/* How a tap set lines up with the source: taps[k] weighs the pixel at offset first + k. */
typedef struct McTaps {
    const int16_t *taps;
    int count;
    int first;
} McTaps;

/*
 * One separable pass: every output is the tap-weighted sum of source pixels `step` apart, rounded
 * and clamped to a pixel. Clamping matters only for six-tap (negative taps); the bilinear taps are
 * non-negative and sum to 128, so their results already lie in 0..255 and the clamp is a no-op.
 * That is also why an 8-bit intermediate is exact for both families.
 */
VP8_ALWAYS_INLINE void mc_pass(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride,
                    ptrdiff_t step, int w, int h, McTaps t)
{
    const uint8_t *origin = src + t.first * step;
    /* Taps are copied to locals: read through t.taps, every byte stored to dst (which may alias
     * anything) would force them to be loaded again. */
    int taps[MC_MAX_TAPS];

    for (int k = 0; k < t.count; k++)
        taps[k] = t.taps[k];
    for (int y = 0; y < h; y++) {
        const uint8_t *s = origin + y * src_stride;
        uint8_t *d = dst + y * dst_stride;
        for (int x = 0; x < w; x++) {
            int sum = 64;
            for (int k = 0; k < t.count; k++)
                sum += s[x + k * step] * taps[k];
            /* Negative sums clamp to 0 anyway; testing first keeps the shift on non-negative
             * values, where C defines it. */
            d[x] = sum < 0 ? 0 : vp8_clip_pixel(sum >> 7);
        }
    }
}

VP8_ALWAYS_INLINE void mc_copy(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride,
                    int w, int h)
{
    for (int y = 0; y < h; y++)
        memcpy(dst + y * dst_stride, src + y * src_stride, (size_t)w);
}

/*
 * The reference form is always two passes (horizontal over the extra rows the vertical taps need,
 * then vertical). A zero fraction selects the identity tap set, whose pass reproduces its input
 * exactly, so skipping it gives identical results while reading fewer pixels.
 */
VP8_ALWAYS_INLINE void mc_block(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride,
                     int w, int h, int mx, int my, McTaps htaps, McTaps vtaps)
{
    if (mx == 0 && my == 0) {
        mc_copy(dst, dst_stride, src, src_stride, w, h);
    } else if (my == 0) {
        mc_pass(dst, dst_stride, src, src_stride, 1, w, h, htaps);
    } else if (mx == 0) {
        mc_pass(dst, dst_stride, src, src_stride, src_stride, w, h, vtaps);
    } else {
        uint8_t tmp[(MC_MAX_H + MC_MAX_TAPS - 1) * MC_MAX_W];
        const int rows = h + vtaps.count - 1;

        mc_pass(tmp, w, src + vtaps.first * src_stride, src_stride, 1, w, rows, htaps);
        mc_pass(dst, dst_stride, tmp - vtaps.first * w, w, w, w, h, vtaps);
    }
}

VP8_ALWAYS_INLINE void sixtap(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride,
                   int w, int h, int mx, int my)
{
    /* Zero outer taps are kept: the odd fractions' four-tap sets need no special casing. */
    const McTaps ht = { vp8_sixtap_filters[mx & 7], 6, -2 };
    const McTaps vt = { vp8_sixtap_filters[my & 7], 6, -2 };

    mc_block(dst, dst_stride, src, src_stride, w, h, mx & 7, my & 7, ht, vt);
}

VP8_ALWAYS_INLINE void bilinear(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
                     ptrdiff_t src_stride, int w, int h, int mx, int my)
{
    const McTaps ht = { vp8_bilinear_filters[mx & 7], 2, 0 };
    const McTaps vt = { vp8_bilinear_filters[my & 7], 2, 0 };

    mc_block(dst, dst_stride, src, src_stride, w, h, mx & 7, my & 7, ht, vt);
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
