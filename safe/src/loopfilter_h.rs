//! Loop filters (RFC 6386 section 15): the dispatch table, whose slots (`vp8_asm::safe::Slot`)
//! hold the Rust fallbacks (loopfilter.rs) or the asm kernels, with the safe fn types and windows
//! of `vp8_asm::safe::loopfilter`.
//!
//! Naming follows the edge, not the filter direction: a "top" edge is horizontal (the boundary
//! between dst\[-stride\] and dst\[0\] along a row; pixels are filtered vertically across it), a
//! "left" edge is vertical (between dst\[-1\] and dst\[0\]; filtered horizontally).
//! Thresholds, as the decoder derives them per macroblock (RFC 15.4, 15.2):
//!   edge_limit  E: mbedge_limit ((level + 2) * 2 + interior) or sub_bedge_limit (level * 2 + interior)
//!   interior    I: interior_limit
//!   hev_thresh  H: high edge variance threshold
//! Luma kernels filter 16 pixels along the edge; chroma kernels filter 8 along the edge in U and
//! then in V with the same thresholds. "inner" kernels filter the three subblock edges at 4, 8 and
//! 12 (luma) or the one at 4 (chroma) of a macroblock, in that order.
//! Normal filter: MB edges use the macroblock filter (modifies up to 3 pixels each side), inner
//! edges the subblock filter (up to 2). Simple filter: luma only, 1 pixel each side, E only.
pub use vp8_asm::safe::loopfilter::{
    LfBlock, LfChromaFn, LfChromaSlot, LfLumaFn, LfLumaSlot, LfSimpleFn, LfSimpleSlot, LfUvBlock,
    edge,
};
#[derive(Debug, Clone, Copy)]
pub struct Vp8LoopfilterDsp {
    pub mb_top_y: LfLumaSlot<{ edge::MB_TOP_Y }>,
    pub mb_left_y: LfLumaSlot<{ edge::MB_LEFT_Y }>,
    pub inner_top_y: LfLumaSlot<{ edge::INNER_TOP_Y }>,
    pub inner_left_y: LfLumaSlot<{ edge::INNER_LEFT_Y }>,
    pub mb_top_uv: LfChromaSlot<{ edge::MB_TOP_UV }>,
    pub mb_left_uv: LfChromaSlot<{ edge::MB_LEFT_UV }>,
    pub inner_top_uv: LfChromaSlot<{ edge::INNER_TOP_UV }>,
    pub inner_left_uv: LfChromaSlot<{ edge::INNER_LEFT_UV }>,
    pub simple_mb_top: LfSimpleSlot<{ edge::SIMPLE_MB_TOP }>,
    pub simple_mb_left: LfSimpleSlot<{ edge::SIMPLE_MB_LEFT }>,
    pub simple_inner_top: LfSimpleSlot<{ edge::SIMPLE_INNER_TOP }>,
    pub simple_inner_left: LfSimpleSlot<{ edge::SIMPLE_INNER_LEFT }>,
}
