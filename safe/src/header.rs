//! Frame header parsing (RFC 6386 sections 9 and 19.2): the uncompressed data chunk, the header
//! fields at the start of the first partition, the probability updates, the token partition
//! layout and the per-segment dequantization factors. Every size the frame declares is checked
//! against the bytes actually present before anything is read from them.
//!
//! Parses from the frame's `&[u8]` (slices checked once per field group, no pointer arithmetic)
//! into the decoder's owned header, segmentation, loop-filter-delta and probability structs;
//! failures are [`DecodeError`]s with the C stage's kind and message.
use vp8_stage::ErrorKind;

use crate::bool_h::Vp8BoolDecoder;
use crate::decode::vp8_free_frames;
use crate::error::{DecodeError, Vp8Result};
use crate::internal_h::{
    FilterType, RefFrame, Vp8Decoder, Vp8Dequant, Vp8FrameHeader, Vp8LfDeltas, Vp8Probs,
    Vp8Segmentation,
};
use crate::modes::vp8_check_keyframe_modes;
use crate::tables::{
    VP8_AC_QLOOKUP, VP8_COEFF_UPDATE_PROB, VP8_DC_QLOOKUP, VP8_DEFAULT_COEFF_PROB,
    VP8_DEFAULT_MV_PROB, VP8_DEFAULT_UV_MODE_PROB, VP8_DEFAULT_YMODE_PROB, VP8_MV_UPDATE_PROB,
};

/// The bool decoders of one frame, borrowing its bytes: the first partition (modes) and the
/// token partitions (macroblock row `y` reads `tokens[y & (num_partitions - 1)]`).
#[derive(Debug, Clone, Copy)]
pub struct Vp8Partitions<'a> {
    pub first: Vp8BoolDecoder<'a>,
    pub tokens: [Vp8BoolDecoder<'a>; 8],
}

impl Vp8Partitions<'_> {
    pub fn new() -> Self {
        let empty = Vp8BoolDecoder::new(&[]);
        Vp8Partitions {
            first: empty,
            tokens: [empty; 8],
        }
    }
}

impl Default for Vp8Partitions<'_> {
    fn default() -> Self {
        Self::new()
    }
}

/// A key frame resets what persists between frames to the format's defaults (RFC 9.11 and
/// libvpx: segment and loop-filter adjustments too).
fn reset_keyframe_state(dec: &mut Vp8Decoder) {
    dec.probs.coeff = VP8_DEFAULT_COEFF_PROB;
    dec.probs.ymode = VP8_DEFAULT_YMODE_PROB;
    dec.probs.uvmode = VP8_DEFAULT_UV_MODE_PROB;
    dec.probs.mv = VP8_DEFAULT_MV_PROB;
    dec.seg.quant = [0; 4];
    dec.seg.lf_level = [0; 4];
    dec.seg.absolute = false;
    dec.lf_deltas.r#ref = [0; 4];
    dec.lf_deltas.mode = [0; 4];
}

fn parse_segmentation(seg: &mut Vp8Segmentation, bd: &mut Vp8BoolDecoder) {
    seg.enabled = bd.read_bit();
    if !seg.enabled {
        seg.update_map = false;
        seg.update_data = false;
        return;
    }
    seg.update_map = bd.read_bit();
    seg.update_data = bd.read_bit();
    if seg.update_data {
        seg.absolute = bd.read_bit();
        for q in &mut seg.quant {
            *q = bd.read_optional_signed(7);
        }
        for l in &mut seg.lf_level {
            *l = bd.read_optional_signed(6);
        }
    }
    if seg.update_map {
        for p in &mut seg.tree_probs {
            *p = if bd.read_bit() {
                bd.read_literal(8)
            } else {
                255
            };
        }
    }
}

fn parse_lf_deltas(lfd: &mut Vp8LfDeltas, bd: &mut Vp8BoolDecoder) {
    lfd.enabled = bd.read_bit();
    if !lfd.enabled || !bd.read_bit() {
        return;
    }
    for d in lfd.r#ref.iter_mut().chain(lfd.mode.iter_mut()) {
        if bd.read_bit() {
            *d = bd.read_signed(6);
        }
    }
}

/// The buffer a `copy_buffer_to_*` field names (RFC 9.7): 0 none, 1 the last frame, 2
/// `other` (altref for the golden slot, golden for the altref slot). The RFC defines no 3; the
/// C stage copies nothing then, and so does this one.
fn copy_source(code: u8, other: RefFrame) -> Option<RefFrame> {
    match code {
        1 => Some(RefFrame::Last),
        2 => Some(other),
        _ => None,
    }
}

/// Token partitions follow the first partition: (n - 1) 3-byte little-endian sizes, then the
/// partitions; the last one takes whatever remains. libvpx refuses empty or overlong ones.
fn setup_partitions<'a>(
    hdr: &Vp8FrameHeader,
    data: &'a [u8],
    tokens: &mut [Vp8BoolDecoder<'a>; 8],
) -> Vp8Result {
    let n = hdr.num_partitions;
    let table_size = (n - 1) * 3;
    let header_bytes = if hdr.keyframe { 10 } else { 3 };
    // The caller checked that the first partition fits, so start <= data.len().
    let start = header_bytes + hdr.first_part_size as usize;
    let rest = &data[start..];
    if rest.len() < table_size {
        return Err(DecodeError::new(
            ErrorKind::Truncated,
            format!(
                "the {} token partition sizes do not fit in the frame ({} bytes left)",
                n - 1,
                rest.len()
            ),
        ));
    }
    let (sizes, mut left) = rest.split_at(table_size);
    for (i, bd) in tokens.iter_mut().take(n).enumerate() {
        let part_size = match sizes.get(3 * i..3 * i + 3) {
            Some(s) => u32::from_le_bytes([s[0], s[1], s[2], 0]) as usize,
            None => left.len(),
        };
        if part_size == 0 || part_size > left.len() {
            return Err(DecodeError::new(
                ErrorKind::Truncated,
                format!(
                    "token partition {i}: declared size {} does not fit the bytes left",
                    part_size
                ),
            ));
        }
        let (part, after) = left.split_at(part_size);
        *bd = Vp8BoolDecoder::new(part);
        left = after;
    }
    Ok(())
}

fn parse_coeff_updates(probs: &mut Vp8Probs, bd: &mut Vp8BoolDecoder) {
    for (plane, upd_plane) in probs.coeff.iter_mut().zip(&VP8_COEFF_UPDATE_PROB) {
        for (band, upd_band) in plane.iter_mut().zip(upd_plane) {
            for (ctx, upd_ctx) in band.iter_mut().zip(upd_band) {
                for (p, &upd) in ctx.iter_mut().zip(upd_ctx) {
                    if bd.read_bool(upd) {
                        *p = bd.read_literal(8);
                    }
                }
            }
        }
    }
}

fn parse_mv_updates(probs: &mut Vp8Probs, bd: &mut Vp8BoolDecoder) {
    for (comp, upd_comp) in probs.mv.iter_mut().zip(&VP8_MV_UPDATE_PROB) {
        for (p, &upd) in comp.iter_mut().zip(upd_comp) {
            if bd.read_bool(upd) {
                let v = bd.read_literal(7);
                *p = if v != 0 { v << 1 } else { 1 };
            }
        }
    }
}

#[inline]
fn qlookup_dc(q: i32) -> i16 {
    VP8_DC_QLOOKUP[q.clamp(0, 127) as usize]
}

#[inline]
fn qlookup_ac(q: i32) -> i16 {
    VP8_AC_QLOOKUP[q.clamp(0, 127) as usize]
}

/// The dequantization factors of each segment (RFC 9.6, 14.1, with libvpx's Y2/UV limits).
fn compute_dequant(dec: &mut Vp8Decoder) {
    let h = &dec.hdr;
    let seg = &dec.seg;
    for (s, dq) in dec.dequant.iter_mut().enumerate() {
        let mut q = i32::from(h.qindex);
        if seg.enabled {
            let sq = i32::from(seg.quant[s]);
            q = if seg.absolute { sq } else { q + sq };
        }
        let q = q.clamp(0, 127);
        let [y1dc, y2dc, y2ac, uvdc, uvac] =
            [h.dq_y1_dc, h.dq_y2_dc, h.dq_y2_ac, h.dq_uv_dc, h.dq_uv_ac].map(|d| q + i32::from(d));
        *dq = Vp8Dequant {
            y1: [qlookup_dc(y1dc), qlookup_ac(q)],
            // 284 * 155 overflows i16: the product in i32, the quotient fits again.
            y2: [
                qlookup_dc(y2dc) * 2,
                (i32::from(qlookup_ac(y2ac)) * 155 / 100).max(8) as i16,
            ],
            uv: [qlookup_dc(uvdc).min(132), qlookup_ac(uvac)],
        };
    }
}

/// The uncompressed chunk of a key frame (RFC 9.1): start code, size and scaling.
fn parse_keyframe_chunk(dec: &Vp8Decoder, data: &[u8], h: &mut Vp8FrameHeader) -> Vp8Result {
    let Some(chunk) = data.get(..10) else {
        return Err(DecodeError::new(
            ErrorKind::Truncated,
            format!(
                "key frame of {} bytes is shorter than its 10-byte header",
                data.len()
            ),
        ));
    };
    if chunk[3..6] != [0x9d, 0x01, 0x2a] {
        return Err(DecodeError::new(
            ErrorKind::Corrupt,
            format!(
                "key frame start code is {:06x}, expected 9d012a",
                u32::from_be_bytes([0, chunk[3], chunk[4], chunk[5]])
            ),
        ));
    }
    let width = u16::from_le_bytes([chunk[6], chunk[7]]) & 0x3fff;
    let height = u16::from_le_bytes([chunk[8], chunk[9]]) & 0x3fff;
    h.hscale = chunk[7] >> 6;
    h.vscale = chunk[9] >> 6;
    if width == 0 || height == 0 {
        return Err(DecodeError::new(
            ErrorKind::Corrupt,
            format!("key frame size {width}x{height} has a zero dimension"),
        ));
    }
    let limit = dec.settings.max_frame_area;
    if limit != 0 && width as u64 * height as u64 > limit {
        return Err(DecodeError::new(
            ErrorKind::TooLarge,
            format!("key frame size {width}x{height} exceeds the configured size limit"),
        ));
    }
    h.width = width;
    h.height = height;
    Ok(())
}

/// Parse everything before the per-macroblock data. On success `parts.first` is positioned at
/// the first macroblock header and the token partitions are set up.
///
/// `alloc_frames` (re)allocates the picture buffers and mode records for the new key-frame size
/// in `dec.width` x `dec.height` (decode.rs owns them); it reports its own failure.
pub fn vp8_parse_frame_header<'a>(
    dec: &mut Vp8Decoder,
    frame: &'a [u8],
    parts: &mut Vp8Partitions<'a>,
    alloc_frames: impl FnOnce(&mut Vp8Decoder) -> Vp8Result,
) -> Vp8Result {
    let size = frame.len();
    let Some(tag) = frame.get(..3) else {
        return Err(DecodeError::new(
            ErrorKind::Truncated,
            format!(
                "frame of {} bytes is shorter than the 3-byte frame tag",
                size
            ),
        ));
    };
    let tag = u32::from_le_bytes([tag[0], tag[1], tag[2], 0]);
    let mut h = dec.hdr;
    h.keyframe = tag & 1 == 0;
    h.version = (tag >> 1 & 7) as u8;
    h.show_frame = tag >> 4 & 1 != 0;
    h.first_part_size = tag >> 5;
    let header_bytes = if h.keyframe { 10 } else { 3 };
    // Written back on every exit, as the C parser fills dec->hdr in place.
    let result = parse_after_tag(dec, frame, parts, alloc_frames, &mut h, header_bytes);
    dec.hdr = h;
    result
}

fn parse_after_tag<'a>(
    dec: &mut Vp8Decoder,
    frame: &'a [u8],
    parts: &mut Vp8Partitions<'a>,
    alloc_frames: impl FnOnce(&mut Vp8Decoder) -> Vp8Result,
    h: &mut Vp8FrameHeader,
    header_bytes: usize,
) -> Vp8Result {
    let size = frame.len();
    if h.keyframe {
        parse_keyframe_chunk(dec, frame, h)?;
    } else if !dec.have_keyframe {
        let message = if dec.width == 0 {
            "inter frame before any key frame: a stream must start with a key frame"
        } else {
            "inter frame skipped: an earlier frame failed, decoding resumes at the next key frame"
        };
        return Err(DecodeError::new(ErrorKind::NeedKeyframe, message));
    }
    let first_size = h.first_part_size as usize;
    if first_size == 0 || first_size > size - header_bytes {
        return Err(DecodeError::new(
            ErrorKind::Truncated,
            format!(
                "first partition size {} exceeds the {} bytes after the header",
                h.first_part_size,
                size - header_bytes
            ),
        ));
    }
    if h.keyframe {
        // A new size drops the old buffers now; the new ones are allocated at the end of the
        // header, once the frame has shown it can fill them (vp8_check_keyframe_modes).
        if h.width != dec.width || h.height != dec.height {
            vp8_free_frames(dec);
            dec.set_size(h.width, h.height);
        }
        dec.hscale = h.hscale;
        dec.vscale = h.vscale;
        reset_keyframe_state(dec);
    }
    parts.first = Vp8BoolDecoder::new(&frame[header_bytes..header_bytes + first_size]);
    let bd = &mut parts.first;
    if h.keyframe {
        h.color_space = bd.read_bit() as u8;
        h.clamping_type = bd.read_bit() as u8;
        dec.color_space = h.color_space;
        dec.clamping_type = h.clamping_type;
    }
    parse_segmentation(&mut dec.seg, bd);
    h.filter_type = if bd.read_bit() {
        FilterType::Simple
    } else {
        FilterType::Normal
    };
    h.filter_level = bd.read_literal(6);
    h.sharpness = bd.read_literal(3);
    parse_lf_deltas(&mut dec.lf_deltas, bd);
    h.num_partitions = 1 << bd.read_literal(2);
    setup_partitions(h, frame, &mut parts.tokens)?;
    h.qindex = bd.read_literal(7);
    h.dq_y1_dc = bd.read_optional_signed(4);
    h.dq_y2_dc = bd.read_optional_signed(4);
    h.dq_y2_ac = bd.read_optional_signed(4);
    h.dq_uv_dc = bd.read_optional_signed(4);
    h.dq_uv_ac = bd.read_optional_signed(4);
    if h.keyframe {
        h.refresh_golden = true;
        h.refresh_altref = true;
        h.copy_to_golden = None;
        h.copy_to_altref = None;
        h.sign_bias[RefFrame::Golden as usize] = false;
        h.sign_bias[RefFrame::AltRef as usize] = false;
        h.refresh_entropy = bd.read_bit();
        h.refresh_last = true;
    } else {
        h.refresh_golden = bd.read_bit();
        h.refresh_altref = bd.read_bit();
        // RFC 9.7: copy_buffer_to_golden 1 = last frame, 2 = altref; to altref 2 = golden.
        h.copy_to_golden = if h.refresh_golden {
            None
        } else {
            copy_source(bd.read_literal(2), RefFrame::AltRef)
        };
        h.copy_to_altref = if h.refresh_altref {
            None
        } else {
            copy_source(bd.read_literal(2), RefFrame::Golden)
        };
        h.sign_bias[RefFrame::Golden as usize] = bd.read_bit();
        h.sign_bias[RefFrame::AltRef as usize] = bd.read_bit();
        h.refresh_entropy = bd.read_bit();
        h.refresh_last = bd.read_bit();
    }
    h.sign_bias[RefFrame::Intra as usize] = false;
    h.sign_bias[RefFrame::Last as usize] = false;
    if !h.refresh_entropy {
        dec.saved_probs = dec.probs;
    }
    parse_coeff_updates(&mut dec.probs, bd);
    h.mb_no_coeff_skip = bd.read_bit();
    h.prob_skip_false = if h.mb_no_coeff_skip {
        bd.read_literal(8)
    } else {
        0
    };
    if !h.keyframe {
        h.prob_intra = bd.read_literal(8);
        h.prob_last = bd.read_literal(8);
        h.prob_golden = bd.read_literal(8);
        if bd.read_bit() {
            for p in &mut dec.probs.ymode {
                *p = bd.read_literal(8);
            }
        }
        if bd.read_bit() {
            for p in &mut dec.probs.uvmode {
                *p = bd.read_literal(8);
            }
        }
        parse_mv_updates(&mut dec.probs, bd);
    }
    dec.hdr = *h;
    compute_dequant(dec);
    if h.keyframe && !dec.have_keyframe {
        vp8_check_keyframe_modes(dec, &parts.first)?;
    }
    if h.keyframe && dec.mb_grid.is_empty() {
        // dec.hdr is read by nobody during the allocation; h is written back by the caller.
        if let Err(e) = alloc_frames(dec) {
            dec.set_size(0, 0);
            return Err(e);
        }
    }
    Ok(())
}
