/*
 * reorder: results that finish out of order, handed on in order.
 *
 * Items carry an index 0, 1, 2, ...; ry_reorder_put() keeps one that
 * arrives ahead of its turn, ry_reorder_pop() gives the next in order
 * once it is there.  The store is a ring that grows to the span between
 * the next index due and the furthest one held, so memory follows how
 * far ahead results run, not how many items there are: a keep-order
 * stream of millions holds only what is out of order.
 *
 * Ownership: elements are copied in and out (elem_size bytes each); what
 * they point to stays the caller's.  ry_reorder_free() drops held
 * elements without looking at them: pop them first if they own memory.
 *
 * Thread safety: one thread.
 */
#ifndef RY_CORE_REORDER_H
#define RY_CORE_REORDER_H

#include <stdbool.h>
#include <stddef.h>

struct ry_reorder;

/* An empty buffer whose first index due is 0.  NULL with errno. */
struct ry_reorder *ry_reorder_new(size_t elem_size);
void ry_reorder_free(struct ry_reorder *r);

/* Keeps the element of index (at or after the next due, not held yet).
 * 0, -EINVAL (already delivered or already held), -ENOMEM. */
int ry_reorder_put(struct ry_reorder *r, size_t index, const void *elem);

/* Copies out the next element in order and moves on: true, or false
 * while it has not arrived. */
bool ry_reorder_pop(struct ry_reorder *r, void *elem);

/* The index due next. */
size_t ry_reorder_next(const struct ry_reorder *r);

typedef void ry_reorder_emit_fn(void *ctx, size_t index, void *elem);

/* Hands on result `index` (elem: elem_size bytes, the caller's buffer):
 * at once when r is NULL (no order asked), else every result now due, in
 * order, each to emit with its index and element (elem is reused as the
 * buffer).  A result that cannot be held (no memory) is handed on at
 * once, out of order rather than lost, and its error returned; else 0.
 * Both of resolve's engines settle their results through it. */
int ry_reorder_settle(struct ry_reorder *r, size_t index, void *elem, ry_reorder_emit_fn *emit, void *ctx);

/* Hands every element still held (a stopped run's, gaps and all) to
 * drop, in no particular order, through the buffer elem; r may be NULL. */
void ry_reorder_drain(struct ry_reorder *r, void *elem, void (*drop)(void *ctx, void *elem), void *ctx);

#endif
