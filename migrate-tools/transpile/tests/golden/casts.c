/* Fewer `as` round trips: casts of casts and compound assignments computed in clang's wider
 * type, written in the narrower one when the value is provably the same (x86_64 LP64). */
#include <stdint.h>
#include <string.h>

uint64_t casts(uint8_t *row, int width, int height, uint64_t value, uint64_t big, uint8_t c,
               int8_t s, short h, int n) {
    memset(row, row[0], 4);                      /* (row[0] as i32) as u8: row[0] */
    uint64_t area = (uint64_t)width * (uint64_t)height;
    value -= big;                                /* computed as unsigned long (u64) */
    value |= (uint64_t)c << 8;
    c += 200;                                    /* int arithmetic cut to 8 bits */
    c -= n;
    s *= n;
    h ^= n;
    h &= 0x7f;
    c /= 3;                                      /* division is not modular: kept in int */
    h >>= 1;                                     /* nor is a shift */
    long wide = (long)(int)c;                    /* int holds every u8: one cast */
    int8_t narrow = (int8_t)(int16_t)n;          /* int16_t has 8 bits or more: one cast */
    int32_t sign = (int32_t)(uint32_t)s;         /* 32 bits either way: one cast */
    int64_t two = (int64_t)(uint32_t)s;          /* uint32_t holds no -1, int64_t is wider: two */
    return area + value + c + (uint64_t)s + (uint64_t)h + (uint64_t)wide + (uint64_t)narrow
        + (uint64_t)sign + (uint64_t)two;
}

uint64_t sum64(uint64_t a, uint64_t b, unsigned w) {
    uint64_t s = (a + b) * a;                    /* clang's type is unsigned long: u64 kept */
    return s + (uint64_t)w * (uint64_t)w;        /* operands that are casts: u64 */
}

int compare(uint8_t a, uint8_t b, int8_t s, uint16_t u) {
    int r = 0;
    if (a > b) r += 1;                           /* both promoted from u8: a > b */
    if (a != 0x9d) r += 2;                       /* a literal that fits u8 */
    if (s < -100) r += 4;                        /* ... or i8 */
    if (s < a) r += 8;                           /* i8 and u8: the promotions stay */
    if (u < 70000) r += 16;                      /* 70000 is no u16: stays */
    return r;
}
