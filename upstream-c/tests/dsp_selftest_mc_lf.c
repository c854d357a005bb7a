/*
 * Self-test of the motion compensation (mc.c) and loop filter (loopfilter.c) C kernels. Each
 * kernel is compared against a deliberately naive reference written straight from the RFC 6386
 * formulas (sections 15 and 18), on deterministic pseudo-random data, and checked for structural
 * properties: block and edge composition, memory margins, threshold boundaries, U/V symmetry.
 * Prints "N passed, N failed" and exits non-zero on any failure.
 *
 * Until tables.c exists, build with the filter tables defined here (the default); once it does,
 * build with -DHAVE_TABLES_C and link it, and the table check below validates it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loopfilter.h"
#include "mc.h"
#include "tables.h"

/* RFC 6386 section 18.3. */
#define SIXTAP_TAPS                                                                              \
    {                                                                                            \
        { 0, 0, 128, 0, 0, 0 }, { 0, -6, 123, 12, -1, 0 }, { 2, -11, 108, 36, -8, 1 },           \
        { 0, -9, 93, 50, -6, 0 }, { 3, -16, 77, 77, -16, 3 }, { 0, -6, 50, 93, -9, 0 },          \
        { 1, -8, 36, 108, -11, 2 }, { 0, -1, 12, 123, -6, 0 }                                    \
    }
#define BILINEAR_TAPS                                                                            \
    {                                                                                            \
        { 128, 0 }, { 112, 16 }, { 96, 32 }, { 80, 48 }, { 64, 64 }, { 48, 80 }, { 32, 96 },     \
        { 16, 112 }                                                                              \
    }

#ifndef HAVE_TABLES_C
const int16_t vp8_sixtap_filters[8][6] = SIXTAP_TAPS;
const int16_t vp8_bilinear_filters[8][2] = BILINEAR_TAPS;
#endif

/* The reference keeps its own copy so that a wrong tables.c cannot hide behind itself. */
static const int ref_sixtap_taps[8][6] = SIXTAP_TAPS;

/* ------------------------------------------------------------------------------------------ */
/* Harness */

typedef struct Tally {
    int passed, failed;
} Tally;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void check(Tally *t, int ok, const char *fmt, ...)
{
    if (ok) {
        t->passed++;
        return;
    }
    /* Report the first few failures in full; the count says the rest. */
    if (t->failed < 25) {
        va_list ap;
        va_start(ap, fmt);
        fputs("FAIL: ", stdout);
        vprintf(fmt, ap);
        fputc('\n', stdout);
        va_end(ap);
    }
    t->failed++;
}

typedef struct Rng {
    uint32_t s;
} Rng;

static uint32_t rng_next(Rng *r)
{
    uint32_t x = r->s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    r->s = x;
    return x;
}

/* Inclusive range; the modulo bias is irrelevant here. */
static int rng_range(Rng *r, int lo, int hi)
{
    return lo + (int)(rng_next(r) % (uint32_t)(hi - lo + 1));
}

static uint8_t clamp255(int v)
{
    return (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
}

/* Pixel patterns that stress different paths: noise, extremes (clamping), smooth, flat. */
static void fill_pixels(uint8_t *buf, size_t n, Rng *r, int mode)
{
    const int base = rng_range(r, 0, 255);
    const int slope = rng_range(r, -6, 6);
    for (size_t i = 0; i < n; i++) {
        switch (mode & 3) {
        case 0: buf[i] = (uint8_t)rng_next(r); break;
        case 1: buf[i] = (rng_next(r) & 1) ? 255 : 0; break;
        case 2: buf[i] = clamp255(base + slope * (int)(i % 37) + rng_range(r, -3, 3)); break;
        default: buf[i] = (uint8_t)base; break;
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Motion compensation: naive reference (RFC 18.3), recomputing every pixel from scratch */

/* The RFC's interp(): six taps around p, `s` apart. gcc and clang shift negative ints
 * arithmetically, which is what the RFC assumes. */
static uint8_t ref_interp(const int fil[6], const uint8_t *p, ptrdiff_t s)
{
    int a = 0;
    p -= s + s;
    for (int i = 0; i < 6; i++)
        a += p[i * s] * fil[i];
    return clamp255((a + 64) >> 7);
}

static void ref_sixtap(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
                       ptrdiff_t src_stride, int w, int h, int mx, int my)
{
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            uint8_t column[6]; /* horizontally filtered rows y-2 .. y+3 at column x */
            for (int r = 0; r < 6; r++)
                column[r] = ref_interp(ref_sixtap_taps[mx], src + (y - 2 + r) * src_stride + x, 1);
            dst[y * dst_stride + x] = ref_interp(ref_sixtap_taps[my], column + 2, 1);
        }
    }
}

static void ref_bilinear(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
                         ptrdiff_t src_stride, int w, int h, int mx, int my)
{
    const int h0 = 128 - 16 * mx, h1 = 16 * mx, v0 = 128 - 16 * my, v1 = 16 * my;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            const uint8_t *s = src + y * src_stride + x;
            const uint16_t t0 = (uint16_t)((s[0] * h0 + s[1] * h1 + 64) >> 7);
            const uint16_t t1 = (uint16_t)((s[src_stride] * h0 + s[src_stride + 1] * h1 + 64) >> 7);
            dst[y * dst_stride + x] = (uint8_t)((t0 * v0 + t1 * v1 + 64) >> 7);
        }
    }
}

typedef struct McCase {
    const char *name;
    vp8_mc_fn fn;
    int filter, size, w, h;
} McCase;

static const McCase mc_cases[] = {
    { "sixtap_16x16", vp8_sixtap_16x16_c, VP8_MC_SIXTAP, VP8_MC_16x16, 16, 16 },
    { "sixtap_8x8", vp8_sixtap_8x8_c, VP8_MC_SIXTAP, VP8_MC_8x8, 8, 8 },
    { "sixtap_8x4", vp8_sixtap_8x4_c, VP8_MC_SIXTAP, VP8_MC_8x4, 8, 4 },
    { "sixtap_4x4", vp8_sixtap_4x4_c, VP8_MC_SIXTAP, VP8_MC_4x4, 4, 4 },
    { "bilinear_16x16", vp8_bilinear_16x16_c, VP8_MC_BILINEAR, VP8_MC_16x16, 16, 16 },
    { "bilinear_8x8", vp8_bilinear_8x8_c, VP8_MC_BILINEAR, VP8_MC_8x8, 8, 8 },
    { "bilinear_8x4", vp8_bilinear_8x4_c, VP8_MC_BILINEAR, VP8_MC_8x4, 8, 4 },
    { "bilinear_4x4", vp8_bilinear_4x4_c, VP8_MC_BILINEAR, VP8_MC_4x4, 4, 4 },
};
enum { N_MC_CASES = (int)(sizeof(mc_cases) / sizeof(mc_cases[0])) };

/* The window of source pixels a kernel may read, relative to the block origin (mc.h). */
typedef struct McWindow {
    int before, after_w, after_h; /* columns/rows -before .. W-1+after */
} McWindow;

static McWindow mc_window(const McCase *c)
{
    const McWindow six = { 2, 3, 3 }, bil = { 0, 1, 1 };
    return c->filter == VP8_MC_SIXTAP ? six : bil;
}

static void ref_mc(const McCase *c, uint8_t *dst, ptrdiff_t ds, const uint8_t *src, ptrdiff_t ss,
                   int mx, int my)
{
    if (c->filter == VP8_MC_SIXTAP)
        ref_sixtap(dst, ds, src, ss, c->w, c->h, mx, my);
    else
        ref_bilinear(dst, ds, src, ss, c->w, c->h, mx, my);
}

enum { MC_SRC_STRIDE_MAX = 48, MC_SRC_ROWS = 32, MC_GUARD = 8, MC_DST_STRIDE_MAX = 48,
       MC_DST_ROWS = 16 + 2 * MC_GUARD };

static int block_equal(const uint8_t *a, ptrdiff_t as, const uint8_t *b, ptrdiff_t bs, int w, int h)
{
    for (int y = 0; y < h; y++)
        if (memcmp(a + y * as, b + y * bs, (size_t)w) != 0)
            return 0;
    return 1;
}

/* Every size and fraction against the reference; the dst guard catches writes outside W x H. */
static void test_mc_reference(Tally *t, Rng *r)
{
    for (int ci = 0; ci < N_MC_CASES; ci++) {
        const McCase *c = &mc_cases[ci];
        for (int mx = 0; mx < 8; mx++) {
            for (int my = 0; my < 8; my++) {
                int ok = 1, guard_ok = 1;
                for (int trial = 0; trial < 8; trial++) {
                    uint8_t srcbuf[MC_SRC_STRIDE_MAX * MC_SRC_ROWS];
                    uint8_t dstbuf[MC_DST_STRIDE_MAX * MC_DST_ROWS], saved[sizeof(dstbuf)];
                    uint8_t expect[16 * 16];
                    const ptrdiff_t ss = rng_range(r, c->w + 5, MC_SRC_STRIDE_MAX);
                    const ptrdiff_t ds = rng_range(r, c->w + 2 * MC_GUARD, MC_DST_STRIDE_MAX);
                    const uint8_t *src = srcbuf + 4 * ss + 4;
                    uint8_t *dst = dstbuf + MC_GUARD * ds + MC_GUARD;

                    fill_pixels(srcbuf, sizeof(srcbuf), r, trial);
                    fill_pixels(dstbuf, sizeof(dstbuf), r, 0);
                    memcpy(saved, dstbuf, sizeof(dstbuf));
                    c->fn(dst, ds, src, ss, mx, my);
                    ref_mc(c, expect, 16, src, ss, mx, my);
                    ok &= block_equal(dst, ds, expect, 16, c->w, c->h);
                    /* Restore the block itself, then the whole buffer must match the snapshot. */
                    for (int y = 0; y < c->h; y++)
                        memcpy(dst + y * ds, saved + (dst - dstbuf) + y * ds, (size_t)c->w);
                    guard_ok &= memcmp(dstbuf, saved, sizeof(dstbuf)) == 0;
                }
                check(t, ok, "%s mx=%d my=%d differs from the RFC reference", c->name, mx, my);
                check(t, guard_ok, "%s mx=%d my=%d wrote outside its block", c->name, mx, my);
            }
        }
    }
}

/*
 * Reads stay within the contract's margins: (1) the source is a heap block holding exactly the
 * allowed window with the tightest stride, so AddressSanitizer flags any read before its first or
 * after its last byte; (2) in a roomy buffer, re-randomising every pixel outside the window must
 * not change the output.
 */
static void test_mc_margins(Tally *t, Rng *r)
{
    for (int ci = 0; ci < N_MC_CASES; ci++) {
        const McCase *c = &mc_cases[ci];
        const McWindow win = mc_window(c);
        const int ww = win.before + c->w + win.after_w, wh = win.before + c->h + win.after_h;
        for (int mx = 0; mx < 8; mx++) {
            for (int my = 0; my < 8; my++) {
                uint8_t *tight = malloc((size_t)(ww * wh));
                uint8_t out_tight[16 * 16], expect[16 * 16];
                uint8_t roomy[MC_SRC_STRIDE_MAX * MC_SRC_ROWS];
                uint8_t out1[16 * 16], out2[16 * 16];
                const ptrdiff_t rs = MC_SRC_STRIDE_MAX;
                const int ox = 8, oy = 8; /* block origin in the roomy buffer */
                int independent = 1;

                if (!tight) {
                    check(t, 0, "out of memory");
                    return;
                }
                fill_pixels(tight, (size_t)(ww * wh), r, 0);
                c->fn(out_tight, 16, tight + win.before * ww + win.before, ww, mx, my);
                ref_mc(c, expect, 16, tight + win.before * ww + win.before, ww, mx, my);
                check(t, block_equal(out_tight, 16, expect, 16, c->w, c->h),
                      "%s mx=%d my=%d wrong with the tightest source stride", c->name, mx, my);
                free(tight);

                fill_pixels(roomy, sizeof(roomy), r, 0);
                c->fn(out1, 16, roomy + oy * rs + ox, rs, mx, my);
                for (int trial = 0; trial < 4; trial++) {
                    for (int y = 0; y < MC_SRC_ROWS; y++) {
                        for (int x = 0; x < MC_SRC_STRIDE_MAX; x++) {
                            const int in = x >= ox - win.before && x < ox + c->w + win.after_w &&
                                           y >= oy - win.before && y < oy + c->h + win.after_h;
                            if (!in)
                                roomy[y * rs + x] = (uint8_t)rng_next(r);
                        }
                    }
                    c->fn(out2, 16, roomy + oy * rs + ox, rs, mx, my);
                    independent &= block_equal(out1, 16, out2, 16, c->w, c->h);
                }
                check(t, independent, "%s mx=%d my=%d depends on pixels outside its margin",
                      c->name, mx, my);
            }
        }
    }
}

/* A larger block is the same prediction as the smaller blocks tiling it. */
static void test_mc_composition(Tally *t, Rng *r)
{
    for (int f = 0; f < VP8_MC_FILTERS; f++) {
        const McCase *big = &mc_cases[f * 4 + 0], *mid = &mc_cases[f * 4 + 1];
        const McCase *half = &mc_cases[f * 4 + 2], *small = &mc_cases[f * 4 + 3];
        for (int mx = 0; mx < 8; mx++) {
            for (int my = 0; my < 8; my++) {
                uint8_t src[MC_SRC_STRIDE_MAX * MC_SRC_ROWS];
                uint8_t whole[16 * 16], parts[16 * 16];
                const ptrdiff_t ss = MC_SRC_STRIDE_MAX;
                const uint8_t *o = src + 4 * ss + 4;

                fill_pixels(src, sizeof(src), r, (mx + my) & 3);
                big->fn(whole, 16, o, ss, mx, my);
                for (int q = 0; q < 4; q++) {
                    const int x = (q & 1) * 8, y = (q >> 1) * 8;
                    mid->fn(parts + y * 16 + x, 16, o + y * ss + x, ss, mx, my);
                }
                check(t, block_equal(whole, 16, parts, 16, 16, 16),
                      "%s mx=%d my=%d != four %s", big->name, mx, my, mid->name);

                mid->fn(whole, 16, o, ss, mx, my);
                half->fn(parts, 16, o, ss, mx, my);
                half->fn(parts + 4 * 16, 16, o + 4 * ss, ss, mx, my);
                check(t, block_equal(whole, 16, parts, 16, 8, 8),
                      "%s mx=%d my=%d != two %s", mid->name, mx, my, half->name);

                half->fn(whole, 16, o, ss, mx, my);
                small->fn(parts, 16, o, ss, mx, my);
                small->fn(parts + 4, 16, o + 4, ss, mx, my);
                check(t, block_equal(whole, 16, parts, 16, 8, 4),
                      "%s mx=%d my=%d != two %s", half->name, mx, my, small->name);
            }
        }
    }
}

/* Whole-pixel vectors copy; flat areas stay flat at any fraction (the taps sum to 128). */
static void test_mc_identities(Tally *t, Rng *r)
{
    for (int ci = 0; ci < N_MC_CASES; ci++) {
        const McCase *c = &mc_cases[ci];
        uint8_t src[MC_SRC_STRIDE_MAX * MC_SRC_ROWS], out[16 * 16];
        const ptrdiff_t ss = MC_SRC_STRIDE_MAX;
        const uint8_t *o = src + 4 * ss + 4;
        int flat_ok = 1;

        for (int mode = 0; mode < 3; mode++) {
            fill_pixels(src, sizeof(src), r, mode);
            c->fn(out, 16, o, ss, 0, 0);
            check(t, block_equal(out, 16, o, ss, c->w, c->h), "%s fraction 0 is not a copy",
                  c->name);
        }
        for (int v = 0; v < 256; v += 51) {
            memset(src, v, sizeof(src));
            for (int mx = 0; mx < 8; mx++) {
                for (int my = 0; my < 8; my++) {
                    c->fn(out, 16, o, ss, mx, my);
                    for (int y = 0; y < c->h; y++)
                        for (int x = 0; x < c->w; x++)
                            flat_ok &= out[y * 16 + x] == v;
                }
            }
        }
        check(t, flat_ok, "%s does not keep a flat area flat", c->name);
    }
}

static void test_mc_tables_and_init(Tally *t)
{
    Vp8McDsp dsp;
    int ok = 1;

    for (int f = 0; f < 8; f++) {
        for (int k = 0; k < 6; k++)
            ok &= vp8_sixtap_filters[f][k] == ref_sixtap_taps[f][k];
        ok &= vp8_bilinear_filters[f][0] == 128 - 16 * f && vp8_bilinear_filters[f][1] == 16 * f;
    }
    check(t, ok, "vp8_sixtap_filters / vp8_bilinear_filters differ from RFC 18.3");

    memset(&dsp, 0, sizeof(dsp));
    vp8_mc_dsp_init(&dsp, 0);
    for (int ci = 0; ci < N_MC_CASES; ci++)
        check(t, dsp.put[mc_cases[ci].filter][mc_cases[ci].size] == mc_cases[ci].fn,
              "vp8_mc_dsp_init: wrong function for %s", mc_cases[ci].name);
}

/* ------------------------------------------------------------------------------------------ */
/* Loop filter: naive reference, transcribing the RFC 15.2 / 15.3 pseudo-code on one segment */

static int rc(int v) /* the RFC's c() */
{
    return v < -128 ? -128 : (v < 128 ? v : 127);
}

static int ru2s(uint8_t v)
{
    return v - 128;
}

static uint8_t rs2u(int v)
{
    return (uint8_t)(rc(v) + 128);
}

static int rabs(int v)
{
    return v < 0 ? -v : v;
}

static int ref_common_adjust(int use_outer_taps, const uint8_t *P1, uint8_t *P0, uint8_t *Q0,
                             const uint8_t *Q1)
{
    const int p1 = ru2s(*P1), p0 = ru2s(*P0), q0 = ru2s(*Q0), q1 = ru2s(*Q1);
    int a = rc((use_outer_taps ? rc(p1 - q1) : 0) + 3 * (q0 - p0));
    const int b = rc(a + 3) >> 3;
    a = rc(a + 4) >> 3;
    *Q0 = rs2u(q0 - a);
    *P0 = rs2u(p0 + b);
    return a;
}

static int ref_filter_yes(int I, int E, int p3, int p2, int p1, int p0, int q0, int q1, int q2,
                          int q3)
{
    return (rabs(p0 - q0) * 2 + rabs(p1 - q1) / 2) <= E && rabs(p3 - p2) <= I &&
           rabs(p2 - p1) <= I && rabs(p1 - p0) <= I && rabs(q3 - q2) <= I &&
           rabs(q2 - q1) <= I && rabs(q1 - q0) <= I;
}

static int ref_hev(int threshold, int p1, int p0, int q0, int q1)
{
    return rabs(p1 - p0) > threshold || rabs(q1 - q0) > threshold;
}

typedef enum RefKind { REF_SIMPLE, REF_SUBBLOCK, REF_MB, REF_KINDS } RefKind;

/* How often each path ran, to prove the random data reaches every branch. */
typedef struct RefStats {
    long skipped, filtered, hev, not_hev;
} RefStats;

/* s[0..7] point at p3 p2 p1 p0 q0 q1 q2 q3. */
static void ref_segment(RefKind kind, uint8_t *const s[8], int E, int I, int H, RefStats *st)
{
    if (kind == REF_SIMPLE) {
        if ((rabs(*s[3] - *s[4]) * 2 + rabs(*s[2] - *s[5]) / 2) <= E) {
            ref_common_adjust(1, s[2], s[3], s[4], s[5]);
            st->filtered++;
        } else {
            st->skipped++;
        }
        return;
    }
    {
        const int p3 = ru2s(*s[0]), p2 = ru2s(*s[1]), p1 = ru2s(*s[2]), p0 = ru2s(*s[3]);
        const int q0 = ru2s(*s[4]), q1 = ru2s(*s[5]), q2 = ru2s(*s[6]), q3 = ru2s(*s[7]);
        int hv;

        if (!ref_filter_yes(I, E, q3, q2, q1, q0, p0, p1, p2, p3)) {
            st->skipped++;
            return;
        }
        st->filtered++;
        hv = ref_hev(H, p1, p0, q0, q1);
        if (hv)
            st->hev++;
        else
            st->not_hev++;
        if (kind == REF_SUBBLOCK) {
            const int a = (ref_common_adjust(hv, s[2], s[3], s[4], s[5]) + 1) >> 1;
            if (!hv) {
                *s[5] = rs2u(q1 - a);
                *s[2] = rs2u(p1 + a);
            }
        } else if (!hv) {
            const int w = rc(rc(p1 - q1) + 3 * (q0 - p0));
            int a = rc((27 * w + 63) >> 7);
            *s[4] = rs2u(q0 - a);
            *s[3] = rs2u(p0 + a);
            a = rc((18 * w + 63) >> 7);
            *s[5] = rs2u(q1 - a);
            *s[2] = rs2u(p1 + a);
            a = rc((9 * w + 63) >> 7);
            *s[6] = rs2u(q2 - a);
            *s[1] = rs2u(p2 + a);
        } else {
            ref_common_adjust(1, s[2], s[3], s[4], s[5]);
        }
    }
}

/* One edge of `len` segments at (x, y) of a plane: horizontal (top) or vertical (left). */
static void ref_edge(uint8_t *plane, ptrdiff_t stride, int x, int y, int top, int len,
                     RefKind kind, int E, int I, int H, RefStats *st)
{
    for (int i = 0; i < len; i++) {
        uint8_t *s[8];
        for (int k = 0; k < 8; k++)
            s[k] = top ? plane + (y - 4 + k) * stride + (x + i)
                       : plane + (y + i) * stride + (x - 4 + k);
        ref_segment(kind, s, E, I, H, st);
    }
}

typedef struct LfCase {
    const char *name;
    RefKind kind;
    int top, chroma, inner;
    vp8_lf_luma_fn luma;
    vp8_lf_chroma_fn uv;
    vp8_lf_simple_fn simple;
} LfCase;

static const LfCase lf_cases[] = {
    { "mb_top_y", REF_MB, 1, 0, 0, vp8_lf_mb_top_y_c, NULL, NULL },
    { "mb_left_y", REF_MB, 0, 0, 0, vp8_lf_mb_left_y_c, NULL, NULL },
    { "inner_top_y", REF_SUBBLOCK, 1, 0, 1, vp8_lf_inner_top_y_c, NULL, NULL },
    { "inner_left_y", REF_SUBBLOCK, 0, 0, 1, vp8_lf_inner_left_y_c, NULL, NULL },
    { "mb_top_uv", REF_MB, 1, 1, 0, NULL, vp8_lf_mb_top_uv_c, NULL },
    { "mb_left_uv", REF_MB, 0, 1, 0, NULL, vp8_lf_mb_left_uv_c, NULL },
    { "inner_top_uv", REF_SUBBLOCK, 1, 1, 1, NULL, vp8_lf_inner_top_uv_c, NULL },
    { "inner_left_uv", REF_SUBBLOCK, 0, 1, 1, NULL, vp8_lf_inner_left_uv_c, NULL },
    { "simple_mb_top", REF_SIMPLE, 1, 0, 0, NULL, NULL, vp8_lf_simple_mb_top_c },
    { "simple_mb_left", REF_SIMPLE, 0, 0, 0, NULL, NULL, vp8_lf_simple_mb_left_c },
    { "simple_inner_top", REF_SIMPLE, 1, 0, 1, NULL, NULL, vp8_lf_simple_inner_top_c },
    { "simple_inner_left", REF_SIMPLE, 0, 0, 1, NULL, NULL, vp8_lf_simple_inner_left_c },
};
enum { N_LF_CASES = (int)(sizeof(lf_cases) / sizeof(lf_cases[0])) };

static int lf_size(const LfCase *c)
{
    return c->chroma ? 8 : 16;
}

static void run_lf(const LfCase *c, uint8_t *u, uint8_t *v, ptrdiff_t stride, int E, int I, int H)
{
    if (c->uv)
        c->uv(u, v, stride, E, I, H);
    else if (c->luma)
        c->luma(u, stride, E, I, H);
    else
        c->simple(u, stride, E);
}

/* The reference version of a kernel: its edges in order, U then V for chroma. */
static void ref_lf(const LfCase *c, uint8_t *u, uint8_t *v, ptrdiff_t stride, int E, int I, int H,
                   RefStats *st)
{
    const int size = lf_size(c);
    for (int plane = 0; plane < (c->chroma ? 2 : 1); plane++) {
        uint8_t *p = plane ? v : u;
        for (int pos = c->inner ? 4 : 0; pos < (c->inner ? size : 1); pos += 4)
            ref_edge(p, stride, c->top ? 0 : pos, c->top ? pos : 0, c->top, size, c->kind, E, I,
                     H, st);
    }
}

enum { LF_ROWS = 48, LF_STRIDE_MAX = 64, LF_ORIGIN = 16 };

/*
 * Blocky content: a per-4x4 offset (so steps sit on the edges) plus noise; or steep ramps, where
 * |p1 - q1| can exceed 127 while every interior difference stays within I (which exercises the
 * clamp of p1 - q1); or plain noise.
 */
static void fill_blocky(uint8_t *plane, ptrdiff_t stride, Rng *r)
{
    static const int steps[] = { 0, 1, 2, 4, 8, 16, 32, 64 };
    static const int noises[] = { 0, 1, 2, 3, 5 };
    int offs[LF_ROWS / 4][LF_STRIDE_MAX / 4];
    const int base = rng_range(r, 0, 255);
    const int step = steps[rng_range(r, 0, 7)], noise = noises[rng_range(r, 0, 4)];
    const int mode = rng_range(r, 0, 7);

    if (mode == 0) {
        fill_pixels(plane, (size_t)(LF_ROWS * stride), r, 0);
        return;
    }
    if (mode == 1) {
        const int sx = rng_range(r, -64, 64), sy = rng_range(r, -64, 64);
        for (int y = 0; y < LF_ROWS; y++)
            for (int x = 0; x < stride; x++)
                plane[y * stride + x] = clamp255(base + sx * (x - LF_ORIGIN - 8) +
                                                 sy * (y - LF_ORIGIN - 8) +
                                                 rng_range(r, -noise, noise));
        return;
    }
    for (int by = 0; by < LF_ROWS / 4; by++)
        for (int bx = 0; bx < LF_STRIDE_MAX / 4; bx++)
            offs[by][bx] = rng_range(r, -step, step);
    for (int y = 0; y < LF_ROWS; y++)
        for (int x = 0; x < stride; x++)
            plane[y * stride + x] =
                clamp255(base + offs[y / 4][x / 4] + rng_range(r, -noise, noise));
}

typedef struct LfParams {
    int E, I, H;
} LfParams;

/* Either thresholds as a decoder derives them (RFC 15.4) or arbitrary ones. */
static LfParams random_params(Rng *r, const LfCase *c)
{
    LfParams p;
    if (rng_range(r, 0, 1)) {
        const int level = rng_range(r, 0, 63), sharpness = rng_range(r, 0, 7);
        const int key = rng_range(r, 0, 1);
        int interior = level;
        if (sharpness) {
            interior >>= sharpness > 4 ? 2 : 1;
            if (interior > 9 - sharpness)
                interior = 9 - sharpness;
        }
        if (!interior)
            interior = 1;
        p.I = interior;
        p.E = c->inner ? level * 2 + interior : (level + 2) * 2 + interior;
        p.H = level >= 40 ? (key ? 2 : 3) : level >= 20 ? (key ? 1 : 2) : level >= 15 ? 1 : 0;
    } else {
        p.E = rng_range(r, 0, 255);
        p.I = rng_range(r, 0, 63);
        p.H = rng_range(r, 0, 8);
    }
    return p;
}

/* Every kernel against the reference; comparing the whole planes also catches stray writes. */
static void test_lf_reference(Tally *t, Rng *r)
{
    RefStats st[REF_KINDS];
    memset(st, 0, sizeof(st));

    for (int ci = 0; ci < N_LF_CASES; ci++) {
        const LfCase *c = &lf_cases[ci];
        int ok = 1;
        for (int trial = 0; trial < 600; trial++) {
            uint8_t u[LF_ROWS * LF_STRIDE_MAX], v[sizeof(u)], ru[sizeof(u)], rv[sizeof(u)];
            const ptrdiff_t stride = rng_range(r, LF_ORIGIN + 16 + 8, LF_STRIDE_MAX);
            const ptrdiff_t o = LF_ORIGIN * stride + LF_ORIGIN;
            const LfParams p = random_params(r, c);

            fill_blocky(u, stride, r);
            fill_blocky(v, stride, r);
            memcpy(ru, u, sizeof(u));
            memcpy(rv, v, sizeof(v));
            run_lf(c, u + o, v + o, stride, p.E, p.I, p.H);
            ref_lf(c, ru + o, rv + o, stride, p.E, p.I, p.H, &st[c->kind]);
            if (memcmp(u, ru, sizeof(u)) != 0 || memcmp(v, rv, sizeof(v)) != 0) {
                if (ok)
                    check(t, 0, "%s differs from the RFC reference (E=%d I=%d H=%d, trial %d)",
                          c->name, p.E, p.I, p.H, trial);
                ok = 0;
            }
        }
        if (ok)
            check(t, 1, "%s", c->name);
    }
    for (int k = 0; k < REF_KINDS; k++) {
        check(t, st[k].skipped > 1000 && st[k].filtered > 1000,
              "reference kind %d: random data hit too few filtered/skipped segments (%ld/%ld)", k,
              st[k].filtered, st[k].skipped);
        if (k != REF_SIMPLE)
            check(t, st[k].hev > 1000 && st[k].not_hev > 1000,
                  "reference kind %d: random data hit too few hev/non-hev segments (%ld/%ld)", k,
                  st[k].hev, st[k].not_hev);
    }
}

/*
 * Threshold boundaries: fill every segment of the kernel's first edge with one 8-pixel pattern
 * (p3..q3, extended flat beyond it), run the kernel, compare with the reference, and check which
 * pattern positions changed.
 */
typedef struct Expect {
    int index;   /* 0..7 = p3..q3 */
    int changed; /* must differ from the pattern (1) or equal it (0) */
} Expect;

static void boundary_case(Tally *t, const LfCase *c, const uint8_t pat[8], LfParams p,
                          const Expect *ex, int n_ex, const char *what)
{
    enum { STRIDE = 40 };
    uint8_t u[LF_ROWS * STRIDE], v[sizeof(u)], ru[sizeof(u)], rv[sizeof(u)];
    RefStats st;
    const int size = lf_size(c), first = c->inner ? 4 : 0;
    const ptrdiff_t o = LF_ORIGIN * STRIDE + LF_ORIGIN;
    int ok = 1;

    memset(&st, 0, sizeof(st));
    for (int y = 0; y < LF_ROWS; y++) {
        for (int x = 0; x < STRIDE; x++) {
            const int across = c->top ? y : x;
            const int k = vp8_clamp_int(across - (LF_ORIGIN + first - 4), 0, 7);
            u[y * STRIDE + x] = v[y * STRIDE + x] = pat[k];
        }
    }
    memcpy(ru, u, sizeof(u));
    memcpy(rv, v, sizeof(v));
    run_lf(c, u + o, v + o, STRIDE, p.E, p.I, p.H);
    ref_lf(c, ru + o, rv + o, STRIDE, p.E, p.I, p.H, &st);
    check(t, memcmp(u, ru, sizeof(u)) == 0 && memcmp(v, rv, sizeof(v)) == 0,
          "%s: %s (E=%d I=%d H=%d) differs from the reference", c->name, what, p.E, p.I, p.H);

    for (int plane = 0; plane < (c->chroma ? 2 : 1); plane++) {
        const uint8_t *base = (plane ? v : u) + o;
        for (int i = 0; i < size; i++) {
            for (int e = 0; e < n_ex; e++) {
                const int across = first - 4 + ex[e].index;
                const uint8_t px = c->top ? base[across * STRIDE + i] : base[i * STRIDE + across];
                ok &= (px != pat[ex[e].index]) == ex[e].changed;
            }
        }
    }
    check(t, ok, "%s: %s (E=%d I=%d H=%d) did not filter as the thresholds require", c->name,
          what, p.E, p.I, p.H);
}

static void test_lf_boundaries(Tally *t)
{
    for (int ci = 0; ci < N_LF_CASES; ci++) {
        const LfCase *c = &lf_cases[ci];

        /* Edge limit: |p0-q0|*2 + |p1-q1|/2 = 20 + 11/2 = 25 exactly (the /2 truncates). */
        {
            static const uint8_t pat[8] = { 100, 100, 100, 100, 110, 111, 111, 111 };
            for (int h = 0; h <= 5; h += 5) {
                const Expect on = { 4, 1 }, off = { 4, 0 };
                const LfParams at = { 25, 1, h }, below = { 24, 1, h };
                boundary_case(t, c, pat, at, &on, 1, "edge metric == E");
                boundary_case(t, c, pat, below, &off, 1, "edge metric == E + 1");
            }
        }
        /* p1 - q1 = 136 must saturate to 127 before use (outer taps, and the MB filter's w):
         * a steep ramp whose interior steps (63) and edge metric (2*10 + 136/2 = 88) still pass,
         * and where the saturation changes the result. */
        {
            static const uint8_t pat[8] = { 210, 210, 210, 147, 137, 74, 74, 74 };
            const Expect on = { 4, 1 };
            for (int h = 0; h <= 255; h += 255) {
                const LfParams p = { 88, 63, h };
                boundary_case(t, c, pat, p, &on, 1, "saturating p1 - q1");
            }
        }
        if (c->kind == REF_SIMPLE)
            continue;

        /* Interior limit: exactly one adjacent interior pair differs, by d. */
        for (int pair = 0; pair < 7; pair++) {
            uint8_t pat[8] = { 100, 100, 100, 100, 108, 108, 108, 108 };
            const int d = 5;
            const Expect on = { 4, 1 }, off = { 4, 0 };
            if (pair == 3)
                continue; /* p0|q0 is the edge itself, governed by E */
            for (int k = 0; k < 8; k++)
                if ((pair < 3 && k <= pair) || (pair > 3 && k > pair))
                    pat[k] = (uint8_t)(pat[k] + d);
            for (int h = 0; h <= 255; h += 255) {
                const LfParams at = { 60, d, h }, below = { 60, d - 1, h };
                boundary_case(t, c, pat, at, &on, 1, "interior difference == I");
                boundary_case(t, c, pat, below, &off, 1, "interior difference == I + 1");
            }
        }

        /* High edge variance: |p1-p0| (or |q1-q0|) == d is not hev, one more threshold step is.
         * Without hev the MB filter moves p2/q2 and the subblock filter p1/q1; with it, neither. */
        {
            const int d = 3;
            const uint8_t pat_p[8] = { 97, 97, 97, 100, 120, 120, 120, 120 };
            const uint8_t pat_q[8] = { 100, 100, 100, 100, 120, 123, 123, 123 };
            const int far_p = c->kind == REF_MB ? 1 : 2, far_q = c->kind == REF_MB ? 6 : 5;
            const Expect not_hev[3] = { { 4, 1 }, { far_p, 1 }, { far_q, 1 } };
            const Expect hev[3] = { { 4, 1 }, { far_p, 0 }, { far_q, 0 } };
            const LfParams at = { 60, 63, d }, below = { 60, 63, d - 1 };
            boundary_case(t, c, pat_p, at, not_hev, 3, "|p1-p0| == hev threshold");
            boundary_case(t, c, pat_p, below, hev, 3, "|p1-p0| == hev threshold + 1");
            boundary_case(t, c, pat_q, at, not_hev, 3, "|q1-q0| == hev threshold");
            boundary_case(t, c, pat_q, below, hev, 3, "|q1-q0| == hev threshold + 1");
        }
    }
}

/*
 * Composition: a luma kernel equals the chroma kernel of the same kind run on its two halves
 * (U = first 8 along the edge, V = the next 8), and an inner luma kernel equals three single-edge
 * applications at 4, 8, 12 in order (built from the chroma kernel, whose inner edge is at 4).
 */
static void test_lf_composition(Tally *t, Rng *r)
{
    for (int ci = 0; ci < 4; ci++) {
        const LfCase *y = &lf_cases[ci];
        const LfCase *uv = &lf_cases[ci + 4]; /* same kind and direction, chroma */
        int ok = 1, ref_ok = 1;
        for (int trial = 0; trial < 300; trial++) {
            uint8_t a[LF_ROWS * LF_STRIDE_MAX], b[sizeof(a)], ref[sizeof(a)];
            const ptrdiff_t stride = LF_STRIDE_MAX;
            const ptrdiff_t o = LF_ORIGIN * stride + LF_ORIGIN;
            const ptrdiff_t half = y->top ? 8 : 8 * stride; /* along the edge */
            const ptrdiff_t across = y->top ? stride : 1;
            const LfParams p = random_params(r, y);
            RefStats st;

            memset(&st, 0, sizeof(st));
            fill_blocky(a, stride, r);
            memcpy(b, a, sizeof(a));
            memcpy(ref, a, sizeof(a));
            y->luma(a + o, stride, p.E, p.I, p.H);
            for (int pos = y->inner ? 4 : 0; pos < (y->inner ? 16 : 1); pos += 4) {
                /* The chroma inner kernel filters at its own 4, so start it 4 earlier. */
                uint8_t *at = b + o + (y->inner ? pos - 4 : 0) * across;
                uv->uv(at, at + half, stride, p.E, p.I, p.H);
                ref_edge(ref + o, stride, y->top ? 0 : pos, y->top ? pos : 0, y->top, 16, y->kind,
                         p.E, p.I, p.H, &st);
            }
            ok &= memcmp(a, b, sizeof(a)) == 0;
            ref_ok &= memcmp(a, ref, sizeof(a)) == 0;
        }
        check(t, ok, "%s != %s on both halves%s", y->name, uv->name,
              y->inner ? " at 4, 8, 12" : "");
        check(t, ref_ok, "%s != separate reference edges%s", y->name,
              y->inner ? " at 4, 8, 12 in order" : "");
    }
}

/* U and V get identical treatment, and neither plane's result depends on the other. */
static void test_lf_uv_symmetry(Tally *t, Rng *r)
{
    for (int ci = 4; ci < 8; ci++) {
        const LfCase *c = &lf_cases[ci];
        int same = 1, independent = 1;
        for (int trial = 0; trial < 300; trial++) {
            uint8_t u[LF_ROWS * LF_STRIDE_MAX], v[sizeof(u)], u2[sizeof(u)], w[sizeof(u)];
            const ptrdiff_t stride = LF_STRIDE_MAX, o = LF_ORIGIN * stride + LF_ORIGIN;
            const LfParams p = random_params(r, c);

            fill_blocky(u, stride, r);
            memcpy(v, u, sizeof(u));
            memcpy(u2, u, sizeof(u));
            fill_blocky(w, stride, r);
            c->uv(u + o, v + o, stride, p.E, p.I, p.H);
            same &= memcmp(u, v, sizeof(u)) == 0;
            c->uv(u2 + o, w + o, stride, p.E, p.I, p.H);
            independent &= memcmp(u, u2, sizeof(u)) == 0;
        }
        check(t, same, "%s: identical U and V inputs gave different outputs", c->name);
        check(t, independent, "%s: the U result depends on the V plane", c->name);
    }
}

/*
 * Memory: each plane is a heap block holding exactly the pixels the kernel's edges span (4 on
 * each side of an MB edge; the whole block for inner edges), with the tightest stride, so
 * AddressSanitizer flags any access outside; the result must still match the reference.
 */
static void test_lf_tight_buffers(Tally *t, Rng *r)
{
    for (int ci = 0; ci < N_LF_CASES; ci++) {
        const LfCase *c = &lf_cases[ci];
        const int size = lf_size(c);
        const int across = c->inner ? size : 8; /* extent across the edge(s) */
        const ptrdiff_t stride = c->top ? size : across;
        const ptrdiff_t o = c->inner ? 0 : (c->top ? 4 * stride : 4);
        const size_t n = (size_t)(size * across);
        int ok = 1;

        for (int trial = 0; trial < 200; trial++) {
            uint8_t *u = malloc(n), *v = malloc(n), *ru = malloc(n), *rv = malloc(n);
            const LfParams p = random_params(r, c);
            RefStats st;
            memset(&st, 0, sizeof(st));
            if (!u || !v || !ru || !rv) {
                free(u);
                free(v);
                free(ru);
                free(rv);
                check(t, 0, "out of memory");
                return;
            }
            /* Smooth data so that many segments are actually filtered. */
            fill_pixels(u, n, r, 2 + (trial & 1) * 2);
            fill_pixels(v, n, r, 2);
            memcpy(ru, u, n);
            memcpy(rv, v, n);
            run_lf(c, u + o, v + o, stride, p.E, p.I, p.H);
            ref_lf(c, ru + o, rv + o, stride, p.E, p.I, p.H, &st);
            ok &= memcmp(u, ru, n) == 0 && memcmp(v, rv, n) == 0;
            free(u);
            free(v);
            free(ru);
            free(rv);
        }
        check(t, ok, "%s wrong in a tightly sized buffer", c->name);
    }
}

static void test_lf_init(Tally *t)
{
    Vp8LoopfilterDsp d;
    memset(&d, 0, sizeof(d));
    vp8_loopfilter_dsp_init(&d, 0);
    check(t,
          d.mb_top_y == vp8_lf_mb_top_y_c && d.mb_left_y == vp8_lf_mb_left_y_c &&
              d.inner_top_y == vp8_lf_inner_top_y_c && d.inner_left_y == vp8_lf_inner_left_y_c &&
              d.mb_top_uv == vp8_lf_mb_top_uv_c && d.mb_left_uv == vp8_lf_mb_left_uv_c &&
              d.inner_top_uv == vp8_lf_inner_top_uv_c &&
              d.inner_left_uv == vp8_lf_inner_left_uv_c &&
              d.simple_mb_top == vp8_lf_simple_mb_top_c &&
              d.simple_mb_left == vp8_lf_simple_mb_left_c &&
              d.simple_inner_top == vp8_lf_simple_inner_top_c &&
              d.simple_inner_left == vp8_lf_simple_inner_left_c,
          "vp8_loopfilter_dsp_init installed a wrong function");
}

int main(void)
{
    Tally t = { 0, 0 };
    Rng r = { 0x12345678u };

    test_mc_tables_and_init(&t);
    test_mc_reference(&t, &r);
    test_mc_margins(&t, &r);
    test_mc_composition(&t, &r);
    test_mc_identities(&t, &r);

    test_lf_init(&t);
    test_lf_reference(&t, &r);
    test_lf_boundaries(&t);
    test_lf_composition(&t, &r);
    test_lf_uv_symmetry(&t, &r);
    test_lf_tight_buffers(&t, &r);

    printf("%d passed, %d failed\n", t.passed, t.failed);
    return t.failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
