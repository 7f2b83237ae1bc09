#include "core/reorder.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct ry_reorder {
	size_t size;		/* of one element */
	size_t cap;		/* slots; a power of two, or 0 */
	size_t next;		/* index due */
	unsigned char *slots;	/* index i lives at i & (cap - 1) */
	bool *have;
};

struct ry_reorder *ry_reorder_new(size_t elem_size)
{
	struct ry_reorder *r = calloc(1, sizeof *r);

	if (!r)
		return NULL;
	r->size = elem_size ? elem_size : 1;
	return r;
}

void ry_reorder_free(struct ry_reorder *r)
{
	if (!r)
		return;
	free(r->slots);
	free(r->have);
	free(r);
}

/* Grows the ring to hold index next + span - 1, moving held elements to
 * their slots in the larger ring. */
static int grow(struct ry_reorder *r, size_t span)
{
	size_t cap = r->cap ? r->cap : 16;

	while (cap < span) {
		if (cap > SIZE_MAX / 2 / r->size)
			return -ENOMEM;
		cap *= 2;
	}
	unsigned char *slots = malloc(cap * r->size);
	bool *have = calloc(cap, sizeof *have);
	if (!slots || !have) {
		free(slots);
		free(have);
		return -ENOMEM;
	}
	for (size_t i = r->next; i < r->next + r->cap; i++) {
		size_t from = i & (r->cap - 1);
		if (!r->have[from])
			continue;
		memcpy(slots + (i & (cap - 1)) * r->size, r->slots + from * r->size, r->size);
		have[i & (cap - 1)] = true;
	}
	free(r->slots);
	free(r->have);
	r->slots = slots;
	r->have = have;
	r->cap = cap;
	return 0;
}

int ry_reorder_put(struct ry_reorder *r, size_t index, const void *elem)
{
	if (index < r->next)
		return -EINVAL;
	if (index - r->next >= r->cap) {
		int rc = grow(r, index - r->next + 1);
		if (rc != 0)
			return rc;
	}
	size_t at = index & (r->cap - 1);
	if (r->have[at])
		return -EINVAL;
	memcpy(r->slots + at * r->size, elem, r->size);
	r->have[at] = true;
	return 0;
}

bool ry_reorder_pop(struct ry_reorder *r, void *elem)
{
	if (r->cap == 0)
		return false;
	size_t at = r->next & (r->cap - 1);
	if (!r->have[at])
		return false;
	memcpy(elem, r->slots + at * r->size, r->size);
	r->have[at] = false;
	r->next++;
	return true;
}

size_t ry_reorder_next(const struct ry_reorder *r)
{
	return r->next;
}

int ry_reorder_settle(struct ry_reorder *r, size_t index, void *elem, ry_reorder_emit_fn *emit, void *ctx)
{
	if (!r) {
		emit(ctx, index, elem);
		return 0;
	}
	int rc = ry_reorder_put(r, index, elem);
	if (rc != 0) {
		emit(ctx, index, elem);	/* out of order rather than lost */
		return rc;
	}
	/* elem was copied in: it serves as the buffer for what comes out. */
	for (size_t next = r->next; ry_reorder_pop(r, elem); next++)
		emit(ctx, next, elem);
	return 0;
}

void ry_reorder_drain(struct ry_reorder *r, void *elem, void (*drop)(void *ctx, void *elem), void *ctx)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->cap; i++) {
		if (!r->have[i])
			continue;
		memcpy(elem, r->slots + i * r->size, r->size);
		r->have[i] = false;
		drop(ctx, elem);
	}
}
