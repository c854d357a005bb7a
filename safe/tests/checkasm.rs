//! checkasm-style comparison of every asm kernel the safe stage installs (through the safe wrappers
//! of `vp8_asm::safe`, for every instruction set this CPU has) with the safe stage's own Rust
//! fallback of the same table slot, on random and extreme inputs. Both must write the same pixels
//! and coefficients; a mismatch names the kernel and the case.
#![cfg(target_arch = "x86_64")]

use std::rc::Rc;
use vp8_asm::safe::idct::{IdctAddSlot, IdctAddUvSlot, IdctAddYSlot, IwhtSlot};
use vp8_asm::safe::ipred::{Ipred4Slot, IpredSlot};
use vp8_asm::safe::loopfilter::{LfChromaSlot, LfLumaSlot, LfSimpleSlot};
use vp8_asm::safe::mc::{McFn, McSlot};

/// A table slot or a fallback as one callable type (slot types differ by block size or edge).
type McCall = Rc<dyn Fn(&mut [u8], usize, &[u8], usize, usize, u32, u32)>;
type IdctAddFn = Rc<dyn Fn(&mut [u8], usize, &mut [i16; 16])>;
type IdctAddYFn = Rc<dyn Fn(&mut [u8], usize, &mut [[i16; 16]; 16], &[u8; 16])>;
type IdctAddUvFn = Rc<dyn Fn(&mut [u8], &mut [u8], usize, &mut [[i16; 16]; 8], &[u8; 8])>;
type IwhtFn = Rc<dyn Fn(&mut [[i16; 16]; 16], &mut [i16; 16])>;
type IpredFn = Rc<dyn Fn(&mut [u8], usize, usize)>;
type Ipred4Fn = Rc<dyn Fn(&mut [u8], usize, usize, [u8; 4])>;
type LumaCall = Rc<dyn Fn(&mut [u8], usize, usize, u8, u8, u8)>;
type ChromaCall = Rc<dyn Fn(&mut [u8], &mut [u8], usize, usize, u8, u8, u8)>;
type SimpleCall = Rc<dyn Fn(&mut [u8], usize, usize, u8)>;

fn mc_slot<const S: usize>(k: McSlot<S>) -> McCall {
    Rc::new(move |d, ds, s, sp, ss, mx, my| k.call(d, ds, s, sp, ss, mx, my))
}

fn add_slot(k: IdctAddSlot) -> IdctAddFn {
    Rc::new(move |d, s, b| k.call(d, s, b))
}

fn add_y_slot(k: IdctAddYSlot) -> IdctAddYFn {
    Rc::new(move |d, s, b, e| k.call(d, s, b, e))
}

fn add_uv_slot(k: IdctAddUvSlot) -> IdctAddUvFn {
    Rc::new(move |u, v, s, b, e| k.call(u, v, s, b, e))
}

fn iwht_slot(k: IwhtSlot) -> IwhtFn {
    Rc::new(move |b, y2| k.call(b, y2))
}

/// The decoder's call (`call_full`, the widest window; the test's buffers hold every edge).
fn pred_slot<const N: usize>(k: IpredSlot<N>) -> IpredFn {
    Rc::new(move |b, p, s| k.call_full(b, p, s))
}

fn pred4_slot(k: Ipred4Slot) -> Ipred4Fn {
    Rc::new(move |b, p, s, t| k.call(b, p, s, t))
}

fn mc_rust(f: McFn) -> McCall {
    Rc::new(f)
}

fn luma_slot<const E: usize>(k: LfLumaSlot<E>) -> LumaCall {
    Rc::new(move |b, p, s, e, i, h| k.call(b, p, s, e, i, h))
}

fn chroma_slot<const E: usize>(k: LfChromaSlot<E>) -> ChromaCall {
    Rc::new(move |u, v, p, s, e, i, h| k.call(u, v, p, s, e, i, h))
}

fn simple_slot<const E: usize>(k: LfSimpleSlot<E>) -> SimpleCall {
    Rc::new(move |b, p, s, e| k.call(b, p, s, e))
}
use vp8_asm::safe::{CpuTokens, idct, ipred, loopfilter, mc};
use vp8_safe::{idct as ridct, ipred as ripred, loopfilter as rlf, mc as rmc};

const CASES: usize = 2000;

/// vp8-stage's xorshift64*: reproducible inputs.
struct Rng(vp8_stage::rng::XorShift);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(vp8_stage::rng::XorShift::new(seed))
    }
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn byte(&mut self) -> u8 {
        self.next() as u8
    }
    /// Pixels: uniform, all 0, all 255, or a smooth area (what the loop filter and intra edges
    /// mostly see), by case.
    fn pixels(&mut self, buf: &mut [u8], case: usize) {
        match case % 4 {
            0 => buf.iter_mut().for_each(|p| *p = self.byte()),
            1 => buf.fill(if case % 8 == 1 { 0 } else { 255 }),
            _ => {
                let base = self.byte() as i32;
                let spread = 1 + self.below(24) as i32;
                for p in buf.iter_mut() {
                    *p = (base + self.below(spread as u64) as i32 - spread / 2).clamp(0, 255) as u8;
                }
            }
        }
    }
    /// A coefficient: mostly small, sometimes any i16, sometimes an extreme.
    fn coeff(&mut self, case: usize) -> i16 {
        match (case + self.below(4) as usize) % 5 {
            0 => self.next() as i16,
            1 => [i16::MIN, i16::MAX, -2048, 2047][self.below(4) as usize],
            _ => self.below(512) as i16 - 256,
        }
    }
}

/// The installed (kernel, fallback) pairs of one table type, each with the kernel's name.
type Pairs<F> = Vec<(String, F, F)>;

fn isas() -> CpuTokens {
    let t = CpuTokens::detect();
    eprintln!("checkasm: CPU flags {:#x}", t.flags());
    t
}

#[test]
fn mc_kernels_match_the_rust_fallbacks() {
    let t = isas();
    let mut pairs: Pairs<McCall> = Vec::new();
    let fallbacks: [[McCall; 4]; 2] = [
        [
            mc_rust(rmc::sixtap_16x16_c),
            mc_rust(rmc::sixtap_8x8_c),
            mc_rust(rmc::sixtap_8x4_c),
            mc_rust(rmc::sixtap_4x4_c),
        ],
        [
            mc_rust(rmc::bilinear_16x16_c),
            mc_rust(rmc::bilinear_8x8_c),
            mc_rust(rmc::bilinear_8x4_c),
            mc_rust(rmc::bilinear_4x4_c),
        ],
    ];
    if let Some(s) = t.sse2 {
        let k: [[McCall; 4]; 2] = [
            [
                mc_slot(mc::sixtap_16x16_sse2(s)),
                mc_slot(mc::sixtap_8x8_sse2(s)),
                mc_slot(mc::sixtap_8x4_sse2(s)),
                mc_slot(mc::sixtap_4x4_sse2(s)),
            ],
            [
                mc_slot(mc::bilinear_16x16_sse2(s)),
                mc_slot(mc::bilinear_8x8_sse2(s)),
                mc_slot(mc::bilinear_8x4_sse2(s)),
                mc_slot(mc::bilinear_4x4_sse2(s)),
            ],
        ];
        push_mc(&mut pairs, "sse2", &k, &fallbacks);
    }
    if let Some(s) = t.ssse3 {
        let k: [[McCall; 4]; 2] = [
            [
                mc_slot(mc::sixtap_16x16_ssse3(s)),
                mc_slot(mc::sixtap_8x8_ssse3(s)),
                mc_slot(mc::sixtap_8x4_ssse3(s)),
                mc_slot(mc::sixtap_4x4_ssse3(s)),
            ],
            [
                mc_slot(mc::bilinear_16x16_ssse3(s)),
                mc_slot(mc::bilinear_8x8_ssse3(s)),
                mc_slot(mc::bilinear_8x4_ssse3(s)),
                mc_slot(mc::bilinear_4x4_ssse3(s)),
            ],
        ];
        push_mc(&mut pairs, "ssse3", &k, &fallbacks);
    }
    if let Some(s) = t.avx2 {
        pairs.push((
            "sixtap_16x16_avx2".into(),
            mc_slot(mc::sixtap_16x16_avx2(s)),
            fallbacks[0][0].clone(),
        ));
        pairs.push((
            "sixtap_8x8_avx2".into(),
            mc_slot(mc::sixtap_8x8_avx2(s)),
            fallbacks[0][1].clone(),
        ));
    }
    let sizes = [(16, 16), (8, 8), (8, 4), (4, 4)];
    let mut rng = Rng::new(0x5eed_0001);
    for (name, kernel, fallback) in &pairs {
        let (w, h) = sizes
            .iter()
            .zip(["16x16", "8x8", "8x4", "4x4"])
            .find(|(_, s)| name.contains(*s))
            .map(|(wh, _)| *wh)
            .unwrap();
        for case in 0..CASES {
            // A source with the whole six-tap margin, a random stride, every fraction pair.
            let src_stride = w + 5 + rng.below(24) as usize;
            let mut src = vec![0u8; (h + 5) * src_stride];
            rng.pixels(&mut src, case);
            let src_pos = 2 * src_stride + 2;
            let (mx, my) = ((case % 8) as u32, (case / 8 % 8) as u32);
            let dst_stride = w + rng.below(20) as usize;
            let mut a = vec![0u8; (h - 1) * dst_stride + w];
            rng.pixels(&mut a, case + 1);
            let mut b = a.clone();
            kernel(&mut a, dst_stride, &src, src_pos, src_stride, mx, my);
            fallback(&mut b, dst_stride, &src, src_pos, src_stride, mx, my);
            assert_eq!(a, b, "{name}: case {case}, mx {mx}, my {my}");
        }
    }
    eprintln!("mc: {} kernels x {CASES} cases", pairs.len());
}

fn push_mc(pairs: &mut Pairs<McCall>, isa: &str, k: &[[McCall; 4]; 2], f: &[[McCall; 4]; 2]) {
    for (fam, family) in ["sixtap", "bilinear"].iter().enumerate() {
        for (s, size) in ["16x16", "8x8", "8x4", "4x4"].iter().enumerate() {
            pairs.push((
                format!("{family}_{size}_{isa}"),
                k[fam][s].clone(),
                f[fam][s].clone(),
            ));
        }
    }
}

#[test]
fn idct_kernels_match_the_rust_fallbacks() {
    let t = isas();
    let mut add: Pairs<IdctAddFn> = Vec::new();
    let mut y: Pairs<IdctAddYFn> = Vec::new();
    let mut uv: Pairs<IdctAddUvFn> = Vec::new();
    let mut wht: Pairs<IwhtFn> = Vec::new();
    if let Some(s) = t.sse2 {
        add.push((
            "idct_add_sse2".into(),
            add_slot(idct::idct_add_sse2(s)),
            Rc::new(ridct::idct_add_c),
        ));
        add.push((
            "idct_dc_add_sse2".into(),
            add_slot(idct::idct_dc_add_sse2(s)),
            Rc::new(ridct::idct_dc_add_c),
        ));
        y.push((
            "idct_add_y_sse2".into(),
            add_y_slot(idct::idct_add_y_sse2(s)),
            Rc::new(ridct::idct_add_y_c),
        ));
        uv.push((
            "idct_add_uv_sse2".into(),
            add_uv_slot(idct::idct_add_uv_sse2(s)),
            Rc::new(ridct::idct_add_uv_c),
        ));
        wht.push((
            "iwht_sse2".into(),
            iwht_slot(idct::iwht_sse2(s)),
            Rc::new(ridct::iwht_c),
        ));
        wht.push((
            "iwht_dc_sse2".into(),
            iwht_slot(idct::iwht_dc_sse2(s)),
            Rc::new(ridct::iwht_dc_c),
        ));
    }
    if let Some(s) = t.avx2 {
        y.push((
            "idct_add_y_avx2".into(),
            add_y_slot(idct::idct_add_y_avx2(s)),
            Rc::new(ridct::idct_add_y_c),
        ));
        uv.push((
            "idct_add_uv_avx2".into(),
            add_uv_slot(idct::idct_add_uv_avx2(s)),
            Rc::new(ridct::idct_add_uv_c),
        ));
    }
    let mut rng = Rng::new(0x5eed_0002);
    // A block as the token decoder leaves it: DC-only blocks (eob <= 1) have only block[0] set.
    let block = |rng: &mut Rng, case: usize, dc_only: bool| -> [i16; 16] {
        let mut b = [0i16; 16];
        for (i, c) in b.iter_mut().enumerate() {
            if i == 0 || !dc_only {
                *c = if rng.below(3) == 0 {
                    0
                } else {
                    rng.coeff(case)
                };
            }
        }
        b
    };
    for (name, kernel, fallback) in &add {
        let dc_only = name.contains("dc");
        for case in 0..CASES {
            let stride = 4 + rng.below(30) as usize;
            let mut a = vec![0u8; 3 * stride + 4];
            rng.pixels(&mut a, case);
            let (mut b, mut ka) = (a.clone(), block(&mut rng, case, dc_only));
            let mut kb = ka;
            kernel(&mut a, stride, &mut ka);
            fallback(&mut b, stride, &mut kb);
            assert_eq!((a, ka), (b, kb), "{name}: case {case}");
        }
    }
    for (name, kernel, fallback) in &y {
        for case in 0..CASES {
            let stride = 16 + rng.below(30) as usize;
            let mut a = vec![0u8; 15 * stride + 16];
            rng.pixels(&mut a, case);
            let mut eobs = [0u8; 16];
            let mut ka = [[0i16; 16]; 16];
            for (e, blk) in eobs.iter_mut().zip(ka.iter_mut()) {
                *e = rng.below(17) as u8;
                *blk = block(&mut rng, case, *e <= 1);
            }
            let (mut b, mut kb) = (a.clone(), ka);
            kernel(&mut a, stride, &mut ka, &eobs);
            fallback(&mut b, stride, &mut kb, &eobs);
            assert_eq!((a, ka), (b, kb), "{name}: case {case}, eobs {eobs:?}");
        }
    }
    for (name, kernel, fallback) in &uv {
        for case in 0..CASES {
            let stride = 8 + rng.below(30) as usize;
            let mut ua = vec![0u8; 7 * stride + 8];
            let mut va = ua.clone();
            rng.pixels(&mut ua, case);
            rng.pixels(&mut va, case + 2);
            let mut eobs = [0u8; 8];
            let mut ka = [[0i16; 16]; 8];
            for (e, blk) in eobs.iter_mut().zip(ka.iter_mut()) {
                *e = rng.below(17) as u8;
                *blk = block(&mut rng, case, *e <= 1);
            }
            let (mut ub, mut vb, mut kb) = (ua.clone(), va.clone(), ka);
            kernel(&mut ua, &mut va, stride, &mut ka, &eobs);
            fallback(&mut ub, &mut vb, stride, &mut kb, &eobs);
            assert_eq!(
                (ua, va, ka),
                (ub, vb, kb),
                "{name}: case {case}, eobs {eobs:?}"
            );
        }
    }
    for (name, kernel, fallback) in &wht {
        let dc_only = name.contains("dc");
        for case in 0..CASES {
            let mut ya = block(&mut rng, case, dc_only);
            let mut ba = [[0i16; 16]; 16];
            for blk in ba.iter_mut() {
                *blk = block(&mut rng, case, false);
            }
            let (mut yb, mut bb) = (ya, ba);
            kernel(&mut ba, &mut ya);
            fallback(&mut bb, &mut yb);
            assert_eq!((ba, ya), (bb, yb), "{name}: case {case}");
        }
    }
    eprintln!(
        "idct: {} kernels x {CASES} cases",
        add.len() + y.len() + uv.len() + wht.len()
    );
}

#[test]
fn ipred_kernels_match_the_rust_fallbacks() {
    let t = isas();
    let mut whole: Vec<(String, usize, IpredFn, IpredFn)> = Vec::new();
    let mut sub: Pairs<Ipred4Fn> = Vec::new();
    macro_rules! whole {
        ($n:literal, $tok:expr, $($k:ident => $f:ident),*) => {$(
            whole.push((stringify!($k).into(), $n, pred_slot(ipred::$k($tok)), Rc::new(ripred::$f)));
        )*};
    }
    macro_rules! sub {
        ($tok:expr, $($k:ident => $f:ident),*) => {$(
            sub.push((stringify!($k).into(), pred4_slot(ipred::$k($tok)), Rc::new(ripred::$f)));
        )*};
    }
    if let Some(s) = t.sse2 {
        whole!(16, s, pred16x16_dc_sse2 => pred16x16_dc_c, pred16x16_dc_left_sse2 => pred16x16_dc_left_c,
            pred16x16_dc_top_sse2 => pred16x16_dc_top_c, pred16x16_dc_128_sse2 => pred16x16_dc_128_c,
            pred16x16_v_sse2 => pred16x16_v_c, pred16x16_h_sse2 => pred16x16_h_c,
            pred16x16_tm_sse2 => pred16x16_tm_c);
        whole!(8, s, pred8x8_dc_sse2 => pred8x8_dc_c, pred8x8_dc_left_sse2 => pred8x8_dc_left_c,
            pred8x8_dc_top_sse2 => pred8x8_dc_top_c, pred8x8_dc_128_sse2 => pred8x8_dc_128_c,
            pred8x8_v_sse2 => pred8x8_v_c, pred8x8_h_sse2 => pred8x8_h_c,
            pred8x8_tm_sse2 => pred8x8_tm_c);
        sub!(s, pred4x4_dc_sse2 => pred4x4_dc_c, pred4x4_tm_sse2 => pred4x4_tm_c,
            pred4x4_ve_sse2 => pred4x4_ve_c, pred4x4_he_sse2 => pred4x4_he_c,
            pred4x4_ld_sse2 => pred4x4_ld_c, pred4x4_rd_sse2 => pred4x4_rd_c,
            pred4x4_hu_sse2 => pred4x4_hu_c);
    }
    if let Some(s) = t.ssse3 {
        sub!(s, pred4x4_vr_ssse3 => pred4x4_vr_c, pred4x4_vl_ssse3 => pred4x4_vl_c,
            pred4x4_hd_ssse3 => pred4x4_hd_c);
    }
    if let Some(s) = t.avx2 {
        whole!(16, s, pred16x16_h_avx2 => pred16x16_h_c, pred16x16_tm_avx2 => pred16x16_tm_c);
        whole!(8, s, pred8x8_tm_avx2 => pred8x8_tm_c);
    }
    let mut rng = Rng::new(0x5eed_0003);
    for (name, n, kernel, fallback) in &whole {
        for case in 0..CASES {
            // The block at row 1, column 1 of a buffer that holds every mode's edges.
            let stride = n + 1 + rng.below(20) as usize;
            let mut a = vec![0u8; (n + 1) * stride];
            rng.pixels(&mut a, case);
            let mut b = a.clone();
            kernel(&mut a, stride + 1, stride);
            fallback(&mut b, stride + 1, stride);
            assert_eq!(a, b, "{name}: case {case}");
        }
    }
    for (name, kernel, fallback) in &sub {
        for case in 0..CASES {
            let stride = 5 + rng.below(20) as usize;
            let mut a = vec![0u8; 5 * stride];
            rng.pixels(&mut a, case);
            let tr = [rng.byte(), rng.byte(), rng.byte(), rng.byte()];
            let mut b = a.clone();
            kernel(&mut a, stride + 1, stride, tr);
            fallback(&mut b, stride + 1, stride, tr);
            assert_eq!(a, b, "{name}: case {case}, topright {tr:?}");
        }
    }
    eprintln!("ipred: {} kernels x {CASES} cases", whole.len() + sub.len());
}

#[test]
fn loopfilter_kernels_match_the_rust_fallbacks() {
    let t = isas();
    let mut luma: Pairs<LumaCall> = Vec::new();
    let mut chroma: Pairs<ChromaCall> = Vec::new();
    let mut simple: Pairs<SimpleCall> = Vec::new();
    macro_rules! push {
        ($v:ident, $wrap:ident, $tok:expr, $($k:ident => $f:ident),*) => {$(
            $v.push((stringify!($k).into(), $wrap(loopfilter::$k($tok)), Rc::new(rlf::$f)));
        )*};
    }
    if let Some(s) = t.sse2 {
        push!(luma, luma_slot, s, mb_top_y_sse2 => lf_mb_top_y_c, mb_left_y_sse2 => lf_mb_left_y_c,
            inner_top_y_sse2 => lf_inner_top_y_c, inner_left_y_sse2 => lf_inner_left_y_c);
        push!(chroma, chroma_slot, s, mb_top_uv_sse2 => lf_mb_top_uv_c, mb_left_uv_sse2 => lf_mb_left_uv_c,
            inner_top_uv_sse2 => lf_inner_top_uv_c, inner_left_uv_sse2 => lf_inner_left_uv_c);
        push!(simple, simple_slot, s, simple_mb_top_sse2 => lf_simple_mb_top_c,
            simple_mb_left_sse2 => lf_simple_mb_left_c,
            simple_inner_top_sse2 => lf_simple_inner_top_c,
            simple_inner_left_sse2 => lf_simple_inner_left_c);
    }
    if let Some(s) = t.ssse3 {
        push!(luma, luma_slot, s, mb_top_y_ssse3 => lf_mb_top_y_c, mb_left_y_ssse3 => lf_mb_left_y_c);
        push!(chroma, chroma_slot, s, mb_top_uv_ssse3 => lf_mb_top_uv_c, mb_left_uv_ssse3 => lf_mb_left_uv_c);
    }
    let mut rng = Rng::new(0x5eed_0004);
    // Thresholds as the decoder derives them (E <= 193, I <= 63, H <= 3), and their extremes.
    let limits = |rng: &mut Rng, case: usize| -> (u8, u8, u8) {
        match case % 5 {
            0 => (0, 0, 0),
            1 => (193, 63, 3),
            _ => (
                rng.below(194) as u8,
                rng.below(64) as u8,
                rng.below(4) as u8,
            ),
        }
    };
    // Every kernel gets a 16x16 (luma) or 8x8 (chroma) block at row 4, column 4 of a plane with
    // 4 pixels around it: the macroblock edges read 4 before.
    for (name, kernel, fallback) in &luma {
        for case in 0..CASES {
            let stride = 24 + rng.below(16) as usize;
            let mut a = vec![0u8; 24 * stride];
            rng.pixels(&mut a, case);
            let mut b = a.clone();
            let (e, i, h) = limits(&mut rng, case);
            let pos = 4 * stride + 4;
            kernel(&mut a, pos, stride, e, i, h);
            fallback(&mut b, pos, stride, e, i, h);
            assert_eq!(a, b, "{name}: case {case}, E {e} I {i} H {h}");
        }
    }
    for (name, kernel, fallback) in &chroma {
        for case in 0..CASES {
            let stride = 16 + rng.below(16) as usize;
            let mut ua = vec![0u8; 16 * stride];
            let mut va = ua.clone();
            rng.pixels(&mut ua, case);
            rng.pixels(&mut va, case + 2);
            let (mut ub, mut vb) = (ua.clone(), va.clone());
            let (e, i, h) = limits(&mut rng, case);
            let pos = 4 * stride + 4;
            kernel(&mut ua, &mut va, pos, stride, e, i, h);
            fallback(&mut ub, &mut vb, pos, stride, e, i, h);
            assert_eq!((ua, va), (ub, vb), "{name}: case {case}, E {e} I {i} H {h}");
        }
    }
    for (name, kernel, fallback) in &simple {
        for case in 0..CASES {
            let stride = 24 + rng.below(16) as usize;
            let mut a = vec![0u8; 24 * stride];
            rng.pixels(&mut a, case);
            let mut b = a.clone();
            let e = limits(&mut rng, case).0;
            let pos = 4 * stride + 4;
            kernel(&mut a, pos, stride, e);
            fallback(&mut b, pos, stride, e);
            assert_eq!(a, b, "{name}: case {case}, E {e}");
        }
    }
    eprintln!(
        "loopfilter: {} kernels x {CASES} cases",
        luma.len() + chroma.len() + simple.len()
    );
}
