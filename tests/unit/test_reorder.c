/* core/reorder: out-of-order puts come out in index order, the ring
 * grows past its first size, and misuse is refused. */
#include <errno.h>

#include "core/reorder.h"
#include "tap.h"

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
	return done_testing();
}
