/* barrier: nobody passes before all arrive, exactly one leader per round,
 * reusable for 1,000 rounds. */
#include <stdatomic.h>
#include <stdbool.h>

#include "core/barrier.h"
#include "core/thread.h"
#include "tap.h"

#define THREADS 4
#define ROUNDS 1000

static struct ry_barrier *b;
static atomic_int arrived[ROUNDS];
static atomic_int leaders[ROUNDS];
static atomic_int early;	/* passed the barrier before all arrived */

static void *run(void *arg)
{
	for (int r = 0; r < ROUNDS; r++) {
		atomic_fetch_add(&arrived[r], 1);
		if (ry_barrier_wait(b))
			atomic_fetch_add(&leaders[r], 1);
		if (atomic_load(&arrived[r]) != THREADS)
			atomic_fetch_add(&early, 1);
	}
	return NULL;
}

int main(void)
{
	struct ry_thread *t[THREADS];
	int bad_leaders = 0;

	ok(ry_barrier_new(0) == NULL, "a barrier for 0 threads is refused");
	struct ry_barrier *one = ry_barrier_new(1);
	ok(ry_barrier_wait(one) && ry_barrier_wait(one), "a barrier of one: every wait leads");
	ry_barrier_free(one);

	b = ry_barrier_new(THREADS);
	for (int i = 0; i < THREADS; i++)
		t[i] = ry_thread_spawn(run, NULL, "waiter");
	for (int i = 0; i < THREADS; i++)
		ry_thread_join(t[i], NULL);
	for (int r = 0; r < ROUNDS; r++)
		if (atomic_load(&leaders[r]) != 1)
			bad_leaders++;
	is_int(bad_leaders, 0, "%d rounds, exactly one leader in each", ROUNDS);
	is_int(atomic_load(&early), 0, "no thread passes before all %d have arrived", THREADS);
	ry_barrier_free(b);
	return done_testing();
}
