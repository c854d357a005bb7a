/* Comments inside a statement's text (expressions, controlling expressions, macro arguments):
 * each goes on a line before the statement of the block that holds it. */

#define ADD(a, b) ((a) + (b))

static int add3(int a, int b, int c) { return a + b + c; }

int in_expressions(int n, int flag) {
    int k = 3 /* in an initializer */ + n;
    int m;
    int i;
    int t[3] = { 1, /* an item's comment stays beside it */ 2, 3 };
    const char *s = "/* a string, no comment */";
    m = /* moves with the declaration to its first assignment */ n * 2;
    if (flag /* why the flag */ && n > 0) {
        k += ADD(m, /* in a macro's arguments */ t[1]);
    } else if (n < /* in the second condition */ -1) {
        k -= 1;
    }
    for (i = 0 /* from zero */; i < n; i++ /* one by one */) {
        k = add3(k, /* beside its argument */ i, 1 + /* inside an argument */ 0);
    }
    while (n-- /* count down */ > 0)
        k ^= n; /* after the statement: before it, as always */
    do {
        k++;
    } while (k < /* at the end of a do */ 10);
    k = flag ? /* chosen */ k : m;
    k = k /* outside the conditional region: kept */
#ifdef NOT_DEFINED /* on its directive's line: dropped with the region */
        /* in a conditional region inside the statement: dropped */
        + 1
#endif
        ;
    return k + s[0] + /* in the return */ t[2];
}
