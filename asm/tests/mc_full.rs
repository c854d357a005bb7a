//! `McSlot::call_full` (port step 45): the motion-compensation call a decoder makes, checked
//! against the filter's whole window whatever the fractions. It must predict exactly as `call`
//! does, accept the smallest buffer that holds the whole window and nothing less, and refuse a
//! kernel of the other filter.
#![cfg(target_arch = "x86_64")]

use std::panic::{AssertUnwindSafe, catch_unwind};
use vp8_asm::safe::Ssse3;
use vp8_asm::safe::mc::{self, McSlot};

fn pixels(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 37 % 251) as u8).collect()
}

/// `call_full::<SIXTAP>` of a `w` x `h` slot on a source whose whole window just fits.
fn check<const S: usize, const SIXTAP: bool>(slot: McSlot<S>, w: usize, h: usize) {
    let (before, after) = if SIXTAP { (2, 3) } else { (0, 1) };
    let stride = w + before + after;
    let pos = before * stride + before;
    let len = pos + (h - 1 + after) * stride + w - 1 + after + 1;
    let src = pixels(len);
    for (mx, my) in [(0, 0), (2, 0), (0, 6), (4, 4)] {
        let (mut a, mut b) = (vec![0u8; w * h], vec![0u8; w * h]);
        slot.call(&mut a, w, &src, pos, stride, mx, my);
        slot.call_full::<SIXTAP>(&mut b, w, &src, pos, stride, mx, my);
        assert_eq!(a, b, "{w}x{h} six-tap {SIXTAP}: mx {mx}, my {my}");
    }
    // Fractions zero: `call` reads only the block, `call_full` still wants the whole window.
    let short = catch_unwind(AssertUnwindSafe(|| {
        let mut d = vec![0u8; w * h];
        slot.call_full::<SIXTAP>(&mut d, w, &src[..len - 1], pos, stride, 0, 0)
    }));
    assert!(
        short.is_err(),
        "{w}x{h}: one byte short of the whole window must panic"
    );
    let other = catch_unwind(AssertUnwindSafe(|| {
        let mut d = vec![0u8; w * h];
        if SIXTAP {
            slot.call_full::<false>(&mut d, w, &src, pos, stride, 0, 0)
        } else {
            slot.call_full::<true>(&mut d, w, &src, pos, stride, 0, 0)
        }
    }));
    assert!(
        other.is_err(),
        "{w}x{h}: the other filter's call must panic"
    );
}

#[test]
fn call_full_predicts_as_call_and_checks_the_whole_window() {
    let t = Ssse3::detect().expect("SSSE3 (every x86-64 machine this project runs on has it)");
    check::<{ mc::MC_16X16 }, true>(mc::sixtap_16x16_ssse3(t), 16, 16);
    check::<{ mc::MC_8X4 }, true>(mc::sixtap_8x4_ssse3(t), 8, 4);
    check::<{ mc::MC_8X8 }, false>(mc::bilinear_8x8_ssse3(t), 8, 8);
    check::<{ mc::MC_4X4 }, false>(mc::bilinear_4x4_ssse3(t), 4, 4);
}
