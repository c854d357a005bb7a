/*
 * checkasm: the idct domain (src/idct.h): inverse DCT + add, DC-only add, the per-macroblock luma
 * and chroma forms, the inverse WHT and its DC-only form.
 *
 * Inputs mix realistic coefficients with extreme ones (+-32767, -32768, full-range random): the C
 * fallbacks wrap the first pass to 16 bits but keep the second pass's sums in int, and the asm
 * must reproduce both. Every test compares the whole pixel area around the block (nothing outside
 * it may change) and the coefficient storage afterwards (what the kernel consumes must be zero,
 * nothing else may change). One run per kernel uses guarded buffers, so reading past the block
 * or the coefficients crashes.
 */
#include <stdio.h>

#include "checkasm.h"
#include "idct.h"

/* Pixel canvas: blocks are placed at (MARGIN, MARGIN); the whole canvas is compared. */
enum { MARGIN = 8, MAX_STRIDE = 64 + 2 * MARGIN, CANVAS_ROWS = 16 + 2 * MARGIN };

static int16_t rand_coef(int mode)
{
    static const int16_t extremes[] = { -32768, -32767, 32767, 32766, -1, 0, 1, 4, -4, 16384, -16384 };
    switch (mode) {
    case 0: /* realistic: small, mostly low frequency */
        return (int16_t)checkasm_rand_range(-300, 300);
    case 1: /* anything */
        return (int16_t)checkasm_rand();
    case 2: /* extremes only */
        return extremes[checkasm_rand_range(0, (int)(sizeof extremes / sizeof extremes[0]) - 1)];
    default: /* mix */
        return checkasm_rand_range(0, 3) == 0 ? extremes[checkasm_rand_range(0, 10)]
                                              : (int16_t)checkasm_rand_range(-2048, 2047);
    }
}

/* Random coefficients for a block; eob > 1 means any of the 16, otherwise DC only. */
static void rand_block(int16_t *b, int eob, int mode)
{
    memset(b, 0, 16 * sizeof b[0]);
    if (eob > 1) {
        for (int i = 0; i < 16; i++)
            b[i] = checkasm_rand_range(0, 3) ? rand_coef(mode) : 0;
        /* A share of blocks with an all-extreme pattern, the worst case for both passes. */
        if (checkasm_rand_range(0, 15) == 0) {
            int16_t v = checkasm_rand_range(0, 1) ? 32767 : -32768;
            for (int i = 0; i < 16; i++)
                b[i] = checkasm_rand_range(0, 1) ? v : (int16_t)-v - 1;
        }
    } else if (checkasm_rand_range(0, 4)) {
        b[0] = rand_coef(mode);
    }
}

static int rand_mode(void) { return checkasm_rand_range(0, 3); }

static void rand_pixels(uint8_t *p, size_t n);
static void sweep_idct_add(vp8_idct_add_fn ref, vp8_idct_add_fn fn, int dc_only);

/* Extreme or random pixels (saturation at both ends is where clamping bugs hide). */
static void rand_pixels(uint8_t *p, size_t n)
{
    int kind = checkasm_rand_range(0, 3);
    for (size_t i = 0; i < n; i++)
        p[i] = kind == 0 ? 0 : kind == 1 ? 255 : (uint8_t)checkasm_rand();
}

static ptrdiff_t rand_stride(int width)
{
    /* Any stride >= width + 2 * MARGIN, not necessarily a multiple of anything. */
    return width + 2 * MARGIN + checkasm_rand_range(0, MAX_STRIDE - width - 2 * MARGIN);
}

static void test_idct_add(vp8_idct_add_fn ref, vp8_idct_add_fn fn, const char *name, int dc_only)
{
    CHECKASM_ALIGN(16) uint8_t px_c[CANVAS_ROWS * MAX_STRIDE], px_a[CANVAS_ROWS * MAX_STRIDE];
    CHECKASM_ALIGN(16) int16_t co_c[16], co_a[16];
    char what[96];

    for (int it = 0; it < 4 * CHECKASM_ITERATIONS && !checkasm_failed(); it++) {
        ptrdiff_t stride = rand_stride(4);
        int mode = rand_mode();
        rand_pixels(px_c, sizeof px_c);
        memcpy(px_a, px_c, sizeof px_c);
        rand_block(co_c, dc_only ? 1 : 16, mode);
        if (dc_only && it % 7 == 0)
            co_c[0] = (int16_t)(it % 2 ? 32767 : -32768);
        memcpy(co_a, co_c, sizeof co_c);
        /* Odd offsets as well: no alignment is promised for dst. */
        int off = MARGIN * (int)stride + MARGIN + checkasm_rand_range(-3, 3);
        ref(px_c + off, stride, co_c);
        checkasm_call_checked(fn, px_a + off, stride, co_a);
        snprintf(what, sizeof what, "pixels (iteration %d, stride %td, canvas origin %d,%d)", it,
                 stride, MARGIN, MARGIN);
        if (!checkasm_check_u8(what, px_c, stride, px_a, stride, (int)stride, CANVAS_ROWS))
            break;
        checkasm_check_i16("coefficients after the call", co_c, 16, co_a, 16, 16, 1);
    }

    if (!checkasm_failed())
        sweep_idct_add(ref, fn, dc_only);

    /* Guarded: the last pixel row ends at a page end, the coefficients end at another, and a
     * second run with both starting right after an inaccessible page. */
    for (int at_end = 0; at_end < 2 && !checkasm_failed(); at_end++) {
        ptrdiff_t stride = 37;
        uint8_t *px = checkasm_guarded_alloc((size_t)(3 * stride + 4), at_end);
        int16_t *co = checkasm_guarded_alloc(16 * sizeof(int16_t), at_end);
        uint8_t ref_px[3 * 37 + 4];
        int16_t ref_co[16];
        rand_pixels(px, (size_t)(3 * stride + 4));
        rand_block(co, dc_only ? 1 : 16, 3);
        memcpy(ref_px, px, sizeof ref_px);
        memcpy(ref_co, co, sizeof ref_co);
        ref(ref_px, stride, ref_co);
        checkasm_call_checked(fn, px, stride, co);
        checkasm_check_u8("pixels (guarded buffers)", ref_px, stride, px, stride, 4, 4);
        checkasm_check_i16("coefficients (guarded buffers)", ref_co, 16, co, 16, 16, 1);
    }

    if (checkasm_bench_enabled()) {
        int16_t saved[16];
        CHECKASM_ALIGN(16) int16_t co[16];
        rand_block(saved, dc_only ? 1 : 16, 0);
        saved[0] = 100;
        CHECKASM_BENCH(memcpy(co, saved, sizeof co), fn, ref, px_a + 8 * 32 + 8, (ptrdiff_t)32,
                       co);
    }
    (void)name;
}


/* Exhaustive per position: every int16 value at every coefficient position (only position 0 for
 * the DC form), once over an empty block and once over a random mixed-extreme background, on
 * random pixels. With the random extremes above, every input of the pass-1 multiplies is covered
 * rather than sampled. */
static void sweep_idct_add(vp8_idct_add_fn ref, vp8_idct_add_fn fn, int dc_only)
{
    CHECKASM_ALIGN(16) uint8_t px_c[4 * 8], px_a[4 * 8], px0[4 * 8];
    CHECKASM_ALIGN(16) int16_t co_c[16], co_a[16], bg[16];
    for (int pass = 0; pass < 2 && !checkasm_failed(); pass++)
        for (int p = 0; p < (dc_only ? 1 : 16) && !checkasm_failed(); p++) {
            rand_block(bg, dc_only ? 1 : 16, 3);
            if (pass == 0 || dc_only)
                memset(bg, 0, sizeof bg);
            rand_pixels(px0, sizeof px0);
            for (int v = -32768; v <= 32767; v++) {
                memcpy(co_c, bg, sizeof bg);
                co_c[p] = (int16_t)v;
                memcpy(co_a, co_c, sizeof co_c);
                memcpy(px_c, px0, sizeof px0);
                memcpy(px_a, px0, sizeof px0);
                ref(px_c + 2, 8, co_c);
                fn(px_a + 2, 8, co_a);
                if (memcmp(px_c, px_a, sizeof px_c) || memcmp(co_c, co_a, sizeof co_c)) {
                    checkasm_check_u8("pixels", px_c, 8, px_a, 8, 8, 4);
                    checkasm_check_i16("coefficients", co_c, 16, co_a, 16, 16, 1);
                    checkasm_fail("exhaustive sweep: coefficient %d = %d over a%s background", p,
                                  v, pass ? " random" : "n empty");
                    return;
                }
            }
        }
}

/* One macroblock's worth: n blocks of which each gets a random eob (0, 1 or > 1, biased towards
 * the mixes real streams have), coefficients to match. */
static void rand_mb(int16_t (*blocks)[16], uint8_t *eobs, int n, int density)
{
    int mode = rand_mode();
    for (int i = 0; i < n; i++) {
        int r = checkasm_rand_range(0, 99);
        eobs[i] = r < density ? (uint8_t)checkasm_rand_range(2, 16)
                              : (uint8_t)checkasm_rand_range(0, 1);
        rand_block(blocks[i], eobs[i], mode);
    }
}

/* The exhaustive sweep for the macroblock forms: each call gives its n blocks (16 luma or 4 + 4
 * chroma) consecutive values at position p, so 65536 / n calls cover every value; eob 16 (full
 * transform), or eob 1 when p == 0 on the second pass (the DC-only path with every DC). */
static void sweep_mb(vp8_idct_add_y_fn ref_y, vp8_idct_add_y_fn fn_y, vp8_idct_add_uv_fn ref_uv,
                     vp8_idct_add_uv_fn fn_uv)
{
    enum { S = 24 };
    CHECKASM_ALIGN(16) uint8_t px0[2 * 16 * S], px_c[2 * 16 * S], px_a[2 * 16 * S];
    CHECKASM_ALIGN(16) int16_t co_c[16][16], co_a[16][16], bg[16][16];
    uint8_t eobs[16];
    int n = ref_y ? 16 : 8;
    memset(bg, 0, sizeof bg);
    for (int pass = 0; pass < 2 && !checkasm_failed(); pass++)
        for (int p = 0; p < 16 && !checkasm_failed(); p++) {
            int eob = pass == 1 && p == 0 ? 1 : 16;
            for (int k = 0; k < n; k++) {
                rand_block(bg[k], eob, 3);
                if (pass == 0)
                    memset(bg[k], 0, sizeof bg[k]);
                eobs[k] = (uint8_t)eob;
            }
            rand_pixels(px0, sizeof px0);
            for (int v = -32768; v <= 32767; v += n) {
                memcpy(co_c, bg, sizeof co_c);
                for (int k = 0; k < n; k++)
                    co_c[k][p] = (int16_t)(v + k);
                memcpy(co_a, co_c, sizeof co_c);
                memcpy(px_c, px0, sizeof px0);
                memcpy(px_a, px0, sizeof px0);
                if (ref_y) {
                    ref_y(px_c + 4, S, co_c, eobs);
                    fn_y(px_a + 4, S, co_a, eobs);
                } else {
                    ref_uv(px_c + 4, px_c + 16 * S + 4, S, co_c, eobs);
                    fn_uv(px_a + 4, px_a + 16 * S + 4, S, co_a, eobs);
                }
                if (memcmp(px_c, px_a, sizeof px_c) || memcmp(co_c, co_a, sizeof co_c)) {
                    checkasm_check_u8("pixels (U above V for chroma)", px_c, S, px_a, S, S, 32);
                    checkasm_check_i16("coefficients (row = block)", &co_c[0][0], 16,
                                       &co_a[0][0], 16, 16, 16);
                    checkasm_fail("exhaustive sweep: coefficient %d = %d..%d in blocks 0..%d "
                                  "(eob %d) over a%s background", p, v, v + n - 1, n - 1, eob,
                                  pass ? " random" : "n empty");
                    return;
                }
            }
        }
}

/* The same for the WHT: every value at every position of y2, on empty and random backgrounds. */
static void sweep_iwht(vp8_iwht_fn ref, vp8_iwht_fn fn, int dc_only)
{
    CHECKASM_ALIGN(16) int16_t bl_c[16][16], bl_a[16][16], bl0[16][16];
    CHECKASM_ALIGN(16) int16_t y2_c[16], y2_a[16], bg[16];
    checkasm_rand_bytes(bl0, sizeof bl0);
    for (int pass = 0; pass < 2 && !checkasm_failed(); pass++)
        for (int p = 0; p < (dc_only ? 1 : 16) && !checkasm_failed(); p++) {
            rand_block(bg, 16, 3);
            if (pass == 0 || dc_only)
                memset(bg, 0, sizeof bg);
            for (int v = -32768; v <= 32767; v++) {
                memcpy(y2_c, bg, sizeof bg);
                y2_c[p] = (int16_t)v;
                memcpy(y2_a, y2_c, sizeof y2_c);
                memcpy(bl_c, bl0, sizeof bl0);
                memcpy(bl_a, bl0, sizeof bl0);
                ref(bl_c, y2_c);
                fn(bl_a, y2_a);
                if (memcmp(bl_c, bl_a, sizeof bl_c) || memcmp(y2_c, y2_a, sizeof y2_c)) {
                    checkasm_check_i16("luma blocks (row = block)", &bl_c[0][0], 16, &bl_a[0][0],
                                       16, 16, 16);
                    checkasm_check_i16("y2", y2_c, 16, y2_a, 16, 16, 1);
                    checkasm_fail("exhaustive sweep: y2[%d] = %d over a%s background", p, v,
                                  pass ? " random" : "n empty");
                    return;
                }
            }
        }
}

static void test_idct_add_y(vp8_idct_add_y_fn ref, vp8_idct_add_y_fn fn)
{
    CHECKASM_ALIGN(16) uint8_t px_c[CANVAS_ROWS * MAX_STRIDE], px_a[CANVAS_ROWS * MAX_STRIDE];
    CHECKASM_ALIGN(16) int16_t co_c[16][16], co_a[16][16];
    uint8_t eobs[16];
    char what[96];

    for (int it = 0; it < CHECKASM_ITERATIONS && !checkasm_failed(); it++) {
        ptrdiff_t stride = rand_stride(16);
        rand_pixels(px_c, sizeof px_c);
        memcpy(px_a, px_c, sizeof px_c);
        rand_mb(co_c, eobs, 16, (int[]){ 0, 10, 50, 100 }[it % 4]);
        memcpy(co_a, co_c, sizeof co_c);
        int off = MARGIN * (int)stride + MARGIN + checkasm_rand_range(-3, 3);
        ref(px_c + off, stride, co_c, eobs);
        checkasm_call_checked(fn, px_a + off, stride, co_a, eobs);
        snprintf(what, sizeof what, "pixels (iteration %d, stride %td, canvas origin %d,%d)", it,
                 stride, MARGIN, MARGIN);
        if (!checkasm_check_u8(what, px_c, stride, px_a, stride, (int)stride, CANVAS_ROWS))
            break;
        checkasm_check_i16("coefficients after the call (row = block)", &co_c[0][0], 16,
                           &co_a[0][0], 16, 16, 16);
    }

    if (!checkasm_failed())
        sweep_mb(ref, fn, NULL, NULL);

    if (!checkasm_failed()) {
        ptrdiff_t stride = 16;
        uint8_t *px = checkasm_guarded_alloc((size_t)(15 * stride + 16), 1);
        int16_t(*co)[16] = checkasm_guarded_alloc(sizeof co_c, 1);
        uint8_t *eo = checkasm_guarded_alloc(16, 1);
        rand_pixels(px, (size_t)(15 * stride + 16));
        rand_mb(co, eo, 16, 50);
        memcpy(px_c, px, (size_t)(15 * stride + 16));
        memcpy(co_c, co, sizeof co_c);
        ref(px_c, stride, co_c, eo);
        checkasm_call_checked(fn, px, stride, co, eo);
        checkasm_check_u8("pixels (guarded buffers)", px_c, stride, px, stride, 16, 16);
        checkasm_check_i16("coefficients (guarded buffers)", &co_c[0][0], 16, &co[0][0], 16, 16,
                           16);
    }

    if (checkasm_bench_enabled()) {
        /* A typical busy macroblock: a third of the blocks full, a third DC-only, a third empty. */
        static int16_t saved[16][16];
        static uint8_t beobs[16];
        CHECKASM_ALIGN(16) static int16_t co[16][16];
        for (int i = 0; i < 16; i++) {
            beobs[i] = (uint8_t)(i % 3 == 0 ? 6 : i % 3 == 1 ? 1 : 0);
            rand_block(saved[i], beobs[i], 0);
        }
        CHECKASM_BENCH(memcpy(co, saved, sizeof co), fn, ref, px_a + 8 * 32 + 8, (ptrdiff_t)32,
                       co, beobs);
    }
}

static void test_idct_add_uv(vp8_idct_add_uv_fn ref, vp8_idct_add_uv_fn fn)
{
    CHECKASM_ALIGN(16) uint8_t u_c[CANVAS_ROWS * MAX_STRIDE], u_a[CANVAS_ROWS * MAX_STRIDE];
    CHECKASM_ALIGN(16) uint8_t v_c[CANVAS_ROWS * MAX_STRIDE], v_a[CANVAS_ROWS * MAX_STRIDE];
    CHECKASM_ALIGN(16) int16_t co_c[8][16], co_a[8][16];
    uint8_t eobs[8];
    char what[96];

    for (int it = 0; it < CHECKASM_ITERATIONS && !checkasm_failed(); it++) {
        ptrdiff_t stride = rand_stride(8);
        rand_pixels(u_c, sizeof u_c);
        rand_pixels(v_c, sizeof v_c);
        memcpy(u_a, u_c, sizeof u_c);
        memcpy(v_a, v_c, sizeof v_c);
        rand_mb(co_c, eobs, 8, (int[]){ 0, 10, 50, 100 }[it % 4]);
        memcpy(co_a, co_c, sizeof co_c);
        int off = MARGIN * (int)stride + MARGIN + checkasm_rand_range(-3, 3);
        ref(u_c + off, v_c + off, stride, co_c, eobs);
        checkasm_call_checked(fn, u_a + off, v_a + off, stride, co_a, eobs);
        snprintf(what, sizeof what, "U pixels (iteration %d, stride %td, canvas origin %d,%d)",
                 it, stride, MARGIN, MARGIN);
        if (!checkasm_check_u8(what, u_c, stride, u_a, stride, (int)stride, CANVAS_ROWS))
            break;
        what[0] = 'V';
        if (!checkasm_check_u8(what, v_c, stride, v_a, stride, (int)stride, CANVAS_ROWS))
            break;
        checkasm_check_i16("coefficients after the call (row = block)", &co_c[0][0], 16,
                           &co_a[0][0], 16, 16, 8);
    }

    if (!checkasm_failed())
        sweep_mb(NULL, NULL, ref, fn);

    if (!checkasm_failed()) {
        ptrdiff_t stride = 8;
        uint8_t *u = checkasm_guarded_alloc((size_t)(7 * stride + 8), 1);
        uint8_t *v = checkasm_guarded_alloc((size_t)(7 * stride + 8), 0);
        int16_t(*co)[16] = checkasm_guarded_alloc(sizeof co_c, 1);
        uint8_t *eo = checkasm_guarded_alloc(8, 1);
        rand_pixels(u, (size_t)(7 * stride + 8));
        rand_pixels(v, (size_t)(7 * stride + 8));
        rand_mb(co, eo, 8, 50);
        memcpy(u_c, u, (size_t)(7 * stride + 8));
        memcpy(v_c, v, (size_t)(7 * stride + 8));
        memcpy(co_c, co, sizeof co_c);
        ref(u_c, v_c, stride, co_c, eo);
        checkasm_call_checked(fn, u, v, stride, co, eo);
        checkasm_check_u8("U pixels (guarded buffers)", u_c, stride, u, stride, 8, 8);
        checkasm_check_u8("V pixels (guarded buffers)", v_c, stride, v, stride, 8, 8);
        checkasm_check_i16("coefficients (guarded buffers)", &co_c[0][0], 16, &co[0][0], 16, 16,
                           8);
    }

    if (checkasm_bench_enabled()) {
        static int16_t saved[8][16];
        static uint8_t beobs[8];
        CHECKASM_ALIGN(16) static int16_t co[8][16];
        for (int i = 0; i < 8; i++) {
            beobs[i] = (uint8_t)(i % 3 == 0 ? 6 : i % 3 == 1 ? 1 : 0);
            rand_block(saved[i], beobs[i], 0);
        }
        CHECKASM_BENCH(memcpy(co, saved, sizeof co), fn, ref, u_a + 8 * 32 + 8,
                       v_a + 8 * 32 + 8, (ptrdiff_t)32, co, beobs);
    }
}

static void test_iwht(vp8_iwht_fn ref, vp8_iwht_fn fn, int dc_only)
{
    CHECKASM_ALIGN(16) int16_t bl_c[16][16], bl_a[16][16];
    CHECKASM_ALIGN(16) int16_t y2_c[16], y2_a[16];

    for (int it = 0; it < 4 * CHECKASM_ITERATIONS && !checkasm_failed(); it++) {
        /* The other coefficients of the luma blocks must survive untouched. */
        checkasm_rand_bytes(bl_c, sizeof bl_c);
        memcpy(bl_a, bl_c, sizeof bl_c);
        rand_block(y2_c, dc_only ? 1 : 16, rand_mode());
        if (dc_only && it % 5 == 0)
            y2_c[0] = (int16_t)(it % 2 ? 32767 : -32768);
        memcpy(y2_a, y2_c, sizeof y2_c);
        ref(bl_c, y2_c);
        checkasm_call_checked(fn, bl_a, y2_a);
        if (!checkasm_check_i16("luma blocks (row = block)", &bl_c[0][0], 16, &bl_a[0][0], 16,
                                16, 16))
            checkasm_fail("iteration %d", it);
        checkasm_check_i16("y2 after the call", y2_c, 16, y2_a, 16, 16, 1);
    }

    if (!checkasm_failed())
        sweep_iwht(ref, fn, dc_only);

    if (!checkasm_failed()) {
        /* blocks[15][0] is the last element written: put the guard right after the array. */
        int16_t(*bl)[16] = checkasm_guarded_alloc(sizeof bl_c, 1);
        int16_t *y2 = checkasm_guarded_alloc(sizeof y2_c, 1);
        checkasm_rand_bytes(bl, sizeof bl_c);
        rand_block(y2, dc_only ? 1 : 16, 3);
        memcpy(bl_c, bl, sizeof bl_c);
        memcpy(y2_c, y2, sizeof y2_c);
        ref(bl_c, y2_c);
        checkasm_call_checked(fn, bl, y2);
        checkasm_check_i16("luma blocks (guarded buffers)", &bl_c[0][0], 16, &bl[0][0], 16, 16,
                           16);
        checkasm_check_i16("y2 (guarded buffers)", y2_c, 16, y2, 16, 16, 1);
    }

    if (checkasm_bench_enabled()) {
        int16_t saved[16];
        rand_block(saved, dc_only ? 1 : 16, 0);
        saved[0] = 300;
        CHECKASM_BENCH(memcpy(y2_a, saved, sizeof saved), fn, ref, bl_a, y2_a);
    }
}

void checkasm_check_idct(void)
{
    Vp8IdctDsp ref, dsp;
    vp8_idct_dsp_init(&ref, 0);
    vp8_idct_dsp_init(&dsp, checkasm_cpu_flags());

    if (checkasm_check_func(dsp.idct_add, "idct_add"))
        test_idct_add(ref.idct_add, dsp.idct_add, "idct_add", 0);
    if (checkasm_check_func(dsp.idct_dc_add, "idct_dc_add"))
        test_idct_add(ref.idct_dc_add, dsp.idct_dc_add, "idct_dc_add", 1);
    if (checkasm_check_func(dsp.idct_add_y, "idct_add_y"))
        test_idct_add_y(ref.idct_add_y, dsp.idct_add_y);
    if (checkasm_check_func(dsp.idct_add_uv, "idct_add_uv"))
        test_idct_add_uv(ref.idct_add_uv, dsp.idct_add_uv);
    if (checkasm_check_func(dsp.iwht, "iwht"))
        test_iwht(ref.iwht, dsp.iwht, 0);
    if (checkasm_check_func(dsp.iwht_dc, "iwht_dc"))
        test_iwht(ref.iwht_dc, dsp.iwht_dc, 1);
}
