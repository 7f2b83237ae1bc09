#include "core/arc.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* The header sits just before the payload; its size is rounded up to the
 * strictest alignment so the payload can hold any type. */
struct arc_hdr {
	atomic_size_t count;
	void (*dtor)(void *);
};

struct rc_hdr {
	size_t count;
	void (*dtor)(void *);
};

#define ROUND(n) (((n) + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1))
#define ARC_HDR ROUND(sizeof(struct arc_hdr))
#define RC_HDR ROUND(sizeof(struct rc_hdr))

static struct arc_hdr *arc_of(const void *p)
{
	return (struct arc_hdr *)((char *)p - ARC_HDR);
}

static struct rc_hdr *rc_of(const void *p)
{
	return (struct rc_hdr *)((char *)p - RC_HDR);
}

void *ry_arc_new(size_t size, void (*dtor)(void *))
{
	char *mem = calloc(1, ARC_HDR + size);
	struct arc_hdr *h = (struct arc_hdr *)mem;

	if (!mem)
		return NULL;
	atomic_init(&h->count, 1);
	h->dtor = dtor;
	return mem + ARC_HDR;
}

void *ry_arc_clone(void *p)
{
	/* Relaxed: a new owner can only come from an existing one, which
	 * already keeps the value alive. */
	atomic_fetch_add_explicit(&arc_of(p)->count, 1, memory_order_relaxed);
	return p;
}

void ry_arc_drop(void *p)
{
	if (!p)
		return;
	struct arc_hdr *h = arc_of(p);
	/* acq_rel: every owner's writes happen before the destructor runs. */
	if (atomic_fetch_sub_explicit(&h->count, 1, memory_order_acq_rel) == 1) {
		if (h->dtor)
			h->dtor(p);
		free(h);
	}
}

size_t ry_arc_count(const void *p)
{
	return atomic_load_explicit(&arc_of(p)->count, memory_order_relaxed);
}

void *ry_rc_new(size_t size, void (*dtor)(void *))
{
	char *mem = calloc(1, RC_HDR + size);
	struct rc_hdr *h = (struct rc_hdr *)mem;

	if (!mem)
		return NULL;
	h->count = 1;
	h->dtor = dtor;
	return mem + RC_HDR;
}

void *ry_rc_clone(void *p)
{
	rc_of(p)->count++;
	return p;
}

void ry_rc_drop(void *p)
{
	if (!p)
		return;
	struct rc_hdr *h = rc_of(p);
	if (--h->count == 0) {
		if (h->dtor)
			h->dtor(p);
		free(h);
	}
}

size_t ry_rc_count(const void *p)
{
	return rc_of(p)->count;
}
