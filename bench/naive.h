/*
 * naive.h: the baseline every core benchmark is measured against: what a
 * careful programmer writes first with pthreads.  A queue of u64 under one
 * mutex with two condition variables (unbounded: a growing ring; bounded:
 * a fixed ring; rendezvous: the sender also waits until its value is
 * taken).  Barrier and mutex baselines are pthread_barrier and a default
 * pthread_mutex, used directly by bench_core.c.
 */
#ifndef RY_BENCH_NAIVE_H
#define RY_BENCH_NAIVE_H

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

struct naive_q {
	pthread_mutex_t m;
	pthread_cond_t not_empty, not_full;
	uint64_t *buf;
	size_t size, head, len;
	long cap;		/* -1 unbounded, 0 rendezvous, n */
	uint64_t put, taken;	/* rendezvous tickets */
};

static inline void naive_init(struct naive_q *q, long cap)
{
	pthread_mutex_init(&q->m, NULL);
	pthread_cond_init(&q->not_empty, NULL);
	pthread_cond_init(&q->not_full, NULL);
	q->cap = cap;
	q->size = cap > 0 ? (size_t)cap : 1024;
	q->buf = malloc(q->size * sizeof *q->buf);
	q->head = q->len = 0;
	q->put = q->taken = 0;
}

static inline void naive_destroy(struct naive_q *q)
{
	free(q->buf);
	pthread_mutex_destroy(&q->m);
	pthread_cond_destroy(&q->not_empty);
	pthread_cond_destroy(&q->not_full);
}

static inline void naive_grow(struct naive_q *q)
{
	uint64_t *nb = malloc(2 * q->size * sizeof *nb);
	for (size_t i = 0; i < q->len; i++)
		nb[i] = q->buf[(q->head + i) % q->size];
	free(q->buf);
	q->buf = nb;
	q->head = 0;
	q->size *= 2;
}

static inline void naive_send(struct naive_q *q, uint64_t v)
{
	pthread_mutex_lock(&q->m);
	size_t limit = q->cap > 0 ? (size_t)q->cap : 1;
	if (q->cap >= 0)
		while (q->len == limit)
			pthread_cond_wait(&q->not_full, &q->m);
	else if (q->len == q->size)
		naive_grow(q);
	q->buf[(q->head + q->len) % q->size] = v;
	q->len++;
	pthread_cond_signal(&q->not_empty);
	if (q->cap == 0) {
		uint64_t ticket = ++q->put;
		while (q->taken < ticket)
			pthread_cond_wait(&q->not_full, &q->m);
	}
	pthread_mutex_unlock(&q->m);
}

static inline uint64_t naive_recv(struct naive_q *q)
{
	pthread_mutex_lock(&q->m);
	while (q->len == 0)
		pthread_cond_wait(&q->not_empty, &q->m);
	uint64_t v = q->buf[q->head];
	q->head = (q->head + 1) % q->size;
	q->len--;
	q->taken++;
	if (q->cap >= 0)
		pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->m);
	return v;
}

#endif
