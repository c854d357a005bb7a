/*
 * Standalone self-test for the intra prediction (ipred.c) and inverse transform (idct.c) C
 * kernels. It checks properties that must hold whatever the implementation: shortcuts agree with
 * the full transforms, the multi-block forms agree with per-block calls, hand-derived values for
 * simple inputs, 16-bit wrap-around of the intermediates, coefficients zeroed after use, no
 * writes outside the predicted block, and the 4x4 predictors against a second, per-pixel
 * transcription of the RFC 12.3 formulas. Inputs come from a fixed-seed generator so runs are
 * reproducible.
 *
 * Build: gcc -std=c11 -O2 -Wall -Wextra -I upstream-c/src upstream-c/tests/dsp_selftest.c \
 *        upstream-c/src/ipred.c upstream-c/src/idct.c
 */
#include <stdio.h>
#include <string.h>

#include "idct.h"
#include "ipred.h"

enum { TRIALS = 2000, MAX_REPORTS = 25 };

/* Canvas large enough for a 16x16 block with margins on every side; blocks start at (8, 8). */
enum { CANVAS = 40, ORIGIN = 8 };

typedef struct Rng {
    uint32_t state;
} Rng;

typedef struct Tests {
    Rng rng;
    int passed;
    int failed;
} Tests;

static uint32_t rng_next(Rng *rng)
{
    uint32_t x = rng->state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng->state = x;
    return x;
}

/* Uniform-ish in lo..hi (inclusive); the modulo bias is irrelevant here. */
static int rng_range(Rng *rng, int lo, int hi)
{
    return lo + (int)(rng_next(rng) % (uint32_t)(hi - lo + 1));
}

static uint8_t rng_pixel(Rng *rng) { return (uint8_t)rng_range(rng, 0, 255); }

/* Mostly realistic magnitudes, with a share of extreme values to exercise 16-bit wrap-around. */
static int16_t rng_coeff(Rng *rng)
{
    switch (rng_range(rng, 0, 3)) {
    case 0:
    case 1:
        return (int16_t)rng_range(rng, -100, 100);
    case 2:
        return (int16_t)rng_range(rng, -2048, 2047);
    default:
        return (int16_t)rng_range(rng, -32768, 32767);
    }
}

static void check(Tests *t, int ok, const char *what, int trial)
{
    if (ok) {
        t->passed++;
        return;
    }
    t->failed++;
    if (t->failed <= MAX_REPORTS)
        printf("FAIL: %s (trial %d)\n", what, trial);
}

static void fill_random(Rng *rng, uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = rng_pixel(rng);
}

static int all_zero(const int16_t *coeffs, int count)
{
    for (int i = 0; i < count; i++)
        if (coeffs[i] != 0)
            return 0;
    return 1;
}

static int all_blocks_zero(int16_t (*blocks)[16], int count)
{
    for (int i = 0; i < count; i++)
        if (!all_zero(blocks[i], 16))
            return 0;
    return 1;
}

static uint8_t clip255(int v) { return (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v)); }

/* ---------------------------------------------------------------------------------------------
 * Inverse DCT / WHT
 */

/* Reference 1-D inverse DCT of (x0, x1, x2, x3) built up from the RFC 14.4 formulas. */
static void ref_idct_1d(const int x[4], int y[4])
{
    int x1_cos = x[1] + ((x[1] * 20091) >> 16);
    int x1_sin = (x[1] * 35468) >> 16;
    int x3_cos = x[3] + ((x[3] * 20091) >> 16);
    int x3_sin = (x[3] * 35468) >> 16;
    int even_sum = x[0] + x[2];
    int even_diff = x[0] - x[2];
    int odd_1 = x1_cos + x3_sin;
    int odd_2 = x1_sin - x3_cos;
    y[0] = even_sum + odd_1;
    y[1] = even_diff + odd_2;
    y[2] = even_diff - odd_2;
    y[3] = even_sum - odd_1;
}

/* Reference 2-D inverse DCT into a residual: columns first, 16-bit intermediate, then rows. */
static void ref_idct(const int16_t coeffs[16], int16_t residual[16])
{
    int16_t mid[16];
    for (int col = 0; col < 4; col++) {
        int in[4], out[4];
        for (int k = 0; k < 4; k++)
            in[k] = coeffs[4 * k + col];
        ref_idct_1d(in, out);
        for (int k = 0; k < 4; k++)
            mid[4 * k + col] = (int16_t)out[k];
    }
    for (int row = 0; row < 4; row++) {
        int in[4], out[4];
        for (int k = 0; k < 4; k++)
            in[k] = mid[4 * row + k];
        ref_idct_1d(in, out);
        for (int k = 0; k < 4; k++)
            residual[4 * row + k] = (int16_t)((out[k] + 4) >> 3);
    }
}

static void ref_add(uint8_t *dst, ptrdiff_t stride, const int16_t residual[16])
{
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 4; x++)
            dst[y * stride + x] = clip255(dst[y * stride + x] + residual[4 * y + x]);
}

/* Reference 1-D inverse WHT from RFC 14.3. */
static void ref_iwht_1d(const int x[4], int y[4])
{
    int s03 = x[0] + x[3], d03 = x[0] - x[3];
    int s12 = x[1] + x[2], d12 = x[1] - x[2];
    y[0] = s03 + s12;
    y[1] = d12 + d03;
    y[2] = s03 - s12;
    y[3] = d03 - d12;
}

static void ref_iwht(const int16_t y2[16], int16_t out[16])
{
    int16_t mid[16];
    for (int col = 0; col < 4; col++) {
        int in[4], res[4];
        for (int k = 0; k < 4; k++)
            in[k] = y2[4 * k + col];
        ref_iwht_1d(in, res);
        for (int k = 0; k < 4; k++)
            mid[4 * k + col] = (int16_t)res[k];
    }
    for (int row = 0; row < 4; row++) {
        int in[4], res[4];
        for (int k = 0; k < 4; k++)
            in[k] = mid[4 * row + k];
        ref_iwht_1d(in, res);
        for (int k = 0; k < 4; k++)
            out[4 * row + k] = (int16_t)((res[k] + 3) >> 3);
    }
}

static void test_idct_random(Tests *t, const Vp8IdctDsp *dsp)
{
    for (int trial = 0; trial < TRIALS; trial++) {
        uint8_t canvas[CANVAS * CANVAS], expect[CANVAS * CANVAS];
        int16_t block[16], residual[16];
        fill_random(&t->rng, canvas, sizeof(canvas));
        int nonzero = rng_range(&t->rng, 1, 16);
        memset(block, 0, sizeof(block));
        for (int k = 0; k < nonzero; k++)
            block[rng_range(&t->rng, 0, 15)] = rng_coeff(&t->rng);

        memcpy(expect, canvas, sizeof(canvas));
        uint8_t *dst = canvas + ORIGIN * CANVAS + ORIGIN;
        ref_idct(block, residual);
        ref_add(expect + ORIGIN * CANVAS + ORIGIN, CANVAS, residual);
        dsp->idct_add(dst, CANVAS, block);
        check(t, memcmp(canvas, expect, sizeof(canvas)) == 0, "idct_add vs reference", trial);
        check(t, all_zero(block, 16), "idct_add zeroes its block", trial);
    }
}

static void test_idct_dc_only(Tests *t, const Vp8IdctDsp *dsp)
{
    for (int trial = 0; trial < TRIALS; trial++) {
        uint8_t full[CANVAS * CANVAS], dc[CANVAS * CANVAS], expect[CANVAS * CANVAS];
        int16_t block_full[16] = { 0 }, block_dc[16] = { 0 };
        fill_random(&t->rng, full, sizeof(full));
        memcpy(dc, full, sizeof(full));
        memcpy(expect, full, sizeof(full));
        int16_t value = trial < 2 ? (int16_t)(trial == 0 ? 32767 : -32768) : rng_coeff(&t->rng);
        block_full[0] = value;
        block_dc[0] = value;

        int add = (value + 4) >> 3;
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++) {
                int pos = (ORIGIN + y) * CANVAS + ORIGIN + x;
                expect[pos] = clip255(expect[pos] + add);
            }

        dsp->idct_add(full + ORIGIN * CANVAS + ORIGIN, CANVAS, block_full);
        dsp->idct_dc_add(dc + ORIGIN * CANVAS + ORIGIN, CANVAS, block_dc);
        check(t, memcmp(full, dc, sizeof(full)) == 0, "idct_add of DC-only == idct_dc_add", trial);
        check(t, memcmp(dc, expect, sizeof(dc)) == 0, "idct_dc_add adds (dc + 4) >> 3", trial);
        check(t, all_zero(block_dc, 16) && all_zero(block_full, 16), "DC-only paths zero", trial);
    }
}

/* Hand-derived: with block[0] = block[8] = 32767 the first pass produces 65534 in rows 0 and 3,
 * which wraps to -2 in 16 bits; the second pass then gives (-2 + 4) >> 3 = 0. Without the wrap
 * the residual would be 8192 and every pixel would saturate. */
static void test_idct_wrap(Tests *t, const Vp8IdctDsp *dsp)
{
    uint8_t canvas[CANVAS * CANVAS], before[CANVAS * CANVAS];
    int16_t block[16] = { 0 };
    block[0] = 32767;
    block[8] = 32767;
    fill_random(&t->rng, canvas, sizeof(canvas));
    memcpy(before, canvas, sizeof(canvas));
    dsp->idct_add(canvas + ORIGIN * CANVAS + ORIGIN, CANVAS, block);
    check(t, memcmp(canvas, before, sizeof(canvas)) == 0, "idct 16-bit intermediate wraps", 0);
}

/* Hand-derived: a single coefficient at row 0, column 1 passes through the first pass as a
 * constant column, so every row of the residual is the 1-D transform of (0, v, 0, 0). */
static void test_idct_single_ac(Tests *t, const Vp8IdctDsp *dsp)
{
    static const int values[] = { 1, -1, 7, 100, -100, 1000, -2048, 32767, -32768 };
    for (int n = 0; n < (int)(sizeof(values) / sizeof(values[0])); n++) {
        int v = values[n];
        int cos_part = v + ((v * 20091) >> 16);
        int sin_part = (v * 35468) >> 16;
        int row[4] = { (cos_part + 4) >> 3, (sin_part + 4) >> 3, (-sin_part + 4) >> 3,
                       (-cos_part + 4) >> 3 };
        uint8_t pixels[4 * 4];
        int16_t block[16] = { 0 };
        block[1] = (int16_t)v;
        memset(pixels, 128, sizeof(pixels));
        dsp->idct_add(pixels, 4, block);
        int ok = 1;
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
                ok &= pixels[4 * y + x] == clip255(128 + row[x]);
        check(t, ok, "idct of a single horizontal AC coefficient", n);
    }
}

/* Random per-block eobs; eob <= 1 blocks carry at most a DC (possibly zero). */
static void random_blocks(Rng *rng, int16_t (*blocks)[16], uint8_t *eobs, int count)
{
    for (int i = 0; i < count; i++) {
        memset(blocks[i], 0, sizeof(blocks[i]));
        int eob = rng_range(rng, 0, 16);
        eobs[i] = (uint8_t)eob;
        if (eob <= 1) {
            if (rng_range(rng, 0, 3) != 0)
                blocks[i][0] = rng_coeff(rng);
            continue;
        }
        for (int k = 0; k < eob; k++)
            if (rng_range(rng, 0, 1))
                blocks[i][k] = rng_coeff(rng);
    }
}

static void test_idct_add_y(Tests *t, const Vp8IdctDsp *dsp)
{
    for (int trial = 0; trial < TRIALS / 4; trial++) {
        uint8_t got[CANVAS * CANVAS], expect[CANVAS * CANVAS];
        int16_t blocks[16][16], copy[16][16];
        uint8_t eobs[16];
        fill_random(&t->rng, got, sizeof(got));
        memcpy(expect, got, sizeof(got));
        random_blocks(&t->rng, blocks, eobs, 16);
        memcpy(copy, blocks, sizeof(blocks));

        dsp->idct_add_y(got + ORIGIN * CANVAS + ORIGIN, CANVAS, blocks, eobs);
        for (int i = 0; i < 16; i++) {
            int y = ORIGIN + (i / 4) * 4, x = ORIGIN + (i % 4) * 4;
            vp8_idct_add_c(expect + y * CANVAS + x, CANVAS, copy[i]);
        }
        check(t, memcmp(got, expect, sizeof(got)) == 0, "idct_add_y == 16 separate idct_add",
              trial);
        check(t, all_blocks_zero(blocks, 16), "idct_add_y zeroes all blocks", trial);
    }
}

static void test_idct_add_uv(Tests *t, const Vp8IdctDsp *dsp)
{
    for (int trial = 0; trial < TRIALS / 4; trial++) {
        uint8_t got_u[CANVAS * CANVAS], got_v[CANVAS * CANVAS];
        uint8_t expect_u[CANVAS * CANVAS], expect_v[CANVAS * CANVAS];
        int16_t blocks[8][16], copy[8][16];
        uint8_t eobs[8];
        fill_random(&t->rng, got_u, sizeof(got_u));
        fill_random(&t->rng, got_v, sizeof(got_v));
        memcpy(expect_u, got_u, sizeof(got_u));
        memcpy(expect_v, got_v, sizeof(got_v));
        random_blocks(&t->rng, blocks, eobs, 8);
        memcpy(copy, blocks, sizeof(blocks));

        dsp->idct_add_uv(got_u + ORIGIN * CANVAS + ORIGIN, got_v + ORIGIN * CANVAS + ORIGIN, CANVAS,
                         blocks, eobs);
        for (int i = 0; i < 8; i++) {
            uint8_t *plane = i < 4 ? expect_u : expect_v;
            int y = ORIGIN + ((i % 4) / 2) * 4, x = ORIGIN + (i % 2) * 4;
            vp8_idct_add_c(plane + y * CANVAS + x, CANVAS, copy[i]);
        }
        check(t, memcmp(got_u, expect_u, sizeof(got_u)) == 0 &&
                     memcmp(got_v, expect_v, sizeof(got_v)) == 0,
              "idct_add_uv == 8 separate idct_add", trial);
        check(t, all_blocks_zero(blocks, 8), "idct_add_uv zeroes all blocks", trial);
    }
}

/* Fills every coefficient so that writes to anything but blocks[i][0] are detected. */
static void random_luma_blocks(Rng *rng, int16_t blocks[16][16])
{
    for (int i = 0; i < 16; i++)
        for (int k = 0; k < 16; k++)
            blocks[i][k] = rng_coeff(rng);
}

static int only_dc_changed(int16_t after[16][16], int16_t before[16][16])
{
    for (int i = 0; i < 16; i++)
        for (int k = 1; k < 16; k++)
            if (after[i][k] != before[i][k])
                return 0;
    return 1;
}

static void test_iwht(Tests *t, const Vp8IdctDsp *dsp)
{
    for (int trial = 0; trial < TRIALS; trial++) {
        int16_t blocks[16][16], before[16][16], y2[16], expect[16];
        random_luma_blocks(&t->rng, blocks);
        memcpy(before, blocks, sizeof(blocks));
        memset(y2, 0, sizeof(y2));
        int nonzero = rng_range(&t->rng, 1, 16);
        for (int k = 0; k < nonzero; k++)
            y2[rng_range(&t->rng, 0, 15)] = rng_coeff(&t->rng);

        ref_iwht(y2, expect);
        dsp->iwht(blocks, y2);
        int ok = 1;
        for (int i = 0; i < 16; i++)
            ok &= blocks[i][0] == expect[i];
        check(t, ok, "iwht vs reference", trial);
        check(t, only_dc_changed(blocks, before), "iwht writes only the DCs", trial);
        check(t, all_zero(y2, 16), "iwht zeroes y2", trial);
    }
}

static void test_iwht_dc(Tests *t, const Vp8IdctDsp *dsp)
{
    for (int trial = 0; trial < TRIALS; trial++) {
        int16_t full[16][16], dc[16][16], y2_full[16] = { 0 }, y2_dc[16] = { 0 };
        random_luma_blocks(&t->rng, full);
        memcpy(dc, full, sizeof(full));
        int16_t value = trial < 2 ? (int16_t)(trial == 0 ? 32767 : -32768) : rng_coeff(&t->rng);
        y2_full[0] = value;
        y2_dc[0] = value;

        dsp->iwht(full, y2_full);
        dsp->iwht_dc(dc, y2_dc);
        check(t, memcmp(full, dc, sizeof(full)) == 0, "iwht of DC-only == iwht_dc", trial);
        int ok = 1;
        for (int i = 0; i < 16; i++)
            ok &= dc[i][0] == (value + 3) >> 3;
        check(t, ok, "iwht_dc gives (dc + 3) >> 3", trial);
        check(t, all_zero(y2_dc, 16) && all_zero(y2_full, 16), "iwht DC-only paths zero y2", trial);
    }
}

/* Hand-derived single-coefficient cases and the 16-bit wrap of the intermediate. */
static void test_iwht_hand(Tests *t, const Vp8IdctDsp *dsp)
{
    static const int values[] = { 1, -1, 5, -5, 100, -3000, 32767, -32768 };
    for (int n = 0; n < (int)(sizeof(values) / sizeof(values[0])); n++) {
        int v = values[n];
        int plus = (v + 3) >> 3, minus = (-v + 3) >> 3;
        int16_t blocks[16][16] = { { 0 } }, y2[16] = { 0 };

        /* y2[1] (row 0, column 1): every row becomes (+, +, -, -). */
        y2[1] = (int16_t)v;
        dsp->iwht(blocks, y2);
        int ok = 1;
        for (int i = 0; i < 16; i++)
            ok &= blocks[i][0] == ((i % 4) < 2 ? plus : minus);
        check(t, ok, "iwht of y2[1]", n);

        /* y2[4] (row 1, column 0): every column becomes (+, +, -, -). Here -v is stored in the
         * 16-bit intermediate, so v = -32768 yields -32768 again, not 32768. */
        int minus_wrapped = ((int16_t)(uint16_t)(-v) + 3) >> 3;
        y2[4] = (int16_t)v;
        dsp->iwht(blocks, y2);
        ok = 1;
        for (int i = 0; i < 16; i++)
            ok &= blocks[i][0] == ((i / 4) < 2 ? plus : minus_wrapped);
        check(t, ok, "iwht of y2[4]", n);
    }

    /* y2[0] = y2[12] = 32767: the first pass sum 65534 wraps to -2, so every output is
     * (-2 + 3) >> 3 = 0 or (0 + 3) >> 3 = 0; without the wrap rows 0 and 2 would be 8192. */
    int16_t blocks[16][16] = { { 0 } }, y2[16] = { 0 };
    y2[0] = 32767;
    y2[12] = 32767;
    dsp->iwht(blocks, y2);
    int ok = 1;
    for (int i = 0; i < 16; i++)
        ok &= blocks[i][0] == 0;
    check(t, ok, "iwht 16-bit intermediate wraps", 0);
}

/* ---------------------------------------------------------------------------------------------
 * Whole-block intra prediction
 */

/* Expected prediction of a size x size block from its edges, straight from RFC 12.2. */
static void ref_whole_block(int mode, const uint8_t *above, const uint8_t *left, int above_left,
                            int size, uint8_t *out)
{
    int sum_above = 0, sum_left = 0, log2 = 0;
    for (int i = 0; i < size; i++) {
        sum_above += above[i];
        sum_left += left[i];
    }
    while ((1 << log2) < size)
        log2++;

    for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
            int v = 0;
            switch (mode) {
            case VP8_IPRED_DC: /* 2 * size pixels, shf = log2 + 1 */
                v = (sum_above + sum_left + (1 << log2)) >> (log2 + 1);
                break;
            case VP8_IPRED_V:
                v = above[x];
                break;
            case VP8_IPRED_H:
                v = left[y];
                break;
            case VP8_IPRED_TM:
                v = clip255(left[y] + above[x] - above_left);
                break;
            case VP8_IPRED_DC_LEFT:
                v = (sum_left + (1 << (log2 - 1))) >> log2;
                break;
            case VP8_IPRED_DC_TOP:
                v = (sum_above + (1 << (log2 - 1))) >> log2;
                break;
            default:
                v = 128;
                break;
            }
            out[y * size + x] = (uint8_t)v;
        }
    }
}

static void test_whole_block(Tests *t, const vp8_ipred_fn *table, int size, const char *name)
{
    char what[96];
    for (int trial = 0; trial < TRIALS; trial++) {
        uint8_t canvas[CANVAS * CANVAS], expect[CANVAS * CANVAS];
        uint8_t above[16], left[16], pred[16 * 16];
        fill_random(&t->rng, canvas, sizeof(canvas));
        /* Some trials use flat or extreme edges so clamping and exact averages are hit. */
        if (trial % 8 == 1)
            memset(canvas, 255, sizeof(canvas));
        else if (trial % 8 == 2)
            memset(canvas, 0, sizeof(canvas));
        uint8_t *dst = canvas + ORIGIN * CANVAS + ORIGIN;
        for (int i = 0; i < size; i++) {
            above[i] = dst[-CANVAS + i];
            left[i] = dst[i * CANVAS - 1];
        }
        int above_left = dst[-CANVAS - 1];

        for (int mode = 0; mode < VP8_IPRED_MODES; mode++) {
            uint8_t work[CANVAS * CANVAS];
            memcpy(work, canvas, sizeof(canvas));
            memcpy(expect, canvas, sizeof(canvas));
            ref_whole_block(mode, above, left, above_left, size, pred);
            for (int y = 0; y < size; y++)
                memcpy(expect + (ORIGIN + y) * CANVAS + ORIGIN, pred + y * size, (size_t)size);
            table[mode](work + ORIGIN * CANVAS + ORIGIN, CANVAS);
            snprintf(what, sizeof(what), "%s mode %d vs definition", name, mode);
            check(t, memcmp(work, expect, sizeof(work)) == 0, what, trial);
        }
    }
}

/* A few literal values worked out by hand. */
static void test_whole_block_hand(Tests *t, const Vp8IpredDsp *dsp)
{
    uint8_t canvas[CANVAS * CANVAS];
    uint8_t *dst = canvas + ORIGIN * CANVAS + ORIGIN;

    /* above = 10, left = 20: DC = (160 + 320 + 16) >> 5 = 15, TOP = 10, LEFT = 20. */
    memset(canvas, 20, sizeof(canvas));
    memset(dst - CANVAS - 1, 10, 17);
    dsp->pred16x16[VP8_IPRED_DC](dst, CANVAS);
    check(t, dst[0] == 15 && dst[15 * CANVAS + 15] == 15, "16x16 DC hand value", 0);
    dsp->pred16x16[VP8_IPRED_DC_TOP](dst, CANVAS);
    check(t, dst[0] == 10 && dst[15 * CANVAS + 15] == 10, "16x16 DC_TOP hand value", 0);
    dsp->pred16x16[VP8_IPRED_DC_LEFT](dst, CANVAS);
    check(t, dst[0] == 20 && dst[15 * CANVAS + 15] == 20, "16x16 DC_LEFT hand value", 0);
    dsp->pred16x16[VP8_IPRED_DC_128](dst, CANVAS);
    check(t, dst[0] == 128 && dst[15 * CANVAS + 15] == 128, "16x16 DC_128 hand value", 0);

    /* 8x8 above = 1 except four 2s (sum 12): TOP = (12 + 4) >> 3 = 2 (exact half rounds up). */
    memset(canvas, 0, sizeof(canvas));
    memset(dst - CANVAS, 1, 8);
    memset(dst - CANVAS, 2, 4);
    dsp->pred8x8[VP8_IPRED_DC_TOP](dst, CANVAS);
    check(t, dst[0] == 2 && dst[7 * CANVAS + 7] == 2, "8x8 DC_TOP rounds half up", 0);
    /* Same above row, left all 0: DC = (12 + 0 + 8) >> 4 = 1. */
    dsp->pred8x8[VP8_IPRED_DC](dst, CANVAS);
    check(t, dst[0] == 1 && dst[7 * CANVAS + 7] == 1, "8x8 DC hand value", 0);

    /* TM with left 250, above 200, corner 100: 350 clamps to 255; left 50, above 20,
     * corner 100: -30 clamps to 0. */
    memset(canvas, 250, sizeof(canvas));
    memset(dst - CANVAS, 200, 8);
    dst[-CANVAS - 1] = 100;
    dsp->pred8x8[VP8_IPRED_TM](dst, CANVAS);
    check(t, dst[0] == 255 && dst[7 * CANVAS + 7] == 255, "8x8 TM clamps high", 0);
    memset(canvas, 50, sizeof(canvas));
    memset(dst - CANVAS, 20, 8);
    dst[-CANVAS - 1] = 100;
    dsp->pred8x8[VP8_IPRED_TM](dst, CANVAS);
    check(t, dst[0] == 0 && dst[7 * CANVAS + 7] == 0, "8x8 TM clamps low", 0);
}

/* ---------------------------------------------------------------------------------------------
 * 4x4 subblock intra prediction: a per-pixel transcription of the RFC 12.3 assignments.
 */

static int r_avg2(int x, int y) { return (x + y + 1) >> 1; }
static int r_avg3(int x, int y, int z) { return (x + 2 * y + z + 2) >> 2; }

/* a[0..7] above row incl. above-right, l[0..3] left column, p the above-left pixel. */
static void ref_subblock(int mode, const uint8_t a[8], const uint8_t l[4], int p, int b[4][4])
{
    /* E runs from the bottom of the left column up through P and along the above row. */
    const int e[9] = { l[3], l[2], l[1], l[0], p, a[0], a[1], a[2], a[3] };

    switch (mode) {
    case VP8_B_DC: {
        int v = 4;
        for (int i = 0; i < 4; i++)
            v += a[i] + l[i];
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
                b[r][c] = v >> 3;
        break;
    }
    case VP8_B_TM:
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
                b[r][c] = clip255(l[r] + a[c] - p);
        break;
    case VP8_B_VE: {
        int row[4] = { r_avg3(p, a[0], a[1]), r_avg3(a[0], a[1], a[2]), r_avg3(a[1], a[2], a[3]),
                       r_avg3(a[2], a[3], a[4]) };
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
                b[r][c] = row[c];
        break;
    }
    case VP8_B_HE: {
        int col[4] = { r_avg3(p, l[0], l[1]), r_avg3(l[0], l[1], l[2]), r_avg3(l[1], l[2], l[3]),
                       r_avg3(l[2], l[3], l[3]) };
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
                b[r][c] = col[r];
        break;
    }
    case VP8_B_LD:
        b[0][0] = r_avg3(a[0], a[1], a[2]);
        b[0][1] = b[1][0] = r_avg3(a[1], a[2], a[3]);
        b[0][2] = b[1][1] = b[2][0] = r_avg3(a[2], a[3], a[4]);
        b[0][3] = b[1][2] = b[2][1] = b[3][0] = r_avg3(a[3], a[4], a[5]);
        b[1][3] = b[2][2] = b[3][1] = r_avg3(a[4], a[5], a[6]);
        b[2][3] = b[3][2] = r_avg3(a[5], a[6], a[7]);
        b[3][3] = r_avg3(a[6], a[7], a[7]);
        break;
    case VP8_B_RD:
        b[3][0] = r_avg3(e[0], e[1], e[2]);
        b[3][1] = b[2][0] = r_avg3(e[1], e[2], e[3]);
        b[3][2] = b[2][1] = b[1][0] = r_avg3(e[2], e[3], e[4]);
        b[3][3] = b[2][2] = b[1][1] = b[0][0] = r_avg3(e[3], e[4], e[5]);
        b[2][3] = b[1][2] = b[0][1] = r_avg3(e[4], e[5], e[6]);
        b[1][3] = b[0][2] = r_avg3(e[5], e[6], e[7]);
        b[0][3] = r_avg3(e[6], e[7], e[8]);
        break;
    case VP8_B_VR:
        b[3][0] = r_avg3(e[1], e[2], e[3]);
        b[2][0] = r_avg3(e[2], e[3], e[4]);
        b[3][1] = b[1][0] = r_avg3(e[3], e[4], e[5]);
        b[2][1] = b[0][0] = r_avg2(e[4], e[5]);
        b[3][2] = b[1][1] = r_avg3(e[4], e[5], e[6]);
        b[2][2] = b[0][1] = r_avg2(e[5], e[6]);
        b[3][3] = b[1][2] = r_avg3(e[5], e[6], e[7]);
        b[2][3] = b[0][2] = r_avg2(e[6], e[7]);
        b[1][3] = r_avg3(e[6], e[7], e[8]);
        b[0][3] = r_avg2(e[7], e[8]);
        break;
    case VP8_B_VL:
        b[0][0] = r_avg2(a[0], a[1]);
        b[1][0] = r_avg3(a[0], a[1], a[2]);
        b[2][0] = b[0][1] = r_avg2(a[1], a[2]);
        b[1][1] = b[3][0] = r_avg3(a[1], a[2], a[3]);
        b[2][1] = b[0][2] = r_avg2(a[2], a[3]);
        b[3][1] = b[1][2] = r_avg3(a[2], a[3], a[4]);
        b[2][2] = b[0][3] = r_avg2(a[3], a[4]);
        b[3][2] = b[1][3] = r_avg3(a[3], a[4], a[5]);
        b[2][3] = r_avg3(a[4], a[5], a[6]);
        b[3][3] = r_avg3(a[5], a[6], a[7]);
        break;
    case VP8_B_HD:
        b[3][0] = r_avg2(e[0], e[1]);
        b[3][1] = r_avg3(e[0], e[1], e[2]);
        b[2][0] = b[3][2] = r_avg2(e[1], e[2]);
        b[2][1] = b[3][3] = r_avg3(e[1], e[2], e[3]);
        b[2][2] = b[1][0] = r_avg2(e[2], e[3]);
        b[2][3] = b[1][1] = r_avg3(e[2], e[3], e[4]);
        b[1][2] = b[0][0] = r_avg2(e[3], e[4]);
        b[1][3] = b[0][1] = r_avg3(e[3], e[4], e[5]);
        b[0][2] = r_avg3(e[4], e[5], e[6]);
        b[0][3] = r_avg3(e[5], e[6], e[7]);
        break;
    default: /* VP8_B_HU */
        b[0][0] = r_avg2(l[0], l[1]);
        b[0][1] = r_avg3(l[0], l[1], l[2]);
        b[0][2] = b[1][0] = r_avg2(l[1], l[2]);
        b[0][3] = b[1][1] = r_avg3(l[1], l[2], l[3]);
        b[1][2] = b[2][0] = r_avg2(l[2], l[3]);
        b[1][3] = b[2][1] = r_avg3(l[2], l[3], l[3]);
        b[2][2] = b[2][3] = b[3][0] = b[3][1] = b[3][2] = b[3][3] = l[3];
        break;
    }
}

static void test_subblocks(Tests *t, const Vp8IpredDsp *dsp)
{
    char what[96];
    for (int trial = 0; trial < TRIALS; trial++) {
        uint8_t canvas[CANVAS * CANVAS], topright[4];
        fill_random(&t->rng, canvas, sizeof(canvas));
        fill_random(&t->rng, topright, sizeof(topright));
        if (trial % 8 == 1) {
            memset(canvas, 255, sizeof(canvas));
            memset(topright, 255, sizeof(topright));
        }
        uint8_t *dst = canvas + ORIGIN * CANVAS + ORIGIN;
        /* Half the trials point topright at the pixels right after the above row (the common
         * case inside a macroblock), half at a separate array as for right-column subblocks;
         * in the latter the pixels at dst[-stride + 4..7] must be ignored. */
        const uint8_t *tr = trial % 2 ? topright : dst - CANVAS + 4;

        uint8_t a[8], l[4];
        for (int i = 0; i < 4; i++) {
            a[i] = dst[-CANVAS + i];
            a[4 + i] = tr[i];
            l[i] = dst[i * CANVAS - 1];
        }
        int p = dst[-CANVAS - 1];

        for (int mode = 0; mode < VP8_B_MODES; mode++) {
            uint8_t work[CANVAS * CANVAS], expect[CANVAS * CANVAS];
            int b[4][4];
            memcpy(work, canvas, sizeof(canvas));
            memcpy(expect, canvas, sizeof(canvas));
            ref_subblock(mode, a, l, p, b);
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 4; c++)
                    expect[(ORIGIN + r) * CANVAS + ORIGIN + c] = (uint8_t)b[r][c];
            const uint8_t *work_tr =
                trial % 2 ? topright : work + (ORIGIN - 1) * CANVAS + ORIGIN + 4;
            dsp->pred4x4[mode](work + ORIGIN * CANVAS + ORIGIN, CANVAS, work_tr);
            snprintf(what, sizeof(what), "4x4 mode %d vs RFC per-pixel table", mode);
            check(t, memcmp(work, expect, sizeof(work)) == 0, what, trial);
        }
    }
}

static void test_tables(Tests *t, const Vp8IdctDsp *idct, const Vp8IpredDsp *ipred)
{
    int ok = idct->idct_add == vp8_idct_add_c && idct->idct_dc_add == vp8_idct_dc_add_c &&
             idct->idct_add_y == vp8_idct_add_y_c && idct->idct_add_uv == vp8_idct_add_uv_c &&
             idct->iwht == vp8_iwht_c && idct->iwht_dc == vp8_iwht_dc_c;
    check(t, ok, "vp8_idct_dsp_init installs the C kernels", 0);

    static const vp8_ipred_fn c16[VP8_IPRED_MODES] = {
        vp8_pred16x16_dc_c, vp8_pred16x16_v_c, vp8_pred16x16_h_c, vp8_pred16x16_tm_c,
        vp8_pred16x16_dc_left_c, vp8_pred16x16_dc_top_c, vp8_pred16x16_dc_128_c,
    };
    static const vp8_ipred_fn c8[VP8_IPRED_MODES] = {
        vp8_pred8x8_dc_c, vp8_pred8x8_v_c, vp8_pred8x8_h_c, vp8_pred8x8_tm_c,
        vp8_pred8x8_dc_left_c, vp8_pred8x8_dc_top_c, vp8_pred8x8_dc_128_c,
    };
    static const vp8_ipred4_fn c4[VP8_B_MODES] = {
        vp8_pred4x4_dc_c, vp8_pred4x4_tm_c, vp8_pred4x4_ve_c, vp8_pred4x4_he_c, vp8_pred4x4_ld_c,
        vp8_pred4x4_rd_c, vp8_pred4x4_vr_c, vp8_pred4x4_vl_c, vp8_pred4x4_hd_c, vp8_pred4x4_hu_c,
    };
    ok = 1;
    for (int m = 0; m < VP8_IPRED_MODES; m++)
        ok &= ipred->pred16x16[m] == c16[m] && ipred->pred8x8[m] == c8[m];
    for (int m = 0; m < VP8_B_MODES; m++)
        ok &= ipred->pred4x4[m] == c4[m];
    check(t, ok, "vp8_ipred_dsp_init installs the C kernels", 0);
}

int main(void)
{
    Tests t = { .rng = { 0x9e3779b9u }, .passed = 0, .failed = 0 };
    Vp8IdctDsp idct;
    Vp8IpredDsp ipred;
    memset(&idct, 0, sizeof(idct));
    memset(&ipred, 0, sizeof(ipred));
    vp8_idct_dsp_init(&idct, 0);
    vp8_ipred_dsp_init(&ipred, 0);

    test_tables(&t, &idct, &ipred);
    test_idct_random(&t, &idct);
    test_idct_dc_only(&t, &idct);
    test_idct_wrap(&t, &idct);
    test_idct_single_ac(&t, &idct);
    test_idct_add_y(&t, &idct);
    test_idct_add_uv(&t, &idct);
    test_iwht(&t, &idct);
    test_iwht_dc(&t, &idct);
    test_iwht_hand(&t, &idct);
    test_whole_block(&t, ipred.pred16x16, 16, "16x16");
    test_whole_block(&t, ipred.pred8x8, 8, "8x8");
    test_whole_block_hand(&t, &ipred);
    test_subblocks(&t, &ipred);

    printf("%d passed, %d failed\n", t.passed, t.failed);
    return t.failed == 0 ? 0 : 1;
}
