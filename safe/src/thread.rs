//! Decoding one frame on several threads (docs/threads.md): the C stage's design (upstream-c's
//! thread.c) in safe Rust. Four kinds of row tasks, run by whichever thread is free:
//!
//! - M(r) modes: the macroblock headers of row r (first partition), copied into a [`Slot`];
//! - T(r) tokens: the residual of row r into its slot;
//! - R(r) reconstruct: prediction and residual of row r, from its slot, into the slot's [`Band`];
//! - F(r) filter: the band copied into the frame, then the loop filter of row r.
//!
//! M(r) waits for M(r-1) and for its slot to be free (F of the row that used it done), T(r) for
//! M(r), for T(r-K) (the last row of its partition, K partitions) and, macroblock by macroblock,
//! for T(r-1), whose above contexts it reads: with one partition the token rows are a chain, with
//! K a wavefront of up to K rows. R(r) waits for R(r-1) and T(r), F(r) for F(r-1) and R(r). A
//! free thread takes F before R before T before M, T first with one partition (its chain is then
//! the longest). The output cannot depend on scheduling: every row is parsed, reconstructed and
//! filtered in the single-threaded order within its chain, and the tasks meet only through the
//! slots they hand on and the above contexts, each column of which a token row writes only after
//! the row above wrote it.
//!
//! Where the C stage lets R(r) and F(r-2) write one frame at once (disjoint rows of one
//! buffer), safe Rust cannot lend two threads parts of one slice whose split moves from row to
//! row. So R never touches the frame: it reconstructs into the slot's own band, which carries a
//! copy of the unfiltered line above the row (the one thing intra prediction reads outside the
//! row), and F copies the band into the frame before filtering. The frame has one writer (F),
//! the references are shared reads, and each chain's state sits behind its own mutex, which only
//! one thread locks at a time, so no lock is ever contended. What this costs over the C design:
//! one copy of the frame's pixels per frame and the mode records of a row copied into its slot.
//! The helper threads are the decoder's [`Workers`](crate::workers::Workers), started once.
//!
//! Waiting: tasks last tens of microseconds, too short to sleep after each; a thread without
//! work spins on `generation` (bumped under the lock by every change) for a while, then waits
//! on the condition variable, which is only signalled when a thread sleeps.
use std::sync::atomic::{AtomicU16, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::Align16;
use crate::bool_h::Vp8BoolDecoder;
use crate::decode::{
    LfTable, Refs, filter_mb_row, mb_rows, parse_mb_tokens, reconstruct_mb, ref_planes,
};
use crate::header::Vp8Partitions;
use crate::internal_h::{
    Vp8Decoder, Vp8Dequant, Vp8Dsp, Vp8FrameHeader, Vp8MbInfo, Vp8Probs, Vp8Segmentation,
};
use crate::mb_grid::MbGrid;
use crate::modes::{ModeCtx, vp8_decode_mode_row};
use crate::plane::{Band, Plane};

/// Rows in flight between P and F: how far parsing may run ahead of the loop filter.
pub const SLOTS: usize = 6;

/// Spins (each a `spin_loop` hint) before a thread without work sleeps.
const SPINS: u32 = 4000;

/// Spins of a token task waiting for the row above before it sleeps (a few macroblocks' parsing).
const TOKEN_SPINS: u32 = 2000;

/// The threads a decoder uses: `n_threads` of the settings, 0 meaning one per core; at most
/// one per chain.
pub fn resolve_threads(n_threads: usize) -> usize {
    let n = if n_threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        n_threads
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
    Modes,
    Tokens,
    Reconstruct,
    Filter,
}

/// Progress of the tasks (rows done) and who is running a chain.
struct Sched {
    modes: usize,
    /// Token rows started and done (they finish in order: T(r) parses its last macroblock
    /// after T(r-1) parsed its own).
    tokens_taken: usize,
    tokens_done: usize,
    reconstructed: usize,
    filtered: usize,
    busy: [bool; 4],
    sleepers: u32,
    /// A task panicked (a bug): everyone stops, and the scope re-raises the panic.
    failed: bool,
}

struct ModeState<'a, 'd> {
    grid: &'a mut MbGrid,
    first: &'a mut Vp8BoolDecoder<'d>,
}

/// The above non-zero contexts of a macroblock column, 9 flags as bits: two token rows touch the
/// array at once (different columns), so each column is its own atomic; the order between the
/// row that writes a column and the row below that reads it comes from the progress counters.
fn unpack_nz(bits: u16) -> [bool; 9] {
    std::array::from_fn(|i| bits >> i & 1 != 0)
}

fn pack_nz(nz: &[bool; 9]) -> u16 {
    nz.iter()
        .enumerate()
        .fold(0, |bits, (i, &b)| bits | (b as u16) << i)
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
    modes: Mutex<ModeState<'a, 'd>>,
    /// The token partitions' bool decoders: T(r) starts after T(r-K), so each has one user.
    parts: Vec<Mutex<&'a mut Vp8BoolDecoder<'d>>>,
    above_nz: Vec<AtomicU16>,
    /// Macroblocks of its row the token task of each slot has parsed.
    tok_cols: [AtomicUsize; SLOTS],
    /// Token tasks asleep in `wait_tokens`.
    tok_sleepers: AtomicU32,
    recon: Mutex<ReconState>,
    /// The frame's planes: only F writes them.
    planes: Mutex<&'a mut [Plane; 3]>,
    slots: &'a [Mutex<Slot>],
    refs: Refs<'a>,
    dsp: &'a Vp8Dsp,
    hdr: &'a Vp8FrameHeader,
    seg: &'a Vp8Segmentation,
    /// The loop filter's thresholds, computed once for the frame.
    lf_table: LfTable,
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
    /// T(r) for the next token row r, if M(r) is done and T(r-K) too.
    fn take_tokens(&self, s: &mut Sched) -> Option<(Task, usize)> {
        let r = s.tokens_taken;
        if r < self.mb_rows && r < s.modes && s.tokens_done + self.parts.len() > r {
            s.tokens_taken += 1;
            self.tok_cols[r % SLOTS].store(0, Ordering::Relaxed);
            return Some((Task::Tokens, r));
        }
        None
    }

    /// The ready task of highest priority, marked busy.
    fn take(&self, s: &mut Sched) -> Option<(Task, usize)> {
        let rows = self.mb_rows;
        if self.parts.len() == 1 {
            if let Some(t) = self.take_tokens(s) {
                return Some(t);
            }
        }
        if !s.busy[Task::Filter as usize] && s.filtered < rows && s.reconstructed > s.filtered {
            s.busy[Task::Filter as usize] = true;
            return Some((Task::Filter, s.filtered));
        }
        if !s.busy[Task::Reconstruct as usize] && s.reconstructed < s.tokens_done {
            s.busy[Task::Reconstruct as usize] = true;
            return Some((Task::Reconstruct, s.reconstructed));
        }
        if let Some(t) = self.take_tokens(s) {
            return Some(t);
        }
        if !s.busy[Task::Modes as usize] && s.modes < rows && s.modes < s.filtered + SLOTS {
            s.busy[Task::Modes as usize] = true;
            return Some((Task::Modes, s.modes));
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
            Task::Modes => self.modes_row(row),
            Task::Tokens => self.tokens_row(row),
            Task::Reconstruct => self.reconstruct_row(row),
            Task::Filter => self.filter_row(row),
        }
    }

    fn modes_row(&self, mb_y: usize) {
        let mut m = lock(&self.modes);
        let ModeState { grid, first } = &mut *m;
        let c = ModeCtx {
            hdr: self.hdr,
            seg: self.seg,
            probs: self.probs,
            mb_cols: self.mb_cols,
            mb_rows: self.mb_rows,
        };
        vp8_decode_mode_row(&c, grid, first, mb_y);
        let start = grid.at(0, mb_y);
        let row = &grid.cells()[start..start + self.mb_cols];
        lock(&self.slots[mb_y % SLOTS]).mbs.copy_from_slice(row);
    }

    /// Wait until the token task of slot `above` has parsed `cols` macroblocks: a spin, then a
    /// sleep when that task's thread seems to have lost its core. False if a task panicked.
    fn wait_tokens(&self, above: &AtomicUsize, cols: usize) -> bool {
        for _ in 0..TOKEN_SPINS {
            if above.load(Ordering::Acquire) >= cols {
                return true;
            }
            std::hint::spin_loop();
        }
        let mut s = lock(&self.sched);
        // Sequentially consistent with `tokens_parsed`: the sleeper sees the progress or the
        // parser sees the sleeper.
        self.tok_sleepers.fetch_add(1, Ordering::SeqCst);
        while above.load(Ordering::SeqCst) < cols && !s.failed {
            s = self.wake.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
        self.tok_sleepers.fetch_sub(1, Ordering::SeqCst);
        !s.failed
    }

    fn tokens_parsed(&self, progress: &AtomicUsize, cols: usize) {
        progress.store(cols, Ordering::SeqCst);
        if self.tok_sleepers.load(Ordering::SeqCst) > 0 {
            let _s = lock(&self.sched);
            self.wake.notify_all();
        }
    }

    fn tokens_row(&self, mb_y: usize) {
        let mut part = lock(&self.parts[mb_y % self.parts.len()]);
        let mut slot = lock(&self.slots[mb_y % SLOTS]);
        let Slot {
            mbs, coeffs, eobs, ..
        } = &mut *slot;
        let progress = &self.tok_cols[mb_y % SLOTS];
        let above = &self.tok_cols[(mb_y + SLOTS - 1) % SLOTS];
        let mut left_nz = [false; 9];
        let cells = mbs.iter_mut().zip(self.above_nz.iter());
        for (x, ((mb, nz), (c, e))) in cells
            .zip(coeffs.iter_mut().zip(eobs.iter_mut()))
            .enumerate()
        {
            if mb_y > 0 && !self.wait_tokens(above, x + 1) {
                return;
            }
            let mut a = unpack_nz(nz.load(Ordering::Relaxed));
            let (probs, dq, seg) = (self.probs, self.dequant, self.seg);
            parse_mb_tokens(
                probs,
                dq,
                seg,
                &mut left_nz,
                &mut a,
                &mut part,
                mb,
                &mut c.0,
                e,
            );
            nz.store(pack_nz(&a), Ordering::Relaxed);
            self.tokens_parsed(progress, x + 1);
        }
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
        let (cols, version) = (self.mb_cols, self.hdr.version);
        let mut rows = mb_rows(bands, mb_y, cols);
        for (x, mb) in mbs.iter().enumerate() {
            let (c, e) = (&mut coeffs[x].0, &eobs[x]);
            reconstruct_mb(
                self.dsp, version, &mut rows, &self.refs, &mut emu.0, c, e, mb, cols, x, mb_y,
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
            filter_mb_row(lf, self.hdr, &self.lf_table, &mut planes, &slot.mbs, mb_y);
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
                    self.0.wake.notify_all();
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
                    Task::Modes => s.modes += 1,
                    Task::Tokens => s.tokens_done += 1,
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
/// `n - 1` of its [`Workers`](crate::workers::Workers)). The frame buffers and the references
/// are ready (`vp8_decode_frame_data` set them up); border extension and reference updates
/// follow as with one thread.
pub fn decode_rows(dec: &mut Vp8Decoder, parts: &mut Vp8Partitions, n: usize) {
    let Vp8Decoder {
        dsp,
        hdr,
        seg,
        lf_deltas,
        probs,
        dequant,
        mb_grid,
        fb,
        mb_cols,
        mb_rows,
        slots,
        workers,
        ..
    } = dec;
    let (mb_cols, mb_rows) = (*mb_cols, *mb_rows);
    let fb = fb
        .as_deref_mut()
        .expect("frame data is decoded only after vp8_alloc_frames");
    let (cur, refs) = fb.split_cur();
    let refs = ref_planes(refs);
    // Row 0 sees 127 above, corner included (RFC 12.2).
    let above = cur.planes.each_ref().map(|p| vec![127u8; p.stride()]);
    let Vp8Partitions { first, tokens } = parts;
    let n_parts = hdr.num_partitions.clamp(1, tokens.len());
    let frame = Frame {
        sched: Mutex::new(Sched {
            modes: 0,
            tokens_taken: 0,
            tokens_done: 0,
            reconstructed: 0,
            filtered: 0,
            busy: [false; 4],
            sleepers: 0,
            failed: false,
        }),
        wake: Condvar::new(),
        generation: AtomicU32::new(0),
        modes: Mutex::new(ModeState {
            grid: mb_grid,
            first,
        }),
        parts: tokens.iter_mut().take(n_parts).map(Mutex::new).collect(),
        above_nz: (0..mb_cols).map(|_| AtomicU16::new(0)).collect(),
        tok_cols: std::array::from_fn(|_| AtomicUsize::new(0)),
        tok_sleepers: AtomicU32::new(0),
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
        lf_table: LfTable::new(hdr, seg, lf_deltas),
        probs,
        dequant,
        mb_cols,
        mb_rows,
    };
    workers.run(n, || frame.work());
}
