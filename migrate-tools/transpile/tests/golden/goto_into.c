/* A jump into the middle of another loop's body (lz4's decoder hands over from its fast loop to
 * its safe loop this way), steered by a flag per target label. */
int scan(const unsigned char *in, int n) {
    int ip = 0, sum = 0;
    while (ip < n) {
        int len = in[ip++];
        if (len > 100) goto copy;
        sum += len;
    }
    return sum;
    while (ip < n) {
        sum -= 1;
    copy:
        sum += in[ip++] * 2;
    }
    return sum;
}

/* C89-style locals in a function whose goto jumps into a loop body: `step` is used only before
 * the label the jump lands on and `last` only after it, so each is declared where it is first
 * assigned; `carry`, read after the label but assigned before it, keeps its declaration at the
 * top of the body (the jump skips the assignment: C would read it unassigned). */
int resume(const int *v, int n, int skip) {
    int i, total;
    total = 0;
    i = 0;
    if (skip)
        goto inside;
    while (i < n) {
        int step, last, carry;
        step = v[i] * 2;
        carry = step & 1;
        total += step;
    inside:
        last = v[i];
        total += last + carry;
        i++;
    }
    return total;
}
