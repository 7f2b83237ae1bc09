/* arc and rc: counts, one destructor run on the last drop, clone/drop
 * storms across threads. */
#include <stdatomic.h>
#include <stdint.h>

#include "core/arc.h"
#include "core/barrier.h"
#include "core/thread.h"
#include "tap.h"

static atomic_int destroyed;

static void count_dtor(void *p)
{
	atomic_fetch_add(&destroyed, 1);
	is_int(*(int *)p, 1234, "the destructor sees the payload");
}

static void plain_dtor(void *p)
{
	atomic_fetch_add(&destroyed, 1);
}

#define STORM_THREADS 4
#define STORM_ROUNDS 100000

struct storm {
	void *shared;
	struct ry_barrier *start;
};

static void *storm(void *arg)
{
	struct storm *s = arg;
	void *mine[8];

	ry_barrier_wait(s->start);
	for (int r = 0; r < STORM_ROUNDS; r++) {
		for (int i = 0; i < 8; i++)
			mine[i] = ry_arc_clone(s->shared);
		for (int i = 0; i < 8; i++)
			ry_arc_drop(mine[i]);
	}
	ry_arc_drop(s->shared);	/* this thread's own handle */
	return NULL;
}

int main(void)
{
	int *a = ry_arc_new(sizeof *a, count_dtor);
	*a = 1234;
	is_int(ry_arc_count(a), 1, "arc: new has count 1");
	int *b = ry_arc_clone(a);
	ok(a == b, "arc: a clone is the same value");
	is_int(ry_arc_count(a), 2, "arc: clone counts 2");
	ry_arc_drop(b);
	is_int(ry_arc_count(a), 1, "arc: drop counts 1");
	is_int(atomic_load(&destroyed), 0, "arc: no destructor while an owner is left");
	ry_arc_drop(a);
	is_int(atomic_load(&destroyed), 1, "arc: the last drop runs the destructor once");

	atomic_store(&destroyed, 0);
	int *r = ry_rc_new(sizeof *r, count_dtor);
	*r = 1234;
	int *r2 = ry_rc_clone(r), *r3 = ry_rc_clone(r);
	is_int(ry_rc_count(r), 3, "rc: two clones count 3");
	ry_rc_drop(r3);
	ry_rc_drop(r);
	is_int(ry_rc_count(r2), 1, "rc: any handle may be the last");
	is_int(atomic_load(&destroyed), 0, "rc: no destructor while an owner is left");
	ry_rc_drop(r2);
	is_int(atomic_load(&destroyed), 1, "rc: the last drop runs the destructor once");

	/* Storm: every thread clones and drops its way through the count
	 * and drops its own handle at the end, racing the main thread. */
	atomic_store(&destroyed, 0);
	void *shared = ry_arc_new(64, plain_dtor);
	struct storm s = { shared, ry_barrier_new(STORM_THREADS + 1) };
	struct ry_thread *t[STORM_THREADS];
	for (int i = 0; i < STORM_THREADS; i++) {
		ry_arc_clone(shared);
		t[i] = ry_thread_spawn(storm, &s, "storm");
	}
	ry_barrier_wait(s.start);
	ry_arc_drop(shared);
	for (int i = 0; i < STORM_THREADS; i++)
		ry_thread_join(t[i], NULL);
	is_int(atomic_load(&destroyed), 1, "arc: %d threads x %d clone/drop, destructor ran exactly once",
	       STORM_THREADS, STORM_ROUNDS * 8);
	ry_barrier_free(s.start);
	return done_testing();
}
