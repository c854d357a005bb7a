/*
 * Intra prediction (RFC 6386 section 12): the function-pointer table and kernel contract shared by
 * the C fallbacks (ipred.c) and the asm kernels.
 *
 * Predictors write in place into the frame being reconstructed and read their edges from it:
 * the row above (dst[-stride + x]), the column to the left (dst[y * stride - 1]) and the
 * above-left pixel (dst[-stride - 1]). The decoder has already written the frame-edge values
 * (127 above the top row, including the corner; 129 left of the left column) into the border,
 * so V/H/TM need no special cases. DC at frame edges uses the _left/_top/_128 variants, which
 * read only the edge they name (the decoder chooses). Subblock predictors also read 4 above-right
 * pixels from `topright` (which the decoder points at the right place, RFC 12.3).
 */
#ifndef VP8_SRC_IPRED_H
#define VP8_SRC_IPRED_H

#include "common.h"

typedef void (*vp8_ipred_fn)(uint8_t *dst, ptrdiff_t stride);
typedef void (*vp8_ipred4_fn)(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);

/* Whole-block modes for 16x16 luma and 8x8 chroma (one plane per call). */
enum Vp8IpredMode {
    VP8_IPRED_DC = 0,   /* average of above row and left column */
    VP8_IPRED_V,        /* copy the above row */
    VP8_IPRED_H,        /* copy the left column */
    VP8_IPRED_TM,       /* left + above - above-left, clamped */
    VP8_IPRED_DC_LEFT,  /* average of the left column only (top frame row) */
    VP8_IPRED_DC_TOP,   /* average of the above row only (left frame column) */
    VP8_IPRED_DC_128,   /* 128 (top-left macroblock) */
    VP8_IPRED_MODES
};

/* 4x4 subblock modes, in the bitstream's order (RFC 11.2 intra_bmode). */
enum Vp8BMode {
    VP8_B_DC = 0, VP8_B_TM, VP8_B_VE, VP8_B_HE, VP8_B_LD, VP8_B_RD, VP8_B_VR, VP8_B_VL, VP8_B_HD,
    VP8_B_HU, VP8_B_MODES
};

typedef struct Vp8IpredDsp {
    vp8_ipred_fn pred16x16[VP8_IPRED_MODES];
    vp8_ipred_fn pred8x8[VP8_IPRED_MODES];
    vp8_ipred4_fn pred4x4[VP8_B_MODES];
} Vp8IpredDsp;

void vp8_ipred_dsp_init(Vp8IpredDsp *dsp, unsigned cpu_flags);
/* Replace entries with the asm/x86_64 kernels that cpu_flags allow (src/x86/ipred_init.c). */
void vp8_ipred_dsp_init_x86(Vp8IpredDsp *dsp, unsigned cpu_flags);

/* C fallbacks (names: vp8_pred16x16_<mode>_c, vp8_pred8x8_<mode>_c, vp8_pred4x4_<mode>_c). */
void vp8_pred16x16_dc_c(uint8_t *dst, ptrdiff_t stride);
void vp8_pred16x16_v_c(uint8_t *dst, ptrdiff_t stride);
void vp8_pred16x16_h_c(uint8_t *dst, ptrdiff_t stride);
void vp8_pred16x16_tm_c(uint8_t *dst, ptrdiff_t stride);
void vp8_pred16x16_dc_left_c(uint8_t *dst, ptrdiff_t stride);
void vp8_pred16x16_dc_top_c(uint8_t *dst, ptrdiff_t stride);
void vp8_pred16x16_dc_128_c(uint8_t *dst, ptrdiff_t stride);
void vp8_pred8x8_dc_c(uint8_t *dst, ptrdiff_t stride);
void vp8_pred8x8_v_c(uint8_t *dst, ptrdiff_t stride);
void vp8_pred8x8_h_c(uint8_t *dst, ptrdiff_t stride);
void vp8_pred8x8_tm_c(uint8_t *dst, ptrdiff_t stride);
void vp8_pred8x8_dc_left_c(uint8_t *dst, ptrdiff_t stride);
void vp8_pred8x8_dc_top_c(uint8_t *dst, ptrdiff_t stride);
void vp8_pred8x8_dc_128_c(uint8_t *dst, ptrdiff_t stride);
void vp8_pred4x4_dc_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_tm_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_ve_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_he_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_ld_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_rd_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_vr_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_vl_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_hd_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);
void vp8_pred4x4_hu_c(uint8_t *dst, ptrdiff_t stride, const uint8_t *topright);

#endif
