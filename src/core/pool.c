#include "core/pool.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/chan.h"
#include "core/reorder.h"

struct ry_pool {
	void *(*fn)(size_t, void *);
	void *ctx;
	size_t n;
	atomic_size_t next_index;	/* next item to claim */
	atomic_bool stop;		/* set by free: claim no more */
	unsigned nthreads;
	struct ry_thread **threads;
	struct ry_receiver *rx;
	/* Consumer only. */
	size_t delivered;
	bool ordered;
	struct ry_reorder *held;	/* ordered: results ahead of turn */
};

struct worker {
	struct ry_pool *p;
	struct ry_sender *tx;
	size_t index;
};

static void *call_item(void *arg)
{
	struct worker *w = arg;
	return w->p->fn(w->index, w->p->ctx);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct ry_pool *p = w->p;
	struct ry_pool_result res;

	while (!atomic_load_explicit(&p->stop, memory_order_relaxed)) {
		size_t i = atomic_fetch_add_explicit(&p->next_index, 1, memory_order_relaxed);
		if (i >= p->n)
			break;
		w->index = i;
		res.index = i;
		ry_catch(call_item, w, &res.out);
		/* The receiver lives until free joins us, so this cannot
		 * fail but for memory. */
		if (ry_chan_send(w->tx, &res) != 0)
			break;
	}
	ry_sender_drop(w->tx);
	free(w);
	return NULL;
}

struct ry_pool *ry_pool_map(unsigned k, size_t n, void *(*fn)(size_t, void *),
			    void *ctx, unsigned flags)
{
	struct ry_pool *p;
	struct ry_sender *tx;
	int saved;

	if (k == 0) {
		errno = EINVAL;
		return NULL;
	}
	if (k > n)
		k = n ? (unsigned)n : 1;
	p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->fn = fn;
	p->ctx = ctx;
	p->n = n;
	p->ordered = flags & RY_POOL_ORDERED;
	atomic_init(&p->next_index, 0);
	atomic_init(&p->stop, false);
	p->threads = calloc(k, sizeof(struct ry_thread *));
	if (p->ordered)
		p->held = ry_reorder_new(sizeof(struct ry_pool_result));
	if (!p->threads || (p->ordered && !p->held))
		goto out_free;
	if (ry_chan_new(sizeof(struct ry_pool_result), RY_CHAN_UNBOUNDED, &tx, &p->rx) != 0)
		goto out_free;
	for (unsigned i = 0; i < k; i++) {
		struct worker *w = malloc(sizeof *w);
		char name[RY_THREAD_NAME_MAX];

		if (!w)
			goto out_stop;
		w->p = p;
		w->tx = ry_sender_clone(tx);
		snprintf(name, sizeof name, "pool-%u", i);
		p->threads[i] = ry_thread_spawn(worker_main, w, name);
		if (!p->threads[i]) {
			ry_sender_drop(w->tx);
			free(w);
			goto out_stop;
		}
		p->nthreads++;
	}
	ry_sender_drop(tx);
	return p;

out_stop:
	saved = errno;
	ry_sender_drop(tx);
	ry_pool_free(p);
	errno = saved;
	return NULL;
out_free:
	ry_reorder_free(p->held);
	free(p->threads);
	free(p);
	errno = ENOMEM;
	return NULL;
}

int ry_pool_next(struct ry_pool *p, struct ry_pool_result *res)
{
	if (p->delivered == p->n)
		return -EPIPE;
	if (!p->ordered) {
		int rc = ry_chan_recv(p->rx, res);
		if (rc == 0)
			p->delivered++;
		return rc;
	}
	while (!ry_reorder_pop(p->held, res)) {
		struct ry_pool_result r;
		int rc = ry_chan_recv(p->rx, &r);
		if (rc == 0)
			rc = ry_reorder_put(p->held, r.index, &r);
		if (rc != 0)
			return rc;
	}
	p->delivered++;
	return 0;
}

void ry_pool_free(struct ry_pool *p)
{
	if (!p)
		return;
	atomic_store(&p->stop, true);
	for (unsigned i = 0; i < p->nthreads; i++)
		ry_thread_join(p->threads[i], NULL);
	ry_receiver_drop(p->rx);
	ry_reorder_free(p->held);
	free(p->threads);
	free(p);
}
