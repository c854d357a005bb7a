/*
 * VP8 inverse DCT with residual add for whole macroblocks, AVX2 (RFC 6386 section 14; contract
 * in asm/include/vp8asm/idct.h and upstream-c/src/idct.h, reference: upstream-c/src/idct.c).
 *
 *   vp8_idct_add_y_avx2(dst, stride, blocks, eobs)            the 16 luma blocks
 *   vp8_idct_add_uv_avx2(dst_u, dst_v, stride, blocks, eobs)  the 4 U + 4 V blocks
 *
 * The arithmetic is exactly idct_sse2.S's (see the proof of exactness there: first pass in
 * wrapping words with pmulhw(x, 20091) and pmulhw(x, 35468 - 65536) + x; second pass sums in
 * dwords with pmaddwd; (dc + 4) >> 3 never formed in a word). What changes is the width: a
 * 256-bit register holds the same row of FOUR blocks, two per 128-bit lane, and every shuffle
 * used (punpck*, packssdw) works within lanes, so each lane runs the SSE2 code unchanged.
 *   luma:   one row of blocks (4 blocks, 16 pixels wide) per iteration;
 *   chroma: the U pair in lane 0 and the V pair of the same rows in lane 1.
 * A group of four goes through the full transform when any of its eobs is > 1 (a DC-only block
 * through the full transform gives the DC-only result, idct_sse2.S), otherwise through the
 * DC-only add of all four at once (nothing at all if the four DCs are zero).
 * The single-block kernels (idct_add, idct_dc_add) and the WHT stay SSE2: one 4x4 block fills
 * half an XMM register already.
 *
 * Measured (checkasm --bench, AMD EPYC, busy 2-core VM, medians of 6 runs; a macroblock where a
 * third of the blocks are full, a third DC-only, a third empty): idct_add_y 57 ns (SSE2: 81 ns,
 * C: ~340 ns), idct_add_uv 34 ns (SSE2: 41 ns, C: ~230 ns). Kept for that 1.4x / 1.2x.
 * No SSSE3 level: nothing SSSE3 adds helps here (pmulhrsw rounds, the transform needs the floor
 * of pmulhw; no byte shuffles are needed).
 *
 * Registers: System V; only caller-saved registers. Constants in ymm8-ymm13 while a kernel runs.
 * Both kernels end with vzeroupper (SSE code follows in the decoder). No stack.
 */
    .intel_syntax noprefix

    .section .rodata
    .p2align 5
.Lk20091:   .rept 16
            .word 20091             /* sqrt(2) * cos(pi/8) - 1 in 16.16 */
            .endr
.Lk35468:   .rept 16
            .word 35468 - 65536     /* sqrt(2) * sin(pi/8) in 16.16, as the signed word -30068 */
            .endr
.Lones:     .rept 16
            .word 1
            .endr
.Lplusminus: .rept 8
            .word 1, -1
            .endr
.Lfour:     .rept 8
            .long 4
            .endr
.Ltwo:      .rept 8
            .word 2
            .endr

    .text

#include "func.inc"

/* ymm8 = 20091, ymm9 = -30068 (words), ymm10 = (1, 1), ymm11 = (1, -1) (word pairs),
 * ymm12 = 4 (dwords), ymm13 = 0. */
.macro LOAD_CONSTANTS
    vmovdqa     ymm8, [rip + .Lk20091]
    vmovdqa     ymm9, [rip + .Lk35468]
    vmovdqa     ymm10, [rip + .Lones]
    vmovdqa     ymm11, [rip + .Lplusminus]
    vmovdqa     ymm12, [rip + .Lfour]
    vpxor       xmm13, xmm13, xmm13
.endm

/* Load four blocks (32 bytes each, at \b0 .. \b3) as rows: ymm0..ymm3 = row 0..3 of
 * [b0 | b1 || b2 | b3] (|| = the lane boundary), then zero the four blocks. Clobbers ymm4-7. */
.macro LOAD_4_BLOCKS b0, b1, b2, b3
    vmovdqu     ymm4, [\b0]             /* b0: rows 0 1 || rows 2 3 */
    vmovdqu     ymm5, [\b1]
    vmovdqu     ymm6, [\b2]
    vmovdqu     ymm7, [\b3]
    vmovdqu     [\b0], ymm13            /* consumed: zero them */
    vmovdqu     [\b1], ymm13
    vmovdqu     [\b2], ymm13
    vmovdqu     [\b3], ymm13
    vpunpcklqdq ymm0, ymm4, ymm5        /* b0 r0, b1 r0 || b0 r2, b1 r2 */
    vpunpckhqdq ymm1, ymm4, ymm5        /* b0 r1, b1 r1 || b0 r3, b1 r3 */
    vpunpcklqdq ymm2, ymm6, ymm7        /* b2 r0, b3 r0 || b2 r2, b3 r2 */
    vpunpckhqdq ymm3, ymm6, ymm7        /* b2 r1, b3 r1 || b2 r3, b3 r3 */
    vperm2i128  ymm4, ymm0, ymm2, 0x20  /* row 0: b0 b1 || b2 b3 */
    vperm2i128  ymm6, ymm0, ymm2, 0x31  /* row 2 */
    vperm2i128  ymm5, ymm1, ymm3, 0x20  /* row 1 */
    vperm2i128  ymm7, ymm1, ymm3, 0x31  /* row 3 */
    vmovdqa     ymm0, ymm4
    vmovdqa     ymm1, ymm5
    vmovdqa     ymm2, ymm6
    vmovdqa     ymm3, ymm7
.endm

/* The two-pass inverse DCT of four blocks (idct_sse2.S's IDCT_CORE with three-operand forms).
 * In: ymm0..ymm3 = coefficient rows. Out: residual rows 0..3 (words) in ymm4..ymm7.
 * Clobbers ymm0-ymm7, ymm14, ymm15. */
.macro IDCT_CORE4
    /* Pass 1: column transform, wrapping words. */
    vpaddw      ymm4, ymm0, ymm2        /* a = r0 + r2 */
    vpsubw      ymm5, ymm0, ymm2        /* b = r0 - r2 */
    vpmulhw     ymm6, ymm1, ymm9
    vpaddw      ymm6, ymm6, ymm1        /* sin(r1) */
    vpmulhw     ymm7, ymm3, ymm8
    vpaddw      ymm7, ymm7, ymm3        /* cos(r3) */
    vpsubw      ymm6, ymm6, ymm7        /* c */
    vpmulhw     ymm7, ymm1, ymm8
    vpaddw      ymm7, ymm7, ymm1        /* cos(r1) */
    vpmulhw     ymm0, ymm3, ymm9
    vpaddw      ymm0, ymm0, ymm3        /* sin(r3) */
    vpaddw      ymm7, ymm7, ymm0        /* d */
    vpaddw      ymm0, ymm4, ymm7        /* t0 = a + d */
    vpsubw      ymm3, ymm4, ymm7        /* t3 = a - d */
    vpaddw      ymm1, ymm5, ymm6        /* t1 = b + c */
    vpsubw      ymm2, ymm5, ymm6        /* t2 = b - c */

    /* Transpose each block's 4x4: C0..C3 (columns) in ymm4..ymm7. */
    vpunpcklwd  ymm4, ymm0, ymm1
    vpunpckhwd  ymm5, ymm0, ymm1
    vpunpcklwd  ymm6, ymm2, ymm3
    vpunpckhwd  ymm7, ymm2, ymm3
    vpunpckldq  ymm0, ymm4, ymm6
    vpunpckhdq  ymm1, ymm4, ymm6
    vpunpckldq  ymm2, ymm5, ymm7
    vpunpckhdq  ymm3, ymm5, ymm7
    vpunpcklqdq ymm4, ymm0, ymm2        /* C0 */
    vpunpckhqdq ymm5, ymm0, ymm2        /* C1 */
    vpunpcklqdq ymm6, ymm1, ymm3        /* C2 */
    vpunpckhqdq ymm7, ymm1, ymm3        /* C3 */

    /* Pass 2: row transform, sums in dwords. X = the first block of a lane, Y = the second. */
    vpunpcklwd  ymm0, ymm4, ymm6        /* (C0, C2), X */
    vpunpckhwd  ymm1, ymm4, ymm6        /* Y */
    vpmaddwd    ymm2, ymm0, ymm10       /* A_X = C0 + C2 */
    vpmaddwd    ymm0, ymm0, ymm11       /* B_X = C0 - C2 */
    vpmaddwd    ymm3, ymm1, ymm10       /* A_Y */
    vpmaddwd    ymm1, ymm1, ymm11       /* B_Y */
    vpaddd      ymm2, ymm2, ymm12       /* + 4, the final rounding */
    vpaddd      ymm0, ymm0, ymm12
    vpaddd      ymm3, ymm3, ymm12
    vpaddd      ymm1, ymm1, ymm12
    vpmulhw     ymm4, ymm5, ymm8        /* C1 * 20091 >> 16 */
    vpmulhw     ymm6, ymm7, ymm9
    vpaddw      ymm6, ymm6, ymm7        /* sin(C3) */
    vpaddw      ymm4, ymm4, ymm6        /* e1 (fits a word) */
    vpmulhw     ymm6, ymm5, ymm9
    vpaddw      ymm6, ymm6, ymm5        /* sin(C1) */
    vpmulhw     ymm14, ymm7, ymm8       /* C3 * 20091 >> 16 */
    vpsubw      ymm6, ymm6, ymm14       /* e2 (fits a word) */
    vpunpcklwd  ymm14, ymm5, ymm4       /* (C1, e1), X */
    vpunpckhwd  ymm5, ymm5, ymm4        /* Y */
    vpmaddwd    ymm14, ymm14, ymm10     /* D_X = C1 + e1 */
    vpmaddwd    ymm5, ymm5, ymm10       /* D_Y */
    vpunpcklwd  ymm15, ymm6, ymm7       /* (e2, C3), X */
    vpunpckhwd  ymm6, ymm6, ymm7        /* Y */
    vpmaddwd    ymm15, ymm15, ymm11     /* C_X = e2 - C3 */
    vpmaddwd    ymm6, ymm6, ymm11       /* C_Y */
    vpaddd      ymm4, ymm2, ymm14       /* col 0, X: A + D + 4 */
    vpsubd      ymm2, ymm2, ymm14       /* col 3, X: A - D + 4 */
    vpaddd      ymm7, ymm0, ymm15       /* col 1, X: B + C + 4 */
    vpsubd      ymm0, ymm0, ymm15       /* col 2, X: B - C + 4 */
    vpaddd      ymm14, ymm3, ymm5       /* col 0, Y */
    vpsubd      ymm3, ymm3, ymm5        /* col 3, Y */
    vpaddd      ymm15, ymm1, ymm6       /* col 1, Y */
    vpsubd      ymm1, ymm1, ymm6        /* col 2, Y */
    vpsrad      ymm4, ymm4, 3
    vpsrad      ymm2, ymm2, 3
    vpsrad      ymm7, ymm7, 3
    vpsrad      ymm0, ymm0, 3
    vpsrad      ymm14, ymm14, 3
    vpsrad      ymm3, ymm3, 3
    vpsrad      ymm15, ymm15, 3
    vpsrad      ymm1, ymm1, 3
    vpackssdw   ymm4, ymm4, ymm14       /* col 0: X | Y per lane (never saturates) */
    vpackssdw   ymm7, ymm7, ymm15       /* col 1 */
    vpackssdw   ymm0, ymm0, ymm1        /* col 2 */
    vpackssdw   ymm2, ymm2, ymm3        /* col 3 */

    /* Back to rows: R0..R3 in ymm4..ymm7. */
    vpunpcklwd  ymm1, ymm4, ymm7
    vpunpckhwd  ymm3, ymm4, ymm7
    vpunpcklwd  ymm5, ymm0, ymm2
    vpunpckhwd  ymm6, ymm0, ymm2
    vpunpckldq  ymm0, ymm1, ymm5
    vpunpckhdq  ymm1, ymm1, ymm5
    vpunpckldq  ymm2, ymm3, ymm6
    vpunpckhdq  ymm3, ymm3, ymm6
    vpunpcklqdq ymm4, ymm0, ymm2        /* row 0 */
    vpunpckhqdq ymm5, ymm0, ymm2        /* row 1 */
    vpunpcklqdq ymm6, ymm1, ymm3        /* row 2 */
    vpunpckhqdq ymm7, ymm1, ymm3        /* row 3 */
.endm

/* xmm0 = (dc + 4) >> 3 for the four words of xmm0, then pos / neg bytes for a 16-pixel row:
 * xmm0 = min(max(dc_k, 0), 255) and xmm1 = min(max(-dc_k, 0), 255), four bytes per block k.
 * (dc + 4) >> 3 = ((dc >> 1) + 2) >> 2 exactly (floor(floor(y) / n) = floor(y / n)), and
 * (dc >> 1) + 2 fits a word where dc + 4 may not. Clobbers xmm2. */
.macro DC4_BYTES
    vpsraw      xmm0, xmm0, 1
    vpaddw      xmm0, xmm0, [rip + .Ltwo]
    vpsraw      xmm0, xmm0, 2
    vpunpcklwd  xmm0, xmm0, xmm0        /* d0 d0 d1 d1 d2 d2 d3 d3 */
    vpunpckhdq  xmm1, xmm0, xmm0        /* d2 x4, d3 x4 */
    vpunpckldq  xmm0, xmm0, xmm0        /* d0 x4, d1 x4 */
    vpsubw      xmm2, xmm13, xmm0
    vpackuswb   xmm0, xmm0, xmm1        /* positive parts */
    vpsubw      xmm1, xmm13, xmm1
    vpackuswb   xmm1, xmm2, xmm1        /* negative parts */
.endm

/* void vp8_idct_add_y_avx2(uint8_t *dst, ptrdiff_t stride, int16_t blocks[16][16],
 *                          const uint8_t eobs[16]) */
FUNC vp8_idct_add_y_avx2
    LOAD_CONSTANTS
    lea         r9, [rsi + rsi * 2]
    mov         r8d, 4
.Ly_row:
    test        dword ptr [rcx], 0xfefefefe     /* any of the four eobs > 1? */
    jnz         .Ly_full
    movzx       eax, word ptr [rdx]
    or          ax, [rdx + 32]
    or          ax, [rdx + 64]
    or          ax, [rdx + 96]
    jz          .Ly_next                        /* four empty blocks */
    vmovd       xmm0, [rdx]                     /* word 0: b0's DC (word 1 is overwritten) */
    vpinsrw     xmm0, xmm0, [rdx + 32], 1
    vpinsrw     xmm0, xmm0, [rdx + 64], 2
    vpinsrw     xmm0, xmm0, [rdx + 96], 3
    mov         word ptr [rdx], 0
    mov         word ptr [rdx + 32], 0
    mov         word ptr [rdx + 64], 0
    mov         word ptr [rdx + 96], 0
    DC4_BYTES
    vmovdqu     xmm2, [rdi]
    vmovdqu     xmm3, [rdi + rsi]
    vmovdqu     xmm4, [rdi + rsi * 2]
    vmovdqu     xmm5, [rdi + r9]
    vpaddusb    xmm2, xmm2, xmm0
    vpaddusb    xmm3, xmm3, xmm0
    vpaddusb    xmm4, xmm4, xmm0
    vpaddusb    xmm5, xmm5, xmm0
    vpsubusb    xmm2, xmm2, xmm1
    vpsubusb    xmm3, xmm3, xmm1
    vpsubusb    xmm4, xmm4, xmm1
    vpsubusb    xmm5, xmm5, xmm1
    vmovdqu     [rdi], xmm2
    vmovdqu     [rdi + rsi], xmm3
    vmovdqu     [rdi + rsi * 2], xmm4
    vmovdqu     [rdi + r9], xmm5
    jmp         .Ly_next

.Ly_full:
    LOAD_4_BLOCKS rdx, rdx + 32, rdx + 64, rdx + 96
    IDCT_CORE4
    /* Add two rows at a time: words lane 0 = pixels 0-7, lane 1 = pixels 8-15; after the pack
     * lane 0 = row r 0-7, row r+1 0-7 and lane 1 = the 8-15 halves; vpermq puts each row's
     * halves together. */
    vpmovzxbw   ymm0, [rdi]
    vpmovzxbw   ymm1, [rdi + rsi]
    vpmovzxbw   ymm2, [rdi + rsi * 2]
    vpmovzxbw   ymm3, [rdi + r9]
    vpaddw      ymm0, ymm0, ymm4
    vpaddw      ymm1, ymm1, ymm5
    vpaddw      ymm2, ymm2, ymm6
    vpaddw      ymm3, ymm3, ymm7
    vpackuswb   ymm0, ymm0, ymm1
    vpackuswb   ymm2, ymm2, ymm3
    vpermq      ymm0, ymm0, 0xd8
    vpermq      ymm2, ymm2, 0xd8
    vmovdqu     [rdi], xmm0
    vextracti128 [rdi + rsi], ymm0, 1
    vmovdqu     [rdi + rsi * 2], xmm2
    vextracti128 [rdi + r9], ymm2, 1

.Ly_next:
    add         rdx, 128
    add         rcx, 4
    lea         rdi, [rdi + rsi * 4]
    dec         r8d
    jnz         .Ly_row
    vzeroupper
    ret
ENDFUNC vp8_idct_add_y_avx2

/* void vp8_idct_add_uv_avx2(uint8_t *dst_u, uint8_t *dst_v, ptrdiff_t stride,
 *                           int16_t blocks[8][16], const uint8_t eobs[8])
 * Two iterations: U blocks 0, 1 with V blocks 4, 5 (rows 0-3), then U 2, 3 with V 6, 7. */
FUNC vp8_idct_add_uv_avx2
    LOAD_CONSTANTS
    lea         r9, [rdx + rdx * 2]
    mov         r10d, 2
.Luv_row:
    movzx       eax, word ptr [r8]              /* the U pair's eobs */
    movzx       r11d, word ptr [r8 + 4]         /* the V pair's */
    shl         r11d, 16
    or          eax, r11d
    test        eax, 0xfefefefe
    jnz         .Luv_full
    movzx       eax, word ptr [rcx]
    or          ax, [rcx + 32]
    or          ax, [rcx + 128]
    or          ax, [rcx + 160]
    jz          .Luv_next
    vmovd       xmm0, [rcx]
    vpinsrw     xmm0, xmm0, [rcx + 32], 1
    vpinsrw     xmm0, xmm0, [rcx + 128], 2
    vpinsrw     xmm0, xmm0, [rcx + 160], 3
    mov         word ptr [rcx], 0
    mov         word ptr [rcx + 32], 0
    mov         word ptr [rcx + 128], 0
    mov         word ptr [rcx + 160], 0
    DC4_BYTES                                   /* bytes 0-7 for U, 8-15 for V */
    .irp r, 0, 1, 2, 3
    .if \r == 0
    vmovq       xmm2, [rdi]
    vmovhps     xmm2, xmm2, [rsi]
    .elseif \r == 1
    vmovq       xmm2, [rdi + rdx]
    vmovhps     xmm2, xmm2, [rsi + rdx]
    .elseif \r == 2
    vmovq       xmm2, [rdi + rdx * 2]
    vmovhps     xmm2, xmm2, [rsi + rdx * 2]
    .else
    vmovq       xmm2, [rdi + r9]
    vmovhps     xmm2, xmm2, [rsi + r9]
    .endif
    vpaddusb    xmm2, xmm2, xmm0
    vpsubusb    xmm2, xmm2, xmm1
    .if \r == 0
    vmovq       [rdi], xmm2
    vmovhps     [rsi], xmm2
    .elseif \r == 1
    vmovq       [rdi + rdx], xmm2
    vmovhps     [rsi + rdx], xmm2
    .elseif \r == 2
    vmovq       [rdi + rdx * 2], xmm2
    vmovhps     [rsi + rdx * 2], xmm2
    .else
    vmovq       [rdi + r9], xmm2
    vmovhps     [rsi + r9], xmm2
    .endif
    .endr
    jmp         .Luv_next

.Luv_full:
    LOAD_4_BLOCKS rcx, rcx + 32, rcx + 128, rcx + 160
    IDCT_CORE4
    /* Rows of U (lane 0) and V (lane 1): 8 pixels of each, two rows per pack. */
    vmovq       xmm0, [rdi]
    vmovhps     xmm0, xmm0, [rsi]
    vmovq       xmm1, [rdi + rdx]
    vmovhps     xmm1, xmm1, [rsi + rdx]
    vmovq       xmm2, [rdi + rdx * 2]
    vmovhps     xmm2, xmm2, [rsi + rdx * 2]
    vmovq       xmm3, [rdi + r9]
    vmovhps     xmm3, xmm3, [rsi + r9]
    vpmovzxbw   ymm0, xmm0
    vpmovzxbw   ymm1, xmm1
    vpmovzxbw   ymm2, xmm2
    vpmovzxbw   ymm3, xmm3
    vpaddw      ymm0, ymm0, ymm4
    vpaddw      ymm1, ymm1, ymm5
    vpaddw      ymm2, ymm2, ymm6
    vpaddw      ymm3, ymm3, ymm7
    vpackuswb   ymm0, ymm0, ymm1        /* U r0, U r1 || V r0, V r1 */
    vpackuswb   ymm2, ymm2, ymm3        /* U r2, U r3 || V r2, V r3 */
    vmovq       [rdi], xmm0
    vmovhps     [rdi + rdx], xmm0
    vmovq       [rdi + rdx * 2], xmm2
    vmovhps     [rdi + r9], xmm2
    vextracti128 xmm0, ymm0, 1
    vextracti128 xmm2, ymm2, 1
    vmovq       [rsi], xmm0
    vmovhps     [rsi + rdx], xmm0
    vmovq       [rsi + rdx * 2], xmm2
    vmovhps     [rsi + r9], xmm2

.Luv_next:
    add         rcx, 64
    add         r8, 2
    lea         rdi, [rdi + rdx * 4]
    lea         rsi, [rsi + rdx * 4]
    dec         r10d
    jnz         .Luv_row
    vzeroupper
    ret
ENDFUNC vp8_idct_add_uv_avx2

    .section .note.GNU-stack,"",@progbits
