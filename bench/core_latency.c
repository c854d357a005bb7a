/* Core-to-core latency probe for bench/threads_placement.py: the round-trip time of one cache
 * line passed back and forth between two threads pinned to CPUs 0 and 1.
 *
 * On a shared VM the host decides which physical cores the two vCPUs run on, and may change it
 * from one minute to the next. Two cores that share a last-level cache hand a line over in tens
 * of nanoseconds; two that do not (another core complex or socket) take several times as long,
 * and a multithreaded decoder, whose rows pass from thread to thread, slows down with it while
 * independent processes do not notice. This prints the current round trip so a run can be
 * filed under the placement it had.
 *
 *     cc -O2 -pthread -o core_latency bench/core_latency.c && ./core_latency [ROUND_TRIPS]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static _Alignas(64) _Atomic long line;
static long round_trips = 200000;

static int pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

/* The partner answers each odd value with the next even one. */
static void *partner(void *arg) {
    long i;
    (void)arg;
    if (pin(1) != 0) {
        fprintf(stderr, "core_latency: cannot pin a thread to CPU 1\n");
        exit(2);
    }
    for (i = 0; i < round_trips; i++) {
        while (atomic_load_explicit(&line, memory_order_acquire) != 2 * i + 1) {
        }
        atomic_store_explicit(&line, 2 * i + 2, memory_order_release);
    }
    return NULL;
}

int main(int argc, char **argv) {
    pthread_t t;
    struct timespec a, b;
    long i;
    if (argc > 1) {
        round_trips = strtol(argv[1], NULL, 10);
        if (round_trips <= 0) {
            fprintf(stderr, "usage: core_latency [ROUND_TRIPS > 0]\n");
            return 2;
        }
    }
    if (pin(0) != 0) {
        fprintf(stderr, "core_latency: cannot pin a thread to CPU 0\n");
        return 2;
    }
    if (pthread_create(&t, NULL, partner, NULL) != 0) {
        fprintf(stderr, "core_latency: cannot start a thread\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (i = 0; i < round_trips; i++) {
        atomic_store_explicit(&line, 2 * i + 1, memory_order_release);
        while (atomic_load_explicit(&line, memory_order_acquire) != 2 * i + 2) {
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    pthread_join(t, NULL);
    printf("%.0f\n", ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / (double)round_trips);
    return 0;
}
