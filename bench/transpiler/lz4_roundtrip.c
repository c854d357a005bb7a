/* Round trips through LZ4 (lz4.c: the one-shot compressor at two accelerations, the streaming
 * compressor with a dictionary, the safe and partial decoders) of 300 kB of generated text, for
 * bench/transpiler/generality.sh: the C build and its transpiled Rust must print the same. */
#include <stdio.h>
#include <string.h>
#include "lz4.h"

static unsigned long fnv(const char *p, int n) {
    unsigned long h = 1469598103934665603ul;
    for (int i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ul;
    return h;
}

int main(void) {
    static char src[300000], packed[LZ4_COMPRESSBOUND(300000)], out[300000];
    static const char *words[] = {"lorem ", "ipsum ", "dolor ", "sit ", "amet\n", "zz", "  "};
    unsigned int seed = 11;
    int n = 0;
    while (n < (int)sizeof src - 8) {
        seed = seed * 1103515245u + 12345u;
        const char *w = words[(seed >> 16) % 7];
        size_t len = strlen(w);
        memcpy(src + n, w, len);
        n += (int)len;
        if ((seed >> 8) % 5 == 0) src[n++] = (char)(seed >> 24); /* a few random bytes */
    }
    int total = 0;
    for (int accel = 1; accel <= 8; accel *= 8) {
        int plen = LZ4_compress_fast(src, packed, n, (int)sizeof packed, accel);
        int olen = LZ4_decompress_safe(packed, out, plen, (int)sizeof out);
        printf("accel %d: %d -> %d -> %d, same %d, fnv %016lx\n", accel, n, plen, olen,
               olen == n && memcmp(src, out, (size_t)n) == 0, fnv(packed, plen));
        int part = LZ4_decompress_safe_partial(packed, out, plen, 1000, (int)sizeof out);
        printf("partial: %d, same %d\n", part, memcmp(src, out, (size_t)part) == 0);
        total += plen;
    }
    /* Blocks of 16 kB compressed one after the other against the previous ones. */
    LZ4_stream_t *stream = LZ4_createStream();
    LZ4_loadDict(stream, words[0], 6);
    int pos = 0, ppos = 0;
    while (pos < n) {
        int len = n - pos < 16384 ? n - pos : 16384;
        int plen = LZ4_compress_fast_continue(stream, src + pos, packed + ppos + 4, len,
                                              (int)sizeof packed - ppos - 4, 1);
        memcpy(packed + ppos, &plen, 4);
        ppos += 4 + plen;
        pos += len;
    }
    LZ4_freeStream(stream);
    LZ4_streamDecode_t *dec = LZ4_createStreamDecode();
    LZ4_setStreamDecode(dec, words[0], 6);
    int opos = 0, ip = 0;
    while (ip < ppos) {
        int plen;
        memcpy(&plen, packed + ip, 4);
        int got = LZ4_decompress_safe_continue(dec, packed + ip + 4, out + opos, plen, (int)sizeof out - opos);
        if (got < 0) return 1;
        ip += 4 + plen;
        opos += got;
    }
    LZ4_freeStreamDecode(dec);
    printf("stream: %d -> %d -> %d, same %d, fnv %016lx, total %d\n", n, ppos, opos,
           opos == n && memcmp(src, out, (size_t)n) == 0, fnv(packed, ppos), total);
    return 0;
}
