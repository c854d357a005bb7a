/* A worker pool's progress counter: C11 atomics become core::sync::atomic, pthreads go through
 * libc, and pthread_create is declared from its C prototype (its callback is an unsafe fn). */
#include <pthread.h>
#include <stdatomic.h>

typedef struct Progress {
    pthread_mutex_t lock;
    pthread_cond_t moved;
    atomic_int rows_done;
} Progress;

/* Publish one more finished row; wake whoever waits for it. */
static void *finish_row(void *arg) {
    Progress *p = arg;
    pthread_mutex_lock(&p->lock);
    atomic_fetch_add_explicit(&p->rows_done, 1, memory_order_release);
    pthread_cond_broadcast(&p->moved);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

int rows_after_one_worker(Progress *p) {
    pthread_t t;
    if (pthread_create(&t, NULL, finish_row, p) != 0) {
        return -1;
    }
    pthread_join(t, NULL);
    return atomic_load_explicit(&p->rows_done, memory_order_acquire);
}
