#include "decl_docs.h"

/* How much one step adds. */
#define STEP 3 /* odd, so the totals reach every residue */

/* Fold v into [0, counter_limit). */
static int fold(int v);

/* Modes of the counter, first to last. */
enum { MODE_UP, MODE_DOWN };

static int total;
static total_fn observer;

const int counter_limit = 1000;

/* Calls the observer, if any, after adding. */
int counter_add(int n) {
    total = fold(total + n * STEP);
    if (observer)
        observer(total);
    return total;
}

int counter_get(void) { return total; }

void counter_reset(void) { total = MODE_UP; }

static int fold(int v) { return v % counter_limit; }
