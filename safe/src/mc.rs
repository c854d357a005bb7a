//! Motion compensation C fallbacks (RFC 6386 sections 18.3, 18.4): the six-tap and bilinear
//! sub-pixel predictors for every block size, and the table init. One two-pass driver serves both
//! filter families and all sizes; the exported kernels only bind the size and the tap set.
use crate::common_h::vp8_clip_pixel;
use crate::mc_h::{
    VP8_MC_16x16, VP8_MC_4x4, VP8_MC_8x4, VP8_MC_8x8, VP8_MC_BILINEAR, VP8_MC_SIXTAP,
    Vp8McDsp, vp8_mc_fn,
};
use crate::tables::{vp8_bilinear_filters, vp8_sixtap_filters};
use crate::x86::mc_init::vp8_mc_dsp_init_x86;
pub const MC_MAX_W: i32 = 16;
pub const MC_MAX_H: i32 = 16;
pub const MC_SIXTAP_ROWS: i32 = 5;
pub const MC_SIXTAP: i32 = 0;
pub const MC_BILINEAR: i32 = 1;
/// Round, shift and clamp one filtered sum. Negative sums clamp to 0 anyway; testing first keeps
/// the shift on non-negative values, where C defines it.
#[inline]
unsafe extern "C" fn mc_round(sum: i32) -> u8 {
    return (if sum < 0 { 0 } else { vp8_clip_pixel(sum >> 7) as i32 }) as u8;
}
/// One separable pass: every output is the tap-weighted sum of source pixels `step` apart (step = 1
/// horizontally, the stride vertically), rounded and clamped to a pixel. Clamping matters only for
/// six-tap (negative taps); the bilinear taps are non-negative and sum to 128, so their results
/// already lie in 0..255 - which is also why an 8-bit intermediate is exact for both families.
/// The taps are spelled out rather than looped over: at -O2 a tap loop is not unrolled and costs
/// about twice the instructions. Odd six-tap fractions have zero outer taps, so they get a 4-tap
/// loop (only chroma uses them)
#[inline(always)]
unsafe extern "C" fn mc_pass(
    dst: *mut u8,
    dst_stride: isize,
    src: *const u8,
    src_stride: isize,
    step: isize,
    w: i32,
    h: i32,
    family: i32,
    taps: *const i16,
) {
    if family == MC_BILINEAR {
        let b0: i32 = *taps as i32;
        let b1: i32 = *taps.add(1) as i32;
        for y in 0..h {
            let s: *const u8 = src.offset((y as isize).wrapping_mul(src_stride));
            let d: *mut u8 = dst.offset((y as isize).wrapping_mul(dst_stride));
            for x in 0..w {
                *d.add(x as usize) = mc_round(
                    64i32
                        .wrapping_add((*s.add(x as usize) as i32).wrapping_mul(b0))
                        .wrapping_add(
                            (*s.offset((x as isize).wrapping_add(step)) as i32)
                                .wrapping_mul(b1),
                        ),
                );
            }
        }
    } else if *taps as i32 == 0 && *taps.add(5) as i32 == 0 {
        let t1: i32 = *taps.add(1) as i32;
        let t2: i32 = *taps.add(2) as i32;
        let t3: i32 = *taps.add(3) as i32;
        let t4: i32 = *taps.add(4) as i32;
        for y in 0..h {
            let s: *const u8 = src.offset((y as isize).wrapping_mul(src_stride));
            let d: *mut u8 = dst.offset((y as isize).wrapping_mul(dst_stride));
            for x in 0..w {
                *d.add(x as usize) = mc_round(
                    64i32
                        .wrapping_add(
                            (*s.offset((x as isize).wrapping_sub(step)) as i32)
                                .wrapping_mul(t1),
                        )
                        .wrapping_add((*s.add(x as usize) as i32).wrapping_mul(t2))
                        .wrapping_add(
                            (*s.offset((x as isize).wrapping_add(step)) as i32)
                                .wrapping_mul(t3),
                        )
                        .wrapping_add(
                            (*s
                                .offset(
                                    (x as isize).wrapping_add(2isize.wrapping_mul(step)),
                                ) as i32)
                                .wrapping_mul(t4),
                        ),
                );
            }
        }
    } else {
        let t0: i32 = *taps as i32;
        let t1: i32 = *taps.add(1) as i32;
        let t2: i32 = *taps.add(2) as i32;
        let t3: i32 = *taps.add(3) as i32;
        let t4: i32 = *taps.add(4) as i32;
        let t5: i32 = *taps.add(5) as i32;
        for y in 0..h {
            let s: *const u8 = src.offset((y as isize).wrapping_mul(src_stride));
            let d: *mut u8 = dst.offset((y as isize).wrapping_mul(dst_stride));
            for x in 0..w {
                *d.add(x as usize) = mc_round(
                    64i32
                        .wrapping_add(
                            (*s
                                .offset(
                                    (x as isize).wrapping_sub(2isize.wrapping_mul(step)),
                                ) as i32)
                                .wrapping_mul(t0),
                        )
                        .wrapping_add(
                            (*s.offset((x as isize).wrapping_sub(step)) as i32)
                                .wrapping_mul(t1),
                        )
                        .wrapping_add((*s.add(x as usize) as i32).wrapping_mul(t2))
                        .wrapping_add(
                            (*s.offset((x as isize).wrapping_add(step)) as i32)
                                .wrapping_mul(t3),
                        )
                        .wrapping_add(
                            (*s
                                .offset(
                                    (x as isize).wrapping_add(2isize.wrapping_mul(step)),
                                ) as i32)
                                .wrapping_mul(t4),
                        )
                        .wrapping_add(
                            (*s
                                .offset(
                                    (x as isize).wrapping_add(3isize.wrapping_mul(step)),
                                ) as i32)
                                .wrapping_mul(t5),
                        ),
                );
            }
        }
    }
}
#[inline(always)]
unsafe extern "C" fn mc_copy(
    dst: *mut u8,
    dst_stride: isize,
    src: *const u8,
    src_stride: isize,
    w: i32,
    h: i32,
) {
    for y in 0..h {
        core::ptr::copy_nonoverlapping(
            src.offset((y as isize).wrapping_mul(src_stride)),
            dst.offset((y as isize).wrapping_mul(dst_stride)),
            w as usize,
        );
    }
}
/// The reference form is always two passes (horizontal over the extra rows the vertical taps need,
/// then vertical). A zero fraction selects the identity tap set, whose pass reproduces its input
/// exactly, so skipping it gives identical results while reading fewer pixels
#[inline(always)]
unsafe extern "C" fn mc_block(
    dst: *mut u8,
    dst_stride: isize,
    src: *const u8,
    src_stride: isize,
    w: i32,
    h: i32,
    mut mx: i32,
    mut my: i32,
    family: i32,
) {
    let htaps: *const i16 = if family == MC_BILINEAR {
        vp8_bilinear_filters[(mx & 7) as usize].as_ptr()
    } else {
        vp8_sixtap_filters[(mx & 7) as usize].as_ptr()
    };
    let vtaps: *const i16 = if family == MC_BILINEAR {
        vp8_bilinear_filters[(my & 7) as usize].as_ptr()
    } else {
        vp8_sixtap_filters[(my & 7) as usize].as_ptr()
    };
    mx &= 7;
    my &= 7;
    if mx == 0 && my == 0 {
        mc_copy(dst, dst_stride, src, src_stride, w, h);
    } else if my == 0 {
        mc_pass(dst, dst_stride, src, src_stride, 1, w, h, family, htaps);
    } else if mx == 0 {
        mc_pass(dst, dst_stride, src, src_stride, src_stride, w, h, family, vtaps);
    } else if family == MC_BILINEAR {
        let mut tmp: [u8; 272] = [0; 272];
        mc_pass(
            tmp.as_mut_ptr(),
            w as isize,
            src,
            src_stride,
            1,
            w,
            h.wrapping_add(1),
            family,
            htaps,
        );
        mc_pass(
            dst,
            dst_stride,
            tmp.as_mut_ptr() as *const u8,
            w as isize,
            w as isize,
            w,
            h,
            family,
            vtaps,
        );
    } else {
        let mut tmp: [u8; 336] = [0; 336];
        mc_pass(
            tmp.as_mut_ptr(),
            w as isize,
            src.offset(2isize.wrapping_mul(src_stride).wrapping_neg()),
            src_stride,
            1,
            w,
            h.wrapping_add(MC_SIXTAP_ROWS),
            family,
            htaps,
        );
        mc_pass(
            dst,
            dst_stride,
            tmp.as_mut_ptr().offset(2i32.wrapping_mul(w) as isize) as *const u8,
            w as isize,
            w as isize,
            w,
            h,
            family,
            vtaps,
        );
    }
}
#[inline(always)]
unsafe extern "C" fn sixtap(
    dst: *mut u8,
    dst_stride: isize,
    src: *const u8,
    src_stride: isize,
    w: i32,
    h: i32,
    mx: i32,
    my: i32,
) {
    mc_block(dst, dst_stride, src, src_stride, w, h, mx, my, MC_SIXTAP);
}
#[inline(always)]
unsafe extern "C" fn bilinear(
    dst: *mut u8,
    dst_stride: isize,
    src: *const u8,
    src_stride: isize,
    w: i32,
    h: i32,
    mx: i32,
    my: i32,
) {
    mc_block(dst, dst_stride, src, src_stride, w, h, mx, my, MC_BILINEAR);
}
pub unsafe extern "C" fn vp8_sixtap_16x16_c(
    dst: *mut u8,
    dst_stride: isize,
    src: *const u8,
    src_stride: isize,
    mx: i32,
    my: i32,
) {
    sixtap(dst, dst_stride, src, src_stride, 16, 16, mx, my);
}
pub unsafe extern "C" fn vp8_sixtap_8x8_c(
    dst: *mut u8,
    dst_stride: isize,
    src: *const u8,
    src_stride: isize,
    mx: i32,
    my: i32,
) {
    sixtap(dst, dst_stride, src, src_stride, 8, 8, mx, my);
}
pub unsafe extern "C" fn vp8_sixtap_8x4_c(
    dst: *mut u8,
    dst_stride: isize,
    src: *const u8,
    src_stride: isize,
    mx: i32,
    my: i32,
) {
    sixtap(dst, dst_stride, src, src_stride, 8, 4, mx, my);
}
pub unsafe extern "C" fn vp8_sixtap_4x4_c(
    dst: *mut u8,
    dst_stride: isize,
    src: *const u8,
    src_stride: isize,
    mx: i32,
    my: i32,
) {
    sixtap(dst, dst_stride, src, src_stride, 4, 4, mx, my);
}
pub unsafe extern "C" fn vp8_bilinear_16x16_c(
    dst: *mut u8,
    dst_stride: isize,
    src: *const u8,
    src_stride: isize,
    mx: i32,
    my: i32,
) {
    bilinear(dst, dst_stride, src, src_stride, 16, 16, mx, my);
}
pub unsafe extern "C" fn vp8_bilinear_8x8_c(
    dst: *mut u8,
    dst_stride: isize,
    src: *const u8,
    src_stride: isize,
    mx: i32,
    my: i32,
) {
    bilinear(dst, dst_stride, src, src_stride, 8, 8, mx, my);
}
pub unsafe extern "C" fn vp8_bilinear_8x4_c(
    dst: *mut u8,
    dst_stride: isize,
    src: *const u8,
    src_stride: isize,
    mx: i32,
    my: i32,
) {
    bilinear(dst, dst_stride, src, src_stride, 8, 4, mx, my);
}
pub unsafe extern "C" fn vp8_bilinear_4x4_c(
    dst: *mut u8,
    dst_stride: isize,
    src: *const u8,
    src_stride: isize,
    mx: i32,
    my: i32,
) {
    bilinear(dst, dst_stride, src, src_stride, 4, 4, mx, my);
}
pub unsafe extern "C" fn vp8_mc_dsp_init(dsp: *mut Vp8McDsp, cpu_flags: u32) {
    (*dsp).put[VP8_MC_SIXTAP as usize][VP8_MC_16x16 as usize] = Some(vp8_sixtap_16x16_c);
    (*dsp).put[VP8_MC_SIXTAP as usize][VP8_MC_8x8 as usize] = Some(vp8_sixtap_8x8_c);
    (*dsp).put[VP8_MC_SIXTAP as usize][VP8_MC_8x4 as usize] = Some(vp8_sixtap_8x4_c);
    (*dsp).put[VP8_MC_SIXTAP as usize][VP8_MC_4x4 as usize] = Some(vp8_sixtap_4x4_c);
    (*dsp).put[VP8_MC_BILINEAR as usize][VP8_MC_16x16 as usize] = Some(
        vp8_bilinear_16x16_c,
    );
    (*dsp).put[VP8_MC_BILINEAR as usize][VP8_MC_8x8 as usize] = Some(vp8_bilinear_8x8_c);
    (*dsp).put[VP8_MC_BILINEAR as usize][VP8_MC_8x4 as usize] = Some(vp8_bilinear_8x4_c);
    (*dsp).put[VP8_MC_BILINEAR as usize][VP8_MC_4x4 as usize] = Some(vp8_bilinear_4x4_c);
    vp8_mc_dsp_init_x86(dsp, cpu_flags);
}
