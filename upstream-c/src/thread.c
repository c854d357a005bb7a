/*
 * The decoder's thread pool and the scheduler of a frame's row tasks (docs/threads.md).
 *
 * vp8_decode_frame stays synchronous: the calling thread and n_threads - 1 persistent workers
 * (started in vp8_open, joined in vp8_close) run the frame's tasks, and the call returns once the
 * last one is done. Four kinds of row tasks:
 *   M(r) modes:       macroblock headers of row r          after M(r-1)
 *   T(r) tokens:      residual of row r into its slot      after M(r), R(r-8) (slot free), T(r-K)
 *                                                          and, macroblock by macroblock, T(r-1)
 *   R(r) reconstruct: prediction and residual of row r     after R(r-1) and T(r)
 *   F(r) filter:      loop filter of row r, side borders   after F(r-1) and R(r+1)
 * M, R and F are chains. The first partition (modes) is one bool-decoder stream, parsed apart from
 * the tokens so that it runs ahead on whichever thread is free. The tokens of row r read the
 * above contexts row r-1 left, column by column, and partition r % K (K token partitions): with
 * one partition T is a chain too, with K it is a wavefront of up to K rows, each a macroblock
 * behind the row above (tok_cols). F(r) waits for R(r+1) because row r+1 is predicted from row
 * r's unfiltered pixels. A chain's private state (the emulated-edge buffer for R) has one copy,
 * since a chain runs on one thread at a time; the token contexts have one per partition.
 * A free thread takes F before R before T before M (T first with one partition): the schedule
 * model in docs/threads.md, fed with measured task costs, chose it.
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
/* Progress reads, each with a `pause`, of a token task waiting for the row above before it
 * sleeps: tens of microseconds, a few macroblocks' parsing. */
#define VP8_TOKEN_SPINS 2000

/* x86 `pause`: a spin yields the core's resources and does not flood the bus. */
static void spin_pause(void) {
    __builtin_ia32_pause();
}

enum { TASK_NONE = 0, TASK_MODES, TASK_TOKENS, TASK_RECONSTRUCT, TASK_FILTER };

/* T(r) is ready once M(r) is done, its slot is free (R(r - VP8_PARSE_SLOTS) done), T(r - 1) has
 * started and the row that last used its partition (T(r - K), K partitions) is parsed: with one
 * partition the token rows form a chain, with K up to K rows parse at once. */
static int tokens_ready(const Vp8ThreadPool *p) {
    int r = p->t_taken;
    return r < p->rows && r < p->m_done && r - p->r_done < VP8_PARSE_SLOTS && p->t_done > r - p->parts;
}

/* The ready task of highest priority, marked busy; called with the lock held. F before R before
 * T before M, except that a single token partition goes first: then its chain is the frame's
 * longest, and any delay of it delays the frame (docs/threads.md has the schedule model). */
static int take_task(Vp8ThreadPool *p, int *mb_y) {
    if (p->parts == 1 && tokens_ready(p)) {
        *mb_y = p->t_taken++;
        atomic_store_explicit(&p->tok_cols[*mb_y % VP8_PARSE_SLOTS], 0, memory_order_relaxed);
        return TASK_TOKENS;
    }
    if (!p->f_busy && p->f_done < p->rows && (p->r_done >= p->f_done + 2 || p->r_done == p->rows)) {
        p->f_busy = 1;
        *mb_y = p->f_done;
        return TASK_FILTER;
    }
    if (!p->r_busy && p->r_done < p->t_done) {
        p->r_busy = 1;
        *mb_y = p->r_done;
        return TASK_RECONSTRUCT;
    }
    if (tokens_ready(p)) {
        *mb_y = p->t_taken++;
        atomic_store_explicit(&p->tok_cols[*mb_y % VP8_PARSE_SLOTS], 0, memory_order_relaxed);
        return TASK_TOKENS;
    }
    if (!p->m_busy && p->m_done < p->rows) {
        p->m_busy = 1;
        *mb_y = p->m_done;
        return TASK_MODES;
    }
    return TASK_NONE;
}

static void run_task(Vp8Decoder *dec, int task, int mb_y) {
    if (task == TASK_MODES) {
        vp8_modes_row_task(dec, mb_y);
    } else if (task == TASK_TOKENS) {
        vp8_tokens_row_task(dec, mb_y);
    } else if (task == TASK_RECONSTRUCT) {
        vp8_reconstruct_row_task(dec, mb_y);
    } else {
        vp8_filter_row_task(dec, mb_y);
    }
}

/* Called with the lock held. Token rows finish in order: T(r) parses its last macroblock only
 * after T(r - 1) parsed its own. */
static void finish_task(Vp8ThreadPool *p, int task) {
    if (task == TASK_MODES) {
        p->m_done++;
        p->m_busy = 0;
    } else if (task == TASK_TOKENS) {
        p->t_done++;
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

/* Wait until the token task of `slot` has parsed `cols` macroblocks of its row. That task runs
 * on another thread, usually a macroblock or so ahead, so the wait starts as a short spin; it
 * sleeps when that thread seems to have lost its core (a loaded machine), and the parser wakes it
 * (vp8_threads_tokens_parsed). The sleeper count and the progress are sequentially consistent:
 * either the sleeper sees the progress or the parser sees the sleeper. */
void vp8_threads_wait_tokens(Vp8ThreadPool *p, int slot, int cols) {
    int i;
    for (i = 0; i < VP8_TOKEN_SPINS; i++) {
        if (atomic_load_explicit(&p->tok_cols[slot], memory_order_acquire) >= cols) {
            return;
        }
        spin_pause();
    }
    pthread_mutex_lock(&p->lock);
    atomic_fetch_add_explicit(&p->tok_sleepers, 1, memory_order_seq_cst);
    while (atomic_load_explicit(&p->tok_cols[slot], memory_order_seq_cst) < cols) {
        pthread_cond_wait(&p->wake, &p->lock);
    }
    atomic_fetch_sub_explicit(&p->tok_sleepers, 1, memory_order_seq_cst);
    pthread_mutex_unlock(&p->lock);
}

/* The token task of `slot` has parsed `cols` macroblocks of its row. */
void vp8_threads_tokens_parsed(Vp8ThreadPool *p, int slot, int cols) {
    atomic_store_explicit(&p->tok_cols[slot], cols, memory_order_seq_cst);
    if (atomic_load_explicit(&p->tok_sleepers, memory_order_seq_cst) > 0) {
        pthread_mutex_lock(&p->lock);
        pthread_cond_broadcast(&p->wake);
        pthread_mutex_unlock(&p->lock);
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
        spin_pause();
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
    atomic_store_explicit(&p->tok_sleepers, 0, memory_order_relaxed);
    p->sleepers = 0;
    p->quit = 0;
    p->rows = 0;
    p->parts = 1;
    p->m_done = p->r_done = p->f_done = 0;
    p->m_busy = p->r_busy = p->f_busy = 0;
    p->t_taken = p->t_done = 0;
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
    p->parts = dec->hdr.num_partitions;
    p->m_done = p->r_done = p->f_done = 0;
    p->t_taken = p->t_done = 0;
    publish(p);
    pthread_mutex_unlock(&p->lock);
    work(dec, 1);
}
