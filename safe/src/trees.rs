//! The mode, segment and short-vector trees of `tables.rs` as code (port step 58): each tree
//! unrolled into nested `if`s on its nodes' probabilities.
//!
//! Why: [`Vp8BoolDecoder::read_tree`] walks a table. Every node costs two checked indexings (the
//! tree entry, then the next node's probability, both at run-time indices) and a leaf test. In a
//! tree written as code, each node's probability index is a constant into a fixed-size array, so
//! no check is left, and the leaves are the branches' ends. These trees are read for every
//! macroblock (a B_PRED one reads sixteen subblock modes), on a stream's first key frame twice
//! (the allocation check, then the decode).
//!
//! The tables stay the reference: the decoder no longer walks them (the coefficient tokens have
//! their own unrolled tree in `tokens.rs`), but the tests below check every tree here against
//! `read_tree` over its table, on random data and probabilities: same leaves, same reader state
//! after each.
use crate::bool_h::Vp8BoolDecoder;
use crate::ipred_h::BMode;
use crate::tables_h::{IntraMode, MbMode, SplitKind, SubMvRef};

/// `tree!(bd, p; SPEC)`: SPEC is `leaf V` or `N (ZERO) (ONE)`, the node whose probability is
/// `p[N]` with the subtrees of a 0 and a 1 bit.
macro_rules! tree {
    ($bd:ident, $p:ident; leaf $v:expr) => {
        $v
    };
    ($bd:ident, $p:ident; $n:literal ($($zero:tt)+) ($($one:tt)+)) => {
        if $bd.read_bool($p[$n]) {
            tree!($bd, $p; $($one)+)
        } else {
            tree!($bd, $p; $($zero)+)
        }
    };
}

/// `VP8_KF_YMODE_TREE`: a key frame's luma mode (B_PRED first).
#[inline(always)]
pub fn read_kf_ymode(bd: &mut Vp8BoolDecoder, p: &[u8; 4]) -> MbMode {
    use MbMode::*;
    tree!(bd, p; 0 (leaf BPred) (1 (2 (leaf Dc) (leaf V)) (3 (leaf H) (leaf Tm))))
}

/// `VP8_YMODE_TREE`: an inter frame's intra luma mode (DC_PRED first).
#[inline(always)]
pub fn read_ymode(bd: &mut Vp8BoolDecoder, p: &[u8; 4]) -> MbMode {
    use MbMode::*;
    tree!(bd, p; 0 (leaf Dc) (1 (2 (leaf V) (leaf H)) (3 (leaf Tm) (leaf BPred))))
}

/// `VP8_UV_MODE_TREE`: a chroma mode.
#[inline(always)]
pub fn read_uv_mode(bd: &mut Vp8BoolDecoder, p: &[u8; 3]) -> IntraMode {
    use IntraMode::*;
    tree!(bd, p; 0 (leaf Dc) (1 (leaf V) (2 (leaf H) (leaf Tm))))
}

/// `VP8_BMODE_TREE`: a subblock mode, leaves in the RFC's intra_bmode order.
#[inline(always)]
pub fn read_bmode(bd: &mut Vp8BoolDecoder, p: &[u8; 9]) -> BMode {
    use BMode::*;
    tree!(bd, p; 0 (leaf Dc) (1 (leaf Tm) (2 (leaf Ve)
        (3 (4 (leaf He) (5 (leaf Rd) (leaf Vr)))
           (6 (leaf Ld) (7 (leaf Vl) (8 (leaf Hd) (leaf Hu)))))))
    )
}

/// `VP8_MB_SEGMENT_TREE`: a segment id, two bits.
#[inline(always)]
pub fn read_segment(bd: &mut Vp8BoolDecoder, p: &[u8; 3]) -> u8 {
    tree!(bd, p; 0 (1 (leaf 0) (leaf 1)) (2 (leaf 2) (leaf 3)))
}

/// `VP8_SPLIT_MV_TREE`: a split macroblock's partitioning.
#[inline(always)]
pub fn read_split_mv(bd: &mut Vp8BoolDecoder, p: &[u8; 3]) -> SplitKind {
    use SplitKind::*;
    tree!(bd, p; 0 (leaf Sixteen) (1 (leaf Quarters) (2 (leaf TopBottom) (leaf LeftRight))))
}

/// `VP8_SUB_MV_REF_TREE`: a split partition's vector reference.
#[inline(always)]
pub fn read_sub_mv_ref(bd: &mut Vp8BoolDecoder, p: &[u8; 3]) -> SubMvRef {
    use SubMvRef::*;
    tree!(bd, p; 0 (leaf Left) (1 (leaf Above) (2 (leaf Zero) (leaf New))))
}

/// `VP8_SMALL_MV_TREE`: a short vector magnitude 0..7; `p` is the component's probabilities
/// from `VP8_MVP_SHORT` on.
#[inline(always)]
pub fn read_small_mv(bd: &mut Vp8BoolDecoder, p: &[u8; 7]) -> u8 {
    tree!(bd, p; 0 (1 (2 (leaf 0) (leaf 1)) (3 (leaf 2) (leaf 3)))
                   (4 (5 (leaf 4) (leaf 5)) (6 (leaf 6) (leaf 7))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::{
        VP8_BMODE_TREE, VP8_KF_YMODE_TREE, VP8_MB_SEGMENT_TREE, VP8_SMALL_MV_TREE,
        VP8_SPLIT_MV_TREE, VP8_SUB_MV_REF_TREE, VP8_UV_MODE_TREE, VP8_YMODE_TREE,
    };
    use crate::tables_h::TreeIndex;

    /// A small deterministic generator (xorshift64*), so a failure replays.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn byte(&mut self) -> u8 {
            (self.next() >> 56) as u8
        }
    }

    /// Reads `N`-probability tree `code` and table `tree` in step from two readers of the same
    /// random data, with fresh random probabilities (1..=255, and the extremes) every read.
    fn same_as_table<const N: usize>(
        tree: &[TreeIndex],
        code: fn(&mut Vp8BoolDecoder, &[u8; N]) -> u8,
    ) {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ tree.len() as u64);
        let mut seen = [false; 16];
        for round in 0..200 {
            // Some rounds run past the end of the data into the zero tail.
            let data: Vec<u8> = (0..(round % 40)).map(|_| rng.byte()).collect();
            let (mut a, mut b) = (Vp8BoolDecoder::new(&data), Vp8BoolDecoder::new(&data));
            for _ in 0..100 {
                let p: [u8; N] = std::array::from_fn(|_| match rng.byte() {
                    0 => 1,
                    1 => 255,
                    v => v,
                });
                let want = a.read_tree(tree, &p);
                let got = code(&mut b, &p);
                assert_eq!(i32::from(got), want, "tree of {} entries", tree.len());
                assert_eq!(format!("{a:?}"), format!("{b:?}"), "reader state");
                seen[want as usize] = true;
            }
        }
        let leaves = tree.iter().filter(|&&t| t <= 0).count();
        assert!(
            seen[..leaves].iter().all(|&s| s),
            "every leaf read: {seen:?}"
        );
    }

    #[test]
    fn trees_as_code_read_what_the_tables_read() {
        same_as_table(&VP8_KF_YMODE_TREE, |bd, p| read_kf_ymode(bd, p) as u8);
        same_as_table(&VP8_YMODE_TREE, |bd, p| read_ymode(bd, p) as u8);
        same_as_table(&VP8_UV_MODE_TREE, |bd, p| read_uv_mode(bd, p) as u8);
        same_as_table(&VP8_BMODE_TREE, |bd, p| read_bmode(bd, p) as u8);
        same_as_table(&VP8_MB_SEGMENT_TREE, read_segment);
        same_as_table(&VP8_SPLIT_MV_TREE, |bd, p| read_split_mv(bd, p) as u8);
        same_as_table(&VP8_SUB_MV_REF_TREE, |bd, p| read_sub_mv_ref(bd, p) as u8);
        same_as_table(&VP8_SMALL_MV_TREE, read_small_mv);
    }
}
