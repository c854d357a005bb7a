//! The per-macroblock mode records of a frame as a grid: a `Vec<Vp8MbInfo>` of
//! `(mb_cols + 1) x (mb_rows + 1)` cells whose first row and first column are a border of
//! all-zero records (intra, DC_PRED, zero vectors), so the above / left / above-left neighbours of
//! any macroblock exist and need no special case.
//!
//! Guarantees: cells are addressed by `usize` indices ([`MbGrid::at`]), every access is
//! bounds-checked by the Vec, and the border is never written by the mode parser (it writes only
//! `at(x, y)` with `x < cols`, `y < rows`). The parser borrows a record in place beside its
//! neighbours instead of copying the 90-byte record out and back: one split of the cells per row
//! ([`MbGrid::row_with_above`], port step 54; until then one per macroblock), then one per
//! macroblock of the row ([`Neighbours::in_row`]). Replaces the
//! transpiled `mb_info_alloc` (libc::calloc), `mb_info` (a pointer to cell (0, 0)) and
//! `mb_stride`, whose neighbours were reached by pointer offsets.
//!
//! Cost, measured at step 28 with `portlab profile --stages c,safe --no-perf --limit 10` (callgrind, first 10 frames of
//! bench-720p-mandel-1280x720), per source file with `callgrind_annotate
//! target/portlab-profile/callgrind.b-safe.out`: 0.79 M instructions on this file's lines (cell
//! index arithmetic and the checks of `at` and the split per macroblock), 0.46% of the safe stage's
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

    /// Row `y` of the grid (its border cell first, then the row's macroblocks) to parse into,
    /// beside the row above it to read, split once for the whole row (port step 54); then
    /// [`Neighbours::in_row`] lends a macroblock and its neighbours for fewer checks than one
    /// split of the whole grid per macroblock made. Panics if `y` is not a
    /// row of macroblocks.
    #[inline]
    pub fn row_with_above(&mut self, y: usize) -> (&[Vp8MbInfo], &mut [Vp8MbInfo]) {
        let start = (y + 1) * self.stride;
        let (before, from) = self.cells.split_at_mut(start);
        (&before[start - self.stride..], &mut from[..self.stride])
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

/// The already parsed neighbours of a macroblock ([`Neighbours::in_row`]).
#[derive(Debug, Clone, Copy)]
pub struct Neighbours<'g> {
    pub above: &'g Vp8MbInfo,
    pub left: &'g Vp8MbInfo,
    pub above_left: &'g Vp8MbInfo,
}

impl<'g> Neighbours<'g> {
    /// Macroblock `x` of a row from [`MbGrid::row_with_above`], to parse into, and its
    /// neighbours: the cell left of it in the row and the two above it. Panics unless `x` is a
    /// macroblock of the row.
    #[inline(always)]
    pub fn in_row(
        above: &'g [Vp8MbInfo],
        row: &'g mut [Vp8MbInfo],
        x: usize,
    ) -> (&'g mut Vp8MbInfo, Neighbours<'g>) {
        let (done, rest) = row.split_at_mut(x + 1);
        let nb = Neighbours {
            above: &above[x + 1],
            left: &done[x],
            above_left: &above[x],
        };
        (&mut rest[0], nb)
    }
}
