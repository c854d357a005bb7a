#include <stdlib.h>
/* Allocates two buffers and frees them on every path. */
int work(int n) {
    int rc = -1;
    char *a = malloc(n);
    if (!a) goto fail;
    char *b = malloc(n);
    if (!b) goto free_a;
    for (int i = 0; i < n; i++) {
        a[i] = (char)i;
        if (a[i] == 7) goto done;
        b[i] = a[i];
    }
    rc = 0;
done:
    free(b);
free_a:
    free(a);
fail:
    return rc;
}
