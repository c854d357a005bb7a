//! The safe wrappers of `vp8_asm::safe`, through their public API only, for every kernel at every
//! ISA level this CPU has:
//!
//! - values: the output equals a plain Rust transcription of the RFC 6386 formula written here
//!   (random inputs from a fixed-seed generator, and extremes: all 0, all 255, a 0/255 checker,
//!   maximal and minimal coefficients, every `mx`/`my`, every threshold class), with every call
//!   given a slice that is exactly the kernel's window inside a larger buffer, and every byte of
//!   that buffer the reference leaves alone compared with its value before the call (so nothing
//!   outside the documented block, and nothing outside the slice, is written);
//! - windows: the exact-size window is accepted; one byte less at either end, a stride below the
//!   window's width, a stride or position so large that the offsets would overflow `usize`, all
//!   panic with a message naming the kernel;
//! - reads: each kernel runs on its exact window placed against an inaccessible page, once at the
//!   start and once at the end of the mapping, so a read (or write) past the window the wrapper
//!   checks would crash this test (SIGSEGV) instead of passing.
//!
//! (checkasm in upstream-c proves asm == C fallback; this proves the wrappers' windows and the
//! Rust-side calling convention: argument order, strides, fraction masks, array layouts.)

#![cfg(target_arch = "x86_64")]

use std::panic::{AssertUnwindSafe, catch_unwind};

use vp8_asm::safe::idct::{IdctAddSlot, IdctAddUvSlot, IdctAddYSlot, IwhtSlot};
use vp8_asm::safe::ipred::{Ipred4Slot, IpredSlot};

// Each kernel's table slot as a plain callable, so that the cases below call it as they called
// the wrapper fns before port step 46 (and slots of different sizes fit one list).
type IdctAddFn = Box<dyn Fn(&mut [u8], usize, &mut [i16; 16])>;
type IdctAddYFn = Box<dyn Fn(&mut [u8], usize, &mut [[i16; 16]; 16], &[u8; 16])>;
type IdctAddUvFn = Box<dyn Fn(&mut [u8], &mut [u8], usize, &mut [[i16; 16]; 8], &[u8; 8])>;
type IwhtFn = Box<dyn Fn(&mut [[i16; 16]; 16], &mut [i16; 16])>;
type IpredFn = Box<dyn Fn(&mut [u8], usize, usize)>;
type Ipred4Fn = Box<dyn Fn(&mut [u8], usize, usize, [u8; 4])>;

fn add_call(k: IdctAddSlot) -> IdctAddFn {
    Box::new(move |d, s, b| k.call(d, s, b))
}

fn add_y_call(k: IdctAddYSlot) -> IdctAddYFn {
    Box::new(move |d, s, b, e| k.call(d, s, b, e))
}

fn add_uv_call(k: IdctAddUvSlot) -> IdctAddUvFn {
    Box::new(move |u, v, s, b, e| k.call(u, v, s, b, e))
}

fn iwht_call(k: IwhtSlot) -> IwhtFn {
    Box::new(move |b, y2| k.call(b, y2))
}

/// The exact-window `call` (the contract); the decoder's `call_full` is tested in `mc_full.rs`'s
/// manner by `pred_call_full_checks_the_widest_window` below.
fn pred_call<const N: usize>(k: IpredSlot<N>) -> IpredFn {
    Box::new(move |b, p, s| k.call(b, p, s))
}

fn pred4_call(k: Ipred4Slot) -> Ipred4Fn {
    Box::new(move |b, p, s, t| k.call(b, p, s, t))
}
use vp8_asm::safe::loopfilter::{LfChromaSlot, LfLumaSlot, LfSimpleSlot};
use vp8_asm::safe::mc::McSlot;
use vp8_asm::safe::{Avx2, CpuTokens, Sse2, Ssse3, cpu, idct, ipred, loopfilter, mc};

// ---- inputs -------------------------------------------------------------------------------------

/// vp8-stage's xorshift64*: a fixed seed per test makes every failure reproducible.
struct Rng(vp8_stage::rng::XorShift);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(vp8_stage::rng::XorShift::new(seed))
    }
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn byte(&mut self) -> u8 {
        (self.next() >> 56) as u8
    }
    fn fill(&mut self, buf: &mut [u8]) {
        buf.iter_mut().for_each(|b| *b = self.byte());
    }
}

/// Pixel fills: random, the extremes, and smooth areas (so loop-filter thresholds pass).
#[derive(Clone, Copy, Debug)]
enum Fill {
    Random,
    Zero,
    Full,
    Checker,
    Smooth,
}

const FILLS: [Fill; 5] = [
    Fill::Random,
    Fill::Zero,
    Fill::Full,
    Fill::Checker,
    Fill::Smooth,
];

fn fill(buf: &mut [u8], stride: usize, how: Fill, rng: &mut Rng) {
    match how {
        Fill::Random => rng.fill(buf),
        Fill::Zero => buf.fill(0),
        Fill::Full => buf.fill(255),
        Fill::Checker => {
            for (i, b) in buf.iter_mut().enumerate() {
                *b = if (i % stride + i / stride) % 2 == 0 {
                    0
                } else {
                    255
                };
            }
        }
        Fill::Smooth => {
            // A level per 4x4 area plus noise of a random amplitude: edges between areas are
            // steps of any size, inside an area differences stay small.
            let amp = [0u64, 1, 2, 3, 6, 12, 40][rng.below(7) as usize];
            let levels: Vec<u8> = (0..1024).map(|_| rng.byte()).collect();
            for (i, b) in buf.iter_mut().enumerate() {
                let (x, y) = (i % stride, i / stride);
                let level = i64::from(levels[(y / 4 * 31 + x / 4) % 1024]);
                let noise = rng.below(2 * amp + 1) as i64 - amp as i64;
                *b = (level + noise).clamp(0, 255) as u8;
            }
        }
    }
}

// ---- windows ------------------------------------------------------------------------------------

/// A window as the headers in asm/include/vp8asm/ describe it (written out here independently of
/// the crate's): first byte `up` rows above and `left` columns left of the block's top-left
/// pixel, last byte `down` rows below and `right` columns right of it, `width` columns.
#[derive(Clone, Copy, Debug)]
struct Win {
    up: usize,
    left: usize,
    down: usize,
    right: usize,
    width: usize,
}

const fn win(up: usize, left: usize, down: usize, right: usize, width: usize) -> Win {
    Win {
        up,
        left,
        down,
        right,
        width,
    }
}

const fn block(w: usize, h: usize) -> Win {
    win(0, 0, h - 1, w - 1, w)
}

impl Win {
    fn before(&self, stride: usize) -> usize {
        self.up * stride + self.left
    }
    fn span(&self, stride: usize) -> usize {
        self.before(stride) + self.down * stride + self.right + 1
    }
    /// A buffer for a slice argument that is not the one under test: the window, or (for the
    /// strides above the wrappers' `u32::MAX` limit, where the checks panic on whichever
    /// argument comes first) a byte.
    fn other(&self, stride: usize) -> Vec<u8> {
        let span = (self.up + self.down)
            .checked_mul(stride)
            .and_then(|s| s.checked_add(self.left + self.right + 1));
        vec![128; span.filter(|_| stride <= u32::MAX as usize).unwrap_or(1)]
    }
}

/// Room around a window in the value tests: canary bytes the kernels must leave alone.
const MARGIN: usize = 5;

/// A buffer of canaries around a window's span: the span starts at `start`, the block's top-left
/// pixel is at `start + before`.
struct Framed {
    buf: Vec<u8>,
    start: usize,
    span: usize,
    stride: usize,
    before: usize,
}

impl Framed {
    /// The window's rows with `MARGIN` rows and columns around it (and `extra` more columns).
    fn new(w: Win, extra: usize, how: Fill, rng: &mut Rng) -> Framed {
        let stride = w.width + 2 * MARGIN + extra;
        let before = w.before(stride);
        let start = MARGIN * stride + MARGIN;
        let span = w.span(stride);
        let mut buf = vec![0; start + span + MARGIN * stride + MARGIN];
        fill(&mut buf, stride, how, rng);
        Framed {
            buf,
            start,
            span,
            stride,
            before,
        }
    }
    /// Absolute index of the block's top-left pixel.
    fn pos(&self) -> usize {
        self.start + self.before
    }
    /// The exact window.
    fn window(&mut self) -> &mut [u8] {
        &mut self.buf[self.start..self.start + self.span]
    }
}

fn assert_same(kernel: &str, what: &str, got: &[u8], want: &[u8], stride: usize) {
    if let Some(i) = (0..got.len()).find(|&i| got[i] != want[i]) {
        panic!(
            "{kernel}: {what}: byte {i} (row {}, column {}) is {}, expected {}",
            i / stride,
            i % stride,
            got[i],
            want[i]
        );
    }
}

fn panic_message(f: impl FnOnce()) -> Option<String> {
    let err = catch_unwind(AssertUnwindSafe(f)).err()?;
    Some(match err.downcast::<String>() {
        Ok(s) => *s,
        Err(e) => e
            .downcast::<&str>()
            .map(|s| s.to_string())
            .unwrap_or_default(),
    })
}

/// The window checks of one slice argument: `call(slice, pos, stride)` runs the wrapper with
/// every other argument valid. Exact window: accepted; one byte less at the end or (when the
/// window reaches before `pos`) at the start, a stride below the width, overflowing strides
/// and positions: a panic that names the kernel (not an arithmetic-overflow panic).
fn check_bounds(kernel: &str, w: Win, call: &dyn Fn(&mut [u8], usize, usize)) {
    for stride in [w.width, w.width + 3, 64] {
        let span = w.span(stride);
        let before = w.before(stride);
        let mut buf = vec![128u8; span];
        if let Some(msg) = panic_message(|| call(&mut buf, before, stride)) {
            panic!("{kernel}: exact window (stride {stride}) rejected: {msg}");
        }
        let refused = |what: &str, msg: Option<String>| {
            let msg = msg.unwrap_or_else(|| panic!("{kernel}: {what} accepted"));
            assert!(
                msg.starts_with(kernel) && msg.contains("window"),
                "{kernel}: {what}: {msg}"
            );
        };
        refused(
            "window one byte short at the end",
            panic_message(|| call(&mut buf[..span - 1], before, stride)),
        );
        if before > 0 {
            refused(
                "window one byte short at the start",
                panic_message(|| call(&mut buf[1..], before - 1, stride)),
            );
        }
    }
    let mut big = vec![128u8; 64 * 64];
    let pos = 32 * 64 + 32;
    if w.width > 1 {
        refused_any(kernel, "stride below the width", || {
            call(&mut big, pos, w.width - 1)
        });
    }
    for stride in [
        usize::MAX,
        usize::MAX / 2 + 1,
        usize::MAX / 4 + 1,
        u32::MAX as usize + 1,
    ] {
        refused_any(kernel, "huge stride", || call(&mut big, pos, stride));
    }
    refused_any(kernel, "huge position", || call(&mut big, usize::MAX, 64));
    refused_any(kernel, "position past the end", || {
        call(&mut big, 64 * 64, 64)
    });
}

fn refused_any(kernel: &str, what: &str, f: impl FnOnce()) {
    let msg = panic_message(f).unwrap_or_else(|| panic!("{kernel}: {what} accepted"));
    assert!(
        msg.starts_with(kernel) && msg.contains("window"),
        "{kernel}: {what}: {msg}"
    );
}

/// Memory mapped between inaccessible pages: `len` usable bytes that start right after a guard
/// page (`at_end == false`) or end right before one.
struct Guarded {
    map: *mut libc::c_void,
    map_len: usize,
    offset: usize,
    len: usize,
}

impl Guarded {
    fn new(len: usize, at_end: bool) -> Guarded {
        // SAFETY: sysconf has no preconditions.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize;
        let data = len.div_ceil(page).max(1) * page;
        let map_len = data + 2 * page;
        // SAFETY: a fresh anonymous private mapping; checked for failure below.
        let map = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                map_len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert_ne!(map, libc::MAP_FAILED, "mmap");
        // SAFETY: both ranges are whole pages of the mapping just made.
        unsafe {
            assert_eq!(libc::mprotect(map, page, libc::PROT_NONE), 0);
            assert_eq!(
                libc::mprotect(
                    map.cast::<u8>().add(page + data).cast(),
                    page,
                    libc::PROT_NONE
                ),
                0
            );
        }
        let offset = if at_end { page + data - len } else { page };
        Guarded {
            map,
            map_len,
            offset,
            len,
        }
    }

    fn slice(&mut self) -> &mut [u8] {
        // SAFETY: offset..offset + len lies in the read-write pages of the mapping, which lives
        // as long as self; the returned borrow is tied to &mut self.
        unsafe { std::slice::from_raw_parts_mut(self.map.cast::<u8>().add(self.offset), self.len) }
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        // SAFETY: the mapping made in new, not used after this.
        unsafe { libc::munmap(self.map, self.map_len) };
    }
}

/// Runs `call(slice, pos, stride)` on the exact window of `w`, placed against a guard page at
/// its start and then at its end, with random contents.
fn run_guarded(
    w: Win,
    stride: usize,
    rng: &mut Rng,
    call: &mut dyn FnMut(&mut [u8], usize, usize),
) {
    for at_end in [false, true] {
        let mut g = Guarded::new(w.span(stride), at_end);
        rng.fill(g.slice());
        call(g.slice(), w.before(stride), stride);
    }
}

/// The tokens, with SSE2 required (every x86-64 has it, so a missing token is a detection bug).
fn tokens() -> (Sse2, Option<Ssse3>, Option<Avx2>) {
    let sse2 = Sse2::detect().expect("every x86-64 CPU has SSE2");
    (sse2, Ssse3::detect(), Avx2::detect())
}

// ---- CPU tokens ---------------------------------------------------------------------------------

#[test]
fn tokens_follow_detection_and_the_mask() {
    let all = CpuTokens::detect();
    assert_eq!(all.sse2.is_some(), is_x86_feature_detected!("sse2"));
    assert_eq!(all.ssse3.is_some(), is_x86_feature_detected!("ssse3"));
    assert_eq!(all.avx2.is_some(), is_x86_feature_detected!("avx2"));
    // The bits are vp8.h's, and the --cpumask words' masks.
    let header = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../upstream-c/include/vp8/vp8.h"
    ))
    .expect("upstream-c/include/vp8/vp8.h");
    for (name, bit) in [
        ("SSE2", cpu::CPU_SSE2),
        ("SSSE3", cpu::CPU_SSSE3),
        ("AVX2", cpu::CPU_AVX2),
    ] {
        let shift = bit.trailing_zeros();
        assert!(
            header.contains(&format!("VP8_CPU_{name} = 1 << {shift},")),
            "VP8_CPU_{name} != {bit}"
        );
    }
    assert!(header.contains("#define VP8_CPU_ALL 0xffffffffu") && cpu::CPU_ALL == 0xffff_ffff);
    for mask in 0..8u32 {
        let t = CpuTokens::new(mask);
        assert_eq!(t.flags(), all.flags() & mask, "mask {mask:#x}");
    }
    assert_eq!(CpuTokens::new(cpu::CPU_NONE), CpuTokens::default());
    assert_eq!(CpuTokens::new(cpu::CPU_ALL), all);
    if let Some(avx2) = Avx2::detect() {
        let _: Ssse3 = avx2.ssse3();
        let _: Sse2 = avx2.sse2();
        assert!(Ssse3::detect().is_some());
    }
}

/// Every kernel the crate declares for an ISA this CPU has is in one of the case lists below (the
/// window tests check that each listed name is the kernel its wrapper calls: the panic message
/// names it).
#[test]
fn every_kernel_has_a_tested_wrapper() {
    let t = CpuTokens::detect();
    let have = |name: &str| {
        (name.ends_with("_sse2") && t.sse2.is_some())
            || (name.ends_with("_ssse3") && t.ssse3.is_some())
            || (name.ends_with("_avx2") && t.avx2.is_some())
    };
    let mut declared: Vec<&str> = vp8_asm::kernels()
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| have(n))
        .collect();
    let mut tested: Vec<&str> = mc_cases().iter().map(|k| k.name).collect();
    tested.extend(idct_cases().iter().map(|k| k.0));
    tested.extend(idct_y_cases().iter().map(|k| k.0));
    tested.extend(idct_uv_cases().iter().map(|k| k.0));
    tested.extend(["vp8_iwht_sse2", "vp8_iwht_dc_sse2"]);
    tested.extend(pred_cases().iter().map(|k| k.0));
    tested.extend(pred4_cases().iter().map(|k| k.0));
    tested.extend(lf_cases().iter().map(|k| k.0));
    declared.sort_unstable();
    tested.sort_unstable();
    assert_eq!(tested, declared);
}

// ---- motion compensation ------------------------------------------------------------------------

/// RFC 6386 section 18.3, subpixel_filters (eighth-pel six-tap filters).
const SIXTAP: [[i32; 6]; 8] = [
    [0, 0, 128, 0, 0, 0],
    [0, -6, 123, 12, -1, 0],
    [2, -11, 108, 36, -8, 1],
    [0, -9, 93, 50, -6, 0],
    [3, -16, 77, 77, -16, 3],
    [0, -6, 50, 93, -9, 0],
    [1, -8, 36, 108, -11, 2],
    [0, -1, 12, 123, -6, 0],
];

/// The bilinear taps: (128 - 16 f, 16 f).
fn bilinear_taps(f: u32) -> [i32; 2] {
    [128 - 16 * f as i32, 16 * f as i32]
}

fn round7(sum: i32) -> u8 {
    ((sum + 64) >> 7).clamp(0, 255) as u8
}

/// The RFC's two-pass prediction: the horizontal filter over rows -2 ..= H + 2 (bilinear
/// 0 ..= H) into an 8-bit temporary, then the vertical filter over it. A zero fraction is the
/// identity filter here (taps 0, 128), which needs no special case.
#[allow(clippy::too_many_arguments)]
fn mc_ref(
    dst: &mut [u8],
    ds: usize,
    src: &[u8],
    sp: usize,
    ss: usize,
    w: usize,
    h: usize,
    mx: u32,
    my: u32,
    six: bool,
) {
    let at = |r: isize, c: isize| i32::from(src[(sp as isize + r * ss as isize + c) as usize]);
    let (mx, my) = (mx & 7, my & 7);
    let (top, rows) = if six { (-2isize, h + 5) } else { (0, h + 1) };
    let mut tmp = vec![0u8; rows * w];
    for r in 0..rows {
        let y = top + r as isize;
        for x in 0..w {
            let x = x as isize;
            tmp[r * w + x as usize] = if six {
                round7(
                    (0..6)
                        .map(|k| SIXTAP[mx as usize][k] * at(y, x + k as isize - 2))
                        .sum(),
                )
            } else {
                let t = bilinear_taps(mx);
                round7(t[0] * at(y, x) + t[1] * at(y, x + 1))
            };
        }
    }
    for y in 0..h {
        for x in 0..w {
            let t = |r: usize| i32::from(tmp[r * w + x]);
            dst[y * ds + x] = if six {
                round7((0..6).map(|k| SIXTAP[my as usize][k] * t(y + k)).sum())
            } else {
                let b = bilinear_taps(my);
                round7(b[0] * t(y) + b[1] * t(y + 1))
            };
        }
    }
}

/// The `src` window of `mx`, `my` per asm/include/vp8asm/mc.h.
fn mc_src_window(w: usize, h: usize, mx: u32, my: u32, six: bool) -> Win {
    let (x, y) = (mx & 7 != 0, my & 7 != 0);
    let (lo, hi) = if six { (2, 3) } else { (0, 1) };
    win(
        if y { lo } else { 0 },
        if x { lo } else { 0 },
        h - 1 + if y { hi } else { 0 },
        w - 1 + if x { hi } else { 0 },
        w + if x { lo + hi } else { 0 },
    )
}

/// A kernel's table slot as a plain callable (slot types differ by block size).
type McCall = Box<dyn Fn(&mut [u8], usize, &[u8], usize, usize, u32, u32)>;

fn mc_call<const S: usize>(slot: McSlot<S>) -> McCall {
    Box::new(move |d, ds, s, sp, ss, mx, my| slot.call(d, ds, s, sp, ss, mx, my))
}

struct McCase {
    name: &'static str,
    f: McCall,
    w: usize,
    h: usize,
    six: bool,
}

fn mc_cases() -> Vec<McCase> {
    let c = |name, f, w, h, six| McCase { name, f, w, h, six };
    let (sse2, ssse3, avx2) = tokens();
    let mut v = vec![
        c(
            "vp8_sixtap_16x16_sse2",
            mc_call(mc::sixtap_16x16_sse2(sse2)),
            16,
            16,
            true,
        ),
        c(
            "vp8_sixtap_8x8_sse2",
            mc_call(mc::sixtap_8x8_sse2(sse2)),
            8,
            8,
            true,
        ),
        c(
            "vp8_sixtap_8x4_sse2",
            mc_call(mc::sixtap_8x4_sse2(sse2)),
            8,
            4,
            true,
        ),
        c(
            "vp8_sixtap_4x4_sse2",
            mc_call(mc::sixtap_4x4_sse2(sse2)),
            4,
            4,
            true,
        ),
        c(
            "vp8_bilinear_16x16_sse2",
            mc_call(mc::bilinear_16x16_sse2(sse2)),
            16,
            16,
            false,
        ),
        c(
            "vp8_bilinear_8x8_sse2",
            mc_call(mc::bilinear_8x8_sse2(sse2)),
            8,
            8,
            false,
        ),
        c(
            "vp8_bilinear_8x4_sse2",
            mc_call(mc::bilinear_8x4_sse2(sse2)),
            8,
            4,
            false,
        ),
        c(
            "vp8_bilinear_4x4_sse2",
            mc_call(mc::bilinear_4x4_sse2(sse2)),
            4,
            4,
            false,
        ),
    ];
    if let Some(t) = ssse3 {
        v.extend([
            c(
                "vp8_sixtap_16x16_ssse3",
                mc_call(mc::sixtap_16x16_ssse3(t)),
                16,
                16,
                true,
            ),
            c(
                "vp8_sixtap_8x8_ssse3",
                mc_call(mc::sixtap_8x8_ssse3(t)),
                8,
                8,
                true,
            ),
            c(
                "vp8_sixtap_8x4_ssse3",
                mc_call(mc::sixtap_8x4_ssse3(t)),
                8,
                4,
                true,
            ),
            c(
                "vp8_sixtap_4x4_ssse3",
                mc_call(mc::sixtap_4x4_ssse3(t)),
                4,
                4,
                true,
            ),
            c(
                "vp8_bilinear_16x16_ssse3",
                mc_call(mc::bilinear_16x16_ssse3(t)),
                16,
                16,
                false,
            ),
            c(
                "vp8_bilinear_8x8_ssse3",
                mc_call(mc::bilinear_8x8_ssse3(t)),
                8,
                8,
                false,
            ),
            c(
                "vp8_bilinear_8x4_ssse3",
                mc_call(mc::bilinear_8x4_ssse3(t)),
                8,
                4,
                false,
            ),
            c(
                "vp8_bilinear_4x4_ssse3",
                mc_call(mc::bilinear_4x4_ssse3(t)),
                4,
                4,
                false,
            ),
        ]);
    }
    if let Some(t) = avx2 {
        v.extend([
            c(
                "vp8_sixtap_16x16_avx2",
                mc_call(mc::sixtap_16x16_avx2(t)),
                16,
                16,
                true,
            ),
            c(
                "vp8_sixtap_8x8_avx2",
                mc_call(mc::sixtap_8x8_avx2(t)),
                8,
                8,
                true,
            ),
        ]);
    }
    v
}

#[test]
fn mc_matches_the_rfc_and_writes_only_the_block() {
    let mut rng = Rng::new(1);
    for k in mc_cases() {
        for frac in 0..64u32 {
            // High bits must be ignored (only & 7 is a fraction).
            let (mx, my) = (frac & 7 | (frac % 3) << 3, frac >> 3 | (frac % 5) << 29);
            for how in FILLS {
                for extra in [0, 7] {
                    let sw = mc_src_window(k.w, k.h, mx, my, k.six);
                    let full = mc_src_window(k.w, k.h, 1, 1, k.six);
                    // The source: the whole six-tap area filled (so the reference may read it),
                    // the wrapper given only the window of these fractions.
                    let src = Framed::new(full, extra, how, &mut rng);
                    let (ss, sp) = (src.stride, src.pos());
                    let first = sp - sw.before(ss);
                    let src_win = &src.buf[first..first + sw.span(ss)];
                    let mut dst = Framed::new(block(k.w, k.h), extra + 3, Fill::Random, &mut rng);
                    let ds = dst.stride;
                    let mut want = dst.buf.clone();
                    let dp = dst.pos();
                    mc_ref(
                        &mut want[dp..],
                        ds,
                        &src.buf,
                        sp,
                        ss,
                        k.w,
                        k.h,
                        mx,
                        my,
                        k.six,
                    );
                    (k.f)(dst.window(), ds, src_win, sp - first, ss, mx, my);
                    let what = format!("mx {mx:#x} my {my:#x} {how:?} src_stride {ss}");
                    assert_same(k.name, &what, &dst.buf, &want, ds);
                }
            }
        }
    }
}

#[test]
fn mc_windows_are_checked() {
    for k in mc_cases() {
        for (mx, my) in [(0, 0), (3, 0), (0, 5), (2, 6), (1, 7)] {
            let sw = mc_src_window(k.w, k.h, mx, my, k.six);
            let ss = sw.width + 4;
            let src = vec![9u8; sw.span(ss)];
            let dst_win = block(k.w, k.h);
            check_bounds(k.name, dst_win, &|dst, pos, ds| {
                // dst starts at the block: a position other than 0 is moved into the slice.
                let dst = dst.get_mut(pos..).unwrap_or(&mut []);
                (k.f)(dst, ds, &src, sw.before(ss), ss, mx, my)
            });
            let dst = vec![0u8; dst_win.span(k.w)];
            check_bounds(k.name, sw, &|s, pos, ss| {
                (k.f)(&mut dst.clone(), k.w, s, pos, ss, mx, my)
            });
        }
    }
}

#[test]
fn mc_reads_only_its_window() {
    let mut rng = Rng::new(2);
    for k in mc_cases() {
        for frac in 0..64u32 {
            let (mx, my) = (frac & 7, frac >> 3);
            let sw = mc_src_window(k.w, k.h, mx, my, k.six);
            for ss in [sw.width, sw.width + 13] {
                let mut dst = vec![0u8; block(k.w, k.h).span(k.w)];
                run_guarded(sw, ss, &mut rng, &mut |s, pos, ss| {
                    (k.f)(&mut dst, k.w, s, pos, ss, mx, my)
                });
                let bw = block(k.w, k.h);
                let src = vec![7u8; sw.span(ss)];
                run_guarded(bw, k.w + 1, &mut rng, &mut |d, _, ds| {
                    (k.f)(d, ds, &src, sw.before(ss), ss, mx, my)
                });
            }
        }
    }
}

// ---- inverse transforms -------------------------------------------------------------------------

/// RFC 6386 section 14.3: 16.16 fixed-point sqrt(2) cos(pi/8) - 1 and sqrt(2) sin(pi/8).
const C1: i32 = 20091;
const S1: i32 = 35468;

/// One 1-D inverse DCT of (x0, x1, x2, x3), unrounded.
fn idct4(x: [i32; 4]) -> [i32; 4] {
    let a = x[0] + x[2];
    let b = x[0] - x[2];
    let c = ((x[1] * S1) >> 16) - (x[3] + ((x[3] * C1) >> 16));
    let d = (x[1] + ((x[1] * C1) >> 16)) + ((x[3] * S1) >> 16);
    [a + d, b + c, b - c, a - d]
}

/// The RFC's inverse DCT: columns first, stored as 16-bit (wrapping), then rows, `(x + 4) >> 3`,
/// stored as 16-bit.
fn idct_ref(block: &[i16; 16]) -> [i16; 16] {
    let mut tmp = [0i16; 16];
    for c in 0..4 {
        let col = idct4([0, 1, 2, 3].map(|r| i32::from(block[4 * r + c])));
        for r in 0..4 {
            tmp[4 * r + c] = col[r] as i16;
        }
    }
    let mut out = [0i16; 16];
    for r in 0..4 {
        let row = idct4([0, 1, 2, 3].map(|c| i32::from(tmp[4 * r + c])));
        for c in 0..4 {
            out[4 * r + c] = ((row[c] + 4) >> 3) as i16;
        }
    }
    out
}

/// Adds a residual to the 4x4 pixels at `dst`, clamping to 0..=255.
fn add_ref(dst: &mut [u8], stride: usize, res: &[i16; 16]) {
    for r in 0..4 {
        for c in 0..4 {
            let p = &mut dst[r * stride + c];
            *p = (i32::from(*p) + i32::from(res[4 * r + c])).clamp(0, 255) as u8;
        }
    }
}

/// The residual of one block by its eob: full inverse DCT above 1, else the DC alone.
fn residual_ref(block: &[i16; 16], eob: u8) -> [i16; 16] {
    if eob > 1 {
        idct_ref(block)
    } else {
        [((i32::from(block[0]) + 4) >> 3) as i16; 16]
    }
}

/// The RFC's inverse WHT: columns, then rows with `(x + 3) >> 3`, 16-bit storage.
fn iwht_ref(y2: &[i16; 16]) -> [i16; 16] {
    let pass = |x: [i32; 4]| {
        let (a, b) = (x[0] + x[3], x[1] + x[2]);
        let (c, d) = (x[1] - x[2], x[0] - x[3]);
        [a + b, c + d, a - b, d - c]
    };
    let mut tmp = [0i16; 16];
    for c in 0..4 {
        let col = pass([0, 1, 2, 3].map(|r| i32::from(y2[4 * r + c])));
        for r in 0..4 {
            tmp[4 * r + c] = col[r] as i16;
        }
    }
    let mut out = [0i16; 16];
    for r in 0..4 {
        let row = pass([0, 1, 2, 3].map(|c| i32::from(tmp[4 * r + c])));
        for c in 0..4 {
            out[4 * r + c] = ((row[c] + 3) >> 3) as i16;
        }
    }
    out
}

/// Coefficient blocks: realistic, full-range random, the extremes, and single coefficients.
fn coeffs(rng: &mut Rng, case: usize) -> [i16; 16] {
    let mut b = [0i16; 16];
    match case % 8 {
        0 => b
            .iter_mut()
            .for_each(|c| *c = (rng.below(4096) as i32 - 2048) as i16),
        1 => b.iter_mut().for_each(|c| *c = rng.next() as i16),
        2 => b = [i16::MAX; 16],
        3 => b = [i16::MIN; 16],
        4 => b.iter_mut().enumerate().for_each(|(i, c)| {
            *c = if (i + i / 4) % 2 == 0 {
                i16::MAX
            } else {
                i16::MIN
            }
        }),
        5 => b[rng.below(16) as usize] = rng.next() as i16,
        6 => b
            .iter_mut()
            .for_each(|c| *c = (rng.below(64) as i32 - 32) as i16),
        _ => {}
    }
    b
}

fn dc_only(rng: &mut Rng, case: usize) -> [i16; 16] {
    let mut b = [0i16; 16];
    b[0] = match case % 5 {
        0 => i16::MAX,
        1 => i16::MIN,
        2 => 0,
        3 => (rng.below(4096) as i32 - 2048) as i16,
        _ => rng.next() as i16,
    };
    b
}

fn idct_cases() -> Vec<(&'static str, IdctAddFn, bool)> {
    let (sse2, _, _) = tokens();
    vec![
        (
            "vp8_idct_add_sse2",
            add_call(idct::idct_add_sse2(sse2)),
            false,
        ),
        (
            "vp8_idct_dc_add_sse2",
            add_call(idct::idct_dc_add_sse2(sse2)),
            true,
        ),
    ]
}

fn idct_y_cases() -> Vec<(&'static str, IdctAddYFn)> {
    let (sse2, _, avx2) = tokens();
    let mut v: Vec<(&'static str, IdctAddYFn)> = vec![(
        "vp8_idct_add_y_sse2",
        add_y_call(idct::idct_add_y_sse2(sse2)),
    )];
    if let Some(t) = avx2 {
        v.push(("vp8_idct_add_y_avx2", add_y_call(idct::idct_add_y_avx2(t))));
    }
    v
}

fn idct_uv_cases() -> Vec<(&'static str, IdctAddUvFn)> {
    let (sse2, _, avx2) = tokens();
    let mut v: Vec<(&'static str, IdctAddUvFn)> = vec![(
        "vp8_idct_add_uv_sse2",
        add_uv_call(idct::idct_add_uv_sse2(sse2)),
    )];
    if let Some(t) = avx2 {
        v.push((
            "vp8_idct_add_uv_avx2",
            add_uv_call(idct::idct_add_uv_avx2(t)),
        ));
    }
    v
}

/// Blocks and eobs of a macroblock's `n` blocks: eob > 1 with any coefficients, or <= 1 with only
/// the DC (the contract); all kinds of coefficients.
fn mb_coeffs<const N: usize>(rng: &mut Rng, it: usize) -> ([[i16; 16]; N], [u8; N]) {
    let mut blocks = [[0i16; 16]; N];
    let mut eobs = [0u8; N];
    for i in 0..N {
        eobs[i] = [0, 1, 2, 16, 5][rng.below(5) as usize];
        blocks[i] = if eobs[i] > 1 {
            coeffs(rng, it + i)
        } else {
            dc_only(rng, it + i)
        };
    }
    (blocks, eobs)
}

#[test]
fn idct_matches_the_rfc_and_writes_only_the_block() {
    let mut rng = Rng::new(3);
    for (name, f, dc) in idct_cases() {
        for it in 0..400 {
            let mut px = Framed::new(block(4, 4), it % 5, FILLS[it % 5], &mut rng);
            let mut block = if dc {
                dc_only(&mut rng, it)
            } else {
                coeffs(&mut rng, it)
            };
            let mut want = px.buf.clone();
            let p = px.pos();
            add_ref(
                &mut want[p..],
                px.stride,
                &residual_ref(&block, if dc { 1 } else { 16 }),
            );
            let stride = px.stride;
            f(px.window(), stride, &mut block);
            assert_same(name, &format!("iteration {it}"), &px.buf, &want, stride);
            assert_eq!(block, [0; 16], "{name}: coefficients not zeroed");
        }
    }
    for (name, f) in idct_y_cases() {
        for it in 0..200 {
            let mut px = Framed::new(block(16, 16), it % 4, FILLS[it % 5], &mut rng);
            let (mut blocks, eobs) = mb_coeffs::<16>(&mut rng, it);
            let (stride, p) = (px.stride, px.pos());
            let mut want = px.buf.clone();
            for (i, b) in blocks.iter().enumerate() {
                add_ref(
                    &mut want[p + i / 4 * 4 * stride + i % 4 * 4..],
                    stride,
                    &residual_ref(b, eobs[i]),
                );
            }
            f(px.window(), stride, &mut blocks, &eobs);
            assert_same(name, &format!("iteration {it}"), &px.buf, &want, stride);
            assert_eq!(blocks, [[0; 16]; 16], "{name}: coefficients not zeroed");
        }
    }
    for (name, f) in idct_uv_cases() {
        for it in 0..200 {
            let mut u = Framed::new(block(8, 8), it % 3, FILLS[it % 5], &mut rng);
            let mut v = Framed::new(block(8, 8), it % 3, FILLS[(it + 1) % 5], &mut rng);
            let (mut blocks, eobs) = mb_coeffs::<8>(&mut rng, it);
            let (stride, p) = (u.stride, u.pos());
            let (mut want_u, mut want_v) = (u.buf.clone(), v.buf.clone());
            for i in 0..4 {
                let at = p + i / 2 * 4 * stride + i % 2 * 4;
                add_ref(
                    &mut want_u[at..],
                    stride,
                    &residual_ref(&blocks[i], eobs[i]),
                );
                add_ref(
                    &mut want_v[at..],
                    stride,
                    &residual_ref(&blocks[4 + i], eobs[4 + i]),
                );
            }
            f(u.window(), v.window(), stride, &mut blocks, &eobs);
            assert_same(name, &format!("U, iteration {it}"), &u.buf, &want_u, stride);
            assert_same(name, &format!("V, iteration {it}"), &v.buf, &want_v, stride);
            assert_eq!(blocks, [[0; 16]; 8], "{name}: coefficients not zeroed");
        }
    }
}

#[test]
fn iwht_matches_the_rfc() {
    let mut rng = Rng::new(4);
    let (sse2, _, _) = tokens();
    let cases: [(&str, IwhtFn, bool); 2] = [
        ("vp8_iwht_sse2", iwht_call(idct::iwht_sse2(sse2)), false),
        (
            "vp8_iwht_dc_sse2",
            iwht_call(idct::iwht_dc_sse2(sse2)),
            true,
        ),
    ];
    for (name, f, dc) in cases {
        for it in 0..400 {
            let mut y2 = if dc {
                dc_only(&mut rng, it)
            } else {
                coeffs(&mut rng, it)
            };
            let mut blocks = [[0i16; 16]; 16];
            blocks
                .iter_mut()
                .flatten()
                .for_each(|c| *c = rng.next() as i16);
            let mut want = blocks;
            let out = iwht_ref(&y2);
            for i in 0..16 {
                want[i][0] = out[i];
            }
            f(&mut blocks, &mut y2);
            assert_eq!(blocks, want, "{name}: iteration {it}");
            assert_eq!(y2, [0; 16], "{name}: y2 not zeroed");
        }
    }
}

#[test]
fn idct_windows_are_checked_and_reads_stay_inside() {
    let mut rng = Rng::new(5);
    for (name, f, _) in idct_cases() {
        let w = block(4, 4);
        check_bounds(name, w, &|d, pos, s| {
            f(d.get_mut(pos..).unwrap_or(&mut []), s, &mut [0; 16])
        });
        for stride in [4, 21] {
            run_guarded(w, stride, &mut rng, &mut |d, _, s| {
                f(d, s, &mut coeffs(&mut Rng::new(9), 0))
            });
        }
    }
    for (name, f) in idct_y_cases() {
        let w = block(16, 16);
        check_bounds(name, w, &|d, pos, s| {
            f(
                d.get_mut(pos..).unwrap_or(&mut []),
                s,
                &mut [[0; 16]; 16],
                &[0; 16],
            )
        });
        for stride in [16, 33] {
            run_guarded(w, stride, &mut rng, &mut |d, _, s| {
                let (mut b, e) = mb_coeffs::<16>(&mut Rng::new(9), 0);
                f(d, s, &mut b, &e)
            });
        }
    }
    for (name, f) in idct_uv_cases() {
        let w = block(8, 8);
        let other = |s: usize| w.other(s);
        check_bounds(name, w, &|d, pos, s| {
            f(
                d.get_mut(pos..).unwrap_or(&mut []),
                &mut other(s),
                s,
                &mut [[0; 16]; 8],
                &[0; 8],
            )
        });
        check_bounds(name, w, &|d, pos, s| {
            f(
                &mut other(s),
                d.get_mut(pos..).unwrap_or(&mut []),
                s,
                &mut [[0; 16]; 8],
                &[0; 8],
            )
        });
        for stride in [8, 19] {
            run_guarded(w, stride, &mut rng, &mut |d, _, s| {
                let (mut b, e) = mb_coeffs::<8>(&mut Rng::new(9), 0);
                f(d, &mut other(s), s, &mut b, &e);
                f(&mut other(s), d, s, &mut b, &e);
            });
        }
    }
}

// ---- intra prediction ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Dc,
    DcLeft,
    DcTop,
    Dc128,
    V,
    H,
    Tm,
}

/// The window of a whole-block mode (asm/include/vp8asm/ipred.h: only the edges it reads).
fn pred_window(n: usize, mode: Mode) -> Win {
    let (up, left) = match mode {
        Mode::Dc | Mode::DcTop | Mode::V => (1, 0),
        Mode::DcLeft | Mode::H => (0, 1),
        Mode::Dc128 => (0, 0),
        Mode::Tm => (1, 1),
    };
    let reads_left = matches!(mode, Mode::Dc | Mode::DcLeft | Mode::H | Mode::Tm);
    win(up, left, n - 1, n - 1, n + reads_left as usize)
}

/// RFC 6386 section 12.2 for an `n` x `n` block at `buf[pos]`.
fn pred_ref(buf: &mut [u8], pos: usize, stride: usize, n: usize, mode: Mode) {
    let above: Vec<i32> = (0..n).map(|x| i32::from(buf[pos - stride + x])).collect();
    let left: Vec<i32> = (0..n)
        .map(|y| i32::from(buf[pos + y * stride - 1]))
        .collect();
    let shift = n.trailing_zeros();
    let corner = || i32::from(buf[pos - stride - 1]);
    let value = |y: usize, x: usize| -> i32 {
        match mode {
            Mode::Dc => {
                (above.iter().sum::<i32>() + left.iter().sum::<i32>() + n as i32) >> (shift + 1)
            }
            Mode::DcTop => (above.iter().sum::<i32>() + n as i32 / 2) >> shift,
            Mode::DcLeft => (left.iter().sum::<i32>() + n as i32 / 2) >> shift,
            Mode::Dc128 => 128,
            Mode::V => above[x],
            Mode::H => left[y],
            Mode::Tm => (left[y] + above[x] - corner()).clamp(0, 255),
        }
    };
    let out: Vec<u8> = (0..n * n).map(|i| value(i / n, i % n) as u8).collect();
    for y in 0..n {
        buf[pos + y * stride..pos + y * stride + n].copy_from_slice(&out[y * n..y * n + n]);
    }
}

fn pred_cases() -> Vec<(&'static str, IpredFn, usize, Mode)> {
    let (t, _, avx2) = tokens();
    let mut v: Vec<(&'static str, IpredFn, usize, Mode)> = vec![
        (
            "vp8_pred16x16_dc_sse2",
            pred_call(ipred::pred16x16_dc_sse2(t)),
            16,
            Mode::Dc,
        ),
        (
            "vp8_pred16x16_dc_left_sse2",
            pred_call(ipred::pred16x16_dc_left_sse2(t)),
            16,
            Mode::DcLeft,
        ),
        (
            "vp8_pred16x16_dc_top_sse2",
            pred_call(ipred::pred16x16_dc_top_sse2(t)),
            16,
            Mode::DcTop,
        ),
        (
            "vp8_pred16x16_dc_128_sse2",
            pred_call(ipred::pred16x16_dc_128_sse2(t)),
            16,
            Mode::Dc128,
        ),
        (
            "vp8_pred16x16_v_sse2",
            pred_call(ipred::pred16x16_v_sse2(t)),
            16,
            Mode::V,
        ),
        (
            "vp8_pred16x16_h_sse2",
            pred_call(ipred::pred16x16_h_sse2(t)),
            16,
            Mode::H,
        ),
        (
            "vp8_pred16x16_tm_sse2",
            pred_call(ipred::pred16x16_tm_sse2(t)),
            16,
            Mode::Tm,
        ),
        (
            "vp8_pred8x8_dc_sse2",
            pred_call(ipred::pred8x8_dc_sse2(t)),
            8,
            Mode::Dc,
        ),
        (
            "vp8_pred8x8_dc_left_sse2",
            pred_call(ipred::pred8x8_dc_left_sse2(t)),
            8,
            Mode::DcLeft,
        ),
        (
            "vp8_pred8x8_dc_top_sse2",
            pred_call(ipred::pred8x8_dc_top_sse2(t)),
            8,
            Mode::DcTop,
        ),
        (
            "vp8_pred8x8_dc_128_sse2",
            pred_call(ipred::pred8x8_dc_128_sse2(t)),
            8,
            Mode::Dc128,
        ),
        (
            "vp8_pred8x8_v_sse2",
            pred_call(ipred::pred8x8_v_sse2(t)),
            8,
            Mode::V,
        ),
        (
            "vp8_pred8x8_h_sse2",
            pred_call(ipred::pred8x8_h_sse2(t)),
            8,
            Mode::H,
        ),
        (
            "vp8_pred8x8_tm_sse2",
            pred_call(ipred::pred8x8_tm_sse2(t)),
            8,
            Mode::Tm,
        ),
    ];
    if let Some(t) = avx2 {
        v.extend([
            (
                "vp8_pred16x16_h_avx2",
                pred_call(ipred::pred16x16_h_avx2(t)),
                16,
                Mode::H,
            ),
            (
                "vp8_pred16x16_tm_avx2",
                pred_call(ipred::pred16x16_tm_avx2(t)),
                16,
                Mode::Tm,
            ),
            (
                "vp8_pred8x8_tm_avx2",
                pred_call(ipred::pred8x8_tm_avx2(t)),
                8,
                Mode::Tm,
            ),
        ]);
    }
    v
}

#[derive(Clone, Copy, Debug)]
enum BMode {
    Dc,
    Tm,
    Ve,
    He,
    Ld,
    Rd,
    Vr,
    Vl,
    Hd,
    Hu,
}

fn avg2(a: u8, b: u8) -> u8 {
    ((u16::from(a) + u16::from(b) + 1) >> 1) as u8
}

fn avg3(a: u8, b: u8, c: u8) -> u8 {
    ((u16::from(a) + 2 * u16::from(b) + u16::from(c) + 2) >> 2) as u8
}

/// RFC 6386 section 12.3 (subblock_intra_predict) for the 4x4 block at `buf[pos]`: `b[r][c]`
/// from the above row A[0..8] (A[4..8] = topright), the left column L, the corner P and the
/// edge E = L[3], L[2], L[1], L[0], P, A[0], A[1], A[2], A[3].
fn pred4_ref(buf: &mut [u8], pos: usize, stride: usize, tr: [u8; 4], mode: BMode) {
    let a: [u8; 8] = std::array::from_fn(|i| {
        if i < 4 {
            buf[pos - stride + i]
        } else {
            tr[i - 4]
        }
    });
    let l: [u8; 4] = std::array::from_fn(|i| buf[pos + i * stride - 1]);
    let p = buf[pos - stride - 1];
    let e = [l[3], l[2], l[1], l[0], p, a[0], a[1], a[2], a[3]];
    let mut b = [[0u8; 4]; 4];
    match mode {
        BMode::Dc => {
            let sum: u32 = a[..4].iter().chain(&l).map(|&v| u32::from(v)).sum();
            b = [[((sum + 4) >> 3) as u8; 4]; 4];
        }
        BMode::Tm => {
            for (r, row) in b.iter_mut().enumerate() {
                for (c, v) in row.iter_mut().enumerate() {
                    *v = (i32::from(l[r]) + i32::from(a[c]) - i32::from(p)).clamp(0, 255) as u8;
                }
            }
        }
        BMode::Ve => {
            let above = [p, a[0], a[1], a[2], a[3], a[4]];
            b = [std::array::from_fn(|c| avg3(above[c], above[c + 1], above[c + 2])); 4];
        }
        BMode::He => {
            let rows = [
                avg3(p, l[0], l[1]),
                avg3(l[0], l[1], l[2]),
                avg3(l[1], l[2], l[3]),
                avg3(l[2], l[3], l[3]),
            ];
            for r in 0..4 {
                b[r] = [rows[r]; 4];
            }
        }
        BMode::Ld => {
            for (r, row) in b.iter_mut().enumerate() {
                for (c, v) in row.iter_mut().enumerate() {
                    let i = r + c;
                    *v = if i < 6 {
                        avg3(a[i], a[i + 1], a[i + 2])
                    } else {
                        avg3(a[6], a[7], a[7])
                    };
                }
            }
        }
        BMode::Rd => {
            for (r, row) in b.iter_mut().enumerate() {
                for (c, v) in row.iter_mut().enumerate() {
                    let i = 4 + c - r;
                    *v = avg3(e[i - 1], e[i], e[i + 1]);
                }
            }
        }
        BMode::Vr => {
            b[3][0] = avg3(e[1], e[2], e[3]);
            b[2][0] = avg3(e[2], e[3], e[4]);
            b[3][1] = avg3(e[3], e[4], e[5]);
            b[1][0] = b[3][1];
            b[2][1] = avg2(e[4], e[5]);
            b[0][0] = b[2][1];
            b[3][2] = avg3(e[4], e[5], e[6]);
            b[1][1] = b[3][2];
            b[2][2] = avg2(e[5], e[6]);
            b[0][1] = b[2][2];
            b[3][3] = avg3(e[5], e[6], e[7]);
            b[1][2] = b[3][3];
            b[2][3] = avg2(e[6], e[7]);
            b[0][2] = b[2][3];
            b[1][3] = avg3(e[6], e[7], e[8]);
            b[0][3] = avg2(e[7], e[8]);
        }
        BMode::Vl => {
            b[0][0] = avg2(a[0], a[1]);
            b[1][0] = avg3(a[0], a[1], a[2]);
            b[2][0] = avg2(a[1], a[2]);
            b[0][1] = b[2][0];
            b[1][1] = avg3(a[1], a[2], a[3]);
            b[3][0] = b[1][1];
            b[2][1] = avg2(a[2], a[3]);
            b[0][2] = b[2][1];
            b[3][1] = avg3(a[2], a[3], a[4]);
            b[1][2] = b[3][1];
            b[2][2] = avg2(a[3], a[4]);
            b[0][3] = b[2][2];
            b[3][2] = avg3(a[3], a[4], a[5]);
            b[1][3] = b[3][2];
            b[2][3] = avg3(a[4], a[5], a[6]);
            b[3][3] = avg3(a[5], a[6], a[7]);
        }
        BMode::Hd => {
            b[3][0] = avg2(e[0], e[1]);
            b[3][1] = avg3(e[0], e[1], e[2]);
            b[2][0] = avg2(e[1], e[2]);
            b[3][2] = b[2][0];
            b[2][1] = avg3(e[1], e[2], e[3]);
            b[3][3] = b[2][1];
            b[2][2] = avg2(e[2], e[3]);
            b[1][0] = b[2][2];
            b[2][3] = avg3(e[2], e[3], e[4]);
            b[1][1] = b[2][3];
            b[1][2] = avg2(e[3], e[4]);
            b[0][0] = b[1][2];
            b[1][3] = avg3(e[3], e[4], e[5]);
            b[0][1] = b[1][3];
            b[0][2] = avg3(e[4], e[5], e[6]);
            b[0][3] = avg3(e[5], e[6], e[7]);
        }
        BMode::Hu => {
            b[0][0] = avg2(l[0], l[1]);
            b[0][1] = avg3(l[0], l[1], l[2]);
            b[0][2] = avg2(l[1], l[2]);
            b[1][0] = b[0][2];
            b[0][3] = avg3(l[1], l[2], l[3]);
            b[1][1] = b[0][3];
            b[1][2] = avg2(l[2], l[3]);
            b[2][0] = b[1][2];
            b[1][3] = avg3(l[2], l[3], l[3]);
            b[2][1] = b[1][3];
            b[2][2] = l[3];
            b[2][3] = l[3];
            b[3] = [l[3]; 4];
        }
    }
    for (r, row) in b.iter().enumerate() {
        buf[pos + r * stride..pos + r * stride + 4].copy_from_slice(row);
    }
}

fn pred4_cases() -> Vec<(&'static str, Ipred4Fn, BMode)> {
    let (t, ssse3, _) = tokens();
    let mut v: Vec<(&'static str, Ipred4Fn, BMode)> = vec![
        (
            "vp8_pred4x4_dc_sse2",
            pred4_call(ipred::pred4x4_dc_sse2(t)),
            BMode::Dc,
        ),
        (
            "vp8_pred4x4_tm_sse2",
            pred4_call(ipred::pred4x4_tm_sse2(t)),
            BMode::Tm,
        ),
        (
            "vp8_pred4x4_ve_sse2",
            pred4_call(ipred::pred4x4_ve_sse2(t)),
            BMode::Ve,
        ),
        (
            "vp8_pred4x4_he_sse2",
            pred4_call(ipred::pred4x4_he_sse2(t)),
            BMode::He,
        ),
        (
            "vp8_pred4x4_ld_sse2",
            pred4_call(ipred::pred4x4_ld_sse2(t)),
            BMode::Ld,
        ),
        (
            "vp8_pred4x4_rd_sse2",
            pred4_call(ipred::pred4x4_rd_sse2(t)),
            BMode::Rd,
        ),
        (
            "vp8_pred4x4_hu_sse2",
            pred4_call(ipred::pred4x4_hu_sse2(t)),
            BMode::Hu,
        ),
    ];
    if let Some(t) = ssse3 {
        v.extend([
            (
                "vp8_pred4x4_vr_ssse3",
                pred4_call(ipred::pred4x4_vr_ssse3(t)),
                BMode::Vr,
            ),
            (
                "vp8_pred4x4_vl_ssse3",
                pred4_call(ipred::pred4x4_vl_ssse3(t)),
                BMode::Vl,
            ),
            (
                "vp8_pred4x4_hd_ssse3",
                pred4_call(ipred::pred4x4_hd_ssse3(t)),
                BMode::Hd,
            ),
        ]);
    }
    v
}

/// Every 4x4 mode's window: the whole edge, corner included (the C fallbacks load it all).
const PRED4_WINDOW: Win = win(1, 1, 3, 3, 5);

#[test]
fn ipred_matches_the_rfc_and_writes_only_the_block() {
    let mut rng = Rng::new(6);
    for (name, f, n, mode) in pred_cases() {
        for it in 0..60 {
            let w = pred_window(n, mode);
            let mut px = Framed::new(w, it % 4, FILLS[it % 5], &mut rng);
            let (stride, p) = (px.stride, px.pos());
            let mut want = px.buf.clone();
            pred_ref(&mut want, p, stride, n, mode);
            let before = px.before;
            f(px.window(), before, stride);
            assert_same(name, &format!("iteration {it}"), &px.buf, &want, stride);
        }
    }
    for (name, f, mode) in pred4_cases() {
        for it in 0..200 {
            let mut px = Framed::new(PRED4_WINDOW, it % 4, FILLS[it % 5], &mut rng);
            let tr = match it % 5 {
                1 => [0; 4],
                2 => [255; 4],
                _ => [rng.byte(), rng.byte(), rng.byte(), rng.byte()],
            };
            let (stride, p) = (px.stride, px.pos());
            let mut want = px.buf.clone();
            pred4_ref(&mut want, p, stride, tr, mode);
            let before = px.before;
            f(px.window(), before, stride, tr);
            assert_same(
                name,
                &format!("iteration {it}, topright {tr:?}"),
                &px.buf,
                &want,
                stride,
            );
        }
    }
}

#[test]
fn ipred_windows_are_checked_and_reads_stay_inside() {
    let mut rng = Rng::new(7);
    for (name, f, n, mode) in pred_cases() {
        let w = pred_window(n, mode);
        check_bounds(name, w, &|b, pos, s| f(b, pos, s));
        for stride in [w.width, w.width + 9] {
            run_guarded(w, stride, &mut rng, &mut |b, pos, s| f(b, pos, s));
        }
    }
    for (name, f, _) in pred4_cases() {
        check_bounds(name, PRED4_WINDOW, &|b, pos, s| f(b, pos, s, [1, 2, 3, 4]));
        for stride in [5, 14] {
            run_guarded(PRED4_WINDOW, stride, &mut rng, &mut |b, pos, s| {
                f(b, pos, s, [9, 8, 7, 6])
            });
        }
    }
}

// ---- loop filters -------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Filter {
    Mb,
    Sub,
    Simple,
}

/// Which edges a kernel filters, across which direction, over how many positions.
#[derive(Clone, Copy, Debug)]
struct Edges {
    left: bool,
    inner: bool,
    len: usize,
    filter: Filter,
}

impl Edges {
    /// The window per asm/include/vp8asm/loopfilter.h (the wrapper's, independently written).
    fn window(&self) -> Win {
        let n = self.len;
        let (before, after) = match (self.filter, self.inner) {
            (Filter::Simple, false) => (2, 1),
            (_, false) => (4, 3),
            (Filter::Simple, true) => (0, n - 3),
            (_, true) => (0, n - 1),
        };
        if self.left {
            win(0, before, n - 1, after, before + after + 1)
        } else {
            win(before, 0, after, n - 1, n)
        }
    }
}

fn s8(v: i32) -> i32 {
    v.clamp(-128, 127)
}

/// RFC 6386 section 15 on one segment `px[0..8]` = p3, p2, p1, p0, q0, q1, q2, q3 (raw pixels;
/// the RFC's signed values are pixel - 128). The thresholds are the decoder's (loopfilter.h):
/// `|p0 - q0| * 2 + |p1 - q1| / 2 <= E`, every interior difference `<= I`, high edge variance
/// when `|p1 - p0|` or `|q1 - q0|` `> H`.
fn filter_segment(px: &mut [u8; 8], filter: Filter, e: i32, i: i32, h: i32) {
    let v: [i32; 8] = px.map(|p| i32::from(p) - 128);
    let [p3, p2, p1, p0, q0, q1, q2, q3] = v;
    let d = |a: i32, b: i32| (a - b).abs();
    if d(p0, q0) * 2 + d(p1, q1) / 2 > e {
        return;
    }
    if filter != Filter::Simple
        && [
            d(p3, p2),
            d(p2, p1),
            d(p1, p0),
            d(q1, q0),
            d(q2, q1),
            d(q3, q2),
        ]
        .iter()
        .any(|&x| x > i)
    {
        return;
    }
    let hev = d(p1, p0) > h || d(q1, q0) > h;
    let mut out = v;
    // The common adjustment: returns the q0 step (F).
    let common = |outer: bool, out: &mut [i32; 8]| {
        let a = s8(if outer { s8(p1 - q1) } else { 0 } + 3 * (q0 - p0));
        let f = s8(a + 4) >> 3;
        let b = s8(a + 3) >> 3;
        out[4] = s8(q0 - f);
        out[3] = s8(p0 + b);
        f
    };
    match filter {
        Filter::Simple => {
            common(true, &mut out);
        }
        Filter::Sub => {
            let f = common(hev, &mut out);
            if !hev {
                let a = (f + 1) >> 1;
                out[5] = s8(q1 - a);
                out[2] = s8(p1 + a);
            }
        }
        Filter::Mb => {
            if hev {
                common(true, &mut out);
            } else {
                let w = s8(s8(p1 - q1) + 3 * (q0 - p0));
                for (k, weight) in [(0, 27), (1, 18), (2, 9)] {
                    let a = s8((weight * w + 63) >> 7);
                    out[4 + k] = s8(v[4 + k] - a);
                    out[3 - k] = s8(v[3 - k] + a);
                }
            }
        }
    }
    *px = out.map(|x| (x + 128) as u8);
}

/// Every edge of `edges` on the block at `buf[pos]`, in order.
fn lf_ref(buf: &mut [u8], pos: usize, stride: usize, edges: Edges, e: u8, i: u8, h: u8) {
    let offsets: &[usize] = match (edges.inner, edges.len) {
        (false, _) => &[0],
        (true, 16) => &[4, 8, 12],
        (true, _) => &[4],
    };
    for &k in offsets {
        for along in 0..edges.len {
            let at = |j: usize| {
                let across = k as isize + j as isize - 4;
                let (r, c) = if edges.left {
                    (along as isize, across)
                } else {
                    (across, along as isize)
                };
                (pos as isize + r * stride as isize + c) as usize
            };
            let mut seg: [u8; 8] = std::array::from_fn(|j| buf[at(j)]);
            filter_segment(&mut seg, edges.filter, e.into(), i.into(), h.into());
            for (j, &v) in seg.iter().enumerate() {
                buf[at(j)] = v;
            }
        }
    }
}

/// A kernel's table slot as a plain callable (slot types differ by edge).
enum LfFn {
    Luma(LumaCall),
    Chroma(ChromaCall),
    Simple(SimpleCall),
}

type LumaCall = Box<dyn Fn(&mut [u8], usize, usize, u8, u8, u8)>;
type ChromaCall = Box<dyn Fn(&mut [u8], &mut [u8], usize, usize, u8, u8, u8)>;
type SimpleCall = Box<dyn Fn(&mut [u8], usize, usize, u8)>;

fn luma_call<const E: usize>(slot: LfLumaSlot<E>) -> LfFn {
    LfFn::Luma(Box::new(move |b, p, s, e, i, h| {
        slot.call(b, p, s, e, i, h)
    }))
}

fn chroma_call<const E: usize>(slot: LfChromaSlot<E>) -> LfFn {
    LfFn::Chroma(Box::new(move |u, v, p, s, e, i, h| {
        slot.call(u, v, p, s, e, i, h)
    }))
}

fn simple_call<const E: usize>(slot: LfSimpleSlot<E>) -> LfFn {
    LfFn::Simple(Box::new(move |b, p, s, e| slot.call(b, p, s, e)))
}

fn lf_cases() -> Vec<(&'static str, LfFn, Edges)> {
    let (t, ssse3, _) = tokens();
    let ed = |left, inner, len, filter| Edges {
        left,
        inner,
        len,
        filter,
    };
    let (mb, sub, simple) = (Filter::Mb, Filter::Sub, Filter::Simple);
    let mut v = vec![
        (
            "vp8_lf_mb_top_y_sse2",
            luma_call(loopfilter::mb_top_y_sse2(t)),
            ed(false, false, 16, mb),
        ),
        (
            "vp8_lf_mb_left_y_sse2",
            luma_call(loopfilter::mb_left_y_sse2(t)),
            ed(true, false, 16, mb),
        ),
        (
            "vp8_lf_inner_top_y_sse2",
            luma_call(loopfilter::inner_top_y_sse2(t)),
            ed(false, true, 16, sub),
        ),
        (
            "vp8_lf_inner_left_y_sse2",
            luma_call(loopfilter::inner_left_y_sse2(t)),
            ed(true, true, 16, sub),
        ),
        (
            "vp8_lf_mb_top_uv_sse2",
            chroma_call(loopfilter::mb_top_uv_sse2(t)),
            ed(false, false, 8, mb),
        ),
        (
            "vp8_lf_mb_left_uv_sse2",
            chroma_call(loopfilter::mb_left_uv_sse2(t)),
            ed(true, false, 8, mb),
        ),
        (
            "vp8_lf_inner_top_uv_sse2",
            chroma_call(loopfilter::inner_top_uv_sse2(t)),
            ed(false, true, 8, sub),
        ),
        (
            "vp8_lf_inner_left_uv_sse2",
            chroma_call(loopfilter::inner_left_uv_sse2(t)),
            ed(true, true, 8, sub),
        ),
        (
            "vp8_lf_simple_mb_top_sse2",
            simple_call(loopfilter::simple_mb_top_sse2(t)),
            ed(false, false, 16, simple),
        ),
        (
            "vp8_lf_simple_mb_left_sse2",
            simple_call(loopfilter::simple_mb_left_sse2(t)),
            ed(true, false, 16, simple),
        ),
        (
            "vp8_lf_simple_inner_top_sse2",
            simple_call(loopfilter::simple_inner_top_sse2(t)),
            ed(false, true, 16, simple),
        ),
        (
            "vp8_lf_simple_inner_left_sse2",
            simple_call(loopfilter::simple_inner_left_sse2(t)),
            ed(true, true, 16, simple),
        ),
    ];
    if let Some(t) = ssse3 {
        v.extend([
            (
                "vp8_lf_mb_top_y_ssse3",
                luma_call(loopfilter::mb_top_y_ssse3(t)),
                ed(false, false, 16, mb),
            ),
            (
                "vp8_lf_mb_left_y_ssse3",
                luma_call(loopfilter::mb_left_y_ssse3(t)),
                ed(true, false, 16, mb),
            ),
            (
                "vp8_lf_mb_top_uv_ssse3",
                chroma_call(loopfilter::mb_top_uv_ssse3(t)),
                ed(false, false, 8, mb),
            ),
            (
                "vp8_lf_mb_left_uv_ssse3",
                chroma_call(loopfilter::mb_left_uv_ssse3(t)),
                ed(true, false, 8, mb),
            ),
        ]);
    }
    v
}

/// Thresholds: random within the header's ranges, and the extremes.
fn thresholds(rng: &mut Rng, it: usize) -> (u8, u8, u8) {
    match it % 6 {
        0 => (0, 0, 0),
        1 => (254, 255, 255),
        2 => (254, 255, 0),
        3 => (193, 63, 3),
        _ => (
            rng.below(255) as u8,
            rng.byte() >> (rng.below(3) * 2),
            rng.byte() >> (rng.below(4) * 2),
        ),
    }
}

#[test]
fn loopfilter_matches_the_rfc_and_writes_only_the_window() {
    let mut rng = Rng::new(8);
    for (name, f, edges) in lf_cases() {
        let w = edges.window();
        for it in 0..600 {
            let (e, i, h) = thresholds(&mut rng, it);
            let how = if it % 3 == 0 {
                FILLS[it / 3 % 5]
            } else {
                Fill::Smooth
            };
            let what = format!("iteration {it}, E {e} I {i} H {h}, {how:?}");
            let mut a = Framed::new(w, it % 3, how, &mut rng);
            let (stride, p, before) = (a.stride, a.pos(), a.before);
            let mut want_a = a.buf.clone();
            lf_ref(&mut want_a, p, stride, edges, e, i, h);
            match f {
                LfFn::Luma(ref f) => f(a.window(), before, stride, e, i, h),
                LfFn::Simple(ref f) => f(a.window(), before, stride, e),
                LfFn::Chroma(ref f) => {
                    let mut b = Framed::new(w, it % 3, how, &mut rng);
                    let mut want_b = b.buf.clone();
                    lf_ref(&mut want_b, p, stride, edges, e, i, h);
                    f(a.window(), b.window(), before, stride, e, i, h);
                    assert_same(name, &format!("V, {what}"), &b.buf, &want_b, stride);
                }
            }
            assert_same(name, &what, &a.buf, &want_a, stride);
        }
    }
}

#[test]
fn loopfilter_windows_are_checked_and_reads_stay_inside() {
    let mut rng = Rng::new(9);
    for (name, f, edges) in lf_cases() {
        let w = edges.window();
        let other = |s: usize| w.other(s);
        match f {
            LfFn::Luma(ref f) => check_bounds(name, w, &|b, pos, s| f(b, pos, s, 40, 20, 2)),
            LfFn::Simple(ref f) => check_bounds(name, w, &|b, pos, s| f(b, pos, s, 40)),
            LfFn::Chroma(ref f) => {
                check_bounds(name, w, &|b, pos, s| f(b, &mut other(s), pos, s, 40, 20, 2));
                check_bounds(name, w, &|b, pos, s| f(&mut other(s), b, pos, s, 40, 20, 2));
            }
        }
        for stride in [w.width, w.width + 11] {
            run_guarded(w, stride, &mut rng, &mut |b, pos, s| match f {
                LfFn::Luma(ref f) => f(b, pos, s, 254, 255, 1),
                LfFn::Simple(ref f) => f(b, pos, s, 254),
                LfFn::Chroma(ref f) => {
                    f(b, &mut other(s), pos, s, 254, 255, 1);
                    f(&mut other(s), b, pos, s, 254, 255, 1);
                }
            });
        }
    }
}

#[test]
fn pred_call_full_checks_the_widest_window() {
    // `call_full` (what the decoder calls) checks TM's window, the widest, for every mode:
    // the row above, the column left and the above-left pixel. It predicts as `call` does, and
    // a buffer that holds only a narrower mode's exact window panics.
    let (t, _, _) = tokens();
    let stride = 17;
    let pos = stride + 1;
    let len = pos + 15 * stride + 16;
    let slot = ipred::pred16x16_v_sse2(t);
    let mut a: Vec<u8> = (0..len).map(|i| (i * 7 % 256) as u8).collect();
    let mut b = a.clone();
    slot.call(&mut a, pos, stride);
    slot.call_full(&mut b, pos, stride);
    assert_eq!(a, b);
    // V's own window starts at the row above, column 0: one byte (the above-left) less.
    let mut short = a[1..].to_vec();
    slot.call(&mut short, pos - 1, stride);
    let full = std::panic::catch_unwind(move || slot.call_full(&mut short, pos - 1, stride));
    assert!(
        full.is_err(),
        "call_full must want the above-left pixel too"
    );
}
