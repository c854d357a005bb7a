//! Plane: one picture plane that owns its pixels, with a border around the visible
//! (macroblock-aligned) area. It replaces the transpiled frame's raw `plane[p]` pointer and
//! `stride[p]` into one `aligned_alloc`ed block per frame.
//!
//! What it guarantees: the pixels are one `Vec<u8>` of `stride * (height + 2 * BORDER)` bytes,
//! rows `stride >= width + 2 * BORDER` apart; the pixel (x, y), for x in `-BORDER..width + BORDER`
//! and y in `-BORDER..height + BORDER`, is at index `origin() + y * stride + x`. Positions are
//! usize indices (`at`), never pointers: a kernel gets the plane's slice and the index of its
//! block and slices its window once, so a block costs one bounds check, and a wrong index panics
//! instead of touching another plane.
//!
//! Cost, measured at step 28 with `portlab profile --stages c,safe --no-perf --limit 10` (callgrind, first 10 frames of
//! bench-720p-mandel-1280x720), per source file with `callgrind_annotate
//! target/portlab-profile/callgrind.b-safe.out`: 0.83 M instructions on this file's lines (`at`
//! arithmetic and the window slicing inlined into reconstruction, border extension), 0.48% of
//! the safe stage's 171.9 M.
use std::collections::TryReserveError;

/// Border pixels on each side (`VP8_BORDER` of upstream-c/src/internal.h): motion vectors may
/// point this far out before the decoder falls back to an emulated edge.
pub const BORDER: usize = 32;

#[derive(Debug)]
pub struct Plane {
    data: Vec<u8>,
    width: usize,
    height: usize,
    stride: usize,
}

impl Plane {
    /// Rows of `width` pixels plus the border, rounded up to 32 bytes as the C stage's, and the
    /// plane's byte length.
    fn layout(width: usize, height: usize) -> (usize, usize) {
        let stride = (width + 2 * BORDER + 31) & !31;
        (stride, stride * (height + 2 * BORDER))
    }

    /// Reserves (without touching) the memory of `copies` sets of planes of the given sizes,
    /// to check that it can be allocated: allocation failure is then an error (the decoder
    /// reports "cannot allocate picture buffers"), not the abort of `vec!`. Keep the returned
    /// probe alive while the planes are allocated, and drop it after.
    ///
    /// Why one probe held over the allocations, not a probe per plane dropped before it:
    /// glibc raises its mmap threshold when a large mapped block is freed, and the planes
    /// allocated after such a free come from reused heap memory, which calloc must clear (7.3 M
    /// instructions of memset on the first 10 frames of the 720p profile stream, 4% of the
    /// process; 2.1 M when one probe was dropped before the planes). Held, the probe frees
    /// nothing before the planes are mapped, and mapped pages are zero without a memset.
    pub fn reserve(sizes: &[(usize, usize)], copies: usize) -> Result<Vec<u8>, TryReserveError> {
        let total = sizes
            .iter()
            .map(|&(w, h)| Self::layout(w, h).1)
            .sum::<usize>()
            .saturating_mul(copies);
        let mut probe = Vec::new();
        probe.try_reserve_exact(total)?;
        Ok(probe)
    }

    /// A zeroed `width` x `height` plane with its border. Call `reserve` first: this allocates
    /// with `vec!`, which aborts when memory is short. Zeroed by the allocator: calloc'd pages
    /// are committed only as the decoder writes them, so a 16383x16383 frame costs what is
    /// decoded into it, not 400 MB of zeroing per buffer up front.
    pub fn new(width: usize, height: usize) -> Plane {
        let (stride, len) = Self::layout(width, height);
        Plane {
            data: vec![0u8; len],
            width,
            height,
            stride,
        }
    }

    #[inline(always)]
    pub fn stride(&self) -> usize {
        self.stride
    }

    #[inline(always)]
    pub fn width(&self) -> usize {
        self.width
    }

    #[inline(always)]
    pub fn height(&self) -> usize {
        self.height
    }

    /// Index of the visible pixel (0, 0).
    #[inline(always)]
    pub fn origin(&self) -> usize {
        BORDER * self.stride + BORDER
    }

    /// Index of the visible pixel (x, y).
    #[inline(always)]
    pub fn at(&self, x: usize, y: usize) -> usize {
        self.origin() + y * self.stride + x
    }

    #[inline(always)]
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    #[inline(always)]
    pub fn data_mut(&mut self) -> &mut [u8] {
        &mut self.data
    }

    /// The pixels of a `width` x `height` picture in this plane: from pixel (0, 0) to the last
    /// pixel of its last row, rows `stride()` apart (the slice vp8_stage::Picture wants).
    /// Panics if the picture is empty or larger than the plane.
    pub fn picture_rows(&self, width: usize, height: usize) -> &[u8] {
        assert!(width > 0 && width <= self.width && height > 0 && height <= self.height);
        &self.data[self.origin()..self.at(0, height - 1) + width]
    }

    /// Row `y` of the plane, border included (y may be in `-BORDER..height + BORDER`).
    #[inline(always)]
    fn full_row(&mut self, y: isize) -> &mut [u8] {
        let start = (BORDER as isize + y) as usize * self.stride;
        &mut self.data[start..start + self.width + 2 * BORDER]
    }

    /// The out-of-frame values intra prediction sees: 127 on the row above (corner and border
    /// included), 129 on the column to the left.
    pub fn set_intra_edges(&mut self) {
        self.full_row(-1).fill(127);
        let left = self.origin() - 1;
        let stride = self.stride;
        for y in 0..self.height {
            self.data[left + y * stride] = 129;
        }
    }

    /// Replicates the outermost pixels into the border so motion vectors may point outside.
    pub fn extend_borders(&mut self) {
        let (w, h) = (self.width, self.height);
        for y in 0..h as isize {
            let row = self.full_row(y);
            let (first, last) = (row[BORDER], row[BORDER + w - 1]);
            row[..BORDER].fill(first);
            row[BORDER + w..].fill(last);
        }
        let stride = self.stride;
        let row_len = w + 2 * BORDER;
        let top = BORDER * stride;
        let bottom = (BORDER + h - 1) * stride;
        for y in 1..=BORDER {
            self.data.copy_within(top..top + row_len, top - y * stride);
            self.data
                .copy_within(bottom..bottom + row_len, bottom + y * stride);
        }
    }
}

/// Where reconstruction writes a macroblock: a whole [`Plane`] (one thread decodes the frame) or
/// one row's [`Band`] (threads, `thread.rs`). Reconstruction is generic over it, so the
/// single-threaded path compiles to what it was before threads existed.
pub trait Target {
    fn stride(&self) -> usize;
    /// Index of the visible pixel (x, y): `y` in the plane's coordinates.
    fn at(&self, x: usize, y: usize) -> usize;
    fn data_mut(&mut self) -> &mut [u8];
}

impl Target for Plane {
    #[inline(always)]
    fn stride(&self) -> usize {
        self.stride
    }
    #[inline(always)]
    fn at(&self, x: usize, y: usize) -> usize {
        Plane::at(self, x, y)
    }
    #[inline(always)]
    fn data_mut(&mut self) -> &mut [u8] {
        &mut self.data
    }
}

/// One macroblock row of a plane being reconstructed on its own (`thread.rs`): the row's lines
/// plus, above them, a copy of the line above the row as reconstruction left it, before the
/// loop filter. Intra prediction reads only that line and the row itself, so a row can be
/// reconstructed while another thread filters the rows above it in the frame: the frame and the
/// band are different memory, and no borrow needs to span both. What it costs: the band is
/// copied into the frame before that row is filtered (`copy_into`), one plane's worth of pixels
/// per frame.
///
/// Guarantees: `lines + 1` rows of the plane's stride; the pixel (x, y) of the plane, for y in
/// `first - 1..first + lines` and x in `-BORDER..width + BORDER`, is at `at(x, y)`; the column
/// left of the picture holds 129 below the copied line, as the frame's does.
#[derive(Debug)]
pub struct Band {
    data: Vec<u8>,
    width: usize,
    stride: usize,
    lines: usize,
    /// The plane's y of the band's first own line.
    first: usize,
}

impl Band {
    /// A band for rows of `lines` lines of a `width`-pixel plane with the plane's stride.
    pub fn new(width: usize, lines: usize) -> Band {
        let (stride, _) = Plane::layout(width, 0);
        let mut data = vec![0u8; stride * (lines + 1)];
        for y in 1..=lines {
            data[y * stride + BORDER - 1] = 129;
        }
        Band {
            data,
            width,
            stride,
            lines,
            first: 0,
        }
    }

    /// Start the band of the row whose first line is `first`, with `above` (a whole line of the
    /// stride, border included) as the line above it.
    pub fn start(&mut self, first: usize, above: &[u8]) {
        self.first = first;
        self.data[..self.stride].copy_from_slice(above);
    }

    /// The band's last line, border included: the next row's line above.
    pub fn last_line(&self) -> &[u8] {
        &self.data[self.lines * self.stride..]
    }

    /// Copy the band's own lines (the visible columns) into `plane` at their place.
    pub fn copy_into(&self, plane: &mut Plane) {
        let w = self.width;
        for y in 0..self.lines {
            let src = &self.data[(y + 1) * self.stride + BORDER..][..w];
            let at = plane.at(0, self.first + y);
            plane.data[at..at + w].copy_from_slice(src);
        }
    }
}

impl Target for Band {
    #[inline(always)]
    fn stride(&self) -> usize {
        self.stride
    }
    #[inline(always)]
    fn at(&self, x: usize, y: usize) -> usize {
        (y + 1 - self.first) * self.stride + BORDER + x
    }
    #[inline(always)]
    fn data_mut(&mut self) -> &mut [u8] {
        &mut self.data
    }
}
