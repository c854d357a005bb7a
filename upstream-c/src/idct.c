/*
 * Inverse transform C fallbacks (RFC 6386 section 14): the 4x4 inverse DCT with residual add,
 * its DC-only shortcut, the per-macroblock luma and chroma loops over them, the inverse WHT of
 * the Y2 block, and vp8_idct_dsp_init which installs them.
 *
 * Bit-exactness notes: the RFC stores the intermediate (after the first pass) and the output of
 * both transforms in 16-bit signed arrays, so the results of each pass are narrowed to int16_t,
 * wrapping on overflow, exactly as the reference does; out-of-spec streams with extreme
 * coefficients depend on it. Right shifts of negative values are arithmetic (floor), which the
 * reference relies on as well.
 */
#include <string.h>

#include "idct.h"

/* 16.16 fixed-point sqrt(2)*cos(pi/8) - 1 and sqrt(2)*sin(pi/8); the first is stored minus one
 * because sqrt(2)*cos(pi/8) > 1 would not fit the same precision. */
enum { COSPI8SQRT2MINUS1 = 20091, SINPI8SQRT2 = 35468 };

static int mul_cos(int x) { return x + ((x * COSPI8SQRT2MINUS1) >> 16); }
static int mul_sin(int x) { return (x * SINPI8SQRT2) >> 16; }

/* Add a 4x4 residual to the prediction in dst. The pixels go through a 16-byte local copy so the
 * add-and-clamp is one straight loop over 16 int16_t lanes, which gcc and clang vectorize at -O2.
 * A residual beyond +-255 clamps the pixel either way; limiting it first keeps the sum inside
 * int16_t for any coefficients a stream can produce. */
VP8_ALWAYS_INLINE void add_residual(uint8_t *dst, ptrdiff_t stride, const int16_t res[16])
{
    uint8_t px[16];
    /* Row copies spelled out: as a loop, -O2 keeps the loop. */
    memcpy(&px[0], dst, 4);
    memcpy(&px[4], dst + stride, 4);
    memcpy(&px[8], dst + 2 * stride, 4);
    memcpy(&px[12], dst + 3 * stride, 4);
    for (int i = 0; i < 16; i++) {
        const int16_t r = res[i] < -255 ? -255 : (res[i] > 255 ? 255 : res[i]);
        const int16_t v = (int16_t)(px[i] + r);
        px[i] = (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
    }
    memcpy(dst, &px[0], 4);
    memcpy(dst + stride, &px[4], 4);
    memcpy(dst + 2 * stride, &px[8], 4);
    memcpy(dst + 3 * stride, &px[12], 4);
}

void vp8_idct_add_c(uint8_t *dst, ptrdiff_t stride, int16_t block[16])
{
    int16_t tmp[16];
    int16_t out[16];

    /* First pass: one 1-D transform down each column. */
    for (int i = 0; i < 4; i++) {
        int a = block[i] + block[8 + i];
        int b = block[i] - block[8 + i];
        int c = mul_sin(block[4 + i]) - mul_cos(block[12 + i]);
        int d = mul_cos(block[4 + i]) + mul_sin(block[12 + i]);
        tmp[i] = (int16_t)(a + d);
        tmp[4 + i] = (int16_t)(b + c);
        tmp[8 + i] = (int16_t)(b - c);
        tmp[12 + i] = (int16_t)(a - d);
    }

    /* Second pass: along each row, with the final rounding by 1/8. */
    for (int i = 0; i < 4; i++) {
        const int16_t *row = &tmp[4 * i];
        int a = row[0] + row[2];
        int b = row[0] - row[2];
        int c = mul_sin(row[1]) - mul_cos(row[3]);
        int d = mul_cos(row[1]) + mul_sin(row[3]);
        out[4 * i] = (int16_t)((a + d + 4) >> 3);
        out[4 * i + 1] = (int16_t)((b + c + 4) >> 3);
        out[4 * i + 2] = (int16_t)((b - c + 4) >> 3);
        out[4 * i + 3] = (int16_t)((a - d + 4) >> 3);
    }

    add_residual(dst, stride, out);
    memset(block, 0, 16 * sizeof(block[0]));
}

/* With only the DC non-zero, both passes reduce to copying it, so every output is (dc + 4) >> 3. */
void vp8_idct_dc_add_c(uint8_t *dst, ptrdiff_t stride, int16_t block[16])
{
    int16_t res[16];
    const int16_t dc = (int16_t)((block[0] + 4) >> 3);
    for (int i = 0; i < 16; i++)
        res[i] = dc;
    add_residual(dst, stride, res);
    block[0] = 0;
}

/* eob <= 1 means at most the DC was coded (or set by the WHT), so the cheap form is exact. */
static void idct_add_by_eob(uint8_t *dst, ptrdiff_t stride, int16_t block[16], uint8_t eob)
{
    if (eob > 1)
        vp8_idct_add_c(dst, stride, block);
    else if (block[0] != 0)
        vp8_idct_dc_add_c(dst, stride, block);
}

void vp8_idct_add_y_c(uint8_t *dst, ptrdiff_t stride, int16_t blocks[16][16],
                      const uint8_t eobs[16])
{
    for (int i = 0; i < 16; i++) {
        uint8_t *block_dst = dst + (i / 4) * 4 * stride + (i % 4) * 4;
        idct_add_by_eob(block_dst, stride, blocks[i], eobs[i]);
    }
}

void vp8_idct_add_uv_c(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int16_t blocks[8][16],
                       const uint8_t eobs[8])
{
    for (int i = 0; i < 4; i++) {
        ptrdiff_t offset = (i / 2) * 4 * stride + (i % 2) * 4;
        idct_add_by_eob(dst_u + offset, stride, blocks[i], eobs[i]);
        idct_add_by_eob(dst_v + offset, stride, blocks[4 + i], eobs[4 + i]);
    }
}

void vp8_iwht_c(int16_t blocks[16][16], int16_t y2[16])
{
    int16_t tmp[16];
    int16_t out[16];

    /* First pass: down each column. */
    for (int i = 0; i < 4; i++) {
        int a = y2[i] + y2[12 + i];
        int b = y2[4 + i] + y2[8 + i];
        int c = y2[4 + i] - y2[8 + i];
        int d = y2[i] - y2[12 + i];
        tmp[i] = (int16_t)(a + b);
        tmp[4 + i] = (int16_t)(c + d);
        tmp[8 + i] = (int16_t)(a - b);
        tmp[12 + i] = (int16_t)(d - c);
    }

    /* Second pass: along each row; the +3 (not +4) rounding is what the RFC specifies. */
    for (int i = 0; i < 4; i++) {
        const int16_t *row = &tmp[4 * i];
        int a = row[0] + row[3];
        int b = row[1] + row[2];
        int c = row[1] - row[2];
        int d = row[0] - row[3];
        out[4 * i] = (int16_t)((a + b + 3) >> 3);
        out[4 * i + 1] = (int16_t)((c + d + 3) >> 3);
        out[4 * i + 2] = (int16_t)((a - b + 3) >> 3);
        out[4 * i + 3] = (int16_t)((d - c + 3) >> 3);
    }

    memset(y2, 0, 16 * sizeof(y2[0]));
    for (int i = 0; i < 16; i++)
        blocks[i][0] = out[i];
}

/* Only y2[0] non-zero: both passes just spread it, leaving (y2[0] + 3) >> 3 everywhere. */
void vp8_iwht_dc_c(int16_t blocks[16][16], int16_t y2[16])
{
    int16_t dc = (int16_t)((y2[0] + 3) >> 3);
    y2[0] = 0;
    for (int i = 0; i < 16; i++)
        blocks[i][0] = dc;
}

void vp8_idct_dsp_init(Vp8IdctDsp *dsp, unsigned cpu_flags)
{

    dsp->idct_add = vp8_idct_add_c;
    dsp->idct_dc_add = vp8_idct_dc_add_c;
    dsp->idct_add_y = vp8_idct_add_y_c;
    dsp->idct_add_uv = vp8_idct_add_uv_c;
    dsp->iwht = vp8_iwht_c;
    dsp->iwht_dc = vp8_iwht_dc_c;
#if defined(__x86_64__)
    vp8_idct_dsp_init_x86(dsp, cpu_flags);
#else
    (void)cpu_flags;
#endif
}
