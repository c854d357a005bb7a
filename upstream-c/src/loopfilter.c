/*
 * Loop filter C fallbacks (RFC 6386 section 15): the normal macroblock-edge and subblock-edge
 * filters, the simple filter, and the table init. One filter over a block of lines serves every
 * kernel, top and left edges, luma and chroma alike.
 */
#include "loopfilter.h"

/*
 * Layout: a kernel copies the pixels it filters into a small local block of "lines" (line k holds
 * the k-th pixel across the edge for every position along it, like a row of a top edge), runs the
 * filter over all positions of a line pair at once, and copies the changed lines back. Inside the
 * block every position is one lane of straight-line arithmetic with no branches and no aliasing,
 * the shape gcc and clang vectorize at -O2 with the SSE2 every x86-64 has (and any other target's
 * SIMD); a per-position loop with early exits stays scalar. Positions the filter leaves alone get
 * an adjustment of zero instead of a branch, which is also what the RFC's masks compute.
 * Left (vertical) edges transpose on the way in and out, so one filter serves both directions.
 * Lines are 16 bytes: a luma edge, or a chroma edge (8 positions) of U and V side by side.
 */
enum { LF_LINE = 16 };

typedef struct LfParams {
    int edge_limit;
    int interior;
    int hev_thresh;
} LfParams;

typedef enum LfKind { LF_SIMPLE, LF_SUBBLOCK, LF_MACROBLOCK } LfKind;

/* Lane arithmetic is int16_t: every intermediate fits (the largest is 27 * w + 63 with
 * |w| <= 128), and 16-bit lanes are what makes the vectorized filter fast (8 per SSE2 register,
 * with native min/max); in int the compilers widen every lane to 32 bits. */
typedef int16_t lane;

/* The RFC's c(): saturate to the signed 8-bit range. */
static inline lane s8(lane v)
{
    return v < -128 ? -128 : (v > 127 ? 127 : v);
}

/* The RFC works on signed values (pixel - 128). The offsets cancel in every difference, and
 * s8(x - 128) + 128 is a clamp to 0..255, so the arithmetic stays on raw pixels. */
static inline uint8_t u8(lane v)
{
    return (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
}

/* The RFC assumes >> floors negative values; in C that is implementation-defined, so shift a
 * biased non-negative value instead (exact for every int16_t v; one shift and one subtract, with
 * no branch for the vectorizers to convert). */
static inline lane asr(lane v, int n)
{
    return (lane)((uint16_t)(v + 32768) >> n) - (lane)(32768 >> n);
}

static inline lane absdiff(lane a, lane b)
{
    return (lane)(a > b ? a - b : b - a);
}

static inline lane lmax(lane a, lane b)
{
    return a > b ? a : b;
}

/* Filter the edge between lines l[3] (p0) and l[4] (q0) of an 8-line window, lanes 0..len-1. */
VP8_ALWAYS_INLINE void filter_lines(uint8_t (*l)[LF_LINE], int len, LfKind kind, LfParams lp)
{
    const lane edge_limit = (lane)lp.edge_limit, interior = (lane)lp.interior;
    const lane hev_thresh = (lane)lp.hev_thresh;
    for (int i = 0; i < len; i++) {
        const lane p3 = l[0][i], p2 = l[1][i], p1 = l[2][i], p0 = l[3][i];
        const lane q0 = l[4][i], q1 = l[5][i], q2 = l[6][i], q3 = l[7][i];
        /* The edge test shared by both filter types (RFC 15.2), then the normal filter's
         * interior test and high edge variance. */
        lane filter = absdiff(p0, q0) * 2 + (absdiff(p1, q1) >> 1) <= edge_limit;
        lane hev = 1;
        if (kind != LF_SIMPLE) {
            lane m = lmax(absdiff(p3, p2), absdiff(p2, p1));
            m = lmax(m, absdiff(p1, p0));
            m = lmax(m, absdiff(q3, q2));
            m = lmax(m, absdiff(q2, q1));
            m = lmax(m, absdiff(q1, q0));
            filter &= m <= interior;
            hev = lmax(absdiff(p1, p0), absdiff(q1, q0)) > hev_thresh;
        }
        /* The edge step; zero where the position is not filtered, which makes every adjustment
         * below zero as well. Without high edge variance the subblock filter leaves the outer taps
         * out of it. */
        const lane hm = (lane)-hev; /* all ones with high edge variance */
        const lane outer = (lane)(s8((lane)(p1 - q1)) & (kind == LF_MACROBLOCK ? -1 : hm));
        const lane w = filter ? s8((lane)(outer + 3 * (q0 - p0))) : 0;
        /* The RFC's common_adjust: +4 and +3 round the two sides differently when w/8 is exactly
         * half-way. */
        const lane f = asr(s8((lane)(w + 4)), 3);
        const lane b = asr(s8((lane)(w + 3)), 3);
        if (kind == LF_MACROBLOCK) {
            /* Without high edge variance: roughly 3/7, 2/7 and 1/7 of the step, decaying away
             * from the edge (|w| <= 128 keeps them inside the int8 range the RFC clamps to). */
            const lane a0 = asr((lane)(27 * w + 63), 7);
            const lane a1 = (lane)(asr((lane)(18 * w + 63), 7) & ~hm);
            const lane a2 = (lane)(asr((lane)(9 * w + 63), 7) & ~hm);
            l[1][i] = u8((lane)(p2 + a2));
            l[2][i] = u8((lane)(p1 + a1));
            l[3][i] = u8((lane)(p0 + ((b & hm) | (a0 & ~hm))));
            l[4][i] = u8((lane)(q0 - ((f & hm) | (a0 & ~hm))));
            l[5][i] = u8((lane)(q1 - a1));
            l[6][i] = u8((lane)(q2 - a2));
        } else {
            l[3][i] = u8((lane)(p0 + b));
            l[4][i] = u8((lane)(q0 - f));
            if (kind == LF_SUBBLOCK) {
                /* p1 and q1 move by about half of the q0 adjustment. */
                const lane a = (lane)(asr((lane)(f + 1), 1) & ~hm);
                /* Named before clamping: with the sums inline, gcc 12 -O2 keeps a branch here
                 * and leaves the whole loop scalar. */
                const lane np1 = (lane)(p1 + a), nq1 = (lane)(q1 - a);
                l[2][i] = u8(np1);
                l[5][i] = u8(nq1);
            }
        }
    }
}

/* Copy lines first..first+n-1 across the edge at `dst` (line k starts k - 4 pixels from q0 of
 * position 0) between the picture and the block. A top edge's lines are picture rows; a left
 * edge's are columns, so its copies transpose, one picture row (one lane) at a time. `left` and
 * the counts are constants at every call site. */
VP8_ALWAYS_INLINE void load_lines(uint8_t (*l)[LF_LINE], int lane0, const uint8_t *dst,
                                  ptrdiff_t stride, int left, int first, int n, int len)
{
    if (left) {
        for (int i = 0; i < len; i++) {
            const uint8_t *row = dst + i * stride - 4;
            for (int k = first; k < first + n; k++)
                l[k][lane0 + i] = row[k];
        }
    } else {
        for (int k = first; k < first + n; k++)
            for (int i = 0; i < len; i++)
                l[k][lane0 + i] = dst[(k - 4) * stride + i];
    }
}

VP8_ALWAYS_INLINE void store_lines(uint8_t (*l)[LF_LINE], int lane0, uint8_t *dst,
                                   ptrdiff_t stride, int left, int first, int n, int len)
{
    if (left) {
        for (int i = 0; i < len; i++) {
            uint8_t *row = dst + i * stride - 4;
            for (int k = first; k < first + n; k++)
                row[k] = l[k][lane0 + i];
        }
    } else {
        for (int k = first; k < first + n; k++)
            for (int i = 0; i < len; i++)
                dst[(k - 4) * stride + i] = l[k][lane0 + i];
    }
}

/* Lines each filter changes: p2..q2, p1..q1, p0..q0 of the window. */
static inline int changed_first(LfKind kind)
{
    return kind == LF_MACROBLOCK ? 1 : (kind == LF_SUBBLOCK ? 2 : 3);
}

/* One edge of a luma block (16 positions), or of the U and V blocks at once (8 positions each,
 * U in lanes 0-7, V in lanes 8-15: `chroma` is a constant at every call site). */
VP8_ALWAYS_INLINE void filter_edge(uint8_t *dst_a, uint8_t *dst_b, int chroma, ptrdiff_t stride,
                                   int left, LfKind kind, LfParams lp)
{
    uint8_t l[8][LF_LINE];
    const int first = changed_first(kind);
    const int len = chroma ? LF_LINE / 2 : LF_LINE;
    load_lines(l, 0, dst_a, stride, left, 0, 8, len);
    if (chroma)
        load_lines(l, len, dst_b, stride, left, 0, 8, len);
    filter_lines(l, LF_LINE, kind, lp);
    store_lines(l, 0, dst_a, stride, left, first, 8 - 2 * first, len);
    if (chroma)
        store_lines(l, len, dst_b, stride, left, first, 8 - 2 * first, len);
}

/* The subblock edges at 4, 8, 12 of a 16x16 luma block, or at 4 of the 8x8 U and V blocks, in
 * that order (neighbouring edges share pixels, so each sees the previous one's output). The whole
 * block goes into the line buffer once: line k is the block's k-th row (top) or column (left). */
VP8_ALWAYS_INLINE void filter_inner_edges(uint8_t *dst_a, uint8_t *dst_b, int chroma,
                                          ptrdiff_t stride, int left, LfKind kind, LfParams lp)
{
    uint8_t l[LF_LINE][LF_LINE];
    const int size = chroma ? LF_LINE / 2 : LF_LINE;
    const int first = changed_first(kind);
    /* load_lines counts lines from 4 before the pointer (a window's q0 line): point at line 4. */
    uint8_t *const a = dst_a + 4 * (left ? 1 : stride);
    load_lines(l, 0, a, stride, left, 0, size, size);
    if (chroma)
        load_lines(l, size, dst_b + 4 * (left ? 1 : stride), stride, left, 0, size, size);
    /* Spelled out rather than looped: each call then addresses the buffer with constant
     * offsets, which the vectorizers need. */
    filter_lines(l, LF_LINE, kind, lp);
    if (!chroma) {
        filter_lines(l + 4, LF_LINE, kind, lp);
        filter_lines(l + 8, LF_LINE, kind, lp);
    }
    store_lines(l, 0, a, stride, left, first, size - 2 * first, size);
    if (chroma)
        store_lines(l, size, dst_b + 4 * (left ? 1 : stride), stride, left, first, size - 2 * first, size);
}

void vp8_lf_mb_top_y_c(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior,
                       int hev_thresh)
{
    const LfParams lp = { edge_limit, interior, hev_thresh };
    filter_edge(dst, NULL, 0, stride, 0, LF_MACROBLOCK, lp);
}

void vp8_lf_mb_left_y_c(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior,
                        int hev_thresh)
{
    const LfParams lp = { edge_limit, interior, hev_thresh };
    filter_edge(dst, NULL, 0, stride, 1, LF_MACROBLOCK, lp);
}

void vp8_lf_inner_top_y_c(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior,
                          int hev_thresh)
{
    const LfParams lp = { edge_limit, interior, hev_thresh };
    filter_inner_edges(dst, NULL, 0, stride, 0, LF_SUBBLOCK, lp);
}

void vp8_lf_inner_left_y_c(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior,
                           int hev_thresh)
{
    const LfParams lp = { edge_limit, interior, hev_thresh };
    filter_inner_edges(dst, NULL, 0, stride, 1, LF_SUBBLOCK, lp);
}

void vp8_lf_mb_top_uv_c(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit,
                        int interior, int hev_thresh)
{
    const LfParams lp = { edge_limit, interior, hev_thresh };
    filter_edge(dst_u, dst_v, 1, stride, 0, LF_MACROBLOCK, lp);
}

void vp8_lf_mb_left_uv_c(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit,
                         int interior, int hev_thresh)
{
    const LfParams lp = { edge_limit, interior, hev_thresh };
    filter_edge(dst_u, dst_v, 1, stride, 1, LF_MACROBLOCK, lp);
}

void vp8_lf_inner_top_uv_c(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit,
                           int interior, int hev_thresh)
{
    const LfParams lp = { edge_limit, interior, hev_thresh };
    filter_inner_edges(dst_u, dst_v, 1, stride, 0, LF_SUBBLOCK, lp);
}

void vp8_lf_inner_left_uv_c(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit,
                            int interior, int hev_thresh)
{
    const LfParams lp = { edge_limit, interior, hev_thresh };
    filter_inner_edges(dst_u, dst_v, 1, stride, 1, LF_SUBBLOCK, lp);
}

/* The simple filter ignores the interior limit and hev threshold. */
void vp8_lf_simple_mb_top_c(uint8_t *dst, ptrdiff_t stride, int edge_limit)
{
    const LfParams lp = { edge_limit, 0, 0 };
    filter_edge(dst, NULL, 0, stride, 0, LF_SIMPLE, lp);
}

void vp8_lf_simple_mb_left_c(uint8_t *dst, ptrdiff_t stride, int edge_limit)
{
    const LfParams lp = { edge_limit, 0, 0 };
    filter_edge(dst, NULL, 0, stride, 1, LF_SIMPLE, lp);
}

void vp8_lf_simple_inner_top_c(uint8_t *dst, ptrdiff_t stride, int edge_limit)
{
    const LfParams lp = { edge_limit, 0, 0 };
    filter_inner_edges(dst, NULL, 0, stride, 0, LF_SIMPLE, lp);
}

void vp8_lf_simple_inner_left_c(uint8_t *dst, ptrdiff_t stride, int edge_limit)
{
    const LfParams lp = { edge_limit, 0, 0 };
    filter_inner_edges(dst, NULL, 0, stride, 1, LF_SIMPLE, lp);
}

void vp8_loopfilter_dsp_init(Vp8LoopfilterDsp *dsp, unsigned cpu_flags)
{
    dsp->mb_top_y = vp8_lf_mb_top_y_c;
    dsp->mb_left_y = vp8_lf_mb_left_y_c;
    dsp->inner_top_y = vp8_lf_inner_top_y_c;
    dsp->inner_left_y = vp8_lf_inner_left_y_c;
    dsp->mb_top_uv = vp8_lf_mb_top_uv_c;
    dsp->mb_left_uv = vp8_lf_mb_left_uv_c;
    dsp->inner_top_uv = vp8_lf_inner_top_uv_c;
    dsp->inner_left_uv = vp8_lf_inner_left_uv_c;
    dsp->simple_mb_top = vp8_lf_simple_mb_top_c;
    dsp->simple_mb_left = vp8_lf_simple_mb_left_c;
    dsp->simple_inner_top = vp8_lf_simple_inner_top_c;
    dsp->simple_inner_left = vp8_lf_simple_inner_left_c;
#if defined(__x86_64__)
    vp8_loopfilter_dsp_init_x86(dsp, cpu_flags);
#else
    (void)cpu_flags;
#endif
}
