/*
 * Constant tables of the VP8 format (RFC 6386): trees, default and update probabilities,
 * quantizer lookups, scan order. Values are facts of the format, transcribed from the RFC text;
 * tables.c holds the data. Trees use the RFC's tree_index convention: a positive entry is the
 * index of the next node pair, a non-positive entry -v is leaf value v.
 */
#ifndef VP8_SRC_TABLES_H
#define VP8_SRC_TABLES_H

#include <stdint.h>

typedef int8_t vp8_tree_index;

enum { VP8_NUM_YMODES = 5, VP8_NUM_UVMODES = 4, VP8_NUM_BMODES = 10, VP8_NUM_MV_REFS = 5,
       VP8_NUM_SUB_MV_REFS = 4, VP8_NUM_TOKENS = 12, VP8_MV_PROBS = 19 };

/* Macroblock-level luma modes in the RFC's order (DC_PRED..B_PRED); chroma uses the first four. */
enum { VP8_DC_PRED = 0, VP8_V_PRED, VP8_H_PRED, VP8_TM_PRED, VP8_B_PRED };
/* Inter modes, numbered after the intra ones so one field can hold either. */
enum { VP8_NEARESTMV = 5, VP8_NEARMV, VP8_ZEROMV, VP8_NEWMV, VP8_SPLITMV };
/* Split partition kinds (RFC 16.4) and subblock MV references. */
enum { VP8_SPLIT_16x8 = 0, VP8_SPLIT_8x16, VP8_SPLIT_8x8, VP8_SPLIT_4x4 };
enum { VP8_LEFT4x4 = 0, VP8_ABOVE4x4, VP8_ZERO4x4, VP8_NEW4x4 };
/* DCT tokens (RFC 13.2). */
enum { VP8_DCT_0 = 0, VP8_DCT_1, VP8_DCT_2, VP8_DCT_3, VP8_DCT_4, VP8_DCT_CAT1, VP8_DCT_CAT2,
       VP8_DCT_CAT3, VP8_DCT_CAT4, VP8_DCT_CAT5, VP8_DCT_CAT6, VP8_DCT_EOB };
/* MV probability layout (RFC 17.2): is_short, sign, short tree (8-1), long bits (10). */
enum { VP8_MVP_IS_SHORT = 0, VP8_MVP_SIGN = 1, VP8_MVP_SHORT = 2, VP8_MVP_BITS = 9 };

/* Trees. Leaf values are the enums above (bmode leaves are Vp8BMode order in ipred.h). */
extern const vp8_tree_index vp8_ymode_tree[2 * (VP8_NUM_YMODES - 1)];
extern const vp8_tree_index vp8_kf_ymode_tree[2 * (VP8_NUM_YMODES - 1)];
extern const vp8_tree_index vp8_uv_mode_tree[2 * (VP8_NUM_UVMODES - 1)];
extern const vp8_tree_index vp8_bmode_tree[2 * (VP8_NUM_BMODES - 1)];
extern const vp8_tree_index vp8_mb_segment_tree[2 * (4 - 1)];
extern const vp8_tree_index vp8_mv_ref_tree[2 * (VP8_NUM_MV_REFS - 1)];   /* leaves: mode - VP8_NEARESTMV */
extern const vp8_tree_index vp8_split_mv_tree[2 * (4 - 1)];               /* leaves: VP8_SPLIT_* */
extern const vp8_tree_index vp8_sub_mv_ref_tree[2 * (VP8_NUM_SUB_MV_REFS - 1)]; /* leaves: VP8_LEFT4x4.. */
extern const vp8_tree_index vp8_small_mv_tree[2 * (8 - 1)];
extern const vp8_tree_index vp8_coeff_tree[2 * (VP8_NUM_TOKENS - 1)];    /* leaves: VP8_DCT_* */

/* Mode probabilities. */
extern const uint8_t vp8_kf_ymode_prob[VP8_NUM_YMODES - 1];
extern const uint8_t vp8_kf_uv_mode_prob[VP8_NUM_UVMODES - 1];
extern const uint8_t vp8_kf_bmode_prob[VP8_NUM_BMODES][VP8_NUM_BMODES][VP8_NUM_BMODES - 1]; /* [above][left] */
extern const uint8_t vp8_default_ymode_prob[VP8_NUM_YMODES - 1];
extern const uint8_t vp8_default_uv_mode_prob[VP8_NUM_UVMODES - 1];
extern const uint8_t vp8_bmode_prob[VP8_NUM_BMODES - 1];                  /* inter frames */
extern const uint8_t vp8_mode_contexts[6][VP8_NUM_MV_REFS - 1];
extern const uint8_t vp8_split_mv_prob[4 - 1];
extern const uint8_t vp8_sub_mv_ref_prob[5][VP8_NUM_SUB_MV_REFS - 1];
/* For each split kind, the partition index of each of the 16 luma subblocks, and the count. */
extern const uint8_t vp8_split_mv_map[4][16];
extern const uint8_t vp8_split_mv_count[4];

/* Motion vector probabilities: [0] rows, [1] columns. */
extern const uint8_t vp8_default_mv_prob[2][VP8_MV_PROBS];
extern const uint8_t vp8_mv_update_prob[2][VP8_MV_PROBS];

/* Coefficient token probabilities [block type][band][context][node]. */
extern const uint8_t vp8_default_coeff_prob[4][8][3][VP8_NUM_TOKENS - 1];
extern const uint8_t vp8_coeff_update_prob[4][8][3][VP8_NUM_TOKENS - 1];
extern const uint8_t vp8_coeff_bands[17];       /* band of coefficient position i; [16] = 0 sentinel */
extern const uint8_t vp8_zigzag[16];            /* raster position of the i-th coefficient */
/* Extra-bit probabilities of DCT_CAT1..CAT6 (zero-terminated) and each category's base value. */
extern const uint8_t vp8_dct_cat_prob[6][12];
extern const int16_t vp8_dct_cat_base[6];

/* Quantizer step sizes by index 0..127 (RFC 14.1). */
extern const int16_t vp8_dc_qlookup[128];
extern const int16_t vp8_ac_qlookup[128];

/* Sub-pixel filter taps by eighth-pel fraction (RFC 18.3). */
extern const int16_t vp8_sixtap_filters[8][6];
extern const int16_t vp8_bilinear_filters[8][2];

#endif
