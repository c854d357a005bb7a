//! `MbBlock`, `MbRow` and `MbRows` (port steps 47, 48, 60): one check per plane and macroblock
//! (then per row, then per macroblock for the three planes) for every reconstruction kernel.
//! Checks that each slot's `call_block` writes exactly what its `call` writes on the same pixels,
//! that the block check itself is exact (the smallest buffer holding the block with its row
//! above and column left passes, one byte less panics, as do a stride below the block's width
//! and a block one column too far left), and that what varies at run time is still checked: a
//! subblock index past 15, a motion-compensation block reaching out of the macroblock, U and V
//! blocks with different strides.
#![cfg(target_arch = "x86_64")]

use std::panic::{AssertUnwindSafe, catch_unwind};
use vp8_asm::safe::{MbBlock, MbRow, MbRows, Sse2, Ssse3, idct, ipred, mc};

fn noise(n: usize, seed: u32) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 24) as u8
        })
        .collect()
}

fn coeffs(seed: u32) -> [i16; 16] {
    let n = noise(32, seed);
    core::array::from_fn(|i| i16::from_le_bytes([n[2 * i], n[2 * i + 1]]) >> 6)
}

fn panics(f: impl FnOnce()) -> bool {
    catch_unwind(AssertUnwindSafe(f)).is_err()
}

#[test]
fn call_block_writes_what_call_writes() {
    let (Some(sse2), Some(ssse3)) = (Sse2::detect(), Ssse3::detect()) else {
        panic!("SSE2 and SSSE3 are needed by this test (x86-64 machines have them)");
    };
    let stride = 40;
    let pos = stride + 1;
    let len = pos + 15 * stride + 16;
    let src = noise(64 * 64, 9);
    let (src_pos, src_stride) = (20 * 64 + 20, 64);
    let mut a = noise(len, 1);
    let mut b = a.clone();
    // 16x16 TM, then a 4x4 VR, idct and DC add at subblock 6 and a 4x4 prediction into
    // subblock 13 and an 8x8 one into quarter 1.
    let tr = [1, 2, 3, 4];
    let p6 = pos + 4 * stride + 8;
    let p13 = pos + 12 * stride + 4;
    let (mut c1, mut c2) = (coeffs(3), coeffs(3));
    let (mut d1, mut d2) = ([37i16; 16], [37i16; 16]);
    ipred::pred16x16_tm_sse2(sse2).call(&mut a, pos, stride);
    ipred::pred4x4_vr_ssse3(ssse3).call(&mut a, p6, stride, tr);
    idct::idct_add_sse2(sse2).call(&mut a[p6..], stride, &mut c1);
    idct::idct_dc_add_sse2(sse2).call(&mut a[p13..], stride, &mut d1);
    let six4 = mc::sixtap_4x4_ssse3(ssse3);
    six4.call(&mut a[p13..], stride, &src, src_pos, src_stride, 3, 5);
    let six8 = mc::sixtap_8x8_ssse3(ssse3);
    six8.call(&mut a[pos + 8..], stride, &src, src_pos, src_stride, 0, 7);
    {
        let mut blk = MbBlock::<16>::new(&mut b, pos, stride);
        ipred::pred16x16_tm_sse2(sse2).call_block(&mut blk);
        ipred::pred4x4_vr_ssse3(ssse3).call_block(&mut blk, 6, tr);
        idct::idct_add_sse2(sse2).call_block(&mut blk, 6, &mut c2);
        idct::idct_dc_add_sse2(sse2).call_block(&mut blk, 13, &mut d2);
        six4.call_block::<16, true>(&mut blk, 4, 12, &src, src_pos, src_stride, 3, 5);
        six8.call_block::<16, true>(&mut blk, 8, 0, &src, src_pos, src_stride, 0, 7);
    }
    assert_eq!(a, b);
    assert_eq!((c1, d1), (c2, d2));
    assert_ne!(
        a,
        noise(len, 1),
        "nothing was written: the test proves nothing"
    );

    // Chroma: 8x8 DC prediction, then the two-plane residual add.
    let len = pos + 7 * stride + 8;
    let (mut ua, mut va) = (noise(len, 4), noise(len, 5));
    let (mut ub, mut vb) = (ua.clone(), va.clone());
    let mut blocks_a: [[i16; 16]; 8] = core::array::from_fn(|i| coeffs(10 + i as u32));
    let eobs = [16, 1, 0, 5, 2, 0, 16, 1];
    // The DC-only blocks may hold only a DC.
    for (blk, &e) in blocks_a.iter_mut().zip(&eobs) {
        if e <= 1 {
            blk[1..].fill(0);
        }
    }
    let mut blocks_b = blocks_a;
    let dc8 = ipred::pred8x8_dc_sse2(sse2);
    dc8.call(&mut ua, pos, stride);
    dc8.call(&mut va, pos, stride);
    let uv = idct::idct_add_uv_sse2(sse2);
    uv.call(&mut ua[pos..], &mut va[pos..], stride, &mut blocks_a, &eobs);
    {
        let mut u = MbBlock::<8>::new(&mut ub, pos, stride);
        let mut v = MbBlock::<8>::new(&mut vb, pos, stride);
        dc8.call_block(&mut u);
        dc8.call_block(&mut v);
        uv.call_block(&mut u, &mut v, &mut blocks_b, &eobs);
    }
    assert_eq!((ua, va), (ub, vb));
}

#[test]
fn the_block_check_is_exact() {
    let stride = 24;
    let pos = stride + 1;
    for (n, last) in [(16usize, pos + 15 * stride + 15), (8, pos + 7 * stride + 7)] {
        let mut buf = vec![0u8; last + 1];
        let fits = |buf: &mut [u8], pos: usize, stride: usize| {
            !panics(|| {
                if n == 16 {
                    MbBlock::<16>::new(buf, pos, stride);
                } else {
                    MbBlock::<8>::new(buf, pos, stride);
                }
            })
        };
        assert!(fits(&mut buf, pos, stride), "{n}: the exact window");
        assert!(!fits(&mut buf[..last], pos, stride), "{n}: one byte short");
        assert!(
            !fits(&mut buf, pos - 1 - stride, stride),
            "{n}: the row above missing"
        );
        assert!(
            !fits(&mut buf, pos, n),
            "{n}: stride below the block's width"
        );
    }
}

#[test]
fn what_varies_at_run_time_is_checked() {
    let (Some(sse2), Some(ssse3)) = (Sse2::detect(), Ssse3::detect()) else {
        panic!("SSE2 and SSSE3 are needed by this test (x86-64 machines have them)");
    };
    let stride = 24;
    let pos = stride + 1;
    let mut buf = vec![0u8; pos + 15 * stride + 16];
    let src = vec![0u8; 64 * 64];
    let mut blk = MbBlock::<16>::new(&mut buf, pos, stride);
    let pred4 = ipred::pred4x4_dc_sse2(sse2);
    assert!(panics(|| pred4.call_block(&mut blk, 16, [0; 4])));
    pred4.call_block(&mut blk, 15, [0; 4]);
    let add = idct::idct_add_sse2(sse2);
    assert!(panics(|| add.call_block(&mut blk, 16, &mut [0; 16])));
    let six = mc::sixtap_8x8_ssse3(ssse3);
    let put = |blk: &mut MbBlock<'_, 16>, x: usize, y: usize| {
        six.call_block::<16, true>(blk, x, y, &src, 10 * 64 + 10, 64, 1, 1)
    };
    put(&mut blk, 8, 8);
    assert!(
        panics(|| put(&mut blk, 9, 0)),
        "one column out of the macroblock"
    );
    assert!(
        panics(|| put(&mut blk, 0, 9)),
        "one row out of the macroblock"
    );
    assert!(
        panics(|| put(&mut blk, usize::MAX - 3, 0)),
        "an offset that wraps"
    );
    // The source window is still checked: 2 rows above the source position are needed.
    assert!(panics(|| six.call_block::<16, true>(
        &mut blk,
        0,
        0,
        &src,
        64 + 10,
        64,
        1,
        1
    )));
    // A bilinear slot in a six-tap call, and the reverse, are refused.
    let bil = mc::bilinear_4x4_sse2(sse2);
    assert!(panics(
        || bil.call_block::<16, true>(&mut blk, 0, 0, &src, 640, 64, 1, 1)
    ));
    let _ = blk;
    // U and V with different strides.
    let mut u = vec![0u8; 400];
    let mut v = vec![0u8; 400];
    let mut ub = MbBlock::<8>::new(&mut u, 21, 20);
    let mut vb = MbBlock::<8>::new(&mut v, 22, 21);
    let uv = idct::idct_add_uv_sse2(sse2);
    assert!(panics(|| uv.call_block(
        &mut ub,
        &mut vb,
        &mut [[0; 16]; 8],
        &[0; 8]
    )));
}

#[test]
fn the_row_check_is_exact_and_blocks_are_indexed() {
    let (stride, blocks) = (3 * 16 + 1, 3);
    let pos = stride + 1;
    // The last block's last pixel.
    let last = pos + 15 * stride + 3 * 16 - 1;
    let mut buf = vec![0u8; last + 1];
    let fits = |buf: &mut [u8], pos: usize, stride: usize, blocks: usize| {
        !panics(|| {
            MbRow::<16>::new(buf, pos, stride, blocks);
        })
    };
    assert!(fits(&mut buf, pos, stride, blocks), "the exact window");
    assert!(
        !fits(&mut buf[..last], pos, stride, blocks),
        "one byte short"
    );
    assert!(
        !fits(&mut buf, pos - 1, stride, blocks),
        "the column left missing"
    );
    assert!(
        !fits(&mut buf, pos, stride - 1, blocks),
        "stride below the row's width"
    );
    assert!(!fits(&mut buf, pos, stride, 0), "no block");
    assert!(
        !fits(&mut buf, pos, stride, usize::MAX / 8),
        "a block count that overflows"
    );
    assert!(
        !fits(&mut buf, pos, usize::MAX, blocks),
        "a stride above u32::MAX"
    );

    // Each block is the one MbBlock::new would make, and the index is checked.
    let Some(sse2) = Sse2::detect() else {
        panic!("SSE2 is needed by this test (x86-64 machines have them)");
    };
    let mut a = noise(last + 1, 7);
    let mut b = a.clone();
    let tm = ipred::pred16x16_tm_sse2(sse2);
    for i in 0..blocks {
        tm.call_block(&mut MbBlock::<16>::new(&mut a, pos + 16 * i, stride));
    }
    let mut row = MbRow::<16>::new(&mut b, pos, stride, blocks);
    for i in 0..blocks {
        assert_eq!(row.block_pos(i), pos + 16 * i);
        tm.call_block(&mut row.block(i));
    }
    assert!(panics(|| {
        row.block(blocks);
    }));
    let _ = row;
    assert_eq!(a, b);
}

#[test]
fn ref_plane_check_is_exact_and_call_ref_tests_the_border() {
    use vp8_asm::safe::mc::RefPlane;
    let Some(ssse3) = Ssse3::detect() else {
        panic!("SSSE3 is needed by this test (x86-64 machines have them)");
    };
    let (w, h, border) = (24usize, 20usize, 8usize);
    let stride = w + 2 * border;
    let origin = border * stride + border;
    // The last byte: pixel (w + border - 1, h + border - 1).
    let len = origin + (h + border - 1) * stride + w + border;
    let data = noise(len, 11);
    let makes = |len: usize, origin: usize, stride: usize| {
        !panics(|| {
            RefPlane::new(&data[..len], origin, (w, h), stride, border);
        })
    };
    assert!(makes(len, origin, stride), "the exact buffer");
    assert!(!makes(len - 1, origin, stride), "one byte short");
    assert!(
        !makes(len, origin - 1, stride),
        "the border's first byte missing"
    );
    assert!(
        !makes(len, origin, stride - 1),
        "stride below width + 2 * border"
    );

    let src = RefPlane::new(&data, origin, (w, h), stride, border);
    let six = mc::sixtap_8x8_ssse3(ssse3);
    let b = border as i32;
    let (pw, ph) = (w as i32, h as i32);
    let mut out = vec![0u8; 18 + 15 * 17 + 16];
    let mut blk = MbBlock::<16>::new(&mut out, 18, 17);
    let mut call = |x: i32, y: i32| six.call_ref::<16, true>(&mut blk, 0, 0, &src, x, y, 3, 5);
    // The six-tap window reaches 2 before and 3 after the 8x8 block.
    assert!(
        call(-b + 2, -b + 2),
        "the window's first pixel on the border's first"
    );
    assert!(!call(-b + 1, 0), "one column past the border on the left");
    assert!(!call(0, -b + 1), "one row past the border above");
    assert!(
        call(pw + b - 11, ph + b - 11),
        "the window's last pixel on the border's last"
    );
    assert!(
        !call(pw + b - 10, 0),
        "one column past the border on the right"
    );
    assert!(!call(0, ph + b - 10), "one row past the border below");
    assert!(!call(i32::MIN, i32::MAX), "extreme positions");
    // Inside, it predicts what call_block predicts from the same position.
    let (x, y) = (3i32, -4i32);
    let pos = (origin as i64 + y as i64 * stride as i64 + x as i64) as usize;
    let mut a = vec![0u8; 18 + 15 * 17 + 16];
    let mut c = a.clone();
    six.call_ref::<16, true>(
        &mut MbBlock::<16>::new(&mut a, 18, 17),
        8,
        4,
        &src,
        x,
        y,
        3,
        5,
    );
    six.call_block::<16, true>(
        &mut MbBlock::<16>::new(&mut c, 18, 17),
        8,
        4,
        &data,
        pos,
        stride,
        3,
        5,
    );
    assert_eq!(a, c);
    assert_ne!(
        a,
        vec![0u8; a.len()],
        "nothing was predicted: the test proves nothing"
    );
}

#[test]
fn mb_rows_check_the_index_once_for_the_three_planes() {
    let Some(sse2) = Sse2::detect() else {
        panic!("SSE2 is needed by this test (x86-64 machines have them)");
    };
    let blocks = 3;
    let (ys, uvs) = (blocks * 16 + 1, blocks * 8 + 1);
    let (ypos, uvpos) = (ys + 1, uvs + 1);
    let ylen = ypos + 15 * ys + blocks * 16;
    let uvlen = uvpos + 7 * uvs + blocks * 8;
    let (y0, u0, v0) = (noise(ylen, 11), noise(uvlen, 12), noise(uvlen, 13));

    // Rows of different block counts are refused.
    let (mut y, mut u, mut v) = (y0.clone(), u0.clone(), v0.clone());
    assert!(panics(|| {
        MbRows::new(
            MbRow::new(&mut y, ypos, ys, blocks),
            MbRow::new(&mut u, uvpos, uvs, blocks),
            MbRow::new(&mut v, uvpos, uvs, blocks - 1),
        );
    }));

    // Each macroblock's blocks are the ones MbRow::block hands out, and the index is checked.
    let tm16 = ipred::pred16x16_tm_sse2(sse2);
    let tm8 = ipred::pred8x8_tm_sse2(sse2);
    let (mut ya, mut ua, mut va) = (y0.clone(), u0.clone(), v0.clone());
    {
        let mut yr = MbRow::<16>::new(&mut ya, ypos, ys, blocks);
        let mut ur = MbRow::<8>::new(&mut ua, uvpos, uvs, blocks);
        let mut vr = MbRow::<8>::new(&mut va, uvpos, uvs, blocks);
        for x in 0..blocks {
            tm16.call_block(&mut yr.block(x));
            tm8.call_block(&mut ur.block(x));
            tm8.call_block(&mut vr.block(x));
        }
    }
    let (mut yb, mut ub, mut vb) = (y0, u0, v0);
    let mut rows = MbRows::new(
        MbRow::new(&mut yb, ypos, ys, blocks),
        MbRow::new(&mut ub, uvpos, uvs, blocks),
        MbRow::new(&mut vb, uvpos, uvs, blocks),
    );
    assert_eq!(rows.luma().block_pos(2), ypos + 32);
    for x in 0..blocks {
        let mut mb = rows.at(x);
        tm16.call_block(&mut mb.y());
        let (mut u, mut v) = mb.uv();
        tm8.call_block(&mut u);
        tm8.call_block(&mut v);
    }
    assert!(panics(|| {
        rows.at(blocks);
    }));
    let _ = rows;
    assert_eq!((ya, ua, va), (yb, ub, vb));
}
