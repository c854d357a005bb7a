/*
 * VP8 loop filter kernels in asm/x86_64/loopfilter_*.S (RFC 6386 section 15).
 *
 * Every kernel has the signature of the C stage's function-pointer type (upstream-c/src/
 * loopfilter.h) and is bit-identical to the C fallback of the same name with `_c` replaced by the
 * ISA suffix:
 *   top   = the horizontal edge between dst[-stride] and dst[0] (pixels filtered vertically);
 *   left  = the vertical edge between dst[-1] and dst[0] (filtered horizontally);
 *   mb    = the macroblock edge at dst; inner = the subblock edges at 4, 8, 12 (luma) or 4
 *           (chroma) in that order; luma 16 positions along the edge, chroma 8 in U and 8 in V;
 *   simple_* = the simple filter (luma only, edge_limit only).
 * Thresholds: 0 <= edge_limit <= 254, 0 <= interior <= 255, 0 <= hev_thresh <= 255 (the decoder
 *   passes at most 193, 63 and 3). Outside those ranges the results are unspecified.
 * Memory: reads and writes only the pixels the C fallback reads (4 rows or columns each side of a
 *   macroblock edge, rows / columns 0..15 for the luma inner edges, 0..7 for chroma, -2..1 around
 *   each simple edge); bytes written are those the filter may modify, or unmodified bytes of the
 *   same rows / columns rewritten with the values that were read. No alignment is required of the
 *   pointers or the stride (any value, also negative). U and V must not overlap each other's
 *   filtered region.
 * ABI: System V AMD64; only caller-saved registers are modified. inner_left_y uses 192 bytes of
 *   stack below rsp (it makes no calls); the others use none.
 */
#ifndef VP8ASM_LOOPFILTER_H
#define VP8ASM_LOOPFILTER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* SSE2 (requires VP8_CPU_SSE2): signed-byte arithmetic (x ^ 0x80, paddsb / psubsb), the
 * macroblock filter's 27/18/9 weights with pmullw on words; left edges through 16 x 8 byte
 * transposes (chroma: U rows 0-7 and V rows 0-7 as one 16-row block; inner_left_y: columns 0-7
 * and 8-15 once each, the three edges filtered in registers). */
void vp8_lf_mb_top_y_sse2(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_mb_left_y_sse2(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_inner_top_y_sse2(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_inner_left_y_sse2(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_mb_top_uv_sse2(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_mb_left_uv_sse2(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_inner_top_uv_sse2(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_inner_left_uv_sse2(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_simple_mb_top_sse2(uint8_t *dst, ptrdiff_t stride, int edge_limit);
void vp8_lf_simple_mb_left_sse2(uint8_t *dst, ptrdiff_t stride, int edge_limit);
void vp8_lf_simple_inner_top_sse2(uint8_t *dst, ptrdiff_t stride, int edge_limit);
void vp8_lf_simple_inner_left_sse2(uint8_t *dst, ptrdiff_t stride, int edge_limit);

/* SSSE3 (requires VP8_CPU_SSSE3): the macroblock-edge kernels only, the same as SSE2 except that
 * the 27/18/9 weights are formed with pmulhrsw (4-9% faster). The other kernels have no SSSE3
 * version; use the SSE2 ones. */
void vp8_lf_mb_top_y_ssse3(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_mb_left_y_ssse3(uint8_t *dst, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_mb_top_uv_ssse3(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);
void vp8_lf_mb_left_uv_ssse3(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int edge_limit, int interior, int hev_thresh);

#ifdef __cplusplus
}
#endif

#endif
