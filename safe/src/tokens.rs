//! Residual token decoding (RFC 6386 section 13): the coefficient token tree walked by hand for
//! speed, the band/context probability selection, extra bits of the large categories, the
//! non-zero contexts carried between neighbouring blocks, and dequantization as coefficients are
//! stored (wrapping to 16 bits as libvpx's short arithmetic does).
//!
//! Safe code: a block is decoded into a `&mut [i16; 16]`, probabilities are borrowed from the
//! `[[[u8; 11]; 3]; 8]` table of its block type, and the non-zero contexts are the row's
//! `left_nz: [bool; 9]` and the macroblock column's `[bool; 9]` of `above_nz`. Indices derived from
//! the bitstream (positions, bands, contexts) are bounded by construction, in a form the compiler
//! sees too, so their checks are gone from the binary: positions stop at `i >= 16`, a context is
//! the sum of two bools. The macroblock works on local copies of its contexts and end positions
//! and derives "any token" from the positions at the end (port step 50: through the parameters
//! and a per-block accumulator, the block loop spilled and reloaded them; 1.075 -> 0.994 x the
//! C's instructions on 10 frames of the motion 1080p stream).
use crate::bool_h::Vp8BoolDecoder;
use crate::internal_h::{BlockType, Vp8Dequant, Vp8MbInfo, Vp8Probs, Vp8Segmentation};
use crate::tables::{VP8_COEFF_BANDS, VP8_DCT_CAT_BASE, VP8_DCT_CAT_PROB, VP8_ZIGZAG};

/// The probabilities of one block type: \[band\]\[context\]\[tree node\].
pub type Vp8CoeffProbs = [[[u8; 11]; 3]; 8];

/// The extra bits of a DCT_CAT token (RFC 13.2): its probabilities end at a zero.
#[inline(always)]
fn read_extra(bd: &mut Vp8BoolDecoder, cat: usize) -> i32 {
    let mut v = 0i32;
    for &p in VP8_DCT_CAT_PROB[cat].iter().take_while(|&&p| p != 0) {
        v = (v << 1) | bd.read_bool(p) as i32;
    }
    VP8_DCT_CAT_BASE[cat] as i32 + v
}

/// Decode one block's tokens starting at position `first` into `block` (raster order).
/// Returns 0 if the first token was end-of-block, else the position after the last token.
#[inline(always)]
fn decode_block_tokens(
    bd: &mut Vp8BoolDecoder,
    probs: &Vp8CoeffProbs,
    ctx: usize,
    first: usize,
    dq: [i16; 2],
    block: &mut [i16; 16],
) -> i32 {
    let mut i = first;
    let mut p = &probs[VP8_COEFF_BANDS[i] as usize & 7][ctx];
    if !bd.read_bool(p[0]) {
        return 0;
    }
    loop {
        if !bd.read_bool(p[1]) {
            // DCT_0: no end-of-block check follows a zero.
            i += 1;
            if i >= 16 {
                return 16;
            }
            p = &probs[VP8_COEFF_BANDS[i] as usize & 7][0];
            continue;
        }
        let mut v: i32;
        let ctx;
        if !bd.read_bool(p[2]) {
            v = 1;
            ctx = 1;
        } else {
            if !bd.read_bool(p[3]) {
                if !bd.read_bool(p[4]) {
                    v = 2;
                } else {
                    v = 3 + bd.read_bool(p[5]) as i32;
                }
            } else if !bd.read_bool(p[6]) {
                let cat = bd.read_bool(p[7]) as usize;
                v = read_extra(bd, cat);
            } else if !bd.read_bool(p[8]) {
                let cat = 2 + bd.read_bool(p[9]) as usize;
                v = read_extra(bd, cat);
            } else {
                let cat = 4 + bd.read_bool(p[10]) as usize;
                v = read_extra(bd, cat);
            }
            ctx = 2;
        }
        if bd.read_bit() {
            v = -v;
        }
        // `i < 16` holds here, but LLVM does not carry it around the loop: without the mask
        // each coefficient store checked it (two instructions and a panic site per copy of the
        // loop; port step 76).
        block[VP8_ZIGZAG[i & 15] as usize & 15] =
            v.wrapping_mul(dq[(i > 0) as usize] as i32) as i16;
        i += 1;
        if i >= 16 {
            return 16;
        }
        p = &probs[VP8_COEFF_BANDS[i] as usize & 7][ctx];
        if !bd.read_bool(p[0]) {
            return i as i32;
        }
    }
}

/// The dequantization factors of `mb`'s segment.
#[inline]
pub fn mb_dequant<'a>(
    dequant: &'a [Vp8Dequant; 4],
    seg: &Vp8Segmentation,
    mb: &Vp8MbInfo,
) -> &'a Vp8Dequant {
    // segment ids are 2-bit tree leaves
    &dequant[if seg.enabled {
        mb.segment as usize & 3
    } else {
        0
    }]
}

/// Decode all residual blocks of a macroblock; returns true if any block had a token.
/// Fills `coeffs` and `eobs` (Y 0..15, U 16..19, V 20..23, Y2 24) and updates the
/// non-zero contexts (`left_nz`, `above_nz`: 4 Y, 2 U, 2 V, 1 Y2).
#[allow(clippy::too_many_arguments)]
pub fn vp8_decode_mb_tokens(
    probs: &Vp8Probs,
    dq: &Vp8Dequant,
    left_nz_out: &mut [bool; 9],
    coeffs: &mut [[i16; 16]; 25],
    eobs_out: &mut [u8; 25],
    part: &mut Vp8BoolDecoder,
    above_nz_out: &mut [bool; 9],
    mb: &Vp8MbInfo,
) -> bool {
    // A local copy keeps the reader's state in registers across the blocks.
    let mut local = *part;
    let bd = &mut local;
    // Local copies of the contexts and end-of-block positions too (step 50): through the
    // parameters, each block reloaded their addresses from the stack, where the register-starved
    // loop had spilled them (the C stage keeps `left_nz` in a local array for the same reason).
    let (mut left_nz, mut above_nz, mut eobs) = (*left_nz_out, *above_nz_out, [0u8; 25]);
    let first;
    let yprobs;
    if mb.ymode.has_y2() {
        let ctx = above_nz[8] as usize + left_nz[8] as usize;
        let eob = decode_block_tokens(
            bd,
            &probs.coeff[BlockType::Y2 as usize],
            ctx,
            0,
            dq.y2,
            &mut coeffs[24],
        );
        left_nz[8] = eob > 0;
        above_nz[8] = left_nz[8];
        eobs[24] = eob as u8;
        first = 1;
        yprobs = &probs.coeff[BlockType::YAfterY2 as usize];
    } else {
        first = 0;
        yprobs = &probs.coeff[BlockType::YWithDc as usize];
    }
    for i in 0..16 {
        let (x, y) = (i & 3, i >> 2);
        let ctx = above_nz[x] as usize + left_nz[y] as usize;
        let eob = decode_block_tokens(bd, yprobs, ctx, first, dq.y1, &mut coeffs[i]);
        left_nz[y] = eob > 0;
        above_nz[x] = left_nz[y];
        eobs[i] = eob as u8;
    }
    let uvprobs = &probs.coeff[BlockType::Uv as usize];
    for i in 16..24 {
        let plane = if i < 20 { 4 } else { 6 };
        let x = plane + (i & 1);
        let y = plane + ((i >> 1) & 1);
        let ctx = above_nz[x] as usize + left_nz[y] as usize;
        let eob = decode_block_tokens(bd, uvprobs, ctx, 0, dq.uv, &mut coeffs[i]);
        left_nz[y] = eob > 0;
        above_nz[x] = left_nz[y];
        eobs[i] = eob as u8;
    }
    *part = local;
    *left_nz_out = left_nz;
    *above_nz_out = above_nz;
    *eobs_out = eobs;
    // Whether any block had a token, from the positions at the end: an accumulator updated per
    // block lived on the stack (a load, an or and a store per block).
    let words = (
        u128::from_ne_bytes(eobs[..16].try_into().unwrap()),
        u64::from_ne_bytes(eobs[16..24].try_into().unwrap()),
    );
    words.0 != 0 || words.1 != 0 || eobs[24] != 0
}

/// A macroblock without coded residual clears its contexts; the Y2 flags only when it would have
/// had a Y2 block, so a skipped B_PRED/SPLITMV macroblock leaves them to its neighbours.
pub fn vp8_reset_mb_tokens_ctx(left_nz: &mut [bool; 9], above_nz: &mut [bool; 9], mb: &Vp8MbInfo) {
    above_nz[..8].fill(false);
    left_nz[..8].fill(false);
    if mb.ymode.has_y2() {
        above_nz[8] = false;
        left_nz[8] = false;
    }
}

/// The above contexts of a frame, one `[u8; 9]` per macroblock column, zeroed; None if the
/// memory is not available (the C stage's calloc failure).
pub fn alloc_above_nz(mb_cols: usize) -> Option<Vec<[bool; 9]>> {
    let mut v = Vec::new();
    v.try_reserve_exact(mb_cols).ok()?;
    v.resize(mb_cols, [false; 9]);
    Some(v)
}
