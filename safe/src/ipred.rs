//! Intra prediction C fallbacks (RFC 6386 sections 12.2 and 12.3): the 16x16 luma and 8x8 chroma
//! whole-block modes, the ten 4x4 subblock modes, and vp8_ipred_dsp_init which installs them.
//! Every predictor writes in place and reads its edges from the frame buffer (see ipred.h).
use crate::common_h::{vp8_clip_pixel, vp8_imin};
use crate::ipred_h::{
    VP8_B_DC, VP8_B_HD, VP8_B_HE, VP8_B_HU, VP8_B_LD, VP8_B_RD, VP8_B_TM, VP8_B_VE,
    VP8_B_VL, VP8_B_VR, VP8_IPRED_DC, VP8_IPRED_DC_128, VP8_IPRED_DC_LEFT,
    VP8_IPRED_DC_TOP, VP8_IPRED_H, VP8_IPRED_TM, VP8_IPRED_V, Vp8IpredDsp, vp8_ipred4_fn,
    vp8_ipred_fn,
};
use crate::x86::ipred_init::vp8_ipred_dsp_init_x86;
/// Shared by every block size: `log2size` is 4 (16x16), 3 (8x8) or 2 (4x4).
unsafe extern "C" fn sum_above(dst: *const u8, stride: isize, size: i32) -> i32 {
    let mut sum: i32 = 0;
    for x in 0..size {
        sum = sum
            .wrapping_add(
                *dst.offset(stride.wrapping_neg().wrapping_add(x as isize)) as i32,
            );
    }
    return sum;
}
unsafe extern "C" fn sum_left(dst: *const u8, stride: isize, size: i32) -> i32 {
    let mut sum: i32 = 0;
    for y in 0..size {
        sum = sum
            .wrapping_add(
                *dst.offset((y as isize).wrapping_mul(stride).wrapping_sub(1)) as i32,
            );
    }
    return sum;
}
unsafe extern "C" fn fill_block(dst: *mut u8, stride: isize, size: i32, value: i32) {
    for y in 0..size {
        for x in 0..size {
            *dst.offset((y as isize).wrapping_mul(stride).wrapping_add(x as isize)) = value
                as u8;
        }
    }
}
unsafe extern "C" fn pred_dc(dst: *mut u8, stride: isize, log2size: i32) {
    let size: i32 = 1i32.wrapping_shl(log2size as u32);
    let sum: i32 = sum_above(dst as *const u8, stride, size)
        .wrapping_add(sum_left(dst as *const u8, stride, size));
    fill_block(
        dst,
        stride,
        size,
        sum.wrapping_add(size).wrapping_shr(log2size.wrapping_add(1) as u32),
    );
}
unsafe extern "C" fn pred_dc_top(dst: *mut u8, stride: isize, log2size: i32) {
    let size: i32 = 1i32.wrapping_shl(log2size as u32);
    fill_block(
        dst,
        stride,
        size,
        sum_above(dst as *const u8, stride, size)
            .wrapping_add(size / 2)
            .wrapping_shr(log2size as u32),
    );
}
unsafe extern "C" fn pred_dc_left(dst: *mut u8, stride: isize, log2size: i32) {
    let size: i32 = 1i32.wrapping_shl(log2size as u32);
    fill_block(
        dst,
        stride,
        size,
        sum_left(dst as *const u8, stride, size)
            .wrapping_add(size / 2)
            .wrapping_shr(log2size as u32),
    );
}
unsafe extern "C" fn pred_v(dst: *mut u8, stride: isize, size: i32) {
    for y in 0..size {
        for x in 0..size {
            *dst.offset((y as isize).wrapping_mul(stride).wrapping_add(x as isize)) = *dst
                .offset(stride.wrapping_neg().wrapping_add(x as isize));
        }
    }
}
unsafe extern "C" fn pred_h(dst: *mut u8, stride: isize, size: i32) {
    for y in 0..size {
        let left: u8 = *dst.offset((y as isize).wrapping_mul(stride).wrapping_sub(1));
        for x in 0..size {
            *dst.offset((y as isize).wrapping_mul(stride).wrapping_add(x as isize)) = left;
        }
    }
}
unsafe extern "C" fn pred_tm(dst: *mut u8, stride: isize, size: i32) {
    let above_left: i32 = *dst.offset(stride.wrapping_neg() - 1) as i32;
    for y in 0..size {
        let left: i32 = *dst.offset((y as isize).wrapping_mul(stride).wrapping_sub(1))
            as i32;
        for x in 0..size {
            *dst.offset((y as isize).wrapping_mul(stride).wrapping_add(x as isize)) = vp8_clip_pixel(
                left
                    .wrapping_add(
                        *dst.offset(stride.wrapping_neg().wrapping_add(x as isize))
                            as i32,
                    )
                    .wrapping_sub(above_left),
            );
        }
    }
}
pub unsafe extern "C" fn vp8_pred16x16_dc_c(dst: *mut u8, stride: isize) {
    pred_dc(dst, stride, 4);
}
pub unsafe extern "C" fn vp8_pred16x16_v_c(dst: *mut u8, stride: isize) {
    pred_v(dst, stride, 16);
}
pub unsafe extern "C" fn vp8_pred16x16_h_c(dst: *mut u8, stride: isize) {
    pred_h(dst, stride, 16);
}
pub unsafe extern "C" fn vp8_pred16x16_tm_c(dst: *mut u8, stride: isize) {
    pred_tm(dst, stride, 16);
}
pub unsafe extern "C" fn vp8_pred16x16_dc_left_c(dst: *mut u8, stride: isize) {
    pred_dc_left(dst, stride, 4);
}
pub unsafe extern "C" fn vp8_pred16x16_dc_top_c(dst: *mut u8, stride: isize) {
    pred_dc_top(dst, stride, 4);
}
pub unsafe extern "C" fn vp8_pred16x16_dc_128_c(dst: *mut u8, stride: isize) {
    fill_block(dst, stride, 16, 128);
}
pub unsafe extern "C" fn vp8_pred8x8_dc_c(dst: *mut u8, stride: isize) {
    pred_dc(dst, stride, 3);
}
pub unsafe extern "C" fn vp8_pred8x8_v_c(dst: *mut u8, stride: isize) {
    pred_v(dst, stride, 8);
}
pub unsafe extern "C" fn vp8_pred8x8_h_c(dst: *mut u8, stride: isize) {
    pred_h(dst, stride, 8);
}
pub unsafe extern "C" fn vp8_pred8x8_tm_c(dst: *mut u8, stride: isize) {
    pred_tm(dst, stride, 8);
}
pub unsafe extern "C" fn vp8_pred8x8_dc_left_c(dst: *mut u8, stride: isize) {
    pred_dc_left(dst, stride, 3);
}
pub unsafe extern "C" fn vp8_pred8x8_dc_top_c(dst: *mut u8, stride: isize) {
    pred_dc_top(dst, stride, 3);
}
pub unsafe extern "C" fn vp8_pred8x8_dc_128_c(dst: *mut u8, stride: isize) {
    fill_block(dst, stride, 8, 128);
}
pub const EDGE4_LEN: i32 = 13;
pub const EDGE4_P: i32 = 4;
pub const EDGE4_A: i32 = 5;
unsafe extern "C" fn load_edge4(
    dst: *const u8,
    stride: isize,
    topright: *const u8,
    e: *mut u8,
) {
    for i in 0i32..4 {
        *e.add((3 - i) as usize) = *dst
            .offset((i as isize).wrapping_mul(stride).wrapping_sub(1));
        *e.add((EDGE4_A + i) as usize) = *dst
            .offset(stride.wrapping_neg().wrapping_add(i as isize));
        *e.add((EDGE4_A + 4 + i) as usize) = *topright.add(i as usize);
    }
    *e.add(EDGE4_P as usize) = *dst.offset(stride.wrapping_neg() - 1);
}
unsafe extern "C" fn avg2(x: i32, y: i32) -> u8 {
    return (x.wrapping_add(y).wrapping_add(1) >> 1) as u8;
}
unsafe extern "C" fn avg3(x: i32, y: i32, z: i32) -> u8 {
    return (x.wrapping_add(2i32.wrapping_mul(y)).wrapping_add(z).wrapping_add(2) >> 2)
        as u8;
}
/// Smoothed edge pixel centred on e[i].
unsafe extern "C" fn avg3_at(e: *const u8, i: i32) -> u8 {
    return avg3(
        *e.offset(i.wrapping_sub(1) as isize) as i32,
        *e.offset(i as isize) as i32,
        *e.offset(i.wrapping_add(1) as isize) as i32,
    );
}
/// Synthetic edge pixel half-way between e[i] and e[i + 1].
unsafe extern "C" fn avg2_at(e: *const u8, i: i32) -> u8 {
    return avg2(
        *e.offset(i as isize) as i32,
        *e.offset(i.wrapping_add(1) as isize) as i32,
    );
}
pub unsafe extern "C" fn vp8_pred4x4_dc_c(
    dst: *mut u8,
    stride: isize,
    topright: *const u8,
) {
    let _ = topright;
    pred_dc(dst, stride, 2);
}
pub unsafe extern "C" fn vp8_pred4x4_tm_c(
    dst: *mut u8,
    stride: isize,
    topright: *const u8,
) {
    let _ = topright;
    pred_tm(dst, stride, 4);
}
/// Unlike the 16x16 V mode, the copied row is smoothed, which pulls in P and A[4].
pub unsafe extern "C" fn vp8_pred4x4_ve_c(
    dst: *mut u8,
    stride: isize,
    topright: *const u8,
) {
    let mut e: [u8; 13] = [0; 13];
    load_edge4(dst as *const u8, stride, topright, e.as_mut_ptr());
    for y in 0i32..4 {
        for x in 0i32..4 {
            *dst.offset((y as isize).wrapping_mul(stride).wrapping_add(x as isize)) = avg3_at(
                e.as_mut_ptr() as *const u8,
                EDGE4_A + x,
            );
        }
    }
}
/// Smoothed left column; there is no L[4], so the bottom row repeats L[3] in its place.
pub unsafe extern "C" fn vp8_pred4x4_he_c(
    dst: *mut u8,
    stride: isize,
    topright: *const u8,
) {
    let mut e: [u8; 13] = [0; 13];
    load_edge4(dst as *const u8, stride, topright, e.as_mut_ptr());
    for y in 0i32..4 {
        let v: u8 = (if y < 3 {
            avg3_at(e.as_mut_ptr() as *const u8, 3 - y) as i32
        } else {
            avg3(e[1] as i32, e[0] as i32, e[0] as i32) as i32
        }) as u8;
        for x in 0i32..4 {
            *dst.offset((y as isize).wrapping_mul(stride).wrapping_add(x as isize)) = v;
        }
    }
}
/// Down-left diagonals: pixel (y, x) takes the above row smoothed around A[x + y + 1]; A[8]
/// does not exist, so the last diagonal repeats A[7].
pub unsafe extern "C" fn vp8_pred4x4_ld_c(
    dst: *mut u8,
    stride: isize,
    topright: *const u8,
) {
    let mut e: [u8; 13] = [0; 13];
    load_edge4(dst as *const u8, stride, topright, e.as_mut_ptr());
    let a: *const u8 = e.as_mut_ptr().add(EDGE4_A as usize) as *const u8;
    for y in 0i32..4 {
        for x in 0i32..4 {
            let d: i32 = x + y;
            *dst.offset((y as isize).wrapping_mul(stride).wrapping_add(x as isize)) = avg3(
                *a.offset(d as isize) as i32,
                *a.offset(d.wrapping_add(1) as isize) as i32,
                *a.offset(vp8_imin(d.wrapping_add(2), 7) as isize) as i32,
            );
        }
    }
}
/// Down-right diagonals: every diagonal continues to the edge through P, which sits at e[4]
/// when x == y, one step along the edge per step off the main diagonal.
pub unsafe extern "C" fn vp8_pred4x4_rd_c(
    dst: *mut u8,
    stride: isize,
    topright: *const u8,
) {
    let mut e: [u8; 13] = [0; 13];
    load_edge4(dst as *const u8, stride, topright, e.as_mut_ptr());
    for y in 0i32..4 {
        for x in 0i32..4 {
            *dst.offset((y as isize).wrapping_mul(stride).wrapping_add(x as isize)) = avg3_at(
                e.as_mut_ptr() as *const u8,
                EDGE4_P + x - y,
            );
        }
    }
}
/// Vertical-right: lines of slope 2 (two rows down per column right). With z = 2x - y, even z
/// meets the above row half-way between two pixels (avg2), odd z >= -1 meets it on a pixel
/// (avg3). The two lowest-left pixels (z = -2, -3) hit the left column instead
pub unsafe extern "C" fn vp8_pred4x4_vr_c(
    dst: *mut u8,
    stride: isize,
    topright: *const u8,
) {
    let mut e: [u8; 13] = [0; 13];
    load_edge4(dst as *const u8, stride, topright, e.as_mut_ptr());
    for y in 0i32..4 {
        for x in 0i32..4 {
            let z: i32 = 2 * x - y;
            let mut v: u8 = 0;
            if z < -1 {
                v = avg3_at(e.as_mut_ptr() as *const u8, (EDGE4_P + 1).wrapping_add(z));
            } else if z % 2 == 0 {
                v = avg2_at(e.as_mut_ptr() as *const u8, EDGE4_P + z / 2);
            } else {
                v = avg3_at(
                    e.as_mut_ptr() as *const u8,
                    EDGE4_P + z.wrapping_add(1) / 2,
                );
            }
            *dst.offset((y as isize).wrapping_mul(stride).wrapping_add(x as isize)) = v;
        }
    }
}
/// Vertical-left: lines of slope -2 using only the above row. Even rows take the half-pixel
/// between A[i] and A[i + 1], odd rows the pixel A[i + 1], with i = x + y / 2. The two
/// bottom-right pixels do not follow the pattern (RFC 12.3) and are special-cased
pub unsafe extern "C" fn vp8_pred4x4_vl_c(
    dst: *mut u8,
    stride: isize,
    topright: *const u8,
) {
    let mut e: [u8; 13] = [0; 13];
    load_edge4(dst as *const u8, stride, topright, e.as_mut_ptr());
    let a: *const u8 = e.as_mut_ptr().add(EDGE4_A as usize) as *const u8;
    for y in 0i32..4 {
        for x in 0i32..4 {
            let i: i32 = x + y / 2;
            let mut v: u8 = 0;
            if y == 2 && x == 3 {
                v = avg3(*a.add(4) as i32, *a.add(5) as i32, *a.add(6) as i32);
            } else if y == 3 && x == 3 {
                v = avg3(*a.add(5) as i32, *a.add(6) as i32, *a.add(7) as i32);
            } else if y % 2 == 0 {
                v = avg2(
                    *a.offset(i as isize) as i32,
                    *a.offset(i.wrapping_add(1) as isize) as i32,
                );
            } else {
                v = avg3(
                    *a.offset(i as isize) as i32,
                    *a.offset(i.wrapping_add(1) as isize) as i32,
                    *a.offset(i.wrapping_add(2) as isize) as i32,
                );
            }
            *dst.offset((y as isize).wrapping_mul(stride).wrapping_add(x as isize)) = v;
        }
    }
}
/// Horizontal-down: the transpose of vertical-right, walking the edge the other way from P.
/// With z = 2y - x, even z takes the half-pixel between two left pixels, odd z >= -1 a
/// left pixel (or P), and the two top-right pixels (z = -2, -3) hit the above row
pub unsafe extern "C" fn vp8_pred4x4_hd_c(
    dst: *mut u8,
    stride: isize,
    topright: *const u8,
) {
    let mut e: [u8; 13] = [0; 13];
    load_edge4(dst as *const u8, stride, topright, e.as_mut_ptr());
    for y in 0i32..4 {
        for x in 0i32..4 {
            let z: i32 = 2 * y - x;
            let mut v: u8 = 0;
            if z < -1 {
                v = avg3_at(e.as_mut_ptr() as *const u8, (EDGE4_P - 1).wrapping_sub(z));
            } else if z % 2 == 0 {
                v = avg2_at(e.as_mut_ptr() as *const u8, EDGE4_P - 1 - z / 2);
            } else {
                v = avg3_at(
                    e.as_mut_ptr() as *const u8,
                    EDGE4_P - z.wrapping_add(1) / 2,
                );
            }
            *dst.offset((y as isize).wrapping_mul(stride).wrapping_add(x as isize)) = v;
        }
    }
}
/// Horizontal-up: lines of slope -1/2 using only the left column, z = 2y + x. Past the bottom of
/// the column there are no pixels, so indices clamp to L[3]; that makes the pattern degrade to
/// avg3(L[2], L[3], L[3]) and then plain L[3], as the RFC specifies
pub unsafe extern "C" fn vp8_pred4x4_hu_c(
    dst: *mut u8,
    stride: isize,
    topright: *const u8,
) {
    let mut e: [u8; 13] = [0; 13];
    load_edge4(dst as *const u8, stride, topright, e.as_mut_ptr());
    let mut left: [u8; 4] = [0; 4];
    for i in 0i32..4 {
        left[i as usize] = e[(3 - i) as usize];
    }
    for y in 0i32..4 {
        for x in 0i32..4 {
            let z: i32 = 2 * y + x;
            let i: i32 = z / 2;
            let mut v: u8 = 0;
            if z % 2 == 0 {
                v = avg2(
                    left[vp8_imin(i, 3) as usize] as i32,
                    left[vp8_imin(i.wrapping_add(1), 3) as usize] as i32,
                );
            } else {
                v = avg3(
                    left[vp8_imin(i, 3) as usize] as i32,
                    left[vp8_imin(i.wrapping_add(1), 3) as usize] as i32,
                    left[vp8_imin(i.wrapping_add(2), 3) as usize] as i32,
                );
            }
            *dst.offset((y as isize).wrapping_mul(stride).wrapping_add(x as isize)) = v;
        }
    }
}
pub unsafe extern "C" fn vp8_ipred_dsp_init(dsp: *mut Vp8IpredDsp, cpu_flags: u32) {
    (*dsp).pred16x16[VP8_IPRED_DC as usize] = Some(vp8_pred16x16_dc_c);
    (*dsp).pred16x16[VP8_IPRED_V as usize] = Some(vp8_pred16x16_v_c);
    (*dsp).pred16x16[VP8_IPRED_H as usize] = Some(vp8_pred16x16_h_c);
    (*dsp).pred16x16[VP8_IPRED_TM as usize] = Some(vp8_pred16x16_tm_c);
    (*dsp).pred16x16[VP8_IPRED_DC_LEFT as usize] = Some(vp8_pred16x16_dc_left_c);
    (*dsp).pred16x16[VP8_IPRED_DC_TOP as usize] = Some(vp8_pred16x16_dc_top_c);
    (*dsp).pred16x16[VP8_IPRED_DC_128 as usize] = Some(vp8_pred16x16_dc_128_c);
    (*dsp).pred8x8[VP8_IPRED_DC as usize] = Some(vp8_pred8x8_dc_c);
    (*dsp).pred8x8[VP8_IPRED_V as usize] = Some(vp8_pred8x8_v_c);
    (*dsp).pred8x8[VP8_IPRED_H as usize] = Some(vp8_pred8x8_h_c);
    (*dsp).pred8x8[VP8_IPRED_TM as usize] = Some(vp8_pred8x8_tm_c);
    (*dsp).pred8x8[VP8_IPRED_DC_LEFT as usize] = Some(vp8_pred8x8_dc_left_c);
    (*dsp).pred8x8[VP8_IPRED_DC_TOP as usize] = Some(vp8_pred8x8_dc_top_c);
    (*dsp).pred8x8[VP8_IPRED_DC_128 as usize] = Some(vp8_pred8x8_dc_128_c);
    (*dsp).pred4x4[VP8_B_DC as usize] = Some(vp8_pred4x4_dc_c);
    (*dsp).pred4x4[VP8_B_TM as usize] = Some(vp8_pred4x4_tm_c);
    (*dsp).pred4x4[VP8_B_VE as usize] = Some(vp8_pred4x4_ve_c);
    (*dsp).pred4x4[VP8_B_HE as usize] = Some(vp8_pred4x4_he_c);
    (*dsp).pred4x4[VP8_B_LD as usize] = Some(vp8_pred4x4_ld_c);
    (*dsp).pred4x4[VP8_B_RD as usize] = Some(vp8_pred4x4_rd_c);
    (*dsp).pred4x4[VP8_B_VR as usize] = Some(vp8_pred4x4_vr_c);
    (*dsp).pred4x4[VP8_B_VL as usize] = Some(vp8_pred4x4_vl_c);
    (*dsp).pred4x4[VP8_B_HD as usize] = Some(vp8_pred4x4_hd_c);
    (*dsp).pred4x4[VP8_B_HU as usize] = Some(vp8_pred4x4_hu_c);
    vp8_ipred_dsp_init_x86(dsp, cpu_flags);
}
