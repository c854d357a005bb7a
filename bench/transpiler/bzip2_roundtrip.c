/* Round trip through bzip2 (BZ2_bzBuffToBuffCompress at block size 9, then
 * BZ2_bzBuffToBuffDecompress) of 300 kB of generated text, for bench/transpiler/generality.sh:
 * the C build and its transpiled Rust must print the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bzlib.h"
/* Built with BZ_NO_STDIO, as bzip2-sys builds it: the library then calls this on a bug. */
void bz_internal_error(int errcode) {
    printf("bzip2 internal error %d\n", errcode);
    exit(3);
}

int main(void) {
    static char src[300000], packed[320000], out[300000];
    unsigned int seed = 3;
    for (unsigned i = 0; i < sizeof src; i++) {
        seed = seed * 1103515245u + 12345u;
        src[i] = "the quick brown fox \n"[(seed >> 16) % 21];
    }
    unsigned plen = sizeof packed, olen = sizeof out;
    if (BZ2_bzBuffToBuffCompress(packed, &plen, src, sizeof src, 9, 0, 30) != BZ_OK) return 1;
    if (BZ2_bzBuffToBuffDecompress(out, &olen, packed, plen, 0, 0) != BZ_OK) return 2;
    unsigned long h = 1469598103934665603ul;
    for (unsigned i = 0; i < plen; i++) h = (h ^ (unsigned char)packed[i]) * 1099511628211ul;
    printf("%u %u %d %016lx\n", plen, olen, memcmp(src, out, olen), h);
    return 0;
}
