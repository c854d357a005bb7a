//! Loop filter fallbacks (RFC 6386 section 15): the normal macroblock-edge and subblock-edge
//! filters, the simple filter, and the table init. One filter over a block of lines serves every
//! kernel, top and left edges, luma and chroma alike.
//!
//! The kernels are safe fns with the signatures of `vp8_asm::safe::loopfilter`'s fn types: the
//! whole plane and the index `pos` of the first pixel after the edge, since the filters read up to
//! four pixels before it. Each reads and writes only the window documented there (the simple
//! filter's narrower one included).
//!
//! Layout: a kernel copies the pixels it filters into a small local block of "lines" (line k holds
//! the k-th pixel across the edge for every position along it, like a row of a top edge), runs the
//! filter over all positions of a line pair at once, and copies the changed lines back. Inside the
//! block every position is one lane of straight-line arithmetic over fixed-size arrays, with no
//! branches, no aliasing and no bounds checks: the shape LLVM vectorizes with the SSE2 every x86-64
//! has; a per-position loop with early exits stays scalar. Positions the filter leaves alone get an
//! adjustment of zero instead of a branch, which is also what the RFC's masks compute. Left
//! (vertical) edges transpose on the way in and out, so one filter serves both directions. Lines
//! are 16 bytes: a luma edge, or a chroma edge (8 positions) of U and V side by side. The slice
//! checks are per line (top edges) or per picture row (left edges), outside the lane loop.
use crate::loopfilter_h::Vp8LoopfilterDsp;
use crate::x86::loopfilter_init::loopfilter_dsp_init_x86;
use vp8_asm::safe::{CpuTokens, Slot};

pub const LF_LINE: usize = 16;

type Line = [u8; LF_LINE];

/// The filter kinds, as const generic parameters so each kernel's lane loop is specialised.
const LF_SIMPLE: u8 = 0;
const LF_SUBBLOCK: u8 = 1;
const LF_MACROBLOCK: u8 = 2;

#[derive(Clone, Copy)]
struct LfParams {
    edge_limit: u8,
    interior: u8,
    hev_thresh: u8,
}

/// Lane arithmetic is i16: every intermediate fits (the largest is 27 * w + 63 with |w| <= 128),
/// and 16-bit lanes are what makes the vectorized filter fast (8 per SSE2 register, with native
/// min/max). Right shifts of i16 are arithmetic (floor), as the RFC assumes.
type Lane = i16;

/// The RFC's c(): saturate to the signed 8-bit range.
#[inline(always)]
fn s8(v: Lane) -> Lane {
    v.clamp(-128, 127)
}

/// The RFC works on signed values (pixel - 128). The offsets cancel in every difference, and
/// s8(x - 128) + 128 is a clamp to 0..255, so the arithmetic stays on raw pixels.
#[inline(always)]
fn px(v: Lane) -> u8 {
    v.clamp(0, 255) as u8
}

#[inline(always)]
fn absdiff(a: Lane, b: Lane) -> Lane {
    if a > b { a - b } else { b - a }
}

/// Filters the edge between lines l[3] (p0) and l[4] (q0) of an 8-line window, all 16 lanes.
#[inline(always)]
// `i` is a lane across the eight lines, read and written in all of them: a lane index, not an
// iterator over one slice.
#[allow(clippy::needless_range_loop)]
fn filter_lines<const KIND: u8>(l: &mut [Line; 8], lp: LfParams) {
    let edge_limit = lp.edge_limit as Lane;
    let interior = lp.interior as Lane;
    let hev_thresh = lp.hev_thresh as Lane;
    for i in 0..LF_LINE {
        let (p3, p2, p1, p0) = (
            l[0][i] as Lane,
            l[1][i] as Lane,
            l[2][i] as Lane,
            l[3][i] as Lane,
        );
        let (q0, q1, q2, q3) = (
            l[4][i] as Lane,
            l[5][i] as Lane,
            l[6][i] as Lane,
            l[7][i] as Lane,
        );
        // The edge test shared by both filter types (RFC 15.2), then the normal filter's interior
        // test and high edge variance; masks are all ones where true.
        let mut filter = absdiff(p0, q0) * 2 + (absdiff(p1, q1) >> 1) <= edge_limit;
        let mut hev = true;
        if KIND != LF_SIMPLE {
            let m = absdiff(p3, p2)
                .max(absdiff(p2, p1))
                .max(absdiff(p1, p0))
                .max(absdiff(q3, q2))
                .max(absdiff(q2, q1))
                .max(absdiff(q1, q0));
            filter &= m <= interior;
            hev = absdiff(p1, p0).max(absdiff(q1, q0)) > hev_thresh;
        }
        let fm = -(filter as Lane);
        let hm = -(hev as Lane);
        // The edge step; zero where the position is not filtered, which makes every adjustment
        // below zero as well. Without high edge variance the subblock filter leaves the outer
        // taps out of it.
        let outer = s8(p1 - q1) & if KIND == LF_MACROBLOCK { -1 } else { hm };
        let w = s8(outer + 3 * (q0 - p0)) & fm;
        // The RFC's common_adjust: +4 and +3 round the two sides differently when w/8 is exactly
        // half-way.
        let f = s8(w + 4) >> 3;
        let b = s8(w + 3) >> 3;
        if KIND == LF_MACROBLOCK {
            // Without high edge variance: roughly 3/7, 2/7 and 1/7 of the step, decaying away
            // from the edge (|w| <= 128 keeps them inside the int8 range the RFC clamps to).
            let a0 = (27 * w + 63) >> 7;
            let a1 = ((18 * w + 63) >> 7) & !hm;
            let a2 = ((9 * w + 63) >> 7) & !hm;
            l[1][i] = px(p2 + a2);
            l[2][i] = px(p1 + a1);
            l[3][i] = px(p0 + ((b & hm) | (a0 & !hm)));
            l[4][i] = px(q0 - ((f & hm) | (a0 & !hm)));
            l[5][i] = px(q1 - a1);
            l[6][i] = px(q2 - a2);
        } else {
            l[3][i] = px(p0 + b);
            l[4][i] = px(q0 - f);
            if KIND == LF_SUBBLOCK {
                // p1 and q1 move by about half of the q0 adjustment.
                let a = ((f + 1) >> 1) & !hm;
                l[2][i] = px(p1 + a);
                l[5][i] = px(q1 - a);
            }
        }
    }
}

/// Copies lines `lines` across the edge whose q0 (line 4) of position 0 is `buf[pos]` into the
/// block, at lanes `lane0..lane0 + len`. A top edge's lines are picture rows; a left edge's are
/// columns, so its copies transpose, one picture row (one lane) at a time.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn load_lines<const LEFT: bool>(
    l: &mut [Line],
    lane0: usize,
    buf: &[u8],
    pos: usize,
    stride: usize,
    lines: core::ops::Range<usize>,
    len: usize,
) {
    if LEFT {
        for i in 0..len {
            let start = pos + i * stride + lines.start - 4;
            let row = &buf[start..start + lines.len()];
            for (k, &p) in lines.clone().zip(row.iter()) {
                l[k][lane0 + i] = p;
            }
        }
    } else {
        for k in lines {
            let start = pos + k * stride - 4 * stride;
            l[k][lane0..lane0 + len].copy_from_slice(&buf[start..start + len]);
        }
    }
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn store_lines<const LEFT: bool>(
    l: &[Line],
    lane0: usize,
    buf: &mut [u8],
    pos: usize,
    stride: usize,
    lines: core::ops::Range<usize>,
    len: usize,
) {
    if LEFT {
        for i in 0..len {
            let start = pos + i * stride + lines.start - 4;
            let row = &mut buf[start..start + lines.len()];
            for (k, p) in lines.clone().zip(row.iter_mut()) {
                *p = l[k][lane0 + i];
            }
        }
    } else {
        for k in lines {
            let start = pos + k * stride - 4 * stride;
            buf[start..start + len].copy_from_slice(&l[k][lane0..lane0 + len]);
        }
    }
}

/// First line each filter changes (p2..q2, p1..q1, p0..q0 of the window).
#[inline(always)]
const fn changed_first(kind: u8) -> usize {
    match kind {
        LF_MACROBLOCK => 1,
        LF_SUBBLOCK => 2,
        _ => 3,
    }
}

/// First line each filter reads: the simple filter only looks at p1..q1.
#[inline(always)]
const fn read_first(kind: u8) -> usize {
    if kind == LF_SIMPLE { 2 } else { 0 }
}

/// One edge of a luma block (16 positions, `b` is None), or of the U and V blocks at once (8
/// positions each, U in lanes 0-7, V in lanes 8-15).
#[inline(always)]
fn filter_edge<const LEFT: bool, const KIND: u8>(
    a: &mut [u8],
    b: Option<&mut [u8]>,
    pos: usize,
    stride: usize,
    lp: LfParams,
) {
    let mut l = [[0u8; LF_LINE]; 8];
    let (r, c) = (read_first(KIND), changed_first(KIND));
    let len = if b.is_some() { LF_LINE / 2 } else { LF_LINE };
    load_lines::<LEFT>(&mut l, 0, a, pos, stride, r..8 - r, len);
    if let Some(b) = &b {
        load_lines::<LEFT>(&mut l, len, b, pos, stride, r..8 - r, len);
    }
    filter_lines::<KIND>(&mut l, lp);
    store_lines::<LEFT>(&l, 0, a, pos, stride, c..8 - c, len);
    if let Some(b) = b {
        store_lines::<LEFT>(&l, len, b, pos, stride, c..8 - c, len);
    }
}

/// The 8-line window of the 16-line block starting at line `first`.
#[inline(always)]
fn window(l: &mut [Line; LF_LINE], first: usize) -> &mut [Line; 8] {
    (&mut l[first..first + 8]).try_into().unwrap()
}

/// The subblock edges at 4, 8, 12 of a 16x16 luma block (`b` is None), or at 4 of the 8x8 U and
/// V blocks, in that order (neighbouring edges share pixels, so each sees the previous one's
/// output). The whole block goes into the line buffer once: line k is the block's k-th row (top)
/// or column (left). The simple filter (luma only) does not read lines 14 and 15.
#[inline(always)]
fn filter_inner_edges<const LEFT: bool, const KIND: u8>(
    a: &mut [u8],
    b: Option<&mut [u8]>,
    pos: usize,
    stride: usize,
    lp: LfParams,
) {
    let mut l = [[0u8; LF_LINE]; LF_LINE];
    let size = if b.is_some() { LF_LINE / 2 } else { LF_LINE };
    let loaded = if KIND == LF_SIMPLE { size - 2 } else { size };
    let c = changed_first(KIND);
    // Line positions are counted from 4 before `pos` (a window's q0 line): point at line 4.
    let q = pos + 4 * if LEFT { 1 } else { stride };
    load_lines::<LEFT>(&mut l, 0, a, q, stride, 0..loaded, size);
    if let Some(b) = &b {
        load_lines::<LEFT>(&mut l, size, b, q, stride, 0..loaded, size);
    }
    filter_lines::<KIND>(window(&mut l, 0), lp);
    if b.is_none() {
        filter_lines::<KIND>(window(&mut l, 4), lp);
        filter_lines::<KIND>(window(&mut l, 8), lp);
    }
    store_lines::<LEFT>(&l, 0, a, q, stride, c..size - c, size);
    if let Some(b) = b {
        store_lines::<LEFT>(&l, size, b, q, stride, c..size - c, size);
    }
}

#[inline(always)]
fn params(edge_limit: u8, interior: u8, hev_thresh: u8) -> LfParams {
    LfParams {
        edge_limit,
        interior,
        hev_thresh,
    }
}

pub fn lf_mb_top_y_c(buf: &mut [u8], pos: usize, stride: usize, e: u8, i: u8, h: u8) {
    filter_edge::<false, LF_MACROBLOCK>(buf, None, pos, stride, params(e, i, h));
}

pub fn lf_mb_left_y_c(buf: &mut [u8], pos: usize, stride: usize, e: u8, i: u8, h: u8) {
    filter_edge::<true, LF_MACROBLOCK>(buf, None, pos, stride, params(e, i, h));
}

pub fn lf_inner_top_y_c(buf: &mut [u8], pos: usize, stride: usize, e: u8, i: u8, h: u8) {
    filter_inner_edges::<false, LF_SUBBLOCK>(buf, None, pos, stride, params(e, i, h));
}

pub fn lf_inner_left_y_c(buf: &mut [u8], pos: usize, stride: usize, e: u8, i: u8, h: u8) {
    filter_inner_edges::<true, LF_SUBBLOCK>(buf, None, pos, stride, params(e, i, h));
}

pub fn lf_mb_top_uv_c(u: &mut [u8], v: &mut [u8], pos: usize, stride: usize, e: u8, i: u8, h: u8) {
    filter_edge::<false, LF_MACROBLOCK>(u, Some(v), pos, stride, params(e, i, h));
}

pub fn lf_mb_left_uv_c(u: &mut [u8], v: &mut [u8], pos: usize, stride: usize, e: u8, i: u8, h: u8) {
    filter_edge::<true, LF_MACROBLOCK>(u, Some(v), pos, stride, params(e, i, h));
}

pub fn lf_inner_top_uv_c(
    u: &mut [u8],
    v: &mut [u8],
    pos: usize,
    stride: usize,
    e: u8,
    i: u8,
    h: u8,
) {
    filter_inner_edges::<false, LF_SUBBLOCK>(u, Some(v), pos, stride, params(e, i, h));
}

pub fn lf_inner_left_uv_c(
    u: &mut [u8],
    v: &mut [u8],
    pos: usize,
    stride: usize,
    e: u8,
    i: u8,
    h: u8,
) {
    filter_inner_edges::<true, LF_SUBBLOCK>(u, Some(v), pos, stride, params(e, i, h));
}

/// The simple filter ignores the interior limit and hev threshold.
pub fn lf_simple_mb_top_c(buf: &mut [u8], pos: usize, stride: usize, e: u8) {
    filter_edge::<false, LF_SIMPLE>(buf, None, pos, stride, params(e, 0, 0));
}

pub fn lf_simple_mb_left_c(buf: &mut [u8], pos: usize, stride: usize, e: u8) {
    filter_edge::<true, LF_SIMPLE>(buf, None, pos, stride, params(e, 0, 0));
}

pub fn lf_simple_inner_top_c(buf: &mut [u8], pos: usize, stride: usize, e: u8) {
    filter_inner_edges::<false, LF_SIMPLE>(buf, None, pos, stride, params(e, 0, 0));
}

pub fn lf_simple_inner_left_c(buf: &mut [u8], pos: usize, stride: usize, e: u8) {
    filter_inner_edges::<true, LF_SIMPLE>(buf, None, pos, stride, params(e, 0, 0));
}

/// The loop-filter table: the Rust fallbacks, then the asm kernels the CPU tokens allow.
pub fn loopfilter_dsp_init(cpu: CpuTokens) -> Vp8LoopfilterDsp {
    let mut dsp = Vp8LoopfilterDsp {
        mb_top_y: Slot::Rust(lf_mb_top_y_c),
        mb_left_y: Slot::Rust(lf_mb_left_y_c),
        inner_top_y: Slot::Rust(lf_inner_top_y_c),
        inner_left_y: Slot::Rust(lf_inner_left_y_c),
        mb_top_uv: Slot::Rust(lf_mb_top_uv_c),
        mb_left_uv: Slot::Rust(lf_mb_left_uv_c),
        inner_top_uv: Slot::Rust(lf_inner_top_uv_c),
        inner_left_uv: Slot::Rust(lf_inner_left_uv_c),
        simple_mb_top: Slot::Rust(lf_simple_mb_top_c),
        simple_mb_left: Slot::Rust(lf_simple_mb_left_c),
        simple_inner_top: Slot::Rust(lf_simple_inner_top_c),
        simple_inner_left: Slot::Rust(lf_simple_inner_left_c),
    };
    loopfilter_dsp_init_x86(&mut dsp, cpu);
    dsp
}
