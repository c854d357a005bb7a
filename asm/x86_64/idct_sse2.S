/*
 * VP8 inverse transforms with residual add, SSE2 (RFC 6386 section 14; contract in
 * asm/include/vp8asm/idct.h and upstream-c/src/idct.h, reference: upstream-c/src/idct.c).
 *
 *   vp8_idct_add_sse2(dst, stride, block)            4x4 inverse DCT added to dst; block zeroed
 *   vp8_idct_dc_add_sse2(dst, stride, block)         DC only: dst += (block[0] + 4) >> 3
 *   vp8_idct_add_y_sse2(dst, stride, blocks, eobs)   the 16 luma blocks of a macroblock
 *   vp8_idct_add_uv_sse2(dst_u, dst_v, stride, blocks, eobs)   the 4 U + 4 V blocks
 *   vp8_iwht_sse2(blocks, y2), vp8_iwht_dc_sse2(blocks, y2)    inverse WHT into blocks[i][0]
 *
 * There is no dequantization kernel: the token decoder multiplies each coefficient by its
 * dequantization factor as it stores it (one imul per non-zero coefficient, on a value already in
 * a register), so a separate pass over the 16 coefficients would only add loads and stores.
 *
 * Exactness. The C fallback narrows both passes' outputs to int16 (wrapping), but the second
 * pass forms its sums in int before the final >> 3. So:
 *  - First pass: only + and - on int16 inputs and the two multiplies, then a wrap to int16.
 *    Wrapping is a ring homomorphism, so paddw/psubw give the exact int16 results provided each
 *    multiply is exact:
 *      x * 20091 >> 16  = pmulhw(x, 20091)                                     (20091 < 32768)
 *      x * 35468 >> 16  = pmulhw(x, 35468 - 65536) + x  (35468 does not fit a signed word, but
 *          x * (35468 - 65536) = x * 35468 - x * 65536, and subtracting a multiple of 65536
 *          commutes with the floor: >> 16 of it is exactly (x * 35468 >> 16) - x)
 *    and mul_cos(x) = x + pmulhw(x, 20091), wrapped like everything else in this pass.
 *  - Second pass: with t = a row of the first pass's int16 output, the outputs are
 *      (A + D + 4) >> 3, (B + C + 4) >> 3, (B - C + 4) >> 3, (A - D + 4) >> 3  where
 *      A = t0 + t2, B = t0 - t2, D = t1 + e1, C = e2 - t3,
 *      e1 = pmulhw(t1, 20091) + sin(t3)  in [-27780, 27778]  (fits a word, exact)
 *      e2 = sin(t1) - pmulhw(t3, 20091)  in [-27779, 27779]  (fits a word, exact)
 *    A..D and the sums need up to 18 bits (e.g. t0 = t2 = t1 = 32767), so they are formed as
 *    dwords with pmaddwd on interleaved word pairs with (1, 1) or (1, -1) multipliers (each
 *    product fits, even -32768 * -1), exactly as the C ints. After >> 3 every output lies in
 *    [-15761, 15760], so packssdw never saturates (C's (int16_t) cast never wraps either).
 *  - The add: pixel (zero-extended) + output in words cannot overflow; packuswb is the clamp.
 *  - DC only: (dc + 4) >> 3 is formed in a 32-bit register (dc + 4 may exceed int16); the result
 *    in [-4096, 4096] is added with paddusb(min(dc, 255)) then psubusb(min(-dc, 255)), both
 *    saturating to bytes via packuswb: exactly clamp(p + dc, 0, 255).
 *  - Inverse WHT: the first pass is + and - only (wrapped); the second pass's sums of four int16
 *    (+ 3) need 18 bits and are formed with pmaddwd like the DCT's.
 * A block with eob <= 1 (only coefficient 0 may be non-zero) gives the same pixels through the
 * full transform as through the DC-only form (both passes just spread the DC, then (dc + 4) >> 3),
 * and zeroing all 16 coefficients leaves the same storage as zeroing the first, so a pair of
 * blocks goes through the full transform when either has eob > 1.
 *
 * Layout: the full transform works on two horizontally adjacent blocks at once (X = the left
 * block in the low 64 bits of each register, Y = the right one in the high 64 bits), so each row
 * of the result is 8 contiguous pixels. The single-block kernel runs the same code with Y = 0.
 * Pass 1 works on rows (column transforms are vertical operations), then a 4x4 word transpose
 * (per half) turns columns into registers for pass 2, and a second transpose turns the results
 * back into rows for the add.
 *
 * Registers: System V; only caller-saved registers (rax, rcx, rdx, rsi, rdi, r8-r11, xmm0-15).
 * Constants live in xmm8-xmm13 while a kernel runs (see LOAD_CONSTANTS). No stack is used except
 * for the return address of the internal calls to .Lidct_pair (a leaf helper with its own
 * register convention, never visible outside this file).
 */
    .intel_syntax noprefix

    .section .rodata
    .p2align 4
.Lk20091:   .rept 8
            .word 20091         /* sqrt(2) * cos(pi/8) - 1 in 16.16 */
            .endr
.Lk35468:   .rept 8
            .word 35468 - 65536 /* sqrt(2) * sin(pi/8) in 16.16, as the signed word -30068 */
            .endr
.Lones:     .rept 8
            .word 1
            .endr
.Lplusminus: .rept 4
            .word 1, -1
            .endr
.Lfour:     .rept 4
            .long 4
            .endr
.Lthree:    .rept 4
            .long 3
            .endr

    .text

#include "func.inc"

/* xmm8 = 20091, xmm9 = -30068 (words), xmm10 = (1, 1), xmm11 = (1, -1) (word pairs),
 * xmm12 = 4 (dwords), xmm13 = 0. */
.macro LOAD_CONSTANTS
    movdqa  xmm8, [rip + .Lk20091]
    movdqa  xmm9, [rip + .Lk35468]
    movdqa  xmm10, [rip + .Lones]
    movdqa  xmm11, [rip + .Lplusminus]
    movdqa  xmm12, [rip + .Lfour]
    pxor    xmm13, xmm13
.endm

/* Transpose the 4x4 words in each 64-bit half of m0..m3 (row r of both blocks in register r):
 * afterwards \o0..\o3 hold column 0..3 of both blocks (low half X, high half Y).
 * \o0 = \t0, \o1 = \m2, \o2 = \m1, \o3 = \t1 (the macro names them only for readability). */
.macro TRANSPOSE4x4_2 m0, m1, m2, m3, t0, t1
    movdqa      \t0, \m0
    punpcklwd   \t0, \m1        /* X: r0 r1 interleaved */
    punpckhwd   \m0, \m1        /* Y: r0 r1 */
    movdqa      \t1, \m2
    punpcklwd   \t1, \m3        /* X: r2 r3 */
    punpckhwd   \m2, \m3        /* Y: r2 r3 */
    movdqa      \m1, \t0
    punpckldq   \t0, \t1        /* X col 0 | X col 1 */
    punpckhdq   \m1, \t1        /* X col 2 | X col 3 */
    movdqa      \m3, \m0
    punpckldq   \m0, \m2        /* Y col 0 | Y col 1 */
    punpckhdq   \m3, \m2        /* Y col 2 | Y col 3 */
    movdqa      \m2, \t0
    punpcklqdq  \t0, \m0        /* col 0: X | Y */
    punpckhqdq  \m2, \m0        /* col 1 */
    movdqa      \t1, \m1
    punpcklqdq  \m1, \m3        /* col 2 */
    punpckhqdq  \t1, \m3        /* col 3 */
.endm

/* The two-pass inverse DCT of two blocks. In: xmm0..xmm3 = coefficient rows 0..3 (X | Y).
 * Out: the residual rows 0..3 (words, X | Y) in xmm2, xmm5, xmm6, xmm3.
 * Clobbers xmm0-xmm7, xmm14, xmm15; needs LOAD_CONSTANTS. */
.macro IDCT_CORE
    /* Pass 1, the column transform: vertical word operations on rows, wrapping (see top). */
    movdqa  xmm4, xmm0
    paddw   xmm0, xmm2          /* a = r0 + r2 */
    psubw   xmm4, xmm2          /* b = r0 - r2 */
    movdqa  xmm5, xmm1
    pmulhw  xmm5, xmm9
    paddw   xmm5, xmm1          /* sin(r1) */
    movdqa  xmm6, xmm3
    pmulhw  xmm6, xmm8
    paddw   xmm6, xmm3          /* cos(r3) */
    psubw   xmm5, xmm6          /* c = sin(r1) - cos(r3) */
    movdqa  xmm6, xmm1
    pmulhw  xmm6, xmm8
    paddw   xmm6, xmm1          /* cos(r1) */
    movdqa  xmm7, xmm3
    pmulhw  xmm7, xmm9
    paddw   xmm7, xmm3          /* sin(r3) */
    paddw   xmm6, xmm7          /* d = cos(r1) + sin(r3) */
    movdqa  xmm1, xmm4
    paddw   xmm1, xmm5          /* t1 = b + c */
    movdqa  xmm2, xmm4
    psubw   xmm2, xmm5          /* t2 = b - c */
    movdqa  xmm3, xmm0
    psubw   xmm3, xmm6          /* t3 = a - d */
    paddw   xmm0, xmm6          /* t0 = a + d */

    /* Columns of t: C0 = xmm4, C1 = xmm2, C2 = xmm1, C3 = xmm5. */
    TRANSPOSE4x4_2 xmm0, xmm1, xmm2, xmm3, xmm4, xmm5

    /* Pass 2, the row transform, in dwords where the sums need them. */
    movdqa      xmm0, xmm4
    punpcklwd   xmm0, xmm1      /* X: (C0, C2) per row */
    punpckhwd   xmm4, xmm1      /* Y */
    movdqa      xmm6, xmm0
    pmaddwd     xmm0, xmm10     /* A_X = C0 + C2 */
    pmaddwd     xmm6, xmm11     /* B_X = C0 - C2 */
    movdqa      xmm7, xmm4
    pmaddwd     xmm4, xmm10     /* A_Y */
    pmaddwd     xmm7, xmm11     /* B_Y */
    paddd       xmm0, xmm12     /* + 4: the final rounding, once for every output */
    paddd       xmm6, xmm12
    paddd       xmm4, xmm12
    paddd       xmm7, xmm12

    movdqa  xmm1, xmm2
    pmulhw  xmm1, xmm8          /* C1 * 20091 >> 16 */
    movdqa  xmm3, xmm5
    pmulhw  xmm3, xmm9
    paddw   xmm3, xmm5          /* sin(C3) */
    paddw   xmm1, xmm3          /* e1 (fits a word) */
    movdqa  xmm3, xmm2
    pmulhw  xmm3, xmm9
    paddw   xmm3, xmm2          /* sin(C1) */
    movdqa  xmm14, xmm5
    pmulhw  xmm14, xmm8         /* C3 * 20091 >> 16 */
    psubw   xmm3, xmm14         /* e2 (fits a word) */

    movdqa      xmm14, xmm2
    punpcklwd   xmm14, xmm1     /* X: (C1, e1) */
    punpckhwd   xmm2, xmm1      /* Y */
    pmaddwd     xmm14, xmm10    /* D_X = C1 + e1 = cos(C1) + sin(C3) */
    pmaddwd     xmm2, xmm10     /* D_Y */
    movdqa      xmm15, xmm3
    punpcklwd   xmm15, xmm5     /* X: (e2, C3) */
    punpckhwd   xmm3, xmm5      /* Y */
    pmaddwd     xmm15, xmm11    /* C_X = e2 - C3 = sin(C1) - cos(C3) */
    pmaddwd     xmm3, xmm11     /* C_Y */

    movdqa  xmm1, xmm0
    paddd   xmm0, xmm14         /* out col 0, X: A + D + 4 */
    psubd   xmm1, xmm14         /* out col 3, X: A - D + 4 */
    movdqa  xmm5, xmm6
    paddd   xmm6, xmm15         /* out col 1, X: B + C + 4 */
    psubd   xmm5, xmm15         /* out col 2, X: B - C + 4 */
    movdqa  xmm14, xmm4
    paddd   xmm4, xmm2          /* col 0, Y */
    psubd   xmm14, xmm2         /* col 3, Y */
    movdqa  xmm15, xmm7
    paddd   xmm7, xmm3          /* col 1, Y */
    psubd   xmm15, xmm3         /* col 2, Y */
    psrad   xmm0, 3
    psrad   xmm1, 3
    psrad   xmm6, 3
    psrad   xmm5, 3
    psrad   xmm4, 3
    psrad   xmm14, 3
    psrad   xmm7, 3
    psrad   xmm15, 3
    packssdw xmm0, xmm4         /* col 0: X | Y (never saturates, see top) */
    packssdw xmm6, xmm7         /* col 1 */
    packssdw xmm5, xmm15        /* col 2 */
    packssdw xmm1, xmm14        /* col 3 */

    /* Back to rows: row 0 = xmm2, row 1 = xmm5, row 2 = xmm6, row 3 = xmm3. */
    TRANSPOSE4x4_2 xmm0, xmm6, xmm5, xmm1, xmm2, xmm3
.endm

/* dst row += residual row (words) with clamping; \mov: movd (4 pixels) or movq (8). */
.macro ADD_ROW mov, addr, res, tmp
    \mov        \tmp, \addr
    punpcklbw   \tmp, xmm13
    paddw       \tmp, \res
    packuswb    \tmp, \tmp
    \mov        \addr, \tmp
.endm

/* Internal helper: one pair of horizontally adjacent blocks (8 pixels wide).
 * In: r10 = the first block's coefficients (the second follows at r10 + 32), r11 = dst,
 *     r9 = stride, al / ah = the two eobs; constants loaded.
 * Clobbers rax, r8, xmm0-xmm7, xmm14, xmm15. Preserves rcx, rdx, rsi, rdi (the callers' state). */
    .p2align 4
.Lidct_pair:
    cmp     al, 1
    ja      .Lpair_full
    cmp     ah, 1
    ja      .Lpair_full

    /* Both DC-only: nothing to do if both DCs are zero (the common case for empty blocks). */
    movsx   eax, word ptr [r10]
    movsx   r8d, word ptr [r10 + 32]
    test    eax, eax
    jnz     1f
    test    r8d, r8d
    jz      2f
1:
    mov     word ptr [r10], 0
    mov     word ptr [r10 + 32], 0
    add     eax, 4              /* (dc + 4) >> 3 in 32 bits: dc + 4 may not fit a word */
    sar     eax, 3
    add     r8d, 4
    sar     r8d, 3
    movd    xmm0, eax
    movd    xmm1, r8d
    pshuflw xmm0, xmm0, 0
    pshuflw xmm1, xmm1, 0
    punpcklqdq xmm0, xmm1       /* dc0 x4 | dc1 x4 (words) */
    movdqa  xmm1, xmm13
    psubw   xmm1, xmm0          /* -dc */
    packuswb xmm0, xmm0         /* min(max(dc, 0), 255) as bytes */
    packuswb xmm1, xmm1         /* min(max(-dc, 0), 255) */
    lea     rax, [r9 + r9 * 2]
    .irp row, 0, 1, 2, 3
    .if \row == 0
    movq    xmm2, [r11]
    .elseif \row == 1
    movq    xmm2, [r11 + r9]
    .elseif \row == 2
    movq    xmm2, [r11 + r9 * 2]
    .else
    movq    xmm2, [r11 + rax]
    .endif
    paddusb xmm2, xmm0
    psubusb xmm2, xmm1
    .if \row == 0
    movq    [r11], xmm2
    .elseif \row == 1
    movq    [r11 + r9], xmm2
    .elseif \row == 2
    movq    [r11 + r9 * 2], xmm2
    .else
    movq    [r11 + rax], xmm2
    .endif
    .endr
2:
    ret

.Lpair_full:
    movq    xmm0, [r10]
    movhps  xmm0, [r10 + 32]
    movq    xmm1, [r10 + 8]
    movhps  xmm1, [r10 + 40]
    movq    xmm2, [r10 + 16]
    movhps  xmm2, [r10 + 48]
    movq    xmm3, [r10 + 24]
    movhps  xmm3, [r10 + 56]
    movdqu  [r10], xmm13        /* consumed: zero both blocks */
    movdqu  [r10 + 16], xmm13
    movdqu  [r10 + 32], xmm13
    movdqu  [r10 + 48], xmm13
    IDCT_CORE
    lea     rax, [r9 + r9 * 2]
    ADD_ROW movq, [r11], xmm2, xmm0
    ADD_ROW movq, [r11 + r9], xmm5, xmm0
    ADD_ROW movq, [r11 + r9 * 2], xmm6, xmm0
    ADD_ROW movq, [r11 + rax], xmm3, xmm0
    ret

/* void vp8_idct_add_sse2(uint8_t *dst, ptrdiff_t stride, int16_t block[16]) */
FUNC vp8_idct_add_sse2
    LOAD_CONSTANTS
    movq    xmm0, [rdx]         /* movq zeroes the high half: Y = 0, harmless */
    movq    xmm1, [rdx + 8]
    movq    xmm2, [rdx + 16]
    movq    xmm3, [rdx + 24]
    movdqu  [rdx], xmm13
    movdqu  [rdx + 16], xmm13
    IDCT_CORE
    lea     rax, [rsi + rsi * 2]
    ADD_ROW movd, [rdi], xmm2, xmm0
    ADD_ROW movd, [rdi + rsi], xmm5, xmm0
    ADD_ROW movd, [rdi + rsi * 2], xmm6, xmm0
    ADD_ROW movd, [rdi + rax], xmm3, xmm0
    ret
ENDFUNC vp8_idct_add_sse2

/* void vp8_idct_dc_add_sse2(uint8_t *dst, ptrdiff_t stride, int16_t block[16]) */
FUNC vp8_idct_dc_add_sse2
    movsx   eax, word ptr [rdx]
    mov     word ptr [rdx], 0
    add     eax, 4
    sar     eax, 3
    movd    xmm0, eax
    pshuflw xmm0, xmm0, 0
    pxor    xmm1, xmm1
    psubw   xmm1, xmm0
    packuswb xmm0, xmm0         /* positive part, saturated to a byte */
    packuswb xmm1, xmm1         /* negative part */
    lea     rax, [rsi + rsi * 2]
    movd    xmm2, [rdi]
    movd    xmm3, [rdi + rsi]
    movd    xmm4, [rdi + rsi * 2]
    movd    xmm5, [rdi + rax]
    paddusb xmm2, xmm0
    paddusb xmm3, xmm0
    paddusb xmm4, xmm0
    paddusb xmm5, xmm0
    psubusb xmm2, xmm1
    psubusb xmm3, xmm1
    psubusb xmm4, xmm1
    psubusb xmm5, xmm1
    movd    [rdi], xmm2
    movd    [rdi + rsi], xmm3
    movd    [rdi + rsi * 2], xmm4
    movd    [rdi + rax], xmm5
    ret
ENDFUNC vp8_idct_dc_add_sse2

/* void vp8_idct_add_y_sse2(uint8_t *dst, ptrdiff_t stride, int16_t blocks[16][16],
 *                          const uint8_t eobs[16])
 * Four rows of blocks, each as two pairs. */
FUNC vp8_idct_add_y_sse2
    LOAD_CONSTANTS
    mov     r9, rsi
    .irp row, 0, 1, 2, 3
    movzx   eax, word ptr [rcx + 4 * \row]      /* eobs of blocks 4 * row + 0, + 1 */
    lea     r10, [rdx + 128 * \row]
    mov     r11, rdi
    call    .Lidct_pair
    movzx   eax, word ptr [rcx + 4 * \row + 2]  /* blocks 4 * row + 2, + 3 */
    lea     r10, [rdx + 128 * \row + 64]
    lea     r11, [rdi + 8]
    call    .Lidct_pair
    .if \row < 3
    lea     rdi, [rdi + rsi * 4]
    .endif
    .endr
    ret
ENDFUNC vp8_idct_add_y_sse2

/* void vp8_idct_add_uv_sse2(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride,
 *                           int16_t blocks[8][16], const uint8_t eobs[8])
 * Blocks 0-3 are U (2x2), 4-7 are V; each row of two blocks is one pair. */
FUNC vp8_idct_add_uv_sse2
    LOAD_CONSTANTS
    mov     r9, rdx             /* the helper takes the stride in r9 and uses r8 */
    mov     rdx, r8             /* eobs */
    movzx   eax, word ptr [rdx]
    lea     r10, [rcx]
    mov     r11, rdi
    call    .Lidct_pair
    movzx   eax, word ptr [rdx + 2]
    lea     r10, [rcx + 64]
    lea     r11, [rdi + r9 * 4]
    call    .Lidct_pair
    movzx   eax, word ptr [rdx + 4]
    lea     r10, [rcx + 128]
    mov     r11, rsi
    call    .Lidct_pair
    movzx   eax, word ptr [rdx + 6]
    lea     r10, [rcx + 192]
    lea     r11, [rsi + r9 * 4]
    call    .Lidct_pair
    ret
ENDFUNC vp8_idct_add_uv_sse2

/* void vp8_iwht_sse2(int16_t blocks[16][16], int16_t y2[16])
 * Output i goes to blocks[i][0], i.e. the word at byte offset 32 * i. */
FUNC vp8_iwht_sse2
    movq    xmm0, [rsi]
    movq    xmm1, [rsi + 8]
    movq    xmm2, [rsi + 16]
    movq    xmm3, [rsi + 24]
    pxor    xmm7, xmm7
    movdqu  [rsi], xmm7
    movdqu  [rsi + 16], xmm7

    /* Pass 1, down the columns (rows are vectors), wrapping to int16 as the C code does. */
    movdqa  xmm4, xmm0
    paddw   xmm0, xmm3          /* a = r0 + r3 */
    psubw   xmm4, xmm3          /* d = r0 - r3 */
    movdqa  xmm5, xmm1
    paddw   xmm1, xmm2          /* b = r1 + r2 */
    psubw   xmm5, xmm2          /* c = r1 - r2 */
    movdqa  xmm2, xmm0
    paddw   xmm0, xmm1          /* t0 = a + b */
    psubw   xmm2, xmm1          /* t2 = a - b */
    movdqa  xmm1, xmm5
    paddw   xmm1, xmm4          /* t1 = c + d */
    psubw   xmm4, xmm5          /* t3 = d - c */

    /* Transpose the 4x4 (low halves only): xmm0 = C0 | C1, xmm1 = C2 | C3. */
    punpcklwd xmm0, xmm1
    punpcklwd xmm2, xmm4
    movdqa  xmm1, xmm0
    punpckldq xmm0, xmm2
    punpckhdq xmm1, xmm2

    /* Pass 2 along the rows, in dwords (the sums of four int16 + 3 need 18 bits). */
    pshufd  xmm1, xmm1, 0x4e    /* C3 | C2 */
    movdqa  xmm2, xmm0
    punpcklwd xmm0, xmm1        /* (C0, C3) per row */
    punpckhwd xmm2, xmm1        /* (C1, C2) per row */
    movdqa  xmm3, xmm0
    pmaddwd xmm0, [rip + .Lones]        /* A = C0 + C3 */
    pmaddwd xmm3, [rip + .Lplusminus]   /* D = C0 - C3 */
    movdqa  xmm4, xmm2
    pmaddwd xmm2, [rip + .Lones]        /* B = C1 + C2 */
    pmaddwd xmm4, [rip + .Lplusminus]   /* C = C1 - C2 */
    movdqa  xmm5, [rip + .Lthree]
    paddd   xmm0, xmm5          /* A + 3 */
    paddd   xmm3, xmm5          /* D + 3 */
    movdqa  xmm1, xmm0
    paddd   xmm0, xmm2          /* out col 0 = A + B + 3 */
    psubd   xmm1, xmm2          /* out col 2 = A - B + 3 */
    movdqa  xmm2, xmm3
    paddd   xmm2, xmm4          /* out col 1 = C + D + 3 */
    psubd   xmm3, xmm4          /* out col 3 = D - C + 3 */
    psrad   xmm0, 3
    psrad   xmm1, 3
    psrad   xmm2, 3
    psrad   xmm3, 3
    packssdw xmm0, xmm2         /* words: out[4i] for i = 0..3, then out[4i + 1] (no saturation:
                                 * |sum| <= 131071, >> 3 fits) */
    packssdw xmm1, xmm3         /* out[4i + 2], then out[4i + 3] */

    /* Scatter: word j of xmm0 is output 4j (j < 4) or 4(j - 4) + 1; of xmm1, 4j + 2 / 4(j - 4) + 3. */
    .irp j, 0, 1, 2, 3, 4, 5, 6, 7
    pextrw  eax, xmm0, \j
    pextrw  ecx, xmm1, \j
    .if \j < 4
    mov     [rdi + 32 * (4 * \j)], ax
    mov     [rdi + 32 * (4 * \j + 2)], cx
    .else
    mov     [rdi + 32 * (4 * (\j - 4) + 1)], ax
    mov     [rdi + 32 * (4 * (\j - 4) + 3)], cx
    .endif
    .endr
    ret
ENDFUNC vp8_iwht_sse2

/* void vp8_iwht_dc_sse2(int16_t blocks[16][16], int16_t y2[16])
 * Only y2[0] may be non-zero: every output is (y2[0] + 3) >> 3 (formed in 32 bits). Scalar:
 * there is nothing to vectorize in 16 strided word stores. */
FUNC vp8_iwht_dc_sse2
    movsx   eax, word ptr [rsi]
    mov     word ptr [rsi], 0
    add     eax, 3
    sar     eax, 3
    .irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    mov     [rdi + 32 * \i], ax
    .endr
    ret
ENDFUNC vp8_iwht_dc_sse2

    .section .note.GNU-stack,"",@progbits
