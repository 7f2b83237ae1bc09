/* mutex: exclusive access, poisoning by a panicking holder, try_lock. */
#include <errno.h>
#include <stdint.h>

#include "core/mutex.h"
#include "core/thread.h"
#include "tap.h"

#define THREADS 4
#define INCREMENTS 100000

static void *add(void *arg)
{
	int64_t *v;

	for (int i = 0; i < INCREMENTS; i++) {
		ry_mutex_lock(arg, (void **)&v);
		(*v)++;
		ry_mutex_unlock(arg);
	}
	return NULL;
}

static void *hold_and_panic(void *arg)
{
	int64_t *v;

	ry_mutex_lock(arg, (void **)&v);
	*v = 99;
	ry_panic("holder gives up");
}

static void *try_from_other(void *arg)
{
	void *d;
	int rc = ry_mutex_try_lock(arg, &d);
	if (rc == 0)
		ry_mutex_unlock(arg);
	return (void *)(intptr_t)rc;
}

static void *lock_unlock_then_panic(void *arg)
{
	void *d;

	ry_mutex_lock(arg, &d);
	ry_mutex_unlock(arg);
	ry_panic("panic while holding nothing");
}

int main(void)
{
	int64_t init = 42, *v;
	struct ry_mutex *m = ry_mutex_new(sizeof init, &init);
	struct ry_thread *t[THREADS];
	struct ry_outcome out;

	is_int(ry_mutex_lock(m, (void **)&v), 0, "lock of a fresh mutex is 0");
	is_int(*v, 42, "lock gives the initial value");
	*v = 0;
	t[0] = ry_thread_spawn(try_from_other, m, "trier");
	ry_thread_join(t[0], &out);
	is_int((intptr_t)out.value, -EBUSY, "try_lock from another thread while held is -EBUSY");
	ry_mutex_unlock(m);

	for (int i = 0; i < THREADS; i++)
		t[i] = ry_thread_spawn(add, m, "adder");
	for (int i = 0; i < THREADS; i++)
		ry_thread_join(t[i], NULL);
	ry_mutex_lock(m, (void **)&v);
	is_int(*v, THREADS * INCREMENTS, "%d threads x %d increments reach the exact total", THREADS, INCREMENTS);
	ry_mutex_unlock(m);
	ok(!ry_mutex_is_poisoned(m), "not poisoned while nobody panicked");

	t[0] = ry_thread_spawn(lock_unlock_then_panic, m, "clean");
	ry_thread_join(t[0], NULL);
	ok(!ry_mutex_is_poisoned(m), "a panic after unlocking does not poison");

	t[0] = ry_thread_spawn(hold_and_panic, m, "holder");
	is_int(ry_thread_join(t[0], &out), RY_EPANICKED, "the holder panicked");
	ok(ry_mutex_is_poisoned(m), "a panic while holding the lock poisons the mutex");
	is_int(ry_mutex_lock(m, (void **)&v), RY_EPOISONED, "the next lock reports RY_EPOISONED");
	is_int(*v, 99, "and still gives access to the data the holder left");
	ry_mutex_unlock(m);
	is_int(ry_mutex_try_lock(m, (void **)&v), RY_EPOISONED, "try_lock reports it too");
	ry_mutex_unlock(m);
	ry_mutex_clear_poison(m);
	is_int(ry_mutex_lock(m, (void **)&v), 0, "clear_poison makes lock 0 again");
	ry_mutex_unlock(m);
	ry_mutex_free(m);
	return done_testing();
}
