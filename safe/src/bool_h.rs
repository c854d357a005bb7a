//! The boolean entropy decoder (RFC 6386 section 7) and tree reader (section 8.1).
//!
//! Header-only because it is the innermost loop of the decoder: every mode, vector and token bit
//! goes through vp8_read_bool. The window is 64 bits wide so refills happen once per ~6 bytes.
//! Reading past the end of the data yields zero bits, which is what libvpx does (an encoder's
//! final bytes may rely on it); `overrun` counts those phantom bytes so callers can tell a frame
//! that ran out of data.
use crate::tables_h::vp8_tree_index;
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Vp8BoolDecoder {
    pub ptr: *const u8,
    pub end: *const u8,
    /// the top 8 bits are compared with the split; bits below are buffered
    pub value: u64,
    /// buffered bits below the top 8
    pub count: i32,
    /// 128..255 between calls
    pub range: u32,
    /// zero bytes fed after the end of the data
    pub overrun: u32,
}
#[inline]
pub unsafe extern "C" fn vp8_bool_fill(bd: *mut Vp8BoolDecoder) {
    let mut loaded: i32 = (*bd).count.wrapping_add(8);
    while loaded <= 56 {
        let mut byte: u64 = 0;
        if (*bd).ptr < (*bd).end {
            byte = *(*bd).ptr as u64;
            (*bd).ptr = (*bd).ptr.add(1);
        } else {
            (*bd).overrun = (*bd).overrun.wrapping_add(1);
        }
        (*bd).value = ((*bd).value as usize
            | byte.wrapping_shl(56i32.wrapping_sub(loaded) as u32) as usize) as u64;
        loaded = loaded.wrapping_add(8);
    }
    (*bd).count = loaded.wrapping_sub(8);
}
#[inline]
pub unsafe extern "C" fn vp8_bool_init(
    bd: *mut Vp8BoolDecoder,
    data: *const u8,
    size: usize,
) {
    (*bd).ptr = data;
    (*bd).end = data.add(size);
    (*bd).value = 0;
    (*bd).count = -8;
    (*bd).range = 255;
    (*bd).overrun = 0;
    vp8_bool_fill(bd);
}
#[inline]
pub unsafe extern "C" fn vp8_read_bool(bd: *mut Vp8BoolDecoder, prob: i32) -> i32 {
    let split: u32 = 1u32
        .wrapping_add((*bd).range.wrapping_sub(1).wrapping_mul(prob as u32) >> 8);
    let bigsplit: u64 = (split as u64) << 56;
    let mut bit: i32 = 0;
    let mut shift: i32 = 0;
    if (*bd).count < 0 {
        vp8_bool_fill(bd);
    }
    if (*bd).value >= bigsplit {
        (*bd).range = (*bd).range.wrapping_sub(split);
        (*bd).value = ((*bd).value as usize).wrapping_sub(bigsplit as usize) as u64;
        bit = 1;
    } else {
        (*bd).range = split;
        bit = 0;
    }
    shift = (core::num::NonZero::<u32>::new_unchecked((*bd).range).leading_zeros()
        as i32)
        .wrapping_sub(24);
    (*bd).range = (*bd).range.wrapping_shl(shift as u32);
    (*bd).value = (*bd).value.wrapping_shl(shift as u32);
    (*bd).count = (*bd).count.wrapping_sub(shift);
    return bit;
}
#[inline]
pub unsafe extern "C" fn vp8_read_bit(bd: *mut Vp8BoolDecoder) -> i32 {
    return vp8_read_bool(bd, 128);
}
/// An n-bit unsigned literal, most significant bit first (RFC 7.3 / 9).
#[inline]
pub unsafe extern "C" fn vp8_read_literal(
    bd: *mut Vp8BoolDecoder,
    mut bits: i32,
) -> i32 {
    let mut v: i32 = 0;
    while bits > 0 {
        v = v << 1 | vp8_read_bit(bd);
        bits = bits.wrapping_sub(1);
    }
    return v;
}
/// A literal of `bits` bits followed by a sign bit: the signed header fields of RFC 9.3 - 9.6.
#[inline]
pub unsafe extern "C" fn vp8_read_signed(bd: *mut Vp8BoolDecoder, bits: i32) -> i32 {
    let v: i32 = vp8_read_literal(bd, bits);
    return if vp8_read_bit(bd) != 0 { v.wrapping_neg() } else { v };
}
/// A flag, then if set a signed literal; 0 if the flag is clear.
#[inline]
pub unsafe extern "C" fn vp8_read_optional_signed(
    bd: *mut Vp8BoolDecoder,
    bits: i32,
) -> i32 {
    return if vp8_read_bit(bd) != 0 { vp8_read_signed(bd, bits) } else { 0 };
}
/// Walk a tree (RFC 8.1): probs[i >> 1] is the probability of the node at tree index i.
#[inline]
pub unsafe extern "C" fn vp8_read_tree(
    bd: *mut Vp8BoolDecoder,
    tree: *const vp8_tree_index,
    probs: *const u8,
) -> i32 {
    let mut i: i32 = 0;
    loop {
        i = *tree
            .offset(
                i
                    .wrapping_add(
                        vp8_read_bool(bd, *probs.offset((i >> 1) as isize) as i32),
                    ) as isize,
            ) as i32;
        if !(i > 0) {
            break;
        }
    }
    return i.wrapping_neg();
}
/// Bits consumed so far beyond the data (the frame was shorter than its entropy-coded content).
#[inline]
pub unsafe extern "C" fn vp8_bool_exhausted(bd: *const Vp8BoolDecoder) -> i32 {
    return ((*bd).overrun.wrapping_mul(8) > (*bd).count.wrapping_add(8) as u32) as i32;
}
