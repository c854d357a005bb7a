/*
 * VP8 intra prediction, AVX2: the whole-block modes that measurably gain from vpbroadcastb
 * (which loads exactly the one left pixel a row needs) and from two TM rows per ymm register.
 * (8x8 H was tried too: no faster than the SSE2 version, so it is not here.)
 *
 * Same contract as ipred_sse2.S (asm/include/vp8asm/ipred.h): rdi = dst, rsi = stride; only
 * caller-saved registers; no alignment assumptions; vzeroupper before returning.
 */
#include "ipred_macros.inc"

    .text

FUNC vp8_pred16x16_h_avx2
    lea rax, [rsi + rsi*2]
    .rept 4
    vpbroadcastb xmm0, byte ptr [rdi - 1]
    vpbroadcastb xmm1, byte ptr [rdi + rsi - 1]
    vpbroadcastb xmm2, byte ptr [rdi + rsi*2 - 1]
    vpbroadcastb xmm3, byte ptr [rdi + rax - 1]
    vmovdqu [rdi], xmm0
    vmovdqu [rdi + rsi], xmm1
    vmovdqu [rdi + rsi*2], xmm2
    vmovdqu [rdi + rax], xmm3
    lea rdi, [rdi + rsi*4]
    .endr
    ret
ENDFUNC vp8_pred16x16_h_avx2

/*
 * TM, two rows per ymm. ymm0/ymm1 hold above[0..7] - P and above[8..15] - P as words, the same
 * in both lanes; ymm2 = left(row y) in lane 0 and left(row y+1) in lane 1, as words. vpackuswb
 * packs within lanes, so packing (ymm0 + ymm2, ymm1 + ymm2) puts row y in lane 0 and row y+1 in
 * lane 1, each in pixel order. Range argument as in the SSE2 version: -255..510 in words, then
 * the unsigned-saturating pack is the clamp.
 */
.macro TM16_2ROWS
    vpbroadcastb xmm2, byte ptr [rdi - 1]
    vpbroadcastb xmm3, byte ptr [rdi + rsi - 1]
    vinserti128 ymm2, ymm2, xmm3, 1
    vpunpcklbw ymm2, ymm2, ymm5
    vpaddw ymm3, ymm2, ymm1
    vpaddw ymm2, ymm2, ymm0
    vpackuswb ymm2, ymm2, ymm3
    vmovdqu [rdi], xmm2
    vextracti128 [rdi + rsi], ymm2, 1
    lea rdi, [rdi + rsi*2]
.endm

FUNC vp8_pred16x16_tm_avx2
    mov r8, rdi
    sub r8, rsi
    vpxor xmm5, xmm5, xmm5
    vpbroadcastb ymm4, byte ptr [r8 - 1]
    vpunpcklbw ymm4, ymm4, ymm5                 /* P as words */
    vbroadcasti128 ymm0, [r8]
    vpunpckhbw ymm1, ymm0, ymm5
    vpunpcklbw ymm0, ymm0, ymm5
    vpsubw ymm0, ymm0, ymm4
    vpsubw ymm1, ymm1, ymm4
    .rept 8
    TM16_2ROWS
    .endr
    vzeroupper
    ret
ENDFUNC vp8_pred16x16_tm_avx2

/* 8x8 TM: rows y, y+1 in lanes 0/1 of one ymm; two such packed together give 4 rows. */
.macro TM8_4ROWS
    vpbroadcastb xmm2, byte ptr [rdi - 1]
    vpbroadcastb xmm3, byte ptr [rdi + rsi - 1]
    vinserti128 ymm2, ymm2, xmm3, 1
    vpbroadcastb xmm3, byte ptr [rdi + rsi*2 - 1]
    vpbroadcastb xmm4, byte ptr [rdi + rax - 1]
    vinserti128 ymm3, ymm3, xmm4, 1
    vpunpcklbw ymm2, ymm2, ymm5
    vpunpcklbw ymm3, ymm3, ymm5
    vpaddw ymm2, ymm2, ymm0
    vpaddw ymm3, ymm3, ymm0
    vpackuswb ymm2, ymm2, ymm3                  /* lane 0: rows 0, 2; lane 1: rows 1, 3 */
    vextracti128 xmm3, ymm2, 1
    vmovq [rdi], xmm2
    vmovq [rdi + rsi], xmm3
    vmovhps [rdi + rsi*2], xmm2
    vmovhps [rdi + rax], xmm3
    lea rdi, [rdi + rsi*4]
.endm

FUNC vp8_pred8x8_tm_avx2
    mov r8, rdi
    sub r8, rsi
    lea rax, [rsi + rsi*2]
    vpxor xmm5, xmm5, xmm5
    vpbroadcastb ymm4, byte ptr [r8 - 1]
    vpunpcklbw ymm4, ymm4, ymm5
    vpbroadcastq ymm0, qword ptr [r8]
    vpunpcklbw ymm0, ymm0, ymm5
    vpsubw ymm0, ymm0, ymm4
    TM8_4ROWS
    TM8_4ROWS
    vzeroupper
    ret
ENDFUNC vp8_pred8x8_tm_avx2

    .section .note.GNU-stack,"",@progbits
