/*
 * checkasm: the mc domain (src/mc.h): six-tap and bilinear sub-pixel prediction, 16x16, 8x8, 8x4
 * and 4x4.
 *
 * Every kernel runs every (mx, my) in 0..7 x 0..7 (copy, horizontal only, vertical only, two
 * passes) many times over, with pixels that stress the arithmetic: uniform random, all 0, all 255,
 * random 0/255 (every sign pattern of the six taps, i.e. the extreme sums the clamps and the
 * 16-bit intermediates must survive), near-extremes and flat areas. Source strides range from the
 * minimal one (= W, rows overlapping their margins) through odd values to large ones; the
 * destination sits at a random (unaligned) offset in a canvas that is compared whole, so writes
 * outside the block are caught. A second series puts the source's readable area (mc.h: six-tap
 * rows -2 .. H+2, columns -2 .. W+2; bilinear rows 0 .. H, columns 0 .. W) right after or right
 * before an inaccessible page, for every (mx, my): any read outside the contract crashes.
 */
#include <stdio.h>

#include "checkasm.h"
#include "mc.h"

enum {
    MAX_W = 16,
    MAX_H = 16,
    MAX_SRC_STRIDE = 2200,
    SRC_ROWS = MAX_H + 5,
    DST_MARGIN = 4,                     /* rows above and below the block in the dst canvas */
    MAX_DST_STRIDE = 2200,
    DST_ROWS = MAX_H + 2 * DST_MARGIN,
};

static const int mc_w[VP8_MC_SIZES] = { 16, 8, 8, 4 };
static const int mc_h[VP8_MC_SIZES] = { 16, 8, 4, 4 };
static const char *const mc_names[VP8_MC_FILTERS][VP8_MC_SIZES] = {
    { "sixtap_16x16", "sixtap_8x8", "sixtap_8x4", "sixtap_4x4" },
    { "bilinear_16x16", "bilinear_8x8", "bilinear_8x4", "bilinear_4x4" },
};

static CHECKASM_ALIGN(32) uint8_t src_buf[SRC_ROWS * MAX_SRC_STRIDE + 64];
static CHECKASM_ALIGN(32) uint8_t dst_c[DST_ROWS * MAX_DST_STRIDE];
static CHECKASM_ALIGN(32) uint8_t dst_a[DST_ROWS * MAX_DST_STRIDE];

enum { PIXEL_MODES = 8 };

static uint8_t rand_pixel(int mode, int level)
{
    uint32_t r = checkasm_rand();
    switch (mode) {
    case 0: return (uint8_t)r;                               /* uniform */
    case 1: return 0;
    case 2: return 255;
    case 3: return (r & 1) ? 255 : 0;                        /* every tap sign pattern */
    case 4: return (r & 3) ? 255 : 0;                        /* mostly 255: large positive sums */
    case 5: return (r & 3) ? 0 : 255;                        /* mostly 0: negative sums */
    case 6: return (uint8_t)((r & 1) ? 250 + (r >> 1) % 6 : (r >> 1) % 6);
    default: return (uint8_t)(level + (int)((r >> 8) % 5) - 2); /* flat area */
    }
}

/* Fill the rows x cols area starting at p (stride apart) with pixels of one mode. */
static void fill_area(uint8_t *p, ptrdiff_t stride, int rows, int cols, int mode)
{
    int level = checkasm_rand_range(2, 253);
    for (int y = 0; y < rows; y++)
        for (int x = 0; x < cols; x++)
            p[y * stride + x] = rand_pixel(mode, level);
}

static ptrdiff_t rand_src_stride(int w, int sixtap)
{
    switch (checkasm_rand_range(0, 5)) {
    case 0: return w;                                        /* minimal: rows overlap margins */
    case 1: return w + (sixtap ? 5 : 1);                     /* exactly the readable width */
    case 2: return w + 2 * checkasm_rand_range(0, 20) + 1;   /* odd */
    case 3: return checkasm_rand_range(w, 96);
    case 4: return checkasm_rand_range(1024, MAX_SRC_STRIDE);
    default: return 32;
    }
}

static ptrdiff_t rand_dst_stride(int w)
{
    switch (checkasm_rand_range(0, 3)) {
    case 0: return w + 8;                                    /* no room beyond the 4-byte offset */
    case 1: return w + 8 + 2 * checkasm_rand_range(0, 20) + 1;
    case 2: return checkasm_rand_range(1024, MAX_DST_STRIDE);
    default: return 64;
    }
}

static void test_mc(vp8_mc_fn ref, vp8_mc_fn fn, int w, int h, int sixtap)
{
    /* The readable area (mc.h): six-tap rows -2 .. h+2 and columns -2 .. w+2, bilinear rows
     * 0 .. h and columns 0 .. w; the block starts m0 rows and columns into it. */
    const int m0 = sixtap ? 2 : 0;
    const int area_rows = sixtap ? h + 5 : h + 1, area_cols = sixtap ? w + 5 : w + 1;
    char what[160];

    for (int it = 0; it < 16 * 64 && !checkasm_failed(); it++) {
        int mx = it & 7, my = (it >> 3) & 7;
        int mode = checkasm_rand_range(0, PIXEL_MODES - 1);
        ptrdiff_t ss = rand_src_stride(w, sixtap);
        ptrdiff_t ds = rand_dst_stride(w);
        /* src block at row m0 / column m0 of its area, the area itself at a random offset */
        uint8_t *area = src_buf + checkasm_rand_range(0, 31);
        const uint8_t *src = area + m0 * ss + m0;
        fill_area(area, ss, area_rows, area_cols, mode);

        checkasm_rand_bytes(dst_c, (size_t)(DST_ROWS * ds));
        memcpy(dst_a, dst_c, (size_t)(DST_ROWS * ds));
        int off = DST_MARGIN * (int)ds + checkasm_rand_range(0, 4);

        ref(dst_c + off, ds, src, ss, mx, my);
        checkasm_call_checked(fn, dst_a + off, ds, src, ss, mx, my);
        snprintf(what, sizeof what,
                 "dst canvas (mx %d, my %d, src_stride %td, dst_stride %td, pixel mode %d, "
                 "iteration %d, block at (%d,%d))",
                 mx, my, ss, ds, mode, it, off % (int)ds, DST_MARGIN);
        if (!checkasm_check_u8(what, dst_c, ds, dst_a, ds, (int)ds, DST_ROWS))
            break;
    }

    /* Guarded: the readable area exactly, its first byte right after an inaccessible page
     * (at_end 0) or its last byte right before one (at_end 1); minimal and odd strides. */
    uint8_t *guarded[2][2];
    ptrdiff_t gstride[2] = { area_cols, area_cols + 7 };
    for (int s = 0; s < 2; s++)
        for (int at_end = 0; at_end < 2; at_end++)
            guarded[s][at_end] = checkasm_guarded_alloc(
                (size_t)((area_rows - 1) * gstride[s] + area_cols), at_end);
    for (int it = 0; it < 4 * 64 && !checkasm_failed(); it++) {
        int mx = it & 7, my = (it >> 3) & 7, s = (it >> 6) & 1, at_end = it >> 7;
        ptrdiff_t ss = gstride[s];
        uint8_t *area = guarded[s][at_end];
        const uint8_t *src = area + m0 * ss + m0;
        ptrdiff_t ds = w + 8;
        fill_area(area, ss, area_rows, area_cols, it % PIXEL_MODES);
        memset(dst_c, 0x5a, (size_t)(h * ds));
        memset(dst_a, 0x5a, (size_t)(h * ds));
        ref(dst_c, ds, src, ss, mx, my);
        checkasm_call_checked(fn, dst_a, ds, src, ss, mx, my);
        snprintf(what, sizeof what,
                 "dst (guarded source, mx %d, my %d, src_stride %td, guard %s)", mx, my, ss,
                 at_end ? "after" : "before");
        if (!checkasm_check_u8(what, dst_c, ds, dst_a, ds, (int)ds, h))
            break;
    }

    if (checkasm_bench_enabled()) {
        /* The average over all 64 (mx, my): copy, one pass and two passes, as a decoder mixes
         * them (the index advances in `prep`, whose cost is subtracted). */
        unsigned bi = 0;
        ptrdiff_t ss = 64, ds = 64;
        const uint8_t *src = src_buf + 2 * ss + 8;
        fill_area(src_buf, ss, SRC_ROWS, 40, 0);
        CHECKASM_BENCH(bi = (bi + 1) & 63, fn, ref, dst_a, ds, src, ss, (int)(bi & 7),
                       (int)(bi >> 3));
    }
}

void checkasm_check_mc(void)
{
    Vp8McDsp ref, dsp;
    vp8_mc_dsp_init(&ref, 0);
    vp8_mc_dsp_init(&dsp, checkasm_cpu_flags());

    for (int f = 0; f < VP8_MC_FILTERS; f++)
        for (int s = 0; s < VP8_MC_SIZES; s++)
            if (checkasm_check_func(dsp.put[f][s], mc_names[f][s]))
                test_mc(ref.put[f][s], dsp.put[f][s], mc_w[s], mc_h[s], f == VP8_MC_SIXTAP);
}
