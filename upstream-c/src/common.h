/*
 * Small helpers shared by every C file of the decoder: fixed-width types, clamps, alignment.
 * Kept header-only so each domain file stays self-contained for the transpiler.
 */
#ifndef VP8_SRC_COMMON_H
#define VP8_SRC_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define VP8_ALIGN(n) __attribute__((aligned(n)))

static inline int vp8_clamp_int(int v, int lo, int hi) { return v < lo ? lo : (v > hi ? hi : v); }
static inline uint8_t vp8_clip_pixel(int v) { return (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v)); }
static inline int vp8_imin(int a, int b) { return a < b ? a : b; }
static inline int vp8_imax(int a, int b) { return a > b ? a : b; }

#endif
