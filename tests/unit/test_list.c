/* core/list: the intrusive list every engine keeps its order in. */
#include <stddef.h>

#include "core/list.h"
#include "tap.h"

struct item {
	int v;
	struct ry_link a, b;	/* on two lists at once */
};

/* The values along l (member a or b), as digits: 123. */
static int walk(const struct ry_list *l, int which)
{
	int out = 0;

	for (const struct ry_link *k = l->head; k; k = k->next)
		out = out * 10 + (which ? ry_list_entry(k, struct item, b)->v
					: ry_list_entry(k, struct item, a)->v);
	return out;
}

/* The same, tail to head: the prev links agree with the next links. */
static int walk_back(const struct ry_list *l)
{
	int out = 0;

	for (const struct ry_link *k = l->tail; k; k = k->prev)
		out = out * 10 + ry_list_entry(k, struct item, a)->v;
	return out;
}

int main(void)
{
	struct item it[5] = { { .v = 1 }, { .v = 2 }, { .v = 3 }, { .v = 4 }, { .v = 5 } };
	struct ry_list l = { 0 }, m = { 0 };

	ok(ry_list_empty(&l) && ry_list_first(&l, struct item, a) == NULL, "a zeroed list is empty; no first");
	ok(ry_list_pop_head(&l) == NULL, "popping an empty list gives NULL");
	for (int i = 0; i < 4; i++)
		ry_list_push_tail(&l, &it[i].a);
	is_int(walk(&l, 0), 1234, "appended in order");
	is_int(walk_back(&l), 4321, "and linked both ways");
	ok(ry_list_has(&l, &it[0].a) && ry_list_has(&l, &it[3].a) && !ry_list_has(&l, &it[4].a),
	   "has: the head, the tail, and not a fresh link");

	ry_list_remove(&l, &it[1].a);	/* the middle */
	is_int(walk(&l, 0), 134, "a middle element removed");
	ok(!ry_list_has(&l, &it[1].a) && !it[1].a.prev && !it[1].a.next, "and its link is cleared");
	ry_list_remove(&l, &it[0].a);	/* the head */
	ry_list_remove(&l, &it[3].a);	/* the tail */
	is_int(walk(&l, 0), 3, "head and tail removed");
	ok(l.head == &it[2].a && l.tail == &it[2].a, "the one left is head and tail");
	ry_list_push_tail(&l, &it[3].a);	/* moved to the back, as serve's touch does */
	ry_list_remove(&l, &it[2].a);
	ry_list_push_tail(&l, &it[2].a);
	is_int(walk(&l, 0), 43, "remove and push again moves an element to the back");

	/* One element on two lists through two links. */
	ry_list_push_tail(&m, &it[2].b);
	ry_list_push_tail(&m, &it[4].b);
	is_int(walk(&m, 1) * 100 + walk(&l, 0), 3543, "an element on two lists at once");
	struct ry_link *h = ry_list_pop_head(&m);
	ok(h == &it[2].b && ry_list_entry(h, struct item, b) == &it[2], "pop_head gives the head's link, entry its element");
	is_int(walk(&l, 0), 43, "taking it off one list leaves it on the other");
	ry_list_pop_head(&m);
	ok(ry_list_empty(&m) && m.tail == NULL, "popped empty: head and tail NULL");
	return done_testing();
}
