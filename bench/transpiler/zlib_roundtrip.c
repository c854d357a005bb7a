/* Round trip through zlib (compress2 at level 9, then uncompress) of 200 kB of generated text,
 * for bench/transpiler/generality.sh: the C build and its transpiled Rust must print the same. */
#include <stdio.h>
#include <string.h>
#include "zlib.h"
int main(void) {
    static unsigned char src[200000], packed[220000], out[200000];
    unsigned int seed = 7;
    for (unsigned long i = 0; i < sizeof src; i++) {
        seed = seed * 1103515245u + 12345u;
        src[i] = (unsigned char)("abcdefgh  \n"[(seed >> 16) % 11]);
    }
    uLongf plen = sizeof packed, olen = sizeof out;
    if (compress2(packed, &plen, src, sizeof src, 9) != Z_OK) return 1;
    if (uncompress(out, &olen, packed, plen) != Z_OK) return 2;
    printf("%lu %lu %d %lu\n", (unsigned long)plen, (unsigned long)olen, memcmp(src, out, olen), crc32(0, packed, plen));
    return 0;
}
