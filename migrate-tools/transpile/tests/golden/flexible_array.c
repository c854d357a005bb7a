/* A flexible array member: the last member of a struct, its elements past the struct's end. */
#include <stdlib.h>

struct buf {
    int n;
    /* The elements, n of them. */
    short data[];
};

struct buf *make(int n) {
    struct buf *b = malloc(sizeof(struct buf) + (size_t)n * sizeof(short));
    b->n = n;
    for (int i = 0; i < n; i++)
        b->data[i] = (short)i;
    return b;
}

int last(const struct buf *b) {
    const short *p = b->data;
    return p[b->n - 1];
}
