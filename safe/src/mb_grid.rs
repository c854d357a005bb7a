//! The per-macroblock mode records of a frame as a grid: a `Vec<Vp8MbInfo>` of
//! `(mb_cols + 1) x (mb_rows + 1)` cells whose first row and first column are a border of
//! all-zero records (intra, DC_PRED, zero vectors), so the above / left / above-left neighbours of
//! any macroblock exist and need no special case.
//!
//! Guarantees: cells are addressed by `usize` indices ([`MbGrid::at`]), every access is
//! bounds-checked by the Vec, and the border is never written by the mode parser (it writes only
//! `at(x, y)` with `x < cols`, `y < rows`). The parser borrows a record in place beside its
//! neighbours ([`MbGrid::with_neighbours`]: one split of the cells, the neighbours all before it)
//! instead of copying the 90-byte record out and back. Replaces the
//! transpiled `mb_info_alloc` (libc::calloc), `mb_info` (a pointer to cell (0, 0)) and
//! `mb_stride`, whose neighbours were reached by pointer offsets.
//!
//! Cost, measured at step 28 with `portlab profile --stages c,safe --no-perf --limit 10` (callgrind, first 10 frames of
//! bench-720p-mandel-1280x720), per source file with `callgrind_annotate
//! target/portlab-profile/callgrind.b-safe.out`: 0.79 M instructions on this file's lines (cell
//! index arithmetic and the checks of `at`/`with_neighbours`), 0.46% of the safe stage's
//! 171.9 M; borrowing in place (step 26) saved the 0.49 M that copying each record cost.
use crate::internal_h::Vp8MbInfo;

#[derive(Debug, Clone, Default)]
pub struct MbGrid {
    cells: Vec<Vp8MbInfo>,
    /// cells per row: mb_cols + 1
    stride: usize,
}

impl MbGrid {
    /// A zeroed grid for `cols` x `rows` macroblocks, or None if the memory is not available
    /// (the C stage's calloc failure, reported as VP8_ERR_NO_MEMORY by the caller).
    pub fn new(cols: usize, rows: usize) -> Option<MbGrid> {
        let stride = cols + 1;
        let n = stride.checked_mul(rows + 1)?;
        let mut cells = Vec::new();
        cells.try_reserve_exact(n).ok()?;
        cells.resize(n, Vp8MbInfo::default());
        Some(MbGrid { cells, stride })
    }

    /// No records allocated (before the first key frame, or after a failed allocation).
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Index of macroblock (x, y), 0-based inside the frame.
    #[inline]
    pub fn at(&self, x: usize, y: usize) -> usize {
        (y + 1) * self.stride + x + 1
    }

    /// Cell `i` to parse into, borrowed in place, beside its above, left and above-left
    /// neighbours to read: they lie one stride and one cell before `i`, so one split of the
    /// cells lends both sides at once (panics if `i` is in the border row or column).
    #[inline]
    pub fn with_neighbours(&mut self, i: usize) -> (&mut Vp8MbInfo, Neighbours<'_>) {
        let (before, from_i) = self.cells.split_at_mut(i);
        let above = i - self.stride;
        let nb = Neighbours {
            above: &before[above],
            left: &before[i - 1],
            above_left: &before[above - 1],
        };
        (&mut from_i[0], nb)
    }

    #[inline]
    pub fn cells(&self) -> &[Vp8MbInfo] {
        &self.cells
    }

    #[inline]
    pub fn cells_mut(&mut self) -> &mut [Vp8MbInfo] {
        &mut self.cells
    }
}

/// The already parsed neighbours of a macroblock ([`MbGrid::with_neighbours`]).
#[derive(Debug, Clone, Copy)]
pub struct Neighbours<'g> {
    pub above: &'g Vp8MbInfo,
    pub left: &'g Vp8MbInfo,
    pub above_left: &'g Vp8MbInfo,
}
