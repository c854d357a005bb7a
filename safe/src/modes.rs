//! Macroblock header parsing (RFC 6386 sections 10, 11, 16, 17, 19.3): segment ids, skip flags,
//! intra modes with their key-frame contexts, reference frames, the near/nearest/best vector
//! survey, inter modes, split partitions and motion vectors. The whole first partition is parsed
//! before any residual so that rows can be reconstructed independently afterwards.
use crate::bool_h::Vp8BoolDecoder;
use crate::internal_h::{
    VP8_ALTREF_FRAME, VP8_GOLDEN_FRAME, VP8_INTRA_FRAME, VP8_LAST_FRAME, Vp8Decoder,
    Vp8FrameHeader, Vp8MbInfo, Vp8Mv, Vp8Probs, Vp8Segmentation, vp8_mb_at,
};
use crate::ipred_h::{VP8_B_DC, VP8_B_HE, VP8_B_TM, VP8_B_VE};
use crate::tables::{
    vp8_bmode_prob, vp8_bmode_tree, vp8_kf_bmode_prob, vp8_kf_uv_mode_prob,
    vp8_kf_ymode_prob, vp8_kf_ymode_tree, vp8_mb_segment_tree, vp8_mode_contexts,
    vp8_small_mv_tree, vp8_split_mv_count, vp8_split_mv_map, vp8_split_mv_prob,
    vp8_split_mv_tree, vp8_sub_mv_ref_prob, vp8_sub_mv_ref_tree, vp8_uv_mode_tree,
    vp8_ymode_tree,
};
use crate::tables_h::{
    VP8_ABOVE4x4, VP8_B_PRED, VP8_DC_PRED, VP8_LEFT4x4, VP8_MV_PROBS, VP8_MVP_BITS, VP8_MVP_IS_SHORT,
    VP8_MVP_SHORT, VP8_MVP_SIGN, VP8_NEARESTMV, VP8_NEARMV, VP8_NEWMV, VP8_SPLITMV,
    VP8_ZERO4x4, VP8_ZEROMV,
};
/// The subblock mode a 16x16 luma mode implies for its neighbours' key-frame contexts.
static implied_bmode: [u8; 4] = [
    VP8_B_DC as u8,
    VP8_B_VE as u8,
    VP8_B_HE as u8,
    VP8_B_TM as u8,
];
unsafe fn parse_kf_modes(
    bd: &mut Vp8BoolDecoder,
    mb: *mut Vp8MbInfo,
    above: *const Vp8MbInfo,
    left: *const Vp8MbInfo,
) {
    (*mb).ymode = bd.read_tree(&vp8_kf_ymode_tree, &vp8_kf_ymode_prob) as u8;
    if (*mb).ymode as i32 == VP8_B_PRED {
        for i in 0i32..16 {
            let a: i32 = if i < 4 {
                (*above).bmodes[(i + 12) as usize] as i32
            } else {
                (*mb).bmodes[(i - 4) as usize] as i32
            };
            let l: i32 = if i & 3 == 0 {
                (*left).bmodes[(i + 3) as usize] as i32
            } else {
                (*mb).bmodes[(i - 1) as usize] as i32
            };
            (*mb).bmodes[i as usize] = bd.read_tree(&vp8_bmode_tree, &vp8_kf_bmode_prob[a as usize][l as usize]) as u8;
        }
    } else {
        let m: u8 = implied_bmode[(*mb).ymode as usize];
        for i in 0i32..16 {
            (*mb).bmodes[i as usize] = m;
        }
    }
    (*mb).uvmode = bd.read_tree(&vp8_uv_mode_tree, &vp8_kf_uv_mode_prob) as u8;
}
unsafe fn parse_intra_modes(
    bd: &mut Vp8BoolDecoder,
    probs: *const Vp8Probs,
    mb: *mut Vp8MbInfo,
) {
    (*mb).ymode = bd.read_tree(&vp8_ymode_tree, &(*probs).ymode)
        as u8;
    if (*mb).ymode as i32 == VP8_B_PRED {
        for i in 0i32..16 {
            (*mb).bmodes[i as usize] = bd.read_tree(&vp8_bmode_tree, &vp8_bmode_prob) as u8;
        }
    }
    (*mb).uvmode = bd.read_tree(&vp8_uv_mode_tree, &(*probs).uvmode)
        as u8;
}
/// One vector component (RFC 17.2): a short tree-coded magnitude or a long bitwise one, then a
/// sign. `p` is that component's probability vector.
#[inline]
fn read_mv_component(bd: &mut Vp8BoolDecoder, p: &[u8; VP8_MV_PROBS as usize]) -> i32 {
    const BITS: usize = VP8_MVP_BITS as usize;
    let mut x: i32;
    if bd.read_bool(p[VP8_MVP_IS_SHORT as usize]) {
        x = 0;
        for i in 0..3 {
            x += (bd.read_bool(p[BITS + i]) as i32) << i;
        }
        for i in (4..=9).rev() {
            x += (bd.read_bool(p[BITS + i]) as i32) << i;
        }
        if x & 0xfff0 == 0 || bd.read_bool(p[BITS + 3]) {
            x += 8;
        }
    } else {
        x = bd.read_tree(&vp8_small_mv_tree, &p[VP8_MVP_SHORT as usize..]);
    }
    if x != 0 && bd.read_bool(p[VP8_MVP_SIGN as usize]) {
        x = -x;
    }
    x
}
unsafe fn read_mv(
    bd: &mut Vp8BoolDecoder,
    probs: *const Vp8Probs,
    base: Vp8Mv,
) -> Vp8Mv {
    let mut mv: Vp8Mv = core::mem::zeroed();
    mv.row = (base.row as i32)
        .wrapping_add(read_mv_component(bd, &(*probs).mv[0])) as i16;
    mv.col = (base.col as i32)
        .wrapping_add(read_mv_component(bd, &(*probs).mv[1])) as i16;
    return mv;
}
unsafe fn mv_equal(a: Vp8Mv, b: Vp8Mv) -> i32 {
    return (a.row as i32 == b.row as i32 && a.col as i32 == b.col as i32) as i32;
}
unsafe fn mv_is_zero(a: Vp8Mv) -> i32 {
    return (a.row as i32 == 0 && a.col as i32 == 0) as i32;
}
/// Bounds a vector may reach: 16 pixels beyond the frame edges (quarter pels).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MvBounds {
    pub min_col: i32,
    pub max_col: i32,
    pub min_row: i32,
    pub max_row: i32,
}
unsafe fn clamp_mv(mv: Vp8Mv, b: *const MvBounds) -> Vp8Mv {
    let mut r: Vp8Mv = core::mem::zeroed();
    r.col = (if (mv.col as i32) < (*b).min_col {
        (*b).min_col
    } else if mv.col as i32 > (*b).max_col {
        (*b).max_col
    } else {
        mv.col as i32
    }) as i16;
    r.row = (if (mv.row as i32) < (*b).min_row {
        (*b).min_row
    } else if mv.row as i32 > (*b).max_row {
        (*b).max_row
    } else {
        mv.row as i32
    }) as i16;
    return r;
}
pub const CNT_ZERO: i32 = 0;
pub const CNT_NEAREST: i32 = CNT_ZERO + 1;
pub const CNT_NEAR: i32 = CNT_NEAREST + 1;
pub const CNT_SPLIT: i32 = CNT_NEAR + 1;
/// The survey of RFC 16.3: up to three distinct vectors of the above, left and above-left
/// neighbours, weighted 2, 2, 1, sign-corrected for the reference frame's sign bias.
unsafe fn find_near_mvs(
    dec: *const Vp8Decoder,
    mb: *const Vp8MbInfo,
    ref_frame: i32,
    near_mvs: *mut Vp8Mv,
    cnt: *mut i32,
) {
    let mut neighbours: [*const Vp8MbInfo; 3] = [core::ptr::null(); 3];
    static weights: [i32; 3] = [2, 2, 1];
    let bias: *const i32 = (*dec).hdr.sign_bias.as_ptr();
    let mut top: i32 = 0;
    neighbours[0] = mb.offset(((*dec).mb_stride as isize).wrapping_neg());
    neighbours[1] = mb.sub(1);
    neighbours[2] = mb.offset(((*dec).mb_stride as isize).wrapping_neg()).sub(1);
    for i in 0i32..4 {
        (*near_mvs.add(i as usize)).row = 0;
        (*near_mvs.add(i as usize)).col = 0;
        *cnt.add(i as usize) = 0;
    }
    {
        let mut i: i32 = 0;
        while i < 3 {
            'loop2_body: {
                let n: *const Vp8MbInfo = neighbours[i as usize];
                let mut mv: Vp8Mv = core::mem::zeroed();
                if (*n).ref_frame as i32 == VP8_INTRA_FRAME {
                    break 'loop2_body;
                }
                if mv_is_zero((*n).mv) != 0 {
                    *cnt.add(CNT_ZERO as usize) = (*cnt.add(CNT_ZERO as usize))
                        .wrapping_add(weights[i as usize]);
                    break 'loop2_body;
                }
                mv = (*n).mv;
                if *bias.add((*n).ref_frame as usize) != *bias.offset(ref_frame as isize)
                {
                    mv.row = -(mv.row as i32) as i16;
                    mv.col = -(mv.col as i32) as i16;
                }
                if i == 0 || mv_equal(mv, *near_mvs.offset(top as isize)) == 0 {
                    top = top.wrapping_add(1);
                    *near_mvs.offset(top as isize) = mv;
                }
                *cnt.offset(top as isize) = (*cnt.offset(top as isize))
                    .wrapping_add(weights[i as usize]);
            }
            i += 1;
        }
    }
    if *cnt.add(CNT_SPLIT as usize) != 0
        && mv_equal(*near_mvs.offset(top as isize), *near_mvs.add(CNT_NEAREST as usize))
            != 0
    {
        *cnt.add(CNT_NEAREST as usize) = (*cnt.add(CNT_NEAREST as usize))
            .wrapping_add(1);
    }
    *cnt.add(CNT_SPLIT as usize) = (((*neighbours[0]).ymode as i32 == VP8_SPLITMV) as i32
        + ((*neighbours[1]).ymode as i32 == VP8_SPLITMV) as i32) * 2
        + ((*neighbours[2]).ymode as i32 == VP8_SPLITMV) as i32;
    if *cnt.add(CNT_NEAR as usize) > *cnt.add(CNT_NEAREST as usize) {
        let t: i32 = *cnt.add(CNT_NEAREST as usize);
        let m: Vp8Mv = *near_mvs.add(CNT_NEAREST as usize);
        *cnt.add(CNT_NEAREST as usize) = *cnt.add(CNT_NEAR as usize);
        *cnt.add(CNT_NEAR as usize) = t;
        *near_mvs.add(CNT_NEAREST as usize) = *near_mvs.add(CNT_NEAR as usize);
        *near_mvs.add(CNT_NEAR as usize) = m;
    }
    if *cnt.add(CNT_NEAREST as usize) >= *cnt.add(CNT_ZERO as usize) {
        *near_mvs.add(CNT_ZERO as usize) = *near_mvs.add(CNT_NEAREST as usize);
    }
}
/// A neighbouring subblock's vector: inside this macroblock, or in the left/above one (whose
/// vector covers all its subblocks unless it was split).
unsafe fn left_block_mv(
    mb: *const Vp8MbInfo,
    left: *const Vp8MbInfo,
    b: i32,
) -> Vp8Mv {
    if b & 3 != 0 {
        return (*mb).bmv[b.wrapping_sub(1) as usize];
    }
    return if (*left).ymode as i32 == VP8_SPLITMV {
        (*left).bmv[b.wrapping_add(3) as usize]
    } else {
        (*left).mv
    };
}
unsafe fn above_block_mv(
    mb: *const Vp8MbInfo,
    above: *const Vp8MbInfo,
    b: i32,
) -> Vp8Mv {
    if b >= 4 {
        return (*mb).bmv[b.wrapping_sub(4) as usize];
    }
    return if (*above).ymode as i32 == VP8_SPLITMV {
        (*above).bmv[b.wrapping_add(12) as usize]
    } else {
        (*above).mv
    };
}
unsafe fn parse_split_mvs(
    bd: &mut Vp8BoolDecoder,
    probs: *const Vp8Probs,
    mb: *mut Vp8MbInfo,
    above: *const Vp8MbInfo,
    left: *const Vp8MbInfo,
    best: Vp8Mv,
) {
    let kind: i32 = bd.read_tree(&vp8_split_mv_tree, &vp8_split_mv_prob);
    let map: *const u8 = vp8_split_mv_map[kind as usize].as_ptr();
    let mut part: i32 = 0;
    (*mb).split_kind = kind as u8;
    part = 0;
    while part < vp8_split_mv_count[kind as usize] as i32 {
        let mut first: i32 = 0;
        let mut lmv: Vp8Mv = core::mem::zeroed();
        let mut amv: Vp8Mv = core::mem::zeroed();
        let mut mv: Vp8Mv = core::mem::zeroed();
        let mut ctx: i32 = 0;
        while *map.offset(first as isize) as i32 != part {
            first = first.wrapping_add(1);
        }
        lmv = left_block_mv(mb as *const Vp8MbInfo, left, first);
        amv = above_block_mv(mb as *const Vp8MbInfo, above, first);
        if mv_equal(lmv, amv) != 0 {
            ctx = (if mv_is_zero(amv) != 0 { 4 } else { 3 });
        } else if mv_is_zero(amv) != 0 {
            ctx = 2;
        } else if mv_is_zero(lmv) != 0 {
            ctx = 1;
        } else {
            ctx = 0;
        }
        match bd.read_tree(&vp8_sub_mv_ref_tree, &vp8_sub_mv_ref_prob[ctx as usize]) {
            VP8_LEFT4x4 => {
                mv = lmv;
            }
            VP8_ABOVE4x4 => {
                mv = amv;
            }
            VP8_ZERO4x4 => {
                mv.row = 0;
                mv.col = 0;
            }
            _ => {
                mv = read_mv(bd, probs, best);
            }
        }
        for b in first..16 {
            if *map.offset(b as isize) as i32 == part {
                (*mb).bmv[b as usize] = mv;
            }
        }
        part = part.wrapping_add(1);
    }
    (*mb).mv = (*mb).bmv[15];
}
unsafe fn parse_inter_modes(
    dec: *mut Vp8Decoder,
    bd: &mut Vp8BoolDecoder,
    mb: *mut Vp8MbInfo,
    mb_x: i32,
    mb_y: i32,
) {
    let h: *const Vp8FrameHeader = &raw const (*dec).hdr;
    let mut near_mvs: [Vp8Mv; 4] = core::mem::zeroed();
    let mut cnt: [i32; 4] = [0; 4];
    let mut bounds: MvBounds = core::mem::zeroed();
    let mut r#ref: i32 = 0;
    if bd.read_bool(((*h).prob_last) as u8) as i32 != 0 {
        r#ref = (if bd.read_bool(((*h).prob_golden) as u8) as i32 != 0 {
            VP8_ALTREF_FRAME
        } else {
            VP8_GOLDEN_FRAME
        });
    } else {
        r#ref = VP8_LAST_FRAME;
    }
    (*mb).ref_frame = r#ref as u8;
    (*mb).uvmode = VP8_DC_PRED as u8;
    find_near_mvs(
        dec as *const Vp8Decoder,
        mb as *const Vp8MbInfo,
        r#ref,
        near_mvs.as_mut_ptr(),
        cnt.as_mut_ptr(),
    );
    bounds.min_col = (mb_x.wrapping_mul(16) << 2).wrapping_neg().wrapping_sub(16 << 2);
    bounds.max_col = ((*dec).mb_cols.wrapping_sub(1).wrapping_sub(mb_x).wrapping_mul(16)
        << 2)
        .wrapping_add(16 << 2);
    bounds.min_row = (mb_y.wrapping_mul(16) << 2).wrapping_neg().wrapping_sub(16 << 2);
    bounds.max_row = ((*dec).mb_rows.wrapping_sub(1).wrapping_sub(mb_y).wrapping_mul(16)
        << 2)
        .wrapping_add(16 << 2);
    if bd.read_bool((vp8_mode_contexts[cnt[CNT_ZERO as usize] as usize][0] as i32) as u8) as i32
        == 0
    {
        (*mb).ymode = VP8_ZEROMV as u8;
        (*mb).mv.row = 0;
        (*mb).mv.col = 0;
    } else if bd.read_bool((vp8_mode_contexts[cnt[CNT_NEAREST as usize] as usize][1] as i32) as u8) as i32 == 0
    {
        (*mb).ymode = VP8_NEARESTMV as u8;
        (*mb).mv = clamp_mv(near_mvs[CNT_NEAREST as usize], &raw const bounds);
    } else if bd.read_bool((vp8_mode_contexts[cnt[CNT_NEAR as usize] as usize][2] as i32) as u8) as i32 == 0
    {
        (*mb).ymode = VP8_NEARMV as u8;
        (*mb).mv = clamp_mv(near_mvs[CNT_NEAR as usize], &raw const bounds);
    } else {
        let best: Vp8Mv = clamp_mv(near_mvs[CNT_ZERO as usize], &raw const bounds);
        if bd.read_bool((vp8_mode_contexts[cnt[CNT_SPLIT as usize] as usize][3] as i32) as u8) as i32 == 0
        {
            (*mb).ymode = VP8_NEWMV as u8;
            (*mb).mv = read_mv(bd, &raw const (*dec).probs, best);
        } else {
            (*mb).ymode = VP8_SPLITMV as u8;
            parse_split_mvs(
                bd,
                &raw const (*dec).probs,
                mb,
                mb.offset(((*dec).mb_stride as isize).wrapping_neg())
                    as *const Vp8MbInfo,
                mb.sub(1) as *const Vp8MbInfo,
                best,
            );
        }
    }
}
/// Parse every macroblock header of the frame from the first partition `bd`.
pub unsafe fn vp8_decode_modes(dec: *mut Vp8Decoder, bd: &mut Vp8BoolDecoder) {
    let h: *const Vp8FrameHeader = &raw const (*dec).hdr;
    let mut mb_x: i32 = 0;
    let mut mb_y: i32 = 0;
    mb_y = 0;
    while mb_y < (*dec).mb_rows {
        mb_x = 0;
        while mb_x < (*dec).mb_cols {
            let mb: *mut Vp8MbInfo = vp8_mb_at(dec as *const Vp8Decoder, mb_x, mb_y);
            if (*dec).seg.update_map != 0 {
                (*mb).segment = bd.read_tree(&vp8_mb_segment_tree, &(*dec).seg.tree_probs) as u8;
            } else if (*h).keyframe != 0 {
                (*mb).segment = 0;
            }
            (*mb).skip = (if (*h).mb_no_coeff_skip != 0 {
                bd.read_bool(((*h).prob_skip_false) as u8) as i32
            } else {
                0
            }) as u8;
            if (*h).keyframe != 0 {
                (*mb).ref_frame = VP8_INTRA_FRAME as u8;
                (*mb).mv.row = 0;
                (*mb).mv.col = 0;
                parse_kf_modes(
                    bd,
                    mb,
                    mb.offset(((*dec).mb_stride as isize).wrapping_neg())
                        as *const Vp8MbInfo,
                    mb.sub(1) as *const Vp8MbInfo,
                );
            } else if bd.read_bool(((*h).prob_intra) as u8) as i32 != 0 {
                parse_inter_modes(dec, bd, mb, mb_x, mb_y);
            } else {
                (*mb).ref_frame = VP8_INTRA_FRAME as u8;
                (*mb).mv.row = 0;
                (*mb).mv.col = 0;
                parse_intra_modes(bd, &raw const (*dec).probs, mb);
            }
            mb_x = mb_x.wrapping_add(1);
        }
        mb_y = mb_y.wrapping_add(1);
    }
}
