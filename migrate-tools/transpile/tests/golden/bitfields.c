/* Bit-fields: byte storage with getter and setter methods, laid out as gcc and clang do. */

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
