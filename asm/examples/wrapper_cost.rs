//! What the safe wrappers' window checks cost: calls one kernel `N` times through a fn pointer,
//! either the raw `unsafe extern "C"` kernel or its checked wrapper from `vp8_asm::safe`, inside
//! `measure_calls` so that callgrind can count only the loop:
//!
//! ```text
//! cargo build --release -p vp8-asm --example wrapper_cost
//! for mode in raw safe; do valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     --collect-atstart=no --toggle-collect='*measure_calls*' \
//!     target/release/examples/wrapper_cost $mode 100000 2>&1 | grep Collected; done
//! ```
//!
//! Without valgrind it prints ns per call of both (noisy on a shared machine; the instruction
//! counts are the figure). `N` calls of every kernel listed in `KERNELS` are made per mode, one
//! kernel after the other; `--only NAME` restricts them to one.

use std::ffi::c_int;
use std::hint::black_box;
use std::time::Instant;

use vp8_asm::safe::{Sse2, Ssse3, idct, ipred, loopfilter, mc};

/// A picture large enough for every window, and the block's position in it.
const STRIDE: usize = 64;
const POS: usize = 8 * STRIDE + 8;

type Raw = Box<dyn Fn(&mut [u8], &[u8])>;
type McRaw = unsafe extern "C" fn(*mut u8, isize, *const u8, isize, c_int, c_int);
type LfRaw = unsafe extern "C" fn(*mut u8, isize, c_int, c_int, c_int);

/// One kernel in both forms. Each closure calls through a `black_box`ed fn pointer, as a decoder's
/// dispatch table does, with the same arguments.
struct Kernel {
    name: &'static str,
    raw: Raw,
    safe: Raw,
}

fn kernels() -> Vec<Kernel> {
    let sse2 = Sse2::detect().expect("SSE2");
    let ssse3 = Ssse3::detect().expect("SSSE3");
    let mut v = Vec::new();

    let raw = black_box(vp8_asm::vp8_sixtap_16x16_ssse3 as McRaw);
    let safe = black_box(mc::sixtap_16x16_ssse3(ssse3));
    v.push(Kernel {
        name: "sixtap_16x16_ssse3 (mx 2, my 6)",
        // SAFETY: SSSE3 is present (the token above); the block and its six-tap window lie inside
        // the 64 x 64 buffers.
        raw: Box::new(move |d, s| unsafe {
            raw(d.as_mut_ptr(), 64, s.as_ptr().add(POS), 64, 2, 6)
        }),
        safe: Box::new(move |d, s| safe.call(d, 64, s, POS, 64, 2, 6)),
    });

    let raw = black_box(vp8_asm::vp8_bilinear_4x4_ssse3 as McRaw);
    let safe = black_box(mc::bilinear_4x4_ssse3(ssse3));
    v.push(Kernel {
        name: "bilinear_4x4_ssse3 (mx 3, my 5)",
        // SAFETY: as above.
        raw: Box::new(move |d, s| unsafe {
            raw(d.as_mut_ptr(), 64, s.as_ptr().add(POS), 64, 3, 5)
        }),
        safe: Box::new(move |d, s| safe.call(d, 64, s, POS, 64, 3, 5)),
    });

    let raw =
        black_box(vp8_asm::vp8_idct_dc_add_sse2 as unsafe extern "C" fn(*mut u8, isize, *mut i16));
    let safe = black_box(idct::idct_dc_add_sse2(sse2));
    v.push(Kernel {
        name: "idct_dc_add_sse2",
        raw: Box::new(move |d, _| {
            let mut b = [0i16; 16];
            b[0] = 40;
            // SAFETY: SSE2 is present; 4 rows of 4 pixels and 16 coefficients are valid.
            unsafe { raw(d.as_mut_ptr(), 64, b.as_mut_ptr()) }
        }),
        safe: Box::new(move |d, _| {
            let mut b = [0i16; 16];
            b[0] = 40;
            safe.call(d, 64, &mut b)
        }),
    });

    let raw =
        black_box(vp8_asm::vp8_pred4x4_ve_sse2 as unsafe extern "C" fn(*mut u8, isize, *const u8));
    let safe = black_box(ipred::pred4x4_ve_sse2(sse2));
    v.push(Kernel {
        name: "pred4x4_ve_sse2",
        raw: Box::new(move |d, _| {
            let tr = [1u8, 2, 3, 4];
            // SAFETY: SSE2 is present; the block and its edges lie inside the buffer.
            unsafe { raw(d.as_mut_ptr().add(POS), 64, tr.as_ptr()) }
        }),
        safe: Box::new(move |d, _| safe.call(d, POS, 64, [1, 2, 3, 4])),
    });

    let raw = black_box(vp8_asm::vp8_pred16x16_dc_sse2 as unsafe extern "C" fn(*mut u8, isize));
    let safe = black_box(ipred::pred16x16_dc_sse2(sse2));
    v.push(Kernel {
        name: "pred16x16_dc_sse2",
        // SAFETY: SSE2 is present; the block and its edges lie inside the buffer.
        raw: Box::new(move |d, _| unsafe { raw(d.as_mut_ptr().add(POS), 64) }),
        safe: Box::new(move |d, _| safe.call_full(d, POS, 64)),
    });

    let raw = black_box(vp8_asm::vp8_lf_mb_top_y_ssse3 as LfRaw);
    let safe = black_box(loopfilter::mb_top_y_ssse3(ssse3));
    v.push(Kernel {
        name: "lf_mb_top_y_ssse3",
        // SAFETY: SSSE3 is present; 4 rows each side of the edge lie inside the buffer.
        raw: Box::new(move |d, _| unsafe { raw(d.as_mut_ptr().add(POS), 64, 40, 20, 2) }),
        safe: Box::new(move |d, _| safe.call(d, POS, 64, 40, 20, 2)),
    });

    let raw = black_box(
        vp8_asm::vp8_lf_simple_inner_left_sse2 as unsafe extern "C" fn(*mut u8, isize, c_int),
    );
    let safe = black_box(loopfilter::simple_inner_left_sse2(sse2));
    v.push(Kernel {
        name: "lf_simple_inner_left_sse2",
        // SAFETY: SSE2 is present; the 16x16 block lies inside the buffer.
        raw: Box::new(move |d, _| unsafe { raw(d.as_mut_ptr().add(POS), 64, 40) }),
        safe: Box::new(move |d, _| safe.call(d, POS, 64, 40)),
    });
    v
}

/// The loop callgrind counts (`--toggle-collect='*measure_calls*'`).
#[inline(never)]
fn measure_calls(f: &dyn Fn(&mut [u8], &[u8]), n: u64, dst: &mut [u8], src: &[u8]) {
    for _ in 0..n {
        f(black_box(&mut *dst), black_box(src));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map(String::as_str).unwrap_or("both");
    let n: u64 = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1));
    let src: Vec<u8> = (0..STRIDE * STRIDE).map(|i| (i * 7 % 251) as u8).collect();
    let mut dst = src.clone();
    for k in kernels() {
        if only.is_some_and(|o| !k.name.starts_with(o.as_str())) {
            continue;
        }
        let mut line = format!("{:34}", k.name);
        for (which, f) in [("raw", &k.raw), ("safe", &k.safe)] {
            if mode != "both" && mode != which {
                continue;
            }
            let t = Instant::now();
            measure_calls(f.as_ref(), n, &mut dst, &src);
            let ns = t.elapsed().as_nanos() as f64 / n as f64;
            line += &format!("  {which} {ns:6.2} ns/call");
        }
        println!("{line}");
    }
}
