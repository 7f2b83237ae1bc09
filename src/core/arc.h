/*
 * arc and rc: reference-counted values, Rust's Arc and Rc.
 *
 * ry_arc_new() allocates a zeroed payload behind a hidden header holding
 * the count and a destructor, and returns a pointer to the payload: the
 * caller fills it in and hands out clones.  Each handle is the same
 * pointer; ry_arc_clone() counts one more owner, ry_arc_drop() one fewer,
 * and the drop that takes the count to zero runs the destructor (if any)
 * on the payload and frees it, on whatever thread that drop happens.
 *
 * arc counts atomically: clone and drop from any thread.  rc counts with
 * plain arithmetic: every handle of one rc must stay on one thread, which
 * is why it exists (no atomic read-modify-write per clone), and why Rust
 * refuses to send an Rc to another thread.  A payload shared between
 * threads needs its own synchronisation (a ry_mutex) to be mutated.
 */
#ifndef RY_CORE_ARC_H
#define RY_CORE_ARC_H

#include <stddef.h>

/* New value with count 1; NULL with errno ENOMEM.  dtor may be NULL; it
 * must not free the payload (the drop does). */
void *ry_arc_new(size_t size, void (*dtor)(void *payload));
/* One more owner; returns p for convenience. */
void *ry_arc_clone(void *p);
/* One fewer owner; the last runs dtor and frees.  p may be NULL. */
void ry_arc_drop(void *p);
/* Owners right now (a snapshot: other threads may change it). */
size_t ry_arc_count(const void *p);

/* The same, single-threaded. */
void *ry_rc_new(size_t size, void (*dtor)(void *payload));
void *ry_rc_clone(void *p);
void ry_rc_drop(void *p);
size_t ry_rc_count(const void *p);

#endif
