/* util/search: the one binary search finds the partition point of every
 * prefix, of an empty table, and of a table reached through an index. */
#include <stdint.h>

#include "util/search.h"
#include "tap.h"

struct table {
	const int *v;
	int key;
};

static bool below(const void *ctx, size_t i)
{
	const struct table *t = ctx;

	return t->v[i] < t->key;
}

int main(void)
{
	const int v[] = { 1, 3, 3, 3, 7, 9 };
	struct table t = { v, 0 };
	int ok_all = 1;

	for (int key = 0; key <= 10; key++) {
		t.key = key;
		size_t want = 0;
		while (want < 6 && v[want] < key)
			want++;
		ok_all &= ry_partition_point(6, below, &t) == want;
	}
	ok(ok_all, "every key from 0 to 10: the first entry not below it");
	t.key = 3;
	is_int(ry_partition_point(6, below, &t), 1, "duplicates: the first of them");
	is_int(ry_partition_point(0, below, &t), 0, "an empty table: 0");
	t.key = 100;
	is_int(ry_partition_point(6, below, &t), 6, "past every entry: n");
	return done_testing();
}
