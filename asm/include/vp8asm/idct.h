/*
 * VP8 inverse transform kernels in asm/x86_64/idct_<isa>.S (RFC 6386 section 14).
 *
 * Every kernel has the signature of the C stage's function-pointer type (upstream-c/src/idct.h)
 * and is bit-identical to the C fallback of the same name with `_c` replaced by the ISA suffix
 * (upstream-c/src/idct.c), for every input, including coefficients whose transforms overflow
 * 16 bits (the first pass wraps to int16, the second pass's sums are formed in 32 bits, exactly
 * as the C code does; idct_sse2.S explains how).
 *
 * Contract (the same as the C fallbacks'):
 *  - Coefficient blocks are int16_t[16] in raster order, already dequantized. Every kernel zeroes
 *    the coefficients it consumes: idct_add all 16; idct_dc_add block[0]; idct_add_y/_uv all 16
 *    of each block with eob > 1 and coefficient 0 of the others (by contract the rest of those
 *    are already zero); iwht/iwht_dc the whole y2 block. Nothing else is written but dst pixels
 *    (and, for iwht, blocks[i][0]).
 *  - idct_dc_add, and the blocks with eobs[i] <= 1 in idct_add_y/_uv: only coefficient 0 may be
 *    non-zero (the kernels do not look at the others).
 *  - dst: 4x4 pixels (idct_add, idct_dc_add), 16x16 (idct_add_y, block i at row i/4, column i%4),
 *    8x8 in each of U and V (idct_add_uv, 2x2 blocks). Only those pixels are read and written.
 *  - No alignment is required of dst, the coefficients or stride (any value; rows of a block must
 *    not overlap). blocks[i] is at byte offset 32 * i of the blocks array.
 *  - System V AMD64 ABI; only caller-saved registers are modified; no state; any thread.
 *
 * Dequantization has no kernel: the token decoder (upstream-c/src/tokens.c) multiplies each
 * coefficient by its factor as it stores it, where the value is already in a register, so a
 * separate pass over 16 coefficients per block would only add loads and stores.
 */
#ifndef VP8ASM_IDCT_H
#define VP8ASM_IDCT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* SSE2 (requires VP8_CPU_SSE2). */
void vp8_idct_add_sse2(uint8_t *dst, ptrdiff_t stride, int16_t block[16]);
void vp8_idct_dc_add_sse2(uint8_t *dst, ptrdiff_t stride, int16_t block[16]);
void vp8_idct_add_y_sse2(uint8_t *dst, ptrdiff_t stride, int16_t blocks[16][16], const uint8_t eobs[16]);
void vp8_idct_add_uv_sse2(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int16_t blocks[8][16], const uint8_t eobs[8]);
void vp8_iwht_sse2(int16_t blocks[16][16], int16_t y2[16]);
void vp8_iwht_dc_sse2(int16_t blocks[16][16], int16_t y2[16]);

/* AVX2 (requires VP8_CPU_AVX2): the per-macroblock forms only, four blocks per register (a row of
 * luma blocks, or a U pair with its V pair). The single-block kernels and the WHT stay SSE2. */
void vp8_idct_add_y_avx2(uint8_t *dst, ptrdiff_t stride, int16_t blocks[16][16], const uint8_t eobs[16]);
void vp8_idct_add_uv_avx2(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int16_t blocks[8][16], const uint8_t eobs[8]);

#ifdef __cplusplus
}
#endif

#endif
