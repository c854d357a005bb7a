//! The safety boundary of the safe stage: a checked table slot for every kernel of this crate.
//!
//! The safe stage (`#![forbid(unsafe_code)]`) calls the shared kernels only through this module,
//! so every `unsafe` on its path is here, next to the check that justifies it. It owns:
//!
//! - [`cpu`]: CPU tokens ([`Sse2`], [`Ssse3`], [`Avx2`]), zero-sized proofs that this process
//!   may execute an instruction set, made only by runtime detection; [`CpuTokens`] applies a
//!   `--cpumask` word to them;
//! - one module per kernel domain ([`mc`], [`idct`], [`ipred`], [`loopfilter`]) with the plain
//!   safe `fn` types of that domain's dispatch table (slices, positions and strides instead of
//!   pointers), whose doc comments are the one written contract of every implementation of the
//!   type: the kernels here and the safe stage's Rust fallbacks alike;
//! - the table [`Slot`] of every kernel: its `call` checks that the slices cover the window the
//!   kernel reads and writes and that every stride is at most `u32::MAX` (in release builds
//!   too), and then calls it, both inlined into the caller. A violated precondition panics,
//!   naming the kernel and the window: it is a bug in the calling decoder, never a property of
//!   the input.
//!
//! # How a slot is obtained
//!
//! Every kernel `vp8_<name>_<isa>` has a getter `<domain>::<name>_<isa>(token) -> <Slot type>`,
//! e.g. [`mc::sixtap_16x16_ssse3`]`(Ssse3) -> McSlot<MC_16X16>` or
//! [`idct::idct_add_sse2`]`(Sse2) -> IdctAddSlot`: a [`Slot::Asm`] whose payload has private
//! fields, so nothing but a getter makes one. A Rust fallback goes into the same slot type as
//! [`Slot::Rust`]`(f)`. One scheme for all domains, chosen because: the token in the getter's
//! signature is the only proof the slot needs (a missing or wrong token is a compile error, and
//! nothing can reach a kernel without one); kernels and fallbacks share the slot type, so a
//! dispatch table is filled the way `upstream-c/src/x86/<domain>_init.c` fills the C one, slot
//! by slot and level by level; and the getter's name is the kernel's symbol without `vp8_`, so
//! the two can be grepped together. (Methods on the tokens would have needed one impl block per
//! token spread over four files, and an AVX2 method name could not tell which level's kernel it
//! returns.) Until port step 40 the getters returned a private wrapper `fn` of the domain's fn
//! type; see "What a check costs" for why that changed.
//!
//! A table slot starts with the safe stage's Rust fallback and takes a kernel when the token for
//! it is there (the fallback here is a stand-in):
//!
//! ```
//! # #[cfg(target_arch = "x86_64")] {
//! use vp8_asm::safe::idct::{self, IdctAddSlot};
//! use vp8_asm::safe::{CpuTokens, Slot, cpu};
//!
//! fn idct_add_rust(_dst: &mut [u8], _stride: usize, _block: &mut [i16; 16]) {
//!     unimplemented!("the safe stage's fallback")
//! }
//!
//! let tokens = CpuTokens::new(cpu::CPU_ALL); // or the --cpumask word's mask
//! let mut idct_add: IdctAddSlot = Slot::Rust(idct_add_rust);
//! if let Some(sse2) = tokens.sse2 {
//!     idct_add = idct::idct_add_sse2(sse2);
//! }
//! // A DC-only block: every pixel gains (80 + 4) >> 3 = 10. Four rows, 8 apart.
//! let mut pixels = [100u8; 3 * 8 + 4];
//! let mut block = [0i16; 16];
//! block[0] = 80;
//! idct_add.call(&mut pixels, 8, &mut block);
//! assert_eq!((pixels[0], pixels[3 * 8 + 3], pixels[4]), (110, 110, 100));
//! assert_eq!(block, [0; 16]);
//! // One byte short of the last row: a decoder bug, caught before the kernel runs.
//! let short =
//!     std::panic::catch_unwind(move || idct_add.call(&mut pixels[..3 * 8 + 3], 8, &mut block));
//! assert!(short.is_err());
//! # }
//! ```
//!
//! A token of one level does not open another's kernels, and only detection makes tokens:
//!
//! ```compile_fail
//! let sse2 = vp8_asm::safe::Sse2::detect().unwrap();
//! let f = vp8_asm::safe::mc::sixtap_16x16_avx2(sse2); // expects an Avx2 token
//! ```
//!
//! ```compile_fail
//! let avx2 = vp8_asm::safe::Avx2 { _proof: () }; // private field
//! ```
//!
//! # What a check costs
//!
//! Each window check is `#[inline(always)]` and folds to a wrapping multiply, a few adds and two
//! compares (see `check_window`: strides are capped at `u32::MAX`, so no checked arithmetic);
//! the window is a constant of the slot's type (block size, edge, filter) reached through a
//! `&'static`, so the fast path sees constants and only the cold panic path reads it.
//! Instructions per call, raw kernel through a fn pointer vs the safe form through a fn pointer
//! (so the figure includes everything the safe stage pays over the C stage's table call),
//! counted by callgrind. "Step 34" is the private wrapper `fn` the getters returned after port
//! step 34 (before it, with checked multiplies and a window looked up by index: +70, +54, +16,
//! +23, +22, +34, +21): a second call frame before the kernel's, mostly frame, not compares.
//! "Step 46" is the slot (the example calls it inside a closure, a frame the decoder's call
//! sites do not have; six-tap and bilinear through the exact-window `call`, pred16x16 through
//! the decoder's `call_full`):
//!
//! | kernel | raw | step 34 | step 46 |
//! |---|---|---|---|
//! | `sixtap_16x16_ssse3` (mx 2, my 6) | 1275 | +63 (+4.9%) | +29 (+2.3%) |
//! | `bilinear_4x4_ssse3` (mx 3, my 5) | 108 | +57 (+53%) | +28 (+26%) |
//! | `idct_dc_add_sse2` | 55 | +12 (+22%) | +6 (+11%) |
//! | `pred4x4_ve_sse2` | 51 | +21 (+41%) | +6 (+12%) |
//! | `pred16x16_dc_sse2` | 94 | +21 (+22%) | +6 (+6.4%) |
//! | `lf_mb_top_y_ssse3` | 173 | +31 (+18%) | +9 (+5.2%) |
//! | `lf_simple_inner_left_sse2` | 428 | +20 (+4.7%) | +6 (+1.4%) |
//!
//! The decoder also checks fewer windows than it calls kernels: one per plane and macroblock
//! for all loop-filter edges ([`loopfilter::LfBlock`], step 41), one per plane and macroblock for
//! all reconstruction writes ([`MbBlock`], step 47), and motion compensation against the
//! filter's whole window, a constant ([`mc::McSlot::call_full`], step 45). Reproduce, per
//! kernel (`--only` takes a name prefix):
//!
//! ```text
//! cargo build --release -p vp8-asm --example wrapper_cost
//! for mode in raw safe; do valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     --collect-atstart=no --toggle-collect='*measure_calls*' \
//!     target/release/examples/wrapper_cost $mode 100000 --only sixtap 2>&1 | grep Collected
//! done    # Collected / 100000 = instructions per call
//! ```
//!
//! Without valgrind the example prints ns per call (noisy on the shared 2-core VM: one run gave
//! 168 vs 192 ns for the six-tap 16x16, 15.4 vs 17.5 ns for 4x4 VE).
//!
//! Only x86_64 has kernels: elsewhere the fn types and tokens exist (the safe stage's fallbacks
//! use them), [`Sse2::detect`] and the others return `None`, and the getters do not exist.

// Off x86_64 only the fn types and tokens are used (by the safe stage's fallbacks).
#![cfg_attr(
    not(target_arch = "x86_64"),
    allow(dead_code, unused_imports, unused_macros)
)]

pub mod block;
pub mod cpu;
pub mod idct;
pub mod ipred;
pub mod loopfilter;
pub mod mc;

pub use block::{MbAt, MbBlock, MbRow, MbRows};
pub use cpu::{Avx2, CpuTokens, Sse2, Ssse3};

/// The bytes a kernel touches around a block, as the first and last byte of their span in a
/// buffer whose rows are `stride` bytes apart: the first byte is `up` rows above and `left`
/// columns left of the block's top-left pixel, the last `down` rows below and `right` columns
/// right of it. `width` is the number of columns the window spans; rows must not overlap, so the
/// stride must be at least that.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Window {
    pub up: usize,
    pub left: usize,
    pub down: usize,
    pub right: usize,
    pub width: usize,
}

impl Window {
    /// Panics (at compile time: every window is a constant) unless every extent is under 64,
    /// which [`check_window`]'s overflow argument needs.
    pub(crate) const fn small(self) -> Self {
        assert!(self.up + self.down < 64 && self.left + self.right < 64 && self.width < 64);
        self
    }

    /// A `w` x `h` block and nothing around it.
    pub(crate) const fn block(w: usize, h: usize) -> Self {
        Window {
            up: 0,
            left: 0,
            down: h - 1,
            right: w - 1,
            width: w,
        }
    }
}

/// One slot of a safe dispatch table: a kernel, or a safe Rust fn of the domain's fn type
/// (`F`, e.g. [`mc::McFn`]). Each domain's slot type (e.g. [`mc::McSlot`]) has one
/// `#[inline(always)]` method, `call`, with the arguments of `F`: for `Rust(f)` it calls `f`;
/// for `Asm(k)` it checks the kernel's windows as the fn type's contract says and calls the
/// kernel, both inlined into the caller (some slot types also have a `call_full` that checks a
/// wider, constant window for callers that always supply it).
///
/// Why a slot and not the wrapper as a plain `fn` pointer (port step 40): a table call to a
/// wrapper is a second call frame before the kernel's, which callgrind put at 45-57
/// instructions per call for motion compensation (five saved registers, three stack arguments,
/// a jump table over the fractions) and 20-30 for the loop filters, more than the 8x8 copy it
/// guarded (38). Inlined at the call site, the check is a few loads and compares and the only
/// call is the kernel's, as in the C stage's table call. `Asm`'s payload has private fields, so
/// only this module's getters, which take a CPU token, can make one.
#[derive(Clone, Copy, Debug)]
pub enum Slot<A, F> {
    /// A kernel with its windows (made only by a getter of this module).
    Asm(A),
    /// A safe Rust implementation (a fallback), called as it is.
    Rust(F),
}

/// The largest stride a slot accepts (`u32::MAX`): no picture has rows 4 GiB apart, and
/// the cap keeps every window offset far from `usize` overflow, so [`check_window`] needs no
/// checked arithmetic.
pub(crate) const MAX_STRIDE: usize = u32::MAX as usize;

/// Panics unless window `w` around index `pos` lies inside a slice of `len` bytes with rows
/// `stride` apart, and `stride` is at most [`MAX_STRIDE`]; `kernel` and `arg` name the kernel
/// and its argument in the message.
///
/// The test ([`fits`]) is one compare per condition, sound for any `len`, `pos` and `stride`:
/// - `width <= stride <= MAX_STRIDE` as one wrapping subtraction and one compare;
/// - then `before` (the bytes the window reaches before `pos`) and `extent` (its span minus
///   one) are below `2^48` (windows are under 64 rows and columns, asserted by
///   [`Window::small`] where each window constant is made), so their wrapping arithmetic is
///   exact whenever it is used;
/// - `first = pos - before` wraps to at least `2^64 - 2^48 > isize::MAX >= len` when `pos <
///   before`, so `first < len - extent` (saturating) holds exactly when `before <= pos` and
///   `pos + down * stride + right < len`.
///
/// Passing the check also makes `stride as isize` exact for the kernel (`stride < 2^32`).
/// Measured against the checked multiplies it replaced (port step 34, `docs/safe-stage.md`).
///
/// `w` is a reference to a constant: passed by value, the window was built on the stack before
/// the test, for the cold call only (port step 45: 11 instructions per motion-compensation
/// call).
#[inline(always)]
pub(crate) fn check_window(
    kernel: &'static str,
    arg: &'static str,
    w: &'static Window,
    len: usize,
    pos: usize,
    stride: usize,
) {
    if !fits(w, len, pos, stride) {
        window_panic(kernel, arg, *w, len, pos, stride);
    }
}

/// The test of [`check_window`]; `w` must be small (see [`Window::small`]).
#[inline(always)]
pub(crate) fn fits(w: &Window, len: usize, pos: usize, stride: usize) -> bool {
    let stride_fits = stride.wrapping_sub(w.width) <= MAX_STRIDE - w.width;
    let before = w.up.wrapping_mul(stride).wrapping_add(w.left);
    let extent = (w.up + w.down)
        .wrapping_mul(stride)
        .wrapping_add(w.left + w.right);
    stride_fits & (pos.wrapping_sub(before) < len.saturating_sub(extent))
}

/// Panics unless the non-empty `width` x `height` rectangle whose top-left pixel is `buf[pos]`,
/// rows `stride` apart, together with `up` rows above, `left` columns left, `right` columns right
/// and `down` rows below it, lies inside a slice of `len` bytes, with `left + width + right <=
/// stride <= MAX_STRIDE`. For extents that are not small (a macroblock row of a 16383-pixel-wide
/// picture, a whole reference plane), so checked arithmetic, paid once per row or plane; `what`
/// names the area in the message.
pub(crate) fn check_rect(
    what: &'static str,
    len: usize,
    pos: usize,
    stride: usize,
    (width, height): (usize, usize),
    (up, left, right, down): (usize, usize, usize, usize),
) {
    let fits = || -> Option<bool> {
        let span = left.checked_add(width)?.checked_add(right)?;
        let before = up.checked_mul(stride)?.checked_add(left)?;
        let rows_after = height.checked_sub(1)?.checked_add(down)?;
        let cols_after = width.checked_sub(1)?.checked_add(right)?;
        let after = rows_after.checked_mul(stride)?.checked_add(cols_after)?;
        let last = pos.checked_add(after)?;
        Some(span <= stride && stride <= MAX_STRIDE && pos >= before && last < len)
    };
    if fits() != Some(true) {
        rect_panic(
            what,
            len,
            pos,
            stride,
            (width, height),
            (up, left, right, down),
        );
    }
}

#[cold]
#[inline(never)]
fn rect_panic(
    what: &str,
    len: usize,
    pos: usize,
    stride: usize,
    (width, height): (usize, usize),
    (up, left, right, down): (usize, usize, usize, usize),
) -> ! {
    panic!(
        "{what}: {width}x{height} pixels at {pos} (stride {stride}) with {up} rows above, {left} \
         columns left, {right} right and {down} below do not fit a buffer of {len} bytes"
    )
}

/// The message of a failed [`check_window`], out of line so the slots carry only the compares.
#[cold]
#[inline(never)]
pub(crate) fn window_panic(
    kernel: &str,
    arg: &str,
    w: Window,
    len: usize,
    pos: usize,
    stride: usize,
) -> ! {
    let (pos_, stride_) = (pos as i128, stride as i128);
    let first = pos_ - w.up as i128 * stride_ - w.left as i128;
    let last = pos_ + w.down as i128 * stride_ + w.right as i128;
    let why = if stride < w.width {
        format!(
            "stride {stride} is less than the window's width {}",
            w.width
        )
    } else if stride > MAX_STRIDE {
        format!("stride {stride} is above the slots' limit {MAX_STRIDE}")
    } else {
        format!("that is bytes {first}..={last}, but `{arg}` has {len}")
    };
    panic!(
        "{kernel}: `{arg}` does not hold the kernel's window (from row {}, column {} to row {}, \
         column {} of the block at index {pos}, stride {stride}): {why}. The caller must supply \
         the whole window; this is a decoder bug, not bad input",
        -(w.up as i128),
        -(w.left as i128),
        w.down,
        w.right
    );
}
