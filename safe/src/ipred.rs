//! Intra prediction fallbacks (RFC 6386 sections 12.2 and 12.3): the 16x16 luma and 8x8 chroma
//! whole-block modes, the ten 4x4 subblock modes, and ipred_dsp_init which installs them.
//!
//! Every predictor writes in place and reads its edges from the same buffer (see ipred_h.rs), so
//! each is a safe fn over the whole buffer and the index `pos` of the block's top-left pixel, with
//! the signatures of `vp8_asm::safe::ipred`'s fn types, and reads exactly the window documented
//! there (one slice of it per block: above row, left column, rows). The four above-right pixels of
//! a 4x4 block come by value.
use crate::ipred_h::{BMode, Ipred4Fn, IpredFn, IpredMode, Vp8IpredDsp};
use crate::x86::ipred_init::ipred_dsp_init_x86;
use vp8_asm::safe::{CpuTokens, Slot};

/// The `N` rows of the block at `pos`, each `N` pixels wide.
#[inline(always)]
fn block_rows<const N: usize>(
    buf: &mut [u8],
    pos: usize,
    stride: usize,
) -> impl Iterator<Item = &mut [u8]> {
    buf[pos..pos + (N - 1) * stride + N]
        .chunks_mut(stride)
        .map(|row| &mut row[..N])
}

/// The `N` rows of the block at `pos` with the left-column pixel in front: `row[0]` is the left
/// edge, `row[1..=N]` the block.
#[inline(always)]
fn rows_with_left<const N: usize>(
    buf: &mut [u8],
    pos: usize,
    stride: usize,
) -> impl Iterator<Item = &mut [u8]> {
    buf[pos - 1..pos + (N - 1) * stride + N]
        .chunks_mut(stride)
        .map(|row| &mut row[..N + 1])
}

#[inline(always)]
fn above<const N: usize>(buf: &[u8], pos: usize, stride: usize) -> [u8; N] {
    let mut a = [0u8; N];
    a.copy_from_slice(&buf[pos - stride..pos - stride + N]);
    a
}

#[inline(always)]
fn sum_above<const N: usize>(buf: &[u8], pos: usize, stride: usize) -> u32 {
    buf[pos - stride..pos - stride + N]
        .iter()
        .map(|&p| p as u32)
        .sum()
}

#[inline(always)]
fn sum_left<const N: usize>(buf: &[u8], pos: usize, stride: usize) -> u32 {
    buf[pos - 1..pos + (N - 1) * stride]
        .iter()
        .step_by(stride)
        .map(|&p| p as u32)
        .sum()
}

#[inline(always)]
fn fill_block<const N: usize>(buf: &mut [u8], pos: usize, stride: usize, value: u8) {
    for row in block_rows::<N>(buf, pos, stride) {
        row.fill(value);
    }
}

/// log2(N), for the DC averages' shifts.
#[inline(always)]
const fn log2<const N: usize>() -> u32 {
    N.trailing_zeros()
}

#[inline(always)]
fn pred_dc<const N: usize>(buf: &mut [u8], pos: usize, stride: usize) {
    let sum = sum_above::<N>(buf, pos, stride) + sum_left::<N>(buf, pos, stride);
    fill_block::<N>(
        buf,
        pos,
        stride,
        ((sum + N as u32) >> (log2::<N>() + 1)) as u8,
    );
}

#[inline(always)]
fn pred_dc_top<const N: usize>(buf: &mut [u8], pos: usize, stride: usize) {
    let sum = sum_above::<N>(buf, pos, stride);
    fill_block::<N>(
        buf,
        pos,
        stride,
        ((sum + N as u32 / 2) >> log2::<N>()) as u8,
    );
}

#[inline(always)]
fn pred_dc_left<const N: usize>(buf: &mut [u8], pos: usize, stride: usize) {
    let sum = sum_left::<N>(buf, pos, stride);
    fill_block::<N>(
        buf,
        pos,
        stride,
        ((sum + N as u32 / 2) >> log2::<N>()) as u8,
    );
}

#[inline(always)]
fn pred_v<const N: usize>(buf: &mut [u8], pos: usize, stride: usize) {
    let a = above::<N>(buf, pos, stride);
    for row in block_rows::<N>(buf, pos, stride) {
        row.copy_from_slice(&a);
    }
}

#[inline(always)]
fn pred_h<const N: usize>(buf: &mut [u8], pos: usize, stride: usize) {
    for row in rows_with_left::<N>(buf, pos, stride) {
        let (left, px) = row.split_at_mut(1);
        px.fill(left[0]);
    }
}

/// Clamp to 0..=255.
#[inline(always)]
fn clip_pixel(v: i32) -> u8 {
    v.clamp(0, 255) as u8
}

#[inline(always)]
fn pred_tm<const N: usize>(buf: &mut [u8], pos: usize, stride: usize) {
    let a = above::<N>(buf, pos, stride);
    let above_left = buf[pos - stride - 1] as i32;
    for row in rows_with_left::<N>(buf, pos, stride) {
        let (left, px) = row.split_at_mut(1);
        let base = left[0] as i32 - above_left;
        for (p, &t) in px.iter_mut().zip(a.iter()) {
            *p = clip_pixel(base + t as i32);
        }
    }
}

pub fn pred16x16_dc_c(buf: &mut [u8], pos: usize, stride: usize) {
    pred_dc::<16>(buf, pos, stride);
}
pub fn pred16x16_v_c(buf: &mut [u8], pos: usize, stride: usize) {
    pred_v::<16>(buf, pos, stride);
}
pub fn pred16x16_h_c(buf: &mut [u8], pos: usize, stride: usize) {
    pred_h::<16>(buf, pos, stride);
}
pub fn pred16x16_tm_c(buf: &mut [u8], pos: usize, stride: usize) {
    pred_tm::<16>(buf, pos, stride);
}
pub fn pred16x16_dc_left_c(buf: &mut [u8], pos: usize, stride: usize) {
    pred_dc_left::<16>(buf, pos, stride);
}
pub fn pred16x16_dc_top_c(buf: &mut [u8], pos: usize, stride: usize) {
    pred_dc_top::<16>(buf, pos, stride);
}
pub fn pred16x16_dc_128_c(buf: &mut [u8], pos: usize, stride: usize) {
    fill_block::<16>(buf, pos, stride, 128);
}
pub fn pred8x8_dc_c(buf: &mut [u8], pos: usize, stride: usize) {
    pred_dc::<8>(buf, pos, stride);
}
pub fn pred8x8_v_c(buf: &mut [u8], pos: usize, stride: usize) {
    pred_v::<8>(buf, pos, stride);
}
pub fn pred8x8_h_c(buf: &mut [u8], pos: usize, stride: usize) {
    pred_h::<8>(buf, pos, stride);
}
pub fn pred8x8_tm_c(buf: &mut [u8], pos: usize, stride: usize) {
    pred_tm::<8>(buf, pos, stride);
}
pub fn pred8x8_dc_left_c(buf: &mut [u8], pos: usize, stride: usize) {
    pred_dc_left::<8>(buf, pos, stride);
}
pub fn pred8x8_dc_top_c(buf: &mut [u8], pos: usize, stride: usize) {
    pred_dc_top::<8>(buf, pos, stride);
}
pub fn pred8x8_dc_128_c(buf: &mut [u8], pos: usize, stride: usize) {
    fill_block::<8>(buf, pos, stride, 128);
}

/// The 4x4 edge, in one array so the diagonal modes can walk it: e[0..4] the left column bottom
/// to top (L\[3\]..L\[0\]), e\[EDGE4_P\] the above-left pixel P, e\[EDGE4_A..EDGE4_A + 8\] the above row
/// and the four above-right pixels (A\[0\]..A\[7\]).
pub const EDGE4_LEN: usize = 13;
pub const EDGE4_P: usize = 4;
pub const EDGE4_A: usize = 5;

#[inline(always)]
fn load_edge4(buf: &[u8], pos: usize, stride: usize, topright: [u8; 4]) -> [u8; EDGE4_LEN] {
    let mut e = [0u8; EDGE4_LEN];
    let win = &buf[pos - stride - 1..pos + 3 * stride];
    e[EDGE4_P..EDGE4_A + 4].copy_from_slice(&win[..5]);
    for (i, &l) in win[stride..].iter().step_by(stride).enumerate() {
        e[3 - i] = l;
    }
    e[EDGE4_A + 4..].copy_from_slice(&topright);
    e
}

/// Writes the 4x4 block at `pos` from `f(y, x)`.
#[inline(always)]
fn put4(buf: &mut [u8], pos: usize, stride: usize, f: impl Fn(usize, usize) -> u8) {
    for (y, row) in block_rows::<4>(buf, pos, stride).enumerate() {
        for (x, p) in row.iter_mut().enumerate() {
            *p = f(y, x);
        }
    }
}

#[inline(always)]
fn avg2(x: u8, y: u8) -> u8 {
    ((x as u32 + y as u32 + 1) >> 1) as u8
}

#[inline(always)]
fn avg3(x: u8, y: u8, z: u8) -> u8 {
    ((x as u32 + 2 * y as u32 + z as u32 + 2) >> 2) as u8
}

/// Smoothed edge pixel centred on e[i].
#[inline(always)]
fn avg3_at(e: &[u8; EDGE4_LEN], i: usize) -> u8 {
    avg3(e[i - 1], e[i], e[i + 1])
}

/// Synthetic edge pixel half-way between e[i] and e[i + 1].
#[inline(always)]
fn avg2_at(e: &[u8; EDGE4_LEN], i: usize) -> u8 {
    avg2(e[i], e[i + 1])
}

pub fn pred4x4_dc_c(buf: &mut [u8], pos: usize, stride: usize, _topright: [u8; 4]) {
    pred_dc::<4>(buf, pos, stride);
}

pub fn pred4x4_tm_c(buf: &mut [u8], pos: usize, stride: usize, _topright: [u8; 4]) {
    pred_tm::<4>(buf, pos, stride);
}

/// Unlike the 16x16 V mode, the copied row is smoothed, which pulls in P and A\[4\].
pub fn pred4x4_ve_c(buf: &mut [u8], pos: usize, stride: usize, topright: [u8; 4]) {
    let e = load_edge4(buf, pos, stride, topright);
    put4(buf, pos, stride, |_, x| avg3_at(&e, EDGE4_A + x));
}

/// Smoothed left column; there is no L\[4\], so the bottom row repeats L\[3\] in its place.
pub fn pred4x4_he_c(buf: &mut [u8], pos: usize, stride: usize, topright: [u8; 4]) {
    let e = load_edge4(buf, pos, stride, topright);
    put4(buf, pos, stride, |y, _| {
        if y < 3 {
            avg3_at(&e, 3 - y)
        } else {
            avg3(e[1], e[0], e[0])
        }
    });
}

/// Down-left diagonals: pixel (y, x) takes the above row smoothed around A\[x + y + 1\]; A\[8\]
/// does not exist, so the last diagonal repeats A\[7\].
pub fn pred4x4_ld_c(buf: &mut [u8], pos: usize, stride: usize, topright: [u8; 4]) {
    let e = load_edge4(buf, pos, stride, topright);
    let a = &e[EDGE4_A..];
    put4(buf, pos, stride, |y, x| {
        let d = x + y;
        avg3(a[d], a[d + 1], a[(d + 2).min(7)])
    });
}

/// Down-right diagonals: every diagonal continues to the edge through P, which sits at e\[4\]
/// when x == y, one step along the edge per step off the main diagonal.
pub fn pred4x4_rd_c(buf: &mut [u8], pos: usize, stride: usize, topright: [u8; 4]) {
    let e = load_edge4(buf, pos, stride, topright);
    put4(buf, pos, stride, |y, x| avg3_at(&e, EDGE4_P + x - y));
}

/// Vertical-right: lines of slope 2 (two rows down per column right). With z = 2x - y, even z
/// meets the above row half-way between two pixels (avg2), odd z >= -1 meets it on a pixel
/// (avg3). The two lowest-left pixels (z = -2, -3) hit the left column instead.
pub fn pred4x4_vr_c(buf: &mut [u8], pos: usize, stride: usize, topright: [u8; 4]) {
    let e = load_edge4(buf, pos, stride, topright);
    put4(buf, pos, stride, |y, x| {
        let z = 2 * x as isize - y as isize;
        let p = EDGE4_P as isize;
        if z < -1 {
            avg3_at(&e, (p + 1 + z) as usize)
        } else if z % 2 == 0 {
            avg2_at(&e, (p + z / 2) as usize)
        } else {
            avg3_at(&e, (p + (z + 1) / 2) as usize)
        }
    });
}

/// Vertical-left: lines of slope -2 using only the above row. Even rows take the half-pixel
/// between A\[i\] and A\[i + 1\], odd rows the pixel A\[i + 1\], with i = x + y / 2. The two
/// bottom-right pixels do not follow the pattern (RFC 12.3) and are special-cased.
pub fn pred4x4_vl_c(buf: &mut [u8], pos: usize, stride: usize, topright: [u8; 4]) {
    let e = load_edge4(buf, pos, stride, topright);
    let a = &e[EDGE4_A..];
    put4(buf, pos, stride, |y, x| {
        let i = x + y / 2;
        if y == 2 && x == 3 {
            avg3(a[4], a[5], a[6])
        } else if y == 3 && x == 3 {
            avg3(a[5], a[6], a[7])
        } else if y % 2 == 0 {
            avg2(a[i], a[i + 1])
        } else {
            avg3(a[i], a[i + 1], a[i + 2])
        }
    });
}

/// Horizontal-down: the transpose of vertical-right, walking the edge the other way from P.
/// With z = 2y - x, even z takes the half-pixel between two left pixels, odd z >= -1 a
/// left pixel (or P), and the two top-right pixels (z = -2, -3) hit the above row.
pub fn pred4x4_hd_c(buf: &mut [u8], pos: usize, stride: usize, topright: [u8; 4]) {
    let e = load_edge4(buf, pos, stride, topright);
    put4(buf, pos, stride, |y, x| {
        let z = 2 * y as isize - x as isize;
        let p = EDGE4_P as isize;
        if z < -1 {
            avg3_at(&e, (p - 1 - z) as usize)
        } else if z % 2 == 0 {
            avg2_at(&e, (p - 1 - z / 2) as usize)
        } else {
            avg3_at(&e, (p - (z + 1) / 2) as usize)
        }
    });
}

/// Horizontal-up: lines of slope -1/2 using only the left column, z = 2y + x. Past the bottom of
/// the column there are no pixels, so indices clamp to L\[3\]; that makes the pattern degrade to
/// avg3(L\[2\], L\[3\], L\[3\]) and then plain L\[3\], as the RFC specifies.
pub fn pred4x4_hu_c(buf: &mut [u8], pos: usize, stride: usize, topright: [u8; 4]) {
    let e = load_edge4(buf, pos, stride, topright);
    let left = [e[3], e[2], e[1], e[0]];
    put4(buf, pos, stride, |y, x| {
        let z = 2 * y + x;
        let i = z / 2;
        let l = |k: usize| left[k.min(3)];
        if z % 2 == 0 {
            avg2(l(i), l(i + 1))
        } else {
            avg3(l(i), l(i + 1), l(i + 2))
        }
    });
}

/// The ipred table: the Rust fallbacks, then the asm kernels the CPU tokens allow.
pub fn ipred_dsp_init(cpu: CpuTokens) -> Vp8IpredDsp {
    let mut pred16x16: [IpredFn; 7] = [pred16x16_dc_c; 7];
    pred16x16[IpredMode::V as usize] = pred16x16_v_c;
    pred16x16[IpredMode::H as usize] = pred16x16_h_c;
    pred16x16[IpredMode::Tm as usize] = pred16x16_tm_c;
    pred16x16[IpredMode::DcLeft as usize] = pred16x16_dc_left_c;
    pred16x16[IpredMode::DcTop as usize] = pred16x16_dc_top_c;
    pred16x16[IpredMode::Dc128 as usize] = pred16x16_dc_128_c;
    let mut pred8x8: [IpredFn; 7] = [pred8x8_dc_c; 7];
    pred8x8[IpredMode::V as usize] = pred8x8_v_c;
    pred8x8[IpredMode::H as usize] = pred8x8_h_c;
    pred8x8[IpredMode::Tm as usize] = pred8x8_tm_c;
    pred8x8[IpredMode::DcLeft as usize] = pred8x8_dc_left_c;
    pred8x8[IpredMode::DcTop as usize] = pred8x8_dc_top_c;
    pred8x8[IpredMode::Dc128 as usize] = pred8x8_dc_128_c;
    let mut pred4x4: [Ipred4Fn; 10] = [pred4x4_dc_c; 10];
    pred4x4[BMode::Tm as usize] = pred4x4_tm_c;
    pred4x4[BMode::Ve as usize] = pred4x4_ve_c;
    pred4x4[BMode::He as usize] = pred4x4_he_c;
    pred4x4[BMode::Ld as usize] = pred4x4_ld_c;
    pred4x4[BMode::Rd as usize] = pred4x4_rd_c;
    pred4x4[BMode::Vr as usize] = pred4x4_vr_c;
    pred4x4[BMode::Vl as usize] = pred4x4_vl_c;
    pred4x4[BMode::Hd as usize] = pred4x4_hd_c;
    pred4x4[BMode::Hu as usize] = pred4x4_hu_c;
    let mut dsp = Vp8IpredDsp {
        pred16x16: pred16x16.map(Slot::Rust),
        pred8x8: pred8x8.map(Slot::Rust),
        pred4x4: pred4x4.map(Slot::Rust),
    };
    ipred_dsp_init_x86(&mut dsp, cpu);
    dsp
}
