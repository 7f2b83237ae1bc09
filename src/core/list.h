/*
 * list: an intrusive doubly linked list, the one every engine uses for
 * what it keeps in order (serve's connections by last activity and its
 * partial lines by age; the DNS engine's names in flight by deadline,
 * its queues, its timers).
 *
 * An element embeds one struct ry_link per list it can be on; the list
 * holds the head and the tail, so appending, taking the head, removing
 * any element and asking whether one is on the list are O(1) and
 * allocate nothing.  ry_list_entry turns a link back into its element.
 * A link that is on no list has prev and next NULL (zeroed memory is
 * such a link, and an empty list).
 *
 * Ownership: a list owns nothing; an element is removed before it is
 * freed.  Thread safety: none; a list belongs to one thread, or is
 * guarded by its owner's lock.
 */
#ifndef RY_CORE_LIST_H
#define RY_CORE_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct ry_link {
	struct ry_link *prev, *next;
};

struct ry_list {
	struct ry_link *head, *tail;
};

/* The element of type `type` whose member `member` is the link l (not
 * NULL). */
#define ry_list_entry(l, type, member) ((type *)(void *)((char *)(l) - offsetof(type, member)))

/* The first element, or NULL. */
#define ry_list_first(list, type, member) \
	((list)->head ? ry_list_entry((list)->head, type, member) : (type *)NULL)

static inline bool ry_list_empty(const struct ry_list *l)
{
	return l->head == NULL;
}

/* Whether n is on l (a link is on at most one list through one
 * member). */
static inline bool ry_list_has(const struct ry_list *l, const struct ry_link *n)
{
	return l->head == n || n->prev != NULL;
}

static inline void ry_list_push_tail(struct ry_list *l, struct ry_link *n)
{
	n->prev = l->tail;
	n->next = NULL;
	if (l->tail)
		l->tail->next = n;
	else
		l->head = n;
	l->tail = n;
}

/* Takes n (on l) off l. */
static inline void ry_list_remove(struct ry_list *l, struct ry_link *n)
{
	/* Tested against head and tail rather than prev and next being
	 * NULL: the same on a well-formed list, and this form lets the
	 * static analyser see that removing the head moves it on. */
	if (l->head == n)
		l->head = n->next;
	else
		n->prev->next = n->next;
	if (l->tail == n)
		l->tail = n->prev;
	else
		n->next->prev = n->prev;
	n->prev = n->next = NULL;
}

/* Takes the head off l: it, or NULL when l is empty. */
static inline struct ry_link *ry_list_pop_head(struct ry_list *l)
{
	struct ry_link *n = l->head;

	if (n)
		ry_list_remove(l, n);
	return n;
}

#endif
