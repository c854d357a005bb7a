/* Static assertions as anonymous enums, a union and a typedef declared inside a function,
 * __func__, and a file-scope thread-local object. */
#include <string.h>
#define STATIC_ASSERT(c) { enum { static_assert_ok = 1 / (int)(!!(c)) }; }

static _Thread_local int calls;

int little_endian(void) {
    STATIC_ASSERT(sizeof(int) == 4);
    const union { unsigned u; unsigned char c[4]; } one = { 1 };
    typedef struct { char tag; int value; } pair;
    pair p = { 'x', one.c[0] };
    calls++;
    return p.value + (int)strlen(__func__);
}
