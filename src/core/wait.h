/*
 * wait: the blocking discipline shared by chan and barrier (internal to
 * src/core).  A waiter spins briefly, yields a few times, then sleeps on an
 * event; a notifier changes state, then wakes sleepers only if any exist,
 * so an uncontended hand-off costs no system call.
 *
 * Why spin first: a futex wake-up costs tens of microseconds on the
 * machines we measure, while the other side of a hand-off usually answers
 * within a microsecond when both threads have a core.  The spin is short
 * and turns into sched_yield, so when threads outnumber cores the waiter
 * gives its core away rather than burning the time slice of the thread it
 * is waiting for.
 *
 * Correctness (no lost wake-up): the waiter bumps `waiters` (seq_cst),
 * then re-checks the state with seq_cst loads, then sleeps on `seq` with
 * the value it read before the re-check.  The notifier publishes the state
 * with a seq_cst store or RMW, then loads `waiters` (seq_cst); if non-zero
 * it bumps `seq` and wakes.  In the single total order of seq_cst
 * operations either the notifier sees the waiter, or the waiter's re-check
 * sees the new state.
 */
#ifndef RY_CORE_WAIT_H
#define RY_CORE_WAIT_H

#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>

#include "core/futex.h"

struct ry_event {
	_Atomic uint32_t seq;		/* futex word, bumped per notify */
	_Atomic uint32_t waiters;	/* threads between arm and sleep */
};

static inline void ry_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

static inline void ry_event_notify(struct ry_event *e)
{
	if (atomic_load(&e->waiters) != 0) {
		atomic_fetch_add(&e->seq, 1);
		ry_futex_wake_all(&e->seq);
	}
}

/* Wakes one sleeper.  Only for events whose every waiter waits for the
 * same thing and retries until it gets it, so no wake-up can be wasted on
 * a waiter that then gives up (bounded senders waiting for room). */
static inline void ry_event_notify_one(struct ry_event *e)
{
	if (atomic_load(&e->waiters) != 0) {
		atomic_fetch_add(&e->seq, 1);
		ry_futex_wake_one(&e->seq);
	}
}

/* Arm before the final re-check; returns the key to sleep on. */
static inline uint32_t ry_event_arm(struct ry_event *e)
{
	uint32_t key = atomic_load(&e->seq);
	atomic_fetch_add(&e->waiters, 1);
	return key;
}

static inline void ry_event_disarm(struct ry_event *e)
{
	atomic_fetch_sub(&e->waiters, 1);
}

/* Sleeps unless notified since arm; -ETIMEDOUT past the deadline. */
static inline int ry_event_sleep(struct ry_event *e, uint32_t key, int64_t deadline_ns)
{
	return ry_futex_wait(&e->seq, key, deadline_ns);
}

/*
 * Backoff: returns 0 while the caller should keep polling, 1 once it is
 * time to sleep.  Spins 1, 2, 4 ... 64 pauses, then yields four times.
 */
#define RY_SPIN_LIMIT  6
#define RY_YIELD_LIMIT 10

static inline int ry_backoff(unsigned *step)
{
	if (*step <= RY_SPIN_LIMIT) {
		for (unsigned i = 0; i < (1u << *step); i++)
			ry_cpu_relax();
	} else if (*step <= RY_YIELD_LIMIT) {
		sched_yield();
	} else {
		return 1;
	}
	(*step)++;
	return 0;
}

#endif
