/* C's `long` is the libc crate's `c_long`, `i64` (x86_64 LP64), and `unsigned long` its `c_ulong`,
 * `u64`; `size_t` and `ptrdiff_t` stay `usize` and `isize`, as the libc crate spells them. */
#include <stddef.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

long deadline(const struct timespec *ts, long delay, int extra) {
    long s = ts->tv_sec + delay;                 /* a time_t member (libc: i64) plus a long */
    long ns = ts->tv_nsec * 2 + extra;           /* a `long` member: no cast */
    return s * 1000000000 + ns;
}

long cpus(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);      /* libc's c_long: no cast */
    return n > 0 ? n : 1;
}

unsigned long parse(const char *s, char **end) {
    return strtoul(s, end, 10);                  /* c_ulong: u64 */
}

const unsigned char *row(const unsigned char *p, ptrdiff_t stride, int y) {
    return p + stride * y;                       /* clang's `long`, computed in ptrdiff_t's isize */
}

size_t area(size_t w, size_t h, int pad, long lw) {
    size_t n = w * h + pad;                      /* clang's `unsigned long`, computed in usize */
    if (pad < n)                                 /* compared in usize too */
        n += (size_t)lw;
    return n;
}

size_t words(int w, ptrdiff_t *back) {
    *back = -(long)w * 4;                        /* i64 casts and literals wanted as isize */
    return w * 4UL;                              /* u64 ones wanted as size_t: usize, no cast */
}
