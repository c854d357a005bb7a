//! Small helpers shared by every C file of the decoder: fixed-width types, clamps, alignment.
//! Kept header-only so each domain file stays self-contained for the transpiler.
#[inline]
pub unsafe extern "C" fn vp8_clamp_int(v: i32, lo: i32, hi: i32) -> i32 {
    return if v < lo { lo } else if v > hi { hi } else { v };
}
/// Clamp to 0..255 without branches: residual adds near black or white clamp at random on detailed
/// content, and as compare-and-branch (which -O2 emits for the ternary form) they mispredict.
/// Relies on >> of a negative int being arithmetic, as every supported compiler defines it.
#[inline]
pub unsafe extern "C" fn vp8_clip_pixel(mut v: i32) -> u8 {
    v &= !(v >> 31);
    return (v | 255i32.wrapping_sub(v) >> 31) as u8;
}
#[inline]
pub unsafe extern "C" fn vp8_imin(a: i32, b: i32) -> i32 {
    return if a < b { a } else { b };
}
#[inline]
pub unsafe extern "C" fn vp8_imax(a: i32, b: i32) -> i32 {
    return if a > b { a } else { b };
}
