#include "core/barrier.h"

#include <errno.h>
#include <stdalign.h>
#include <stdlib.h>

#include "core/wait.h"

/* The padding is the point: fields that different threads write sit on
 * their own cache lines (alignas(64)), so no two of them share one. */
/* NOLINTNEXTLINE(clang-analyzer-optin.performance.Padding) */
struct ry_barrier {
	unsigned n;			/* read-only */
	alignas(64) atomic_uint arrived;	/* this round's arrivals */
	struct ry_event gen;		/* gen.seq counts completed rounds */
};

struct ry_barrier *ry_barrier_new(unsigned n)
{
	struct ry_barrier *b;

	if (n == 0) {
		errno = EINVAL;
		return NULL;
	}
	b = aligned_alloc(64, (sizeof *b + 63) & ~(size_t)63);
	if (!b)
		return NULL;
	b->n = n;
	atomic_init(&b->arrived, 0);
	atomic_init(&b->gen.seq, 0);
	atomic_init(&b->gen.waiters, 0);
	return b;
}

void ry_barrier_free(struct ry_barrier *b)
{
	free(b);
}

bool ry_barrier_wait(struct ry_barrier *b)
{
	uint32_t gen = atomic_load(&b->gen.seq);
	unsigned step = 0;

	if (atomic_fetch_add(&b->arrived, 1) + 1 == b->n) {
		/* Reset before releasing: nobody arrives for the next round
		 * until it has seen the new generation. */
		atomic_store_explicit(&b->arrived, 0, memory_order_relaxed);
		atomic_fetch_add(&b->gen.seq, 1);
		if (atomic_load(&b->gen.waiters) != 0)
			ry_futex_wake_all(&b->gen.seq);
		return true;
	}
	while (atomic_load(&b->gen.seq) == gen) {
		if (!ry_backoff(&step))
			continue;
		/* gen.seq is both the state and the futex word, so sleeping on
		 * the value we saw cannot miss the release. */
		atomic_fetch_add(&b->gen.waiters, 1);
		if (atomic_load(&b->gen.seq) == gen)
			ry_futex_wait(&b->gen.seq, gen, 0);
		atomic_fetch_sub(&b->gen.waiters, 1);
	}
	return false;
}
