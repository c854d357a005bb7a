/*
 * Loop filters (RFC 6386 section 15): the function-pointer table and kernel contract shared by the
 * C fallbacks (loopfilter.c) and the asm kernels.
 *
 * Naming follows the edge, not the filter direction: a "top" edge is horizontal (the boundary
 * between dst[-stride] and dst[0] along a row; pixels are filtered vertically across it), a
 * "left" edge is vertical (between dst[-1] and dst[0]; filtered horizontally).
 * Thresholds, as the decoder derives them per macroblock (RFC 15.4, 15.2):
 *   edge_limit  E: mbedge_limit ((level + 2) * 2 + interior) or sub_bedge_limit (level * 2 + interior)
 *   interior    I: interior_limit
 *   hev_thresh  H: high edge variance threshold
 * Luma kernels filter 16 pixels along the edge; chroma kernels filter 8 along the edge in U and
 * then in V with the same thresholds. "inner" kernels filter the three subblock edges at 4, 8 and
 * 12 (luma) or the one at 4 (chroma) of a macroblock, in that order.
 * Normal filter: MB edges use the macroblock filter (modifies up to 3 pixels each side), inner
 * edges the subblock filter (up to 2). Simple filter: luma only, 1 pixel each side, E only.
 */
#ifndef VP8_SRC_LOOPFILTER_H
#define VP8_SRC_LOOPFILTER_H

#include "common.h"

typedef void (*vp8_lf_luma_fn)(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior,
                               int hev_thresh);
typedef void (*vp8_lf_chroma_fn)(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit,
                                 int interior, int hev_thresh);
typedef void (*vp8_lf_simple_fn)(uint8_t *dst, ptrdiff_t stride, int edge_limit);

typedef struct Vp8LoopfilterDsp {
    vp8_lf_luma_fn mb_top_y, mb_left_y, inner_top_y, inner_left_y;
    vp8_lf_chroma_fn mb_top_uv, mb_left_uv, inner_top_uv, inner_left_uv;
    vp8_lf_simple_fn simple_mb_top, simple_mb_left, simple_inner_top, simple_inner_left;
} Vp8LoopfilterDsp;

void vp8_loopfilter_dsp_init(Vp8LoopfilterDsp *dsp, unsigned cpu_flags);
/* Replace entries with the asm/x86_64 kernels that cpu_flags allow (src/x86/loopfilter_init.c). */
void vp8_loopfilter_dsp_init_x86(Vp8LoopfilterDsp *dsp, unsigned cpu_flags);

void vp8_lf_mb_top_y_c(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_mb_left_y_c(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_inner_top_y_c(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_inner_left_y_c(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_mb_top_uv_c(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_mb_left_uv_c(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_inner_top_uv_c(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_inner_left_uv_c(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_simple_mb_top_c(uint8_t *dst, ptrdiff_t stride, int edge_limit);
void vp8_lf_simple_mb_left_c(uint8_t *dst, ptrdiff_t stride, int edge_limit);
void vp8_lf_simple_inner_top_c(uint8_t *dst, ptrdiff_t stride, int edge_limit);
void vp8_lf_simple_inner_left_c(uint8_t *dst, ptrdiff_t stride, int edge_limit);

#endif
