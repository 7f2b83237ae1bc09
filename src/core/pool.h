/*
 * pool: a parallel map, the tutorial's `with_threads(n).map(f)`.
 *
 * ry_pool_map() starts k threads that call fn(index, ctx) for every index
 * in [0, n), each index exactly once.  Results come back through
 * ry_pool_next() as they finish, or in index order with RY_POOL_ORDERED
 * (each result is delivered as soon as all before it have been).  A
 * panicking item yields a result with status RY_EPANICKED and its message;
 * the other items go on.  Internally the results travel over an unbounded
 * ry_chan, so workers never wait for the consumer.
 *
 * Ownership: ctx is borrowed for the pool's life; what fn returns is the
 * caller's once delivered.  ry_pool_free() stops handing out new items,
 * joins the threads and drops results never read (fn's return values
 * among them: give fn nothing to free, or read every result).
 *
 * Thread safety: fn runs on the pool's threads, concurrently with itself;
 * next and free from one consumer thread.
 */
#ifndef RY_CORE_POOL_H
#define RY_CORE_POOL_H

#include <stddef.h>

#include "core/thread.h"

#define RY_POOL_ORDERED 1u

struct ry_pool;

struct ry_pool_result {
	size_t index;
	struct ry_outcome out;
};

/* Starts the map; k is clamped to [1, n].  NULL with errno (EINVAL for
 * k == 0, ENOMEM, EAGAIN from thread creation).  n == 0 is valid. */
struct ry_pool *ry_pool_map(unsigned k, size_t n,
			    void *(*fn)(size_t index, void *ctx), void *ctx,
			    unsigned flags);

/* Blocks for the next result.  Returns 0, or -EPIPE once all n results
 * have been delivered. */
int ry_pool_next(struct ry_pool *p, struct ry_pool_result *res);

void ry_pool_free(struct ry_pool *p);

#endif
