/*
 * grow: the one growing array.
 *
 *     struct item *v = ry_grow(l->v, &l->cap, l->n + 1, sizeof *l->v, 16);
 *     if (!v)
 *             return -ENOMEM;
 *     l->v = v;
 *
 * ry_grow returns a block of at least `need` elements of `size` bytes:
 * `v` itself when its capacity `*cap` suffices, else `v` moved (realloc)
 * to the capacity doubled from `*cap` (or from `first` when empty) until
 * it holds `need`, with *cap updated.  NULL on overflow, no memory or a
 * size of 0;
 * then `v` and `*cap` are unchanged and still valid.
 *
 * Thread safety: plain memory; the caller owns v.
 */
#ifndef RY_UTIL_GROW_H
#define RY_UTIL_GROW_H

#include <stddef.h>

void *ry_grow(void *v, size_t *cap, size_t need, size_t size, size_t first);

#endif
