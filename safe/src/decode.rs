//! Frame reconstruction (RFC 6386 sections 5, 12, 14, 15, 18): picture buffers and their
//! reference counting, the macroblock-row loop (tokens, intra or inter prediction, residual add),
//! the loop filter run one row behind reconstruction, border extension, and the golden/altref/last
//! updates at the end of a frame. DSP work goes through dec->dsp only.
//!
//! Intra prediction reads the frame being built. Its out-of-frame edges (127 above, 129 left) are
//! written into the border before the first row, and the loop filter trails one row behind so a
//! row is predicted from unfiltered neighbours, as RFC 12 requires.
use crate::bool_h::Vp8BoolDecoder;
use crate::error::{DecodeError, Vp8Result};
use crate::header::Vp8Partitions;
use crate::idct_h::Vp8IdctDsp;
use crate::internal_h::{
    FilterType, RefFrame, VP8_NUM_REFS, Vp8Decoder, Vp8Dequant, Vp8Dsp, Vp8Frame, Vp8FrameHeader,
    Vp8Frames, Vp8LfDeltas, Vp8MbInfo, Vp8Probs, Vp8RowCtx, Vp8Segmentation,
};
use crate::ipred_h::IpredMode;
use crate::loopfilter_h::{LfBlock, LfUvBlock, Vp8LoopfilterDsp};
use crate::mb_grid::MbGrid;
use crate::mc_h::{McFilter, McSlot, Vp8McDsp};
use crate::modes::vp8_decode_modes;
use crate::plane::{Plane, Target};
use crate::tables_h::{IntraMode, MbMode, SplitKind};
use crate::tokens::{alloc_above_nz, mb_dequant, vp8_decode_mb_tokens, vp8_reset_mb_tokens_ctx};
use vp8_asm::safe::mc::{MC_BLOCKS, RefPlane};
use vp8_asm::safe::{MbAt, MbBlock, MbRow, MbRows};
use vp8_stage::ErrorKind;
/// The reference frames' planes by reference slot (\[0\] unused: intra), borrowed beside the
/// frame being decoded.
pub(crate) type Refs<'a> = [Option<[RefPlane<'a>; 3]>; 4];
/// The reference slots' planes as motion compensation reads them, each checked with its border
/// (`RefPlane`, step 52): once per frame, on one thread (`SerialFrame`, step 59) as on several.
pub(crate) fn ref_planes(slots: [Option<&[Plane; 3]>; 4]) -> Refs<'_> {
    slots.map(|s| {
        s.map(|planes| {
            planes.each_ref().map(|p| {
                let border = crate::plane::BORDER;
                RefPlane::new(
                    p.data(),
                    p.origin(),
                    (p.width(), p.height()),
                    p.stride(),
                    border,
                )
            })
        })
    })
}
/// Drop everything sized by the frame dimensions.
pub fn vp8_free_frames(dec: &mut Vp8Decoder) {
    dec.fb = None;
    dec.mb_grid = MbGrid::default();
    dec.above_nz = Vec::new();
}
/// A frame of `luma_w` x `luma_h` pixels (4:2:0); `Plane::reserve` has checked the memory.
fn alloc_frame(luma_w: usize, luma_h: usize) -> Vp8Frame {
    Vp8Frame {
        planes: [
            Plane::new(luma_w, luma_h),
            Plane::new(luma_w / 2, luma_h / 2),
            Plane::new(luma_w / 2, luma_h / 2),
        ],
        refs: 0,
    }
}
/// (Re)allocate everything sized by the frame dimensions (`Vp8Decoder::set_size`); references
/// are dropped.
pub fn vp8_alloc_frames(dec: &mut Vp8Decoder) -> Vp8Result {
    vp8_free_frames(dec);
    let luma_w = dec.mb_cols * 16;
    let luma_h = dec.mb_rows * 16;
    let chroma = (luma_w / 2, luma_h / 2);
    let frame_count = VP8_NUM_REFS as usize + 1;
    let Ok(probe) = Plane::reserve(&[(luma_w, luma_h), chroma, chroma], frame_count) else {
        vp8_free_frames(dec);
        return Err(DecodeError::new(
            ErrorKind::NoMemory,
            format!(
                "cannot allocate picture buffers for {}x{}",
                dec.width, dec.height
            ),
        ));
    };
    let frames: [Vp8Frame; 5] = std::array::from_fn(|_| alloc_frame(luma_w, luma_h));
    drop(probe);
    dec.fb = Some(Box::new(Vp8Frames {
        frames,
        r#ref: [None; 4],
        cur: 0,
    }));
    let grid = MbGrid::new(dec.mb_cols, dec.mb_rows);
    let above_nz = alloc_above_nz(dec.mb_cols);
    let (Some(grid), Some(above_nz)) = (grid, above_nz) else {
        vp8_free_frames(dec);
        return Err(DecodeError::new(
            ErrorKind::NoMemory,
            format!(
                "cannot allocate macroblock records for {}x{}",
                dec.width, dec.height
            ),
        ));
    };
    dec.mb_grid = grid;
    dec.above_nz = above_nz;
    Ok(())
}
/// A frame no reference holds, to decode into.
fn take_free_frame(fb: &Vp8Frames) -> Option<usize> {
    fb.frames.iter().position(|f| f.refs == 0)
}
fn set_ref(fb: &mut Vp8Frames, slot: RefFrame, f: Option<usize>) {
    if let Some(old) = fb.r#ref[slot as usize] {
        fb.frames[old].refs -= 1;
    }
    fb.r#ref[slot as usize] = f;
    if let Some(f) = f {
        fb.frames[f].refs += 1;
    }
}
/// The picture buffers: vp8_alloc_frames made them before any frame data is decoded. Takes the
/// decoder's field, not the decoder, so the other fields stay borrowable beside it.
#[inline(always)]
fn frames(fb: &mut Option<Box<Vp8Frames>>) -> &mut Vp8Frames {
    fb.as_deref_mut()
        .expect("frame data is decoded only after vp8_alloc_frames")
}
/// The out-of-frame values intra prediction sees (127 above, 129 left), in every plane.
fn setup_intra_edges(f: &mut Vp8Frame) {
    for plane in &mut f.planes {
        plane.set_intra_edges();
    }
}
/// Replicate the outermost pixels into the border so motion vectors may point outside.
fn extend_borders(f: &mut Vp8Frame) {
    for plane in &mut f.planes {
        plane.extend_borders();
    }
}
/// The index of the 16x16 or 8x8 predictor of whole-block intra mode `mode` in its table: DC
/// prediction uses only the edges inside the frame. V, H and TM are their predictors' indices
/// (asserted below); a `match` mapping each to its `IpredMode` cost 0.1% more instructions.
fn whole_block_mode(mode: IntraMode, mb_x: usize, mb_y: usize) -> usize {
    if mode != IntraMode::Dc {
        return mode as usize;
    }
    (if mb_x == 0 && mb_y == 0 {
        IpredMode::Dc128
    } else if mb_y == 0 {
        IpredMode::DcLeft
    } else if mb_x == 0 {
        IpredMode::DcTop
    } else {
        IpredMode::Dc
    }) as usize
}
const _: () = assert!(
    IntraMode::V as u8 == IpredMode::V as u8
        && IntraMode::H as u8 == IpredMode::H as u8
        && IntraMode::Tm as u8 == IpredMode::Tm as u8
);
/// The four pixels above-right of a B_PRED macroblock, which its right column of subblocks
/// predicts from: outside the macroblock's [`MbBlock`], so read before it is made. Right of the
/// frame (below the top row) they are the last pixel above, repeated.
fn b_pred_above_right(row: &MbRow<'_, 16>, mb_cols: usize, mb_x: usize, mb_y: usize) -> [u8; 4] {
    let ar = row.block_pos(mb_x) - row.stride() + 16;
    let ybuf = row.data();
    if mb_y > 0 && mb_x == mb_cols - 1 {
        [ybuf[ar - 1]; 4]
    } else {
        ybuf[ar..ar + 4].try_into().unwrap()
    }
}
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn predict_intra(
    dsp: &Vp8Dsp,
    m: &mut MbAt<'_, '_>,
    above_right: [u8; 4],
    coeffs: &mut [[i16; 16]; 25],
    eobs: &[u8; 25],
    mb: &Vp8MbInfo,
    mb_x: usize,
    mb_y: usize,
    has_coeffs: bool,
) {
    let uvmode = whole_block_mode(mb.uvmode, mb_x, mb_y);
    if mb.ymode == MbMode::BPred {
        for i in 0..16 {
            let tr = if i & 3 == 3 {
                above_right
            } else {
                m.y().above4((i & 3) * 4 + 4, (i >> 2) * 4)
            };
            dsp.ipred.pred4x4[mb.bmodes[i] as usize].call_block(&mut m.y(), i, tr);
            if has_coeffs && eobs[i] != 0 {
                let block = &mut coeffs[i];
                if eobs[i] > 1 {
                    dsp.idct.idct_add.call_block(&mut m.y(), i, block);
                } else {
                    dsp.idct.idct_dc_add.call_block(&mut m.y(), i, block);
                }
            }
        }
    } else {
        let mode = whole_block_mode(mb.ymode.whole_block(), mb_x, mb_y);
        dsp.ipred.pred16x16[mode].call_block(&mut m.y());
    }
    dsp.ipred.pred8x8[uvmode].call_block(&mut m.u());
    dsp.ipred.pred8x8[uvmode].call_block(&mut m.v());
}
/// Predict a w x h block of one plane from the reference at eighth-pel vector (mvx, mvy).
/// Vectors may point anywhere: beyond the border the block is read through an emulated edge
/// (coordinates clamped into the plane), which equals an infinitely replicated border.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn predict_block<const N: usize, const S: usize, const SIXTAP: bool>(
    put: &McSlot<S>,
    emu: &mut [u8; 441],
    dst: &mut MbBlock<'_, N>,
    (ox, oy): (i32, i32),
    src: &RefPlane,
    bx: i32,
    by: i32,
    mvx: i32,
    mvy: i32,
) {
    let (w, h) = (MC_BLOCKS[S].0 as i32, MC_BLOCKS[S].1 as i32);
    let (bx, by) = (bx + ox, by + oy);
    let x: i32 = bx + (mvx >> 3);
    let y: i32 = by + (mvy >> 3);
    let (mx, my) = ((mvx & 7) as u32, (mvy & 7) as u32);
    let (ox, oy) = (ox as usize, oy as usize);
    // The slot tests whether the filter's window stays inside the border (step 52).
    if !put.call_ref::<N, SIXTAP>(dst, ox, oy, src, x, y, mx, my) {
        let ew = fill_emu(emu, src, x, y, w, h);
        put.call_block::<N, SIXTAP>(dst, ox, oy, &emu[..], 2 * ew + 2, ew, mx, my);
    }
}
/// Copies the `w + 5` x `h + 5` window around (x - 2, y - 2) of `src` into `emu`, coordinates
/// clamped into the plane; returns its stride. Out of line: only blocks reaching past the border
/// take it, and inlined at each of the decoder's MC call sites it crowded the common path's
/// registers (step 45).
#[cold]
#[inline(never)]
fn fill_emu(emu: &mut [u8; 441], src: &RefPlane, x: i32, y: i32, w: i32, h: i32) -> usize {
    let (pw, ph) = src.size();
    let (pw, ph) = (pw as i32, ph as i32);
    let (data, origin, stride) = (src.data(), src.origin(), src.stride());
    let ew = (w + 5) as usize;
    for (j, erow) in emu.chunks_exact_mut(ew).take(h as usize + 5).enumerate() {
        let sy = (y - 2 + j as i32).clamp(0, ph - 1) as usize;
        let srow = &data[origin + sy * stride..][..pw as usize];
        for (i, e) in erow.iter_mut().enumerate() {
            *e = srow[(x - 2 + i as i32).clamp(0, pw - 1) as usize];
        }
    }
    ew
}
/// Chroma vectors of a split macroblock: each 4x4 chroma block takes the average of the four luma
/// vectors it covers, rounded half away from zero, in eighth pels of the chroma plane.
fn chroma_split_component(sum: i32) -> i32 {
    if sum >= 0 {
        (sum + 2) >> 2
    } else {
        -((2 - sum) >> 2)
    }
}
/// The inter prediction and residual of a macroblock; `version` is the frame header's (0 and > 3:
/// six-tap, 3: full-pixel chroma). Inlined into the row loop (step 53): out of line, each call
/// reloaded the rows' fields and spilled them around the kernel calls (step 47 had made it out
/// of line because blocks passed down to it went through the stack; it now takes the rows).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn reconstruct_inter(
    dsp: &Vp8Dsp,
    version: u8,
    rows: &mut MbRows<'_>,
    refs: &Refs,
    emu: &mut [u8; 441],
    coeffs: &mut [[i16; 16]; 25],
    eobs: &[u8; 25],
    mb: &Vp8MbInfo,
    mb_x: usize,
    mb_y: usize,
) {
    let mut blocks = rows.at(mb_x);
    // The filter as a constant of the code below, so that the kernels' window checks are
    // constants too (step 45).
    if version == 0 || version > 3 {
        predict_inter_filter::<true>(&dsp.mc, version, &mut blocks, refs, emu, mb, mb_x, mb_y)
    } else {
        predict_inter_filter::<false>(&dsp.mc, version, &mut blocks, refs, emu, mb, mb_x, mb_y)
    }
    if !mb.skip {
        add_residual(&dsp.idct, &mut blocks, coeffs, eobs, mb);
    }
}
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn predict_inter_filter<const SIXTAP: bool>(
    mc: &Vp8McDsp,
    version: u8,
    m: &mut MbAt<'_, '_>,
    refs: &Refs,
    emu: &mut [u8; 441],
    mb: &Vp8MbInfo,
    mb_x: usize,
    mb_y: usize,
) {
    let f = if SIXTAP {
        McFilter::Sixtap
    } else {
        McFilter::Bilinear
    } as usize;
    let [ry, ru, rv] = refs[mb.ref_frame as usize]
        .as_ref()
        .expect("inter frames are decoded only after a key frame set the references");
    let full_pixel = version == 3;
    let x = (mb_x * 16) as i32;
    let y = (mb_y * 16) as i32;
    let (cx0, cy0) = (x >> 1, y >> 1);
    if mb.ymode != MbMode::Split {
        let mut cx: i32 = mb.mv.col as i32;
        let mut cy: i32 = mb.mv.row as i32;
        let (mvx, mvy) = (mb.mv.col as i32 * 2, mb.mv.row as i32 * 2);
        let dy = &mut m.y();
        predict_block::<16, _, SIXTAP>(&mc.put16x16[f], emu, dy, (0, 0), ry, x, y, mvx, mvy);
        if full_pixel {
            cx &= !7;
            cy &= !7;
        }
        let du = &mut m.u();
        predict_block::<8, _, SIXTAP>(&mc.put8x8[f], emu, du, (0, 0), ru, cx0, cy0, cx, cy);
        let dv = &mut m.v();
        predict_block::<8, _, SIXTAP>(&mc.put8x8[f], emu, dv, (0, 0), rv, cx0, cy0, cx, cy);
        return;
    }
    if mb.split_kind != SplitKind::Sixteen {
        for q in 0..4 {
            let b = ((q >> 1) * 8 + (q & 1) * 2) as usize;
            let o = ((q & 1) * 8, (q >> 1) * 8);
            let (mvx, mvy) = (mb.bmv[b].col as i32 * 2, mb.bmv[b].row as i32 * 2);
            let dy = &mut m.y();
            predict_block::<16, _, SIXTAP>(&mc.put8x8[f], emu, dy, o, ry, x, y, mvx, mvy);
        }
    } else {
        for b in 0..16 {
            let o = ((b & 3) * 4, (b >> 2) * 4);
            let bmv = mb.bmv[b as usize];
            let (mvx, mvy) = (bmv.col as i32 * 2, bmv.row as i32 * 2);
            let dy = &mut m.y();
            predict_block::<16, _, SIXTAP>(&mc.put4x4[f], emu, dy, o, ry, x, y, mvx, mvy);
        }
    }
    for i in 0..2 {
        for j in 0..2 {
            let b = (i * 8 + j * 2) as usize;
            let quad = [mb.bmv[b], mb.bmv[b + 1], mb.bmv[b + 4], mb.bmv[b + 5]];
            let sr: i32 = quad.iter().map(|v| v.row as i32).sum();
            let sc: i32 = quad.iter().map(|v| v.col as i32).sum();
            let mut cy: i32 = chroma_split_component(sr);
            let mut cx: i32 = chroma_split_component(sc);
            let o = (j * 4, i * 4);
            if full_pixel {
                cx &= !7;
                cy &= !7;
            }
            let du = &mut m.u();
            predict_block::<8, _, SIXTAP>(&mc.put4x4[f], emu, du, o, ru, cx0, cy0, cx, cy);
            let dv = &mut m.v();
            predict_block::<8, _, SIXTAP>(&mc.put4x4[f], emu, dv, o, rv, cx0, cy0, cx, cy);
        }
    }
}
#[inline(always)]
fn add_residual(
    idct: &Vp8IdctDsp,
    m: &mut MbAt<'_, '_>,
    coeffs: &mut [[i16; 16]; 25],
    eobs: &[u8; 25],
    mb: &Vp8MbInfo,
) {
    // Blocks 0..16 luma, 16..20 U, 20..24 V, 24 Y2.
    let (luma, rest) = coeffs.split_at_mut(16);
    let luma: &mut [[i16; 16]; 16] = luma.try_into().unwrap();
    let (chroma, y2) = rest.split_at_mut(8);
    let chroma: &mut [[i16; 16]; 8] = chroma.try_into().unwrap();
    if mb.ymode != MbMode::BPred {
        if mb.ymode != MbMode::Split {
            if eobs[24] > 1 {
                idct.iwht.call(luma, &mut y2[0]);
            } else if eobs[24] != 0 {
                idct.iwht_dc.call(luma, &mut y2[0]);
            }
        }
        let luma_eobs: &[u8; 16] = eobs[..16].try_into().unwrap();
        idct.idct_add_y.call_block(&mut m.y(), luma, luma_eobs);
    }
    let chroma_eobs: &[u8; 8] = eobs[16..24].try_into().unwrap();
    let (mut ub, mut vb) = m.uv();
    idct.idct_add_uv
        .call_block(&mut ub, &mut vb, chroma, chroma_eobs);
}
/// The tokens of one macroblock into `coeffs`/`eobs`; afterwards `mb.skip` means "no residual",
/// which is what reconstruction and the loop filter ask.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn parse_mb_tokens(
    probs: &Vp8Probs,
    dequant: &[Vp8Dequant; 4],
    seg: &Vp8Segmentation,
    left_nz: &mut [bool; 9],
    above_nz: &mut [bool; 9],
    part: &mut Vp8BoolDecoder,
    mb: &mut Vp8MbInfo,
    coeffs: &mut [[i16; 16]; 25],
    eobs: &mut [u8; 25],
) -> bool {
    let mut has_coeffs = false;
    if mb.skip {
        vp8_reset_mb_tokens_ctx(left_nz, above_nz, mb);
    } else {
        let dq = mb_dequant(dequant, seg, mb);
        has_coeffs = vp8_decode_mb_tokens(probs, dq, left_nz, coeffs, eobs, part, above_nz, mb);
    }
    mb.skip = !has_coeffs;
    has_coeffs
}
/// Prediction and residual of one macroblock into `rows` (of the frame, or of a row's bands).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn reconstruct_mb(
    dsp: &Vp8Dsp,
    version: u8,
    rows: &mut MbRows<'_>,
    refs: &Refs,
    emu: &mut [u8; 441],
    coeffs: &mut [[i16; 16]; 25],
    eobs: &[u8; 25],
    mb: &Vp8MbInfo,
    mb_cols: usize,
    mb_x: usize,
    mb_y: usize,
) {
    let has_coeffs = !mb.skip;
    if mb.ref_frame == RefFrame::Intra {
        let above_right = if mb.ymode == MbMode::BPred {
            b_pred_above_right(rows.luma(), mb_cols, mb_x, mb_y)
        } else {
            [0; 4]
        };
        let mut blocks = rows.at(mb_x);
        predict_intra(
            dsp,
            &mut blocks,
            above_right,
            coeffs,
            eobs,
            mb,
            mb_x,
            mb_y,
            has_coeffs,
        );
        if has_coeffs {
            add_residual(&dsp.idct, &mut blocks, coeffs, eobs, mb);
        }
    } else {
        reconstruct_inter(dsp, version, rows, refs, emu, coeffs, eobs, mb, mb_x, mb_y);
    }
}
/// Macroblock row `mb_y` of `dst`'s three planes, `mb_cols` macroblocks wide, checked once for
/// all its reconstruction kernels (step 48).
pub(crate) fn mb_rows<T: Target>(dst: &mut [T; 3], mb_y: usize, mb_cols: usize) -> MbRows<'_> {
    let [yp, up, vp] = dst;
    let (ys, ypos) = (yp.stride(), yp.at(0, mb_y * 16));
    let (uvs, uvpos) = (up.stride(), up.at(0, mb_y * 8));
    MbRows::new(
        MbRow::new(yp.data_mut(), ypos, ys, mb_cols),
        MbRow::new(up.data_mut(), uvpos, uvs, mb_cols),
        MbRow::new(vp.data_mut(), uvpos, uvs, mb_cols),
    )
}
/// What the serial row loop reads and writes for a whole frame, borrowed from the decoder once
/// per frame (step 59): until step 58 every row borrowed the frame set anew, split the current
/// frame from the references and checked the reference planes again (`RefPlane::new`, nine a
/// row, and the copies of their arrays).
struct SerialFrame<'a> {
    dsp: &'a Vp8Dsp,
    hdr: &'a Vp8FrameHeader,
    probs: &'a Vp8Probs,
    dequant: &'a [Vp8Dequant; 4],
    seg: &'a Vp8Segmentation,
    mb_grid: &'a mut MbGrid,
    above_nz: &'a mut [[bool; 9]],
    row: &'a mut Vp8RowCtx,
    planes: &'a mut [Plane; 3],
    refs: Refs<'a>,
    mb_cols: usize,
}
fn decode_mb_row(f: &mut SerialFrame, part: &mut Vp8BoolDecoder, mb_y: usize) {
    let SerialFrame {
        dsp,
        hdr,
        probs,
        dequant,
        seg,
        mb_grid,
        above_nz,
        row,
        planes,
        refs,
        mb_cols,
    } = f;
    let Vp8RowCtx {
        left_nz,
        coeffs,
        eobs,
        emu,
    } = row;
    *left_nz = [false; 9];
    let mut rows = mb_rows(planes, mb_y, *mb_cols);
    // The row's mode records and above contexts, sliced once for the row (step 57).
    let start = mb_grid.at(0, mb_y);
    let mbs = &mut mb_grid.cells_mut()[start..start + *mb_cols];
    for (mb_x, (mb, nz)) in mbs.iter_mut().zip(above_nz.iter_mut()).enumerate() {
        parse_mb_tokens(
            probs,
            dequant,
            seg,
            left_nz,
            nz,
            part,
            mb,
            &mut coeffs.0,
            eobs,
        );
        reconstruct_mb(
            dsp,
            hdr.version,
            &mut rows,
            refs,
            &mut emu.0,
            &mut coeffs.0,
            eobs,
            mb,
            *mb_cols,
            mb_x,
            mb_y,
        );
    }
}
/// The filter level of a macroblock in `segment` with `ref_frame` and `ymode` (RFC 9.3, 9.6,
/// 15.1): frame level, segment override, then the reference-frame and mode deltas.
fn mb_filter_level(
    filter_level: u8,
    seg: &Vp8Segmentation,
    lf_deltas: &Vp8LfDeltas,
    (segment, ref_frame, ymode): (usize, usize, usize),
) -> i32 {
    let mut level = i32::from(filter_level);
    if seg.enabled {
        level = if seg.absolute {
            i32::from(seg.lf_level[segment])
        } else {
            level + i32::from(seg.lf_level[segment])
        };
        level = level.clamp(0, 63);
    }
    if lf_deltas.enabled {
        level += i32::from(lf_deltas.r#ref[ref_frame]);
        if ref_frame == RefFrame::Intra as usize {
            if ymode == MbMode::BPred as usize {
                level += i32::from(lf_deltas.mode[0]);
            }
        } else if ymode == MbMode::Zero as usize {
            level += i32::from(lf_deltas.mode[1]);
        } else if ymode == MbMode::Split as usize {
            level += i32::from(lf_deltas.mode[3]);
        } else {
            level += i32::from(lf_deltas.mode[2]);
        }
        level = level.clamp(0, 63);
    }
    level
}
/// A macroblock's loop-filter thresholds (RFC 15.2): `mb_limit` for macroblock edges,
/// `sub_limit` for subblock edges, `interior` and `hev`; `mb_limit == 0` when the level is 0
/// (no filtering: a filtered macroblock's is at least 5).
#[derive(Clone, Copy, Default)]
pub(crate) struct LfParams {
    mb_limit: u8,
    sub_limit: u8,
    interior: u8,
    hev: u8,
}

/// The frame's loop-filter thresholds for every (segment, reference frame, mode) a macroblock can
/// have: 4 x 4 x 16 entries, computed once per frame (step 55) where the C derives the level and
/// then the thresholds again for every macroblock. A macroblock's entry is one load; the index
/// is masked into range, so it needs no bounds check.
pub(crate) struct LfTable {
    params: [LfParams; 256],
}

impl LfTable {
    /// The table for the frame `h`, with its segmentation and level deltas.
    pub(crate) fn new(h: &Vp8FrameHeader, seg: &Vp8Segmentation, lf_deltas: &Vp8LfDeltas) -> Self {
        let mut params = [LfParams::default(); 256];
        for (i, p) in params.iter_mut().enumerate() {
            // Modes out of range for the reference (an inter mode on an intra macroblock, or
            // past `MbMode::Split`) never occur; their entries are computed all the same.
            let key = (i >> 6, i >> 4 & 3, i & 15);
            let level = mb_filter_level(h.filter_level, seg, lf_deltas, key);
            if level != 0 {
                *p = lf_params(h, level);
            }
        }
        LfTable { params }
    }

    #[inline(always)]
    fn of(&self, mb: &Vp8MbInfo) -> LfParams {
        // The segment is a plain u8, masked; the enums' ranges keep the index below 250.
        let i = (mb.segment as usize & 3) << 6 | (mb.ref_frame as usize) << 4 | mb.ymode as usize;
        self.params[i]
    }
}

/// The thresholds of filter level `level` (1..=63) in frame `h` (RFC 15.2).
fn lf_params(h: &Vp8FrameHeader, level: i32) -> LfParams {
    let sharp = i32::from(h.sharpness);
    let mut interior = level;
    if sharp != 0 {
        interior >>= if sharp > 4 { 2 } else { 1 };
        if interior > 9 - sharp {
            interior = 9 - sharp;
        }
    }
    if interior < 1 {
        interior = 1;
    }
    let hev = if h.keyframe {
        if level >= 40 {
            2
        } else if level >= 15 {
            1
        } else {
            0
        }
    } else if level >= 40 {
        3
    } else if level >= 20 {
        2
    } else if level >= 15 {
        1
    } else {
        0
    };
    // Thresholds fit u8: at most (63 + 2) * 2 + 63.
    LfParams {
        mb_limit: ((level + 2) * 2 + interior) as u8,
        sub_limit: (level * 2 + interior) as u8,
        interior: interior as u8,
        hev: hev as u8,
    }
}

/// Loop-filter macroblock row `mb_y` of `planes`; `mbs` are the row's mode records, `table` the
/// frame's thresholds.
pub(crate) fn filter_mb_row(
    lf: &Vp8LoopfilterDsp,
    h: &Vp8FrameHeader,
    table: &LfTable,
    planes: &mut [Plane; 3],
    mbs: &[Vp8MbInfo],
    mb_y: usize,
) {
    let [yp, up, vp] = planes;
    let (ys, uvs) = (yp.stride(), up.stride());
    for (mb_x, mb) in mbs.iter().enumerate() {
        let LfParams {
            mb_limit,
            sub_limit,
            interior,
            hev,
        } = table.of(mb);
        if mb_limit == 0 {
            continue;
        }
        let inner = !mb.skip || !mb.ymode.has_y2();
        let (ypos, uvpos) = (yp.at(mb_x * 16, mb_y * 16), up.at(mb_x * 8, mb_y * 8));
        // One window check per plane and macroblock for all its edges (step 41).
        let mut yb = LfBlock::<16>::new(yp.data_mut(), ypos, ys);
        if h.filter_type == FilterType::Normal {
            let mut uvb = LfUvBlock::new(up.data_mut(), vp.data_mut(), uvpos, uvs);
            if mb_x > 0 {
                lf.mb_left_y.call_block(&mut yb, mb_limit, interior, hev);
                lf.mb_left_uv.call_block(&mut uvb, mb_limit, interior, hev);
            }
            if inner {
                lf.inner_left_y
                    .call_block(&mut yb, sub_limit, interior, hev);
                lf.inner_left_uv
                    .call_block(&mut uvb, sub_limit, interior, hev);
            }
            if mb_y > 0 {
                lf.mb_top_y.call_block(&mut yb, mb_limit, interior, hev);
                lf.mb_top_uv.call_block(&mut uvb, mb_limit, interior, hev);
            }
            if inner {
                lf.inner_top_y.call_block(&mut yb, sub_limit, interior, hev);
                lf.inner_top_uv
                    .call_block(&mut uvb, sub_limit, interior, hev);
            }
        } else {
            if mb_x > 0 {
                lf.simple_mb_left.call_block(&mut yb, mb_limit);
            }
            if inner {
                lf.simple_inner_left.call_block(&mut yb, sub_limit);
            }
            if mb_y > 0 {
                lf.simple_mb_top.call_block(&mut yb, mb_limit);
            }
            if inner {
                lf.simple_inner_top.call_block(&mut yb, sub_limit);
            }
        }
    }
}
/// The frame's row `mb_y` through the loop filter, one thread.
fn filter_row(f: &mut SerialFrame, table: &LfTable, mb_y: usize) {
    let start = f.mb_grid.at(0, mb_y);
    let mbs = &f.mb_grid.cells()[start..start + f.mb_cols];
    filter_mb_row(&f.dsp.lf, f.hdr, table, f.planes, mbs, mb_y);
}
fn update_references(dec: &mut Vp8Decoder) {
    let h: &Vp8FrameHeader = &dec.hdr;
    let fb = frames(&mut dec.fb);
    let slot = |fb: &Vp8Frames, r: RefFrame| fb.r#ref[r as usize];
    // libvpx order: the altref copy first, so "golden <- altref" sees the new altref.
    if let Some(src) = h.copy_to_altref {
        set_ref(fb, RefFrame::AltRef, slot(fb, src));
    }
    if let Some(src) = h.copy_to_golden {
        set_ref(fb, RefFrame::Golden, slot(fb, src));
    }
    let cur = Some(fb.cur);
    if h.refresh_golden {
        set_ref(fb, RefFrame::Golden, cur);
    }
    if h.refresh_altref {
        set_ref(fb, RefFrame::AltRef, cur);
    }
    if h.refresh_last {
        set_ref(fb, RefFrame::Last, cur);
    }
}
/// Decode the macroblock data of a frame whose header vp8_parse_frame_header accepted.
pub fn vp8_decode_frame_data(dec: &mut Vp8Decoder, parts: &mut Vp8Partitions) -> Vp8Result {
    let filter = dec.hdr.filter_level != 0;
    let Some(cur) = take_free_frame(frames(&mut dec.fb)) else {
        return Err(DecodeError::new(
            ErrorKind::Corrupt,
            format!("internal: no free picture buffer ({} refs)", VP8_NUM_REFS),
        ));
    };
    let fb = frames(&mut dec.fb);
    fb.cur = cur;
    setup_intra_edges(fb.cur_mut());
    dec.above_nz.fill([false; 9]);
    if dec.threads > 1 && dec.mb_rows > 1 {
        crate::thread::decode_rows(dec, parts, dec.threads);
    } else {
        let table = LfTable::new(&dec.hdr, &dec.seg, &dec.lf_deltas);
        vp8_decode_modes(dec, &mut parts.first);
        dec.row.coeffs.0 = [[0; 16]; 25];
        let mb_rows = dec.mb_rows;
        let Vp8Decoder {
            dsp,
            hdr,
            probs,
            dequant,
            seg,
            mb_grid,
            above_nz,
            row,
            fb,
            mb_cols,
            ..
        } = dec;
        let (cur, refs) = frames(fb).split_cur();
        let mut f = SerialFrame {
            dsp,
            hdr,
            probs,
            dequant,
            seg,
            mb_grid,
            above_nz,
            row,
            planes: &mut cur.planes,
            refs: ref_planes(refs),
            mb_cols: *mb_cols,
        };
        for mb_y in 0..mb_rows {
            let part = &mut parts.tokens[mb_y & (f.hdr.num_partitions - 1)];
            decode_mb_row(&mut f, part, mb_y);
            if filter && mb_y > 0 {
                filter_row(&mut f, &table, mb_y - 1);
            }
        }
        if filter {
            filter_row(&mut f, &table, mb_rows - 1);
        }
    }
    extend_borders(frames(&mut dec.fb).cur_mut());
    update_references(dec);
    if !dec.hdr.refresh_entropy {
        dec.probs = dec.saved_probs;
    }
    Ok(())
}
