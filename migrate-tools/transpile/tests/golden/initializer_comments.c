/* Golden: comments inside initializer lists stay beside their items. */

/* A table whose rows are labelled, as codec tables are. */
static const unsigned char probs[2][2][3] = {
    {   /* above = A */
        { 1, 2, 3 },  /* left = A */
        { 4, 5, 6 }   /* left = B */
    },
    {   /* above = B */
        /* Its own line: before the row. */
        { 7, 8, 9 },  /* left = A */
        {
            10, 11,
            12
        }             /* left = B, after a row spread over lines */
    }
};

/* A flat list filled several items to a line: a comment gets its own line. */
static const short tree[8] = {
    -0, 2,   /* leaf 0 */
    -1, 4,   /* leaf 1 */
    /* the last pair */
    -2, -3
};

int lookup(int a, int l, int k) { return probs[a][l][k] + tree[k]; }

/* Integers only: prettyplease fills lines with them; a comment ends its item's line. */
static const unsigned char filled[40] = {
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, /* twenty */
    21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
    /* the last ten */
    31, 32, 33, 34, 35, 36, 37, 38, 39, 40
};

int filled_at(int k) { return filled[k]; }

/* Members of a struct initializer keep their comments too. */
struct limits { int lo; int hi; int step; };
static const struct limits ranges[2] = {
    { 0, 10, 1 },   /* small */
    {
        -5,         /* below zero */
        5,
        /* every other */
        2
    }
};

int range_span(int k) { return ranges[k].hi - ranges[k].lo; }

/* A union's initializer at file scope keeps its comment beside the member it sets. */
union word { unsigned u; float f; };
static const union word seeds[2] = {
    { 7 },              /* the first seed */
    { .f = 0.5f /* half */ }
};

unsigned seed_bits(int k) { return seeds[k].u; }
