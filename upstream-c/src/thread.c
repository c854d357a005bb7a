/*
 * The decoder's thread pool and the scheduler of a frame's row tasks (docs/threads.md).
 *
 * vp8_decode_frame stays synchronous: the calling thread and n_threads - 1 persistent workers
 * (started in vp8_open, joined in vp8_close) run the frame's tasks, and the call returns once the
 * last one is done. Three chains of row tasks, each serial within itself:
 *   P(r) parse:       modes and tokens of row r           after P(r-1) and R(r-K) (slot free)
 *   R(r) reconstruct: prediction and residual of row r    after R(r-1) and P(r)
 *   F(r) filter:      loop filter of row r, side borders  after F(r-1) and R(r+1)
 * F(r) waits for R(r+1) because row r+1 is predicted from row r's unfiltered pixels. A chain's
 * private state (bool decoders and contexts for P, the emulated-edge buffer for R) has one copy,
 * since a chain runs on one thread at a time. A free thread takes F before R before P: measured
 * against P first (P is the longest chain in time), it left the threads idle less often.
 *
 * Tasks last tens of microseconds, too short to put a thread to sleep after each one: a thread
 * without work first spins on `generation` (bumped under the lock by every change a waiter may
 * care about) and sleeps on the condition variable only when nothing changed for a while; the
 * changes broadcast only when somebody sleeps.
 */
#include <unistd.h>

#include "internal.h"

/* Reads of `generation` a thread makes before it sleeps, each followed by a `pause`: about a
 * millisecond. On an idle machine a thread that sleeps is woken too late and the frame's chains
 * stall (2,000 reads without pause: 1.07x at 2 threads on motion 1080p; this: 1.64x,
 * docs/threads.md); on a saturated one the spin costs CPU the other threads could use. */
#define VP8_SPIN_READS 50000

enum { TASK_NONE = 0, TASK_PARSE, TASK_RECONSTRUCT, TASK_FILTER };

/* The ready task of highest priority, marked busy; called with the lock held. */
static int take_task(Vp8ThreadPool *p, int *mb_y) {
    if (!p->f_busy && p->f_done < p->rows && (p->r_done >= p->f_done + 2 || p->r_done == p->rows)) {
        p->f_busy = 1;
        *mb_y = p->f_done;
        return TASK_FILTER;
    }
    if (!p->r_busy && p->r_done < p->p_done) {
        p->r_busy = 1;
        *mb_y = p->r_done;
        return TASK_RECONSTRUCT;
    }
    if (!p->p_busy && p->p_done < p->rows && p->p_done - p->r_done < VP8_PARSE_SLOTS) {
        p->p_busy = 1;
        *mb_y = p->p_done;
        return TASK_PARSE;
    }
    return TASK_NONE;
}

static void run_task(Vp8Decoder *dec, int task, int mb_y) {
    if (task == TASK_PARSE) {
        vp8_parse_row_task(dec, mb_y);
    } else if (task == TASK_RECONSTRUCT) {
        vp8_reconstruct_row_task(dec, mb_y);
    } else {
        vp8_filter_row_task(dec, mb_y);
    }
}

/* Called with the lock held. */
static void finish_task(Vp8ThreadPool *p, int task) {
    if (task == TASK_PARSE) {
        p->p_done++;
        p->p_busy = 0;
    } else if (task == TASK_RECONSTRUCT) {
        p->r_done++;
        p->r_busy = 0;
    } else {
        p->f_done++;
        p->f_busy = 0;
    }
}

/* Called with the lock held: tell waiting threads that the state changed. */
static void publish(Vp8ThreadPool *p) {
    atomic_fetch_add_explicit(&p->generation, 1, memory_order_release);
    if (p->sleepers > 0) {
        pthread_cond_broadcast(&p->wake);
    }
}

/* Called with the lock held, returns with it held: spin while nothing changes, then sleep. */
static void wait_for_change(Vp8ThreadPool *p) {
    int seen = atomic_load_explicit(&p->generation, memory_order_relaxed);
    int i;
    pthread_mutex_unlock(&p->lock);
    for (i = 0; i < VP8_SPIN_READS; i++) {
        if (atomic_load_explicit(&p->generation, memory_order_relaxed) != seen) {
            break;
        }
        /* x86 `pause`: the spin yields the core's resources and does not flood the bus. */
        __builtin_ia32_pause();
    }
    pthread_mutex_lock(&p->lock);
    if (atomic_load_explicit(&p->generation, memory_order_relaxed) == seen) {
        p->sleepers++;
        pthread_cond_wait(&p->wake, &p->lock);
        p->sleepers--;
    }
}

/* Run tasks until the frame is done (the caller) or the pool quits (a worker). */
static void work(Vp8Decoder *dec, int caller) {
    Vp8ThreadPool *p = &dec->pool;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        int mb_y = 0;
        int task;
        if (caller ? p->f_done == p->rows : p->quit) {
            break;
        }
        task = take_task(p, &mb_y);
        if (task == TASK_NONE) {
            wait_for_change(p);
            continue;
        }
        pthread_mutex_unlock(&p->lock);
        run_task(dec, task, mb_y);
        pthread_mutex_lock(&p->lock);
        finish_task(p, task);
        publish(p);
    }
    pthread_mutex_unlock(&p->lock);
}

static void *worker_main(void *arg) {
    work((Vp8Decoder *)arg, 0);
    return NULL;
}

/* Resolve the thread count (0 = one per online CPU) and start the workers. Falls back to fewer
 * threads, down to the serial loop, when the system refuses a thread or a lock. */
void vp8_threads_start(Vp8Decoder *dec, int n_threads) {
    Vp8ThreadPool *p = &dec->pool;
    int i;
    if (n_threads == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        n_threads = cpus > 0 && cpus < VP8_MAX_THREADS ? (int)cpus : VP8_MAX_THREADS;
    }
    if (n_threads > VP8_MAX_THREADS) {
        n_threads = VP8_MAX_THREADS;
    }
    p->n_threads = 1;
    p->n_workers = 0;
    if (n_threads <= 1) {
        return;
    }
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        return;
    }
    if (pthread_cond_init(&p->wake, NULL) != 0) {
        pthread_mutex_destroy(&p->lock);
        return;
    }
    atomic_store_explicit(&p->generation, 0, memory_order_relaxed);
    p->sleepers = 0;
    p->quit = 0;
    p->rows = 0;
    p->p_done = p->r_done = p->f_done = 0;
    p->p_busy = p->r_busy = p->f_busy = 0;
    for (i = 0; i < n_threads - 1; i++) {
        if (pthread_create(&p->workers[i], NULL, worker_main, dec) != 0) {
            break;
        }
        p->n_workers++;
    }
    p->n_threads = p->n_workers + 1;
    if (p->n_workers == 0) {
        pthread_cond_destroy(&p->wake);
        pthread_mutex_destroy(&p->lock);
    }
}

void vp8_threads_stop(Vp8Decoder *dec) {
    Vp8ThreadPool *p = &dec->pool;
    int i;
    if (p->n_workers == 0) {
        return;
    }
    pthread_mutex_lock(&p->lock);
    p->quit = 1;
    publish(p);
    pthread_mutex_unlock(&p->lock);
    for (i = 0; i < p->n_workers; i++) {
        pthread_join(p->workers[i], NULL);
    }
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    p->n_workers = 0;
    p->n_threads = 1;
}

/* Decode the macroblock rows of the current frame with the pool; returns when all are done. */
void vp8_threads_run_frame(Vp8Decoder *dec) {
    Vp8ThreadPool *p = &dec->pool;
    pthread_mutex_lock(&p->lock);
    p->rows = dec->mb_rows;
    p->p_done = p->r_done = p->f_done = 0;
    publish(p);
    pthread_mutex_unlock(&p->lock);
    work(dec, 1);
}
