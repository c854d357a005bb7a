//! Decoding one frame on several threads (docs/threads.md): the C stage's design (upstream-c's
//! thread.c) in safe Rust. Three serial chains of row tasks, run by whichever thread is free:
//!
//! - P(r) parse: the macroblock headers and tokens of row r into a [`Slot`];
//! - R(r) reconstruct: prediction and residual of row r, from its slot, into the slot's [`Band`];
//! - F(r) filter: the band copied into the frame, then the loop filter of row r.
//!
//! P(r) waits for P(r-1) and for its slot to be free (F of the row that used it done), R(r) for
//! R(r-1) and P(r), F(r) for F(r-1) and R(r). A free thread takes F before R before P: F is the
//! longest chain. The output cannot depend on scheduling: every row is parsed, reconstructed
//! and filtered in the single-threaded order within its chain, and the chains meet only through
//! the slots they hand on.
//!
//! Where the C stage lets R(r) and F(r-2) write one frame at once (disjoint rows of one
//! buffer), safe Rust cannot lend two threads parts of one slice whose split moves from row to
//! row. So R never touches the frame: it reconstructs into the slot's own band, which carries a
//! copy of the unfiltered line above the row (the one thing intra prediction reads outside the
//! row), and F copies the band into the frame before filtering. The frame has one writer (F),
//! the references are shared reads, and each chain's state sits behind its own mutex, which only
//! one thread locks at a time, so no lock is ever contended. What this costs over the C design:
//! one copy of the frame's pixels per frame, the mode records of a row copied into its slot,
//! and the threads spawned per frame by `std::thread::scope` (no borrow may outlive the frame).
//!
//! Waiting: tasks last tens of microseconds, too short to sleep after each; a thread without
//! work spins on `generation` (bumped under the lock by every change) for a while, then waits
//! on the condition variable, which is only signalled when a thread sleeps.
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::Align16;
use crate::bool_h::Vp8BoolDecoder;
use crate::decode::{Refs, filter_mb_row, parse_mb_tokens, reconstruct_mb};
use crate::header::Vp8Partitions;
use crate::internal_h::{
    Vp8Decoder, Vp8Dequant, Vp8Dsp, Vp8FrameHeader, Vp8LfDeltas, Vp8MbInfo, Vp8Probs,
    Vp8Segmentation,
};
use crate::mb_grid::MbGrid;
use crate::modes::{ModeCtx, vp8_decode_mode_row};
use crate::plane::{Band, Plane};

/// Rows in flight between P and F: how far parsing may run ahead of the loop filter.
pub const SLOTS: usize = 6;

/// Spins (each a `spin_loop` hint) before a thread without work sleeps.
const SPINS: u32 = 4000;

/// The threads a decoder uses: `n_threads` of the settings, 0 meaning one per core; at most
/// one per chain.
pub fn resolve_threads(n_threads: i32) -> usize {
    let n = if n_threads <= 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        n_threads as usize
    };
    n.clamp(1, 3)
}

/// One row on its way from P through R to F.
#[derive(Debug)]
pub struct Slot {
    mbs: Vec<Vp8MbInfo>,
    /// Per macroblock; all zero whenever the slot is free: the inverse transforms clear what
    /// they read, as the single-threaded loop relies on too.
    coeffs: Vec<Align16<[[i16; 16]; 25]>>,
    eobs: Vec<[u8; 25]>,
    bands: [Band; 3],
}

impl Slot {
    fn new(mb_cols: usize) -> Slot {
        Slot {
            mbs: vec![Vp8MbInfo::default(); mb_cols],
            coeffs: vec![Align16([[0; 16]; 25]); mb_cols],
            eobs: vec![[0; 25]; mb_cols],
            bands: [
                Band::new(mb_cols * 16, 16),
                Band::new(mb_cols * 8, 8),
                Band::new(mb_cols * 8, 8),
            ],
        }
    }
}

/// The slots of a decoder, kept from frame to frame while the size stays.
#[derive(Debug, Default)]
pub struct Slots {
    slots: Vec<Mutex<Slot>>,
    mb_cols: usize,
}

impl Slots {
    fn for_width(&mut self, mb_cols: usize) -> &[Mutex<Slot>] {
        if self.mb_cols != mb_cols || self.slots.is_empty() {
            self.slots = (0..SLOTS).map(|_| Mutex::new(Slot::new(mb_cols))).collect();
            self.mb_cols = mb_cols;
        }
        &self.slots
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Task {
    Parse,
    Reconstruct,
    Filter,
}

/// Progress of the three chains (rows done) and who is running one.
struct Sched {
    parsed: usize,
    reconstructed: usize,
    filtered: usize,
    busy: [bool; 3],
    sleepers: u32,
    /// A task panicked (a bug): everyone stops, and the scope re-raises the panic.
    failed: bool,
}

struct ParseState<'a, 'd> {
    grid: &'a mut MbGrid,
    above_nz: &'a mut [[bool; 9]],
    first: &'a mut Vp8BoolDecoder<'d>,
    tokens: &'a mut [Vp8BoolDecoder<'d>; 8],
}

struct ReconState {
    emu: Align16<[u8; 441]>,
    /// The line above the next row, per plane: unfiltered, as reconstruction left it.
    above: [Vec<u8>; 3],
}

/// Everything the threads share for one frame.
struct Frame<'a, 'd> {
    sched: Mutex<Sched>,
    wake: Condvar,
    generation: AtomicU32,
    parse: Mutex<ParseState<'a, 'd>>,
    recon: Mutex<ReconState>,
    /// The frame's planes: only F writes them.
    planes: Mutex<&'a mut [Plane; 3]>,
    slots: &'a [Mutex<Slot>],
    refs: Refs<'a>,
    dsp: &'a Vp8Dsp,
    hdr: &'a Vp8FrameHeader,
    seg: &'a Vp8Segmentation,
    lf_deltas: &'a Vp8LfDeltas,
    probs: &'a Vp8Probs,
    dequant: &'a [Vp8Dequant; 4],
    mb_cols: usize,
    mb_rows: usize,
}

/// Lock a mutex whose holder may have panicked: that panic is re-raised by the scope anyway.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Frame<'_, '_> {
    /// The ready task of highest priority, marked busy.
    fn take(&self, s: &mut Sched) -> Option<(Task, usize)> {
        let rows = self.mb_rows;
        if !s.busy[2] && s.filtered < rows && s.reconstructed > s.filtered {
            s.busy[2] = true;
            return Some((Task::Filter, s.filtered));
        }
        if !s.busy[1] && s.reconstructed < s.parsed {
            s.busy[1] = true;
            return Some((Task::Reconstruct, s.reconstructed));
        }
        if !s.busy[0] && s.parsed < rows && s.parsed < s.filtered + SLOTS {
            s.busy[0] = true;
            return Some((Task::Parse, s.parsed));
        }
        None
    }

    /// Tell the others the state changed; called with the lock held.
    fn publish(&self, s: &Sched) {
        self.generation.fetch_add(1, Ordering::Release);
        if s.sleepers > 0 {
            self.wake.notify_all();
        }
    }

    fn run(&self, task: Task, row: usize) {
        match task {
            Task::Parse => self.parse_row(row),
            Task::Reconstruct => self.reconstruct_row(row),
            Task::Filter => self.filter_row(row),
        }
    }

    fn parse_row(&self, mb_y: usize) {
        let mut p = lock(&self.parse);
        let ParseState {
            grid,
            above_nz,
            first,
            tokens,
        } = &mut *p;
        let c = ModeCtx {
            hdr: self.hdr,
            seg: self.seg,
            probs: self.probs,
            mb_cols: self.mb_cols as i32,
            mb_rows: self.mb_rows as i32,
        };
        vp8_decode_mode_row(&c, grid, first, mb_y as i32);
        let part = &mut tokens[mb_y & (self.hdr.num_partitions as usize - 1) & 7];
        let mut slot = lock(&self.slots[mb_y % SLOTS]);
        let Slot {
            mbs, coeffs, eobs, ..
        } = &mut *slot;
        let start = grid.at(0, mb_y);
        let row = &mut grid.cells_mut()[start..start + self.mb_cols];
        let mut left_nz = [false; 9];
        let cells = row.iter_mut().zip(above_nz.iter_mut());
        for ((mb, nz), (c, e)) in cells.zip(coeffs.iter_mut().zip(eobs.iter_mut())) {
            let (probs, dq, seg) = (self.probs, self.dequant, self.seg);
            parse_mb_tokens(probs, dq, seg, &mut left_nz, nz, part, mb, &mut c.0, e);
        }
        mbs.copy_from_slice(row);
    }

    fn reconstruct_row(&self, mb_y: usize) {
        let mut r = lock(&self.recon);
        let ReconState { emu, above } = &mut *r;
        let mut slot = lock(&self.slots[mb_y % SLOTS]);
        let Slot {
            mbs,
            coeffs,
            eobs,
            bands,
        } = &mut *slot;
        for (p, band) in bands.iter_mut().enumerate() {
            band.start(mb_y * if p == 0 { 16 } else { 8 }, &above[p]);
        }
        let (cols, version) = (self.mb_cols as i32, self.hdr.version);
        for (x, mb) in mbs.iter().enumerate() {
            let (c, e) = (&mut coeffs[x].0, &eobs[x]);
            let (x, y) = (x as i32, mb_y as i32);
            reconstruct_mb(
                self.dsp, version, bands, &self.refs, &mut emu.0, c, e, mb, cols, x, y,
            );
        }
        for (line, band) in above.iter_mut().zip(bands.iter()) {
            line.copy_from_slice(band.last_line());
        }
    }

    fn filter_row(&self, mb_y: usize) {
        let mut planes = lock(&self.planes);
        let slot = lock(&self.slots[mb_y % SLOTS]);
        for (band, plane) in slot.bands.iter().zip(planes.iter_mut()) {
            band.copy_into(plane);
        }
        if self.hdr.filter_level != 0 {
            let lf = &self.dsp.lf;
            let (h, seg, lfd) = (self.hdr, self.seg, self.lf_deltas);
            filter_mb_row(lf, h, seg, lfd, &mut planes, &slot.mbs, mb_y as i32);
        }
    }

    /// A thread's life during the frame: take ready tasks until the last row is filtered.
    fn work(&self) {
        /// Stops everyone if a task panics, so no thread waits for a row that never comes.
        struct OnUnwind<'f, 'a, 'd>(&'f Frame<'a, 'd>);
        impl Drop for OnUnwind<'_, '_, '_> {
            fn drop(&mut self) {
                if std::thread::panicking() {
                    let mut s = lock(&self.0.sched);
                    s.failed = true;
                    self.0.publish(&s);
                }
            }
        }
        let _guard = OnUnwind(self);
        let mut s = lock(&self.sched);
        loop {
            if s.failed || s.filtered == self.mb_rows {
                return;
            }
            if let Some((task, row)) = self.take(&mut s) {
                drop(s);
                self.run(task, row);
                s = lock(&self.sched);
                match task {
                    Task::Parse => s.parsed += 1,
                    Task::Reconstruct => s.reconstructed += 1,
                    Task::Filter => s.filtered += 1,
                }
                s.busy[task as usize] = false;
                self.publish(&s);
                continue;
            }
            let seen = self.generation.load(Ordering::Acquire);
            drop(s);
            let mut spins = 0;
            while self.generation.load(Ordering::Acquire) == seen && spins < SPINS {
                std::hint::spin_loop();
                spins += 1;
            }
            s = lock(&self.sched);
            if self.generation.load(Ordering::Acquire) == seen {
                s.sleepers += 1;
                s = self
                    .wake
                    .wait_while(s, |_| self.generation.load(Ordering::Acquire) == seen)
                    .unwrap_or_else(PoisonError::into_inner);
                s.sleepers -= 1;
            }
        }
    }
}

/// Parse, reconstruct and loop-filter every row of the frame on `n` threads (the caller's and
/// `n - 1` scoped ones). The frame buffers and the references are ready (`vp8_decode_frame_data`
/// set them up); border extension and reference updates follow as with one thread.
pub fn decode_rows(dec: &mut Vp8Decoder, parts: &mut Vp8Partitions, n: usize) {
    let Vp8Decoder {
        dsp,
        hdr,
        seg,
        lf_deltas,
        probs,
        dequant,
        mb_grid,
        above_nz,
        fb,
        mb_cols,
        mb_rows,
        slots,
        ..
    } = dec;
    let (mb_cols, mb_rows) = (*mb_cols as usize, *mb_rows as usize);
    let fb = fb
        .as_deref_mut()
        .expect("frame data is decoded only after vp8_alloc_frames");
    let (cur, refs) = fb.split_cur();
    // Row 0 sees 127 above, corner included (RFC 12.2).
    let above = cur.planes.each_ref().map(|p| vec![127u8; p.stride()]);
    let Vp8Partitions { first, tokens } = parts;
    let frame = Frame {
        sched: Mutex::new(Sched {
            parsed: 0,
            reconstructed: 0,
            filtered: 0,
            busy: [false; 3],
            sleepers: 0,
            failed: false,
        }),
        wake: Condvar::new(),
        generation: AtomicU32::new(0),
        parse: Mutex::new(ParseState {
            grid: mb_grid,
            above_nz,
            first,
            tokens,
        }),
        recon: Mutex::new(ReconState {
            emu: Align16([0; 441]),
            above,
        }),
        planes: Mutex::new(&mut cur.planes),
        slots: slots.for_width(mb_cols),
        refs,
        dsp,
        hdr,
        seg,
        lf_deltas,
        probs,
        dequant,
        mb_cols,
        mb_rows,
    };
    std::thread::scope(|s| {
        for _ in 1..n {
            s.spawn(|| frame.work());
        }
        frame.work();
    });
}
