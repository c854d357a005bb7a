//! Inverse transform fallbacks (RFC 6386 section 14): the 4x4 inverse DCT with residual add, its
//! DC-only shortcut, the per-macroblock luma and chroma loops over them, the inverse WHT of the Y2
//! block, and idct_dsp_init which installs them.
//!
//! The fallbacks are safe fns over slices with the signatures of `vp8_asm::safe::idct`'s fn types:
//! `dst` starts at the block's top-left pixel, rows `stride` apart, and coefficient blocks are
//! fixed-size arrays, so a block costs one slice check instead of per-pixel pointer arithmetic.
//!
//!
//! Bit-exactness notes: the RFC stores the intermediate (after the first pass) and the output of
//! both transforms in 16-bit signed arrays, so the results of each pass are narrowed to i16,
//! wrapping on overflow, exactly as the reference does; out-of-spec streams with extreme
//! coefficients depend on it. Right shifts of negative values are arithmetic (floor), which the
//! reference relies on as well. No sum here can overflow i32 (inputs are i16), so plain operators
//! are exact.
use crate::idct_h::Vp8IdctDsp;
use crate::x86::idct_init::idct_dsp_init_x86;
use vp8_asm::safe::{CpuTokens, Slot};

pub const COSPI8SQRT2MINUS1: i32 = 20091;
pub const SINPI8SQRT2: i32 = 35468;

#[inline(always)]
fn mul_cos(x: i32) -> i32 {
    x + ((x * COSPI8SQRT2MINUS1) >> 16)
}

#[inline(always)]
fn mul_sin(x: i32) -> i32 {
    (x * SINPI8SQRT2) >> 16
}

/// Adds a 4x4 residual to the prediction at the start of `dst`: per row, one 4-lane add-and-clamp
/// loop over a `&mut [u8; 4]`, which LLVM vectorizes (one slice check per row, none inside). The
/// C copies the rows into a 16-byte local for one 16-lane loop; in Rust that local is split into
/// scalars before the vectorizer runs, and the loop stays scalar. A residual beyond +-255 clamps
/// the pixel either way; limiting it first keeps the sum inside i16 for any coefficients.
#[inline(always)]
fn add_residual(dst: &mut [u8], stride: usize, res: &[i16; 16]) {
    let dst = &mut dst[..3 * stride + 4];
    for (r, res_row) in res.chunks_exact(4).enumerate() {
        let row: &mut [u8; 4] = (&mut dst[r * stride..r * stride + 4]).try_into().unwrap();
        for x in 0..4 {
            let v = row[x] as i16 + res_row[x].clamp(-255, 255);
            row[x] = v.clamp(0, 255) as u8;
        }
    }
}

/// `IdctAddFn`: the full inverse DCT of `block` added to the 4x4 pixels at `dst`; zeroes `block`.
pub fn idct_add_c(dst: &mut [u8], stride: usize, block: &mut [i16; 16]) {
    let mut tmp = [0i16; 16];
    let mut out = [0i16; 16];
    for i in 0..4 {
        let a = block[i] as i32 + block[8 + i] as i32;
        let b = block[i] as i32 - block[8 + i] as i32;
        let c = mul_sin(block[4 + i] as i32) - mul_cos(block[12 + i] as i32);
        let d = mul_cos(block[4 + i] as i32) + mul_sin(block[12 + i] as i32);
        tmp[i] = (a + d) as i16;
        tmp[4 + i] = (b + c) as i16;
        tmp[8 + i] = (b - c) as i16;
        tmp[12 + i] = (a - d) as i16;
    }
    for (row, o) in tmp.chunks_exact(4).zip(out.chunks_exact_mut(4)) {
        let a = row[0] as i32 + row[2] as i32;
        let b = row[0] as i32 - row[2] as i32;
        let c = mul_sin(row[1] as i32) - mul_cos(row[3] as i32);
        let d = mul_cos(row[1] as i32) + mul_sin(row[3] as i32);
        o[0] = ((a + d + 4) >> 3) as i16;
        o[1] = ((b + c + 4) >> 3) as i16;
        o[2] = ((b - c + 4) >> 3) as i16;
        o[3] = ((a - d + 4) >> 3) as i16;
    }
    add_residual(dst, stride, &out);
    *block = [0; 16];
}

/// `IdctDcAddFn`: with only the DC non-zero, both passes reduce to copying it, so every output is
/// (dc + 4) >> 3.
pub fn idct_dc_add_c(dst: &mut [u8], stride: usize, block: &mut [i16; 16]) {
    let dc = ((block[0] as i32 + 4) >> 3) as i16;
    add_residual(dst, stride, &[dc; 16]);
    block[0] = 0;
}

/// eob <= 1 means at most the DC was coded (or set by the WHT), so the cheap form is exact.
#[inline(always)]
fn idct_add_by_eob(dst: &mut [u8], stride: usize, block: &mut [i16; 16], eob: u8) {
    if eob > 1 {
        idct_add_c(dst, stride, block);
    } else if block[0] != 0 {
        idct_dc_add_c(dst, stride, block);
    }
}

/// `IdctAddYFn`: the 16 luma blocks of a macroblock, raster order, onto the 16x16 pixels at `dst`.
pub fn idct_add_y_c(dst: &mut [u8], stride: usize, blocks: &mut [[i16; 16]; 16], eobs: &[u8; 16]) {
    let dst = &mut dst[..15 * stride + 16];
    for (i, (block, &eob)) in blocks.iter_mut().zip(eobs.iter()).enumerate() {
        let at = i / 4 * 4 * stride + i % 4 * 4;
        idct_add_by_eob(&mut dst[at..], stride, block, eob);
    }
}

/// `IdctAddUvFn`: blocks 0..4 onto the 8x8 pixels at `dst_u`, blocks 4..8 onto those at `dst_v`.
pub fn idct_add_uv_c(
    dst_u: &mut [u8],
    dst_v: &mut [u8],
    stride: usize,
    blocks: &mut [[i16; 16]; 8],
    eobs: &[u8; 8],
) {
    let (u_blocks, v_blocks) = blocks.split_at_mut(4);
    for i in 0..4 {
        let at = i / 2 * 4 * stride + i % 2 * 4;
        idct_add_by_eob(&mut dst_u[at..], stride, &mut u_blocks[i], eobs[i]);
        idct_add_by_eob(&mut dst_v[at..], stride, &mut v_blocks[i], eobs[4 + i]);
    }
}

/// `IwhtFn`: the inverse WHT of `y2` into the DC of each luma block; zeroes `y2`.
pub fn iwht_c(blocks: &mut [[i16; 16]; 16], y2: &mut [i16; 16]) {
    let mut tmp = [0i16; 16];
    let mut out = [0i16; 16];
    for i in 0..4 {
        let a = y2[i] as i32 + y2[12 + i] as i32;
        let b = y2[4 + i] as i32 + y2[8 + i] as i32;
        let c = y2[4 + i] as i32 - y2[8 + i] as i32;
        let d = y2[i] as i32 - y2[12 + i] as i32;
        tmp[i] = (a + b) as i16;
        tmp[4 + i] = (c + d) as i16;
        tmp[8 + i] = (a - b) as i16;
        tmp[12 + i] = (d - c) as i16;
    }
    for (row, o) in tmp.chunks_exact(4).zip(out.chunks_exact_mut(4)) {
        let a = row[0] as i32 + row[3] as i32;
        let b = row[1] as i32 + row[2] as i32;
        let c = row[1] as i32 - row[2] as i32;
        let d = row[0] as i32 - row[3] as i32;
        o[0] = ((a + b + 3) >> 3) as i16;
        o[1] = ((c + d + 3) >> 3) as i16;
        o[2] = ((a - b + 3) >> 3) as i16;
        o[3] = ((d - c + 3) >> 3) as i16;
    }
    *y2 = [0; 16];
    for (block, &dc) in blocks.iter_mut().zip(out.iter()) {
        block[0] = dc;
    }
}

/// `IwhtFn` for the iwht_dc slot: only y2\[0\] non-zero, so both passes just spread it, leaving
/// (y2\[0\] + 3) >> 3 everywhere.
pub fn iwht_dc_c(blocks: &mut [[i16; 16]; 16], y2: &mut [i16; 16]) {
    let dc = ((y2[0] as i32 + 3) >> 3) as i16;
    y2[0] = 0;
    for block in blocks.iter_mut() {
        block[0] = dc;
    }
}

/// The idct table: the Rust fallbacks, then the asm kernels the CPU tokens allow.
pub fn idct_dsp_init(cpu: CpuTokens) -> Vp8IdctDsp {
    let mut dsp = Vp8IdctDsp {
        idct_add: Slot::Rust(idct_add_c),
        idct_dc_add: Slot::Rust(idct_dc_add_c),
        idct_add_y: Slot::Rust(idct_add_y_c),
        idct_add_uv: Slot::Rust(idct_add_uv_c),
        iwht: Slot::Rust(iwht_c),
        iwht_dc: Slot::Rust(iwht_dc_c),
    };
    idct_dsp_init_x86(&mut dsp, cpu);
    dsp
}
