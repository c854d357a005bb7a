#include <math.h>
typedef struct { int x; int y; } point;
struct __attribute__((packed)) header { unsigned char tag; unsigned int size; };
/* Length of p, rounded down; see L[3] <notes>. */
int length(point p) { return (int)sqrt((double)(p.x * p.x + p.y * p.y)); }
unsigned int header_size(const struct header *h) { return h->size; }
