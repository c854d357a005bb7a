/*
 * checkasm: the loopfilter domain (src/loopfilter.h): normal macroblock-edge and subblock-edge
 * filters (luma, chroma U+V), simple filter; top (horizontal) and left (vertical) edges.
 *
 * Every kernel runs on pixel patterns that reach every branch of the filter: uniform random,
 * smooth gradients, blocky steps at 4- or 8-pixel spacing (the filters switch on and off along
 * the edge), extremes 0..3 / 252..255 and 0 | 255 steps (the signed-byte saturations), flat areas
 * with a step only at the edge. Thresholds come from the decoder's own derivation (random level
 * and sharpness, key and inter frames), from the documented range with its end values, and
 * exactly at, or one below, the edge / interior / hev metric of a random position of the edge,
 * where the filter just turns on or off. Strides: minimal (the region's width: rows touch),
 * minimal + 1, odd, large, and negative. The canvas around the region is compared whole, so
 * writes outside it are caught. A second series puts the region right after or right before an
 * inaccessible page (minimal and odd strides, positive and negative): reads outside the contract
 * crash.
 */
#include <stdio.h>
#include <stdlib.h>

#include "checkasm.h"
#include "loopfilter.h"

enum { LUMA, CHROMA, SIMPLE };

typedef struct LfKernel {
    const char *name;
    int kind;
    int left;               /* vertical edge: filtered along rows */
    int inner;              /* subblock edges: thresholds of an inner edge */
    int r0, r1, c0, c1;     /* the rows and columns the kernel may access, relative to dst */
} LfKernel;

/* In the order of the Vp8LoopfilterDsp fields. */
static const LfKernel lf_kernels[12] = {
    { "lf_mb_top_y", LUMA, 0, 0, -4, 3, 0, 15 },
    { "lf_mb_left_y", LUMA, 1, 0, 0, 15, -4, 3 },
    { "lf_inner_top_y", LUMA, 0, 1, 0, 15, 0, 15 },
    { "lf_inner_left_y", LUMA, 1, 1, 0, 15, 0, 15 },
    { "lf_mb_top_uv", CHROMA, 0, 0, -4, 3, 0, 7 },
    { "lf_mb_left_uv", CHROMA, 1, 0, 0, 7, -4, 3 },
    { "lf_inner_top_uv", CHROMA, 0, 1, 0, 7, 0, 7 },
    { "lf_inner_left_uv", CHROMA, 1, 1, 0, 7, 0, 7 },
    { "lf_simple_mb_top", SIMPLE, 0, 0, -2, 1, 0, 15 },
    { "lf_simple_mb_left", SIMPLE, 1, 0, 0, 15, -2, 1 },
    { "lf_simple_inner_top", SIMPLE, 0, 1, 2, 13, 0, 15 },
    { "lf_simple_inner_left", SIMPLE, 1, 1, 0, 15, 2, 13 },
};

enum {
    MAX_STRIDE = 2200,
    MARGIN_ROWS = 2,        /* canvas rows beyond the region on each side */
    V_GAP_ROWS = 4,         /* rows between the U and the V region */
    CANVAS_ROWS = 2 * (20 + V_GAP_ROWS) + 2 * MARGIN_ROWS,
    PIXEL_MODES = 7,
    THRESH_MODES = 4,
};

static CHECKASM_ALIGN(32) uint8_t canvas_c[CANVAS_ROWS * MAX_STRIDE];
static CHECKASM_ALIGN(32) uint8_t canvas_a[CANVAS_ROWS * MAX_STRIDE];
static CHECKASM_ALIGN(32) uint8_t canvas_saved[CANVAS_ROWS * MAX_STRIDE];

static uint8_t clip_u8(int v)
{
    return (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
}

static int iabs(int v)
{
    return v < 0 ? -v : v;
}

/* Fill the kernel's region of one plane (dst at p) with pixels of one mode. `across` is the
 * coordinate across the edges (row for top edges, column for left ones). */
static void fill_region(const LfKernel *k, uint8_t *p, ptrdiff_t stride, int mode)
{
    const int base = checkasm_rand_range(0, 255), step = checkasm_rand_range(-80, 80);
    const int noise = checkasm_rand_range(0, 6), grad = checkasm_rand_range(-6, 6);
    const int blk = checkasm_rand_range(0, 1) ? 4 : 8;
    for (int r = k->r0; r <= k->r1; r++)
        for (int c = k->c0; c <= k->c1; c++) {
            const int across = k->left ? c : r, along = k->left ? r : c;
            const int n = checkasm_rand_range(-noise, noise);
            const int odd_block = ((across + 64) / blk) & 1;
            int v;
            switch (mode) {
            case 0: v = (int)(checkasm_rand() & 255); break;                    /* uniform */
            case 1: v = base + grad * across + (along & 3) + n; break;          /* smooth */
            case 2: v = base + step * odd_block + grad * along / 4 + n; break;  /* blocky */
            case 3:                                                              /* extremes */
                v = (checkasm_rand() & 1) ? checkasm_rand_range(0, 3) : checkasm_rand_range(252, 255);
                break;
            case 4: v = odd_block ? 255 - iabs(n) : iabs(n); break;             /* 0 | 255 steps */
            case 5: v = base + n / 2 + ((across + 64) % blk == 0 ? step : 0); break;
            default: v = base + (odd_block ? step : 0); break;                  /* clean steps */
            }
            p[r * stride + c] = clip_u8(v);
        }
}

/* E, I, H for one call. Modes: 0 as the decoder derives them, 1 anywhere in the documented range
 * (loopfilter.h of vp8asm: E <= 254, I and H <= 255) with its end values, 2 exactly at or one
 * below the metrics of a random position of the kernel's first edge, 3 one of those three, the
 * others wide open. */
static void pick_thresholds(const LfKernel *k, const uint8_t *dst, ptrdiff_t stride, int mode,
                            int *e, int *i, int *h)
{
    if (mode == 0) {
        const int level = checkasm_rand_range(1, 63), sharp = checkasm_rand_range(0, 7);
        const int key = checkasm_rand_range(0, 1);
        int interior = level;
        if (sharp) {
            interior >>= sharp > 4 ? 2 : 1;
            if (interior > 9 - sharp)
                interior = 9 - sharp;
        }
        if (interior < 1)
            interior = 1;
        *h = key ? (level >= 40 ? 2 : (level >= 15 ? 1 : 0))
                 : (level >= 40 ? 3 : (level >= 20 ? 2 : (level >= 15 ? 1 : 0)));
        *e = k->inner ? level * 2 + interior : (level + 2) * 2 + interior;
        *i = interior;
        return;
    }
    if (mode == 1) {
        static const int e_ends[] = { 0, 1, 193, 253, 254 }, i_ends[] = { 0, 1, 63, 254, 255 },
                         h_ends[] = { 0, 1, 3, 254, 255 };
        *e = checkasm_rand_range(0, 3) ? checkasm_rand_range(0, 254) : e_ends[checkasm_rand_range(0, 4)];
        *i = checkasm_rand_range(0, 3) ? checkasm_rand_range(0, 255) : i_ends[checkasm_rand_range(0, 4)];
        *h = checkasm_rand_range(0, 3) ? checkasm_rand_range(0, 255) : h_ends[checkasm_rand_range(0, 4)];
        return;
    }
    /* the first edge: at 0, or at 4 for inner edges; simple kernels read only p1..q1 */
    const int pos = checkasm_rand_range(0, k->kind == CHROMA ? 7 : 15), at = k->inner ? 4 : 0;
    const ptrdiff_t step = k->left ? 1 : stride;
    const uint8_t *q0p = k->left ? dst + pos * stride + at : dst + at * stride + pos;
    const int p1 = q0p[-2 * step], p0 = q0p[-step], q0 = q0p[0], q1 = q0p[step];
    const int edge = iabs(p0 - q0) * 2 + (iabs(p1 - q1) >> 1);
    int hev = iabs(p1 - p0) > iabs(q1 - q0) ? iabs(p1 - p0) : iabs(q1 - q0), interior = hev;
    if (k->kind != SIMPLE) {
        const int p3 = q0p[-4 * step], p2 = q0p[-3 * step], q2 = q0p[2 * step], q3 = q0p[3 * step];
        const int d[4] = { iabs(p3 - p2), iabs(p2 - p1), iabs(q2 - q1), iabs(q3 - q2) };
        for (int j = 0; j < 4; j++)
            if (d[j] > interior)
                interior = d[j];
    }
    *e = edge - (int)(checkasm_rand() & 1);
    *i = interior - (int)(checkasm_rand() & 1);
    *h = hev - (int)(checkasm_rand() & 1);
    if (*e > 254)
        *e = checkasm_rand_range(0, 254);
    if (*e < 0)
        *e = 0;
    if (*i < 0)
        *i = 0;
    if (*h < 0)
        *h = 0;
    if (mode == 3) {
        const int which = checkasm_rand_range(0, 2);
        if (which != 0)
            *e = 254;
        if (which != 1)
            *i = 255;
        if (which != 2 && (checkasm_rand() & 1))
            *h = 255;
    }
}

static void call_ref(const LfKernel *k, checkasm_fn fn, uint8_t *u, uint8_t *v, ptrdiff_t s,
                     int e, int i, int h)
{
    if (k->kind == LUMA)
        ((vp8_lf_luma_fn)fn)(u, s, e, i, h);
    else if (k->kind == CHROMA)
        ((vp8_lf_chroma_fn)fn)(u, v, s, e, i, h);
    else
        ((vp8_lf_simple_fn)fn)(u, s, e);
}

static void call_asm(const LfKernel *k, checkasm_fn fn, uint8_t *u, uint8_t *v, ptrdiff_t s,
                     int e, int i, int h)
{
    if (k->kind == LUMA)
        checkasm_call_checked(fn, u, s, e, i, h);
    else if (k->kind == CHROMA)
        checkasm_call_checked(fn, u, v, s, e, i, h);
    else
        checkasm_call_checked(fn, u, s, e);
}

static ptrdiff_t rand_stride(int width)
{
    ptrdiff_t s;
    switch (checkasm_rand_range(0, 5)) {
    case 0: s = width; break;                                        /* minimal: rows touch */
    case 1: s = width + 1; break;
    case 2: s = width + 2 * checkasm_rand_range(0, 20) + 1; break;   /* odd */
    case 3: s = 32; break;
    case 4: s = checkasm_rand_range(1024, MAX_STRIDE); break;
    default: s = checkasm_rand_range(width, 96); break;
    }
    return checkasm_rand_range(0, 3) ? s : -s;                      /* a quarter negative */
}

static void test_lf(const LfKernel *k, checkasm_fn ref, checkasm_fn fn)
{
    const int width = k->c1 - k->c0 + 1, rows = k->r1 - k->r0 + 1;
    char what[200];

    /* Random series on a canvas: the region of U (or luma) MARGIN_ROWS rows in, V below it. */
    for (int it = 0; it < 2 * CHECKASM_ITERATIONS && !checkasm_failed(); it++) {
        const ptrdiff_t s = rand_stride(width), as = s < 0 ? -s : s;
        const int pmode = checkasm_rand_range(0, PIXEL_MODES - 1);
        const int tmode = (it / 2) % THRESH_MODES;
        /* first region row in canvas order (the lowest address), then dst */
        const int first_row = MARGIN_ROWS;
        const int col0 = 4 + checkasm_rand_range(0, as > width + 8 ? 4 : 0);
        const ptrdiff_t dst_off = s > 0 ? (first_row - k->r0) * as + col0 - k->c0
                                        : (first_row + k->r1) * as + col0 - k->c0;
        const size_t size = (size_t)(CANVAS_ROWS * as);
        int e, i, h;
        checkasm_rand_bytes(canvas_c, size);
        /* V: the same region V_GAP_ROWS canvas rows further on (with the minimal stride the
         * region's rows run into each other: it is then one contiguous span) */
        uint8_t *u_c = canvas_c + dst_off, *v_c = u_c + (rows + V_GAP_ROWS) * as;
        fill_region(k, u_c, s, pmode);
        if (k->kind == CHROMA)
            fill_region(k, v_c, s, checkasm_rand_range(0, 1) ? pmode : checkasm_rand_range(0, PIXEL_MODES - 1));
        pick_thresholds(k, u_c, s, tmode, &e, &i, &h);
        memcpy(canvas_a, canvas_c, size);
        call_ref(k, ref, u_c, v_c, s, e, i, h);
        call_asm(k, fn, canvas_a + (u_c - canvas_c), canvas_a + (v_c - canvas_c), s, e, i, h);
        snprintf(what, sizeof what,
                 "canvas (stride %td, E %d, I %d, H %d, pixel mode %d, threshold mode %d, "
                 "iteration %d; dst at canvas (%td,%td)%s)",
                 s, e, i, h, pmode, tmode, it, (u_c - canvas_c) % as, (u_c - canvas_c) / as,
                 k->kind == CHROMA ? ", V below U" : "");
        if (!checkasm_check_u8(what, canvas_c, as, canvas_a, as, (int)as, CANVAS_ROWS))
            return;
    }

    /* Guarded series: the region (U and V back to back for chroma) is the whole allocation, its
     * first byte right after an inaccessible page or its last byte right before one. */
    uint8_t *guarded[2][2];
    size_t guarded_n[2];
    for (int odd = 0; odd < 2; odd++) {
        const ptrdiff_t as = odd ? width + 3 : width;
        const size_t plane = (size_t)((rows - 1) * as + width);
        guarded_n[odd] = k->kind == CHROMA ? 2 * plane + (size_t)as : plane;
        for (int at_end = 0; at_end < 2; at_end++)
            guarded[odd][at_end] = checkasm_guarded_alloc(guarded_n[odd], at_end);
    }
    for (int it = 0; it < 256 && !checkasm_failed(); it++) {
        const int at_end = it & 1, neg = (it >> 1) & 1, odd = (it >> 2) & 1;
        const ptrdiff_t as = odd ? width + 3 : width, s = neg ? -as : as;
        const size_t plane = (size_t)((rows - 1) * as + width), n = guarded_n[odd];
        uint8_t *buf = guarded[odd][at_end];
        uint8_t *ref_buf = canvas_c;
        int e, i, h;
        /* lowest accessed byte: row r0 (s > 0) or r1 (s < 0), column c0 */
        uint8_t *u = buf + (s > 0 ? -k->r0 * as : k->r1 * as) - k->c0;
        uint8_t *v = u + (ptrdiff_t)(plane + (size_t)as);
        checkasm_rand_bytes(buf, n);
        fill_region(k, u, s, it % PIXEL_MODES);
        if (k->kind == CHROMA)
            fill_region(k, v, s, (it / 3) % PIXEL_MODES);
        pick_thresholds(k, u, s, (it >> 3) % THRESH_MODES, &e, &i, &h);
        memcpy(ref_buf, buf, n);
        call_ref(k, ref, ref_buf + (u - buf), ref_buf + (v - buf), s, e, i, h);
        call_asm(k, fn, u, v, s, e, i, h);
        snprintf(what, sizeof what,
                 "guarded region (stride %td, guard %s, E %d, I %d, H %d, iteration %d)", s,
                 at_end ? "after" : "before", e, i, h, it);
        if (!checkasm_check_u8(what, ref_buf, (ptrdiff_t)n, buf, (ptrdiff_t)n, (int)n, 1))
            return;
    }

    if (checkasm_bench_enabled()) {
        /* Deblocking-like content, the same for every seed: a gentle gradient with steps of 6 at
         * the 4-pixel block edges and +-2 noise, thresholds of level 32 on an inter frame (most
         * positions are filtered, as in a decoder at that level). The rows the kernel touches
         * are restored before every call (prep; its cost is subtracted). */
        const ptrdiff_t s = 32;
        const int nrows = k->kind == CHROMA ? 2 * rows + V_GAP_ROWS : rows;
        uint8_t *u = canvas_a + (0 - k->r0) * s + 8, *v = u + (rows + V_GAP_ROWS) * s;
        const size_t size = (size_t)(nrows * s);
        const int level = 32, interior = 32, hev = 2;
        const int e = k->inner ? level * 2 + interior : (level + 2) * 2 + interior;
        for (int r = 0; r < nrows; r++)
            for (int c = 0; c < s; c++) {
                const int across = k->left ? c : r, along = k->left ? r : c;
                canvas_saved[r * s + c] = clip_u8(100 + along + 6 * (((across + 8 - 8 * k->left) >> 2) & 1) +
                                                  checkasm_rand_range(-2, 2));
            }
        memcpy(canvas_a, canvas_saved, size);
        if (k->kind == LUMA) {
            const vp8_lf_luma_fn a = (vp8_lf_luma_fn)fn, c = (vp8_lf_luma_fn)ref;
            CHECKASM_BENCH(memcpy(canvas_a, canvas_saved, size), a, c, u, s, e, interior, hev);
        } else if (k->kind == CHROMA) {
            const vp8_lf_chroma_fn a = (vp8_lf_chroma_fn)fn, c = (vp8_lf_chroma_fn)ref;
            CHECKASM_BENCH(memcpy(canvas_a, canvas_saved, size), a, c, u, v, s, e, interior, hev);
        } else {
            const vp8_lf_simple_fn a = (vp8_lf_simple_fn)fn, c = (vp8_lf_simple_fn)ref;
            CHECKASM_BENCH(memcpy(canvas_a, canvas_saved, size), a, c, u, s, e);
        }
    }
}

void checkasm_check_loopfilter(void)
{
    Vp8LoopfilterDsp ref, dsp;
    vp8_loopfilter_dsp_init(&ref, 0);
    vp8_loopfilter_dsp_init(&dsp, checkasm_cpu_flags());

    const checkasm_fn refs[12] = {
        (checkasm_fn)ref.mb_top_y, (checkasm_fn)ref.mb_left_y, (checkasm_fn)ref.inner_top_y,
        (checkasm_fn)ref.inner_left_y, (checkasm_fn)ref.mb_top_uv, (checkasm_fn)ref.mb_left_uv,
        (checkasm_fn)ref.inner_top_uv, (checkasm_fn)ref.inner_left_uv,
        (checkasm_fn)ref.simple_mb_top, (checkasm_fn)ref.simple_mb_left,
        (checkasm_fn)ref.simple_inner_top, (checkasm_fn)ref.simple_inner_left,
    };
    const checkasm_fn fns[12] = {
        (checkasm_fn)dsp.mb_top_y, (checkasm_fn)dsp.mb_left_y, (checkasm_fn)dsp.inner_top_y,
        (checkasm_fn)dsp.inner_left_y, (checkasm_fn)dsp.mb_top_uv, (checkasm_fn)dsp.mb_left_uv,
        (checkasm_fn)dsp.inner_top_uv, (checkasm_fn)dsp.inner_left_uv,
        (checkasm_fn)dsp.simple_mb_top, (checkasm_fn)dsp.simple_mb_left,
        (checkasm_fn)dsp.simple_inner_top, (checkasm_fn)dsp.simple_inner_left,
    };
    for (int j = 0; j < 12; j++)
        if (checkasm_check_func(fns[j], lf_kernels[j].name))
            test_lf(&lf_kernels[j], refs[j], fns[j]);
}
