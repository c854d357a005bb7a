/*
 * VP8 intra prediction, SSE2 (RFC 6386 sections 12.2 and 12.3).
 *
 * Semantics are those of the C fallbacks in upstream-c/src/ipred.c; see asm/include/vp8asm/ipred.h
 * for the contract. System V AMD64: rdi = dst, rsi = stride, rdx = topright (4x4 only). Only
 * caller-saved registers are used; dst may have any alignment and stride any value (also
 * negative). Every kernel reads only edge pixels the C fallback reads, and writes only the block.
 * Left-column pixels are loaded one byte at a time on purpose: wider loads would read pixels the
 * C does not, and loads spanning two earlier stores (the previous block's rows) stall
 * store-to-load forwarding in the decoder's subblock chain.
 *
 * Exactness notes:
 *  - TM: above - above_left is kept as signed words (-255..255); adding left (0..255) gives
 *    -255..510, which fits a word without saturation; packuswb then clamps to 0..255, which is
 *    exactly clamp(L + A - P, 0, 255).
 *  - avg3(a, b, c) = (a + 2b + c + 2) >> 2 equals pavgb(b, (a + c) >> 1), and
 *    (a + c) >> 1 = pavgb(a, c) - ((a ^ c) & 1). (2b + 2h + 2 is even, so adding the dropped
 *    low bit of a + c never carries into bit 2.)
 */
#include "ipred_macros.inc"

    IPRED_CONST_PB_1
    .text

/* --- helpers ----------------------------------------------------------------------------------- */

/* Store \x (16 bytes) to the 16 rows at rdi (stride rsi). Clobbers rax, rdi. */
.macro STORE_16ROWS x
    lea rax, [rsi + rsi*2]
    .rept 4
    movdqu [rdi], \x
    movdqu [rdi + rsi], \x
    movdqu [rdi + rsi*2], \x
    movdqu [rdi + rax], \x
    lea rdi, [rdi + rsi*4]
    .endr
.endm

/* Store \r (8 bytes) to the 8 rows at rdi. Clobbers rcx. */
.macro STORE_8ROWS r
    lea rcx, [rsi + rsi*2]
    mov [rdi], \r
    mov [rdi + rsi], \r
    mov [rdi + rsi*2], \r
    mov [rdi + rcx], \r
    lea rcx, [rdi + rsi*4]
    mov [rcx], \r
    mov [rcx + rsi], \r
    mov [rcx + rsi*2], \r
    lea rcx, [rcx + rsi*2]
    mov [rcx + rsi], \r
.endm

/* eax = sum of the \n pixels left of the block (dst[y * stride - 1]). Clobbers rcx, rdx, r8-r10. */
.macro SUM_LEFT n
    lea r8, [rdi - 1]
    lea rcx, [rsi + rsi*2]
    xor eax, eax
    xor edx, edx
    .rept \n / 4
    movzx r9d, byte ptr [r8]
    movzx r10d, byte ptr [r8 + rsi]
    add eax, r9d
    add edx, r10d
    movzx r9d, byte ptr [r8 + rsi*2]
    movzx r10d, byte ptr [r8 + rcx]
    add eax, r9d
    add edx, r10d
    lea r8, [r8 + rsi*4]
    .endr
    add eax, edx
.endm

/* \dst32 = sum of the 16 pixels above the block. Clobbers r8, xmm0, xmm1. */
.macro SUM_ABOVE16 dst32
    mov r8, rdi
    sub r8, rsi
    movdqu xmm0, [r8]
    pxor xmm1, xmm1
    psadbw xmm0, xmm1
    pshufd xmm1, xmm0, 0xee
    paddd xmm0, xmm1
    movd \dst32, xmm0
.endm

/* \dst32 = sum of the 8 pixels above the block. Clobbers r8, xmm0, xmm1. */
.macro SUM_ABOVE8 dst32
    mov r8, rdi
    sub r8, rsi
    movq xmm0, [r8]
    pxor xmm1, xmm1
    psadbw xmm0, xmm1
    movd \dst32, xmm0
.endm

/* Fill 16x16 with the byte in eax (0..255). */
.macro FILL16_EAX
    imul eax, eax, 0x01010101
    movd xmm0, eax
    pshufd xmm0, xmm0, 0
    STORE_16ROWS xmm0
.endm

/* Fill 8x8 with the byte in eax (0..255). */
.macro FILL8_EAX
    movabs rcx, 0x0101010101010101
    imul rax, rcx
    STORE_8ROWS rax
.endm

/* --- 16x16 luma -------------------------------------------------------------------------------- */

FUNC vp8_pred16x16_dc_sse2
    SUM_LEFT 16
    SUM_ABOVE16 ecx
    lea eax, [rax + rcx + 16]
    shr eax, 5
    FILL16_EAX
    ret
ENDFUNC vp8_pred16x16_dc_sse2

FUNC vp8_pred16x16_dc_left_sse2
    SUM_LEFT 16
    add eax, 8
    shr eax, 4
    FILL16_EAX
    ret
ENDFUNC vp8_pred16x16_dc_left_sse2

FUNC vp8_pred16x16_dc_top_sse2
    SUM_ABOVE16 eax
    add eax, 8
    shr eax, 4
    FILL16_EAX
    ret
ENDFUNC vp8_pred16x16_dc_top_sse2

FUNC vp8_pred16x16_dc_128_sse2
    pcmpeqb xmm0, xmm0
    psllw xmm0, 15
    packsswb xmm0, xmm0         /* 0x8000 words saturate to 0x80 bytes */
    STORE_16ROWS xmm0
    ret
ENDFUNC vp8_pred16x16_dc_128_sse2

FUNC vp8_pred16x16_v_sse2
    mov rax, rdi
    sub rax, rsi
    movdqu xmm0, [rax]
    STORE_16ROWS xmm0
    ret
ENDFUNC vp8_pred16x16_v_sse2

FUNC vp8_pred16x16_h_sse2
    movabs rcx, 0x0101010101010101
    .rept 16
    movzx eax, byte ptr [rdi - 1]
    imul rax, rcx
    mov [rdi], rax
    mov [rdi + 8], rax
    add rdi, rsi
    .endr
    ret
ENDFUNC vp8_pred16x16_h_sse2

/* One TM row: xmm0/xmm1 = above - above_left (words), row left pixel at [rdi - 1]. */
.macro TM16_ROW
    movzx eax, byte ptr [rdi - 1]
    imul eax, eax, 0x00010001
    movd xmm2, eax
    pshufd xmm2, xmm2, 0
    movdqa xmm3, xmm2
    paddw xmm2, xmm0
    paddw xmm3, xmm1
    packuswb xmm2, xmm3
    movdqu [rdi], xmm2
    add rdi, rsi
.endm

FUNC vp8_pred16x16_tm_sse2
    mov r8, rdi
    sub r8, rsi
    movdqu xmm0, [r8]
    movzx eax, byte ptr [r8 - 1]
    pxor xmm5, xmm5
    imul eax, eax, 0x00010001
    movd xmm4, eax
    pshufd xmm4, xmm4, 0
    movdqa xmm1, xmm0
    punpcklbw xmm0, xmm5
    punpckhbw xmm1, xmm5
    psubw xmm0, xmm4
    psubw xmm1, xmm4
    .rept 16
    TM16_ROW
    .endr
    ret
ENDFUNC vp8_pred16x16_tm_sse2

/* --- 8x8 chroma -------------------------------------------------------------------------------- */

FUNC vp8_pred8x8_dc_sse2
    SUM_LEFT 8
    SUM_ABOVE8 ecx
    lea eax, [rax + rcx + 8]
    shr eax, 4
    FILL8_EAX
    ret
ENDFUNC vp8_pred8x8_dc_sse2

FUNC vp8_pred8x8_dc_left_sse2
    SUM_LEFT 8
    add eax, 4
    shr eax, 3
    FILL8_EAX
    ret
ENDFUNC vp8_pred8x8_dc_left_sse2

FUNC vp8_pred8x8_dc_top_sse2
    SUM_ABOVE8 eax
    add eax, 4
    shr eax, 3
    FILL8_EAX
    ret
ENDFUNC vp8_pred8x8_dc_top_sse2

FUNC vp8_pred8x8_dc_128_sse2
    movabs rax, 0x8080808080808080
    STORE_8ROWS rax
    ret
ENDFUNC vp8_pred8x8_dc_128_sse2

FUNC vp8_pred8x8_v_sse2
    mov rax, rdi
    sub rax, rsi
    mov rax, [rax]
    STORE_8ROWS rax
    ret
ENDFUNC vp8_pred8x8_v_sse2

FUNC vp8_pred8x8_h_sse2
    movabs rcx, 0x0101010101010101
    .rept 8
    movzx eax, byte ptr [rdi - 1]
    imul rax, rcx
    mov [rdi], rax
    add rdi, rsi
    .endr
    ret
ENDFUNC vp8_pred8x8_h_sse2

/* Two TM rows: xmm0 = above - above_left (8 words). */
.macro TM8_2ROWS
    movzx eax, byte ptr [rdi - 1]
    movzx ecx, byte ptr [rdi + rsi - 1]
    imul eax, eax, 0x00010001
    imul ecx, ecx, 0x00010001
    movd xmm2, eax
    movd xmm3, ecx
    pshufd xmm2, xmm2, 0
    pshufd xmm3, xmm3, 0
    paddw xmm2, xmm0
    paddw xmm3, xmm0
    packuswb xmm2, xmm3
    movq [rdi], xmm2
    movhps [rdi + rsi], xmm2
    lea rdi, [rdi + rsi*2]
.endm

FUNC vp8_pred8x8_tm_sse2
    mov r8, rdi
    sub r8, rsi
    movq xmm0, [r8]
    movzx eax, byte ptr [r8 - 1]
    pxor xmm5, xmm5
    imul eax, eax, 0x00010001
    movd xmm4, eax
    pshufd xmm4, xmm4, 0
    punpcklbw xmm0, xmm5
    psubw xmm0, xmm4
    .rept 4
    TM8_2ROWS
    .endr
    ret
ENDFUNC vp8_pred8x8_tm_sse2

/* --- 4x4 subblocks ----------------------------------------------------------------------------- */

FUNC vp8_pred4x4_dc_sse2
    ROWPTRS4
    movd xmm0, [r11]
    pxor xmm1, xmm1
    psadbw xmm0, xmm1
    movzx eax, byte ptr [rdi - 1]
    movzx r8d, byte ptr [rdi + rsi - 1]
    movzx r9d, byte ptr [rdi + rsi*2 - 1]
    movzx r10d, byte ptr [rdi + rcx - 1]
    add eax, r8d
    add r9d, r10d
    movd r8d, xmm0
    add eax, r9d
    lea eax, [rax + r8 + 4]
    shr eax, 3
    imul eax, eax, 0x01010101
    mov [rdi], eax
    mov [rdi + rsi], eax
    mov [rdi + rsi*2], eax
    mov [rdi + rcx], eax
    ret
ENDFUNC vp8_pred4x4_dc_sse2

FUNC vp8_pred4x4_tm_sse2
    ROWPTRS4
    pxor xmm5, xmm5
    movd xmm0, [r11]
    movzx eax, byte ptr [r11 - 1]
    punpcklbw xmm0, xmm5
    imul eax, eax, 0x00010001
    movd xmm4, eax
    pshufd xmm4, xmm4, 0
    psubw xmm0, xmm4
    punpcklqdq xmm0, xmm0               /* above - P, twice (4 words each) */
    /* qword y = the row's left pixel in 4 words */
    movabs r8, 0x0001000100010001
    movzx eax, byte ptr [rdi - 1]
    movzx edx, byte ptr [rdi + rsi - 1]
    movzx r9d, byte ptr [rdi + rsi*2 - 1]
    movzx r10d, byte ptr [rdi + rcx - 1]
    imul rax, r8
    imul rdx, r8
    imul r9, r8
    imul r10, r8
    movq xmm1, rax
    movq xmm3, rdx
    movq xmm2, r9
    movq xmm4, r10
    punpcklqdq xmm1, xmm3
    punpcklqdq xmm2, xmm4
    paddw xmm1, xmm0
    paddw xmm2, xmm0
    packuswb xmm1, xmm2
    STORE_4x4 xmm1, xmm2
    ret
ENDFUNC vp8_pred4x4_tm_sse2

/* VE: every row is avg3 over P, A0..A4. */
FUNC vp8_pred4x4_ve_sse2
    ROWPTRS4
    movzx eax, byte ptr [r11 + 3]       /* A3 */
    movzx r8d, byte ptr [rdx]           /* A4 */
    shl r8d, 8
    or eax, r8d
    shl rax, 32
    mov r8d, [r11 - 1]                  /* P A0 A1 A2 */
    or rax, r8
    movq xmm0, rax
    movdqa xmm7, [rip + ipred_pb_1]
    movdqa xmm1, xmm0
    movdqa xmm2, xmm0
    psrlq xmm1, 8
    psrlq xmm2, 16
    AVG3 xmm0, xmm0, xmm1, xmm2, xmm3
    movd eax, xmm0
    mov [rdi], eax
    mov [rdi + rsi], eax
    mov [rdi + rsi*2], eax
    mov [rdi + rcx], eax
    ret
ENDFUNC vp8_pred4x4_ve_sse2

/* HE: rows take avg3 down the left column; the bottom row is avg3(L2, L3, L3). Scalar: the
 * left column was usually stored by the previous call, so the short chain matters most. */
FUNC vp8_pred4x4_he_sse2
    ROWPTRS4
    movzx eax, byte ptr [r11 - 1]       /* P */
    movzx r8d, byte ptr [rdi - 1]       /* L0 */
    movzx r9d, byte ptr [rdi + rsi - 1] /* L1 */
    movzx r10d, byte ptr [rdi + rsi*2 - 1]  /* L2 */
    movzx edx, byte ptr [rdi + rcx - 1] /* L3 */
    lea eax, [rax + r8*2 + 2]
    add eax, r9d
    shr eax, 2
    imul eax, eax, 0x01010101
    mov [rdi], eax
    lea eax, [r8 + r9*2 + 2]
    add eax, r10d
    shr eax, 2
    imul eax, eax, 0x01010101
    mov [rdi + rsi], eax
    lea eax, [r9 + r10*2 + 2]
    add eax, edx
    shr eax, 2
    imul eax, eax, 0x01010101
    mov [rdi + rsi*2], eax
    lea eax, [rdx + rdx*2 + 2]
    add eax, r10d
    shr eax, 2
    imul eax, eax, 0x01010101
    mov [rdi + rcx], eax
    ret
ENDFUNC vp8_pred4x4_he_sse2

/* LD: row y = avg3 over A[y..y+5], the last one with A7 repeated. */
FUNC vp8_pred4x4_ld_sse2
    ROWPTRS4
    movd xmm0, [r11]
    movd xmm1, [rdx]
    movzx eax, byte ptr [rdx + 3]       /* A7 */
    punpckldq xmm0, xmm1                /* A0..A7 */
    movdqa xmm7, [rip + ipred_pb_1]
    movdqa xmm1, xmm0
    movdqa xmm2, xmm0
    psrlq xmm1, 8
    psrlq xmm2, 16
    pinsrw xmm2, eax, 3                 /* byte 6 = A7 in place of the missing A8 */
    AVG3 xmm0, xmm0, xmm1, xmm2, xmm3
    movq rax, xmm0
    mov [rdi], eax
    shr rax, 8
    mov [rdi + rsi], eax
    shr rax, 8
    mov [rdi + rsi*2], eax
    shr rax, 8
    mov [rdi + rcx], eax
    ret
ENDFUNC vp8_pred4x4_ld_sse2

/* RD: with E = L3 L2 L1 L0 P A0 A1 A2 A3, row y = avg3 over E[3-y .. 3-y+5]. */
FUNC vp8_pred4x4_rd_sse2
    ROWPTRS4
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
    movd xmm0, eax                      /* L3 L2 L1 L0 */
    movd xmm1, [r11 - 1]                /* P A0 A1 A2 */
    movzx r8d, byte ptr [r11 + 3]       /* A3 */
    punpckldq xmm0, xmm1
    pinsrw xmm0, r8d, 4
    movdqa xmm7, [rip + ipred_pb_1]
    movdqa xmm1, xmm0
    movdqa xmm2, xmm0
    psrldq xmm1, 1
    psrldq xmm2, 2
    AVG3 xmm0, xmm0, xmm1, xmm2, xmm3
    movq rax, xmm0
    mov [rdi + rcx], eax
    shr rax, 8
    mov [rdi + rsi*2], eax
    shr rax, 8
    mov [rdi + rsi], eax
    shr rax, 8
    mov [rdi], eax
    ret
ENDFUNC vp8_pred4x4_rd_sse2

/*
 * HU: with l = L0 L1 L2 L3 L3 L3 ..., interleaving avg2 and avg3 down the column gives
 * I = a0 b0 a1 b1 a2 b2 a3 b3 ... (a = avg2, b = avg3); row y = I[2y .. 2y+3]. From row 2 on the
 * clamped tail makes everything L3.
 */
FUNC vp8_pred4x4_hu_sse2
    ROWPTRS4
    movzx eax, byte ptr [rdi - 1]
    movzx r8d, byte ptr [rdi + rsi - 1]
    movzx r9d, byte ptr [rdi + rsi*2 - 1]
    movzx r10d, byte ptr [rdi + rcx - 1]
    shl r8d, 8
    shl r9d, 16
    imul r10d, r10d, 0x01010101         /* L3 x4: also the bottom row */
    or eax, r8d
    or eax, r9d
    mov r8d, r10d
    and r8d, 0xff000000
    or eax, r8d                         /* L0 L1 L2 L3 */
    mov r9d, r10d
    shl r9, 32
    or rax, r9                          /* L0 L1 L2 L3 L3 L3 L3 L3 */
    movq xmm0, rax
    movdqa xmm7, [rip + ipred_pb_1]
    movdqa xmm1, xmm0
    movdqa xmm2, xmm0
    psrlq xmm1, 8
    psrlq xmm2, 16
    movdqa xmm4, xmm0
    pavgb xmm4, xmm1                    /* avg2 */
    AVG3 xmm0, xmm0, xmm1, xmm2, xmm3   /* avg3 */
    punpcklbw xmm4, xmm0
    movq rax, xmm4
    mov [rdi], eax
    shr rax, 16
    mov [rdi + rsi], eax
    shr rax, 16
    mov [rdi + rsi*2], eax
    mov [rdi + rcx], r10d
    ret
ENDFUNC vp8_pred4x4_hu_sse2

    .section .note.GNU-stack,"",@progbits
