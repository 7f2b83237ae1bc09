/* core/reorder: out-of-order puts come out in index order, the ring
 * grows past its first size, and misuse is refused. */
#include <errno.h>

#include "core/reorder.h"
#include "tap.h"

struct seen {
	size_t n, index[8];
	long value[8];
};

static void note(void *ctx, size_t index, void *elem)
{
	struct seen *s = ctx;

	if (s->n < 8) {
		s->index[s->n] = index;
		s->value[s->n++] = *(long *)elem;
	}
}

static void drop_sum(void *ctx, void *elem)
{
	*(long *)ctx += *(long *)elem;
}

int main(void)
{
	struct ry_reorder *r = ry_reorder_new(sizeof(long));
	long v = -1, order[] = { 3, 1, 0, 2, 5, 4 };
	int bad = 0;

	ok(r != NULL, "new");
	ok(!ry_reorder_pop(r, &v), "empty: nothing to pop");
	is_int(ry_reorder_put(r, 3, &order[0]), 0, "index 3 ahead of its turn is kept");
	ok(!ry_reorder_pop(r, &v), "0 has not come: nothing to pop");
	ry_reorder_put(r, 1, &order[1]);
	ry_reorder_put(r, 0, &order[2]);
	ok(ry_reorder_pop(r, &v) && v == 0, "0 comes out first");
	ok(ry_reorder_pop(r, &v) && v == 1, "then 1");
	ok(!ry_reorder_pop(r, &v), "then waits for 2");
	is_int(ry_reorder_put(r, 1, &order[1]), -EINVAL, "an index already delivered is -EINVAL");
	is_int(ry_reorder_put(r, 3, &order[0]), -EINVAL, "an index already held is -EINVAL");
	ry_reorder_put(r, 2, &order[3]);
	ok(ry_reorder_pop(r, &v) && v == 2 && ry_reorder_pop(r, &v) && v == 3, "2 and the held 3 follow");

	/* Far ahead: the ring grows and keeps what it held. */
	for (long i = 1000; i >= 4; i--)
		if (ry_reorder_put(r, (size_t)i, &i) != 0)
			bad++;
	for (long i = 4; i <= 1000; i++)
		if (!ry_reorder_pop(r, &v) || v != i)
			bad++;
	is_int(bad, 0, "997 results in reverse come out in order through growth");
	is_int(ry_reorder_next(r), 1001, "next due is 1001");
	ry_reorder_free(r);

	/* settle: what both of resolve's engines hand their results to. */
	struct seen got = { .n = 0 };
	long e;
	e = 7;
	ry_reorder_settle(NULL, 7, &e, note, &got);
	ok(got.n == 1 && got.index[0] == 7 && got.value[0] == 7, "no order asked: handed on at once");
	got.n = 0;
	r = ry_reorder_new(sizeof(long));
	long arrive[] = { 2, 0, 3, 1 };
	for (int k = 0; k < 4; k++) {
		e = arrive[k] * 10;
		ry_reorder_settle(r, (size_t)arrive[k], &e, note, &got);
	}
	ok(got.n == 4 && got.index[0] == 0 && got.index[1] == 1 && got.index[2] == 2 && got.index[3] == 3 &&
	   got.value[3] == 30, "in order: each when its turn comes, with its own index and element");
	/* drain: a stopped run's leftovers, gaps and all. */
	e = 50;
	ry_reorder_settle(r, 5, &e, note, &got);
	e = 70;
	ry_reorder_settle(r, 7, &e, note, &got);
	long sum = 0;
	ry_reorder_drain(r, &e, drop_sum, &sum);
	ok(got.n == 4 && sum == 120, "drain hands over what waits behind a gap (%ld)", sum);
	ok(!ry_reorder_pop(r, &e), "and holds nothing after");
	ry_reorder_free(r);
	return done_testing();
}
