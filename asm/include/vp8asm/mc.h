/*
 * VP8 motion compensation kernels in asm/x86_64/mc_*.S (RFC 6386 section 18).
 *
 * Every kernel has the signature of the C stage's vp8_mc_fn and is bit-identical to the C
 * fallback of the same name with `_c` replaced by the ISA suffix:
 *   dst: W x H prediction of src displaced by (mx/8, my/8) pixels; mx, my are taken & 7.
 *   Six-tap: horizontal pass first (rows -2 .. H+2), each intermediate rounded (+64 >> 7) and
 *   clamped to 0..255, then the vertical pass; a zero fraction skips its pass; both zero = copy.
 *   Bilinear: the same with the two-tap filters (rows 0 .. H).
 * Memory: six-tap reads src columns -2 .. W+2, rows -2 .. H+2; bilinear columns 0 .. W, rows
 *   0 .. H (fewer when a fraction is zero). Nothing else is read. dst and src must not overlap.
 *   No alignment is required of dst, src or the strides (any value >= W).
 * ABI: System V AMD64; only caller-saved registers are modified.
 */
#ifndef VP8ASM_MC_H
#define VP8ASM_MC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* SSE2: pixels widened to words, pmullw/paddsw (exact, see mc_sse2.S). Requires VP8_CPU_SSE2. */
void vp8_sixtap_16x16_sse2(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_sixtap_8x8_sse2(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_sixtap_8x4_sse2(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_sixtap_4x4_sse2(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_bilinear_16x16_sse2(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_bilinear_8x8_sse2(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_bilinear_8x4_sse2(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_bilinear_4x4_sse2(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);

/* SSSE3: pmaddubsw on interleaved pixel pairs with the tap pairs (t0,t5), (t1,t2), (t3,t4), which
 * cannot saturate; pmulhrsw rounds (exact, see mc_ssse3.S). Requires VP8_CPU_SSSE3. */
void vp8_sixtap_16x16_ssse3(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_sixtap_8x8_ssse3(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_sixtap_8x4_ssse3(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_sixtap_4x4_ssse3(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_bilinear_16x16_ssse3(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_bilinear_8x8_ssse3(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_bilinear_8x4_ssse3(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_bilinear_4x4_ssse3(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);

/* AVX2, only the six-tap sizes where 256-bit vectors pay (same arithmetic as SSSE3, two rows or
 * both halves of a row per register). Requires VP8_CPU_AVX2; the other kernels stay SSSE3. */
void vp8_sixtap_16x16_avx2(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);
void vp8_sixtap_8x8_avx2(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src, ptrdiff_t src_stride, int mx, int my);

#ifdef __cplusplus
}
#endif

#endif
