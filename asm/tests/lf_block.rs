//! `LfBlock` / `LfUvBlock` (port step 41): one check for all of a macroblock's loop-filter edges.
//! Checks that `call_block` filters exactly as `call` does on the same pixels, and that the block
//! check itself is exact: the smallest buffer that holds the block with its 4 rows above and
//! 4 columns left passes, one byte less panics, and so does a stride below the block's width.
#![cfg(target_arch = "x86_64")]

use vp8_asm::safe::loopfilter::{self, LfBlock, LfUvBlock};
use vp8_asm::safe::{Sse2, Ssse3};

/// Pixels with edges worth filtering: a step of 12 every 4 columns and rows, plus noise.
fn pixels(n: usize, seed: u32) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|i| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let step = if (i / 4) % 2 == 0 { 100 } else { 112 };
            step + (x >> 28) as u8
        })
        .collect()
}

#[test]
fn call_block_filters_as_call_does() {
    let (Some(sse2), Some(ssse3)) = (Sse2::detect(), Ssse3::detect()) else {
        panic!("SSE2 and SSSE3 are needed by this test (x86-64 machines have them)");
    };
    let stride = 40;
    let pos = 4 * stride + 4;
    let len = pos + 15 * stride + 16;
    let (e, i, h) = (60, 20, 2);
    // Luma: all four normal edges at once, then the simple ones, on both sides.
    let mut a = pixels(len, 1);
    let mut b = a.clone();
    loopfilter::mb_left_y_ssse3(ssse3).call(&mut a, pos, stride, e, i, h);
    loopfilter::inner_left_y_sse2(sse2).call(&mut a, pos, stride, e, i, h);
    loopfilter::mb_top_y_ssse3(ssse3).call(&mut a, pos, stride, e, i, h);
    loopfilter::inner_top_y_sse2(sse2).call(&mut a, pos, stride, e, i, h);
    loopfilter::simple_mb_left_sse2(sse2).call(&mut a, pos, stride, e);
    loopfilter::simple_inner_top_sse2(sse2).call(&mut a, pos, stride, e);
    {
        let mut blk = LfBlock::<16>::new(&mut b, pos, stride);
        loopfilter::mb_left_y_ssse3(ssse3).call_block(&mut blk, e, i, h);
        loopfilter::inner_left_y_sse2(sse2).call_block(&mut blk, e, i, h);
        loopfilter::mb_top_y_ssse3(ssse3).call_block(&mut blk, e, i, h);
        loopfilter::inner_top_y_sse2(sse2).call_block(&mut blk, e, i, h);
        loopfilter::simple_mb_left_sse2(sse2).call_block(&mut blk, e);
        loopfilter::simple_inner_top_sse2(sse2).call_block(&mut blk, e);
    }
    assert_eq!(a, b);
    assert_ne!(
        a,
        pixels(len, 1),
        "the filters changed nothing: the test proves nothing"
    );
    // Chroma.
    let len = pos + 7 * stride + 8;
    let (mut ua, mut va) = (pixels(len, 2), pixels(len, 3));
    let (mut ub, mut vb) = (ua.clone(), va.clone());
    loopfilter::mb_top_uv_ssse3(ssse3).call(&mut ua, &mut va, pos, stride, e, i, h);
    loopfilter::inner_left_uv_sse2(sse2).call(&mut ua, &mut va, pos, stride, e, i, h);
    {
        let mut blk = LfUvBlock::new(&mut ub, &mut vb, pos, stride);
        loopfilter::mb_top_uv_ssse3(ssse3).call_block(&mut blk, e, i, h);
        loopfilter::inner_left_uv_sse2(sse2).call_block(&mut blk, e, i, h);
    }
    assert_eq!((ua, va), (ub, vb));
}

#[test]
fn the_block_check_is_exact() {
    let stride = 24;
    let pos = 4 * stride + 4;
    for (n, last) in [(16usize, pos + 15 * stride + 15), (8, pos + 7 * stride + 7)] {
        let mut buf = vec![0u8; last + 1];
        let fits = |buf: &mut [u8], pos: usize, stride: usize| {
            let buf = std::panic::AssertUnwindSafe(buf);
            std::panic::catch_unwind(move || {
                let buf = buf;
                if n == 16 {
                    LfBlock::<16>::new(buf.0, pos, stride);
                } else {
                    let mut v = vec![0u8; buf.0.len()];
                    LfUvBlock::new(buf.0, &mut v, pos, stride);
                }
            })
            .is_ok()
        };
        assert!(fits(&mut buf, pos, stride), "{n}: the exact window");
        assert!(!fits(&mut buf[..last], pos, stride), "{n}: one byte short");
        assert!(
            !fits(&mut buf, pos - 1, stride),
            "{n}: one column too far left"
        );
        assert!(
            !fits(&mut buf, pos, n + 3),
            "{n}: stride below the block's width"
        );
    }
}

/// Step 49 checks the chroma window once, against the shorter plane: either plane one byte short
/// must still be refused.
#[test]
fn the_chroma_check_covers_both_planes() {
    let stride = 24;
    let pos = 4 * stride + 4;
    let len = pos + 7 * stride + 8;
    let fits = |u_len: usize, v_len: usize| {
        std::panic::catch_unwind(move || {
            let (mut u, mut v) = (vec![0u8; u_len], vec![0u8; v_len]);
            LfUvBlock::new(&mut u, &mut v, pos, stride);
        })
        .is_ok()
    };
    assert!(fits(len, len), "both exact");
    assert!(fits(len + 100, len), "u longer");
    assert!(!fits(len, len - 1), "v one byte short");
    assert!(!fits(len - 1, len), "u one byte short");
}
