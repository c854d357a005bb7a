//! Frame header parsing (RFC 6386 sections 9 and 19.2): the uncompressed data chunk, the header
//! fields at the start of the first partition, the probability updates, the token partition
//! layout and the per-segment dequantization factors. Every size the frame declares is checked
//! against the bytes actually present before anything is read from them.
use crate::vp8_set_error;
use crate::bool_h::Vp8BoolDecoder;
use crate::common_h::vp8_clamp_int;
use crate::decode::vp8_alloc_frames;
use crate::internal_h::{
    VP8_ALTREF_FRAME, VP8_GOLDEN_FRAME, VP8_INTRA_FRAME, VP8_LAST_FRAME, Vp8Decoder,
    Vp8Dequant, Vp8FrameHeader, Vp8LfDeltas, Vp8MbInfo, Vp8Probs, Vp8Segmentation,
};
use crate::tables::{
    vp8_ac_qlookup, vp8_coeff_update_prob, vp8_dc_qlookup, vp8_default_coeff_prob,
    vp8_default_mv_prob, vp8_default_uv_mode_prob, vp8_default_ymode_prob,
    vp8_mv_update_prob,
};
use crate::tables_h::{VP8_MV_PROBS, VP8_NUM_TOKENS, VP8_NUM_UVMODES, VP8_NUM_YMODES};
use crate::vp8_h::{
    VP8_ERR_CORRUPT, VP8_ERR_NEED_KEYFRAME, VP8_ERR_TOO_LARGE, VP8_ERR_TRUNCATED, VP8_OK,
    Vp8Settings,
};
unsafe fn reset_keyframe_state(dec: *mut Vp8Decoder) {
    core::ptr::copy_nonoverlapping(
        vp8_default_coeff_prob.as_ptr() as *const u8,
        (*dec).probs.coeff.as_mut_ptr() as *mut u8,
        core::mem::size_of::<[[[[u8; 11]; 3]; 8]; 4]>(),
    );
    core::ptr::copy_nonoverlapping(
        vp8_default_ymode_prob.as_ptr(),
        (*dec).probs.ymode.as_mut_ptr(),
        core::mem::size_of::<[u8; 4]>(),
    );
    core::ptr::copy_nonoverlapping(
        vp8_default_uv_mode_prob.as_ptr(),
        (*dec).probs.uvmode.as_mut_ptr(),
        core::mem::size_of::<[u8; 3]>(),
    );
    core::ptr::copy_nonoverlapping(
        vp8_default_mv_prob.as_ptr() as *const u8,
        (*dec).probs.mv.as_mut_ptr() as *mut u8,
        core::mem::size_of::<[[u8; 19]; 2]>(),
    );
    core::ptr::write_bytes(
        (*dec).seg.quant.as_mut_ptr() as *mut u8,
        0,
        core::mem::size_of::<[i8; 4]>(),
    );
    core::ptr::write_bytes(
        (*dec).seg.lf_level.as_mut_ptr() as *mut u8,
        0,
        core::mem::size_of::<[i8; 4]>(),
    );
    (*dec).seg.absolute = 0;
    core::ptr::write_bytes(
        (*dec).lf_deltas.r#ref.as_mut_ptr() as *mut u8,
        0,
        core::mem::size_of::<[i8; 4]>(),
    );
    core::ptr::write_bytes(
        (*dec).lf_deltas.mode.as_mut_ptr() as *mut u8,
        0,
        core::mem::size_of::<[i8; 4]>(),
    );
}
unsafe fn parse_segmentation(
    seg: *mut Vp8Segmentation,
    bd: &mut Vp8BoolDecoder,
) {
    (*seg).enabled = bd.read_bit() as i32;
    if (*seg).enabled == 0 {
        (*seg).update_map = 0;
        (*seg).update_data = 0;
        return;
    }
    (*seg).update_map = bd.read_bit() as i32;
    (*seg).update_data = bd.read_bit() as i32;
    if (*seg).update_data != 0 {
        (*seg).absolute = bd.read_bit() as i32;
        for i in 0i32..4 {
            (*seg).quant[i as usize] = bd.read_optional_signed(7) as i8;
        }
        for i in 0i32..4 {
            (*seg).lf_level[i as usize] = bd.read_optional_signed(6) as i8;
        }
    }
    if (*seg).update_map != 0 {
        for i in 0i32..3 {
            (*seg).tree_probs[i as usize] = (if bd.read_bit() as i32 != 0 {
                bd.read_literal(8)
            } else {
                255
            }) as u8;
        }
    }
}
unsafe fn parse_lf_deltas(lfd: *mut Vp8LfDeltas, bd: &mut Vp8BoolDecoder) {
    (*lfd).enabled = bd.read_bit() as i32;
    if (*lfd).enabled == 0 || bd.read_bit() as i32 == 0 {
        return;
    }
    for i in 0i32..4 {
        if bd.read_bit() as i32 != 0 {
            (*lfd).r#ref[i as usize] = bd.read_signed(6) as i8;
        }
    }
    for i in 0i32..4 {
        if bd.read_bit() as i32 != 0 {
            (*lfd).mode[i as usize] = bd.read_signed(6) as i8;
        }
    }
}
/// Token partitions follow the first partition: (n - 1) 3-byte little-endian sizes, then the
/// partitions; the last one takes whatever remains. libvpx refuses empty or overlong ones.
unsafe fn setup_partitions<'a>(
    dec: *mut Vp8Decoder,
    data: &'a [u8],
    tokens: &mut [Vp8BoolDecoder<'a>; 8],
) -> i32 {
    let size = data.len();
    let n: i32 = (*dec).hdr.num_partitions;
    let table_size: usize = (n.wrapping_sub(1) as usize).wrapping_mul(3);
    let mut pos: usize = 10usize
        .wrapping_mul((*dec).hdr.keyframe as usize)
        .wrapping_add(3 * ((*dec).hdr.keyframe == 0) as usize)
        .wrapping_add((*dec).hdr.first_part_size as usize);
    let mut left: usize = 0;
    if size.wrapping_sub(pos) < table_size {
        return vp8_set_error(
            dec,
            VP8_ERR_TRUNCATED,
            c"the %d token partition sizes do not fit in the frame (%d bytes left)"
                .as_ptr(),
            n.wrapping_sub(1),
            size.wrapping_sub(pos) as i32,
        );
    }
    let sizes_at = pos;
    pos = pos.wrapping_add(table_size);
    left = size.wrapping_sub(pos);
    for i in 0..n {
        let mut part_size: usize = left;
        if i < n.wrapping_sub(1) {
            let at = sizes_at + 3 * i as usize;
            part_size = data[at] as usize
                | (data[at + 1] as usize) << 8
                | (data[at + 2] as usize) << 16;
        }
        if part_size == 0 || part_size > left {
            return vp8_set_error(
                dec,
                VP8_ERR_TRUNCATED,
                c"token partition %d: declared size %d does not fit the bytes left"
                    .as_ptr(),
                i,
                part_size as i32,
            );
        }
        tokens[i as usize] = Vp8BoolDecoder::new(&data[pos..pos + part_size]);
        pos = pos.wrapping_add(part_size);
        left = left.wrapping_sub(part_size);
    }
    return VP8_OK;
}
unsafe fn parse_coeff_updates(probs: *mut Vp8Probs, bd: &mut Vp8BoolDecoder) {
    for i in 0i32..4 {
        for j in 0i32..8 {
            for k in 0i32..3 {
                for l in 0..VP8_NUM_TOKENS - 1 {
                    if bd.read_bool((vp8_coeff_update_prob[i
                            as usize][j as usize][k as usize][l as usize] as i32) as u8) as i32 != 0
                    {
                        (*probs).coeff[i as usize][j as usize][k as usize][l as usize] = bd.read_literal(8) as u8;
                    }
                }
            }
        }
    }
}
unsafe fn parse_mv_updates(probs: *mut Vp8Probs, bd: &mut Vp8BoolDecoder) {
    for i in 0i32..2 {
        for j in 0..VP8_MV_PROBS {
            if bd.read_bool((vp8_mv_update_prob[i as usize][j as usize] as i32) as u8) as i32 != 0
            {
                let v: i32 = bd.read_literal(7);
                (*probs).mv[i as usize][j as usize] = (if v != 0 { v << 1 } else { 1 })
                    as u8;
            }
        }
    }
}
/// The bool decoders of one frame, borrowing its bytes: the first partition (modes) and the
/// token partitions (macroblock row `y` reads `tokens[y & (num_partitions - 1)]`).
#[derive(Clone, Copy)]
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
unsafe fn qlookup_dc(q: i32) -> i32 {
    return vp8_dc_qlookup[vp8_clamp_int(q, 0, 127) as usize] as i32;
}
unsafe fn qlookup_ac(q: i32) -> i32 {
    return vp8_ac_qlookup[vp8_clamp_int(q, 0, 127) as usize] as i32;
}
unsafe fn compute_dequant(dec: *mut Vp8Decoder) {
    let h: *const Vp8FrameHeader = &raw const (*dec).hdr;
    for s in 0i32..4 {
        let dq: *mut Vp8Dequant = (*dec).dequant.as_mut_ptr().add(s as usize);
        let mut q: i32 = (*h).qindex;
        let mut y2ac: i32 = 0;
        let mut uvdc: i32 = 0;
        if (*dec).seg.enabled != 0 {
            q = (if (*dec).seg.absolute != 0 {
                (*dec).seg.quant[s as usize] as i32
            } else {
                q.wrapping_add((*dec).seg.quant[s as usize] as i32)
            });
        }
        q = vp8_clamp_int(q, 0, 127);
        (*dq).y1[0] = qlookup_dc(q.wrapping_add((*h).dq_y1_dc)) as i16;
        (*dq).y1[1] = qlookup_ac(q) as i16;
        (*dq).y2[0] = qlookup_dc(q.wrapping_add((*h).dq_y2_dc)).wrapping_mul(2) as i16;
        y2ac = qlookup_ac(q.wrapping_add((*h).dq_y2_ac)).wrapping_mul(155) / 100;
        (*dq).y2[1] = (if y2ac < 8 { 8 } else { y2ac }) as i16;
        uvdc = qlookup_dc(q.wrapping_add((*h).dq_uv_dc));
        (*dq).uv[0] = (if uvdc > 132 { 132 } else { uvdc }) as i16;
        (*dq).uv[1] = qlookup_ac(q.wrapping_add((*h).dq_uv_ac)) as i16;
    }
}
/// Parse everything before the per-macroblock data. On success the first partition's bool decoder
/// is positioned at the first macroblock header and the token partitions are set up.
pub unsafe fn vp8_parse_frame_header<'a>(
    dec: *mut Vp8Decoder,
    frame: &'a [u8],
    parts: &mut Vp8Partitions<'a>,
) -> i32 {
    let h: *mut Vp8FrameHeader = &raw mut (*dec).hdr;
    let data = frame.as_ptr();
    let size = frame.len();
    let mut tag: u32 = 0;
    let mut header_bytes: usize = 0;
    let mut ret: i32 = 0;
    if size < 3 {
        return vp8_set_error(
            dec,
            VP8_ERR_TRUNCATED,
            c"frame of %d bytes is shorter than the 3-byte frame tag".as_ptr(),
            size as i32,
            0,
        );
    }
    tag = *data as u32 | (*data.add(1) as u32) << 8 | (*data.add(2) as u32) << 16;
    (*h).keyframe = (tag & 1 == 0) as i32;
    (*h).version = (tag >> 1 & 7) as i32;
    (*h).show_frame = (tag >> 4 & 1) as i32;
    (*h).first_part_size = tag >> 5;
    header_bytes = (if (*h).keyframe != 0 { 10i32 } else { 3i32 }) as usize;
    if (*h).keyframe != 0 {
        let mut width: i32 = 0;
        let mut height: i32 = 0;
        if size < 10 {
            return vp8_set_error(
                dec,
                VP8_ERR_TRUNCATED,
                c"key frame of %d bytes is shorter than its 10-byte header".as_ptr(),
                size as i32,
                0,
            );
        }
        if *data.add(3) as i32 != 0x9d || *data.add(4) as i32 != 0x01
            || *data.add(5) as i32 != 0x2a
        {
            return vp8_set_error(
                dec,
                VP8_ERR_CORRUPT,
                c"key frame start code is %06x, expected 9d012a".as_ptr(),
                (*data.add(3) as i32) << 16 | (*data.add(4) as i32) << 8
                    | *data.add(5) as i32,
                0,
            );
        }
        width = (*data.add(6) as i32 | (*data.add(7) as i32) << 8) & 0x3fff;
        height = (*data.add(8) as i32 | (*data.add(9) as i32) << 8) & 0x3fff;
        (*h).hscale = *data.add(7) as i32 >> 6;
        (*h).vscale = *data.add(9) as i32 >> 6;
        if width == 0 || height == 0 {
            return vp8_set_error(
                dec,
                VP8_ERR_CORRUPT,
                c"key frame size %dx%d has a zero dimension".as_ptr(),
                width,
                height,
            );
        }
        if (*dec).settings.max_frame_area != 0
            && ((width as u64) as usize).wrapping_mul((height as u64) as usize)
                > (*dec).settings.max_frame_area as usize
        {
            return vp8_set_error(
                dec,
                VP8_ERR_TOO_LARGE,
                c"key frame size %dx%d exceeds the configured size limit".as_ptr(),
                width,
                height,
            );
        }
        (*h).width = width;
        (*h).height = height;
    } else if (*dec).have_keyframe == 0 {
        if (*dec).width == 0 {
            return vp8_set_error(
                dec,
                VP8_ERR_NEED_KEYFRAME,
                c"inter frame before any key frame: a stream must start with a key frame"
                    .as_ptr(),
                0,
                0,
            );
        }
        return vp8_set_error(
            dec,
            VP8_ERR_NEED_KEYFRAME,
            c"inter frame skipped: an earlier frame failed, decoding resumes at the next key frame"
                .as_ptr(),
            0,
            0,
        );
    }
    if (*h).first_part_size == 0
        || (*h).first_part_size as usize > size.wrapping_sub(header_bytes)
    {
        return vp8_set_error(
            dec,
            VP8_ERR_TRUNCATED,
            c"first partition size %d exceeds the %d bytes after the header".as_ptr(),
            (*h).first_part_size as i32,
            size.wrapping_sub(header_bytes) as i32,
        );
    }
    if (*h).keyframe != 0 {
        if (*h).width != (*dec).width || (*h).height != (*dec).height
            || (*dec).mb_info_alloc.is_null()
        {
            (*dec).width = (*h).width;
            (*dec).height = (*h).height;
            ret = vp8_alloc_frames(dec);
            if ret < 0 {
                (*dec).height = 0;
                (*dec).width = (*dec).height;
                return ret;
            }
        }
        (*dec).hscale = (*h).hscale;
        (*dec).vscale = (*h).vscale;
        reset_keyframe_state(dec);
    }
    parts.first = Vp8BoolDecoder::new(
        &frame[header_bytes..header_bytes + (*h).first_part_size as usize],
    );
    let bd = &mut parts.first;
    if (*h).keyframe != 0 {
        (*h).color_space = bd.read_bit() as i32;
        (*h).clamping_type = bd.read_bit() as i32;
        (*dec).color_space = (*h).color_space;
        (*dec).clamping_type = (*h).clamping_type;
    }
    parse_segmentation(&raw mut (*dec).seg, bd);
    (*h).filter_type = bd.read_bit() as i32;
    (*h).filter_level = bd.read_literal(6);
    (*h).sharpness = bd.read_literal(3);
    parse_lf_deltas(&raw mut (*dec).lf_deltas, bd);
    (*h).num_partitions = 1i32.wrapping_shl(bd.read_literal(2) as u32);
    ret = setup_partitions(dec, frame, &mut parts.tokens);
    if ret < 0 {
        return ret;
    }
    (*h).qindex = bd.read_literal(7);
    (*h).dq_y1_dc = bd.read_optional_signed(4);
    (*h).dq_y2_dc = bd.read_optional_signed(4);
    (*h).dq_y2_ac = bd.read_optional_signed(4);
    (*h).dq_uv_dc = bd.read_optional_signed(4);
    (*h).dq_uv_ac = bd.read_optional_signed(4);
    if (*h).keyframe != 0 {
        (*h).refresh_golden = 1;
        (*h).refresh_altref = 1;
        (*h).copy_to_golden = 0;
        (*h).copy_to_altref = 0;
        (*h).sign_bias[VP8_GOLDEN_FRAME as usize] = 0;
        (*h).sign_bias[VP8_ALTREF_FRAME as usize] = 0;
        (*h).refresh_entropy = bd.read_bit() as i32;
        (*h).refresh_last = 1;
    } else {
        (*h).refresh_golden = bd.read_bit() as i32;
        (*h).refresh_altref = bd.read_bit() as i32;
        (*h).copy_to_golden = (if (*h).refresh_golden != 0 {
            0
        } else {
            bd.read_literal(2)
        });
        (*h).copy_to_altref = (if (*h).refresh_altref != 0 {
            0
        } else {
            bd.read_literal(2)
        });
        (*h).sign_bias[VP8_GOLDEN_FRAME as usize] = bd.read_bit() as i32;
        (*h).sign_bias[VP8_ALTREF_FRAME as usize] = bd.read_bit() as i32;
        (*h).refresh_entropy = bd.read_bit() as i32;
        (*h).refresh_last = bd.read_bit() as i32;
    }
    (*h).sign_bias[VP8_INTRA_FRAME as usize] = 0;
    (*h).sign_bias[VP8_LAST_FRAME as usize] = 0;
    if (*h).refresh_entropy == 0 {
        (*dec).saved_probs = (*dec).probs;
    }
    parse_coeff_updates(&raw mut (*dec).probs, bd);
    (*h).mb_no_coeff_skip = bd.read_bit() as i32;
    (*h).prob_skip_false = (if (*h).mb_no_coeff_skip != 0 {
        bd.read_literal(8)
    } else {
        0
    });
    if (*h).keyframe == 0 {
        (*h).prob_intra = bd.read_literal(8);
        (*h).prob_last = bd.read_literal(8);
        (*h).prob_golden = bd.read_literal(8);
        if bd.read_bit() as i32 != 0 {
            for i in 0..VP8_NUM_YMODES - 1 {
                (*dec).probs.ymode[i as usize] = bd.read_literal(8) as u8;
            }
        }
        if bd.read_bit() as i32 != 0 {
            for i in 0..VP8_NUM_UVMODES - 1 {
                (*dec).probs.uvmode[i as usize] = bd.read_literal(8) as u8;
            }
        }
        parse_mv_updates(&raw mut (*dec).probs, bd);
    }
    compute_dequant(dec);
    return VP8_OK;
}
