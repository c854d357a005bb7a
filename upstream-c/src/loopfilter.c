/*
 * Loop filter C fallbacks (RFC 6386 section 15): the normal macroblock-edge and subblock-edge
 * filters, the simple filter, and the table init. Every kernel reduces to one per-position filter
 * that sees a segment through a pointer to q0 and a step (stride across a horizontal edge, 1
 * across a vertical one), so top and left edges share all the arithmetic.
 */
#include "loopfilter.h"

typedef enum LfKind { LF_SIMPLE, LF_SUBBLOCK, LF_MACROBLOCK } LfKind;

typedef struct LfParams {
    int edge_limit;
    int interior;
    int hev_thresh;
} LfParams;

/* The RFC's c(): saturate to the signed 8-bit range. */
static inline int s8(int v)
{
    return v < -128 ? -128 : (v > 127 ? 127 : v);
}

/* The RFC works on signed values (pixel - 128). The offsets cancel in every difference, and
 * s8(x - 128) + 128 is a clamp to 0..255, so the arithmetic below stays on raw pixels.
 * Every clamped result is a pixel moved by at most 27 (the macroblock filter's largest step), so a
 * table indexed by value + 32 clamps with one load instead of a compare-and-select chain; this is
 * the loop filter's innermost operation, six times per filtered position. */
enum { CROP_OFFSET = 32 };
static const uint8_t crop_table[CROP_OFFSET + 256 + CROP_OFFSET] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
    32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
    48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
    64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79,
    80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,
    96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
    112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127,
    128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143,
    144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159,
    160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175,
    176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191,
    192, 193, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207,
    208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223,
    224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239,
    240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
};

static inline uint8_t clip_pixel(int v)
{
    return crop_table[v + CROP_OFFSET];
}

/* The RFC assumes >> floors negative values; in C that is implementation-defined, so spell it
 * out (compilers turn this back into a single arithmetic shift). */
static inline int asr(int v, int n)
{
    return v >= 0 ? v >> n : ~(~v >> n);
}

static inline int iabs(int v)
{
    return v < 0 ? -v : v;
}

static inline int imax(int a, int b)
{
    return a > b ? a : b;
}

/* The eight pixels across one position of an edge. */
typedef struct LfPixels {
    int p3, p2, p1, p0, q0, q1, q2, q3;
} LfPixels;

VP8_ALWAYS_INLINE LfPixels load_pixels(const uint8_t *q0p, ptrdiff_t step)
{
    LfPixels px;
    px.p3 = q0p[-4 * step];
    px.p2 = q0p[-3 * step];
    px.p1 = q0p[-2 * step];
    px.p0 = q0p[-step];
    px.q0 = q0p[0];
    px.q1 = q0p[step];
    px.q2 = q0p[2 * step];
    px.q3 = q0p[3 * step];
    return px;
}

/* The edge test shared by both filter types (RFC 15.2). */
VP8_ALWAYS_INLINE int edge_exceeds(int p1, int p0, int q0, int q1, int edge_limit)
{
    return iabs(p0 - q0) * 2 + (iabs(p1 - q1) >> 1) > edge_limit;
}

/* The normal filter's edge and interior tests in one. Taking the maximum difference instead of
 * six short-circuit compares keeps it branch-free: on detailed content the outcome is close to
 * random, and mispredicted branches cost more than the extra arithmetic. */
VP8_ALWAYS_INLINE int normal_filter_skipped(LfPixels px, LfParams lp)
{
    int m;
    /* The edge test alone rejects most positions on detailed content, so it exits early; the six
     * interior differences are then reduced branch-free (their outcome is hard to predict). */
    if (edge_exceeds(px.p1, px.p0, px.q0, px.q1, lp.edge_limit))
        return 1;
    m = imax(iabs(px.p3 - px.p2), iabs(px.p2 - px.p1));
    m = imax(m, iabs(px.p1 - px.p0));
    m = imax(m, iabs(px.q3 - px.q2));
    m = imax(m, iabs(px.q2 - px.q1));
    m = imax(m, iabs(px.q1 - px.q0));
    return m > lp.interior;
}

VP8_ALWAYS_INLINE int high_edge_variance(LfPixels px, int hev_thresh)
{
    return imax(iabs(px.p1 - px.p0), iabs(px.q1 - px.q0)) > hev_thresh;
}

/* Move p0 and q0 towards each other (the RFC's common_adjust); returns the q0 adjustment, which
 * the subblock filter reuses. The +3 / +4 pair rounds the two sides differently when a/8 is
 * exactly half-way. */
VP8_ALWAYS_INLINE int common_adjust(uint8_t *q0p, ptrdiff_t step, int p1, int p0, int q0, int q1,
                                    int use_outer_taps)
{
    const int a = s8((use_outer_taps ? s8(p1 - q1) : 0) + 3 * (q0 - p0));
    const int f = asr(s8(a + 4), 3);
    const int b = asr(s8(a + 3), 3);

    q0p[0] = clip_pixel(q0 - f);
    q0p[-step] = clip_pixel(p0 + b);
    return f;
}

VP8_ALWAYS_INLINE void simple_position(uint8_t *q0p, ptrdiff_t step, LfParams lp)
{
    const int p1 = q0p[-2 * step], p0 = q0p[-step], q0 = q0p[0], q1 = q0p[step];
    if (!edge_exceeds(p1, p0, q0, q1, lp.edge_limit))
        common_adjust(q0p, step, p1, p0, q0, q1, 1);
}

VP8_ALWAYS_INLINE void subblock_position(uint8_t *q0p, ptrdiff_t step, LfParams lp)
{
    const LfPixels px = load_pixels(q0p, step);
    int hev, a;
    if (normal_filter_skipped(px, lp))
        return;
    hev = high_edge_variance(px, lp.hev_thresh);
    /* Without high edge variance the outer taps are left out and p1/q1 move by about half of
     * the edge adjustment. */
    a = asr(common_adjust(q0p, step, px.p1, px.p0, px.q0, px.q1, hev) + 1, 1);
    if (!hev) {
        q0p[step] = clip_pixel(px.q1 - a);
        q0p[-2 * step] = clip_pixel(px.p1 + a);
    }
}

VP8_ALWAYS_INLINE void macroblock_position(uint8_t *q0p, ptrdiff_t step, LfParams lp)
{
    const LfPixels px = load_pixels(q0p, step);
    if (normal_filter_skipped(px, lp))
        return;
    if (high_edge_variance(px, lp.hev_thresh)) {
        common_adjust(q0p, step, px.p1, px.p0, px.q0, px.q1, 1);
    } else {
        /* Adjustments of roughly 3/7, 2/7 and 1/7 of the edge step, decaying away from the
         * edge. |w| <= 128, so none of them can leave the int8 range the RFC clamps them to. */
        const int w = s8(s8(px.p1 - px.q1) + 3 * (px.q0 - px.p0));
        const int a0 = asr(27 * w + 63, 7);
        const int a1 = asr(18 * w + 63, 7);
        const int a2 = asr(9 * w + 63, 7);

        q0p[0] = clip_pixel(px.q0 - a0);
        q0p[-step] = clip_pixel(px.p0 + a0);
        q0p[step] = clip_pixel(px.q1 - a1);
        q0p[-2 * step] = clip_pixel(px.p1 + a1);
        q0p[2 * step] = clip_pixel(px.q2 - a2);
        q0p[-3 * step] = clip_pixel(px.p2 + a2);
    }
}

/* Filter `len` segments along an edge; `along` walks the edge, `across` crosses it. The switch is
 * on a constant at every call site, so each kernel gets its own straight-line loop. */
VP8_ALWAYS_INLINE void filter_edge(uint8_t *dst, ptrdiff_t along, ptrdiff_t across, int len,
                                   LfKind kind, LfParams lp)
{
    for (int i = 0; i < len; i++) {
        switch (kind) {
        case LF_SIMPLE:
            simple_position(dst + i * along, across, lp);
            break;
        case LF_SUBBLOCK:
            subblock_position(dst + i * along, across, lp);
            break;
        default:
            macroblock_position(dst + i * along, across, lp);
            break;
        }
    }
}

/* The subblock edges of a size x size block, at 4, 8, 12 in that order (the order matters:
 * neighbouring edges share pixels). */
VP8_ALWAYS_INLINE void filter_inner_edges(uint8_t *dst, ptrdiff_t along, ptrdiff_t across,
                                          int size, LfKind kind, LfParams lp)
{
    for (int pos = 4; pos < size; pos += 4)
        filter_edge(dst + pos * across, along, across, size, kind, lp);
}

void vp8_lf_mb_top_y_c(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior,
                       int hev_thresh)
{
    const LfParams lp = { edge_limit, interior, hev_thresh };
    filter_edge(dst, 1, stride, 16, LF_MACROBLOCK, lp);
}

void vp8_lf_mb_left_y_c(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior,
                        int hev_thresh)
{
    const LfParams lp = { edge_limit, interior, hev_thresh };
    filter_edge(dst, stride, 1, 16, LF_MACROBLOCK, lp);
}

void vp8_lf_inner_top_y_c(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior,
                          int hev_thresh)
{
    const LfParams lp = { edge_limit, interior, hev_thresh };
    filter_inner_edges(dst, 1, stride, 16, LF_SUBBLOCK, lp);
}

void vp8_lf_inner_left_y_c(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior,
                           int hev_thresh)
{
    const LfParams lp = { edge_limit, interior, hev_thresh };
    filter_inner_edges(dst, stride, 1, 16, LF_SUBBLOCK, lp);
}

void vp8_lf_mb_top_uv_c(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit,
                        int interior, int hev_thresh)
{
    const LfParams lp = { edge_limit, interior, hev_thresh };
    filter_edge(dst_u, 1, stride, 8, LF_MACROBLOCK, lp);
    filter_edge(dst_v, 1, stride, 8, LF_MACROBLOCK, lp);
}

void vp8_lf_mb_left_uv_c(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit,
                         int interior, int hev_thresh)
{
    const LfParams lp = { edge_limit, interior, hev_thresh };
    filter_edge(dst_u, stride, 1, 8, LF_MACROBLOCK, lp);
    filter_edge(dst_v, stride, 1, 8, LF_MACROBLOCK, lp);
}

void vp8_lf_inner_top_uv_c(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit,
                           int interior, int hev_thresh)
{
    const LfParams lp = { edge_limit, interior, hev_thresh };
    filter_inner_edges(dst_u, 1, stride, 8, LF_SUBBLOCK, lp);
    filter_inner_edges(dst_v, 1, stride, 8, LF_SUBBLOCK, lp);
}

void vp8_lf_inner_left_uv_c(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit,
                            int interior, int hev_thresh)
{
    const LfParams lp = { edge_limit, interior, hev_thresh };
    filter_inner_edges(dst_u, stride, 1, 8, LF_SUBBLOCK, lp);
    filter_inner_edges(dst_v, stride, 1, 8, LF_SUBBLOCK, lp);
}

/* The simple filter ignores the interior limit and hev threshold. */
void vp8_lf_simple_mb_top_c(uint8_t *dst, ptrdiff_t stride, int edge_limit)
{
    const LfParams lp = { edge_limit, 0, 0 };
    filter_edge(dst, 1, stride, 16, LF_SIMPLE, lp);
}

void vp8_lf_simple_mb_left_c(uint8_t *dst, ptrdiff_t stride, int edge_limit)
{
    const LfParams lp = { edge_limit, 0, 0 };
    filter_edge(dst, stride, 1, 16, LF_SIMPLE, lp);
}

void vp8_lf_simple_inner_top_c(uint8_t *dst, ptrdiff_t stride, int edge_limit)
{
    const LfParams lp = { edge_limit, 0, 0 };
    filter_inner_edges(dst, 1, stride, 16, LF_SIMPLE, lp);
}

void vp8_lf_simple_inner_left_c(uint8_t *dst, ptrdiff_t stride, int edge_limit)
{
    const LfParams lp = { edge_limit, 0, 0 };
    filter_inner_edges(dst, stride, 1, 16, LF_SIMPLE, lp);
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
