/*
 * bench_core: rustyc's core primitives against naive pthread baselines,
 * measured in the same run.  One line per case and peer:
 *     case=NAME peer=rustyc ops=N secs=S mops_per_s=M
 *     case=NAME peer=baseline ops=N secs=S mops_per_s=M
 *     case=NAME ratio=R          (rustyc throughput / baseline throughput)
 * CASES='a b' runs only those cases; BENCH_SCALE=0.3 scales every count;
 * each figure is the best of BENCH_REPEAT runs (default 3), which tames
 * the noise of a shared machine without hiding a slow implementation.
 * Absolute times on a shared machine are noise; the ratio is the figure.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/barrier.h"
#include "core/chan.h"
#include "util/time.h"
#include "core/mutex.h"
#include "core/thread.h"
#include "naive.h"

static double scale = 1.0;
static int repeat = 3;

static long scaled(long n)
{
	long v = (long)(n * scale);
	return v > 0 ? v : 1;
}

static double report(const char *name, const char *peer, long ops, int64_t ns)
{
	double secs = ns / 1e9, mops = ops / secs / 1e6;
	printf("case=%s peer=%s ops=%ld secs=%.4f mops_per_s=%.3f\n", name, peer, ops, secs, mops);
	fflush(stdout);
	return mops;
}

/* ---- channels: P producers, consumer on the main thread ---- */

struct prod {
	long count;
	struct ry_sender *tx;	/* rustyc */
	struct naive_q *q;	/* baseline */
};

static void *ry_producer(void *arg)
{
	struct prod *p = arg;
	for (long i = 0; i < p->count; i++) {
		uint64_t v = (uint64_t)i;
		ry_chan_send(p->tx, &v);
	}
	ry_sender_drop(p->tx);
	return NULL;
}

static void *naive_producer(void *arg)
{
	struct prod *p = arg;
	for (long i = 0; i < p->count; i++)
		naive_send(p->q, (uint64_t)i);
	return NULL;
}

static int64_t run_ry_chan(long cap, int producers, long total)
{
	struct ry_sender *tx;
	struct ry_receiver *rx;
	struct prod p[8];
	struct ry_thread *t[8];
	uint64_t v, sum = 0;

	ry_chan_new(sizeof(uint64_t), cap, &tx, &rx);
	int64_t t0 = ry_now_ns();
	for (int i = 0; i < producers; i++) {
		p[i] = (struct prod){ total / producers, ry_sender_clone(tx), NULL };
		t[i] = ry_thread_spawn(ry_producer, &p[i], "producer");
	}
	ry_sender_drop(tx);
	while (ry_chan_recv(rx, &v) == 0)
		sum += v;
	int64_t ns = ry_now_ns() - t0;
	for (int i = 0; i < producers; i++)
		ry_thread_join(t[i], NULL);
	ry_receiver_drop(rx);
	if (sum == 0 && total > producers)
		abort();
	return ns;
}

static int64_t run_naive_chan(long cap, int producers, long total)
{
	struct naive_q q;
	struct prod p[8];
	pthread_t t[8];
	long n = total / producers * producers;
	uint64_t sum = 0;

	naive_init(&q, cap);
	int64_t t0 = ry_now_ns();
	for (int i = 0; i < producers; i++) {
		p[i] = (struct prod){ total / producers, NULL, &q };
		pthread_create(&t[i], NULL, naive_producer, &p[i]);
	}
	for (long i = 0; i < n; i++)
		sum += naive_recv(&q);
	int64_t ns = ry_now_ns() - t0;
	for (int i = 0; i < producers; i++)
		pthread_join(t[i], NULL);
	naive_destroy(&q);
	if (sum == 0 && total > producers)
		abort();
	return ns;
}

/* ---- ping-pong over two rendezvous channels ---- */

struct pong {
	long rounds;
	struct ry_sender *tx;
	struct ry_receiver *rx;
	struct naive_q *a, *b;
};

static void *ry_ponger(void *arg)
{
	struct pong *p = arg;
	uint64_t v;
	for (long i = 0; i < p->rounds; i++) {
		ry_chan_recv(p->rx, &v);
		v++;
		ry_chan_send(p->tx, &v);
	}
	return NULL;
}

static void *naive_ponger(void *arg)
{
	struct pong *p = arg;
	for (long i = 0; i < p->rounds; i++)
		naive_send(p->b, naive_recv(p->a) + 1);
	return NULL;
}

static int64_t run_ry_pingpong(long rounds)
{
	struct ry_sender *tx1, *tx2;
	struct ry_receiver *rx1, *rx2;
	uint64_t v = 0;

	ry_chan_new(sizeof v, 0, &tx1, &rx1);
	ry_chan_new(sizeof v, 0, &tx2, &rx2);
	struct pong p = { rounds, tx2, rx1, NULL, NULL };
	int64_t t0 = ry_now_ns();
	struct ry_thread *t = ry_thread_spawn(ry_ponger, &p, "ponger");
	for (long i = 0; i < rounds; i++) {
		ry_chan_send(tx1, &v);
		ry_chan_recv(rx2, &v);
	}
	int64_t ns = ry_now_ns() - t0;
	ry_thread_join(t, NULL);
	if (v != (uint64_t)rounds)
		abort();
	ry_sender_drop(tx1), ry_sender_drop(tx2);
	ry_receiver_drop(rx1), ry_receiver_drop(rx2);
	return ns;
}

static int64_t run_naive_pingpong(long rounds)
{
	struct naive_q a, b;
	uint64_t v = 0;
	pthread_t t;

	naive_init(&a, 0);
	naive_init(&b, 0);
	struct pong p = { rounds, NULL, NULL, &a, &b };
	int64_t t0 = ry_now_ns();
	pthread_create(&t, NULL, naive_ponger, &p);
	for (long i = 0; i < rounds; i++) {
		naive_send(&a, v);
		v = naive_recv(&b);
	}
	int64_t ns = ry_now_ns() - t0;
	pthread_join(t, NULL);
	if (v != (uint64_t)rounds)
		abort();
	naive_destroy(&a), naive_destroy(&b);
	return ns;
}

/* ---- barrier ---- */

struct bar {
	long rounds;
	struct ry_barrier *rb;
	pthread_barrier_t *pb;
};

static void *ry_barrier_worker(void *arg)
{
	struct bar *b = arg;
	for (long i = 0; i < b->rounds; i++)
		ry_barrier_wait(b->rb);
	return NULL;
}

static void *pthread_barrier_worker(void *arg)
{
	struct bar *b = arg;
	for (long i = 0; i < b->rounds; i++)
		pthread_barrier_wait(b->pb);
	return NULL;
}

static int64_t run_barrier(int threads, long rounds, int naive)
{
	pthread_barrier_t pb;
	struct bar b = { rounds, NULL, &pb };
	pthread_t t[8];

	if (naive)
		pthread_barrier_init(&pb, NULL, (unsigned)threads);
	else
		b.rb = ry_barrier_new((unsigned)threads);
	int64_t t0 = ry_now_ns();
	for (int i = 1; i < threads; i++)
		pthread_create(&t[i], NULL, naive ? pthread_barrier_worker : ry_barrier_worker, &b);
	(naive ? pthread_barrier_worker : ry_barrier_worker)(&b);
	for (int i = 1; i < threads; i++)
		pthread_join(t[i], NULL);
	int64_t ns = ry_now_ns() - t0;
	if (naive)
		pthread_barrier_destroy(&pb);
	else
		ry_barrier_free(b.rb);
	return ns;
}

/* ---- mutex ---- */

struct mtx {
	long count;
	struct ry_mutex *rm;
	pthread_mutex_t *pm;
	int64_t *pv;
};

static void *ry_mutex_worker(void *arg)
{
	struct mtx *m = arg;
	int64_t *v;
	for (long i = 0; i < m->count; i++) {
		ry_mutex_lock(m->rm, (void **)&v);
		(*v)++;
		ry_mutex_unlock(m->rm);
	}
	return NULL;
}

static void *pthread_mutex_worker(void *arg)
{
	struct mtx *m = arg;
	for (long i = 0; i < m->count; i++) {
		pthread_mutex_lock(m->pm);
		(*m->pv)++;
		pthread_mutex_unlock(m->pm);
	}
	return NULL;
}

static int64_t run_mutex(int threads, long total, int naive)
{
	pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
	int64_t pv = 0, *v;
	struct mtx m = { total / threads, ry_mutex_new(sizeof(int64_t), NULL), &pm, &pv };
	pthread_t t[8];

	int64_t t0 = ry_now_ns();
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, naive ? pthread_mutex_worker : ry_mutex_worker, &m);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	int64_t ns = ry_now_ns() - t0;
	ry_mutex_lock(m.rm, (void **)&v);
	if ((naive ? pv : *v) != m.count * threads)
		abort();
	ry_mutex_unlock(m.rm);
	ry_mutex_free(m.rm);
	return ns;
}

/* ---- spawn and join, one after another ---- */

static void *nothing(void *arg)
{
	return arg;
}

static int64_t run_spawn(long n, int naive)
{
	int64_t t0 = ry_now_ns();
	for (long i = 0; i < n; i++) {
		if (naive) {
			pthread_t t;
			pthread_create(&t, NULL, nothing, NULL);
			pthread_join(t, NULL);
		} else {
			ry_thread_join(ry_thread_spawn(nothing, NULL, NULL), NULL);
		}
	}
	return ry_now_ns() - t0;
}

/* ---- the table ---- */

enum kind { CHAN, PINGPONG, BARRIER, MUTEX, SPAWN };

struct bcase {
	const char *name;
	enum kind kind;
	long cap;
	int threads;
	long ops;
};

static const struct bcase cases[] = {
	{ "mpsc_1p", CHAN, RY_CHAN_UNBOUNDED, 1, 10000000 },
	{ "mpsc_4p", CHAN, RY_CHAN_UNBOUNDED, 4, 10000000 },
	{ "sync1024_1p", CHAN, 1024, 1, 10000000 },
	{ "sync1024_4p", CHAN, 1024, 4, 10000000 },
	{ "sync1_1p", CHAN, 1, 1, 200000 },
	{ "sync1_4p", CHAN, 1, 4, 200000 },
	{ "sync0_1p", CHAN, 0, 1, 50000 },
	{ "pingpong_rendezvous", PINGPONG, 0, 2, 50000 },
	{ "barrier_2t", BARRIER, 0, 2, 50000 },
	{ "barrier_4t", BARRIER, 0, 4, 30000 },
	{ "mutex_2t", MUTEX, 0, 2, 10000000 },
	{ "mutex_4t", MUTEX, 0, 4, 10000000 },
	{ "spawn_join", SPAWN, 0, 1, 10000 },
};

static int64_t run_once(const struct bcase *c, long ops, int naive)
{
	switch (c->kind) {
	case CHAN:
		return naive ? run_naive_chan(c->cap, c->threads, ops) : run_ry_chan(c->cap, c->threads, ops);
	case PINGPONG:
		return naive ? run_naive_pingpong(ops) : run_ry_pingpong(ops);
	case BARRIER:
		return run_barrier(c->threads, ops, naive);
	case MUTEX:
		return run_mutex(c->threads, ops, naive);
	case SPAWN:
		return run_spawn(ops, naive);
	}
	return 0;
}

static int64_t run(const struct bcase *c, long ops, int naive)
{
	int64_t best = INT64_MAX;

	for (int i = 0; i < repeat; i++) {
		int64_t ns = run_once(c, ops, naive);
		if (ns < best)
			best = ns;
	}
	return best;
}

static int wanted(const char *name)
{
	const char *list = getenv("CASES");
	if (!list || !*list)
		return 1;
	size_t n = strlen(name);
	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ' ' || p[-1] == ',') && (p[n] == '\0' || p[n] == ' ' || p[n] == ','))
			return 1;
	return 0;
}

int main(void)
{
	const char *s = getenv("BENCH_SCALE");

	if (s && atof(s) > 0)
		scale = atof(s);
	s = getenv("BENCH_REPEAT");
	if (s && atoi(s) > 0)
		repeat = atoi(s);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct bcase *c = &cases[i];
		if (!wanted(c->name))
			continue;
		long ops = scaled(c->ops);
		if (c->kind == CHAN || c->kind == MUTEX)
			ops = ops / c->threads * c->threads;
		double base = report(c->name, "baseline", ops, run(c, ops, 1));
		double ours = report(c->name, "rustyc", ops, run(c, ops, 0));
		printf("case=%s ratio=%.2f\n", c->name, ours / base);
		fflush(stdout);
	}
	return 0;
}
