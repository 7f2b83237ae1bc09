/* pool: every index once, completion or input order, panics as results. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/pool.h"
#include "tap.h"

#define N 1000

static void *square(size_t i, void *ctx)
{
	if (i % 7 == 0) {
		/* Vary the finishing order a little. */
		struct timespec ts = { 0, 20000 };
		nanosleep(&ts, NULL);
	}
	return (void *)(uintptr_t)(i * i);
}

static void *fail_on_13(size_t i, void *ctx)
{
	if (i % 13 == 0)
		ry_panic("item %zu fails", i);
	return (void *)(uintptr_t)(i + 1);
}

int main(void)
{
	struct ry_pool_result r;
	static char seen[N];
	int wrong = 0, dup = 0;

	struct ry_pool *p = ry_pool_map(4, N, square, NULL, 0);
	size_t count = 0;
	while (ry_pool_next(p, &r) == 0) {
		if (r.out.status != 0 || (uintptr_t)r.out.value != r.index * r.index)
			wrong++;
		if (seen[r.index]++)
			dup++;
		count++;
	}
	is_int(count, N, "unordered: %d results", N);
	is_int(wrong + dup, 0, "each index once, with its own result");
	is_int(ry_pool_next(p, &r), -EPIPE, "next after the last result is -EPIPE");
	ry_pool_free(p);

	p = ry_pool_map(4, N, square, NULL, RY_POOL_ORDERED);
	size_t expect = 0;
	wrong = 0;
	while (ry_pool_next(p, &r) == 0) {
		if (r.index != expect || (uintptr_t)r.out.value != expect * expect)
			wrong++;
		expect++;
	}
	is_int(expect, N, "ordered: %d results", N);
	is_int(wrong, 0, "ordered: in input order");
	ry_pool_free(p);

	p = ry_pool_map(3, 100, fail_on_13, NULL, RY_POOL_ORDERED);
	int panics = 0, oks = 0, msg_ok = 1;
	while (ry_pool_next(p, &r) == 0) {
		if (r.out.status == RY_EPANICKED) {
			panics++;
			char want[64];
			snprintf(want, sizeof want, "item %zu fails", r.index);
			msg_ok &= r.index % 13 == 0 && strcmp(r.out.panic_msg, want) == 0;
		} else if ((uintptr_t)r.out.value == r.index + 1) {
			oks++;
		}
	}
	is_int(panics, 8, "a panicking item yields an error result (8 of 100)");
	ok(msg_ok, "each with its own message");
	is_int(oks, 92, "and every other item still completes");
	ry_pool_free(p);

	p = ry_pool_map(4, 0, square, NULL, 0);
	is_int(ry_pool_next(p, &r), -EPIPE, "an empty map ends at once");
	ry_pool_free(p);

	/* Freeing before reading everything stops the workers cleanly. */
	p = ry_pool_map(2, 100000, square, NULL, 0);
	ry_pool_next(p, &r);
	ry_pool_free(p);
	ok(1, "free with results unread returns");
	ok(ry_pool_map(0, 10, square, NULL, 0) == NULL && errno == EINVAL, "0 threads is EINVAL");
	return done_testing();
}
