//! Constant tables of the VP8 format (RFC 6386): trees, default and update probabilities,
//! quantizer lookups, scan order. Values are facts of the format, transcribed from the RFC text;
//! tables.c holds the data. Trees use the RFC's tree_index convention: a positive entry is the
//! index of the next node pair, a non-positive entry -v is leaf value v.
#![forbid(unsafe_code)]
pub type vp8_tree_index = i8;
pub const VP8_NUM_YMODES: i32 = 5;
pub const VP8_NUM_UVMODES: i32 = 4;
pub const VP8_NUM_BMODES: i32 = 10;
pub const VP8_NUM_MV_REFS: i32 = 5;
pub const VP8_NUM_SUB_MV_REFS: i32 = 4;
pub const VP8_NUM_TOKENS: i32 = 12;
pub const VP8_MV_PROBS: i32 = 19;
pub const VP8_DC_PRED: i32 = 0;
pub const VP8_V_PRED: i32 = VP8_DC_PRED + 1;
pub const VP8_H_PRED: i32 = VP8_V_PRED + 1;
pub const VP8_TM_PRED: i32 = VP8_H_PRED + 1;
pub const VP8_B_PRED: i32 = VP8_TM_PRED + 1;
pub const VP8_NEARESTMV: i32 = 5;
pub const VP8_NEARMV: i32 = VP8_NEARESTMV + 1;
pub const VP8_ZEROMV: i32 = VP8_NEARMV + 1;
pub const VP8_NEWMV: i32 = VP8_ZEROMV + 1;
pub const VP8_SPLITMV: i32 = VP8_NEWMV + 1;
pub const VP8_SPLIT_16x8: i32 = 0;
pub const VP8_SPLIT_8x16: i32 = VP8_SPLIT_16x8 + 1;
pub const VP8_SPLIT_8x8: i32 = VP8_SPLIT_8x16 + 1;
pub const VP8_SPLIT_4x4: i32 = VP8_SPLIT_8x8 + 1;
pub const VP8_LEFT4x4: i32 = 0;
pub const VP8_ABOVE4x4: i32 = VP8_LEFT4x4 + 1;
pub const VP8_ZERO4x4: i32 = VP8_ABOVE4x4 + 1;
pub const VP8_NEW4x4: i32 = VP8_ZERO4x4 + 1;
pub const VP8_DCT_0: i32 = 0;
pub const VP8_DCT_1: i32 = VP8_DCT_0 + 1;
pub const VP8_DCT_2: i32 = VP8_DCT_1 + 1;
pub const VP8_DCT_3: i32 = VP8_DCT_2 + 1;
pub const VP8_DCT_4: i32 = VP8_DCT_3 + 1;
pub const VP8_DCT_CAT1: i32 = VP8_DCT_4 + 1;
pub const VP8_DCT_CAT2: i32 = VP8_DCT_CAT1 + 1;
pub const VP8_DCT_CAT3: i32 = VP8_DCT_CAT2 + 1;
pub const VP8_DCT_CAT4: i32 = VP8_DCT_CAT3 + 1;
pub const VP8_DCT_CAT5: i32 = VP8_DCT_CAT4 + 1;
pub const VP8_DCT_CAT6: i32 = VP8_DCT_CAT5 + 1;
pub const VP8_DCT_EOB: i32 = VP8_DCT_CAT6 + 1;
pub const VP8_MVP_IS_SHORT: i32 = 0;
pub const VP8_MVP_SIGN: i32 = 1;
pub const VP8_MVP_SHORT: i32 = 2;
pub const VP8_MVP_BITS: i32 = 9;
