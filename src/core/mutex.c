#define _GNU_SOURCE
#include "core/mutex.h"

#include <errno.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/thread.h"

struct ry_mutex {
	pthread_mutex_t lock;
	atomic_bool poisoned;	/* atomic: read without the lock */
	size_t size;
	alignas(max_align_t) unsigned char data[];	/* guarded by lock */
};

struct ry_mutex *ry_mutex_new(size_t size, const void *init)
{
	struct ry_mutex *m = malloc(sizeof *m + size);
	pthread_mutexattr_t attr;

	if (!m)
		return NULL;
	if (pthread_mutexattr_init(&attr) != 0)
		goto out_free;
#ifdef PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP
	/* Spin a little before sleeping: see the header. */
	(void)pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
#endif
	if (pthread_mutex_init(&m->lock, &attr) != 0) {
		pthread_mutexattr_destroy(&attr);
		goto out_free;
	}
	pthread_mutexattr_destroy(&attr);
	atomic_init(&m->poisoned, false);
	m->size = size;
	if (init)
		memcpy(m->data, init, size);
	else
		memset(m->data, 0, size);
	return m;

out_free:
	free(m);
	errno = ENOMEM;
	return NULL;
}

void ry_mutex_free(struct ry_mutex *m)
{
	if (!m)
		return;
	if (pthread_mutex_destroy(&m->lock) != 0)
		ry_panic("ry_mutex_free: mutex is still locked");
	free(m);
}

static int locked(struct ry_mutex *m, void **data)
{
	ry__thread_note_locked(m);
	*data = m->data;
	return atomic_load_explicit(&m->poisoned, memory_order_relaxed) ? RY_EPOISONED : 0;
}

int ry_mutex_lock(struct ry_mutex *m, void **data)
{
	int rc = pthread_mutex_lock(&m->lock);

	if (rc != 0)
		ry_panic("pthread_mutex_lock: %s", ry_strerror(-rc));
	return locked(m, data);
}

int ry_mutex_try_lock(struct ry_mutex *m, void **data)
{
	int rc = pthread_mutex_trylock(&m->lock);

	if (rc == EBUSY)
		return -EBUSY;
	if (rc != 0)
		ry_panic("pthread_mutex_trylock: %s", ry_strerror(-rc));
	return locked(m, data);
}

void ry_mutex_unlock(struct ry_mutex *m)
{
	ry__thread_note_unlocked(m);
	int rc = pthread_mutex_unlock(&m->lock);
	if (rc != 0)
		ry_panic("pthread_mutex_unlock: %s", ry_strerror(-rc));
}

void ry__mutex_poison_unlock(struct ry_mutex *m)
{
	atomic_store(&m->poisoned, true);
	(void)pthread_mutex_unlock(&m->lock);
}

bool ry_mutex_is_poisoned(const struct ry_mutex *m)
{
	return atomic_load(&((struct ry_mutex *)m)->poisoned);
}

void ry_mutex_clear_poison(struct ry_mutex *m)
{
	atomic_store(&m->poisoned, false);
}
