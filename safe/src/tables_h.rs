//! Constant tables of the VP8 format (RFC 6386): trees, default and update probabilities,
//! quantizer lookups, scan order. Values are facts of the format, transcribed from the RFC text;
//! tables.c holds the data. Trees use the RFC's tree_index convention: a positive entry is the
//! index of the next node pair, a non-positive entry -v is leaf value v.
pub type TreeIndex = i8;
pub const VP8_MV_PROBS: i32 = 19;
/// A macroblock's luma mode (RFC 6386 sections 11.2 and 16.3): the whole-block intra modes and
/// B_PRED, then the inter modes, numbered as the C stage's `VP8_*_PRED` and `VP8_*MV` (its
/// `ymode`). Port step 61 made the modes enums; before, they were the C's `u8` codes compared
/// with `i32` constants (`mb.ymode as i32 == VP8_B_PRED`).
#[repr(u8)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MbMode {
    /// `VP8_DC_PRED`, also the border record's mode.
    #[default]
    Dc = 0,
    V,
    H,
    Tm,
    /// Sixteen subblock modes (`Vp8MbInfo::bmodes`).
    BPred,
    Nearest,
    Near,
    Zero,
    New,
    /// Sixteen subblock vectors (`Vp8MbInfo::bmv`), partitioned by `split_kind`.
    Split,
}

impl MbMode {
    /// Whether the residual has a Y2 block (all modes but B_PRED and SPLITMV).
    #[inline(always)]
    pub fn has_y2(self) -> bool {
        !matches!(self, MbMode::BPred | MbMode::Split)
    }

    /// A whole-block intra luma mode as the chroma modes' type (same names, same numbers); the
    /// other modes have no whole-block predictor and give DC.
    #[inline(always)]
    pub fn whole_block(self) -> IntraMode {
        match self {
            MbMode::V => IntraMode::V,
            MbMode::H => IntraMode::H,
            MbMode::Tm => IntraMode::Tm,
            _ => IntraMode::Dc,
        }
    }
}

/// A macroblock's chroma mode (RFC 11.2), numbered as the C's `VP8_*_PRED`.
#[repr(u8)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IntraMode {
    #[default]
    Dc = 0,
    V,
    H,
    Tm,
}
/// How a SPLITMV macroblock is partitioned (RFC 6386 section 17.1's mvpartition), numbered as
/// the C's `VP8_SPLIT_*`: the index of its map in `VP8_SPLIT_MV_MAP` (port step 65).
#[repr(u8)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SplitKind {
    /// `mv_top_bottom`, `VP8_SPLIT_16x8`: two 16x8 halves.
    #[default]
    TopBottom = 0,
    /// `mv_left_right`, `VP8_SPLIT_8x16`: two 8x16 halves.
    LeftRight,
    /// `mv_quarters`, `VP8_SPLIT_8x8`.
    Quarters,
    /// `MV_16`, `VP8_SPLIT_4x4`: a vector per subblock.
    Sixteen,
}

/// How a split partition's vector is coded (RFC 17.1's sub_mv_ref leaves), numbered as the C's
/// `VP8_*4x4`.
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubMvRef {
    /// The vector of the subblock to the left.
    Left = 0,
    /// The vector of the subblock above.
    Above,
    Zero,
    /// A new vector, coded relative to the best reference.
    New,
}
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
