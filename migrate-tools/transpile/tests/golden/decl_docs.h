/* decl_docs.h: the API of a counter, documented where C projects document it: in the header. */
#ifndef DECL_DOCS_H
#define DECL_DOCS_H

/* decl_docs.c */
/* Add n steps to the counter; returns the new total. */
int counter_add(int n);

/* Getters and setters: a heading above a group of prototypes, so it documents none of them. */
int counter_get(void);
void counter_reset(void);

extern const int counter_limit; /* the total wraps to zero here */

/* Called with each new total. */
typedef void (*total_fn)(int total);

#endif
