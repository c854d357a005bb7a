/* A goto-heavy function for measuring `portlab transpile`'s goto translation against the C:
 * a tokenizer written as a state machine with labels (the style of hand-written lexers and of
 * zlib's inflate), run over a generated buffer. Prints a checksum so both builds can be compared.
 * Run: bench/transpiler/goto_bench.sh */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Counts identifiers, numbers and punctuation; skips blanks and comments. */
static unsigned long scan(const unsigned char *p, size_t n, unsigned long *sum) {
    const unsigned char *end = p + n;
    unsigned long tokens = 0;
    unsigned long h = 0;
next:
    if (p == end) goto done;
    if (*p == ' ' || *p == '\n') { p++; goto next; }
    if (*p == '/' && p + 1 < end && p[1] == '*') { p += 2; goto comment; }
    if ((*p >= 'a' && *p <= 'z') || *p == '_') goto ident;
    if (*p >= '0' && *p <= '9') goto number;
    h = h * 31 + *p;
    p++;
    tokens++;
    goto next;
ident:
    h = h * 33 + *p;
    p++;
    if (p < end && ((*p >= 'a' && *p <= 'z') || *p == '_' || (*p >= '0' && *p <= '9'))) goto ident;
    tokens++;
    goto next;
number:
    h = h * 37 + (*p - '0');
    p++;
    if (p < end && *p >= '0' && *p <= '9') goto number;
    tokens++;
    goto next;
comment:
    if (p + 1 >= end) goto done;
    if (p[0] == '*' && p[1] == '/') { p += 2; goto next; }
    p++;
    goto comment;
done:
    *sum += h;
    return tokens;
}

int main(void) {
    const char *words[] = {"int ", "x_1 ", "= ", "42", ";\n", "/* note */ ", "foo", "(", "7", ") "};
    size_t n = 1 << 20;
    unsigned char *buf = malloc(n);
    if (!buf) return 1;
    size_t at = 0;
    unsigned int seed = 1;
    while (at < n) {
        seed = seed * 1103515245u + 12345u;
        const char *w = words[(seed >> 16) % 10];
        size_t len = strlen(w);
        if (at + len > n) len = n - at;
        memcpy(buf + at, w, len);
        at += len;
    }
    unsigned long sum = 0, tokens = 0;
    for (int round = 0; round < 20; round++) {
        tokens += scan(buf, n, &sum);
    }
    printf("%lu %lu\n", tokens, sum);
    free(buf);
    return 0;
}
