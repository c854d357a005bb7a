/* Bit-fields: byte storage with getter and setter methods, laid out as gcc and clang do. */

#include <stdlib.h>

/* A frame's header. */
struct header {
    unsigned version : 3; /* read as an unsigned int */
    int delta : 5;        /* sign-extended */
    unsigned : 0;         /* the next field starts at an int boundary */
    unsigned char kind;
    _Bool keyframe : 1;
};

static const struct header first = { 2, -1, 7, 1 };

int bump(struct header *h) {
    h->version++;
    h->delta -= 3;
    int old = h->delta--;
    return old + (h->version = 9) + first.kind + h->keyframe;
}

/* In a union, each bit-field is the low bits of the union's first bytes. */
union word {
    unsigned low : 4;
    unsigned char byte;
};

int low_of(union word w) {
    return w.low;
}

/* A setter writes the bytes wholly its field's without reading them (`tag`, `seq`'s first
   byte) and keeps the other bits of the bytes it shares (`seq`'s last byte, `flag`). */
struct ids {
    unsigned char tag : 8;
    unsigned seq : 12;
    unsigned flag : 4;
};

/* `malloc` converted to a record with bit-fields allocates zeroed bytes (`calloc`): a setter
   reads the bytes it shares, which C leaves uninitialized. */
struct ids *new_ids(unsigned seq) {
    struct ids *p = malloc(sizeof *p);
    if (p) {
        p->seq = seq;
        p->flag = 1;
    }
    return p;
}

/* An allocator wrapper: its `malloc` stays `void *`, so the record it becomes is out of sight;
   in a program with bit-fields it allocates zeroed bytes too. A buffer converted at once to
   another type keeps `malloc`. */
static void *xmalloc(size_t n) {
    void *p = malloc(n);
    return p ? p : malloc(1);
}

struct ids *wrapped_ids(unsigned seq, char **name) {
    struct ids *p = xmalloc(sizeof *p);
    p->flag = 2;
    p->seq = seq;
    *name = malloc(16);
    return p;
}

/* Packed: each bit-field at the next free bit (`len` crosses bytes 1-2 and `delta` a 4-byte
   boundary), the record aligned to one byte. */
struct __attribute__((packed)) wire {
    unsigned char tag;
    unsigned len : 12;
    unsigned pad : 14;
    int delta : 7;
};

/* An unnamed bit-field gives a union its bytes, not its type's alignment. */
union slot {
    char c;
    int : 20;
};

int wire_len(struct wire *w, union slot *s) {
    w->delta = -2;
    return w->len + w->delta + s->c;
}
