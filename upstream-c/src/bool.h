/*
 * The boolean entropy decoder (RFC 6386 section 7) and tree reader (section 8.1).
 *
 * Header-only because it is the innermost loop of the decoder: every mode, vector and token bit
 * goes through vp8_read_bool. The window is 64 bits wide so refills happen once per ~6 bytes.
 * Reading past the end of the data yields zero bits, which is what libvpx does (an encoder's
 * final bytes may rely on it); `overrun` counts those phantom bytes so callers can tell a frame
 * that ran out of data.
 */
#ifndef VP8_SRC_BOOL_H
#define VP8_SRC_BOOL_H

#include <stddef.h>
#include <stdint.h>

#include "tables.h"

typedef struct Vp8BoolDecoder {
    const uint8_t *ptr;
    const uint8_t *end;
    uint64_t value;   /* the top 8 bits are compared with the split; bits below are buffered */
    int count;        /* buffered bits below the top 8 */
    uint32_t range;   /* 128..255 between calls */
    uint32_t overrun; /* zero bytes fed after the end of the data */
} Vp8BoolDecoder;

static inline void vp8_bool_fill(Vp8BoolDecoder *bd) {
    int loaded = bd->count + 8;
    while (loaded <= 56) {
        uint64_t byte = 0;
        if (bd->ptr < bd->end) {
            byte = *bd->ptr;
            bd->ptr++;
        } else {
            bd->overrun++;
        }
        bd->value |= byte << (56 - loaded);
        loaded += 8;
    }
    bd->count = loaded - 8;
}

static inline void vp8_bool_init(Vp8BoolDecoder *bd, const uint8_t *data, size_t size) {
    bd->ptr = data;
    bd->end = data + size;
    bd->value = 0;
    bd->count = -8;
    bd->range = 255;
    bd->overrun = 0;
    vp8_bool_fill(bd);
}

static inline int vp8_read_bool(Vp8BoolDecoder *bd, int prob) {
    uint32_t split = 1 + (((bd->range - 1) * (uint32_t)prob) >> 8);
    uint64_t bigsplit = (uint64_t)split << 56;
    int bit;
    int shift;
    if (bd->count < 0) {
        vp8_bool_fill(bd);
    }
    if (bd->value >= bigsplit) {
        bd->range -= split;
        bd->value -= bigsplit;
        bit = 1;
    } else {
        bd->range = split;
        bit = 0;
    }
    /* Renormalise so range is back in 128..255: shift by its count of leading zeros in 8 bits. */
    shift = __builtin_clz(bd->range) - 24;
    bd->range <<= shift;
    bd->value <<= shift;
    bd->count -= shift;
    return bit;
}

static inline int vp8_read_bit(Vp8BoolDecoder *bd) { return vp8_read_bool(bd, 128); }

/* An n-bit unsigned literal, most significant bit first (RFC 7.3 / 9). */
static inline int vp8_read_literal(Vp8BoolDecoder *bd, int bits) {
    int v = 0;
    while (bits > 0) {
        v = (v << 1) | vp8_read_bit(bd);
        bits--;
    }
    return v;
}

/* A literal of `bits` bits followed by a sign bit: the signed header fields of RFC 9.3 - 9.6. */
static inline int vp8_read_signed(Vp8BoolDecoder *bd, int bits) {
    int v = vp8_read_literal(bd, bits);
    return vp8_read_bit(bd) ? -v : v;
}

/* A flag, then if set a signed literal; 0 if the flag is clear. */
static inline int vp8_read_optional_signed(Vp8BoolDecoder *bd, int bits) {
    return vp8_read_bit(bd) ? vp8_read_signed(bd, bits) : 0;
}

/* Walk a tree (RFC 8.1): probs[i >> 1] is the probability of the node at tree index i. */
static inline int vp8_read_tree(Vp8BoolDecoder *bd, const vp8_tree_index *tree, const uint8_t *probs) {
    int i = 0;
    do {
        i = tree[i + vp8_read_bool(bd, probs[i >> 1])];
    } while (i > 0);
    return -i;
}

/* Bits consumed so far beyond the data (the frame was shorter than its entropy-coded content). */
static inline int vp8_bool_exhausted(const Vp8BoolDecoder *bd) {
    return bd->overrun * 8 > (uint32_t)(bd->count + 8);
}

#endif
