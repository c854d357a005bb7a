/*
 * checkasm: the ipred domain (src/ipred.h): the seven 16x16 luma and 8x8 chroma whole-block modes
 * and the ten 4x4 subblock modes.
 *
 * Predictors work in place, reading their edges from the buffer they write (the row above, the
 * column to the left, the above-left pixel) and, for 4x4, four above-right pixels from `topright`.
 * Series 1 predicts a block in a canvas whose every byte is compared afterwards, so a write
 * outside the block is caught as well as a wrong pixel. It varies the stride (minimal = size + 1,
 * where each row's left pixel directly follows the previous row, odd, large, and negative), the
 * block's (unaligned) column, and the pixels. Pixel modes: uniform; all 0; all 255; random 0/255
 * and 0/1/254/255, so TM's clamp sees both ends (L + A - P from -255 to 510) and the DC and avg
 * rounding see their carries; near-extremes; flat areas. topright is either the pixels
 * above-right in the canvas (as the decoder passes it for most subblocks) or a separate array
 * (the decoder's right-column case).
 * Series 2 puts exactly the bytes the C fallback reads and writes (the block plus the edges its
 * mode uses, from the lowest to the highest address) right after or right before an inaccessible
 * page, and topright into 4 bytes against a page (or, for the modes that do not read it, at an
 * inaccessible address), for positive and negative strides: any access outside the contract
 * crashes.
 */
#include <stdio.h>

#include "checkasm.h"
#include "ipred.h"

enum {
    MARGIN_ROWS = 2,                    /* canvas rows above the edge row and below the block */
    MAX_STRIDE = 2200,
    CANVAS_ROWS = 16 + 1 + 2 * MARGIN_ROWS,
};

/* Which edges a mode reads (the C fallback's reads). */
enum { EDGE_ABOVE = 1, EDGE_LEFT = 2, EDGE_CORNER = 4, EDGE_TOPRIGHT = 8 };

typedef struct Slot {
    const char *name;                   /* kernel base name, e.g. "pred16x16_dc_left" */
    int edges;
} Slot;

/* In the order of enum Vp8IpredMode. */
static const Slot whole16[VP8_IPRED_MODES] = {
    { "pred16x16_dc", EDGE_ABOVE | EDGE_LEFT },
    { "pred16x16_v", EDGE_ABOVE },
    { "pred16x16_h", EDGE_LEFT },
    { "pred16x16_tm", EDGE_ABOVE | EDGE_LEFT | EDGE_CORNER },
    { "pred16x16_dc_left", EDGE_LEFT },
    { "pred16x16_dc_top", EDGE_ABOVE },
    { "pred16x16_dc_128", 0 },
};
static const Slot whole8[VP8_IPRED_MODES] = {
    { "pred8x8_dc", EDGE_ABOVE | EDGE_LEFT },
    { "pred8x8_v", EDGE_ABOVE },
    { "pred8x8_h", EDGE_LEFT },
    { "pred8x8_tm", EDGE_ABOVE | EDGE_LEFT | EDGE_CORNER },
    { "pred8x8_dc_left", EDGE_LEFT },
    { "pred8x8_dc_top", EDGE_ABOVE },
    { "pred8x8_dc_128", 0 },
};
/* In the order of enum Vp8BMode. The C gathers the whole edge for every mode but DC and TM. */
#define ALL_EDGES (EDGE_ABOVE | EDGE_LEFT | EDGE_CORNER | EDGE_TOPRIGHT)
static const Slot sub4[VP8_B_MODES] = {
    { "pred4x4_dc", EDGE_ABOVE | EDGE_LEFT },
    { "pred4x4_tm", EDGE_ABOVE | EDGE_LEFT | EDGE_CORNER },
    { "pred4x4_ve", ALL_EDGES },
    { "pred4x4_he", ALL_EDGES },
    { "pred4x4_ld", ALL_EDGES },
    { "pred4x4_rd", ALL_EDGES },
    { "pred4x4_vr", ALL_EDGES },
    { "pred4x4_vl", ALL_EDGES },
    { "pred4x4_hd", ALL_EDGES },
    { "pred4x4_hu", ALL_EDGES },
};

static CHECKASM_ALIGN(32) uint8_t canvas_c[CANVAS_ROWS * MAX_STRIDE];
static CHECKASM_ALIGN(32) uint8_t canvas_a[CANVAS_ROWS * MAX_STRIDE];

enum { PIXEL_MODES = 8 };

static uint8_t rand_pixel(int mode, int level)
{
    uint32_t r = checkasm_rand();
    switch (mode) {
    case 0: return (uint8_t)r;                                   /* uniform */
    case 1: return 0;
    case 2: return 255;
    case 3: return (r & 1) ? 255 : 0;                            /* TM clamp at both ends */
    case 4: {                                                    /* ... and one step inside */
        static const uint8_t v[4] = { 0, 1, 254, 255 };
        return v[r & 3];
    }
    case 5: return (uint8_t)((r & 1) ? 250 + (r >> 1) % 6 : (r >> 1) % 6);
    case 6: return (uint8_t)(level + (int)((r >> 8) % 3) - 1);   /* flat: rounding ties */
    default: return (uint8_t)(level + (int)((r >> 8) % 9) - 4);
    }
}

static void fill(uint8_t *p, size_t n, int mode)
{
    int level = checkasm_rand_range(4, 251);
    for (size_t i = 0; i < n; i++)
        p[i] = rand_pixel(mode, level);
}

static ptrdiff_t rand_stride(int size)
{
    ptrdiff_t s;
    switch (checkasm_rand_range(0, 4)) {
    case 0: s = size + 1; break;                                 /* minimal */
    case 1: s = size + 2 * checkasm_rand_range(0, 20) + 1; break;/* odd */
    case 2: s = checkasm_rand_range(size + 1, 96); break;
    case 3: s = checkasm_rand_range(1024, MAX_STRIDE); break;
    default: s = 64; break;
    }
    return checkasm_rand_range(0, 3) == 0 ? -s : s;
}

typedef void (*call4_fn)(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);

/* One call of the C fallback and of the kernel; size 4 passes topright. */
static void run_pair(checkasm_fn ref, checkasm_fn fn, int size, uint8_t *dst_c, uint8_t *dst_a,
                     ptrdiff_t stride, const uint8_t *tr_c, const uint8_t *tr_a)
{
    if (size == 4) {
        ((call4_fn)ref)(dst_c, stride, tr_c);
        checkasm_call_checked((call4_fn)fn, dst_a, stride, tr_a);
    } else {
        ((vp8_ipred_fn)ref)(dst_c, stride);
        checkasm_call_checked((vp8_ipred_fn)fn, dst_a, stride);
    }
}

/* Series 1: the block in a canvas compared whole. */
static void test_canvas(checkasm_fn ref, checkasm_fn fn, int size)
{
    char what[200];
    for (int it = 0; it < CHECKASM_ITERATIONS && !checkasm_failed(); it++) {
        ptrdiff_t stride = rand_stride(size);
        ptrdiff_t as = stride < 0 ? -stride : stride;
        int rows = size + 1 + 2 * MARGIN_ROWS;
        int mode = checkasm_rand_range(0, PIXEL_MODES - 1);
        /* block column: at least one pixel to its left, random alignment where the stride
         * leaves room (4x4 topright from the canvas needs 4 more pixels in the edge row) */
        int room = (int)as - size - 1;
        int x0 = 1 + (room > 0 ? checkasm_rand_range(0, room < 40 ? room : 40) : 0);
        /* memory row of the block's row 0: rows grow downwards in memory for a positive stride */
        int mem_row0 = stride > 0 ? MARGIN_ROWS + 1 : MARGIN_ROWS + size - 1;
        size_t off = (size_t)mem_row0 * (size_t)as + (size_t)x0;
        uint8_t tr_sep[4];

        fill(canvas_c, (size_t)(rows * as), mode);
        memcpy(canvas_a, canvas_c, (size_t)(rows * as));
        fill(tr_sep, sizeof tr_sep, mode);
        int tr_in_canvas = size == 4 && x0 + 8 <= as && (checkasm_rand() & 1);
        const uint8_t *tr_c = tr_in_canvas ? canvas_c + off - stride + 4 : tr_sep;
        const uint8_t *tr_a = tr_in_canvas ? canvas_a + off - stride + 4 : tr_sep;

        run_pair(ref, fn, size, canvas_c + off, canvas_a + off, stride, tr_c, tr_a);
        snprintf(what, sizeof what,
                 "canvas (memory rows, stride %td, block at column %d, memory row %d, pixel mode %d, "
                 "topright %s, iteration %d)",
                 stride, x0, mem_row0, mode, size != 4 ? "unused" : tr_in_canvas ? "in canvas" : "separate",
                 it);
        if (!checkasm_check_u8(what, canvas_c, as, canvas_a, as, (int)as, rows))
            break;
    }
}

/* Offsets relative to dst of the lowest and highest byte the mode touches. */
static void footprint(int edges, int size, ptrdiff_t stride, ptrdiff_t *lo, ptrdiff_t *hi)
{
    ptrdiff_t first = 0, last = (ptrdiff_t)(size - 1) * stride;     /* row 0 and row size-1 */
    *lo = (first < last ? first : last);
    *hi = (first > last ? first : last) + size - 1;
    if (edges & EDGE_LEFT) {
        ptrdiff_t a = -1, b = (ptrdiff_t)(size - 1) * stride - 1;
        *lo = a < *lo ? a : *lo;
        *lo = b < *lo ? b : *lo;
    }
    if (edges & (EDGE_ABOVE | EDGE_CORNER)) {
        ptrdiff_t a = -stride - ((edges & EDGE_CORNER) ? 1 : 0), b = -stride + size - 1;
        *lo = a < *lo ? a : *lo;
        *hi = b > *hi ? b : *hi;
    }
}

/* Series 2: exactly the bytes the mode touches, against an inaccessible page. */
static void test_guarded(const Slot *slot, checkasm_fn ref, checkasm_fn fn, int size)
{
    static CHECKASM_ALIGN(32) uint8_t copy[CANVAS_ROWS * 64];
    char what[200];
    const ptrdiff_t strides[4] = { size + 1, size + 8, -(size + 1), -(size + 8) };
    uint8_t *buf[4][2];
    ptrdiff_t lo[4], hi[4];
    for (int s = 0; s < 4; s++) {
        footprint(slot->edges, size, strides[s], &lo[s], &hi[s]);
        for (int at_end = 0; at_end < 2; at_end++)
            buf[s][at_end] = checkasm_guarded_alloc((size_t)(hi[s] - lo[s] + 1), at_end);
    }
    /* topright: 4 readable bytes against a page, or none at all for modes that do not read it */
    uint8_t *tr_g[2];
    for (int at_end = 0; at_end < 2; at_end++)
        tr_g[at_end] = checkasm_guarded_alloc((slot->edges & EDGE_TOPRIGHT) ? 4 : 0, at_end);

    for (int it = 0; it < 64 && !checkasm_failed(); it++) {
        int s = it & 3, at_end = (it >> 2) & 1, mode = it % PIXEL_MODES;
        size_t n = (size_t)(hi[s] - lo[s] + 1);
        uint8_t *g = buf[s][at_end];
        uint8_t tr_c[4];
        fill(g, n, mode);
        memcpy(copy, g, n);
        fill(tr_c, sizeof tr_c, mode);
        if (slot->edges & EDGE_TOPRIGHT)
            memcpy(tr_g[at_end], tr_c, sizeof tr_c);
        run_pair(ref, fn, size, copy - lo[s], g - lo[s], strides[s], tr_c, tr_g[at_end]);
        snprintf(what, sizeof what, "guarded footprint (%zu bytes, stride %td, guard %s, pixel mode %d)",
                 n, strides[s], at_end ? "after" : "before", mode);
        if (!checkasm_check_u8(what, copy, (ptrdiff_t)n, g, (ptrdiff_t)n, (int)n, 1))
            break;
    }
}

static void bench(checkasm_fn ref, checkasm_fn fn, int size)
{
    if (!checkasm_bench_enabled())
        return;
    /* A decoder-like stride; the block and its edges stay in cache. */
    const ptrdiff_t stride = 1376;
    uint8_t *dst = canvas_a + 2 * stride + 32;
    fill(canvas_a, (size_t)(CANVAS_ROWS * stride), 0);
    if (size == 4) {
        const uint8_t *tr = dst - stride + 4;
        CHECKASM_BENCH(, ((call4_fn)fn), ((call4_fn)ref), dst, stride, tr);
    } else {
        CHECKASM_BENCH(, ((vp8_ipred_fn)fn), ((vp8_ipred_fn)ref), dst, stride);
    }
}

static void test_slot(const Slot *slot, checkasm_fn ref, checkasm_fn fn, int size)
{
    if (!checkasm_check_func(fn, slot->name))
        return;
    test_canvas(ref, fn, size);
    test_guarded(slot, ref, fn, size);
    bench(ref, fn, size);
}

void checkasm_check_ipred(void)
{
    Vp8IpredDsp ref, dsp;
    vp8_ipred_dsp_init(&ref, 0);
    vp8_ipred_dsp_init(&dsp, checkasm_cpu_flags());

    for (int m = 0; m < VP8_IPRED_MODES; m++)
        test_slot(&whole16[m], (checkasm_fn)ref.pred16x16[m], (checkasm_fn)dsp.pred16x16[m], 16);
    for (int m = 0; m < VP8_IPRED_MODES; m++)
        test_slot(&whole8[m], (checkasm_fn)ref.pred8x8[m], (checkasm_fn)dsp.pred8x8[m], 8);
    for (int m = 0; m < VP8_B_MODES; m++)
        test_slot(&sub4[m], (checkasm_fn)ref.pred4x4[m], (checkasm_fn)dsp.pred4x4[m], 4);
}
