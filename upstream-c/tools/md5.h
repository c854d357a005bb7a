/*
 * MD5 (RFC 1321) for the vp8dec CLI's md5 and framemd5 muxers and --verify.
 *
 * Why not a library: the usual advice is to use a well-kept implementation (OpenSSL's, say), and
 * the Rust side does (the md-5 crate). The C stage, though, must stay self-contained and
 * transpilable: every C file it builds is input to Portlab's C-to-Rust transpiler, and a dependency
 * on OpenSSL would make the CLI unbuildable on a machine without its headers and untranslatable.
 * MD5 is small and fully specified by RFC 1321, and it is tested against the md-5 crate and
 * RFC 1321's own test suite (upstream-c/tests/c/md5_test.c, run by `make check` and `cargo test`).
 * It is used for checksums of decoded pictures only, never for security.
 */
#ifndef VP8DEC_MD5_H
#define VP8DEC_MD5_H

#include <stddef.h>
#include <stdint.h>

typedef struct Md5 {
    uint32_t state[4];   /* A, B, C, D */
    uint64_t length;     /* message length in bytes so far */
    uint8_t block[64];   /* a partial 64-byte block */
    size_t block_len;    /* bytes used in block */
} Md5;

void md5_init(Md5 *ctx);
void md5_update(Md5 *ctx, const uint8_t *data, size_t len);
/* Pad, finish and write the 16-byte digest. ctx must be md5_init()ed again before reuse. */
void md5_final(Md5 *ctx, uint8_t digest[16]);
/* Write the digest as 32 lower-case hex digits and a terminating NUL (33 bytes). */
void md5_hex(const uint8_t digest[16], char hex[33]);

#endif
