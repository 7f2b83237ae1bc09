#define _GNU_SOURCE
#include "core/mutex.h"

#include <errno.h>
#include <stdint.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/futex.h"
#include "core/internal.h"
#include "core/thread.h"

struct ry_mutex {
	_Atomic uint32_t lock;	/* 0 free, 1 locked, 2 locked with waiters */
	atomic_bool poisoned;	/* atomic: read without the lock */
	size_t size;
	alignas(max_align_t) unsigned char data[];	/* guarded by lock */
};

struct ry_mutex *ry_mutex_new(size_t size, const void *init)
{
	struct ry_mutex *m = malloc(sizeof *m + size);

	if (!m)
		return NULL;
	atomic_init(&m->lock, 0);
	atomic_init(&m->poisoned, false);
	m->size = size;
	if (init)
		memcpy(m->data, init, size);
	else
		memset(m->data, 0, size);
	return m;
}

void ry_mutex_free(struct ry_mutex *m)
{
	if (!m)
		return;
	if (atomic_load_explicit(&m->lock, memory_order_relaxed) != 0)
		ry_panic("ry_mutex_free: mutex is still locked");
	free(m);
}

/* Drepper's "Futexes Are Tricky" mutex: 0 free, 1 locked, 2 locked and
 * maybe waited on.  The owner pays a system call on unlock only when
 * someone may sleep. */
static void lock_slow(struct ry_mutex *m, uint32_t c)
{
	if (c != 2)
		c = atomic_exchange_explicit(&m->lock, 2, memory_order_acquire);
	while (c != 0) {
		ry_futex_wait(&m->lock, 2, 0);
		c = atomic_exchange_explicit(&m->lock, 2, memory_order_acquire);
	}
}

static int locked(struct ry_mutex *m, void **data)
{
	*data = m->data;
	return atomic_load_explicit(&m->poisoned, memory_order_relaxed) ? RY_EPOISONED : 0;
}

/*
 * The thread's held-list bookkeeping is done outside the critical section
 * (noted before taking the lock, forgotten after releasing it): under
 * contention every instruction inside the lock is paid by every waiter.
 * Nothing between the two can panic, so the list never lies to a panic.
 */
int ry_mutex_lock(struct ry_mutex *m, void **data)
{
	uint32_t c = 0;

	ry__thread_note_locked(m);
	if (!atomic_compare_exchange_strong_explicit(&m->lock, &c, 1,
			memory_order_acquire, memory_order_relaxed))
		lock_slow(m, c);
	return locked(m, data);
}

int ry_mutex_try_lock(struct ry_mutex *m, void **data)
{
	uint32_t c = 0;

	if (!atomic_compare_exchange_strong_explicit(&m->lock, &c, 1,
			memory_order_acquire, memory_order_relaxed))
		return -EBUSY;
	ry__thread_note_locked(m);
	return locked(m, data);
}

static void unlock(struct ry_mutex *m)
{
	if (atomic_fetch_sub_explicit(&m->lock, 1, memory_order_release) != 1) {
		atomic_store_explicit(&m->lock, 0, memory_order_release);
		ry_futex_wake_one(&m->lock);
	}
}

void ry_mutex_unlock(struct ry_mutex *m)
{
	unlock(m);
	ry__thread_note_unlocked(m);
}

void ry__mutex_poison_unlock(struct ry_mutex *m)
{
	atomic_store(&m->poisoned, true);
	unlock(m);
}

bool ry_mutex_is_poisoned(const struct ry_mutex *m)
{
	return atomic_load(&((struct ry_mutex *)m)->poisoned);
}

void ry_mutex_clear_poison(struct ry_mutex *m)
{
	atomic_store(&m->poisoned, false);
}
