/* outside_comments.c: the comments written outside function bodies, each kept where it
 * reads well in Rust, or dropped with what it describes. */
#define _DEFAULT_SOURCE
#include <stdlib.h> /* random: a directive's comment, dropped with the directive */

/* ---- Counters ---- */

/* How many calls so far. */
static int calls;
static int limit = 10; /* the most calls: clang's doc of `limit` */

/* Each step counts double: a #define's comment is its doc, not repeated. */
#define STEP 2

/* The project's prototype of a C library function: no item, so its comment documents the
 * declaration the crate root makes from it. */
long random(void);

/* A multi-line macro's comments go with it. */
#define SQUARE(x) \
    ((x) * (x)) /* in its body */

/* Forward declarations, a heading over prototypes: the group is not emitted. */
static int twice(int v);
static int pick(void);
/* Documented below its prototype, as zlib.h does: dropped with the prototype, not taken for
   the heading of what follows. */

/* Sums two values. */
int add(int a, /* the first */ int b /* the second */) /* never overflows here */ {
    calls++;
    return a + b;
} /* end of add */

int scale(int value, // the value to scale
          int factor) // a small factor
{
    return SQUARE(value) * factor * STEP;
}

/* ---- Helpers ---- */

/* A heading followed by a blank line and a definition's own comment: both kept. */

/* Twice v. */
static int twice(int v) { return add(v, v); } // one line

static int pick(void) { return (int)(random() % limit); }

/* A type declared in a body is an item after the function's: the comment after the `}` is
 * still the function's. */
int area(int w, int h) {
    struct box { int w, h; } b = { w, h };
    return b.w * b.h;
} /* end of area */

/* Comments inside a parameter's own text go before the parameter. */
static int first_of(const int * /* never null */ v, int /* ignored */ n, int w[/* at least */ 2]) {
    return v[0] + w[1] + 0 * n;
}

int run(void) {
    int w[2] = { 1, 2 };
    return twice(pick()) + scale(calls, 3) + area(2, 3) + first_of(w, 2, w);
}
/* The end of the file:
   a comment after the last definition. */
