/* Golden: C11 anonymous members and struct definitions nested in structs. */

/* A tagged value: the anonymous union's members are reached as `v->i`. */
struct value {
    int kind;
    union { int i; float f; };
    struct { short lo, hi; };
};
/* `struct point` has file scope in C although it is defined inside `struct segment`. */
struct segment {
    struct point { int x, y; } from, to;
};
int value_int(const struct value *v) { return v->kind == 0 ? v->i : (int)v->f + v->lo; }
int segment_dx(struct segment s) { struct point p = s.to; return p.x - s.from.x; }

/* An untagged enum typing a member is `shape_kind`; an untagged struct at file scope is named
   after its variable, `origin_t`. */
struct shape { enum { CIRCLE, SQUARE } kind; int size; };
struct { int x, y; } origin = { 0, 0 };
int area(const struct shape *s) { return s->kind == SQUARE ? s->size * s->size : 3 * s->size * s->size + origin.x; }
