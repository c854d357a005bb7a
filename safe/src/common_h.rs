//! Small arithmetic helpers shared by every module of the decoder: clamps and min/max on `i32`.
//!
//! Step 1 of the safe port made them plain safe functions (the transpiled copy had them as
//! C-ABI functions that callers could only reach from raw-pointer code, although they touch no
//! memory).

/// `v` limited to `lo..=hi` (`lo <= hi` is the caller's promise, as in the C macro).
#[inline]
pub fn vp8_clamp_int(v: i32, lo: i32, hi: i32) -> i32 {
    if v < lo {
        lo
    } else if v > hi {
        hi
    } else {
        v
    }
}

/// Clamp to 0..255 without branches: residual adds near black or white clamp at random on
/// detailed content, and a compare-and-branch would mispredict there.
#[inline]
pub fn vp8_clip_pixel(v: i32) -> u8 {
    let v = v & !(v >> 31);
    (v | (255i32.wrapping_sub(v) >> 31)) as u8
}

#[inline]
pub fn vp8_imin(a: i32, b: i32) -> i32 {
    a.min(b)
}

#[inline]
pub fn vp8_imax(a: i32, b: i32) -> i32 {
    a.max(b)
}
