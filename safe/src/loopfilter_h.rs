//! Loop filters (RFC 6386 section 15): the function-pointer table and kernel contract shared by the
//! C fallbacks (loopfilter.c) and the asm kernels.
//!
//! Naming follows the edge, not the filter direction: a "top" edge is horizontal (the boundary
//! between dst[-stride] and dst[0] along a row; pixels are filtered vertically across it), a
//! "left" edge is vertical (between dst[-1] and dst[0]; filtered horizontally).
//! Thresholds, as the decoder derives them per macroblock (RFC 15.4, 15.2):
//!   edge_limit  E: mbedge_limit ((level + 2) * 2 + interior) or sub_bedge_limit (level * 2 + interior)
//!   interior    I: interior_limit
//!   hev_thresh  H: high edge variance threshold
//! Luma kernels filter 16 pixels along the edge; chroma kernels filter 8 along the edge in U and
//! then in V with the same thresholds. "inner" kernels filter the three subblock edges at 4, 8 and
//! 12 (luma) or the one at 4 (chroma) of a macroblock, in that order.
//! Normal filter: MB edges use the macroblock filter (modifies up to 3 pixels each side), inner
//! edges the subblock filter (up to 2). Simple filter: luma only, 1 pixel each side, E only.
pub type vp8_lf_luma_fn = Option<unsafe extern "C" fn(*mut u8, isize, i32, i32, i32)>;
pub type vp8_lf_chroma_fn = Option<
    unsafe extern "C" fn(*mut u8, *mut u8, isize, i32, i32, i32),
>;
pub type vp8_lf_simple_fn = Option<unsafe extern "C" fn(*mut u8, isize, i32)>;
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Vp8LoopfilterDsp {
    pub mb_top_y: vp8_lf_luma_fn,
    pub mb_left_y: vp8_lf_luma_fn,
    pub inner_top_y: vp8_lf_luma_fn,
    pub inner_left_y: vp8_lf_luma_fn,
    pub mb_top_uv: vp8_lf_chroma_fn,
    pub mb_left_uv: vp8_lf_chroma_fn,
    pub inner_top_uv: vp8_lf_chroma_fn,
    pub inner_left_uv: vp8_lf_chroma_fn,
    pub simple_mb_top: vp8_lf_simple_fn,
    pub simple_mb_left: vp8_lf_simple_fn,
    pub simple_inner_top: vp8_lf_simple_fn,
    pub simple_inner_left: vp8_lf_simple_fn,
}
