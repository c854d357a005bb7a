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
