//! Loop filter C fallbacks (RFC 6386 section 15): the normal macroblock-edge and subblock-edge
//! filters, the simple filter, and the table init. One filter over a block of lines serves every
//! kernel, top and left edges, luma and chroma alike.
use crate::loopfilter_h::{
    Vp8LoopfilterDsp, vp8_lf_chroma_fn, vp8_lf_luma_fn, vp8_lf_simple_fn,
};
use crate::x86::loopfilter_init::vp8_loopfilter_dsp_init_x86;
pub const LF_LINE: i32 = 16;
#[repr(C)]
#[derive(Clone, Copy)]
pub struct LfParams {
    pub edge_limit: i32,
    pub interior: i32,
    pub hev_thresh: i32,
}
pub type LfKind = u32;
pub const LF_SIMPLE: i32 = 0;
pub const LF_SUBBLOCK: i32 = LF_SIMPLE + 1;
pub const LF_MACROBLOCK: i32 = LF_SUBBLOCK + 1;
pub type lane = i16;
/// The RFC's c(): saturate to the signed 8-bit range.
#[inline]
unsafe extern "C" fn s8(v: lane) -> lane {
    return (if (v as i32) < -128 {
        -128
    } else if v as i32 > 127 {
        127
    } else {
        v as i32
    }) as lane;
}
/// The RFC works on signed values (pixel - 128). The offsets cancel in every difference, and
/// s8(x - 128) + 128 is a clamp to 0..255, so the arithmetic stays on raw pixels.
#[inline]
unsafe extern "C" fn u8(v: lane) -> u8 {
    return (if (v as i32) < 0 { 0 } else if v as i32 > 255 { 255 } else { v as i32 })
        as u8;
}
/// The RFC assumes >> floors negative values; in C that is implementation-defined, so shift a
/// biased non-negative value instead (exact for every int16_t v; one shift and one subtract, with
/// no branch for the vectorizers to convert).
#[inline]
unsafe extern "C" fn asr(v: lane, n: i32) -> lane {
    return (((((v as i32 + 32768) as u16) as i32).wrapping_shr(n as u32) as lane) as i32
        - (32768i32.wrapping_shr(n as u32) as lane) as i32) as lane;
}
#[inline]
unsafe extern "C" fn absdiff(a: lane, b: lane) -> lane {
    return (if a as i32 > b as i32 { a as i32 - b as i32 } else { b as i32 - a as i32 })
        as lane;
}
#[inline]
unsafe extern "C" fn lmax(a: lane, b: lane) -> lane {
    return (if a as i32 > b as i32 { a as i32 } else { b as i32 }) as lane;
}
/// Filter the edge between lines l[3] (p0) and l[4] (q0) of an 8-line window, lanes 0..len-1.
#[inline(always)]
unsafe extern "C" fn filter_lines(
    l: *mut [u8; 16],
    len: i32,
    kind: LfKind,
    lp: LfParams,
) {
    let edge_limit: lane = lp.edge_limit as lane;
    let interior: lane = lp.interior as lane;
    let hev_thresh: lane = lp.hev_thresh as lane;
    for i in 0..len {
        let p3: lane = (*l)[i as usize] as lane;
        let p2: lane = (*l.add(1))[i as usize] as lane;
        let p1: lane = (*l.add(2))[i as usize] as lane;
        let p0: lane = (*l.add(3))[i as usize] as lane;
        let q0: lane = (*l.add(4))[i as usize] as lane;
        let q1: lane = (*l.add(5))[i as usize] as lane;
        let q2: lane = (*l.add(6))[i as usize] as lane;
        let q3: lane = (*l.add(7))[i as usize] as lane;
        let mut filter: lane = (absdiff(p0, q0) as i32 * 2
            + (absdiff(p1, q1) as i32 >> 1) <= edge_limit as i32) as lane;
        let mut hev: lane = 1;
        if kind != LF_SIMPLE as u32 {
            let mut m: lane = lmax(absdiff(p3, p2), absdiff(p2, p1));
            m = lmax(m, absdiff(p1, p0));
            m = lmax(m, absdiff(q3, q2));
            m = lmax(m, absdiff(q2, q1));
            m = lmax(m, absdiff(q1, q0));
            filter = (filter as i32 & (m as i32 <= interior as i32) as i32) as lane;
            hev = (lmax(absdiff(p1, p0), absdiff(q1, q0)) as i32 > hev_thresh as i32)
                as lane;
        }
        let hm: lane = -(hev as i32) as lane;
        let outer: lane = (s8((p1 as i32 - q1 as i32) as lane) as i32
            & (if kind == LF_MACROBLOCK as u32 { -1 } else { hm as i32 })) as lane;
        let w: lane = (if filter as i32 != 0 {
            s8((outer as i32 + 3 * (q0 as i32 - p0 as i32)) as lane) as i32
        } else {
            0
        }) as lane;
        let f: lane = asr(s8((w as i32 + 4) as lane), 3);
        let b: lane = asr(s8((w as i32 + 3) as lane), 3);
        if kind == LF_MACROBLOCK as u32 {
            let a0: lane = asr((27 * w as i32 + 63) as lane, 7);
            let a1: lane = (asr((18 * w as i32 + 63) as lane, 7) as i32 & !(hm as i32))
                as lane;
            let a2: lane = (asr((9 * w as i32 + 63) as lane, 7) as i32 & !(hm as i32))
                as lane;
            (*l.add(1))[i as usize] = u8((p2 as i32 + a2 as i32) as lane);
            (*l.add(2))[i as usize] = u8((p1 as i32 + a1 as i32) as lane);
            (*l.add(3))[i as usize] = u8(
                (p0 as i32).wrapping_add(b as i32 & hm as i32 | a0 as i32 & !(hm as i32))
                    as lane,
            );
            (*l.add(4))[i as usize] = u8(
                (q0 as i32).wrapping_sub(f as i32 & hm as i32 | a0 as i32 & !(hm as i32))
                    as lane,
            );
            (*l.add(5))[i as usize] = u8((q1 as i32 - a1 as i32) as lane);
            (*l.add(6))[i as usize] = u8((q2 as i32 - a2 as i32) as lane);
        } else {
            (*l.add(3))[i as usize] = u8((p0 as i32 + b as i32) as lane);
            (*l.add(4))[i as usize] = u8((q0 as i32 - f as i32) as lane);
            if kind == LF_SUBBLOCK as u32 {
                let a: lane = (asr((f as i32 + 1) as lane, 1) as i32 & !(hm as i32))
                    as lane;
                let np1: lane = (p1 as i32 + a as i32) as lane;
                let nq1: lane = (q1 as i32 - a as i32) as lane;
                (*l.add(2))[i as usize] = u8(np1);
                (*l.add(5))[i as usize] = u8(nq1);
            }
        }
    }
}
/// Copy lines first..first+n-1 across the edge at `dst` (line k starts k - 4 pixels from q0 of
/// position 0) between the picture and the block. A top edge's lines are picture rows; a left
/// edge's are columns, so its copies transpose, one picture row (one lane) at a time. `left` and
/// the counts are constants at every call site.
#[inline(always)]
unsafe extern "C" fn load_lines(
    l: *mut [u8; 16],
    lane0: i32,
    dst: *const u8,
    stride: isize,
    left: i32,
    first: i32,
    n: i32,
    len: i32,
) {
    if left != 0 {
        for i in 0..len {
            let row: *const u8 = dst.offset((i as isize).wrapping_mul(stride)).sub(4);
            for k in first..first.wrapping_add(n) {
                (*l.offset(k as isize))[lane0.wrapping_add(i) as usize] = *row
                    .offset(k as isize);
            }
        }
    } else {
        for k in first..first.wrapping_add(n) {
            for i in 0..len {
                (*l.offset(k as isize))[lane0.wrapping_add(i) as usize] = *dst
                    .offset(
                        (k.wrapping_sub(4) as isize)
                            .wrapping_mul(stride)
                            .wrapping_add(i as isize),
                    );
            }
        }
    }
}
#[inline(always)]
unsafe extern "C" fn store_lines(
    l: *mut [u8; 16],
    lane0: i32,
    dst: *mut u8,
    stride: isize,
    left: i32,
    first: i32,
    n: i32,
    len: i32,
) {
    if left != 0 {
        for i in 0..len {
            let row: *mut u8 = dst.offset((i as isize).wrapping_mul(stride)).sub(4);
            for k in first..first.wrapping_add(n) {
                *row.offset(k as isize) = (*l
                    .offset(k as isize))[lane0.wrapping_add(i) as usize];
            }
        }
    } else {
        for k in first..first.wrapping_add(n) {
            for i in 0..len {
                *dst
                    .offset(
                        (k.wrapping_sub(4) as isize)
                            .wrapping_mul(stride)
                            .wrapping_add(i as isize),
                    ) = (*l.offset(k as isize))[lane0.wrapping_add(i) as usize];
            }
        }
    }
}
/// Lines each filter changes: p2..q2, p1..q1, p0..q0 of the window.
#[inline]
unsafe extern "C" fn changed_first(kind: LfKind) -> i32 {
    return if kind == LF_MACROBLOCK as u32 {
        1
    } else if kind == LF_SUBBLOCK as u32 {
        2
    } else {
        3
    };
}
/// One edge of a luma block (16 positions), or of the U and V blocks at once (8 positions each,
/// U in lanes 0-7, V in lanes 8-15: `chroma` is a constant at every call site).
#[inline(always)]
unsafe extern "C" fn filter_edge(
    dst_a: *mut u8,
    dst_b: *mut u8,
    chroma: i32,
    stride: isize,
    left: i32,
    kind: LfKind,
    lp: LfParams,
) {
    let mut l: [[u8; 16]; 8] = [[0; 16]; 8];
    let first: i32 = changed_first(kind);
    let len: i32 = if chroma != 0 { LF_LINE / 2 } else { LF_LINE };
    load_lines(l.as_mut_ptr(), 0, dst_a as *const u8, stride, left, 0, 8, len);
    if chroma != 0 {
        load_lines(l.as_mut_ptr(), len, dst_b as *const u8, stride, left, 0, 8, len);
    }
    filter_lines(l.as_mut_ptr(), LF_LINE, kind, lp);
    store_lines(
        l.as_mut_ptr(),
        0,
        dst_a,
        stride,
        left,
        first,
        8i32.wrapping_sub(2i32.wrapping_mul(first)),
        len,
    );
    if chroma != 0 {
        store_lines(
            l.as_mut_ptr(),
            len,
            dst_b,
            stride,
            left,
            first,
            8i32.wrapping_sub(2i32.wrapping_mul(first)),
            len,
        );
    }
}
/// The subblock edges at 4, 8, 12 of a 16x16 luma block, or at 4 of the 8x8 U and V blocks, in
/// that order (neighbouring edges share pixels, so each sees the previous one's output). The whole
/// block goes into the line buffer once: line k is the block's k-th row (top) or column (left).
#[inline(always)]
unsafe extern "C" fn filter_inner_edges(
    dst_a: *mut u8,
    dst_b: *mut u8,
    chroma: i32,
    stride: isize,
    left: i32,
    kind: LfKind,
    lp: LfParams,
) {
    let mut l: [[u8; 16]; 16] = [[0; 16]; 16];
    let size: i32 = if chroma != 0 { LF_LINE / 2 } else { LF_LINE };
    let first: i32 = changed_first(kind);
    let a: *mut u8 = dst_a
        .offset(4isize.wrapping_mul(if left != 0 { 1 } else { stride }));
    load_lines(l.as_mut_ptr(), 0, a as *const u8, stride, left, 0, size, size);
    if chroma != 0 {
        load_lines(
            l.as_mut_ptr(),
            size,
            dst_b.offset(4isize.wrapping_mul(if left != 0 { 1 } else { stride }))
                as *const u8,
            stride,
            left,
            0,
            size,
            size,
        );
    }
    filter_lines(l.as_mut_ptr(), LF_LINE, kind, lp);
    if chroma == 0 {
        filter_lines(l.as_mut_ptr().add(4), LF_LINE, kind, lp);
        filter_lines(l.as_mut_ptr().add(8), LF_LINE, kind, lp);
    }
    store_lines(
        l.as_mut_ptr(),
        0,
        a,
        stride,
        left,
        first,
        size.wrapping_sub(2i32.wrapping_mul(first)),
        size,
    );
    if chroma != 0 {
        store_lines(
            l.as_mut_ptr(),
            size,
            dst_b.offset(4isize.wrapping_mul(if left != 0 { 1 } else { stride })),
            stride,
            left,
            first,
            size.wrapping_sub(2i32.wrapping_mul(first)),
            size,
        );
    }
}
pub unsafe extern "C" fn vp8_lf_mb_top_y_c(
    dst: *mut u8,
    stride: isize,
    edge_limit: i32,
    interior: i32,
    hev_thresh: i32,
) {
    let lp: LfParams = LfParams {
        edge_limit: edge_limit,
        interior: interior,
        hev_thresh: hev_thresh,
    };
    filter_edge(dst, core::ptr::null_mut(), 0, stride, 0, LF_MACROBLOCK as LfKind, lp);
}
pub unsafe extern "C" fn vp8_lf_mb_left_y_c(
    dst: *mut u8,
    stride: isize,
    edge_limit: i32,
    interior: i32,
    hev_thresh: i32,
) {
    let lp: LfParams = LfParams {
        edge_limit: edge_limit,
        interior: interior,
        hev_thresh: hev_thresh,
    };
    filter_edge(dst, core::ptr::null_mut(), 0, stride, 1, LF_MACROBLOCK as LfKind, lp);
}
pub unsafe extern "C" fn vp8_lf_inner_top_y_c(
    dst: *mut u8,
    stride: isize,
    edge_limit: i32,
    interior: i32,
    hev_thresh: i32,
) {
    let lp: LfParams = LfParams {
        edge_limit: edge_limit,
        interior: interior,
        hev_thresh: hev_thresh,
    };
    filter_inner_edges(
        dst,
        core::ptr::null_mut(),
        0,
        stride,
        0,
        LF_SUBBLOCK as LfKind,
        lp,
    );
}
pub unsafe extern "C" fn vp8_lf_inner_left_y_c(
    dst: *mut u8,
    stride: isize,
    edge_limit: i32,
    interior: i32,
    hev_thresh: i32,
) {
    let lp: LfParams = LfParams {
        edge_limit: edge_limit,
        interior: interior,
        hev_thresh: hev_thresh,
    };
    filter_inner_edges(
        dst,
        core::ptr::null_mut(),
        0,
        stride,
        1,
        LF_SUBBLOCK as LfKind,
        lp,
    );
}
pub unsafe extern "C" fn vp8_lf_mb_top_uv_c(
    dst_u: *mut u8,
    dst_v: *mut u8,
    stride: isize,
    edge_limit: i32,
    interior: i32,
    hev_thresh: i32,
) {
    let lp: LfParams = LfParams {
        edge_limit: edge_limit,
        interior: interior,
        hev_thresh: hev_thresh,
    };
    filter_edge(dst_u, dst_v, 1, stride, 0, LF_MACROBLOCK as LfKind, lp);
}
pub unsafe extern "C" fn vp8_lf_mb_left_uv_c(
    dst_u: *mut u8,
    dst_v: *mut u8,
    stride: isize,
    edge_limit: i32,
    interior: i32,
    hev_thresh: i32,
) {
    let lp: LfParams = LfParams {
        edge_limit: edge_limit,
        interior: interior,
        hev_thresh: hev_thresh,
    };
    filter_edge(dst_u, dst_v, 1, stride, 1, LF_MACROBLOCK as LfKind, lp);
}
pub unsafe extern "C" fn vp8_lf_inner_top_uv_c(
    dst_u: *mut u8,
    dst_v: *mut u8,
    stride: isize,
    edge_limit: i32,
    interior: i32,
    hev_thresh: i32,
) {
    let lp: LfParams = LfParams {
        edge_limit: edge_limit,
        interior: interior,
        hev_thresh: hev_thresh,
    };
    filter_inner_edges(dst_u, dst_v, 1, stride, 0, LF_SUBBLOCK as LfKind, lp);
}
pub unsafe extern "C" fn vp8_lf_inner_left_uv_c(
    dst_u: *mut u8,
    dst_v: *mut u8,
    stride: isize,
    edge_limit: i32,
    interior: i32,
    hev_thresh: i32,
) {
    let lp: LfParams = LfParams {
        edge_limit: edge_limit,
        interior: interior,
        hev_thresh: hev_thresh,
    };
    filter_inner_edges(dst_u, dst_v, 1, stride, 1, LF_SUBBLOCK as LfKind, lp);
}
/// The simple filter ignores the interior limit and hev threshold.
pub unsafe extern "C" fn vp8_lf_simple_mb_top_c(
    dst: *mut u8,
    stride: isize,
    edge_limit: i32,
) {
    let lp: LfParams = LfParams {
        edge_limit: edge_limit,
        interior: 0,
        hev_thresh: 0,
    };
    filter_edge(dst, core::ptr::null_mut(), 0, stride, 0, LF_SIMPLE as LfKind, lp);
}
pub unsafe extern "C" fn vp8_lf_simple_mb_left_c(
    dst: *mut u8,
    stride: isize,
    edge_limit: i32,
) {
    let lp: LfParams = LfParams {
        edge_limit: edge_limit,
        interior: 0,
        hev_thresh: 0,
    };
    filter_edge(dst, core::ptr::null_mut(), 0, stride, 1, LF_SIMPLE as LfKind, lp);
}
pub unsafe extern "C" fn vp8_lf_simple_inner_top_c(
    dst: *mut u8,
    stride: isize,
    edge_limit: i32,
) {
    let lp: LfParams = LfParams {
        edge_limit: edge_limit,
        interior: 0,
        hev_thresh: 0,
    };
    filter_inner_edges(
        dst,
        core::ptr::null_mut(),
        0,
        stride,
        0,
        LF_SIMPLE as LfKind,
        lp,
    );
}
pub unsafe extern "C" fn vp8_lf_simple_inner_left_c(
    dst: *mut u8,
    stride: isize,
    edge_limit: i32,
) {
    let lp: LfParams = LfParams {
        edge_limit: edge_limit,
        interior: 0,
        hev_thresh: 0,
    };
    filter_inner_edges(
        dst,
        core::ptr::null_mut(),
        0,
        stride,
        1,
        LF_SIMPLE as LfKind,
        lp,
    );
}
pub unsafe extern "C" fn vp8_loopfilter_dsp_init(
    dsp: *mut Vp8LoopfilterDsp,
    cpu_flags: u32,
) {
    (*dsp).mb_top_y = Some(vp8_lf_mb_top_y_c);
    (*dsp).mb_left_y = Some(vp8_lf_mb_left_y_c);
    (*dsp).inner_top_y = Some(vp8_lf_inner_top_y_c);
    (*dsp).inner_left_y = Some(vp8_lf_inner_left_y_c);
    (*dsp).mb_top_uv = Some(vp8_lf_mb_top_uv_c);
    (*dsp).mb_left_uv = Some(vp8_lf_mb_left_uv_c);
    (*dsp).inner_top_uv = Some(vp8_lf_inner_top_uv_c);
    (*dsp).inner_left_uv = Some(vp8_lf_inner_left_uv_c);
    (*dsp).simple_mb_top = Some(vp8_lf_simple_mb_top_c);
    (*dsp).simple_mb_left = Some(vp8_lf_simple_mb_left_c);
    (*dsp).simple_inner_top = Some(vp8_lf_simple_inner_top_c);
    (*dsp).simple_inner_left = Some(vp8_lf_simple_inner_left_c);
    vp8_loopfilter_dsp_init_x86(dsp, cpu_flags);
}
