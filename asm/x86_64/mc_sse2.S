/*
 * VP8 motion compensation kernels, SSE2 (RFC 6386 section 18; contract in upstream-c/src/mc.h).
 *
 *   void vp8_{sixtap,bilinear}_{16x16,8x8,8x4,4x4}_sse2(uint8_t *dst, ptrdiff_t dst_stride,
 *                                                      const uint8_t *src, ptrdiff_t src_stride,
 *                                                      int mx, int my);
 *
 * Each kernel dispatches on the fractions (taken & 7): both zero -> copy, my == 0 -> horizontal
 * pass only, mx == 0 -> vertical pass only, else a horizontal pass over rows -2 .. H+2 (six-tap)
 * or 0 .. H (bilinear) into a stack buffer of 8-bit intermediates, then a vertical pass over it.
 * That is exactly the C fallback's order and rounding, so the output is bit-identical.
 *
 * Arithmetic (SSE2 has no byte multiply-add): pixels are widened to 16-bit words and multiplied by
 * the tap with pmullw (products are exact: |tap * pixel| <= 123 * 255 = 31365).
 *   Six-tap: only taps 1 and 4 are negative (RFC table, every fraction). Their two products plus
 *   the rounding constant 64 are summed first (>= -16 * 255 * 2 + 64, no wrap); the remaining
 *   four products are all >= 0 and are added with signed saturation (paddsw). The true sum can
 *   exceed 32767 (e.g. 160 * 255 for fraction 4), but once a partial sum saturates at 32767 only
 *   non-negative terms follow, so the true result is >= 32767 as well, and both give 255 after
 *   the arithmetic >> 7 and packuswb. Below 32767 every step is exact. packuswb then clamps the
 *   negative results to 0 and those above 255 to 255: the C code's clamp.
 *   Bilinear: taps are >= 0 and sum to 128, so 64 + a * t0 + b * t1 <= 32704 fits; >> 7 is exact.
 *
 * Memory: exactly what mc.h allows. Six-tap reads columns -2 .. W+2 (8-byte loads at -2..3 and,
 * for 16-wide, 6..11; 4-byte loads for 4-wide) and rows -2 .. H+2 only when that pass runs;
 * bilinear reads columns 0 .. W and rows 0 .. H. No alignment is assumed for src or dst.
 *
 * Registers: rdi dst, rsi dst_stride, rdx src, rcx src_stride, r8 mx, r9 my; rax, r10, r11
 * scratch; xmm8-xmm13 taps (broadcast words), xmm14 = 64 (words), xmm15 = 0. Only caller-saved
 * registers are used. Stack: the 16x16 two-pass buffers are allocated below rsp (aligned to 16);
 * the smaller ones (<= 104 bytes) live in the red zone (these functions make no calls).
 */
    .intel_syntax noprefix

#include "func.inc"
#include "mc_common.inc"

/* ---- tables ---------------------------------------------------------------------------------- */

/* One six-tap filter row of the RFC (section 18.3, subpixel_filters), each tap as 8 words. */
.macro SIXTAP_W8 t0, t1, t2, t3, t4, t5
    .irp t, \t0, \t1, \t2, \t3, \t4, \t5
    .rept 8
    .word \t
    .endr
    .endr
.endm

/* One bilinear filter (RFC section 18.3, bilinear_filters: the two non-zero centre taps). */
.macro BILIN_W8 t0, t1
    .irp t, \t0, \t1
    .rept 8
    .word \t
    .endr
    .endr
.endm

    .section .rodata
    .p2align 4
.Lsixtap_w:                     /* [8 fractions][6 taps][8 words], 96 bytes per fraction */
    SIXTAP_W8 0,   0, 128,   0,   0, 0
    SIXTAP_W8 0,  -6, 123,  12,  -1, 0
    SIXTAP_W8 2, -11, 108,  36,  -8, 1
    SIXTAP_W8 0,  -9,  93,  50,  -6, 0
    SIXTAP_W8 3, -16,  77,  77, -16, 3
    SIXTAP_W8 0,  -6,  50,  93,  -9, 0
    SIXTAP_W8 1,  -8,  36, 108, -11, 2
    SIXTAP_W8 0,  -1,  12, 123,  -6, 0
.Lbilin_w:                      /* [8 fractions][2 taps][8 words], 32 bytes per fraction */
    BILIN_W8 128,   0
    BILIN_W8 112,  16
    BILIN_W8  96,  32
    BILIN_W8  80,  48
    BILIN_W8  64,  64
    BILIN_W8  48,  80
    BILIN_W8  32,  96
    BILIN_W8  16, 112
.Lw64:
    .rept 8
    .word 64
    .endr

    .text

/* ---- helpers --------------------------------------------------------------------------------- */

/* Six-tap taps of fraction \f (a 64-bit register holding 0..7) into xmm8..xmm13. */
.macro SIXTAP_TAPS f
    lea r10, [\f+\f*2]
    shl r10d, 5
    lea rax, [rip + .Lsixtap_w]
    add rax, r10
    movdqa xmm8, [rax]
    movdqa xmm9, [rax+16]
    movdqa xmm10, [rax+32]
    movdqa xmm11, [rax+48]
    movdqa xmm12, [rax+64]
    movdqa xmm13, [rax+80]
.endm

/* Bilinear taps of fraction \f (64-bit register, 0..7) into xmm8, xmm9. */
.macro BILIN_TAPS f
    mov r10d, \f\()d
    shl r10d, 5
    lea rax, [rip + .Lbilin_w]
    movdqa xmm8, [rax+r10]
    movdqa xmm9, [rax+r10+16]
.endm

/* 8 pixels at \m -> 8 words in \r. */
.macro WIDEN8 r, m
    movq \r, \m
    punpcklbw \r, xmm15
.endm

/* 4 pixels at \ma and 4 at \mb -> 8 words in \r (\ma's in the low half); \u is clobbered. */
.macro WIDEN4x2 r, u, ma, mb
    movd \r, \ma
    movd \u, \mb
    punpckldq \r, \u
    punpcklbw \r, xmm15
.endm

/* Six-tap sum of 8 outputs whose tap-k pixels are at \m0..\m5: \out = words, already >> 7 (to be
 * clamped by packuswb). \t is clobbered. Negative taps first, see the header. */
.macro FILT6_8 out, t, m0, m1, m2, m3, m4, m5
    WIDEN8 \out, \m1
    pmullw \out, xmm9
    WIDEN8 \t, \m4
    pmullw \t, xmm12
    paddw \out, \t
    paddw \out, xmm14
    WIDEN8 \t, \m0
    pmullw \t, xmm8
    paddsw \out, \t
    WIDEN8 \t, \m2
    pmullw \t, xmm10
    paddsw \out, \t
    WIDEN8 \t, \m3
    pmullw \t, xmm11
    paddsw \out, \t
    WIDEN8 \t, \m5
    pmullw \t, xmm13
    paddsw \out, \t
    psraw \out, 7
.endm

/* The same for two rows of 4 outputs: tap-k pixels of the first row at \ak, of the second at \bk;
 * the first row's results in the low 4 words. \t, \u are clobbered. */
.macro FILT6_4x2 out, t, u, a0, a1, a2, a3, a4, a5, b0, b1, b2, b3, b4, b5
    WIDEN4x2 \out, \u, \a1, \b1
    pmullw \out, xmm9
    WIDEN4x2 \t, \u, \a4, \b4
    pmullw \t, xmm12
    paddw \out, \t
    paddw \out, xmm14
    WIDEN4x2 \t, \u, \a0, \b0
    pmullw \t, xmm8
    paddsw \out, \t
    WIDEN4x2 \t, \u, \a2, \b2
    pmullw \t, xmm10
    paddsw \out, \t
    WIDEN4x2 \t, \u, \a3, \b3
    pmullw \t, xmm11
    paddsw \out, \t
    WIDEN4x2 \t, \u, \a5, \b5
    pmullw \t, xmm13
    paddsw \out, \t
    psraw \out, 7
.endm

/* Bilinear sum of 8 outputs from the pixels at \m0 (tap 0) and \m1 (tap 1), >> 7, in \out. */
.macro FILT2_8 out, t, m0, m1
    WIDEN8 \out, \m0
    pmullw \out, xmm8
    WIDEN8 \t, \m1
    pmullw \t, xmm9
    paddw \out, \t
    paddw \out, xmm14
    psrlw \out, 7
.endm

.macro FILT2_4x2 out, t, u, a0, a1, b0, b1
    WIDEN4x2 \out, \u, \a0, \b0
    pmullw \out, xmm8
    WIDEN4x2 \t, \u, \a1, \b1
    pmullw \t, xmm9
    paddw \out, \t
    paddw \out, xmm14
    psrlw \out, 7
.endm

/* ---- six-tap passes -------------------------------------------------------------------------- */

/* Horizontal: \n rows from rdx (stride rcx) to \d, advanced by \ds per row. W = 16 or 8. */
.macro HPASS6 w, n, d, ds
    mov r11d, \n
.Lh6\@:
    FILT6_8 xmm0, xmm1, [rdx-2], [rdx-1], [rdx], [rdx+1], [rdx+2], [rdx+3]
    .if \w == 16
    FILT6_8 xmm2, xmm3, [rdx+6], [rdx+7], [rdx+8], [rdx+9], [rdx+10], [rdx+11]
    packuswb xmm0, xmm2
    movdqu [\d], xmm0
    .else
    packuswb xmm0, xmm0
    movq [\d], xmm0
    .endif
    add rdx, rcx
    add \d, \ds
    dec r11d
    jnz .Lh6\@
.endm

/* Horizontal, 4 wide, \n (even) rows from rdx/rcx to rdi/rsi, two rows per iteration. */
.macro HPASS6_W4 n
    mov r11d, \n
.Lh6w4\@:
    FILT6_4x2 xmm0, xmm1, xmm2, [rdx-2], [rdx-1], [rdx], [rdx+1], [rdx+2], [rdx+3], [rdx+rcx-2], [rdx+rcx-1], [rdx+rcx], [rdx+rcx+1], [rdx+rcx+2], [rdx+rcx+3]
    packuswb xmm0, xmm0
    STORE4x2 xmm0, [rdi], [rdi+rsi]
    lea rdx, [rdx+rcx*2]
    lea rdi, [rdi+rsi*2]
    sub r11d, 2
    jnz .Lh6w4\@
.endm

/* Horizontal, 4 wide, 9 rows from rdx/rcx into the packed buffer at rax (stride 4). */
.macro HPASS6_W4_TMP
    mov r11d, 4
.Lh6t4\@:
    FILT6_4x2 xmm0, xmm1, xmm2, [rdx-2], [rdx-1], [rdx], [rdx+1], [rdx+2], [rdx+3], [rdx+rcx-2], [rdx+rcx-1], [rdx+rcx], [rdx+rcx+1], [rdx+rcx+2], [rdx+rcx+3]
    packuswb xmm0, xmm0
    movq [rax], xmm0
    lea rdx, [rdx+rcx*2]
    add rax, 8
    dec r11d
    jnz .Lh6t4\@
    /* the ninth row, computed twice over */
    FILT6_4x2 xmm0, xmm1, xmm2, [rdx-2], [rdx-1], [rdx], [rdx+1], [rdx+2], [rdx+3], [rdx-2], [rdx-1], [rdx], [rdx+1], [rdx+2], [rdx+3]
    packuswb xmm0, xmm0
    movd [rax], xmm0
.endm

/* Vertical: \h output rows from rdx/rcx (row 0 of the block) to rdi/rsi. W = 16 or 8. */
.macro VPASS6 w, h
    lea r10, [rcx+rcx*2]
    sub rdx, rcx
    sub rdx, rcx
    lea rax, [rdx+r10]
    mov r11d, \h
.Lv6\@:
    FILT6_8 xmm0, xmm1, [rdx], [rdx+rcx], [rdx+rcx*2], [rax], [rax+rcx], [rax+rcx*2]
    .if \w == 16
    FILT6_8 xmm2, xmm3, [rdx+8], [rdx+rcx+8], [rdx+rcx*2+8], [rax+8], [rax+rcx+8], [rax+rcx*2+8]
    packuswb xmm0, xmm2
    movdqu [rdi], xmm0
    .else
    packuswb xmm0, xmm0
    movq [rdi], xmm0
    .endif
    add rdx, rcx
    add rax, rcx
    add rdi, rsi
    dec r11d
    jnz .Lv6\@
.endm

/* Vertical, 4 wide, 4 output rows from rdx/rcx to rdi/rsi, two per iteration. */
.macro VPASS6_W4
    lea r10, [rcx+rcx*2]
    sub rdx, rcx
    sub rdx, rcx
    lea rax, [rdx+r10]
    mov r11d, 2
.Lv6w4\@:
    FILT6_4x2 xmm0, xmm1, xmm2, [rdx], [rdx+rcx], [rdx+rcx*2], [rax], [rax+rcx], [rax+rcx*2], [rdx+rcx], [rdx+rcx*2], [rax], [rax+rcx], [rax+rcx*2], [rax+r10]
    packuswb xmm0, xmm0
    STORE4x2 xmm0, [rdi], [rdi+rsi]
    lea rdx, [rdx+rcx*2]
    lea rax, [rax+rcx*2]
    lea rdi, [rdi+rsi*2]
    dec r11d
    jnz .Lv6w4\@
.endm

/* Vertical over the buffer at rax (W x (H+5), packed: stride W) to rdi/rsi. */
.macro VPASS6_TMP w, h
    .if \w == 4
    mov r11d, \h / 2
    .else
    mov r11d, \h
    .endif
.Lv6t\@:
    .if \w == 16
    FILT6_8 xmm0, xmm1, [rax], [rax+16], [rax+32], [rax+48], [rax+64], [rax+80]
    FILT6_8 xmm2, xmm3, [rax+8], [rax+24], [rax+40], [rax+56], [rax+72], [rax+88]
    packuswb xmm0, xmm2
    movdqu [rdi], xmm0
    add rdi, rsi
    .elseif \w == 8
    FILT6_8 xmm0, xmm1, [rax], [rax+8], [rax+16], [rax+24], [rax+32], [rax+40]
    packuswb xmm0, xmm0
    movq [rdi], xmm0
    add rdi, rsi
    .else
    /* an 8-byte load at row k holds rows k and k+1: two output rows at once */
    FILT6_8 xmm0, xmm1, [rax], [rax+4], [rax+8], [rax+12], [rax+16], [rax+20]
    packuswb xmm0, xmm0
    STORE4x2 xmm0, [rdi], [rdi+rsi]
    lea rdi, [rdi+rsi*2]
    .endif
    .if \w == 4
    add rax, 8
    .else
    add rax, \w
    .endif
    dec r11d
    jnz .Lv6t\@
.endm

.macro SIXTAP w, h
FUNC vp8_sixtap_\w\()x\h\()_sse2
    .cfi_startproc
    and r8d, 7
    and r9d, 7
    mov eax, r8d
    or eax, r9d
    jz .Lsix_copy_\w\()x\h
    pxor xmm15, xmm15
    movdqa xmm14, [rip + .Lw64]
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
    mov rax, rsp
    HPASS6 16, \h + 5, rax, 16
    SIXTAP_TAPS r9
    mov rax, rsp
    VPASS6_TMP 16, \h
    add rsp, 344
    .cfi_adjust_cfa_offset -344
    .else
    lea rax, [rsp-128]          /* red zone: (H+5) * W <= 104 bytes */
    .if \w == 8
    HPASS6 8, \h + 5, rax, 8
    .else
    HPASS6_W4_TMP
    .endif
    SIXTAP_TAPS r9
    lea rax, [rsp-128]
    VPASS6_TMP \w, \h
    .endif
    ret
.Lsix_h_\w\()x\h:
    SIXTAP_TAPS r8
    .if \w == 4
    HPASS6_W4 \h
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
    .size vp8_sixtap_\w\()x\h\()_sse2, . - vp8_sixtap_\w\()x\h\()_sse2
.endm

/* ---- bilinear passes ------------------------------------------------------------------------- */

/* Horizontal: \n rows from rdx/rcx to \d (advanced by \ds). W = 16 or 8. */
.macro HPASS2 w, n, d, ds
    mov r11d, \n
.Lh2\@:
    FILT2_8 xmm0, xmm1, [rdx], [rdx+1]
    .if \w == 16
    FILT2_8 xmm2, xmm3, [rdx+8], [rdx+9]
    packuswb xmm0, xmm2
    movdqu [\d], xmm0
    .else
    packuswb xmm0, xmm0
    movq [\d], xmm0
    .endif
    add rdx, rcx
    add \d, \ds
    dec r11d
    jnz .Lh2\@
.endm

/* Horizontal, 4 wide: \n (even) rows to rdi/rsi. */
.macro HPASS2_W4 n
    mov r11d, \n / 2
.Lh2w4\@:
    FILT2_4x2 xmm0, xmm1, xmm2, [rdx], [rdx+1], [rdx+rcx], [rdx+rcx+1]
    packuswb xmm0, xmm0
    STORE4x2 xmm0, [rdi], [rdi+rsi]
    lea rdx, [rdx+rcx*2]
    lea rdi, [rdi+rsi*2]
    dec r11d
    jnz .Lh2w4\@
.endm

/* Horizontal, 4 wide, rows 0 .. 4 into the packed buffer at rax (stride 4). */
.macro HPASS2_W4_TMP
    FILT2_4x2 xmm0, xmm1, xmm2, [rdx], [rdx+1], [rdx+rcx], [rdx+rcx+1]
    packuswb xmm0, xmm0
    movq [rax], xmm0
    lea rdx, [rdx+rcx*2]
    FILT2_4x2 xmm0, xmm1, xmm2, [rdx], [rdx+1], [rdx+rcx], [rdx+rcx+1]
    packuswb xmm0, xmm0
    movq [rax+8], xmm0
    lea rdx, [rdx+rcx*2]
    FILT2_4x2 xmm0, xmm1, xmm2, [rdx], [rdx+1], [rdx], [rdx+1]
    packuswb xmm0, xmm0
    movd [rax+16], xmm0
.endm

/* Vertical: \h rows from rdx/rcx to rdi/rsi. */
.macro VPASS2 w, h
    mov r11d, \h
.Lv2\@:
    .if \w == 16
    FILT2_8 xmm0, xmm1, [rdx], [rdx+rcx]
    FILT2_8 xmm2, xmm3, [rdx+8], [rdx+rcx+8]
    packuswb xmm0, xmm2
    movdqu [rdi], xmm0
    add rdx, rcx
    add rdi, rsi
    dec r11d
    .elseif \w == 8
    FILT2_8 xmm0, xmm1, [rdx], [rdx+rcx]
    packuswb xmm0, xmm0
    movq [rdi], xmm0
    add rdx, rcx
    add rdi, rsi
    dec r11d
    .else
    FILT2_4x2 xmm0, xmm1, xmm2, [rdx], [rdx+rcx], [rdx+rcx], [rdx+rcx*2]
    packuswb xmm0, xmm0
    STORE4x2 xmm0, [rdi], [rdi+rsi]
    lea rdx, [rdx+rcx*2]
    lea rdi, [rdi+rsi*2]
    sub r11d, 2
    .endif
    jnz .Lv2\@
.endm

/* Vertical over the packed buffer at rax (W x (H+1)) to rdi/rsi. */
.macro VPASS2_TMP w, h
    mov r11d, \h
.Lv2t\@:
    .if \w == 16
    FILT2_8 xmm0, xmm1, [rax], [rax+16]
    FILT2_8 xmm2, xmm3, [rax+8], [rax+24]
    packuswb xmm0, xmm2
    movdqu [rdi], xmm0
    add rax, 16
    add rdi, rsi
    dec r11d
    .elseif \w == 8
    FILT2_8 xmm0, xmm1, [rax], [rax+8]
    packuswb xmm0, xmm0
    movq [rdi], xmm0
    add rax, 8
    add rdi, rsi
    dec r11d
    .else
    FILT2_8 xmm0, xmm1, [rax], [rax+4]
    packuswb xmm0, xmm0
    STORE4x2 xmm0, [rdi], [rdi+rsi]
    add rax, 8
    lea rdi, [rdi+rsi*2]
    sub r11d, 2
    .endif
    jnz .Lv2t\@
.endm

.macro BILINEAR w, h
FUNC vp8_bilinear_\w\()x\h\()_sse2
    .cfi_startproc
    and r8d, 7
    and r9d, 7
    mov eax, r8d
    or eax, r9d
    jz .Lbil_copy_\w\()x\h
    pxor xmm15, xmm15
    movdqa xmm14, [rip + .Lw64]
    test r9d, r9d
    jz .Lbil_h_\w\()x\h
    test r8d, r8d
    jz .Lbil_v_\w\()x\h
    /* two passes: rows 0 .. H horizontally into the buffer, then vertically */
    BILIN_TAPS r8
    .if \w == 16
    sub rsp, 280                /* 17 * 16 = 272 bytes, rsp 16-aligned after this */
    .cfi_adjust_cfa_offset 280
    mov rax, rsp
    HPASS2 16, \h + 1, rax, 16
    BILIN_TAPS r9
    mov rax, rsp
    VPASS2_TMP 16, \h
    add rsp, 280
    .cfi_adjust_cfa_offset -280
    .else
    lea rax, [rsp-128]          /* red zone: (H+1) * W <= 72 bytes */
    .if \w == 8
    HPASS2 8, \h + 1, rax, 8
    .else
    HPASS2_W4_TMP
    .endif
    BILIN_TAPS r9
    lea rax, [rsp-128]
    VPASS2_TMP \w, \h
    .endif
    ret
.Lbil_h_\w\()x\h:
    BILIN_TAPS r8
    .if \w == 4
    HPASS2_W4 \h
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
    .size vp8_bilinear_\w\()x\h\()_sse2, . - vp8_bilinear_\w\()x\h\()_sse2
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
