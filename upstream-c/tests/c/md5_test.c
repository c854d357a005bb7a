/*
 * Unit test of tools/md5.c.
 *
 *   md5_test               run RFC 1321's test suite (appendix A.5) and a split-update check;
 *                          exit 0 if all pass.
 *   md5_test FILE...       print "<md5>  <FILE>" per file, like md5sum, so a test can compare
 *                          with md5sum or another implementation ("-" reads stdin).
 *
 * Built by `make md5test`, run by `make check` and by upstream-c/tests/cli.rs.
 */
#include <stdio.h>
#include <string.h>

#include "md5.h"

static void hex_of(const uint8_t *data, size_t len, char hex[33]) {
    Md5 ctx;
    uint8_t digest[16];
    md5_init(&ctx);
    md5_update(&ctx, data, len);
    md5_final(&ctx, digest);
    md5_hex(digest, hex);
}

static int run_suite(void) {
    static const char *const inputs[7] = {
        "",
        "a",
        "abc",
        "message digest",
        "abcdefghijklmnopqrstuvwxyz",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
    };
    static const char *const expected[7] = {
        "d41d8cd98f00b204e9800998ecf8427e", "0cc175b9c0f1b6a831c399e269772661",
        "900150983cd24fb0d6963f7d28e17f72", "f96b697d7cb7938d525a2f31aaf161d0",
        "c3fcd3d76192e4007dfb496cca67e13b", "d174ab98d277d9f5a5611c2c9f419d9f",
        "57edf4a22be3c955ac49da2e2107b67a",
    };
    int failures = 0;
    for (int i = 0; i < 7; i++) {
        char hex[33];
        hex_of((const uint8_t *)inputs[i], strlen(inputs[i]), hex);
        if (strcmp(hex, expected[i]) != 0) {
            fprintf(stderr, "md5(\"%s\") = %s, expected %s\n", inputs[i], hex, expected[i]);
            failures++;
        }
    }
    /* The same 1000 bytes fed whole and in pieces of every size 1..130 must agree. */
    uint8_t buf[1000];
    for (size_t i = 0; i < sizeof(buf); i++) {
        buf[i] = (uint8_t)(i * 7u + (i >> 3));
    }
    char whole[33];
    hex_of(buf, sizeof(buf), whole);
    for (size_t piece = 1; piece <= 130; piece++) {
        Md5 ctx;
        uint8_t digest[16];
        char hex[33];
        md5_init(&ctx);
        for (size_t off = 0; off < sizeof(buf); off += piece) {
            size_t n = sizeof(buf) - off < piece ? sizeof(buf) - off : piece;
            md5_update(&ctx, buf + off, n);
        }
        md5_final(&ctx, digest);
        md5_hex(digest, hex);
        if (strcmp(hex, whole) != 0) {
            fprintf(stderr, "md5 of 1000 bytes in pieces of %zu = %s, whole = %s\n", piece, hex, whole);
            failures++;
        }
    }
    if (failures == 0) {
        printf("md5_test: RFC 1321 suite and split updates: all passed\n");
        return 0;
    }
    return 1;
}

static int hash_file(const char *path) {
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return 1;
    }
    Md5 ctx;
    uint8_t buf[65536];
    uint8_t digest[16];
    char hex[33];
    size_t n;
    md5_init(&ctx);
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        md5_update(&ctx, buf, n);
    }
    int err = ferror(f);
    if (f != stdin) {
        fclose(f);
    }
    if (err) {
        fprintf(stderr, "%s: read error\n", path);
        return 1;
    }
    md5_final(&ctx, digest);
    md5_hex(digest, hex);
    printf("%s  %s\n", hex, path);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        return run_suite();
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        status |= hash_file(argv[i]);
    }
    return status;
}
