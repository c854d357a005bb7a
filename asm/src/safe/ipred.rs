//! Intra prediction (RFC 6386 sections 12.2, 12.3): the safe fn types of the ipred table, its
//! slot types and the checked slot of every kernel.
//!
//! Table slots, as `upstream-c/src/x86/ipred_init.c` installs them: SSE2 serves every 16x16
//! and 8x8 mode and the 4x4 modes DC, TM, VE, HE, LD, RD, HU; SSSE3 adds 4x4 VR, VL, HD; AVX2
//! replaces 16x16 H and TM and 8x8 TM.
//!
//! The slots check each window below and also refuse a stride above `u32::MAX` (see the
//! [parent module](super)).

use super::block::{MbBlock, inside_mb, subblock_xy};
#[cfg(target_arch = "x86_64")]
use super::{Avx2, Sse2, Ssse3};
use super::{Slot, Window, check_window};

/// Predicts an `N` x `N` block (16x16 luma or 8x8 chroma, by table slot) in place in `buf`, from
/// its edges in the same buffer: the C stage's `vp8_ipred_fn` (`upstream-c/src/ipred.h`).
///
/// `buf[pos]` is the block's top-left pixel; rows are `stride` apart. The edges are the row
/// above (`pos - stride + x`), the column to the left (`pos + y * stride - 1`) and the above-left
/// pixel (`pos - stride - 1`). Each mode reads only the edges it uses, and the window is exactly
/// those (per `asm/include/vp8asm/ipred.h`), from its first byte to the block's last pixel:
///
/// | mode | reads | first byte | `stride >=` |
/// |---|---|---|---|
/// | DC | above, left | `pos - stride` | `N + 1` |
/// | DC_LEFT, H | left | `pos - 1` | `N + 1` |
/// | DC_TOP, V | above | `pos - stride` | `N` |
/// | DC_128 | nothing | `pos` | `N` |
/// | TM | above, left, above-left | `pos - stride - 1` | `N + 1` |
///
/// and the last byte is `pos + (N - 1) * stride + N - 1`. Only the block is written.
pub type IpredFn = fn(buf: &mut [u8], pos: usize, stride: usize);

/// Predicts a 4x4 subblock in place, as [`IpredFn`], in any of the ten modes: the C stage's
/// `vp8_ipred4_fn`. The four pixels above-right come by value in `topright` (the C kernels take
/// a pointer that may point into `buf` itself, which a `&mut` borrow of `buf` excludes; they are
/// the row above the macroblock for the right-column subblocks, RFC 12.3). Every 4x4 mode may read
/// the above-left pixel (the C fallbacks load the whole edge), so the window is the same for all:
/// `pos - stride - 1 ..= pos + 3 * stride + 3`, with `stride >= 5`.
pub type Ipred4Fn = fn(buf: &mut [u8], pos: usize, stride: usize, topright: [u8; 4]);

/// The window of an `n` x `n` predictor that reads `up` rows above and `left` columns left.
#[inline(always)]
const fn pred_window(n: usize, up: usize, left: usize, width: usize) -> Window {
    Window {
        up,
        left,
        down: n - 1,
        right: n - 1,
        width,
    }
}

/// The kernel side of an [`IpredSlot`]: the kernel, its mode's exact window and its name for
/// a panic message (private fields: only the getters below make one).
#[derive(Clone, Copy, Debug)]
pub struct IpredAsm<const N: usize> {
    raw: unsafe extern "C" fn(*mut u8, isize),
    window: &'static Window,
    kernel: &'static str,
}

/// The kernel side of an [`Ipred4Slot`] (private fields: only the getters below make one).
#[derive(Clone, Copy, Debug)]
pub struct Ipred4Asm {
    raw: unsafe extern "C" fn(*mut u8, isize, *const u8),
    kernel: &'static str,
}

/// A 16x16 (`N` = 16) or 8x8 (`N` = 8) prediction slot: a kernel or a safe [`IpredFn`] (see
/// [`Slot`]).
pub type IpredSlot<const N: usize> = Slot<IpredAsm<N>, IpredFn>;
/// A 4x4 prediction slot: a kernel or a safe [`Ipred4Fn`].
pub type Ipred4Slot = Slot<Ipred4Asm, Ipred4Fn>;

/// The widest window of an `N` x `N` mode (TM's): the row above, the column left and the
/// above-left pixel. Also the window of a macroblock's [`MbBlock`](super::MbBlock).
pub(super) const fn full_window(n: usize) -> Window {
    pred_window(n, 1, 1, n + 1)
}

impl<const N: usize> IpredSlot<N> {
    /// The arguments and contract of [`IpredFn`]. For a kernel, panics unless `buf` holds its
    /// mode's exact window (read from the slot: a few loads; see [`call_full`](Self::call_full)).
    #[inline(always)]
    pub fn call(&self, buf: &mut [u8], pos: usize, stride: usize) {
        match self {
            &Slot::Rust(f) => f(buf, pos, stride),
            Slot::Asm(k) => {
                check_window(k.kernel, "buf", k.window, buf.len(), pos, stride);
                // SAFETY: only a getter below makes an `IpredAsm`, from the token that proves the
                // ISA and with its mode's window; the check proved that `buf` holds every edge
                // pixel the mode reads and the block it writes around `pos` (in bounds).
                unsafe { (k.raw)(buf.as_mut_ptr().add(pos), stride as isize) }
            }
        }
    }

    /// [`call`](Self::call) for a caller that always supplies every edge (as a decoder does, with
    /// a border around its planes): checks the widest mode's window, a constant, instead of the
    /// slot's own. Stricter than the contract, never looser.
    #[inline(always)]
    pub fn call_full(&self, buf: &mut [u8], pos: usize, stride: usize) {
        match self {
            &Slot::Rust(f) => f(buf, pos, stride),
            Slot::Asm(k) => {
                let w = &const { full_window(N).small() };
                check_window(k.kernel, "buf", w, buf.len(), pos, stride);
                // SAFETY: as for `call`: every mode's window lies inside the widest.
                unsafe { (k.raw)(buf.as_mut_ptr().add(pos), stride as isize) }
            }
        }
    }
}

impl<const N: usize> IpredSlot<N> {
    /// [`call_full`](Self::call_full) on a checked macroblock block: no check of its own (the
    /// block's window is the widest mode's).
    #[inline(always)]
    pub fn call_block(&self, b: &mut MbBlock<'_, N>) {
        const { assert!(inside_mb(N, (0, 0), (N, N), (1, 1))) };
        match self {
            &Slot::Rust(f) => f(b.buf, b.pos, b.stride),
            // SAFETY: `MbBlock::new` checked the window of the widest mode, which holds this
            // mode's (the assertion above, at compile time).
            Slot::Asm(k) => unsafe { (k.raw)(b.buf.as_mut_ptr().add(b.pos), b.stride as isize) },
        }
    }
}

impl Ipred4Slot {
    /// The arguments and contract of [`Ipred4Fn`]. For a kernel, panics unless `buf` holds the
    /// edges and the block around `pos` (the same window for every 4x4 mode).
    #[inline(always)]
    pub fn call(&self, buf: &mut [u8], pos: usize, stride: usize, topright: [u8; 4]) {
        match self {
            &Slot::Rust(f) => f(buf, pos, stride, topright),
            Slot::Asm(k) => {
                let w = &const { pred_window(4, 1, 1, 5).small() };
                check_window(k.kernel, "buf", w, buf.len(), pos, stride);
                // SAFETY: only a getter below makes an `Ipred4Asm`, from the token that proves
                // the ISA; the check proved that `buf` holds the edges and the block around
                // `pos`; `topright` is the 4 bytes the kernel reads there.
                unsafe {
                    (k.raw)(
                        buf.as_mut_ptr().add(pos),
                        stride as isize,
                        topright.as_ptr(),
                    )
                }
            }
        }
    }
}

impl Ipred4Slot {
    /// [`call`](Self::call) on 4x4 subblock `sub` (raster order) of a checked luma block:
    /// panics unless `sub < 16`, and checks nothing else.
    #[inline(always)]
    pub fn call_block(&self, b: &mut MbBlock<'_, 16>, sub: usize, topright: [u8; 4]) {
        // The last subblock's window (the others' are above or left of it) is inside.
        const { assert!(inside_mb(16, (12, 12), (4, 4), (1, 1))) };
        let (x, y) = subblock_xy(sub);
        let p = b.offset(x, y);
        match self {
            &Slot::Rust(f) => f(b.buf, p, b.stride, topright),
            // SAFETY: `sub < 16`, so the subblock's window (its edges and pixels) lies inside the
            // window `MbBlock::new` checked (the assertion above); `topright` is the 4 bytes the
            // kernel reads there.
            Slot::Asm(k) => unsafe {
                (k.raw)(
                    b.buf.as_mut_ptr().add(p),
                    b.stride as isize,
                    topright.as_ptr(),
                )
            },
        }
    }
}

/// One getter per 16x16 or 8x8 kernel, with its mode's window.
macro_rules! ipred_slots {
    ($($getter:ident($token:ident) => $kernel:ident, $n:literal, up $up:literal, left $left:literal,
       width $width:literal;)*) => {$(
        #[doc = concat!(
            "`", stringify!($kernel), "` as a checked [`IpredSlot`]; contract in \
             `asm/include/vp8asm/ipred.h`."
        )]
        #[cfg(target_arch = "x86_64")]
        pub fn $getter(_: $token) -> IpredSlot<$n> {
            Slot::Asm(IpredAsm {
                raw: crate::ipred::$kernel,
                window: &const { pred_window($n, $up, $left, $width).small() },
                kernel: stringify!($kernel),
            })
        }
    )*};
}

ipred_slots! {
    pred16x16_dc_sse2(Sse2) => vp8_pred16x16_dc_sse2, 16, up 1, left 0, width 17;
    pred16x16_dc_left_sse2(Sse2) => vp8_pred16x16_dc_left_sse2, 16, up 0, left 1, width 17;
    pred16x16_dc_top_sse2(Sse2) => vp8_pred16x16_dc_top_sse2, 16, up 1, left 0, width 16;
    pred16x16_dc_128_sse2(Sse2) => vp8_pred16x16_dc_128_sse2, 16, up 0, left 0, width 16;
    pred16x16_v_sse2(Sse2) => vp8_pred16x16_v_sse2, 16, up 1, left 0, width 16;
    pred16x16_h_sse2(Sse2) => vp8_pred16x16_h_sse2, 16, up 0, left 1, width 17;
    pred16x16_tm_sse2(Sse2) => vp8_pred16x16_tm_sse2, 16, up 1, left 1, width 17;
    pred8x8_dc_sse2(Sse2) => vp8_pred8x8_dc_sse2, 8, up 1, left 0, width 9;
    pred8x8_dc_left_sse2(Sse2) => vp8_pred8x8_dc_left_sse2, 8, up 0, left 1, width 9;
    pred8x8_dc_top_sse2(Sse2) => vp8_pred8x8_dc_top_sse2, 8, up 1, left 0, width 8;
    pred8x8_dc_128_sse2(Sse2) => vp8_pred8x8_dc_128_sse2, 8, up 0, left 0, width 8;
    pred8x8_v_sse2(Sse2) => vp8_pred8x8_v_sse2, 8, up 1, left 0, width 8;
    pred8x8_h_sse2(Sse2) => vp8_pred8x8_h_sse2, 8, up 0, left 1, width 9;
    pred8x8_tm_sse2(Sse2) => vp8_pred8x8_tm_sse2, 8, up 1, left 1, width 9;
    pred16x16_h_avx2(Avx2) => vp8_pred16x16_h_avx2, 16, up 0, left 1, width 17;
    pred16x16_tm_avx2(Avx2) => vp8_pred16x16_tm_avx2, 16, up 1, left 1, width 17;
    pred8x8_tm_avx2(Avx2) => vp8_pred8x8_tm_avx2, 8, up 1, left 1, width 9;
}

/// One getter per 4x4 kernel.
macro_rules! ipred4_slots {
    ($($getter:ident($token:ident) => $kernel:ident;)*) => {$(
        #[doc = concat!(
            "`", stringify!($kernel), "` as a checked [`Ipred4Slot`]; contract in \
             `asm/include/vp8asm/ipred.h`."
        )]
        #[cfg(target_arch = "x86_64")]
        pub fn $getter(_: $token) -> Ipred4Slot {
            Slot::Asm(Ipred4Asm { raw: crate::ipred::$kernel, kernel: stringify!($kernel) })
        }
    )*};
}

ipred4_slots! {
    pred4x4_dc_sse2(Sse2) => vp8_pred4x4_dc_sse2;
    pred4x4_tm_sse2(Sse2) => vp8_pred4x4_tm_sse2;
    pred4x4_ve_sse2(Sse2) => vp8_pred4x4_ve_sse2;
    pred4x4_he_sse2(Sse2) => vp8_pred4x4_he_sse2;
    pred4x4_ld_sse2(Sse2) => vp8_pred4x4_ld_sse2;
    pred4x4_rd_sse2(Sse2) => vp8_pred4x4_rd_sse2;
    pred4x4_hu_sse2(Sse2) => vp8_pred4x4_hu_sse2;
    pred4x4_vr_ssse3(Ssse3) => vp8_pred4x4_vr_ssse3;
    pred4x4_vl_ssse3(Ssse3) => vp8_pred4x4_vl_ssse3;
    pred4x4_hd_ssse3(Ssse3) => vp8_pred4x4_hd_ssse3;
}
