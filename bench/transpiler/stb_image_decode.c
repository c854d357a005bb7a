/* Decodes images written here in memory with stb_image (stb_image.c, STBI_NO_STDIO): PNGs of
 * several colour types, bit depths and all five row filters, their zlib streams stored or coded
 * with the fixed Huffman codes, a BMP, a TGA and a PGM, plus a truncated file (each decoded 30
 * times); prints sizes and checksums of the pixels, for bench/transpiler/generality.sh: the C
 * build and its transpiled Rust must print the same. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#define STB_IMAGE_IMPLEMENTATION
#define STBI_NO_STDIO
#define STBI_NO_SIMD
#include "stb_image.c"

static unsigned char buf[1 << 20];
static size_t len;
static unsigned int seed = 5;

static unsigned int rnd(void) {
    seed = seed * 1103515245u + 12345u;
    return seed >> 16;
}
static void put8(unsigned v) { buf[len++] = (unsigned char)v; }
static void put32be(unsigned v) { put8(v >> 24); put8(v >> 16); put8(v >> 8); put8(v); }
static void put16le(unsigned v) { put8(v); put8(v >> 8); }
static void put32le(unsigned v) { put16le(v); put16le(v >> 16); }

static unsigned crc_of(const unsigned char *p, size_t n) {
    unsigned c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return ~c;
}

/* A PNG chunk: length, type, data, CRC of type and data. */
static void chunk(const char *type, const unsigned char *data, size_t n) {
    put32be((unsigned)n);
    size_t start = len;
    for (int i = 0; i < 4; i++) put8((unsigned char)type[i]);
    memcpy(buf + len, data, n);
    len += n;
    put32be(crc_of(buf + start, n + 4));
}

/* zlib stream writer: fixed-Huffman literals and runs (distance 1), or stored blocks. */
static unsigned char z[1 << 19];
static size_t zlen;
static unsigned bitbuf, bitcnt;
static void bits(unsigned v, unsigned n) {
    bitbuf |= v << bitcnt;
    bitcnt += n;
    while (bitcnt >= 8) { z[zlen++] = (unsigned char)bitbuf; bitbuf >>= 8; bitcnt -= 8; }
}
static void huff(unsigned code, unsigned n) { /* Huffman codes go most significant bit first */
    while (n--) bits((code >> n) & 1, 1);
}
static void lit(unsigned v) {
    if (v < 144) huff(0x30 + v, 8);
    else if (v < 256) huff(0x190 + v - 144, 9);
    else huff(v - 256, 7);
}
static void zlib(const unsigned char *raw, size_t n, int stored) {
    unsigned a = 1, b = 0;
    for (size_t i = 0; i < n; i++) { a = (a + raw[i]) % 65521; b = (b + a) % 65521; }
    zlen = 0; bitbuf = bitcnt = 0;
    z[zlen++] = 0x78; z[zlen++] = 0x01;
    if (stored) {
        for (size_t off = 0; off == 0 || off < n; off += 1000) {
            size_t m = n - off < 1000 ? n - off : 1000;
            z[zlen++] = off + m >= n;
            z[zlen++] = (unsigned char)m; z[zlen++] = (unsigned char)(m >> 8);
            z[zlen++] = (unsigned char)~m; z[zlen++] = (unsigned char)(~m >> 8);
            memcpy(z + zlen, raw + off, m);
            zlen += m;
        }
    } else {
        bits(1, 1); bits(1, 2);
        for (size_t i = 0; i < n;) {
            size_t run = 0;
            while (i > 0 && i + run < n && run < 10 && raw[i + run] == raw[i - 1]) run++;
            if (run >= 3) { lit(257 + (unsigned)run - 3); huff(0, 5); i += run; }
            else lit(raw[i++]);
        }
        lit(256);
        if (bitcnt) bits(0, 8 - bitcnt);
    }
    z[zlen++] = (unsigned char)(b >> 8); z[zlen++] = (unsigned char)b;
    z[zlen++] = (unsigned char)(a >> 8); z[zlen++] = (unsigned char)a;
}

static int paeth(int a, int b, int c) {
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* A PNG of w x h with `bpp` bytes per pixel (or a sub-byte depth), rows filtered in turn with
 * each of the five filters. */
static void png(int w, int h, int depth, int ctype, int channels, int stored, int palette) {
    static unsigned char raw[1 << 19], img[1 << 18];
    size_t stride = ((size_t)w * channels * depth + 7) / 8;
    int bpp = (channels * depth + 7) / 8;
    for (size_t i = 0; i < stride * h; i++) img[i] = (unsigned char)((rnd() & 3) ? i * 7 / (stride + 1) : rnd());
    size_t r = 0;
    for (int y = 0; y < h; y++) {
        int f = y % 5;
        const unsigned char *cur = img + y * stride, *up = y ? cur - stride : NULL;
        raw[r++] = (unsigned char)f;
        for (size_t x = 0; x < stride; x++) {
            int a = x >= (size_t)bpp ? cur[x - bpp] : 0, b = up ? up[x] : 0;
            int c = up && x >= (size_t)bpp ? up[x - bpp] : 0, p = 0;
            switch (f) {
            case 1: p = a; break;
            case 2: p = b; break;
            case 3: p = (a + b) / 2; break;
            case 4: p = paeth(a, b, c); break;
            }
            raw[r++] = (unsigned char)(cur[x] - p);
        }
    }
    len = 0;
    static const unsigned char sig[8] = {137, 80, 78, 71, 13, 10, 26, 10};
    memcpy(buf, sig, 8);
    len = 8;
    unsigned char ihdr[13] = {0, 0, w >> 8, w & 255, 0, 0, h >> 8, h & 255,
                              (unsigned char)depth, (unsigned char)ctype, 0, 0, 0};
    chunk("IHDR", ihdr, 13);
    if (palette) {
        unsigned char pal[3 * 16], trns[16];
        for (int i = 0; i < 16; i++) {
            pal[3 * i] = (unsigned char)(i * 16);
            pal[3 * i + 1] = (unsigned char)(255 - i * 9);
            pal[3 * i + 2] = (unsigned char)(i * i);
            trns[i] = (unsigned char)(255 - i);
        }
        chunk("PLTE", pal, sizeof pal);
        chunk("tRNS", trns, sizeof trns);
    }
    zlib(raw, r, stored);
    chunk("IDAT", z, zlen);
    chunk("IEND", NULL, 0);
}

static unsigned long fnv(const unsigned char *p, size_t n) {
    unsigned long h = 1469598103934665603ul;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ul;
    return h;
}

static void decode(const char *what, int req) {
    int w = 0, h = 0, comp = 0, iw = 0, ih = 0, ic = 0;
    int info = stbi_info_from_memory(buf, (int)len, &iw, &ih, &ic);
    /* Decoded 30 times, so that decoding, not writing the image here, dominates the count. */
    unsigned char *px = NULL;
    for (int rep = 0; rep < 30; rep++) {
        stbi_image_free(px);
        px = stbi_load_from_memory(buf, (int)len, &w, &h, &comp, req);
    }
    if (!px) {
        printf("%s: info %d, error: %s\n", what, info, stbi_failure_reason());
        return;
    }
    int n = req ? req : comp;
    printf("%s: info %d %dx%dx%d, %dx%dx%d (as %d), fnv %016lx\n", what, info, iw, ih, ic, w, h,
           comp, n, fnv(px, (size_t)w * h * n));
    stbi_image_free(px);
}

int main(void) {
    png(61, 37, 8, 2, 3, 0, 0);
    decode("png rgb8 huffman", 0);
    decode("png rgb8 huffman as grey", 1);
    png(61, 37, 8, 2, 3, 1, 0);
    decode("png rgb8 stored as rgba", 4);
    png(40, 33, 8, 6, 4, 0, 0);
    decode("png rgba8", 0);
    png(29, 17, 4, 3, 1, 0, 1);
    decode("png palette4 + tRNS", 0);
    png(23, 19, 1, 0, 1, 0, 0);
    decode("png grey1", 0);
    png(31, 21, 16, 4, 2, 0, 0);
    decode("png grey+alpha16", 0);
    {
        int w, h, c;
        unsigned short *px16 = stbi_load_16_from_memory(buf, (int)len, &w, &h, &c, 0);
        unsigned long s = 0;
        for (int i = 0; i < w * h * c; i++) s = s * 31 + px16[i];
        printf("png grey+alpha16 as 16 bits: %dx%dx%d sum %lu\n", w, h, c, s);
        stbi_image_free(px16);
    }
    len -= 20;
    decode("truncated png", 0);

    /* BMP: 24 bits, bottom-up rows padded to 4 bytes. */
    int w = 45, h = 27, stride = (w * 3 + 3) & ~3;
    len = 0;
    put8('B'); put8('M'); put32le(54 + stride * h); put32le(0); put32le(54);
    put32le(40); put32le(w); put32le(h); put16le(1); put16le(24); put32le(0);
    put32le(stride * h); put32le(2835); put32le(2835); put32le(0); put32le(0);
    for (int i = 0; i < stride * h; i++) put8(rnd() & 0xf0);
    decode("bmp 24", 0);

    /* TGA: true colour, run-length coded. */
    len = 0;
    put8(0); put8(0); put8(10); put16le(0); put16le(0); put8(0);
    put16le(0); put16le(0); put16le(w); put16le(h); put8(24); put8(0);
    for (int px = 0; px < w * h;) {
        int n = 1 + (int)(rnd() % 20);
        if (n > w * h - px) n = w * h - px;
        if (rnd() & 1) { put8(0x80 | (n - 1)); put8(rnd()); put8(rnd()); put8(rnd()); }
        else { put8(n - 1); for (int i = 0; i < 3 * n; i++) put8(rnd()); }
        px += n;
    }
    decode("tga rle 24", 0);

    /* PGM (binary). */
    len = (size_t)sprintf((char *)buf, "P5\n# generated\n%d %d\n255\n", w, h);
    for (int i = 0; i < w * h; i++) put8(rnd());
    decode("pgm", 3);
    return 0;
}
