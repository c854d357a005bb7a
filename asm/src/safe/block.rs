//! [`MbBlock`]: a macroblock's block of one plane, with the row above it and the column to its
//! left, checked once for every reconstruction kernel that runs on it (port step 47).
//!
//! A decoder reconstructs a macroblock with up to three kinds of kernel per plane: intra
//! prediction (which reads the row above and the column left), motion compensation (which
//! writes the block or a part of it) and the residual add (the block, or one 4x4 subblock). Each
//! slot's `call` checked its own window, so an intra macroblock paid six window checks, an inter
//! one nine, and a B_PRED one up to forty. Every one of those windows lies inside the block with
//! its row above and column left, so one check per plane and macroblock covers them all: the
//! slots' `call_block` methods then check only what varies at run time (a subblock index, a
//! motion-compensation offset inside the block), and motion compensation still checks its
//! source window, which lies in another picture.
//!
//! The loop filter has its own block type ([`super::loopfilter::LfBlock`], step 41): its edges
//! reach four rows and columns out, which reconstruction must not be allowed to write.

use super::{Window, check_rect, check_window};

/// The `N` x `N` block (16 for luma, 8 for chroma) whose top-left pixel is `buf[pos]`, rows
/// `stride` apart, checked to lie in `buf` together with the row above it and the column to its
/// left (from `pos - stride - 1` to `pos + (N - 1) * stride + N - 1`), with `N + 1 <= stride <=
/// u32::MAX`. Holding one is the proof the slots' `call_block` methods rely on.
#[derive(Debug)]
pub struct MbBlock<'a, const N: usize> {
    pub(super) buf: &'a mut [u8],
    pub(super) pos: usize,
    pub(super) stride: usize,
}

/// The window an [`MbBlock`]`<N>` is checked for: the widest intra predictor's (TM reads the
/// row above, the column left and the above-left pixel), which holds every other
/// reconstruction kernel's.
pub(super) const fn mb_window(n: usize) -> Window {
    super::ipred::full_window(n)
}

/// Whether a `w` x `h` window at pixel (`x`, `y`) of an `n` x `n` block, reaching `up` rows
/// above and `left` columns left of it, lies inside [`mb_window`]`(n)`.
pub(super) const fn inside_mb(
    n: usize,
    (x, y): (usize, usize),
    (w, h): (usize, usize),
    (up, left): (usize, usize),
) -> bool {
    let b = mb_window(n);
    up <= b.up + y && left <= b.left + x && x + w <= b.right + 1 && y + h <= b.down + 1
}

impl<'a, const N: usize> MbBlock<'a, N> {
    /// The block at `buf[pos]`; panics unless `buf` holds it with the row above and the column
    /// left, and `N + 1 <= stride <= u32::MAX`.
    #[inline(always)]
    pub fn new(buf: &'a mut [u8], pos: usize, stride: usize) -> Self {
        let w = &const { mb_window(N).small() };
        check_window("reconstruction", "buf", w, buf.len(), pos, stride);
        MbBlock { buf, pos, stride }
    }

    /// The stride of the block's rows.
    #[inline(always)]
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// The four pixels in the row above pixel (`x`, `y`) of the block, starting above it (a 4x4
    /// subblock's "above" edge, or its above-right one from the subblock to its left). Indexes
    /// `buf` like any safe code: outside the block's window it still cannot read out of bounds,
    /// it panics.
    #[inline(always)]
    pub fn above4(&self, x: usize, y: usize) -> [u8; 4] {
        let p = self.pos + y * self.stride + x - self.stride;
        self.buf[p..p + 4].try_into().unwrap()
    }

    /// The index in `buf` of pixel (`x`, `y`) of the block, for a caller that has checked
    /// (`inside_mb`) that the window it uses there lies inside the block's.
    #[inline(always)]
    pub(super) fn offset(&self, x: usize, y: usize) -> usize {
        self.pos + y * self.stride + x
    }
}

/// A macroblock row of one plane: `blocks` [`MbBlock`]s side by side from `buf[pos]`, checked
/// once for the row (port step 48), so that each block costs one compare of its index (see
/// [`block`](Self::block)) where [`MbBlock::new`] checked its window.
#[derive(Debug)]
pub struct MbRow<'a, const N: usize> {
    buf: &'a mut [u8],
    pos: usize,
    stride: usize,
    blocks: usize,
}

impl<'a, const N: usize> MbRow<'a, N> {
    /// The row of `blocks` blocks whose first top-left pixel is `buf[pos]`; panics unless `buf`
    /// holds every block's window (the row with the row above it and the column left of it),
    /// `blocks >= 1` and `N * blocks + 1 <= stride <= u32::MAX`.
    pub fn new(buf: &'a mut [u8], pos: usize, stride: usize, blocks: usize) -> Self {
        let width = N.checked_mul(blocks).expect("a row of that many blocks");
        check_rect(
            "reconstruction row",
            buf.len(),
            pos,
            stride,
            (width, N),
            (1, 1, 0, 0),
        );
        MbRow {
            buf,
            pos,
            stride,
            blocks,
        }
    }

    /// Block `i` of the row; panics unless `i` is below the row's block count.
    #[inline(always)]
    pub fn block(&mut self, i: usize) -> MbBlock<'_, N> {
        assert!(i < self.blocks, "block {i} of a row of {}", self.blocks);
        self.block_at(i)
    }

    /// Block `i`, for a caller that has checked `i < blocks` ([`block`](Self::block),
    /// [`MbRows::at`]).
    #[inline(always)]
    fn block_at(&mut self, i: usize) -> MbBlock<'_, N> {
        debug_assert!(i < self.blocks);
        // Inside the row's window: every block's window is (`MbRow::new`).
        MbBlock {
            buf: self.buf,
            pos: self.pos + i * N,
            stride: self.stride,
        }
    }

    /// The row's buffer, for what the decoder reads itself (with its own bounds checks).
    #[inline(always)]
    pub fn data(&self) -> &[u8] {
        self.buf
    }

    /// The index in [`data`](Self::data) of block `i`'s top-left pixel.
    #[inline(always)]
    pub fn block_pos(&self, i: usize) -> usize {
        self.pos + i * N
    }

    /// The stride of the row's lines.
    #[inline(always)]
    pub fn stride(&self) -> usize {
        self.stride
    }
}

/// The three planes' macroblock rows of a 4:2:0 picture (luma blocks of 16, chroma of 8), with
/// the same block count (port step 60). [`at`](Self::at) checks a macroblock index once for
/// the three; its blocks then cost no check at all. Before, each kernel call took its block
/// from one row through [`MbRow::block`] and its compare (step 56).
#[derive(Debug)]
pub struct MbRows<'a> {
    y: MbRow<'a, 16>,
    u: MbRow<'a, 8>,
    v: MbRow<'a, 8>,
}

impl<'a> MbRows<'a> {
    /// The rows `y`, `u` and `v`; panics unless they have the same number of blocks.
    pub fn new(y: MbRow<'a, 16>, u: MbRow<'a, 8>, v: MbRow<'a, 8>) -> Self {
        assert!(
            y.blocks == u.blocks && u.blocks == v.blocks,
            "plane rows of {}, {} and {} blocks",
            y.blocks,
            u.blocks,
            v.blocks
        );
        MbRows { y, u, v }
    }

    /// The luma row.
    #[inline(always)]
    pub fn luma(&self) -> &MbRow<'a, 16> {
        &self.y
    }

    /// Macroblock `x` of the rows; panics unless `x` is below their block count.
    #[inline(always)]
    pub fn at(&mut self, x: usize) -> MbAt<'_, 'a> {
        assert!(
            x < self.y.blocks,
            "macroblock {x} of a row of {}",
            self.y.blocks
        );
        MbAt { rows: self, x }
    }
}

/// Macroblock `x` of [`MbRows`], `x` checked to be below the rows' block count: each plane's
/// block is handed out without a check, made where a kernel call needs it so that its fields
/// are read from the rows there (a macroblock's three blocks held through it cost the decoder's
/// register-starved row loop stack copies of twelve words, step 56).
#[derive(Debug)]
pub struct MbAt<'r, 'a> {
    rows: &'r mut MbRows<'a>,
    x: usize,
}

impl MbAt<'_, '_> {
    /// The luma block.
    #[inline(always)]
    pub fn y(&mut self) -> MbBlock<'_, 16> {
        self.rows.y.block_at(self.x)
    }

    /// The U block.
    #[inline(always)]
    pub fn u(&mut self) -> MbBlock<'_, 8> {
        self.rows.u.block_at(self.x)
    }

    /// The V block.
    #[inline(always)]
    pub fn v(&mut self) -> MbBlock<'_, 8> {
        self.rows.v.block_at(self.x)
    }

    /// The U and V blocks together (the chroma residual kernel takes both).
    #[inline(always)]
    pub fn uv(&mut self) -> (MbBlock<'_, 8>, MbBlock<'_, 8>) {
        let x = self.x;
        (self.rows.u.block_at(x), self.rows.v.block_at(x))
    }
}

/// The index of pixel (`(sub % 4) * 4`, `(sub / 4) * 4`): 4x4 subblock `sub` of a 16x16 block in
/// raster order. Panics unless `sub < 16` (a constant test where the caller's loop bound is).
#[inline(always)]
pub(super) fn subblock_xy(sub: usize) -> (usize, usize) {
    assert!(sub < 16, "subblock {sub} of a 16x16 block");
    ((sub & 3) * 4, (sub >> 2) * 4)
}
