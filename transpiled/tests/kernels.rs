//! The C fallback kernels of the C stage (linked from `vp8-c`) and their transpiled twins give
//! identical results on random inputs: a fast, local check of the transpiler's arithmetic that
//! points at the kernel when the corpus test fails. (Hand-written; src/ is generated.)

use vp8_transpiled as t;
// The C stage's objects (the kernels declared below).
use vp8_c as _;

unsafe extern "C" {
    fn vp8_idct_add_c(dst: *mut u8, stride: isize, block: *mut i16);
    fn vp8_idct_dc_add_c(dst: *mut u8, stride: isize, block: *mut i16);
    fn vp8_iwht_c(blocks: *mut [i16; 16], y2: *mut i16);
    fn vp8_sixtap_16x16_c(dst: *mut u8, ds: isize, src: *const u8, ss: isize, mx: i32, my: i32);
    fn vp8_sixtap_4x4_c(dst: *mut u8, ds: isize, src: *const u8, ss: isize, mx: i32, my: i32);
    fn vp8_bilinear_8x8_c(dst: *mut u8, ds: isize, src: *const u8, ss: isize, mx: i32, my: i32);
    fn vp8_lf_mb_top_y_c(dst: *mut u8, stride: isize, e: i32, i: i32, h: i32);
    fn vp8_lf_inner_left_y_c(dst: *mut u8, stride: isize, e: i32, i: i32, h: i32);
    fn vp8_lf_simple_mb_left_c(dst: *mut u8, stride: isize, e: i32);
    fn vp8_lf_inner_top_uv_c(u: *mut u8, v: *mut u8, stride: isize, e: i32, i: i32, h: i32);
}

type Pred = unsafe extern "C" fn(*mut u8, isize, *const u8);
unsafe extern "C" {
    fn vp8_pred4x4_dc_c(d: *mut u8, s: isize, tr: *const u8);
    fn vp8_pred4x4_tm_c(d: *mut u8, s: isize, tr: *const u8);
    fn vp8_pred4x4_ve_c(d: *mut u8, s: isize, tr: *const u8);
    fn vp8_pred4x4_he_c(d: *mut u8, s: isize, tr: *const u8);
    fn vp8_pred4x4_ld_c(d: *mut u8, s: isize, tr: *const u8);
    fn vp8_pred4x4_rd_c(d: *mut u8, s: isize, tr: *const u8);
    fn vp8_pred4x4_vr_c(d: *mut u8, s: isize, tr: *const u8);
    fn vp8_pred4x4_vl_c(d: *mut u8, s: isize, tr: *const u8);
    fn vp8_pred4x4_hd_c(d: *mut u8, s: isize, tr: *const u8);
    fn vp8_pred4x4_hu_c(d: *mut u8, s: isize, tr: *const u8);
    fn vp8_pred16x16_tm_c(d: *mut u8, s: isize);
    fn vp8_pred16x16_dc_c(d: *mut u8, s: isize);
    fn vp8_pred8x8_dc_top_c(d: *mut u8, s: isize);
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

const STRIDE: isize = 48;

/// A 48x48 picture; kernels work at its centre (16, 16) so every border read is inside.
fn picture(rng: &mut Rng) -> Vec<u8> {
    rng.bytes(48 * 48)
}

fn centre(p: &mut [u8]) -> *mut u8 {
    p[16 * 48 + 16..].as_mut_ptr()
}

#[test]
fn idct_kernels_match() {
    let mut rng = Rng(1);
    for round in 0..2000 {
        let pic = picture(&mut rng);
        let mut block = [0i16; 16];
        for c in block.iter_mut() {
            let r = rng.next();
            *c = if round % 2 == 0 {
                (r as i16) >> 4
            } else {
                r as i16
            };
        }
        let (mut a, mut b) = (pic.clone(), pic.clone());
        let (mut ba, mut bb) = (block, block);
        unsafe {
            vp8_idct_add_c(centre(&mut a), STRIDE, ba.as_mut_ptr());
            t::idct::vp8_idct_add_c(centre(&mut b), STRIDE, bb.as_mut_ptr());
        }
        assert_eq!(a, b, "idct_add round {round}");
        assert_eq!(ba, bb);
        let (mut a, mut b) = (pic.clone(), pic.clone());
        let (mut ba, mut bb) = (block, block);
        unsafe {
            vp8_idct_dc_add_c(centre(&mut a), STRIDE, ba.as_mut_ptr());
            t::idct::vp8_idct_dc_add_c(centre(&mut b), STRIDE, bb.as_mut_ptr());
        }
        assert_eq!(a, b, "idct_dc_add round {round}");
        let mut blocks_a = [[0i16; 16]; 16];
        let mut blocks_b = [[0i16; 16]; 16];
        let (mut ya, mut yb) = (block, block);
        unsafe {
            vp8_iwht_c(blocks_a.as_mut_ptr(), ya.as_mut_ptr());
            t::idct::vp8_iwht_c(blocks_b.as_mut_ptr(), yb.as_mut_ptr());
        }
        assert_eq!(blocks_a, blocks_b, "iwht round {round}");
    }
}

#[test]
fn mc_kernels_match() {
    let mut rng = Rng(2);
    type Mc = unsafe extern "C" fn(*mut u8, isize, *const u8, isize, i32, i32);
    let pairs: [(Mc, Mc, &str); 3] = [
        (
            vp8_sixtap_16x16_c,
            t::mc::vp8_sixtap_16x16_c,
            "sixtap 16x16",
        ),
        (vp8_sixtap_4x4_c, t::mc::vp8_sixtap_4x4_c, "sixtap 4x4"),
        (
            vp8_bilinear_8x8_c,
            t::mc::vp8_bilinear_8x8_c,
            "bilinear 8x8",
        ),
    ];
    for (c, r, name) in pairs {
        for mx in 0..8 {
            for my in 0..8 {
                let src = picture(&mut rng);
                let mut src = src;
                let dst = vec![0u8; 48 * 48];
                let (mut a, mut b) = (dst.clone(), dst);
                unsafe {
                    let s = centre(&mut src) as *const u8;
                    c(a.as_mut_ptr(), STRIDE, s, STRIDE, mx, my);
                    r(b.as_mut_ptr(), STRIDE, s, STRIDE, mx, my);
                }
                assert_eq!(a, b, "{name} mx {mx} my {my}");
            }
        }
    }
}

#[test]
fn loop_filter_kernels_match() {
    let mut rng = Rng(3);
    for round in 0..500 {
        let mut pic = picture(&mut rng);
        // Smooth pictures exercise the filters (random noise mostly exceeds the limits).
        if round % 2 == 0 {
            for v in pic.iter_mut() {
                *v = 100 + (*v & 15);
            }
        }
        let e = (rng.next() % 128) as i32;
        let i = (rng.next() % 64) as i32;
        let h = (rng.next() % 4) as i32;
        let (mut a, mut b) = (pic.clone(), pic.clone());
        unsafe {
            vp8_lf_mb_top_y_c(centre(&mut a), STRIDE, e, i, h);
            t::loopfilter::vp8_lf_mb_top_y_c(centre(&mut b), STRIDE, e, i, h);
        }
        assert_eq!(a, b, "mb_top_y round {round}");
        let (mut a, mut b) = (pic.clone(), pic.clone());
        unsafe {
            vp8_lf_inner_left_y_c(centre(&mut a), STRIDE, e, i, h);
            t::loopfilter::vp8_lf_inner_left_y_c(centre(&mut b), STRIDE, e, i, h);
        }
        assert_eq!(a, b, "inner_left_y round {round}");
        let (mut a, mut b) = (pic.clone(), pic.clone());
        unsafe {
            vp8_lf_simple_mb_left_c(centre(&mut a), STRIDE, e);
            t::loopfilter::vp8_lf_simple_mb_left_c(centre(&mut b), STRIDE, e);
        }
        assert_eq!(a, b, "simple_mb_left round {round}");
        let (mut a, mut b) = (pic.clone(), pic.clone());
        unsafe {
            let (ua, va) = (centre(&mut a), centre(&mut a).add(16));
            vp8_lf_inner_top_uv_c(ua, va, STRIDE, e, i, h);
            let (ub, vb) = (centre(&mut b), centre(&mut b).add(16));
            t::loopfilter::vp8_lf_inner_top_uv_c(ub, vb, STRIDE, e, i, h);
        }
        assert_eq!(a, b, "inner_top_uv round {round}");
    }
}

#[test]
fn intra_predictors_match() {
    let mut rng = Rng(4);
    let preds: [(Pred, Pred, &str); 10] = [
        (vp8_pred4x4_dc_c, t::ipred::vp8_pred4x4_dc_c, "4x4 dc"),
        (vp8_pred4x4_tm_c, t::ipred::vp8_pred4x4_tm_c, "4x4 tm"),
        (vp8_pred4x4_ve_c, t::ipred::vp8_pred4x4_ve_c, "4x4 ve"),
        (vp8_pred4x4_he_c, t::ipred::vp8_pred4x4_he_c, "4x4 he"),
        (vp8_pred4x4_ld_c, t::ipred::vp8_pred4x4_ld_c, "4x4 ld"),
        (vp8_pred4x4_rd_c, t::ipred::vp8_pred4x4_rd_c, "4x4 rd"),
        (vp8_pred4x4_vr_c, t::ipred::vp8_pred4x4_vr_c, "4x4 vr"),
        (vp8_pred4x4_vl_c, t::ipred::vp8_pred4x4_vl_c, "4x4 vl"),
        (vp8_pred4x4_hd_c, t::ipred::vp8_pred4x4_hd_c, "4x4 hd"),
        (vp8_pred4x4_hu_c, t::ipred::vp8_pred4x4_hu_c, "4x4 hu"),
    ];
    for round in 0..200 {
        let pic = picture(&mut rng);
        let tr = rng.bytes(4);
        for (c, r, name) in preds {
            let (mut a, mut b) = (pic.clone(), pic.clone());
            unsafe {
                c(centre(&mut a), STRIDE, tr.as_ptr());
                r(centre(&mut b), STRIDE, tr.as_ptr());
            }
            assert_eq!(a, b, "{name} round {round}");
        }
        type P = unsafe extern "C" fn(*mut u8, isize);
        let whole: [(P, P, &str); 3] = [
            (vp8_pred16x16_tm_c, t::ipred::vp8_pred16x16_tm_c, "16x16 tm"),
            (vp8_pred16x16_dc_c, t::ipred::vp8_pred16x16_dc_c, "16x16 dc"),
            (
                vp8_pred8x8_dc_top_c,
                t::ipred::vp8_pred8x8_dc_top_c,
                "8x8 dc_top",
            ),
        ];
        for (c, r, name) in whole {
            let (mut a, mut b) = (pic.clone(), pic.clone());
            unsafe {
                c(centre(&mut a), STRIDE);
                r(centre(&mut b), STRIDE);
            }
            assert_eq!(a, b, "{name} round {round}");
        }
    }
}

// The C stage's tables, under other Rust names (the symbols are the C names).
unsafe extern "C" {
    #[link_name = "vp8_ymode_tree"]
    static C_vp8_ymode_tree: u8;
    #[link_name = "vp8_kf_ymode_tree"]
    static C_vp8_kf_ymode_tree: u8;
    #[link_name = "vp8_uv_mode_tree"]
    static C_vp8_uv_mode_tree: u8;
    #[link_name = "vp8_bmode_tree"]
    static C_vp8_bmode_tree: u8;
    #[link_name = "vp8_mb_segment_tree"]
    static C_vp8_mb_segment_tree: u8;
    #[link_name = "vp8_mv_ref_tree"]
    static C_vp8_mv_ref_tree: u8;
    #[link_name = "vp8_split_mv_tree"]
    static C_vp8_split_mv_tree: u8;
    #[link_name = "vp8_sub_mv_ref_tree"]
    static C_vp8_sub_mv_ref_tree: u8;
    #[link_name = "vp8_small_mv_tree"]
    static C_vp8_small_mv_tree: u8;
    #[link_name = "vp8_coeff_tree"]
    static C_vp8_coeff_tree: u8;
    #[link_name = "vp8_kf_ymode_prob"]
    static C_vp8_kf_ymode_prob: u8;
    #[link_name = "vp8_kf_uv_mode_prob"]
    static C_vp8_kf_uv_mode_prob: u8;
    #[link_name = "vp8_kf_bmode_prob"]
    static C_vp8_kf_bmode_prob: u8;
    #[link_name = "vp8_default_ymode_prob"]
    static C_vp8_default_ymode_prob: u8;
    #[link_name = "vp8_default_uv_mode_prob"]
    static C_vp8_default_uv_mode_prob: u8;
    #[link_name = "vp8_bmode_prob"]
    static C_vp8_bmode_prob: u8;
    #[link_name = "vp8_mode_contexts"]
    static C_vp8_mode_contexts: u8;
    #[link_name = "vp8_split_mv_prob"]
    static C_vp8_split_mv_prob: u8;
    #[link_name = "vp8_sub_mv_ref_prob"]
    static C_vp8_sub_mv_ref_prob: u8;
    #[link_name = "vp8_split_mv_map"]
    static C_vp8_split_mv_map: u8;
    #[link_name = "vp8_split_mv_count"]
    static C_vp8_split_mv_count: u8;
    #[link_name = "vp8_default_mv_prob"]
    static C_vp8_default_mv_prob: u8;
    #[link_name = "vp8_mv_update_prob"]
    static C_vp8_mv_update_prob: u8;
    #[link_name = "vp8_default_coeff_prob"]
    static C_vp8_default_coeff_prob: u8;
    #[link_name = "vp8_coeff_update_prob"]
    static C_vp8_coeff_update_prob: u8;
    #[link_name = "vp8_coeff_bands"]
    static C_vp8_coeff_bands: u8;
    #[link_name = "vp8_zigzag"]
    static C_vp8_zigzag: u8;
    #[link_name = "vp8_dct_cat_prob"]
    static C_vp8_dct_cat_prob: u8;
    #[link_name = "vp8_dct_cat_base"]
    static C_vp8_dct_cat_base: u8;
    #[link_name = "vp8_dc_qlookup"]
    static C_vp8_dc_qlookup: u8;
    #[link_name = "vp8_ac_qlookup"]
    static C_vp8_ac_qlookup: u8;
    #[link_name = "vp8_sixtap_filters"]
    static C_vp8_sixtap_filters: u8;
    #[link_name = "vp8_bilinear_filters"]
    static C_vp8_bilinear_filters: u8;
}

/// The constant tables of tables.c and their transpiled `static`s hold the same bytes.
#[test]
fn tables_are_identical() {
    unsafe fn same<T>(name: &str, c: *const u8, r: &T) {
        let n = std::mem::size_of::<T>();
        // SAFETY: the C object has the same type, so n bytes are readable at both addresses.
        let (a, b) = unsafe {
            (
                std::slice::from_raw_parts(c, n),
                std::slice::from_raw_parts(r as *const T as *const u8, n),
            )
        };
        assert_eq!(a, b, "table {name} differs");
    }
    unsafe {
        same(
            "vp8_ymode_tree",
            &raw const C_vp8_ymode_tree,
            &t::tables::vp8_ymode_tree,
        );
        same(
            "vp8_kf_ymode_tree",
            &raw const C_vp8_kf_ymode_tree,
            &t::tables::vp8_kf_ymode_tree,
        );
        same(
            "vp8_uv_mode_tree",
            &raw const C_vp8_uv_mode_tree,
            &t::tables::vp8_uv_mode_tree,
        );
        same(
            "vp8_bmode_tree",
            &raw const C_vp8_bmode_tree,
            &t::tables::vp8_bmode_tree,
        );
        same(
            "vp8_mb_segment_tree",
            &raw const C_vp8_mb_segment_tree,
            &t::tables::vp8_mb_segment_tree,
        );
        same(
            "vp8_mv_ref_tree",
            &raw const C_vp8_mv_ref_tree,
            &t::tables::vp8_mv_ref_tree,
        );
        same(
            "vp8_split_mv_tree",
            &raw const C_vp8_split_mv_tree,
            &t::tables::vp8_split_mv_tree,
        );
        same(
            "vp8_sub_mv_ref_tree",
            &raw const C_vp8_sub_mv_ref_tree,
            &t::tables::vp8_sub_mv_ref_tree,
        );
        same(
            "vp8_small_mv_tree",
            &raw const C_vp8_small_mv_tree,
            &t::tables::vp8_small_mv_tree,
        );
        same(
            "vp8_coeff_tree",
            &raw const C_vp8_coeff_tree,
            &t::tables::vp8_coeff_tree,
        );
        same(
            "vp8_kf_ymode_prob",
            &raw const C_vp8_kf_ymode_prob,
            &t::tables::vp8_kf_ymode_prob,
        );
        same(
            "vp8_kf_uv_mode_prob",
            &raw const C_vp8_kf_uv_mode_prob,
            &t::tables::vp8_kf_uv_mode_prob,
        );
        same(
            "vp8_kf_bmode_prob",
            &raw const C_vp8_kf_bmode_prob,
            &t::tables::vp8_kf_bmode_prob,
        );
        same(
            "vp8_default_ymode_prob",
            &raw const C_vp8_default_ymode_prob,
            &t::tables::vp8_default_ymode_prob,
        );
        same(
            "vp8_default_uv_mode_prob",
            &raw const C_vp8_default_uv_mode_prob,
            &t::tables::vp8_default_uv_mode_prob,
        );
        same(
            "vp8_bmode_prob",
            &raw const C_vp8_bmode_prob,
            &t::tables::vp8_bmode_prob,
        );
        same(
            "vp8_mode_contexts",
            &raw const C_vp8_mode_contexts,
            &t::tables::vp8_mode_contexts,
        );
        same(
            "vp8_split_mv_prob",
            &raw const C_vp8_split_mv_prob,
            &t::tables::vp8_split_mv_prob,
        );
        same(
            "vp8_sub_mv_ref_prob",
            &raw const C_vp8_sub_mv_ref_prob,
            &t::tables::vp8_sub_mv_ref_prob,
        );
        same(
            "vp8_split_mv_map",
            &raw const C_vp8_split_mv_map,
            &t::tables::vp8_split_mv_map,
        );
        same(
            "vp8_split_mv_count",
            &raw const C_vp8_split_mv_count,
            &t::tables::vp8_split_mv_count,
        );
        same(
            "vp8_default_mv_prob",
            &raw const C_vp8_default_mv_prob,
            &t::tables::vp8_default_mv_prob,
        );
        same(
            "vp8_mv_update_prob",
            &raw const C_vp8_mv_update_prob,
            &t::tables::vp8_mv_update_prob,
        );
        same(
            "vp8_default_coeff_prob",
            &raw const C_vp8_default_coeff_prob,
            &t::tables::vp8_default_coeff_prob,
        );
        same(
            "vp8_coeff_update_prob",
            &raw const C_vp8_coeff_update_prob,
            &t::tables::vp8_coeff_update_prob,
        );
        same(
            "vp8_coeff_bands",
            &raw const C_vp8_coeff_bands,
            &t::tables::vp8_coeff_bands,
        );
        same(
            "vp8_zigzag",
            &raw const C_vp8_zigzag,
            &t::tables::vp8_zigzag,
        );
        same(
            "vp8_dct_cat_prob",
            &raw const C_vp8_dct_cat_prob,
            &t::tables::vp8_dct_cat_prob,
        );
        same(
            "vp8_dct_cat_base",
            &raw const C_vp8_dct_cat_base,
            &t::tables::vp8_dct_cat_base,
        );
        same(
            "vp8_dc_qlookup",
            &raw const C_vp8_dc_qlookup,
            &t::tables::vp8_dc_qlookup,
        );
        same(
            "vp8_ac_qlookup",
            &raw const C_vp8_ac_qlookup,
            &t::tables::vp8_ac_qlookup,
        );
        same(
            "vp8_sixtap_filters",
            &raw const C_vp8_sixtap_filters,
            &t::tables::vp8_sixtap_filters,
        );
        same(
            "vp8_bilinear_filters",
            &raw const C_vp8_bilinear_filters,
            &t::tables::vp8_bilinear_filters,
        );
    }
}
