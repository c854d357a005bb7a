//! Motion compensation fallbacks (RFC 6386 sections 18.3, 18.4): the six-tap and bilinear
//! sub-pixel predictors for every block size, and the table init. One two-pass driver serves both
//! filter families and all sizes; the exported kernels only bind the size and the tap set.
//!
//! The predictors are safe fns with the signature of `vp8_asm::safe::mc::McFn`: `dst` starts at
//! the block's top-left pixel, and `src` is the whole reference buffer with `src_pos` the index of
//! the pixel the block is predicted from, because the taps read up to two rows and columns before
//! it. Each pass takes, per output row, one exact-length slice per tap (one bounds check per row
//! and tap), so its inner loop is a lane loop over W pixels without checks, which LLVM vectorizes
//! as it does the C. They read only the window `McFn` documents for the fractions given.
use crate::mc_h::{McFilter, McFn, McSlot, Vp8McDsp};
use crate::tables::{VP8_BILINEAR_FILTERS, VP8_SIXTAP_FILTERS};
use crate::x86::mc_init::mc_dsp_init_x86;
use vp8_asm::safe::CpuTokens;

/// Extra source rows (2 above, 3 below) the six-tap vertical pass needs.
pub const MC_SIXTAP_ROWS: usize = 5;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Sixtap,
    Bilinear,
}

/// Round, shift and clamp one filtered sum (an arithmetic shift keeps negative sums negative, so
/// they clamp to 0 as the C's test-first form does).
#[inline(always)]
fn mc_round(sum: i32) -> u8 {
    (sum >> 7).clamp(0, 255) as u8
}

/// One separable pass over `rows` rows: every output is the tap-weighted sum of source pixels
/// `step` apart (1 horizontally, the stride vertically), rounded and clamped to a pixel. `first`
/// is the index in `src` of the first output's centre tap (tap 2 of six-tap, tap 0 of bilinear).
/// Clamping matters only for six-tap (negative taps); the bilinear taps are non-negative and sum
/// to 128, which is also why an 8-bit intermediate is exact for both families. Odd six-tap
/// fractions have zero outer taps, so they get a 4-tap loop that does not read the outer pixels.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn mc_pass<const W: usize>(
    dst: &mut [u8],
    dst_stride: usize,
    src: &[u8],
    first: usize,
    src_stride: usize,
    step: usize,
    rows: usize,
    family: Family,
    taps: &[i16],
) {
    let tap = |k: usize, at: usize| -> &[u8] {
        let p = at + k * step;
        &src[p..p + W]
    };
    let out_rows = dst.chunks_mut(dst_stride).take(rows);
    if family == Family::Bilinear {
        let (b0, b1) = (taps[0] as i32, taps[1] as i32);
        for (y, d) in out_rows.enumerate() {
            let at = first + y * src_stride;
            let (s0, s1, d) = (tap(0, at), tap(1, at), &mut d[..W]);
            for x in 0..W {
                d[x] = mc_round(64 + s0[x] as i32 * b0 + s1[x] as i32 * b1);
            }
        }
    } else if taps[0] == 0 && taps[5] == 0 {
        let (t1, t2, t3, t4) = (
            taps[1] as i32,
            taps[2] as i32,
            taps[3] as i32,
            taps[4] as i32,
        );
        for (y, d) in out_rows.enumerate() {
            let at = first + y * src_stride - step;
            let (s1, s2, s3, s4) = (tap(0, at), tap(1, at), tap(2, at), tap(3, at));
            let d = &mut d[..W];
            for x in 0..W {
                d[x] = mc_round(
                    64 + s1[x] as i32 * t1
                        + s2[x] as i32 * t2
                        + s3[x] as i32 * t3
                        + s4[x] as i32 * t4,
                );
            }
        }
    } else {
        let t = [
            taps[0] as i32,
            taps[1] as i32,
            taps[2] as i32,
            taps[3] as i32,
            taps[4] as i32,
            taps[5] as i32,
        ];
        for (y, d) in out_rows.enumerate() {
            let at = first + y * src_stride - 2 * step;
            let (s0, s1, s2) = (tap(0, at), tap(1, at), tap(2, at));
            let (s3, s4, s5) = (tap(3, at), tap(4, at), tap(5, at));
            let d = &mut d[..W];
            for x in 0..W {
                d[x] = mc_round(
                    64 + s0[x] as i32 * t[0]
                        + s1[x] as i32 * t[1]
                        + s2[x] as i32 * t[2]
                        + s3[x] as i32 * t[3]
                        + s4[x] as i32 * t[4]
                        + s5[x] as i32 * t[5],
                );
            }
        }
    }
}

/// The reference form is always two passes (horizontal over the extra rows the vertical taps need,
/// then vertical). A zero fraction selects the identity tap set, whose pass reproduces its input
/// exactly, so skipping it gives identical results while reading fewer pixels. `T` is the size of
/// the intermediate block (W x the rows the vertical pass reads).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn mc_block<const W: usize, const H: usize, const T: usize>(
    dst: &mut [u8],
    dst_stride: usize,
    src: &[u8],
    src_pos: usize,
    src_stride: usize,
    mx: u32,
    my: u32,
    family: Family,
) {
    let (mx, my) = ((mx & 7) as usize, (my & 7) as usize);
    let (htaps, vtaps): (&[i16], &[i16]) = match family {
        Family::Bilinear => (&VP8_BILINEAR_FILTERS[mx], &VP8_BILINEAR_FILTERS[my]),
        Family::Sixtap => (&VP8_SIXTAP_FILTERS[mx], &VP8_SIXTAP_FILTERS[my]),
    };
    if mx == 0 && my == 0 {
        for (y, d) in dst.chunks_mut(dst_stride).take(H).enumerate() {
            let s = src_pos + y * src_stride;
            d[..W].copy_from_slice(&src[s..s + W]);
        }
    } else if my == 0 {
        mc_pass::<W>(
            dst, dst_stride, src, src_pos, src_stride, 1, H, family, htaps,
        );
    } else if mx == 0 {
        let step = src_stride;
        mc_pass::<W>(
            dst, dst_stride, src, src_pos, src_stride, step, H, family, vtaps,
        );
    } else {
        let (above, extra) = match family {
            Family::Bilinear => (0, 1),
            Family::Sixtap => (2, MC_SIXTAP_ROWS),
        };
        let mut tmp = [0u8; T];
        let first = src_pos - above * src_stride;
        mc_pass::<W>(
            &mut tmp,
            W,
            src,
            first,
            src_stride,
            1,
            H + extra,
            family,
            htaps,
        );
        mc_pass::<W>(dst, dst_stride, &tmp, above * W, W, W, H, family, vtaps);
    }
}

macro_rules! mc_fns {
    ($($name:ident: $family:ident $w:literal x $h:literal, $t:expr;)*) => {$(
        pub fn $name(
            dst: &mut [u8],
            dst_stride: usize,
            src: &[u8],
            src_pos: usize,
            src_stride: usize,
            mx: u32,
            my: u32,
        ) {
            mc_block::<$w, $h, { $t }>(
                dst, dst_stride, src, src_pos, src_stride, mx, my, Family::$family,
            );
        }
    )*};
}

mc_fns! {
    sixtap_16x16_c: Sixtap 16 x 16, 16 * (16 + MC_SIXTAP_ROWS);
    sixtap_8x8_c: Sixtap 8 x 8, 8 * (8 + MC_SIXTAP_ROWS);
    sixtap_8x4_c: Sixtap 8 x 4, 8 * (4 + MC_SIXTAP_ROWS);
    sixtap_4x4_c: Sixtap 4 x 4, 4 * (4 + MC_SIXTAP_ROWS);
    bilinear_16x16_c: Bilinear 16 x 16, 16 * 17;
    bilinear_8x8_c: Bilinear 8 x 8, 8 * 9;
    bilinear_8x4_c: Bilinear 8 x 4, 8 * 5;
    bilinear_4x4_c: Bilinear 4 x 4, 4 * 5;
}

/// One column of the table: the six-tap and the bilinear fallback of one block size.
fn column<const S: usize>(sixtap: McFn, bilinear: McFn) -> [McSlot<S>; 2] {
    let mut slots = [McSlot::Rust(sixtap); 2];
    slots[McFilter::Sixtap as usize] = McSlot::Rust(sixtap);
    slots[McFilter::Bilinear as usize] = McSlot::Rust(bilinear);
    slots
}

/// The mc table: the Rust fallbacks, then the asm kernels the CPU tokens allow.
pub fn mc_dsp_init(cpu: CpuTokens) -> Vp8McDsp {
    let mut dsp = Vp8McDsp {
        put16x16: column(sixtap_16x16_c, bilinear_16x16_c),
        put8x8: column(sixtap_8x8_c, bilinear_8x8_c),
        put8x4: column(sixtap_8x4_c, bilinear_8x4_c),
        put4x4: column(sixtap_4x4_c, bilinear_4x4_c),
    };
    mc_dsp_init_x86(&mut dsp, cpu);
    dsp
}
