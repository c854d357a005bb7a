/*
 * VP8 intra prediction kernels in asm/x86_64/ipred_<isa>.S (RFC 6386 sections 12.2, 12.3).
 *
 * Each kernel computes exactly what the C fallback of the same name (with _c) computes in
 * upstream-c/src/ipred.c, byte for byte, for every input.
 *
 * Contract (the same for every kernel):
 *  - The block at dst (16x16, 8x8 or 4x4) is predicted in place from its edges in the same
 *    buffer: the row above, dst[-stride + x]; the column to the left, dst[y * stride - 1]; the
 *    above-left pixel, dst[-stride - 1]. 4x4 kernels read the four pixels above-right from
 *    topright[0..3] (never from dst[-stride + 4..7]).
 *  - Reads: only edge pixels the C fallback of that kernel reads (each load is exactly the bytes
 *    it needs; a 4x4 kernel reads at most topright[0..3] from topright). Writes: only the block.
 *    So the edges may lie at the very start or end of an allocation.
 *  - No alignment is required of dst, topright or stride; stride may be any value (the rows of
 *    the block and its edges must simply not overlap).
 *  - System V AMD64 ABI; no state; safe to call from any thread on disjoint blocks.
 * The caller picks the DC variant: _dc_left, _dc_top and _dc_128 read only the edge they name
 * (none for _dc_128).
 */
#ifndef VP8ASM_IPRED_H
#define VP8ASM_IPRED_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* SSE2 */
void vp8_pred16x16_dc_sse2(uint8_t *dst, ptrdiff_t stride);
void vp8_pred16x16_dc_left_sse2(uint8_t *dst, ptrdiff_t stride);
void vp8_pred16x16_dc_top_sse2(uint8_t *dst, ptrdiff_t stride);
void vp8_pred16x16_dc_128_sse2(uint8_t *dst, ptrdiff_t stride);
void vp8_pred16x16_v_sse2(uint8_t *dst, ptrdiff_t stride);
void vp8_pred16x16_h_sse2(uint8_t *dst, ptrdiff_t stride);
void vp8_pred16x16_tm_sse2(uint8_t *dst, ptrdiff_t stride);

void vp8_pred8x8_dc_sse2(uint8_t *dst, ptrdiff_t stride);
void vp8_pred8x8_dc_left_sse2(uint8_t *dst, ptrdiff_t stride);
void vp8_pred8x8_dc_top_sse2(uint8_t *dst, ptrdiff_t stride);
void vp8_pred8x8_dc_128_sse2(uint8_t *dst, ptrdiff_t stride);
void vp8_pred8x8_v_sse2(uint8_t *dst, ptrdiff_t stride);
void vp8_pred8x8_h_sse2(uint8_t *dst, ptrdiff_t stride);
void vp8_pred8x8_tm_sse2(uint8_t *dst, ptrdiff_t stride);

void vp8_pred4x4_dc_sse2(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_tm_sse2(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_ve_sse2(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_he_sse2(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_ld_sse2(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_rd_sse2(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_hu_sse2(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);

/* SSSE3 */
void vp8_pred4x4_vr_ssse3(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_vl_ssse3(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_hd_ssse3(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);

/* AVX2 */
void vp8_pred16x16_h_avx2(uint8_t *dst, ptrdiff_t stride);
void vp8_pred16x16_tm_avx2(uint8_t *dst, ptrdiff_t stride);
void vp8_pred8x8_tm_avx2(uint8_t *dst, ptrdiff_t stride);

#ifdef __cplusplus
}
#endif

#endif
