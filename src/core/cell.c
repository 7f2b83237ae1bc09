#include "core/cell.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/thread.h"

struct ry_cell {
	size_t size;
	alignas(max_align_t) unsigned char data[];
};

struct ry_refcell {
	long borrows;		/* > 0 shared borrows, -1 exclusive, 0 none */
	size_t size;
	alignas(max_align_t) unsigned char data[];
};

/* The handles are const to their users; the storage behind them is heap
 * memory we allocated non-const, so writing through it is defined. */
#define MUT(c) ((void *)(uintptr_t)(c))

struct ry_cell *ry_cell_new(size_t size, const void *init)
{
	struct ry_cell *c = malloc(sizeof *c + size);

	if (!c)
		return NULL;
	c->size = size;
	if (init)
		memcpy(c->data, init, size);
	else
		memset(c->data, 0, size);
	return c;
}

void ry_cell_free(struct ry_cell *c)
{
	free(c);
}

void ry_cell_get(const struct ry_cell *c, void *out)
{
	memcpy(out, c->data, c->size);
}

void ry_cell_set(const struct ry_cell *c, const void *in)
{
	struct ry_cell *m = MUT(c);
	memmove(m->data, in, m->size);
}

void ry_cell_replace(const struct ry_cell *c, const void *in, void *old)
{
	struct ry_cell *m = MUT(c);
	memcpy(old, m->data, m->size);
	memmove(m->data, in, m->size);
}

struct ry_refcell *ry_refcell_new(size_t size, const void *init)
{
	struct ry_refcell *c = malloc(sizeof *c + size);

	if (!c)
		return NULL;
	c->borrows = 0;
	c->size = size;
	if (init)
		memcpy(c->data, init, size);
	else
		memset(c->data, 0, size);
	return c;
}

void ry_refcell_free(struct ry_refcell *c)
{
	if (!c)
		return;
	if (c->borrows != 0)
		ry_panic("refcell freed while borrowed");
	free(c);
}

int ry_refcell_try_borrow(const struct ry_refcell *c, const void **out)
{
	struct ry_refcell *m = MUT(c);

	if (m->borrows < 0)
		return RY_EBORROW;
	m->borrows++;
	*out = m->data;
	return 0;
}

int ry_refcell_try_borrow_mut(const struct ry_refcell *c, void **out)
{
	struct ry_refcell *m = MUT(c);

	if (m->borrows != 0)
		return RY_EBORROWMUT;
	m->borrows = -1;
	*out = m->data;
	return 0;
}

const void *ry_refcell_borrow_at(const struct ry_refcell *c, const char *file, int line)
{
	const void *p;

	if (ry_refcell_try_borrow(c, &p) != 0)
		ry_panic_at(file, line, "already mutably borrowed: BorrowError");
	return p;
}

void *ry_refcell_borrow_mut_at(const struct ry_refcell *c, const char *file, int line)
{
	void *p;

	if (ry_refcell_try_borrow_mut(c, &p) != 0)
		ry_panic_at(file, line, "already borrowed: BorrowMutError");
	return p;
}

void ry_refcell_release(const struct ry_refcell *c)
{
	struct ry_refcell *m = MUT(c);

	if (m->borrows <= 0)
		ry_panic("refcell release without a shared borrow");
	m->borrows--;
}

void ry_refcell_release_mut(const struct ry_refcell *c)
{
	struct ry_refcell *m = MUT(c);

	if (m->borrows != -1)
		ry_panic("refcell release_mut without a mutable borrow");
	m->borrows = 0;
}

long ry_refcell_borrow_state(const struct ry_refcell *c)
{
	return c->borrows;
}
