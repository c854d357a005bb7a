/*
 * Small helpers shared by every C file of the decoder: fixed-width types, clamps, alignment.
 * Kept header-only so each domain file stays self-contained for the transpiler.
 */
#ifndef VP8_SRC_COMMON_H
#define VP8_SRC_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define VP8_ALIGN(n) __attribute__((aligned(n)))
/* For per-pixel helpers of the C fallbacks: they must be specialised into each kernel (constant
 * sizes, steps and tap counts), which -O2 heuristics do not always do on their own. */
#define VP8_ALWAYS_INLINE static inline __attribute__((always_inline))

static inline int vp8_clamp_int(int v, int lo, int hi) { return v < lo ? lo : (v > hi ? hi : v); }
/* Clamp to 0..255 without branches: residual adds near black or white clamp at random on detailed
 * content, and as compare-and-branch (which -O2 emits for the ternary form) they mispredict.
 * Relies on >> of a negative int being arithmetic, as every supported compiler defines it. */
static inline uint8_t vp8_clip_pixel(int v) {
    v &= ~(v >> 31);
    return (uint8_t)(v | ((255 - v) >> 31));
}
static inline int vp8_imin(int a, int b) { return a < b ? a : b; }
static inline int vp8_imax(int a, int b) { return a > b ? a : b; }

#endif
