//! Inverse transform C fallbacks (RFC 6386 section 14): the 4x4 inverse DCT with residual add,
//! its DC-only shortcut, the per-macroblock luma and chroma loops over them, the inverse WHT of
//! the Y2 block, and vp8_idct_dsp_init which installs them.
//!
//! Bit-exactness notes: the RFC stores the intermediate (after the first pass) and the output of
//! both transforms in 16-bit signed arrays, so the results of each pass are narrowed to int16_t,
//! wrapping on overflow, exactly as the reference does; out-of-spec streams with extreme
//! coefficients depend on it. Right shifts of negative values are arithmetic (floor), which the
//! reference relies on as well.
use crate::idct_h::{
    Vp8IdctDsp, vp8_idct_add_fn, vp8_idct_add_uv_fn, vp8_idct_add_y_fn,
    vp8_idct_dc_add_fn, vp8_iwht_fn,
};
use crate::x86::idct_init::vp8_idct_dsp_init_x86;
pub const COSPI8SQRT2MINUS1: i32 = 20091;
pub const SINPI8SQRT2: i32 = 35468;
unsafe extern "C" fn mul_cos(x: i32) -> i32 {
    return x.wrapping_add(x.wrapping_mul(COSPI8SQRT2MINUS1) >> 16);
}
unsafe extern "C" fn mul_sin(x: i32) -> i32 {
    return x.wrapping_mul(SINPI8SQRT2) >> 16;
}
/// Add a 4x4 residual to the prediction in dst. The pixels go through a 16-byte local copy so the
/// add-and-clamp is one straight loop over 16 int16_t lanes, which gcc and clang vectorize at -O2.
/// A residual beyond +-255 clamps the pixel either way; limiting it first keeps the sum inside
/// int16_t for any coefficients a stream can produce.
#[inline(always)]
unsafe extern "C" fn add_residual(dst: *mut u8, stride: isize, res: *const i16) {
    let mut px: [u8; 16] = [0; 16];
    core::ptr::copy_nonoverlapping(dst, px.as_mut_ptr(), 4);
    core::ptr::copy_nonoverlapping(dst.offset(stride), px.as_mut_ptr().add(4), 4);
    core::ptr::copy_nonoverlapping(
        dst.offset(2isize.wrapping_mul(stride)),
        px.as_mut_ptr().add(8),
        4,
    );
    core::ptr::copy_nonoverlapping(
        dst.offset(3isize.wrapping_mul(stride)),
        px.as_mut_ptr().add(12),
        4,
    );
    for i in 0i32..16 {
        let r: i16 = (if (*res.add(i as usize) as i32) < -255 {
            -255
        } else if *res.add(i as usize) as i32 > 255 {
            255
        } else {
            *res.add(i as usize) as i32
        }) as i16;
        let v: i16 = (px[i as usize] as i32 + r as i32) as i16;
        px[i as usize] = (if (v as i32) < 0 {
            0
        } else if v as i32 > 255 {
            255
        } else {
            v as i32
        }) as u8;
    }
    core::ptr::copy_nonoverlapping(px.as_mut_ptr(), dst, 4);
    core::ptr::copy_nonoverlapping(px.as_mut_ptr().add(4), dst.offset(stride), 4);
    core::ptr::copy_nonoverlapping(
        px.as_mut_ptr().add(8),
        dst.offset(2isize.wrapping_mul(stride)),
        4,
    );
    core::ptr::copy_nonoverlapping(
        px.as_mut_ptr().add(12),
        dst.offset(3isize.wrapping_mul(stride)),
        4,
    );
}
pub unsafe extern "C" fn vp8_idct_add_c(dst: *mut u8, stride: isize, block: *mut i16) {
    let mut tmp: [i16; 16] = [0; 16];
    let mut out: [i16; 16] = [0; 16];
    for i in 0i32..4 {
        let a: i32 = *block.add(i as usize) as i32 + *block.add((8 + i) as usize) as i32;
        let b: i32 = *block.add(i as usize) as i32 - *block.add((8 + i) as usize) as i32;
        let c: i32 = mul_sin(*block.add((4 + i) as usize) as i32)
            .wrapping_sub(mul_cos(*block.add((12 + i) as usize) as i32));
        let d: i32 = mul_cos(*block.add((4 + i) as usize) as i32)
            .wrapping_add(mul_sin(*block.add((12 + i) as usize) as i32));
        tmp[i as usize] = a.wrapping_add(d) as i16;
        tmp[(4 + i) as usize] = b.wrapping_add(c) as i16;
        tmp[(8 + i) as usize] = b.wrapping_sub(c) as i16;
        tmp[(12 + i) as usize] = a.wrapping_sub(d) as i16;
    }
    for i in 0i32..4 {
        let row: *const i16 = tmp.as_mut_ptr().add((4 * i) as usize) as *const i16;
        let a: i32 = *row as i32 + *row.add(2) as i32;
        let b: i32 = *row as i32 - *row.add(2) as i32;
        let c: i32 = mul_sin(*row.add(1) as i32)
            .wrapping_sub(mul_cos(*row.add(3) as i32));
        let d: i32 = mul_cos(*row.add(1) as i32)
            .wrapping_add(mul_sin(*row.add(3) as i32));
        out[(4 * i) as usize] = (a.wrapping_add(d).wrapping_add(4) >> 3) as i16;
        out[(4 * i + 1) as usize] = (b.wrapping_add(c).wrapping_add(4) >> 3) as i16;
        out[(4 * i + 2) as usize] = (b.wrapping_sub(c).wrapping_add(4) >> 3) as i16;
        out[(4 * i + 3) as usize] = (a.wrapping_sub(d).wrapping_add(4) >> 3) as i16;
    }
    add_residual(dst, stride, out.as_mut_ptr() as *const i16);
    core::ptr::write_bytes(
        block as *mut u8,
        0,
        16usize.wrapping_mul(core::mem::size_of::<i16>()),
    );
}
/// With only the DC non-zero, both passes reduce to copying it, so every output is (dc + 4) >> 3.
pub unsafe extern "C" fn vp8_idct_dc_add_c(
    dst: *mut u8,
    stride: isize,
    block: *mut i16,
) {
    let mut res: [i16; 16] = [0; 16];
    let dc: i16 = (*block as i32 + 4 >> 3) as i16;
    for i in 0i32..16 {
        res[i as usize] = dc;
    }
    add_residual(dst, stride, res.as_mut_ptr() as *const i16);
    *block = 0;
}
/// eob <= 1 means at most the DC was coded (or set by the WHT), so the cheap form is exact.
unsafe extern "C" fn idct_add_by_eob(
    dst: *mut u8,
    stride: isize,
    block: *mut i16,
    eob: u8,
) {
    if eob as i32 > 1 {
        vp8_idct_add_c(dst, stride, block);
    } else if *block as i32 != 0 {
        vp8_idct_dc_add_c(dst, stride, block);
    }
}
pub unsafe extern "C" fn vp8_idct_add_y_c(
    dst: *mut u8,
    stride: isize,
    blocks: *mut [i16; 16],
    eobs: *const u8,
) {
    for i in 0i32..16 {
        let block_dst: *mut u8 = dst
            .offset(((i / 4 * 4) as isize).wrapping_mul(stride))
            .add((i % 4 * 4) as usize);
        idct_add_by_eob(
            block_dst,
            stride,
            (*blocks.add(i as usize)).as_mut_ptr(),
            *eobs.add(i as usize),
        );
    }
}
pub unsafe extern "C" fn vp8_idct_add_uv_c(
    dst_u: *mut u8,
    dst_v: *mut u8,
    stride: isize,
    blocks: *mut [i16; 16],
    eobs: *const u8,
) {
    for i in 0i32..4 {
        let offset: isize = ((i / 2 * 4) as isize)
            .wrapping_mul(stride)
            .wrapping_add((i % 2 * 4) as isize);
        idct_add_by_eob(
            dst_u.offset(offset),
            stride,
            (*blocks.add(i as usize)).as_mut_ptr(),
            *eobs.add(i as usize),
        );
        idct_add_by_eob(
            dst_v.offset(offset),
            stride,
            (*blocks.add((4 + i) as usize)).as_mut_ptr(),
            *eobs.add((4 + i) as usize),
        );
    }
}
pub unsafe extern "C" fn vp8_iwht_c(blocks: *mut [i16; 16], y2: *mut i16) {
    let mut tmp: [i16; 16] = [0; 16];
    let mut out: [i16; 16] = [0; 16];
    for i in 0i32..4 {
        let a: i32 = *y2.add(i as usize) as i32 + *y2.add((12 + i) as usize) as i32;
        let b: i32 = *y2.add((4 + i) as usize) as i32 + *y2.add((8 + i) as usize) as i32;
        let c: i32 = *y2.add((4 + i) as usize) as i32 - *y2.add((8 + i) as usize) as i32;
        let d: i32 = *y2.add(i as usize) as i32 - *y2.add((12 + i) as usize) as i32;
        tmp[i as usize] = a.wrapping_add(b) as i16;
        tmp[(4 + i) as usize] = c.wrapping_add(d) as i16;
        tmp[(8 + i) as usize] = a.wrapping_sub(b) as i16;
        tmp[(12 + i) as usize] = d.wrapping_sub(c) as i16;
    }
    for i in 0i32..4 {
        let row: *const i16 = tmp.as_mut_ptr().add((4 * i) as usize) as *const i16;
        let a: i32 = *row as i32 + *row.add(3) as i32;
        let b: i32 = *row.add(1) as i32 + *row.add(2) as i32;
        let c: i32 = *row.add(1) as i32 - *row.add(2) as i32;
        let d: i32 = *row as i32 - *row.add(3) as i32;
        out[(4 * i) as usize] = (a.wrapping_add(b).wrapping_add(3) >> 3) as i16;
        out[(4 * i + 1) as usize] = (c.wrapping_add(d).wrapping_add(3) >> 3) as i16;
        out[(4 * i + 2) as usize] = (a.wrapping_sub(b).wrapping_add(3) >> 3) as i16;
        out[(4 * i + 3) as usize] = (d.wrapping_sub(c).wrapping_add(3) >> 3) as i16;
    }
    core::ptr::write_bytes(
        y2 as *mut u8,
        0,
        16usize.wrapping_mul(core::mem::size_of::<i16>()),
    );
    for i in 0i32..16 {
        (*blocks.add(i as usize))[0] = out[i as usize];
    }
}
/// Only y2[0] non-zero: both passes just spread it, leaving (y2[0] + 3) >> 3 everywhere.
pub unsafe extern "C" fn vp8_iwht_dc_c(blocks: *mut [i16; 16], y2: *mut i16) {
    let dc: i16 = (*y2 as i32 + 3 >> 3) as i16;
    *y2 = 0;
    for i in 0i32..16 {
        (*blocks.add(i as usize))[0] = dc;
    }
}
pub unsafe extern "C" fn vp8_idct_dsp_init(dsp: *mut Vp8IdctDsp, cpu_flags: u32) {
    (*dsp).idct_add = Some(vp8_idct_add_c);
    (*dsp).idct_dc_add = Some(vp8_idct_dc_add_c);
    (*dsp).idct_add_y = Some(vp8_idct_add_y_c);
    (*dsp).idct_add_uv = Some(vp8_idct_add_uv_c);
    (*dsp).iwht = Some(vp8_iwht_c);
    (*dsp).iwht_dc = Some(vp8_iwht_dc_c);
    vp8_idct_dsp_init_x86(dsp, cpu_flags);
}
