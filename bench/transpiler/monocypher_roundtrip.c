/* Monocypher (ChaCha20, XChaCha20-Poly1305, BLAKE2b, X25519) on 200 kB of generated text, for
 * bench/transpiler/generality.sh: the C build and its transpiled Rust must print the same. */
#include <stdio.h>
#include <string.h>
#include "monocypher.h"

static unsigned long fnv(const uint8_t *p, size_t n) {
    unsigned long h = 1469598103934665603ul;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ul;
    return h;
}

static void hex(const char *what, const uint8_t *p, size_t n) {
    printf("%s ", what);
    for (size_t i = 0; i < n; i++) printf("%02x", p[i]);
    printf("\n");
}

int main(void) {
    static uint8_t text[200000], packed[200000], back[200000];
    unsigned seed = 7;
    for (size_t i = 0; i < sizeof text; i++) {
        seed = seed * 1103515245u + 12345u;
        text[i] = (uint8_t)"pack my box with five dozen liquor jugs\n"[(seed >> 16) % 40];
    }
    uint8_t key[32], nonce[24], mac[16], hash[64];
    crypto_blake2b(hash, 64, text, sizeof text);
    hex("blake2b", hash, 64);
    memcpy(key, hash, 32);
    memcpy(nonce, hash + 32, 24);

    /* The raw stream cipher, in one call and in pieces of whole 64-byte blocks with the block counter. */
    uint64_t ctr = crypto_chacha20_djb(packed, text, sizeof text, key, nonce, 0);
    printf("chacha20 ctr %llu fnv %016lx\n", (unsigned long long)ctr, fnv(packed, sizeof packed));
    uint64_t c = 0;
    for (size_t at = 0; at < sizeof text; at += 8000) /* 25 pieces of 125 blocks */
        c = crypto_chacha20_djb(back + at, packed + at, 8000, key, nonce, c);
    printf("chacha20 back ctr %llu same %d\n", (unsigned long long)c, memcmp(back, text, sizeof text) == 0);

    /* Authenticated encryption; a flipped byte must be refused. */
    crypto_aead_lock(packed, mac, key, nonce, hash, 16, text, sizeof text);
    hex("aead mac", mac, 16);
    printf("aead fnv %016lx\n", fnv(packed, sizeof packed));
    int ok = crypto_aead_unlock(back, mac, key, nonce, hash, 16, packed, sizeof packed);
    printf("unlock %d same %d\n", ok, memcmp(back, text, sizeof text) == 0);
    packed[1234] ^= 1;
    printf("tampered unlock %d\n", crypto_aead_unlock(back, mac, key, nonce, hash, 16, packed, sizeof packed));

    /* X25519 key exchange between two keys derived from the hash. */
    uint8_t sa[32], sb[32], pa[32], pb[32], ka[32], kb[32];
    crypto_blake2b(sa, 32, hash, 32);
    crypto_blake2b(sb, 32, hash + 32, 32);
    crypto_x25519_public_key(pa, sa);
    crypto_x25519_public_key(pb, sb);
    crypto_x25519(ka, sa, pb);
    crypto_x25519(kb, sb, pa);
    hex("x25519 shared", ka, 32);
    printf("shared equal %d\n", memcmp(ka, kb, 32) == 0);
    return 0;
}
