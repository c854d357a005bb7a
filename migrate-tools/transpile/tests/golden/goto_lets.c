/* Locals of functions with gotos: declared where C declares them, or at their first
   assignment, in the labelled block that holds every use; hoisted in front of the labelled
   blocks only when a use follows a label the declaration does not reach. */

/* `total` moves to its first assignment and `folded` stays where it is declared, both inside
   `'done`; `code`, first assigned in a nested block, keeps its C declaration. */
int checksum(const unsigned char *s, int n) {
    int total;
    int code;
    if (n <= 0) {
        code = -1;
        goto done;
    }
    total = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] == 0)
            goto done_zero;
        total = total * 31 + s[i];
    }
    int folded = total ^ (total >> 16);
    code = folded & 0x7fff;
    goto done;
done_zero:
    code = 0;
done:
    return code;
}

/* `limit` is read after `out:`, which a jump reaches past its initialization: hoisted. */
int scan(const char *s) {
    int n = 0;
    if (!s)
        goto out;
    int limit = 100;
    while (n < limit && s[n])
        n++;
    if (n == limit)
        goto out;
    limit = n;
out:
    return s ? limit : n;
}

/* `x`'s address is used after `out:`: hoisted, so that its storage lasts as long as C's
   object (inside `'out` it would end with the block). */
int through_pointer(int c) {
    int *p = 0;
    if (c)
        goto out;
    int x = c + 5;
    p = &x;
out:
    return p ? *p : -1;
}
