//! Macroblock header parsing (RFC 6386 sections 10, 11, 16, 17, 19.3): segment ids, skip flags,
//! intra modes with their key-frame contexts, reference frames, the near/nearest/best vector
//! survey, inter modes, split partitions and motion vectors. The whole first partition is parsed
//! before any residual so that rows can be reconstructed independently afterwards.
//!
//! Safe code over the [`crate::mb_grid::MbGrid`]: each macroblock's record is parsed in place,
//! borrowed beside its already parsed neighbours ([`Neighbours`]) rather than through pointer
//! offsets. Modes and reference frames are enums ([`MbMode`], [`IntraMode`], [`BMode`],
//! [`RefFrame`], port step 61), numbered as the C's codes.
use crate::bool_h::Vp8BoolDecoder;
use crate::error::{DecodeError, Vp8Result};
use crate::internal_h::{
    RefFrame, Vp8Decoder, Vp8FrameHeader, Vp8MbInfo, Vp8Mv, Vp8Probs, Vp8Segmentation,
};
use crate::ipred_h::BMode;
use crate::mb_grid::{MbGrid, Neighbours};
use crate::tables::{
    VP8_BMODE_PROB, VP8_KF_BMODE_PROB, VP8_KF_UV_MODE_PROB, VP8_KF_YMODE_PROB, VP8_MODE_CONTEXTS,
    VP8_SPLIT_MV_COUNT, VP8_SPLIT_MV_MAP, VP8_SPLIT_MV_PROB, VP8_SUB_MV_REF_PROB,
};
use crate::tables_h::{
    IntraMode, MbMode, SubMvRef, VP8_MV_PROBS, VP8_MVP_BITS, VP8_MVP_IS_SHORT, VP8_MVP_SHORT,
    VP8_MVP_SIGN,
};
use crate::trees::{
    read_bmode, read_kf_ymode, read_segment, read_small_mv, read_split_mv, read_sub_mv_ref,
    read_uv_mode, read_ymode,
};
use vp8_stage::ErrorKind;

/// The subblock mode a 16x16 luma mode implies for its neighbours' key-frame contexts.
const IMPLIED_BMODE: [BMode; 4] = [BMode::Dc, BMode::Ve, BMode::He, BMode::Tm];

#[inline(always)]
fn parse_kf_modes(
    bd: &mut Vp8BoolDecoder,
    mb: &mut Vp8MbInfo,
    above: &Vp8MbInfo,
    left: &Vp8MbInfo,
) {
    mb.ymode = read_kf_ymode(bd, &VP8_KF_YMODE_PROB);
    if mb.ymode == MbMode::BPred {
        for i in 0..16 {
            let a = if i < 4 {
                above.bmodes[i + 12]
            } else {
                mb.bmodes[i - 4]
            };
            let l = if i & 3 == 0 {
                left.bmodes[i + 3]
            } else {
                mb.bmodes[i - 1]
            };
            // A BMode's number is below 10: the context lookup is in range.
            mb.bmodes[i] = read_bmode(bd, &VP8_KF_BMODE_PROB[a as usize][l as usize]);
        }
    } else {
        mb.bmodes = [IMPLIED_BMODE[mb.ymode as usize]; 16];
    }
    mb.uvmode = read_uv_mode(bd, &VP8_KF_UV_MODE_PROB);
}

#[inline(always)]
fn parse_intra_modes(bd: &mut Vp8BoolDecoder, probs: &Vp8Probs, mb: &mut Vp8MbInfo) {
    mb.ymode = read_ymode(bd, &probs.ymode);
    if mb.ymode == MbMode::BPred {
        for m in &mut mb.bmodes {
            *m = read_bmode(bd, &VP8_BMODE_PROB);
        }
    }
    mb.uvmode = read_uv_mode(bd, &probs.uvmode);
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
        const SHORT: usize = VP8_MVP_SHORT as usize;
        x = read_small_mv(bd, p[SHORT..SHORT + 7].try_into().unwrap()) as i32;
    }
    if x != 0 && bd.read_bool(p[VP8_MVP_SIGN as usize]) {
        x = -x;
    }
    x
}

/// A new vector: `base` plus the coded difference, wrapping to 16 bits as the C does.
fn read_mv(bd: &mut Vp8BoolDecoder, probs: &Vp8Probs, base: Vp8Mv) -> Vp8Mv {
    let row = (base.row as i32).wrapping_add(read_mv_component(bd, &probs.mv[0])) as i16;
    let col = (base.col as i32).wrapping_add(read_mv_component(bd, &probs.mv[1])) as i16;
    Vp8Mv { row, col }
}

#[inline]
fn mv_is_zero(a: Vp8Mv) -> bool {
    a.row == 0 && a.col == 0
}

/// Bounds a vector may reach: 16 pixels beyond the frame edges (quarter pels).
#[derive(Debug, Clone, Copy)]
pub struct MvBounds {
    pub min_col: i32,
    pub max_col: i32,
    pub min_row: i32,
    pub max_row: i32,
}

impl MvBounds {
    fn for_mb(mb_x: usize, mb_y: usize, mb_cols: usize, mb_rows: usize) -> MvBounds {
        // In quarter pixels, signed; a frame is at most 1024 macroblocks a side.
        let [x, y, cols, rows] = [mb_x, mb_y, mb_cols, mb_rows].map(|v| v as i32);
        MvBounds {
            min_col: -((x * 16) << 2) - (16 << 2),
            max_col: (((cols - 1 - x) * 16) << 2) + (16 << 2),
            min_row: -((y * 16) << 2) - (16 << 2),
            max_row: (((rows - 1 - y) * 16) << 2) + (16 << 2),
        }
    }

    fn clamp(&self, mv: Vp8Mv) -> Vp8Mv {
        Vp8Mv {
            col: (mv.col as i32).clamp(self.min_col, self.max_col) as i16,
            row: (mv.row as i32).clamp(self.min_row, self.max_row) as i16,
        }
    }
}

pub const CNT_ZERO: usize = 0;
pub const CNT_NEAREST: usize = 1;
pub const CNT_NEAR: usize = 2;
pub const CNT_SPLIT: usize = 3;

/// The survey of RFC 16.3: up to three distinct vectors of the above, left and above-left
/// neighbours, weighted 2, 2, 1, sign-corrected for the reference frame's sign bias. Returns the
/// vectors (zero, nearest, near, best order) and their counts.
#[inline(always)]
fn find_near_mvs(
    nb: &Neighbours,
    sign_bias: &[bool; 4],
    ref_frame: RefFrame,
) -> ([Vp8Mv; 4], [i32; 4]) {
    let mut near_mvs = [Vp8Mv::default(); 4];
    let mut cnt = [0i32; 4];
    let mut top = 0usize;
    // Called once per neighbour with constant `first` and `weight` (above 2, left 2, above-left
    // 1), rather than a loop over an array of the three: the array lived on the stack and the
    // loop stayed a loop (port step 42).
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn enter(
        n: &Vp8MbInfo,
        first: bool,
        weight: i32,
        sign_bias: &[bool; 4],
        ref_frame: RefFrame,
        near_mvs: &mut [Vp8Mv; 4],
        cnt: &mut [i32; 4],
        top: &mut usize,
    ) {
        if n.ref_frame == RefFrame::Intra {
            return;
        }
        if mv_is_zero(n.mv) {
            cnt[CNT_ZERO] += weight;
            return;
        }
        let mut mv = n.mv;
        if sign_bias[n.ref_frame as usize] != sign_bias[ref_frame as usize] {
            mv.row = mv.row.wrapping_neg();
            mv.col = mv.col.wrapping_neg();
        }
        // `top` is at most 3: it grows once per neighbour.
        if first || mv != near_mvs[*top] {
            *top += 1;
            near_mvs[*top] = mv;
        }
        cnt[*top] += weight;
    }
    let (m, c, t) = (&mut near_mvs, &mut cnt, &mut top);
    enter(nb.above, true, 2, sign_bias, ref_frame, m, c, t);
    enter(nb.left, false, 2, sign_bias, ref_frame, m, c, t);
    enter(nb.above_left, false, 1, sign_bias, ref_frame, m, c, t);
    if cnt[CNT_SPLIT] != 0 && near_mvs[top] == near_mvs[CNT_NEAREST] {
        cnt[CNT_NEAREST] += 1;
    }
    let is_split = |n: &Vp8MbInfo| (n.ymode == MbMode::Split) as i32;
    cnt[CNT_SPLIT] = (is_split(nb.above) + is_split(nb.left)) * 2 + is_split(nb.above_left);
    if cnt[CNT_NEAR] > cnt[CNT_NEAREST] {
        cnt.swap(CNT_NEAREST, CNT_NEAR);
        near_mvs.swap(CNT_NEAREST, CNT_NEAR);
    }
    if cnt[CNT_NEAREST] >= cnt[CNT_ZERO] {
        near_mvs[CNT_ZERO] = near_mvs[CNT_NEAREST];
    }
    (near_mvs, cnt)
}

/// A neighbouring subblock's vector: inside this macroblock, or in the left/above one (whose
/// vector covers all its subblocks unless it was split).
#[inline]
fn left_block_mv(mb: &Vp8MbInfo, left: &Vp8MbInfo, b: usize) -> Vp8Mv {
    if b & 3 != 0 {
        mb.bmv[b - 1]
    } else if left.ymode == MbMode::Split {
        left.bmv[b + 3]
    } else {
        left.mv
    }
}

#[inline]
fn above_block_mv(mb: &Vp8MbInfo, above: &Vp8MbInfo, b: usize) -> Vp8Mv {
    if b >= 4 {
        mb.bmv[b - 4]
    } else if above.ymode == MbMode::Split {
        above.bmv[b + 12]
    } else {
        above.mv
    }
}

fn parse_split_mvs(
    bd: &mut Vp8BoolDecoder,
    probs: &Vp8Probs,
    mb: &mut Vp8MbInfo,
    above: &Vp8MbInfo,
    left: &Vp8MbInfo,
    best: Vp8Mv,
) {
    let kind = read_split_mv(bd, &VP8_SPLIT_MV_PROB);
    let map = &VP8_SPLIT_MV_MAP[kind as usize];
    mb.split_kind = kind;
    for part in 0..VP8_SPLIT_MV_COUNT[kind as usize] {
        // Every partition number below the count occurs in its map, so this stops by 15.
        let mut first = 0;
        while first < 15 && map[first] != part {
            first += 1;
        }
        let lmv = left_block_mv(mb, left, first);
        let amv = above_block_mv(mb, above, first);
        let ctx = if lmv == amv {
            if mv_is_zero(amv) { 4 } else { 3 }
        } else if mv_is_zero(amv) {
            2
        } else if mv_is_zero(lmv) {
            1
        } else {
            0
        };
        let mv = match read_sub_mv_ref(bd, &VP8_SUB_MV_REF_PROB[ctx]) {
            SubMvRef::Left => lmv,
            SubMvRef::Above => amv,
            SubMvRef::Zero => Vp8Mv::default(),
            SubMvRef::New => read_mv(bd, probs, best),
        };
        for (bmv, &p) in mb.bmv[first..].iter_mut().zip(&map[first..]) {
            if p == part {
                *bmv = mv;
            }
        }
    }
    mb.mv = mb.bmv[15];
}

/// What an inter macroblock's parse needs of the frame.
struct InterCtx<'g> {
    hdr: &'g Vp8FrameHeader,
    probs: &'g Vp8Probs,
    mb_cols: usize,
    mb_rows: usize,
}

#[inline(always)]
fn parse_inter_modes(
    c: &InterCtx,
    bd: &mut Vp8BoolDecoder,
    mb: &mut Vp8MbInfo,
    nb: &Neighbours,
    mb_x: usize,
    mb_y: usize,
) {
    let h = c.hdr;
    let ref_frame = if bd.read_bool(h.prob_last) {
        if bd.read_bool(h.prob_golden) {
            RefFrame::AltRef
        } else {
            RefFrame::Golden
        }
    } else {
        RefFrame::Last
    };
    mb.ref_frame = ref_frame;
    mb.uvmode = IntraMode::Dc;
    let (near_mvs, cnt) = find_near_mvs(nb, &h.sign_bias, ref_frame);
    let bounds = MvBounds::for_mb(mb_x, mb_y, c.mb_cols, c.mb_rows);
    // The counts are at most 6 (weights 2 + 2 + 1, plus one), inside VP8_MODE_CONTEXTS.
    let prob = |k: usize, n: usize| VP8_MODE_CONTEXTS[cnt[n] as usize][k];
    // RFC 16.3's mv_ref tree, in the order of its decisions.
    let mode = if !bd.read_bool(prob(0, CNT_ZERO)) {
        MbMode::Zero
    } else if !bd.read_bool(prob(1, CNT_NEAREST)) {
        MbMode::Nearest
    } else if !bd.read_bool(prob(2, CNT_NEAR)) {
        MbMode::Near
    } else if !bd.read_bool(prob(3, CNT_SPLIT)) {
        MbMode::New
    } else {
        MbMode::Split
    };
    mb.ymode = mode;
    match mode {
        MbMode::Nearest => mb.mv = bounds.clamp(near_mvs[CNT_NEAREST]),
        MbMode::Near => mb.mv = bounds.clamp(near_mvs[CNT_NEAR]),
        MbMode::New => {
            let best = bounds.clamp(near_mvs[CNT_ZERO]);
            mb.mv = read_mv(bd, c.probs, best);
        }
        MbMode::Split => {
            let best = bounds.clamp(near_mvs[CNT_ZERO]);
            parse_split_mvs(bd, c.probs, mb, nb.above, nb.left, best);
        }
        // Zero; the intra modes are not leaves of this tree.
        _ => mb.mv = Vp8Mv::default(),
    }
}

/// Parse every macroblock header of the frame from the first partition `bd` into the grid.
pub fn vp8_decode_modes(dec: &mut Vp8Decoder, bd: &mut Vp8BoolDecoder) {
    for mb_y in 0..dec.mb_rows {
        let Vp8Decoder {
            hdr,
            seg,
            probs,
            mb_grid,
            mb_cols,
            mb_rows,
            ..
        } = dec;
        let c = ModeCtx {
            hdr,
            seg,
            probs,
            mb_cols: *mb_cols,
            mb_rows: *mb_rows,
        };
        vp8_decode_mode_row(&c, mb_grid, bd, mb_y);
    }
}

/// What parsing macroblock headers reads besides the partition and the grid.
#[derive(Debug)]
pub struct ModeCtx<'a> {
    pub hdr: &'a Vp8FrameHeader,
    pub seg: &'a Vp8Segmentation,
    pub probs: &'a Vp8Probs,
    pub mb_cols: usize,
    pub mb_rows: usize,
}

/// Parse the macroblock headers of row `mb_y` (the rows above are parsed: they are contexts).
#[inline]
pub fn vp8_decode_mode_row(
    c: &ModeCtx,
    mb_grid: &mut MbGrid,
    part: &mut Vp8BoolDecoder,
    mb_y: usize,
) {
    let (hdr, seg, probs) = (c.hdr, c.seg, c.probs);
    let keyframe = hdr.keyframe;
    let (above, row) = mb_grid.row_with_above(mb_y);
    // A local copy keeps the reader's state in registers across the row (as in the token loop).
    let mut local = *part;
    let bd = &mut local;
    for mb_x in 0..c.mb_cols {
        let (mb, nb) = Neighbours::in_row(above, row, mb_x);
        if seg.update_map {
            mb.segment = read_segment(bd, &seg.tree_probs);
        } else if keyframe {
            mb.segment = 0;
        }
        mb.skip = hdr.mb_no_coeff_skip && bd.read_bool(hdr.prob_skip_false);
        if keyframe {
            mb.ref_frame = RefFrame::Intra;
            mb.mv = Vp8Mv::default();
            parse_kf_modes(bd, mb, nb.above, nb.left);
        } else if bd.read_bool(hdr.prob_intra) {
            let ic = InterCtx {
                hdr,
                probs,
                mb_cols: c.mb_cols,
                mb_rows: c.mb_rows,
            };
            parse_inter_modes(&ic, bd, mb, &nb, mb_x, mb_y);
        } else {
            mb.ref_frame = RefFrame::Intra;
            mb.mv = Vp8Mv::default();
            parse_intra_modes(bd, probs, mb);
        }
    }
    *part = local;
}

/// One key-frame macroblock header for the probe: segment id and skip flag (values unused) and
/// the modes.
fn probe_kf_mb(
    hdr: &Vp8FrameHeader,
    seg: &Vp8Segmentation,
    bd: &mut Vp8BoolDecoder,
    mb: &mut Vp8MbInfo,
    above: &Vp8MbInfo,
    left: &Vp8MbInfo,
) {
    if seg.update_map {
        read_segment(bd, &seg.tree_probs);
    }
    if hdr.mb_no_coeff_skip {
        bd.read_bool(hdr.prob_skip_false);
    }
    parse_kf_modes(bd, mb, above, left);
}

/// A macroblock read from a zero tail with B_DC neighbours: the decoder state it leaves.
#[derive(Debug, Clone, Copy)]
struct ProbeStep {
    range: u32,
    count: i32,
    overrun: u32,
}

/// The first key frame of a stream is refused when its first partition runs out before its last
/// macroblock header (libvpx does the same). That is found out here, before any picture buffer
/// is allocated: the modes are parsed on a copy of the partition's reader into two rows of
/// scratch records (key-frame contexts reach only the macroblocks above and left). Once every
/// bit still to come is zero, a macroblock whose neighbours are all B_DC decodes to B_PRED with
/// B_DC subblocks and changes only the reader's (range, count, overrun), as a function of
/// (range, count): those transitions are memoised, so a few bytes declaring a huge frame cost
/// neither frame-sized memory nor a bit-by-bit pass.
pub fn vp8_check_keyframe_modes(dec: &Vp8Decoder, first: &Vp8BoolDecoder) -> Vp8Result {
    let mut bd = *first;
    let cols = dec.mb_cols;
    // Column 0 of each row is the zero left border.
    let mut rows = vec![Vp8MbInfo::default(); 2 * (cols + 1)];
    // Range 128..255 times count -7..56.
    let mut steps: Vec<Option<ProbeStep>> = vec![None; 128 * 64];
    let border = Vp8MbInfo::default();
    let dc_mb = Vp8MbInfo {
        ymode: MbMode::BPred,
        uvmode: IntraMode::Dc,
        bmodes: [BMode::Dc; 16],
        ..Vp8MbInfo::default()
    };
    for mb_y in 0..dec.mb_rows {
        let (even, odd) = rows.split_at_mut(cols + 1);
        let (cur, above) = if mb_y & 1 == 0 {
            (even, &*odd)
        } else {
            (odd, &*even)
        };
        for mb_x in 0..cols {
            let (done, rest) = cur.split_at_mut(mb_x + 1);
            let (left, mb, up) = (&done[mb_x], &mut rest[0], &above[mb_x + 1]);
            let dc_context = up.bmodes[12..].iter().all(|&m| m == BMode::Dc)
                && [3, 7, 11, 15].iter().all(|&i| left.bmodes[i] == BMode::Dc);
            let slot = match bd.zero_tail_state() {
                Some((range, count))
                    if dc_context && (128..256).contains(&range) && (-7..=56).contains(&count) =>
                {
                    Some((range - 128) as usize * 64 + (count + 7) as usize)
                }
                _ => None,
            };
            let Some(slot) = slot else {
                probe_kf_mb(&dec.hdr, &dec.seg, &mut bd, mb, up, left);
                continue;
            };
            let step = *steps[slot].get_or_insert_with(|| {
                let mut z = bd;
                let mut scratch = border;
                probe_kf_mb(&dec.hdr, &dec.seg, &mut z, &mut scratch, &border, &border);
                let (range, count) = z.zero_tail_state().unwrap_or((0, 0));
                ProbeStep {
                    range,
                    count,
                    overrun: z.overrun() - bd.overrun(),
                }
            });
            bd.skip_zero_tail(step.range, step.count, step.overrun);
            // With only zero bits every tree walk takes its first leaf.
            *mb = dc_mb;
        }
    }
    if bd.exhausted() {
        return Err(DecodeError::new(
            ErrorKind::Truncated,
            format!(
                "the first key frame's mode data runs {} bytes past its partition (size {})",
                bd.overrun() as i32,
                dec.hdr.first_part_size as i32
            ),
        ));
    }
    Ok(())
}
