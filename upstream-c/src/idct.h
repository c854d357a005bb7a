/*
 * Inverse transforms and residual add (RFC 6386 section 14): the function-pointer table and the
 * kernel contract shared by the C fallbacks (idct.c) and the asm kernels.
 *
 * Coefficient blocks are int16_t[16] in raster order (row-major 4x4), already dequantized
 * (the token decoder multiplies as it stores, wrapping to int16 as libvpx does).
 * Every kernel that consumes a block leaves the coefficients it read zeroed, so the decoder's
 * coefficient storage is all-zero again after reconstruction.
 */
#ifndef VP8_SRC_IDCT_H
#define VP8_SRC_IDCT_H

#include "common.h"

/* Add the inverse DCT of block to the 4x4 pixels at dst (clamped to 0..255); zero block[0..15]. */
typedef void (*vp8_idct_add_fn)(uint8_t *dst, ptrdiff_t stride, int16_t block[16]);
/* Only block[0] may be non-zero: add (block[0] + 4) >> 3 to the 4x4 pixels at dst; zero block[0]. */
typedef void (*vp8_idct_dc_add_fn)(uint8_t *dst, ptrdiff_t stride, int16_t block[16]);
/* All 16 luma blocks of a macroblock (blocks[i] is the 4x4 block at row i/4, column i%4 of the
 * 16x16 pixels at dst). eobs[i] > 1: full inverse DCT; otherwise only blocks[i][0] may be
 * non-zero and the DC-only form is used (nothing is added when it is zero). */
typedef void (*vp8_idct_add_y_fn)(uint8_t *dst, ptrdiff_t stride, int16_t blocks[16][16],
                                  const uint8_t eobs[16]);
/* The 4 U blocks then the 4 V blocks of a macroblock (8x8 pixels each, 2x2 blocks), same eob rule. */
typedef void (*vp8_idct_add_uv_fn)(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride,
                                   int16_t blocks[8][16], const uint8_t eobs[8]);
/* Inverse Walsh-Hadamard transform of the Y2 block: output i becomes blocks[i][0] (the DC of
 * luma block i); zero y2[0..15]. The _dc form is used when only y2[0] may be non-zero. */
typedef void (*vp8_iwht_fn)(int16_t blocks[16][16], int16_t y2[16]);

typedef struct Vp8IdctDsp {
    vp8_idct_add_fn idct_add;
    vp8_idct_dc_add_fn idct_dc_add;
    vp8_idct_add_y_fn idct_add_y;
    vp8_idct_add_uv_fn idct_add_uv;
    vp8_iwht_fn iwht;
    vp8_iwht_fn iwht_dc;
} Vp8IdctDsp;

void vp8_idct_dsp_init(Vp8IdctDsp *dsp, unsigned cpu_flags);
/* Replace entries with the asm/x86_64 kernels that cpu_flags allow (src/x86/idct_init.c). */
void vp8_idct_dsp_init_x86(Vp8IdctDsp *dsp, unsigned cpu_flags);

void vp8_idct_add_c(uint8_t *dst, ptrdiff_t stride, int16_t block[16]);
void vp8_idct_dc_add_c(uint8_t *dst, ptrdiff_t stride, int16_t block[16]);
void vp8_idct_add_y_c(uint8_t *dst, ptrdiff_t stride, int16_t blocks[16][16], const uint8_t eobs[16]);
void vp8_idct_add_uv_c(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride, int16_t blocks[8][16],
                       const uint8_t eobs[8]);
void vp8_iwht_c(int16_t blocks[16][16], int16_t y2[16]);
void vp8_iwht_dc_c(int16_t blocks[16][16], int16_t y2[16]);

#endif
