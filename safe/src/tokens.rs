//! Residual token decoding (RFC 6386 section 13): the coefficient token tree walked by hand for
//! speed, the band/context probability selection, extra bits of the large categories, the
//! non-zero contexts carried between neighbouring blocks, and dequantization as coefficients are
//! stored (wrapping to 16 bits as libvpx's short arithmetic does).
use crate::bool_h::Vp8BoolDecoder;
use crate::internal_h::{
    VP8_BLOCK_UV, VP8_BLOCK_Y2, VP8_BLOCK_Y_AFTER_Y2, VP8_BLOCK_Y_WITH_DC, Vp8Decoder,
    Vp8Dequant, Vp8MbInfo, Vp8Probs, Vp8RowCtx, Vp8Segmentation,
};
use crate::tables::{vp8_coeff_bands, vp8_dct_cat_base, vp8_dct_cat_prob, vp8_zigzag};
use crate::tables_h::{VP8_B_PRED, VP8_SPLITMV};
pub type Vp8CoeffProbs = *const [[u8; 11]; 3];
#[inline(always)]
unsafe fn read_extra(bd: &mut Vp8BoolDecoder, cat: i32) -> i32 {
    let mut p: *const u8 = vp8_dct_cat_prob[cat as usize].as_ptr();
    let mut v: i32 = 0;
    while *p != 0 {
        v = v << 1 | bd.read_bool((*p as i32) as u8) as i32;
        p = p.add(1);
    }
    return (vp8_dct_cat_base[cat as usize] as i32).wrapping_add(v);
}
/// Decode one block's tokens starting at position `first` into block (raster order).
/// Returns 0 if the first token was end-of-block, else the position after the last token.
#[inline(always)]
unsafe fn decode_block_tokens(
    bd: &mut Vp8BoolDecoder,
    probs: Vp8CoeffProbs,
    mut ctx: i32,
    first: i32,
    dq: *const i16,
    block: *mut i16,
) -> i32 {
    let mut i: i32 = first;
    let mut p: *const u8 = (*probs
        .add(vp8_coeff_bands[i as usize] as usize))[ctx as usize]
        .as_ptr();
    if bd.read_bool((*p as i32) as u8) as i32 == 0 {
        return 0;
    }
    loop {
        let mut v: i32 = 0;
        if bd.read_bool((*p.add(1) as i32) as u8) as i32 == 0 {
            i = i.wrapping_add(1);
            if i == 16 {
                return 16;
            }
            p = (*probs.add(vp8_coeff_bands[i as usize] as usize))[0].as_ptr();
            continue;
        }
        if bd.read_bool((*p.add(2) as i32) as u8) as i32 == 0 {
            v = 1;
            ctx = 1;
        } else {
            if bd.read_bool((*p.add(3) as i32) as u8) as i32 == 0 {
                if bd.read_bool((*p.add(4) as i32) as u8) as i32 == 0 {
                    v = 2;
                } else {
                    v = 3i32.wrapping_add(bd.read_bool((*p.add(5) as i32) as u8) as i32);
                }
            } else if bd.read_bool((*p.add(6) as i32) as u8) as i32 == 0 {
                let cat = bd.read_bool(*p.add(7)) as i32;
                v = read_extra(bd, cat);
            } else if bd.read_bool((*p.add(8) as i32) as u8) as i32 == 0 {
                let cat = 2 + bd.read_bool(*p.add(9)) as i32;
                v = read_extra(bd, cat);
            } else {
                let cat = 4 + bd.read_bool(*p.add(10)) as i32;
                v = read_extra(bd, cat);
            }
            ctx = 2;
        }
        if bd.read_bit() as i32 != 0 {
            v = v.wrapping_neg();
        }
        *block.add(vp8_zigzag[i as usize] as usize) = v
            .wrapping_mul(*dq.add((i > 0) as usize) as i32) as i16;
        i = i.wrapping_add(1);
        if i == 16 {
            return 16;
        }
        p = (*probs.add(vp8_coeff_bands[i as usize] as usize))[ctx as usize].as_ptr();
        if bd.read_bool((*p as i32) as u8) as i32 == 0 {
            return i;
        }
    }
}
/// Decode all residual blocks of a macroblock; returns non-zero if any block had a token.
/// Fills row->coeffs and row->eobs (Y 0..15, U 16..19, V 20..23, Y2 24).
pub unsafe fn vp8_decode_mb_tokens(
    dec: *const Vp8Decoder,
    row: *mut Vp8RowCtx,
    part: &mut Vp8BoolDecoder,
    above_nz: *mut u8,
    mb: *const Vp8MbInfo,
) -> i32 {
    let dq: *const Vp8Dequant = (*dec)
        .dequant
        .as_ptr()
        .add((if (*dec).seg.enabled != 0 { (*mb).segment as i32 } else { 0 }) as usize);
    let probs: *const Vp8Probs = &raw const (*dec).probs;
    // A local copy keeps the reader's state in registers across the blocks.
    let mut local: Vp8BoolDecoder = *part;
    let bd = &mut local;
    let left_nz: *mut u8 = (*row).left_nz.as_mut_ptr();
    let has_y2: i32 = ((*mb).ymode as i32 != VP8_B_PRED
        && (*mb).ymode as i32 != VP8_SPLITMV) as i32;
    let mut any: i32 = 0;
    let mut first: i32 = 0;
    let mut yprobs: Vp8CoeffProbs = core::ptr::null();
    if has_y2 != 0 {
        let ctx: i32 = *above_nz.add(8) as i32 + *left_nz.add(8) as i32;
        let eob: i32 = decode_block_tokens(
            bd,
            (*probs).coeff[VP8_BLOCK_Y2 as usize].as_ptr(),
            ctx,
            0,
            (*dq).y2.as_ptr(),
            (*row).coeffs.0[24].as_mut_ptr(),
        );
        *left_nz.add(8) = (eob > 0) as u8;
        *above_nz.add(8) = *left_nz.add(8);
        (*row).eobs[24] = eob as u8;
        any |= eob;
        first = 1;
        yprobs = (*probs).coeff[VP8_BLOCK_Y_AFTER_Y2 as usize].as_ptr();
    } else {
        yprobs = (*probs).coeff[VP8_BLOCK_Y_WITH_DC as usize].as_ptr();
    }
    for i in 0i32..16 {
        let x: i32 = i & 3;
        let y: i32 = i >> 2;
        let ctx: i32 = *above_nz.offset(x as isize) as i32
            + *left_nz.offset(y as isize) as i32;
        let eob: i32 = decode_block_tokens(
            bd,
            yprobs,
            ctx,
            first,
            (*dq).y1.as_ptr(),
            (*row).coeffs.0[i as usize].as_mut_ptr(),
        );
        *left_nz.offset(y as isize) = (eob > 0) as u8;
        *above_nz.offset(x as isize) = *left_nz.offset(y as isize);
        (*row).eobs[i as usize] = eob as u8;
        any |= eob;
    }
    for i in 16i32..24 {
        let plane: i32 = if i < 20 { 4 } else { 6 };
        let x: i32 = plane.wrapping_add(i & 1);
        let y: i32 = plane.wrapping_add(i >> 1 & 1);
        let ctx: i32 = *above_nz.offset(x as isize) as i32
            + *left_nz.offset(y as isize) as i32;
        let eob: i32 = decode_block_tokens(
            bd,
            (*probs).coeff[VP8_BLOCK_UV as usize].as_ptr(),
            ctx,
            0,
            (*dq).uv.as_ptr(),
            (*row).coeffs.0[i as usize].as_mut_ptr(),
        );
        *left_nz.offset(y as isize) = (eob > 0) as u8;
        *above_nz.offset(x as isize) = *left_nz.offset(y as isize);
        (*row).eobs[i as usize] = eob as u8;
        any |= eob;
    }
    *part = local;
    return (any != 0) as i32;
}
/// A macroblock without coded residual clears its contexts; the Y2 flags only when it would have
/// had a Y2 block, so a skipped B_PRED/SPLITMV macroblock leaves them to its neighbours.
pub unsafe fn vp8_reset_mb_tokens_ctx(
    row: *mut Vp8RowCtx,
    above_nz: *mut u8,
    mb: *const Vp8MbInfo,
) {
    for i in 0i32..8 {
        *above_nz.add(i as usize) = 0;
        (*row).left_nz[i as usize] = 0;
    }
    if (*mb).ymode as i32 != VP8_B_PRED && (*mb).ymode as i32 != VP8_SPLITMV {
        *above_nz.add(8) = 0;
        (*row).left_nz[8] = 0;
    }
}
