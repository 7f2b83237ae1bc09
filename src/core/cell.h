/*
 * cell and refcell: interior mutability, Rust's Cell and RefCell.
 *
 * Both are changed through a const handle: that is the point of the
 * lesson.  A cell holds a plain value that is only ever copied in and out
 * (get/set/replace), so no reference into it can exist to be invalidated.
 * A refcell hands out references, and checks Rust's borrow rules at run
 * time: any number of shared borrows, or one exclusive borrow.  A
 * conflicting ry_refcell_borrow() panics with "already mutably borrowed:
 * BorrowError", a conflicting ry_refcell_borrow_mut() with "already
 * borrowed: BorrowMutError"; the try_ forms return RY_EBORROW /
 * RY_EBORROWMUT instead.  Every borrow is ended by the matching release.
 *
 * Thread safety: none.  Both are single-thread types, as in Rust; across
 * threads use ry_mutex.
 */
#ifndef RY_CORE_CELL_H
#define RY_CORE_CELL_H

#include <stddef.h>

#include "util/error.h"

struct ry_cell;
struct ry_refcell;

/* size bytes initialised from init (zero if NULL); NULL + ENOMEM. */
struct ry_cell *ry_cell_new(size_t size, const void *init);
void ry_cell_free(struct ry_cell *c);
void ry_cell_get(const struct ry_cell *c, void *out);
void ry_cell_set(const struct ry_cell *c, const void *in);
/* Stores in and copies the previous value to old. */
void ry_cell_replace(const struct ry_cell *c, const void *in, void *old);

struct ry_refcell *ry_refcell_new(size_t size, const void *init);
/* Frees c; panics if a borrow is still live. */
void ry_refcell_free(struct ry_refcell *c);

/* Borrow or panic.  Macros, so that the panic names the caller's file and
 * line, as Rust's #[track_caller] does. */
#define ry_refcell_borrow(c) ry_refcell_borrow_at((c), __FILE__, __LINE__)
#define ry_refcell_borrow_mut(c) ry_refcell_borrow_mut_at((c), __FILE__, __LINE__)
const void *ry_refcell_borrow_at(const struct ry_refcell *c, const char *file, int line);
void *ry_refcell_borrow_mut_at(const struct ry_refcell *c, const char *file, int line);
/* 0 with *out set, or RY_EBORROW / RY_EBORROWMUT and *out untouched. */
int ry_refcell_try_borrow(const struct ry_refcell *c, const void **out);
int ry_refcell_try_borrow_mut(const struct ry_refcell *c, void **out);
/* End one shared / the exclusive borrow. */
void ry_refcell_release(const struct ry_refcell *c);
void ry_refcell_release_mut(const struct ry_refcell *c);
/* Shared borrows live now, or -1 while mutably borrowed. */
long ry_refcell_borrow_state(const struct ry_refcell *c);

#endif
