/*
 * VP8 six-tap motion compensation, AVX2, for the block sizes where 256-bit vectors pay:
 * 16x16 and 8x8 (RFC 6386 section 18; contract in upstream-c/src/mc.h).
 *
 *   void vp8_sixtap_{16x16,8x8}_avx2(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
 *                                    ptrdiff_t src_stride, int mx, int my);
 *
 * The smaller six-tap sizes and the bilinear kernels stay SSSE3 (mc_ssse3.S): 8x4 is never used
 * by the decoder, 4x4 rows are too narrow to fill a 256-bit register, and the bilinear profiles are
 * rare.
 *
 * Arithmetic: identical to mc_ssse3.S, whose header has the proof of exactness: vpmaddubsw on
 * pixel pairs A = (p[-2], p[+3]) x (t0, t5), B = (p[-1], p[0]) x (t1, t2),
 * C = (p[+1], p[+2]) x (t3, t4) (never saturates for the RFC taps), B + C + A with vpaddsw
 * (saturates only when the true sum is >= 32767, after which only A >= 0 is added), vpmulhrsw by
 * 256 = (x + 64) >> 7, vpackuswb = clamp to 0..255.
 *
 * Data layout:
 *   Horizontal, 16 wide: one row per 256-bit register, low lane = columns -2..13 (outputs 0..7),
 *     high lane = columns 3..18 (outputs 8..15); vpshufb gathers the pairs in each lane.
 *   Horizontal, 8 wide: two rows per register, each lane = columns -2..5 then 3..10 of one row.
 *   Vertical, 16 wide: register k = [row k | row k+1], two output rows per step.
 *   Vertical, 8 wide: register k = [rows k, k+1 | rows k+2, k+3], four output rows per step.
 *   The two-pass case stores the horizontal result (rows -2 .. H+2) packed (stride W) on the
 *   stack, where those register layouts are single 32-byte loads.
 * Memory: six-tap reads src columns -2 .. W+2 and rows -2 .. H+2 only (16-byte loads at columns
 * -2 and 3 for 16-wide rows, 8-byte loads at -2 and 3 for 8-wide rows), as mc.h allows.
 *
 * Registers: rdi dst, rsi dst_stride, rdx src, rcx src_stride, r8 mx, r9 my; rax, r10, r11
 * scratch; ymm8/9/10 = tap pairs A/B/C, ymm11 = 256 (words), ymm12/13/14 = pair shuffles.
 * Only caller-saved registers are used; vzeroupper before every return that follows 256-bit code.
 * Stack: the 16x16 buffer (336 bytes) below rsp, the 8x8 one (104 bytes) in the red zone.
 */
    .intel_syntax noprefix

#include "func.inc"
#include "mc_common.inc"

/* ---- tables ---------------------------------------------------------------------------------- */

    .section .rodata
    .p2align 5
/* 16-wide horizontal pair gathers. Low lane bytes are columns -2..13: output x (0..7) takes
 * A = bytes (x, x+5), B = (x+1, x+2), C = (x+3, x+4). High lane bytes are columns 3..18: output
 * 8+x takes A = (x+3, x+8), B = (x+4, x+5), C = (x+6, x+7). */
.Lshuf16_a:
    .irp x, 0, 1, 2, 3, 4, 5, 6, 7
    .byte \x, \x + 5
    .endr
    .irp x, 0, 1, 2, 3, 4, 5, 6, 7
    .byte \x + 3, \x + 8
    .endr
.Lshuf16_b:
    .irp x, 0, 1, 2, 3, 4, 5, 6, 7
    .byte \x + 1, \x + 2
    .endr
    .irp x, 0, 1, 2, 3, 4, 5, 6, 7
    .byte \x + 4, \x + 5
    .endr
.Lshuf16_c:
    .irp x, 0, 1, 2, 3, 4, 5, 6, 7
    .byte \x + 3, \x + 4
    .endr
    .irp x, 0, 1, 2, 3, 4, 5, 6, 7
    .byte \x + 6, \x + 7
    .endr
/* 8-wide horizontal pair gathers (same in both lanes). Bytes 0..7 are columns -2..5, bytes 8..15
 * columns 3..10: column c is byte c + 2 for c <= 5, else byte c + 5. Output x takes
 * A = columns (x-2, x+3), B = (x-1, x), C = (x+1, x+2). */
.Lshuf8_a:
    .rept 2
    .byte 0, 5, 1, 6, 2, 7, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15
    .endr
.Lshuf8_b:
    .rept 2
    .byte 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 11, 11, 12
    .endr
.Lshuf8_c:
    .rept 2
    .byte 3, 4, 4, 5, 5, 6, 6, 7, 7, 11, 11, 12, 12, 13, 13, 14
    .endr
/* Fractions 1..7 (fraction 0 never filters); 48 bytes each, broadcast to both lanes on load. */
.Lsixtap_b:
    SIXTAP_PAIRS 0,  -6, 123,  12,  -1, 0
    SIXTAP_PAIRS 2, -11, 108,  36,  -8, 1
    SIXTAP_PAIRS 0,  -9,  93,  50,  -6, 0
    SIXTAP_PAIRS 3, -16,  77,  77, -16, 3
    SIXTAP_PAIRS 0,  -6,  50,  93,  -9, 0
    SIXTAP_PAIRS 1,  -8,  36, 108, -11, 2
    SIXTAP_PAIRS 0,  -1,  12, 123,  -6, 0
.Lw256:
    .rept 8
    .word 256
    .endr

    .text

/* ---- helpers --------------------------------------------------------------------------------- */

/* Tap pairs of fraction \f (64-bit register, 1..7) into ymm8..ymm10 (both lanes). */
.macro SIXTAP_TAPS f
    lea r10, [\f+\f*2]
    shl r10d, 4
    lea rax, [rip + .Lsixtap_b - 48]
    vbroadcasti128 ymm8, [rax+r10]
    vbroadcasti128 ymm9, [rax+r10+16]
    vbroadcasti128 ymm10, [rax+r10+32]
.endm

/* ymm\a, ymm\b, ymm\c hold the pixel pairs A, B, C (bytes): multiply-add, sum, round. Result
 * words in ymm\b; ymm\a, ymm\c clobbered. */
.macro SUM3 a, b, c
    vpmaddubsw ymm\a, ymm\a, ymm8
    vpmaddubsw ymm\b, ymm\b, ymm9
    vpmaddubsw ymm\c, ymm\c, ymm10
    vpaddsw ymm\b, ymm\b, ymm\c
    vpaddsw ymm\b, ymm\b, ymm\a
    vpmulhrsw ymm\b, ymm\b, ymm11
.endm

/* The same, pairs formed by interleaving register pairs (A = \a0 x \a1, ...), low or high halves
 * of each lane (\op = vpunpcklbw / vpunpckhbw). Result words in ymm\dst; ymm\t0, ymm\t1 clobbered. */
.macro VSUM op, dst, t0, t1, a0, a1, b0, b1, c0, c1
    \op ymm\t0, ymm\a0, ymm\a1
    \op ymm\dst, ymm\b0, ymm\b1
    \op ymm\t1, ymm\c0, ymm\c1
    SUM3 \t0, \dst, \t1
.endm

/* ---- 16 wide ----------------------------------------------------------------------------------- */

/* One 16-pixel row at \p filtered horizontally: words in ymm\out (low lane outputs 0..7, high
 * lane 8..15). Clobbers ymm\t0, ymm\t1. */
.macro H16 p, out, t0, t1
    vmovdqu xmm\out, [\p-2]
    vinserti128 ymm\out, ymm\out, [\p+3], 1
    vpshufb ymm\t0, ymm\out, ymm12
    vpshufb ymm\t1, ymm\out, ymm13
    vpshufb ymm\out, ymm\out, ymm14
    SUM3 \t0, \t1, \out
    vmovdqa ymm\out, ymm\t1
.endm

/* Two rows at rdx and rdx+rcx -> packed bytes: xmm0 = first row, ymm0 high lane = second. */
.macro H16x2
    H16 rdx, 0, 1, 2
    lea rax, [rdx+rcx]
    H16 rax, 3, 4, 5
    vpackuswb ymm0, ymm0, ymm3      /* [a0..7 b0..7 | a8..15 b8..15] */
    vpermq ymm0, ymm0, 0xd8         /* [a | b] */
.endm

.macro SHUF16_LOAD
    vmovdqa ymm12, [rip + .Lshuf16_a]
    vmovdqa ymm13, [rip + .Lshuf16_b]
    vmovdqa ymm14, [rip + .Lshuf16_c]
.endm

/* Vertical, two output rows: ymm0..ymm5 = [row k | row k+1], k = 0..5 (row 0 = output row - 2).
 * Packed result: xmm0 = first output row, ymm0 high lane = second. */
.macro V16x2
    VSUM vpunpcklbw, 6, 7, 15, 0, 5, 1, 2, 3, 4
    VSUM vpunpckhbw, 1, 0, 5, 0, 5, 1, 2, 3, 4
    vpackuswb ymm0, ymm6, ymm1
.endm

.macro STORE16x2
    vmovdqu [rdi], xmm0
    vextracti128 [rdi+rsi], ymm0, 1
    lea rdi, [rdi+rsi*2]
.endm

FUNC vp8_sixtap_16x16_avx2
    .cfi_startproc
    and r8d, 7
    and r9d, 7
    mov eax, r8d
    or eax, r9d
    jz .Lcopy16
    vbroadcasti128 ymm11, [rip + .Lw256]
    test r9d, r9d
    jz .Lh16
    test r8d, r8d
    jz .Lv16
    /* two passes: rows -2 .. 18 horizontally into the stack buffer (stride 16), then vertically */
    SIXTAP_TAPS r8
    SHUF16_LOAD
    sub rdx, rcx
    sub rdx, rcx
    sub rsp, 344                    /* 21 * 16 = 336 bytes, rsp 16-aligned after this */
    .cfi_adjust_cfa_offset 344
    mov r8, rsp
    mov r11d, 10
.Lhv16_h:
    H16x2
    vmovdqu [r8], ymm0
    lea rdx, [rdx+rcx*2]
    add r8, 32
    dec r11d
    jnz .Lhv16_h
    H16 rdx, 0, 1, 2                /* row 18 */
    vpackuswb ymm0, ymm0, ymm0
    vpermq ymm0, ymm0, 0xd8
    vmovdqu [r8], xmm0
    SIXTAP_TAPS r9
    mov r8, rsp
    mov r11d, 8
.Lhv16_v:
    vmovdqu ymm0, [r8]
    vmovdqu ymm1, [r8+16]
    vmovdqu ymm2, [r8+32]
    vmovdqu ymm3, [r8+48]
    vmovdqu ymm4, [r8+64]
    vmovdqu ymm5, [r8+80]
    V16x2
    STORE16x2
    add r8, 32
    dec r11d
    jnz .Lhv16_v
    add rsp, 344
    .cfi_adjust_cfa_offset -344
    vzeroupper
    ret
.Lh16:
    SIXTAP_TAPS r8
    SHUF16_LOAD
    mov r11d, 8
.Lh16_loop:
    H16x2
    STORE16x2
    lea rdx, [rdx+rcx*2]
    dec r11d
    jnz .Lh16_loop
    vzeroupper
    ret
.Lv16:
    SIXTAP_TAPS r9
    lea r10, [rcx+rcx*2]
    sub rdx, rcx
    sub rdx, rcx                    /* rdx = row -2, rax = row 1 */
    lea rax, [rdx+r10]
    mov r11d, 8
.Lv16_loop:
    vmovdqu xmm0, [rdx]
    vinserti128 ymm0, ymm0, [rdx+rcx], 1
    vmovdqu xmm1, [rdx+rcx]
    vinserti128 ymm1, ymm1, [rdx+rcx*2], 1
    vmovdqu xmm2, [rdx+rcx*2]
    vinserti128 ymm2, ymm2, [rax], 1
    vmovdqu xmm3, [rax]
    vinserti128 ymm3, ymm3, [rax+rcx], 1
    vmovdqu xmm4, [rax+rcx]
    vinserti128 ymm4, ymm4, [rax+rcx*2], 1
    vmovdqu xmm5, [rax+rcx*2]
    vinserti128 ymm5, ymm5, [rax+r10], 1
    V16x2
    STORE16x2
    lea rdx, [rdx+rcx*2]
    lea rax, [rax+rcx*2]
    dec r11d
    jnz .Lv16_loop
    vzeroupper
    ret
.Lcopy16:
    mov r11d, 4
.Lcopy16_loop:
    vmovdqu xmm0, [rdx]
    vmovdqu xmm1, [rdx+rcx]
    lea rdx, [rdx+rcx*2]
    vmovdqu xmm2, [rdx]
    vmovdqu xmm3, [rdx+rcx]
    lea rdx, [rdx+rcx*2]
    vmovdqu [rdi], xmm0
    vmovdqu [rdi+rsi], xmm1
    lea rdi, [rdi+rsi*2]
    vmovdqu [rdi], xmm2
    vmovdqu [rdi+rsi], xmm3
    lea rdi, [rdi+rsi*2]
    dec r11d
    jnz .Lcopy16_loop
    ret
    .cfi_endproc
    .size vp8_sixtap_16x16_avx2, . - vp8_sixtap_16x16_avx2

/* ---- 8 wide ------------------------------------------------------------------------------------ */

/* Rows at \p0 and \p1 filtered horizontally: words in ymm0 (low lane row \p0, high lane \p1).
 * Clobbers ymm1..ymm3. */
.macro H8x2 p0, p1
    vmovq xmm0, [\p0-2]
    vmovhps xmm0, xmm0, [\p0+3]
    vmovq xmm1, [\p1-2]
    vmovhps xmm1, xmm1, [\p1+3]
    vinserti128 ymm0, ymm0, xmm1, 1
    vpshufb ymm1, ymm0, ymm12
    vpshufb ymm2, ymm0, ymm13
    vpshufb ymm3, ymm0, ymm14
    SUM3 1, 2, 3
    vpackuswb ymm0, ymm2, ymm2      /* row \p0 = bytes 0..7, row \p1 = bytes 16..23 */
.endm

.macro SHUF8_LOAD
    vmovdqa ymm12, [rip + .Lshuf8_a]
    vmovdqa ymm13, [rip + .Lshuf8_b]
    vmovdqa ymm14, [rip + .Lshuf8_c]
.endm

/* Vertical, four output rows: ymm0..ymm5 = [rows k, k+1 | rows k+2, k+3], k = 0..5 (row 0 =
 * first output row - 2). Packed result in ymm0: [out 0, out 1 | out 2, out 3]. */
.macro V8x4
    VSUM vpunpcklbw, 6, 7, 15, 0, 5, 1, 2, 3, 4   /* outputs 0 | 2 */
    VSUM vpunpckhbw, 1, 0, 5, 0, 5, 1, 2, 3, 4    /* outputs 1 | 3 */
    vpackuswb ymm0, ymm6, ymm1
.endm

.macro STORE8x4
    vmovq [rdi], xmm0
    vmovhps [rdi+rsi], xmm0
    lea rdi, [rdi+rsi*2]
    vextracti128 xmm0, ymm0, 1
    vmovq [rdi], xmm0
    vmovhps [rdi+rsi], xmm0
    lea rdi, [rdi+rsi*2]
.endm

FUNC vp8_sixtap_8x8_avx2
    .cfi_startproc
    and r8d, 7
    and r9d, 7
    mov eax, r8d
    or eax, r9d
    jz .Lcopy8
    vbroadcasti128 ymm11, [rip + .Lw256]
    test r9d, r9d
    jz .Lh8
    test r8d, r8d
    jz .Lv8
    /* two passes: rows -2 .. 10 horizontally into the red zone (stride 8), then vertically */
    SIXTAP_TAPS r8
    SHUF8_LOAD
    sub rdx, rcx
    sub rdx, rcx
    lea r8, [rsp-128]
    mov r11d, 6
.Lhv8_h:
    lea rax, [rdx+rcx]
    H8x2 rdx, rax
    vpermq ymm0, ymm0, 0x08         /* [row a, row b] in xmm0 */
    vmovdqu [r8], xmm0
    lea rdx, [rdx+rcx*2]
    add r8, 16
    dec r11d
    jnz .Lhv8_h
    H8x2 rdx, rdx                   /* row 10 (computed twice over) */
    vmovq [r8], xmm0
    SIXTAP_TAPS r9
    lea r8, [rsp-128]
    vmovdqu ymm0, [r8]
    vmovdqu ymm1, [r8+8]
    vmovdqu ymm2, [r8+16]
    vmovdqu ymm3, [r8+24]
    vmovdqu ymm4, [r8+32]
    vmovdqu ymm5, [r8+40]
    V8x4
    STORE8x4
    vmovdqu ymm0, [r8+32]
    vmovdqu ymm1, [r8+40]
    vmovdqu ymm2, [r8+48]
    vmovdqu ymm3, [r8+56]
    vmovdqu ymm4, [r8+64]
    vmovdqu ymm5, [r8+72]
    V8x4
    STORE8x4
    vzeroupper
    ret
.Lh8:
    SIXTAP_TAPS r8
    SHUF8_LOAD
    mov r11d, 4
.Lh8_loop:
    lea rax, [rdx+rcx]
    H8x2 rdx, rax
    vmovq [rdi], xmm0
    vextracti128 xmm0, ymm0, 1
    vmovq [rdi+rsi], xmm0
    lea rdx, [rdx+rcx*2]
    lea rdi, [rdi+rsi*2]
    dec r11d
    jnz .Lh8_loop
    vzeroupper
    ret
.Lv8:
    SIXTAP_TAPS r9
    lea r10, [rcx+rcx*2]
    sub rdx, rcx
    sub rdx, rcx                    /* rdx = row -2, rax = row 1 */
    lea rax, [rdx+r10]
    mov r11d, 2
.Lv8_loop:
    /* xmm k = [row k | row k+1], k = 0..7, then ymm k = [xmm k | xmm k+2], k = 0..5 */
    vmovq xmm0, [rdx]
    vmovhps xmm0, xmm0, [rdx+rcx]
    vmovq xmm1, [rdx+rcx]
    vmovhps xmm1, xmm1, [rdx+rcx*2]
    vmovq xmm2, [rdx+rcx*2]
    vmovhps xmm2, xmm2, [rax]
    vmovq xmm3, [rax]
    vmovhps xmm3, xmm3, [rax+rcx]
    vmovq xmm4, [rax+rcx]
    vmovhps xmm4, xmm4, [rax+rcx*2]
    vmovq xmm5, [rax+rcx*2]
    vmovhps xmm5, xmm5, [rax+r10]
    vmovq xmm6, [rax+r10]
    vmovhps xmm6, xmm6, [rax+rcx*4]
    vmovq xmm7, [rax+rcx*4]
    vmovhps xmm7, xmm7, [rdx+rcx*8]
    vinserti128 ymm0, ymm0, xmm2, 1
    vinserti128 ymm1, ymm1, xmm3, 1
    vinserti128 ymm2, ymm2, xmm4, 1
    vinserti128 ymm3, ymm3, xmm5, 1
    vinserti128 ymm4, ymm4, xmm6, 1
    vinserti128 ymm5, ymm5, xmm7, 1
    V8x4
    STORE8x4
    lea rdx, [rdx+rcx*4]
    lea rax, [rax+rcx*4]
    dec r11d
    jnz .Lv8_loop
    vzeroupper
    ret
.Lcopy8:
    lea r10, [rcx+rcx*2]
    lea rax, [rsi+rsi*2]
    vmovq xmm0, [rdx]
    vmovq xmm1, [rdx+rcx]
    vmovq xmm2, [rdx+rcx*2]
    vmovq xmm3, [rdx+r10]
    lea rdx, [rdx+rcx*4]
    vmovq [rdi], xmm0
    vmovq [rdi+rsi], xmm1
    vmovq [rdi+rsi*2], xmm2
    vmovq [rdi+rax], xmm3
    lea rdi, [rdi+rsi*4]
    vmovq xmm0, [rdx]
    vmovq xmm1, [rdx+rcx]
    vmovq xmm2, [rdx+rcx*2]
    vmovq xmm3, [rdx+r10]
    vmovq [rdi], xmm0
    vmovq [rdi+rsi], xmm1
    vmovq [rdi+rsi*2], xmm2
    vmovq [rdi+rax], xmm3
    ret
    .cfi_endproc
    .size vp8_sixtap_8x8_avx2, . - vp8_sixtap_8x8_avx2

    .section .note.GNU-stack,"",@progbits
