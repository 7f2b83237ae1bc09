/*
 * futex: the one place rustyc sleeps on a word of memory.  Linux-only; a
 * port supplies futex_<os>.c with the same two functions (a condition
 * variable keyed by address does the job elsewhere).
 *
 * Thread safety: any thread.  Neither function takes a lock.
 */
#ifndef RY_CORE_FUTEX_H
#define RY_CORE_FUTEX_H

#include <stdatomic.h>
#include <stdint.h>

/* Sleeps while *word == expected, until woken, or until the absolute
 * CLOCK_MONOTONIC deadline (in ns; 0 means none) passes.  May return
 * spuriously.  Returns 0, or -ETIMEDOUT once the deadline has passed. */
int ry_futex_wait(_Atomic uint32_t *word, uint32_t expected, int64_t deadline_ns);

/* Wakes one thread sleeping on word. */
void ry_futex_wake_one(_Atomic uint32_t *word);

/* Wakes every thread sleeping on word. */
void ry_futex_wake_all(_Atomic uint32_t *word);

#endif
