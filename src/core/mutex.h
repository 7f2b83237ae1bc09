/*
 * mutex: a lock that owns the data it guards, with Rust's poisoning.
 *
 * ry_mutex_new() copies the initial value into the mutex; ry_mutex_lock()
 * blocks until the calling thread holds the lock and hands out the data.
 * If a thread panicked while holding the lock, the lock is released by the
 * panic and the mutex is poisoned: every later lock still takes the lock
 * and gives access, but returns RY_EPOISONED, so the caller chooses whether
 * to trust the data (Rust's PoisonError::into_inner) or to give up.
 *
 * The lock is a futex word (Drepper's three-state mutex): uncontended
 * lock and unlock are one atomic instruction each, and a waiter sleeps at
 * once rather than spinning.  Measured (bench mutex_*): a spinning waiter
 * steals the lock's cache line from an owner that would take the lock
 * again at once, and throughput drops by a third; glibc's adaptive mutex
 * did the same.  Unfair, like pthread's default mutex.
 *
 * Thread safety: lock, try_lock, unlock, is_poisoned, clear_poison from any
 * thread; unlock only by the thread holding the lock; free by one thread
 * when no one holds or waits on it.
 */
#ifndef RY_CORE_MUTEX_H
#define RY_CORE_MUTEX_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

struct ry_mutex;

/* A mutex guarding size bytes, initialised from init (or zeroed when init
 * is NULL).  NULL with errno ENOMEM on failure. */
struct ry_mutex *ry_mutex_new(size_t size, const void *init);

/* Frees m and its data.  m must be unlocked. */
void ry_mutex_free(struct ry_mutex *m);

/* Blocks until the lock is taken; *data points at the guarded value until
 * ry_mutex_unlock().  Returns 0, or RY_EPOISONED (lock taken all the same). */
int ry_mutex_lock(struct ry_mutex *m, void **data);

/* As lock, without blocking: -EBUSY when another thread holds it. */
int ry_mutex_try_lock(struct ry_mutex *m, void **data);

/* Releases the lock taken by this thread. */
void ry_mutex_unlock(struct ry_mutex *m);

bool ry_mutex_is_poisoned(const struct ry_mutex *m);
void ry_mutex_clear_poison(struct ry_mutex *m);

#endif
