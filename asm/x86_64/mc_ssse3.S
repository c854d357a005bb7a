/*
 * VP8 motion compensation kernels, SSSE3 (RFC 6386 section 18; contract in upstream-c/src/mc.h).
 *
 *   void vp8_{sixtap,bilinear}_{16x16,8x8,8x4,4x4}_ssse3(uint8_t *dst, ptrdiff_t dst_stride,
 *                                                       const uint8_t *src, ptrdiff_t src_stride,
 *                                                       int mx, int my);
 *
 * Same structure as mc_sse2.S: dispatch on the fractions (& 7) to copy / horizontal only /
 * vertical only / horizontal pass over rows -2 .. H+2 (bilinear 0 .. H) into a stack buffer of
 * 8-bit intermediates followed by a vertical pass over it, as the C fallback does.
 *
 * Arithmetic: pmaddubsw multiplies unsigned pixels by signed byte taps and adds adjacent pairs
 * with signed 16-bit saturation. The pixels are interleaved so the pairs are
 *   A = (p[-2], p[+3]) x (t0, t5),  B = (p[-1], p[0]) x (t1, t2),  C = (p[+1], p[+2]) x (t3, t4)
 * (offsets along the filter direction). In the RFC table t1, t4 <= 0 <= t0, t2, t3, t5 and every
 * tap used is <= 123 (the 128 of fraction 0 never reaches a filter pass), so for pixels 0..255:
 *   A in [0, (t0 + t5) * 255] <= 6 * 255;  B in [t1 * 255, t2 * 255];  C in [t4 * 255, t3 * 255]
 * all inside [-32768, 32767]: pmaddubsw never saturates. (The libvpx-style pairing (t0,t1),
 * (t2,t3), (t4,t5) would: (108 + 36) * 255 > 32767.) Then B + C + A is summed with paddsw: B + C
 * is exact unless the true value exceeds 32767, where it saturates; the remaining A is >= 0, so a
 * saturated result only occurs when the true sum is >= 32767 too. pmulhrsw by 256 computes
 * (x * 256 + 2^14) >> 15 = (x + 64) >> 7 exactly (arithmetic shift), which for a saturated sum
 * gives 256; packuswb clamps to 0..255. This equals the C code's clamp((sum + 64) >> 7).
 * Bilinear: taps (t0, t1) >= 0, <= 112 for a non-zero fraction, t0 + t1 = 128, so a pair is at
 * most 128 * 255 = 32640 (no saturation) and pmulhrsw by 256 rounds it as (x + 64) >> 7.
 *
 * Memory: only what mc.h allows (six-tap columns -2 .. W+2, rows -2 .. H+2; bilinear columns
 * 0 .. W, rows 0 .. H): 16-wide rows use 16-byte loads at offsets -2 .. +3 (so up to column 18),
 * 8-wide rows 8-byte loads, 4-wide rows 4-byte loads plus an 8-byte load at column -2.
 *
 * Registers: rdi dst, rsi dst_stride, rdx src, rcx src_stride, r8 mx, r9 my; rax, r10, r11
 * scratch; xmm8/xmm9/xmm10 = tap pairs A/B/C (bilinear: xmm8), xmm11 = 256 (words),
 * xmm12/xmm13 = byte shuffles of the 4-wide horizontal pass. Only caller-saved registers are used.
 * Stack: 16x16 two-pass buffers below rsp (16-aligned), smaller ones in the red zone (leaf code).
 */
    .intel_syntax noprefix

#include "func.inc"
#include "mc_common.inc"

/* ---- tables ---------------------------------------------------------------------------------- */

.macro BILIN_PAIR t0, t1
    .rept 8
    .byte \t0, \t1
    .endr
.endm

    .section .rodata
    .p2align 4
/* Fractions 1..7 (fraction 0 never filters: its 128 does not fit a signed byte); 48 bytes each. */
.Lsixtap_b:
    SIXTAP_PAIRS 0,  -6, 123,  12,  -1, 0
    SIXTAP_PAIRS 2, -11, 108,  36,  -8, 1
    SIXTAP_PAIRS 0,  -9,  93,  50,  -6, 0
    SIXTAP_PAIRS 3, -16,  77,  77, -16, 3
    SIXTAP_PAIRS 0,  -6,  50,  93,  -9, 0
    SIXTAP_PAIRS 1,  -8,  36, 108, -11, 2
    SIXTAP_PAIRS 0,  -1,  12, 123,  -6, 0
/* Bilinear fractions 1..7 (RFC bilinear_filters, centre taps); 16 bytes each. */
.Lbilin_b:
    BILIN_PAIR 112,  16
    BILIN_PAIR  96,  32
    BILIN_PAIR  80,  48
    BILIN_PAIR  64,  64
    BILIN_PAIR  48,  80
    BILIN_PAIR  32,  96
    BILIN_PAIR  16, 112
.Lw256:
    .rept 8
    .word 256
    .endr
/* 4-wide horizontal pass: a register holds row 0 columns -2..5 (bytes 0..7) and row 1 columns
 * -2..5 (bytes 8..15); these gather pairs B = (p[x-1], p[x]) and C = (p[x+1], p[x+2]), x = 0..3. */
.Lshuf_b4:
    .byte 1, 2, 2, 3, 3, 4, 4, 5, 9, 10, 10, 11, 11, 12, 12, 13
.Lshuf_c4:
    .byte 3, 4, 4, 5, 5, 6, 6, 7, 11, 12, 12, 13, 13, 14, 14, 15

    .text

/* ---- helpers --------------------------------------------------------------------------------- */

/* Tap pairs of six-tap fraction \f (64-bit register, 1..7) into xmm8..xmm10. */
.macro SIXTAP_TAPS f
    lea r10, [\f+\f*2]
    shl r10d, 4
    lea rax, [rip + .Lsixtap_b - 48]
    movdqa xmm8, [rax+r10]
    movdqa xmm9, [rax+r10+16]
    movdqa xmm10, [rax+r10+32]
.endm

/* Tap pair of bilinear fraction \f (64-bit register, 1..7) into xmm8. */
.macro BILIN_TAPS f
    mov r10d, \f\()d
    shl r10d, 4
    lea rax, [rip + .Lbilin_b - 16]
    movdqa xmm8, [rax+r10]
.endm

/* Interleave the 8 bytes at \ma and \mb and multiply-add by \taps: 8 words in \r. */
.macro PAIRS8 r, t, ma, mb, taps
    movq \r, \ma
    movq \t, \mb
    punpcklbw \r, \t
    pmaddubsw \r, \taps
.endm

/* The same for 16 bytes: outputs 0..7 in \lo, 8..15 in \hi. */
.macro PAIRS16 lo, hi, t, ma, mb, taps
    movdqu \lo, \ma
    movdqu \t, \mb
    movdqa \hi, \lo
    punpcklbw \lo, \t
    punpckhbw \hi, \t
    pmaddubsw \lo, \taps
    pmaddubsw \hi, \taps
.endm

/* Six-tap, 8 outputs whose tap-k pixels are the 8 bytes at \mk: packed bytes in the low half of
 * xmm0 (xmm1, xmm2 clobbered). */
.macro FILT6_8 m0, m1, m2, m3, m4, m5
    PAIRS8 xmm0, xmm2, \m1, \m2, xmm9
    PAIRS8 xmm1, xmm2, \m3, \m4, xmm10
    paddsw xmm0, xmm1
    PAIRS8 xmm1, xmm2, \m0, \m5, xmm8
    paddsw xmm0, xmm1
    pmulhrsw xmm0, xmm11
    packuswb xmm0, xmm0
.endm

/* Six-tap, 16 outputs from the 16 bytes at \m0..\m5: packed bytes in xmm0 (xmm1-xmm4 clobbered). */
.macro FILT6_16 m0, m1, m2, m3, m4, m5
    PAIRS16 xmm0, xmm1, xmm4, \m1, \m2, xmm9
    PAIRS16 xmm2, xmm3, xmm4, \m3, \m4, xmm10
    paddsw xmm0, xmm2
    paddsw xmm1, xmm3
    PAIRS16 xmm2, xmm3, xmm4, \m0, \m5, xmm8
    paddsw xmm0, xmm2
    paddsw xmm1, xmm3
    pmulhrsw xmm0, xmm11
    pmulhrsw xmm1, xmm11
    packuswb xmm0, xmm1
.endm

/* Bilinear, 8 outputs from the 8 bytes at \m0 (tap 0) and \m1 (tap 1): bytes in xmm0's low half. */
.macro FILT2_8 m0, m1
    PAIRS8 xmm0, xmm2, \m0, \m1, xmm8
    pmulhrsw xmm0, xmm11
    packuswb xmm0, xmm0
.endm

.macro FILT2_16 m0, m1
    PAIRS16 xmm0, xmm1, xmm2, \m0, \m1, xmm8
    pmulhrsw xmm0, xmm11
    pmulhrsw xmm1, xmm11
    packuswb xmm0, xmm1
.endm

/* ---- six-tap passes -------------------------------------------------------------------------- */

/* Horizontal: \n rows from rdx (stride rcx) to \d, advanced by \ds per row. W = 16 or 8. */
.macro HPASS6 w, n, d, ds
    mov r11d, \n
.Lh6\@:
    .if \w == 16
    FILT6_16 [rdx-2], [rdx-1], [rdx], [rdx+1], [rdx+2], [rdx+3]
    movdqu [\d], xmm0
    .else
    FILT6_8 [rdx-2], [rdx-1], [rdx], [rdx+1], [rdx+2], [rdx+3]
    movq [\d], xmm0
    .endif
    add rdx, rcx
    add \d, \ds
    dec r11d
    jnz .Lh6\@
.endm

/* Horizontal, 4 wide, rows at \r0 and \r1: 8 packed result bytes (row \r0 first) in xmm0.
 * Loads row columns -2..5 (8 bytes) and 3..6 (4 bytes). xmm1-xmm3 clobbered. */
.macro H6_4x2 r0, r1
    movq xmm1, [\r0-2]
    movhps xmm1, [\r1-2]
    movd xmm2, [\r0+3]
    movd xmm3, [\r1+3]
    punpckldq xmm2, xmm3            /* row 0 cols 3..6, row 1 cols 3..6 */
    pshufd xmm0, xmm1, 0x08         /* row 0 cols -2..1, row 1 cols -2..1 */
    punpcklbw xmm0, xmm2            /* pairs A */
    pmaddubsw xmm0, xmm8
    movdqa xmm3, xmm1
    pshufb xmm3, xmm12              /* pairs B */
    pmaddubsw xmm3, xmm9
    pshufb xmm1, xmm13              /* pairs C */
    pmaddubsw xmm1, xmm10
    paddsw xmm1, xmm3
    paddsw xmm0, xmm1
    pmulhrsw xmm0, xmm11
    packuswb xmm0, xmm0
.endm

.macro SHUF4_LOAD
    movdqa xmm12, [rip + .Lshuf_b4]
    movdqa xmm13, [rip + .Lshuf_c4]
.endm

/* Horizontal, 4 wide, 4 rows from rdx/rcx to rdi/rsi. */
.macro HPASS6_W4
    lea rax, [rdx+rcx]
    H6_4x2 rdx, rax
    STORE4x2 xmm0, [rdi], [rdi+rsi]
    lea rdx, [rdx+rcx*2]
    lea rax, [rax+rcx*2]
    lea rdi, [rdi+rsi*2]
    H6_4x2 rdx, rax
    STORE4x2 xmm0, [rdi], [rdi+rsi]
.endm

/* Horizontal, 4 wide, 9 rows from rdx/rcx into the packed buffer at r11 (stride 4). */
.macro HPASS6_W4_TMP
    lea rax, [rdx+rcx]
    H6_4x2 rdx, rax
    movq [r11], xmm0
    lea rdx, [rdx+rcx*2]
    lea rax, [rax+rcx*2]
    H6_4x2 rdx, rax
    movq [r11+8], xmm0
    lea rdx, [rdx+rcx*2]
    lea rax, [rax+rcx*2]
    H6_4x2 rdx, rax
    movq [r11+16], xmm0
    lea rdx, [rdx+rcx*2]
    lea rax, [rax+rcx*2]
    H6_4x2 rdx, rax
    movq [r11+24], xmm0
    lea rdx, [rdx+rcx*2]
    H6_4x2 rdx, rdx                 /* the ninth row, computed twice over */
    movd [r11+32], xmm0
.endm

/* Vertical: \h output rows from rdx/rcx (row 0 of the block) to rdi/rsi. W = 16 or 8. */
.macro VPASS6 w, h
    lea r10, [rcx+rcx*2]
    sub rdx, rcx
    sub rdx, rcx
    lea rax, [rdx+r10]
    mov r11d, \h
.Lv6\@:
    .if \w == 16
    FILT6_16 [rdx], [rdx+rcx], [rdx+rcx*2], [rax], [rax+rcx], [rax+rcx*2]
    movdqu [rdi], xmm0
    .else
    FILT6_8 [rdx], [rdx+rcx], [rdx+rcx*2], [rax], [rax+rcx], [rax+rcx*2]
    movq [rdi], xmm0
    .endif
    add rdx, rcx
    add rax, rcx
    add rdi, rsi
    dec r11d
    jnz .Lv6\@
.endm

/* Vertical, 4 wide, 4 output rows from rdx/rcx to rdi/rsi, two per iteration: the 4-byte rows
 * k and k+1 are joined (D_k), then pairs A = D_0 x D_5, B = D_1 x D_2, C = D_3 x D_4. */
.macro VPASS6_W4
    lea r10, [rcx+rcx*2]
    sub rdx, rcx
    sub rdx, rcx
    lea rax, [rdx+r10]
    mov r11d, 2
.Lv6w4\@:
    movd xmm0, [rdx]
    movd xmm1, [rdx+rcx]
    movd xmm2, [rdx+rcx*2]
    movd xmm3, [rax]
    movd xmm4, [rax+rcx]
    movd xmm5, [rax+rcx*2]
    movd xmm6, [rax+r10]
    punpckldq xmm0, xmm1
    punpckldq xmm1, xmm2
    punpckldq xmm2, xmm3
    punpckldq xmm3, xmm4
    punpckldq xmm4, xmm5
    punpckldq xmm5, xmm6
    punpcklbw xmm0, xmm5
    pmaddubsw xmm0, xmm8
    punpcklbw xmm1, xmm2
    pmaddubsw xmm1, xmm9
    punpcklbw xmm3, xmm4
    pmaddubsw xmm3, xmm10
    paddsw xmm1, xmm3
    paddsw xmm0, xmm1
    pmulhrsw xmm0, xmm11
    packuswb xmm0, xmm0
    STORE4x2 xmm0, [rdi], [rdi+rsi]
    lea rdx, [rdx+rcx*2]
    lea rax, [rax+rcx*2]
    lea rdi, [rdi+rsi*2]
    dec r11d
    jnz .Lv6w4\@
.endm

/* Vertical over the packed buffer at r11 (W x (H+5), stride W) to rdi/rsi. */
.macro VPASS6_TMP w, h
    .if \w == 4
    mov eax, \h / 2
    .else
    mov eax, \h
    .endif
.Lv6t\@:
    .if \w == 16
    FILT6_16 [r11], [r11+16], [r11+32], [r11+48], [r11+64], [r11+80]
    movdqu [rdi], xmm0
    add r11, 16
    add rdi, rsi
    .elseif \w == 8
    FILT6_8 [r11], [r11+8], [r11+16], [r11+24], [r11+32], [r11+40]
    movq [rdi], xmm0
    add r11, 8
    add rdi, rsi
    .else
    /* an 8-byte load at row k holds rows k and k+1: two output rows at once */
    FILT6_8 [r11], [r11+4], [r11+8], [r11+12], [r11+16], [r11+20]
    STORE4x2 xmm0, [rdi], [rdi+rsi]
    add r11, 8
    lea rdi, [rdi+rsi*2]
    .endif
    dec eax
    jnz .Lv6t\@
.endm

.macro SIXTAP w, h
FUNC vp8_sixtap_\w\()x\h\()_ssse3
    .cfi_startproc
    and r8d, 7
    and r9d, 7
    mov eax, r8d
    or eax, r9d
    jz .Lsix_copy_\w\()x\h
    movdqa xmm11, [rip + .Lw256]
    test r9d, r9d
    jz .Lsix_h_\w\()x\h
    test r8d, r8d
    jz .Lsix_v_\w\()x\h
    /* two passes: rows -2 .. H+2 filtered horizontally into the buffer, then vertically */
    SIXTAP_TAPS r8
    sub rdx, rcx
    sub rdx, rcx
    .if \w == 16
    sub rsp, 344                /* 21 * 16 = 336 bytes, rsp 16-aligned after this */
    .cfi_adjust_cfa_offset 344
    mov r8, rsp
    HPASS6 16, \h + 5, r8, 16
    SIXTAP_TAPS r9
    mov r11, rsp
    VPASS6_TMP 16, \h
    add rsp, 344
    .cfi_adjust_cfa_offset -344
    .else
    lea r11, [rsp-128]          /* red zone: (H+5) * W <= 104 bytes */
    .if \w == 8
    mov r8, r11
    HPASS6 8, \h + 5, r8, 8
    .else
    SHUF4_LOAD
    HPASS6_W4_TMP
    .endif
    SIXTAP_TAPS r9
    lea r11, [rsp-128]
    VPASS6_TMP \w, \h
    .endif
    ret
.Lsix_h_\w\()x\h:
    SIXTAP_TAPS r8
    .if \w == 4
    SHUF4_LOAD
    HPASS6_W4
    .else
    HPASS6 \w, \h, rdi, rsi
    .endif
    ret
.Lsix_v_\w\()x\h:
    SIXTAP_TAPS r9
    .if \w == 4
    VPASS6_W4
    .else
    VPASS6 \w, \h
    .endif
    ret
.Lsix_copy_\w\()x\h:
    COPY \w, \h
    ret
    .cfi_endproc
    .size vp8_sixtap_\w\()x\h\()_ssse3, . - vp8_sixtap_\w\()x\h\()_ssse3
.endm

/* ---- bilinear passes ------------------------------------------------------------------------- */

/* Horizontal: \n rows from rdx/rcx to \d (advanced by \ds). W = 16 or 8. */
.macro HPASS2 w, n, d, ds
    mov r11d, \n
.Lh2\@:
    .if \w == 16
    FILT2_16 [rdx], [rdx+1]
    movdqu [\d], xmm0
    .else
    FILT2_8 [rdx], [rdx+1]
    movq [\d], xmm0
    .endif
    add rdx, rcx
    add \d, \ds
    dec r11d
    jnz .Lh2\@
.endm

/* Horizontal, 4 wide, rows at \r0 and \r1: 8 packed bytes (row \r0 first) in xmm0. */
.macro H2_4x2 r0, r1
    movd xmm0, [\r0]
    movd xmm1, [\r0+1]
    punpcklbw xmm0, xmm1
    movd xmm1, [\r1]
    movd xmm2, [\r1+1]
    punpcklbw xmm1, xmm2
    punpcklqdq xmm0, xmm1
    pmaddubsw xmm0, xmm8
    pmulhrsw xmm0, xmm11
    packuswb xmm0, xmm0
.endm

.macro HPASS2_W4
    lea rax, [rdx+rcx]
    H2_4x2 rdx, rax
    STORE4x2 xmm0, [rdi], [rdi+rsi]
    lea rdx, [rdx+rcx*2]
    lea rax, [rax+rcx*2]
    lea rdi, [rdi+rsi*2]
    H2_4x2 rdx, rax
    STORE4x2 xmm0, [rdi], [rdi+rsi]
.endm

/* Horizontal, 4 wide, rows 0 .. 4 into the packed buffer at r11 (stride 4). */
.macro HPASS2_W4_TMP
    lea rax, [rdx+rcx]
    H2_4x2 rdx, rax
    movq [r11], xmm0
    lea rdx, [rdx+rcx*2]
    lea rax, [rax+rcx*2]
    H2_4x2 rdx, rax
    movq [r11+8], xmm0
    lea rdx, [rdx+rcx*2]
    H2_4x2 rdx, rdx
    movd [r11+16], xmm0
.endm

/* Vertical: \h rows from rdx/rcx to rdi/rsi. */
.macro VPASS2 w, h
    .if \w == 4
    mov r11d, \h / 2
    .else
    mov r11d, \h
    .endif
.Lv2\@:
    .if \w == 16
    FILT2_16 [rdx], [rdx+rcx]
    movdqu [rdi], xmm0
    add rdx, rcx
    add rdi, rsi
    .elseif \w == 8
    FILT2_8 [rdx], [rdx+rcx]
    movq [rdi], xmm0
    add rdx, rcx
    add rdi, rsi
    .else
    movd xmm0, [rdx]
    movd xmm1, [rdx+rcx]
    movd xmm2, [rdx+rcx*2]
    punpckldq xmm0, xmm1            /* rows 0, 1 */
    punpckldq xmm1, xmm2            /* rows 1, 2 */
    punpcklbw xmm0, xmm1
    pmaddubsw xmm0, xmm8
    pmulhrsw xmm0, xmm11
    packuswb xmm0, xmm0
    STORE4x2 xmm0, [rdi], [rdi+rsi]
    lea rdx, [rdx+rcx*2]
    lea rdi, [rdi+rsi*2]
    .endif
    dec r11d
    jnz .Lv2\@
.endm

/* Vertical over the packed buffer at r11 (W x (H+1)) to rdi/rsi. */
.macro VPASS2_TMP w, h
    .if \w == 4
    mov eax, \h / 2
    .else
    mov eax, \h
    .endif
.Lv2t\@:
    .if \w == 16
    FILT2_16 [r11], [r11+16]
    movdqu [rdi], xmm0
    add r11, 16
    add rdi, rsi
    .elseif \w == 8
    FILT2_8 [r11], [r11+8]
    movq [rdi], xmm0
    add r11, 8
    add rdi, rsi
    .else
    FILT2_8 [r11], [r11+4]
    STORE4x2 xmm0, [rdi], [rdi+rsi]
    add r11, 8
    lea rdi, [rdi+rsi*2]
    .endif
    dec eax
    jnz .Lv2t\@
.endm

.macro BILINEAR w, h
FUNC vp8_bilinear_\w\()x\h\()_ssse3
    .cfi_startproc
    and r8d, 7
    and r9d, 7
    mov eax, r8d
    or eax, r9d
    jz .Lbil_copy_\w\()x\h
    movdqa xmm11, [rip + .Lw256]
    test r9d, r9d
    jz .Lbil_h_\w\()x\h
    test r8d, r8d
    jz .Lbil_v_\w\()x\h
    /* two passes: rows 0 .. H horizontally into the buffer, then vertically */
    BILIN_TAPS r8
    .if \w == 16
    sub rsp, 280                /* 17 * 16 = 272 bytes, rsp 16-aligned after this */
    .cfi_adjust_cfa_offset 280
    mov r8, rsp
    HPASS2 16, \h + 1, r8, 16
    BILIN_TAPS r9
    mov r11, rsp
    VPASS2_TMP 16, \h
    add rsp, 280
    .cfi_adjust_cfa_offset -280
    .else
    lea r11, [rsp-128]          /* red zone: (H+1) * W <= 72 bytes */
    .if \w == 8
    mov r8, r11
    HPASS2 8, \h + 1, r8, 8
    .else
    HPASS2_W4_TMP
    .endif
    BILIN_TAPS r9
    lea r11, [rsp-128]
    VPASS2_TMP \w, \h
    .endif
    ret
.Lbil_h_\w\()x\h:
    BILIN_TAPS r8
    .if \w == 4
    HPASS2_W4
    .else
    HPASS2 \w, \h, rdi, rsi
    .endif
    ret
.Lbil_v_\w\()x\h:
    BILIN_TAPS r9
    VPASS2 \w, \h
    ret
.Lbil_copy_\w\()x\h:
    COPY \w, \h
    ret
    .cfi_endproc
    .size vp8_bilinear_\w\()x\h\()_ssse3, . - vp8_bilinear_\w\()x\h\()_ssse3
.endm

/* ---- the kernels ----------------------------------------------------------------------------- */

    SIXTAP 16, 16
    SIXTAP 8, 8
    SIXTAP 8, 4
    SIXTAP 4, 4
    BILINEAR 16, 16
    BILINEAR 8, 8
    BILINEAR 8, 4
    BILINEAR 4, 4

    .section .note.GNU-stack,"",@progbits
