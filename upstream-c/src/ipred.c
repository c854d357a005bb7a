/*
 * Intra prediction C fallbacks (RFC 6386 sections 12.2 and 12.3): the 16x16 luma and 8x8 chroma
 * whole-block modes, the ten 4x4 subblock modes, and vp8_ipred_dsp_init which installs them.
 * Every predictor writes in place and reads its edges from the frame buffer (see ipred.h).
 */
#include "ipred.h"

/* Shared by every block size: `log2size` is 4 (16x16), 3 (8x8) or 2 (4x4). */

static int sum_above(const uint8_t *dst, ptrdiff_t stride, int size)
{
    int sum = 0;
    for (int x = 0; x < size; x++)
        sum += dst[-stride + x];
    return sum;
}

static int sum_left(const uint8_t *dst, ptrdiff_t stride, int size)
{
    int sum = 0;
    for (int y = 0; y < size; y++)
        sum += dst[y * stride - 1];
    return sum;
}

static void fill_block(uint8_t *dst, ptrdiff_t stride, int size, int value)
{
    for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
            dst[y * stride + x] = (uint8_t)value;
}

static void pred_dc(uint8_t *dst, ptrdiff_t stride, int log2size)
{
    int size = 1 << log2size;
    int sum = sum_above(dst, stride, size) + sum_left(dst, stride, size);
    /* 2 * size pixels: round to nearest, halves up. */
    fill_block(dst, stride, size, (sum + size) >> (log2size + 1));
}

static void pred_dc_top(uint8_t *dst, ptrdiff_t stride, int log2size)
{
    int size = 1 << log2size;
    fill_block(dst, stride, size, (sum_above(dst, stride, size) + size / 2) >> log2size);
}

static void pred_dc_left(uint8_t *dst, ptrdiff_t stride, int log2size)
{
    int size = 1 << log2size;
    fill_block(dst, stride, size, (sum_left(dst, stride, size) + size / 2) >> log2size);
}

static void pred_v(uint8_t *dst, ptrdiff_t stride, int size)
{
    for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
            dst[y * stride + x] = dst[-stride + x];
}

static void pred_h(uint8_t *dst, ptrdiff_t stride, int size)
{
    for (int y = 0; y < size; y++) {
        uint8_t left = dst[y * stride - 1];
        for (int x = 0; x < size; x++)
            dst[y * stride + x] = left;
    }
}

static void pred_tm(uint8_t *dst, ptrdiff_t stride, int size)
{
    int above_left = dst[-stride - 1];
    for (int y = 0; y < size; y++) {
        int left = dst[y * stride - 1];
        for (int x = 0; x < size; x++)
            dst[y * stride + x] = vp8_clip_pixel(left + dst[-stride + x] - above_left);
    }
}

void vp8_pred16x16_dc_c(uint8_t *dst, ptrdiff_t stride) { pred_dc(dst, stride, 4); }
void vp8_pred16x16_v_c(uint8_t *dst, ptrdiff_t stride) { pred_v(dst, stride, 16); }
void vp8_pred16x16_h_c(uint8_t *dst, ptrdiff_t stride) { pred_h(dst, stride, 16); }
void vp8_pred16x16_tm_c(uint8_t *dst, ptrdiff_t stride) { pred_tm(dst, stride, 16); }
void vp8_pred16x16_dc_left_c(uint8_t *dst, ptrdiff_t stride) { pred_dc_left(dst, stride, 4); }
void vp8_pred16x16_dc_top_c(uint8_t *dst, ptrdiff_t stride) { pred_dc_top(dst, stride, 4); }
void vp8_pred16x16_dc_128_c(uint8_t *dst, ptrdiff_t stride) { fill_block(dst, stride, 16, 128); }

void vp8_pred8x8_dc_c(uint8_t *dst, ptrdiff_t stride) { pred_dc(dst, stride, 3); }
void vp8_pred8x8_v_c(uint8_t *dst, ptrdiff_t stride) { pred_v(dst, stride, 8); }
void vp8_pred8x8_h_c(uint8_t *dst, ptrdiff_t stride) { pred_h(dst, stride, 8); }
void vp8_pred8x8_tm_c(uint8_t *dst, ptrdiff_t stride) { pred_tm(dst, stride, 8); }
void vp8_pred8x8_dc_left_c(uint8_t *dst, ptrdiff_t stride) { pred_dc_left(dst, stride, 3); }
void vp8_pred8x8_dc_top_c(uint8_t *dst, ptrdiff_t stride) { pred_dc_top(dst, stride, 3); }
void vp8_pred8x8_dc_128_c(uint8_t *dst, ptrdiff_t stride) { fill_block(dst, stride, 8, 128); }

/*
 * 4x4 subblocks. The edge is gathered into one array laid out like the RFC's E, extended with
 * the above-right pixels so the diagonal modes can walk it with a single index:
 *   e[0..3]  left column, bottom to top (L[3], L[2], L[1], L[0])
 *   e[4]     above-left pixel P
 *   e[5..8]  above row A[0..3]
 *   e[9..12] above-right A[4..7], taken from `topright`, not from dst (RFC 12.3: right-column
 *            subblocks reuse the pixels above-right of the macroblock)
 * Reading everything up front also keeps the in-place writes from feeding back into the edge.
 */
enum { EDGE4_LEN = 13, EDGE4_P = 4, EDGE4_A = 5 };

static void load_edge4(const uint8_t *dst, ptrdiff_t stride, const uint8_t *topright,
                       uint8_t e[EDGE4_LEN])
{
    for (int i = 0; i < 4; i++) {
        e[3 - i] = dst[i * stride - 1];
        e[EDGE4_A + i] = dst[-stride + i];
        e[EDGE4_A + 4 + i] = topright[i];
    }
    e[EDGE4_P] = dst[-stride - 1];
}

static uint8_t avg2(int x, int y) { return (uint8_t)((x + y + 1) >> 1); }
static uint8_t avg3(int x, int y, int z) { return (uint8_t)((x + 2 * y + z + 2) >> 2); }

/* Smoothed edge pixel centred on e[i]. */
static uint8_t avg3_at(const uint8_t *e, int i) { return avg3(e[i - 1], e[i], e[i + 1]); }
/* Synthetic edge pixel half-way between e[i] and e[i + 1]. */
static uint8_t avg2_at(const uint8_t *e, int i) { return avg2(e[i], e[i + 1]); }

void vp8_pred4x4_dc_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright)
{
    (void)topright;
    pred_dc(dst, stride, 2);
}

void vp8_pred4x4_tm_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright)
{
    (void)topright;
    pred_tm(dst, stride, 4);
}

/* Unlike the 16x16 V mode, the copied row is smoothed, which pulls in P and A[4]. */
void vp8_pred4x4_ve_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright)
{
    uint8_t e[EDGE4_LEN];
    load_edge4(dst, stride, topright, e);
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 4; x++)
            dst[y * stride + x] = avg3_at(e, EDGE4_A + x);
}

/* Smoothed left column; there is no L[4], so the bottom row repeats L[3] in its place. */
void vp8_pred4x4_he_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright)
{
    uint8_t e[EDGE4_LEN];
    load_edge4(dst, stride, topright, e);
    for (int y = 0; y < 4; y++) {
        uint8_t v = y < 3 ? avg3_at(e, 3 - y) : avg3(e[1], e[0], e[0]);
        for (int x = 0; x < 4; x++)
            dst[y * stride + x] = v;
    }
}

/* Down-left diagonals: pixel (y, x) takes the above row smoothed around A[x + y + 1]; A[8]
 * does not exist, so the last diagonal repeats A[7]. */
void vp8_pred4x4_ld_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright)
{
    uint8_t e[EDGE4_LEN];
    load_edge4(dst, stride, topright, e);
    const uint8_t *a = e + EDGE4_A;
    for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
            int d = x + y;
            dst[y * stride + x] = avg3(a[d], a[d + 1], a[vp8_imin(d + 2, 7)]);
        }
    }
}

/* Down-right diagonals: every diagonal continues to the edge through P, which sits at e[4]
 * when x == y, one step along the edge per step off the main diagonal. */
void vp8_pred4x4_rd_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright)
{
    uint8_t e[EDGE4_LEN];
    load_edge4(dst, stride, topright, e);
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 4; x++)
            dst[y * stride + x] = avg3_at(e, EDGE4_P + x - y);
}

/*
 * Vertical-right: lines of slope 2 (two rows down per column right). With z = 2x - y, even z
 * meets the above row half-way between two pixels (avg2), odd z >= -1 meets it on a pixel
 * (avg3). The two lowest-left pixels (z = -2, -3) hit the left column instead.
 */
void vp8_pred4x4_vr_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright)
{
    uint8_t e[EDGE4_LEN];
    load_edge4(dst, stride, topright, e);
    for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
            int z = 2 * x - y;
            uint8_t v;
            if (z < -1)
                v = avg3_at(e, EDGE4_P + 1 + z);
            else if (z % 2 == 0)
                v = avg2_at(e, EDGE4_P + z / 2);
            else
                v = avg3_at(e, EDGE4_P + (z + 1) / 2);
            dst[y * stride + x] = v;
        }
    }
}

/*
 * Vertical-left: lines of slope -2 using only the above row. Even rows take the half-pixel
 * between A[i] and A[i + 1], odd rows the pixel A[i + 1], with i = x + y / 2. The two
 * bottom-right pixels do not follow the pattern (RFC 12.3) and are special-cased.
 */
void vp8_pred4x4_vl_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright)
{
    uint8_t e[EDGE4_LEN];
    load_edge4(dst, stride, topright, e);
    const uint8_t *a = e + EDGE4_A;
    for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
            int i = x + y / 2;
            uint8_t v;
            if (y == 2 && x == 3)
                v = avg3(a[4], a[5], a[6]);
            else if (y == 3 && x == 3)
                v = avg3(a[5], a[6], a[7]);
            else if (y % 2 == 0)
                v = avg2(a[i], a[i + 1]);
            else
                v = avg3(a[i], a[i + 1], a[i + 2]);
            dst[y * stride + x] = v;
        }
    }
}

/*
 * Horizontal-down: the transpose of vertical-right, walking the edge the other way from P.
 * With z = 2y - x, even z takes the half-pixel between two left pixels, odd z >= -1 a
 * left pixel (or P), and the two top-right pixels (z = -2, -3) hit the above row.
 */
void vp8_pred4x4_hd_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright)
{
    uint8_t e[EDGE4_LEN];
    load_edge4(dst, stride, topright, e);
    for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
            int z = 2 * y - x;
            uint8_t v;
            if (z < -1)
                v = avg3_at(e, EDGE4_P - 1 - z);
            else if (z % 2 == 0)
                v = avg2_at(e, EDGE4_P - 1 - z / 2);
            else
                v = avg3_at(e, EDGE4_P - (z + 1) / 2);
            dst[y * stride + x] = v;
        }
    }
}

/*
 * Horizontal-up: lines of slope -1/2 using only the left column, z = 2y + x. Past the bottom of
 * the column there are no pixels, so indices clamp to L[3]; that makes the pattern degrade to
 * avg3(L[2], L[3], L[3]) and then plain L[3], as the RFC specifies.
 */
void vp8_pred4x4_hu_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright)
{
    uint8_t e[EDGE4_LEN];
    load_edge4(dst, stride, topright, e);
    uint8_t left[4];
    for (int i = 0; i < 4; i++)
        left[i] = e[3 - i];
    for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
            int z = 2 * y + x;
            int i = z / 2;
            uint8_t v;
            if (z % 2 == 0)
                v = avg2(left[vp8_imin(i, 3)], left[vp8_imin(i + 1, 3)]);
            else
                v = avg3(left[vp8_imin(i, 3)], left[vp8_imin(i + 1, 3)], left[vp8_imin(i + 2, 3)]);
            dst[y * stride + x] = v;
        }
    }
}

void vp8_ipred_dsp_init(Vp8IpredDsp *dsp, unsigned cpu_flags)
{

    dsp->pred16x16[VP8_IPRED_DC] = vp8_pred16x16_dc_c;
    dsp->pred16x16[VP8_IPRED_V] = vp8_pred16x16_v_c;
    dsp->pred16x16[VP8_IPRED_H] = vp8_pred16x16_h_c;
    dsp->pred16x16[VP8_IPRED_TM] = vp8_pred16x16_tm_c;
    dsp->pred16x16[VP8_IPRED_DC_LEFT] = vp8_pred16x16_dc_left_c;
    dsp->pred16x16[VP8_IPRED_DC_TOP] = vp8_pred16x16_dc_top_c;
    dsp->pred16x16[VP8_IPRED_DC_128] = vp8_pred16x16_dc_128_c;

    dsp->pred8x8[VP8_IPRED_DC] = vp8_pred8x8_dc_c;
    dsp->pred8x8[VP8_IPRED_V] = vp8_pred8x8_v_c;
    dsp->pred8x8[VP8_IPRED_H] = vp8_pred8x8_h_c;
    dsp->pred8x8[VP8_IPRED_TM] = vp8_pred8x8_tm_c;
    dsp->pred8x8[VP8_IPRED_DC_LEFT] = vp8_pred8x8_dc_left_c;
    dsp->pred8x8[VP8_IPRED_DC_TOP] = vp8_pred8x8_dc_top_c;
    dsp->pred8x8[VP8_IPRED_DC_128] = vp8_pred8x8_dc_128_c;

    dsp->pred4x4[VP8_B_DC] = vp8_pred4x4_dc_c;
    dsp->pred4x4[VP8_B_TM] = vp8_pred4x4_tm_c;
    dsp->pred4x4[VP8_B_VE] = vp8_pred4x4_ve_c;
    dsp->pred4x4[VP8_B_HE] = vp8_pred4x4_he_c;
    dsp->pred4x4[VP8_B_LD] = vp8_pred4x4_ld_c;
    dsp->pred4x4[VP8_B_RD] = vp8_pred4x4_rd_c;
    dsp->pred4x4[VP8_B_VR] = vp8_pred4x4_vr_c;
    dsp->pred4x4[VP8_B_VL] = vp8_pred4x4_vl_c;
    dsp->pred4x4[VP8_B_HD] = vp8_pred4x4_hd_c;
    dsp->pred4x4[VP8_B_HU] = vp8_pred4x4_hu_c;
#if defined(__x86_64__)
    vp8_ipred_dsp_init_x86(dsp, cpu_flags);
#else
    (void)cpu_flags;
#endif
}
