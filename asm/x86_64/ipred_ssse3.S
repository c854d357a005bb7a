/*
 * VP8 intra prediction, SSSE3: the 4x4 modes whose rows mix avg2 and avg3 values in orders no
 * shift produces (RFC 6386 section 12.3: B_VR_PRED, B_VL_PRED, B_HD_PRED). Each computes the
 * avg3 and avg2 rows of its edge once, packs them into one register (avg3 in bytes 0..7, avg2 in
 * bytes 8..15) and lays out all 16 output pixels with a single pshufb.
 *
 * Same contract as ipred_sse2.S (asm/include/vp8asm/ipred.h): rdi = dst, rsi = stride,
 * rdx = topright; only caller-saved registers; no alignment assumptions on dst or stride.
 * Edge indices below follow ipred.c: e[0..3] = L3 L2 L1 L0, e[4] = P, e[5..] = A0 A1 ...
 * with avg3[i] = avg3(e[i], e[i+1], e[i+2]) and avg2[i] = avg2(e[i], e[i+1]).
 */
#include "ipred_macros.inc"

    IPRED_CONST_PB_1

    .section .rodata
    .p2align 4
/* VR, z = 2x - y: row 0 avg2[4..7]; row 1 avg3[3..6]; row 2 avg3[2], avg2[4..6];
 * row 3 avg3[1], avg3[3..5]. */
ipred_shuf_vr:
    .byte 12, 13, 14, 15,  3, 4, 5, 6,  2, 12, 13, 14,  1, 3, 4, 5
/* VL over the above row only (index i = A[i]): row 0 avg2[0..3]; row 1 avg3[0..3];
 * row 2 avg2[1..3], avg3[4]; row 3 avg3[1..3], avg3[5]. */
ipred_shuf_vl:
    .byte 8, 9, 10, 11,  0, 1, 2, 3,  9, 10, 11, 4,  1, 2, 3, 5
/* HD, z = 2y - x: row 0 avg2[3], avg3[3..5]; row 1 avg2[2], avg3[2], avg2[3], avg3[3];
 * row 2 avg2[1], avg3[1], avg2[2], avg3[2]; row 3 avg2[0], avg3[0], avg2[1], avg3[1]. */
ipred_shuf_hd:
    .byte 11, 3, 4, 5,  10, 2, 11, 3,  9, 1, 10, 2,  8, 0, 9, 1

    .text

/* eax = L3 | L2 << 8 | L1 << 16 | L0 << 24, i.e. e[0..3]. Needs rcx = 3 * stride. Clobbers r8-r10. */
.macro LOAD_LEFT_E0_3
    movzx eax, byte ptr [rdi + rcx - 1]
    movzx r8d, byte ptr [rdi + rsi*2 - 1]
    movzx r9d, byte ptr [rdi + rsi - 1]
    movzx r10d, byte ptr [rdi - 1]
    shl r8d, 8
    shl r9d, 16
    shl r10d, 24
    or eax, r8d
    or r9d, r10d
    or eax, r9d
.endm

/* xmm0 = avg3 (bytes 0..7) | avg2 (bytes 8..15) of the edge in xmm0, shifting within the low
 * qword (bytes past the 8th are not needed). Clobbers xmm1-xmm4, xmm7. */
.macro AVG3_AVG2_Q
    movdqa xmm7, [rip + ipred_pb_1]
    movdqa xmm1, xmm0
    movdqa xmm2, xmm0
    psrlq xmm1, 8
    psrlq xmm2, 16
    movdqa xmm4, xmm0
    pavgb xmm4, xmm1
    AVG3 xmm0, xmm0, xmm1, xmm2, xmm3
    punpcklqdq xmm0, xmm4
.endm

/* VR uses e[1..8]: L2 L1 L0 P A0..A3 (no topright). With L3 the edge is 9 bytes, so it is
 * shifted as a whole register. */
FUNC vp8_pred4x4_vr_ssse3
    ROWPTRS4
    LOAD_LEFT_E0_3
    movd xmm0, eax
    movd xmm1, [r11 - 1]                /* P A0 A1 A2 */
    movzx r8d, byte ptr [r11 + 3]       /* A3 */
    punpckldq xmm0, xmm1
    pinsrw xmm0, r8d, 4
    movdqa xmm7, [rip + ipred_pb_1]
    movdqa xmm1, xmm0
    movdqa xmm2, xmm0
    psrldq xmm1, 1
    psrldq xmm2, 2
    movdqa xmm4, xmm0
    pavgb xmm4, xmm1
    AVG3 xmm0, xmm0, xmm1, xmm2, xmm3
    punpcklqdq xmm0, xmm4
    pshufb xmm0, [rip + ipred_shuf_vr]
    STORE_4x4 xmm0, xmm1
    ret
ENDFUNC vp8_pred4x4_vr_ssse3

/* VL reads A0..A7 only. */
FUNC vp8_pred4x4_vl_ssse3
    ROWPTRS4
    movd xmm0, [r11]
    movd xmm1, [rdx]
    punpckldq xmm0, xmm1                /* A0..A7 */
    AVG3_AVG2_Q
    pshufb xmm0, [rip + ipred_shuf_vl]
    STORE_4x4 xmm0, xmm1
    ret
ENDFUNC vp8_pred4x4_vl_ssse3

/* HD reads e[0..7]: L3 L2 L1 L0 P A0 A1 A2, exactly one qword. */
FUNC vp8_pred4x4_hd_ssse3
    ROWPTRS4
    LOAD_LEFT_E0_3
    movd xmm0, eax
    movd xmm1, [r11 - 1]                /* P A0 A1 A2 */
    punpckldq xmm0, xmm1
    AVG3_AVG2_Q
    pshufb xmm0, [rip + ipred_shuf_hd]
    STORE_4x4 xmm0, xmm1
    ret
ENDFUNC vp8_pred4x4_hd_ssse3

    .section .note.GNU-stack,"",@progbits
