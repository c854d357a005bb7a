/* Switches with fallthrough: nested labelled blocks, the switch's own label only when a break
 * leaves it. */

/* Every case returns: nothing breaks out of the switch. */
int bits(int n) {
    switch (n) {
    case 8:
        return 1;
    case 16:
        n++;
        /* fallthrough */
    case 24:
        return n / 8;
    default:
        return 0;
    }
}

/* A break in the middle of a case leaves the switch. */
int bump(int n, int k) {
    switch (n) {
    case 1:
        k += 1;
        if (k > 5)
            break;
        /* fallthrough */
    case 2:
        k *= 2;
        break;
    default:
        k = 0;
    }
    return k;
}
