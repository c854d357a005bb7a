//! The per-macroblock mode records of a frame as a grid: a `Vec<Vp8MbInfo>` of
//! `(mb_cols + 1) x (mb_rows + 1)` cells whose first row and first column are a border of
//! all-zero records (intra, DC_PRED, zero vectors), so the above / left / above-left neighbours of
//! any macroblock exist and need no special case.
//!
//! Guarantees: cells are addressed by `usize` indices ([`MbGrid::at`], [`MbGrid::above`],
//! [`MbGrid::left`]), every access is bounds-checked by the Vec, and the border is never written
//! by the mode parser (it writes only `at(x, y)` with `x < cols`, `y < rows`). Replaces the
//! transpiled `mb_info_alloc` (libc::calloc), `mb_info` (a pointer to cell (0, 0)) and
//! `mb_stride`, whose neighbours were reached by pointer offsets.
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

    /// Index of the cell above cell `i` (the border row for the frame's first row).
    #[inline]
    pub fn above(&self, i: usize) -> usize {
        i - self.stride
    }

    /// Index of the cell left of cell `i` (the border column for the frame's first column).
    #[inline]
    pub fn left(&self, i: usize) -> usize {
        i - 1
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

impl core::ops::Index<usize> for MbGrid {
    type Output = Vp8MbInfo;
    #[inline]
    fn index(&self, i: usize) -> &Vp8MbInfo {
        &self.cells[i]
    }
}

impl core::ops::IndexMut<usize> for MbGrid {
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut Vp8MbInfo {
        &mut self.cells[i]
    }
}
