/* cell and refcell: changes through a const handle, Rust's borrow rules
 * checked at run time, and the panics of the non-try forms. */
#include <string.h>

#include "core/cell.h"
#include "core/thread.h"
#include "tap.h"

static const struct ry_refcell *shared_cell;

static void *borrow_conflict(void *arg)
{
	return (void *)ry_refcell_borrow(shared_cell);
}

static void *borrow_mut_conflict(void *arg)
{
	return ry_refcell_borrow_mut(shared_cell);
}

int main(void)
{
	int v = 42, got, old;
	const struct ry_cell *c = ry_cell_new(sizeof v, &v);

	ry_cell_get(c, &got);
	is_int(got, 42, "cell: get returns the initial value");
	v = 77;
	ry_cell_set(c, &v);
	ry_cell_get(c, &got);
	is_int(got, 77, "cell: set through a const handle changes it");
	v = 5;
	ry_cell_replace(c, &v, &old);
	ry_cell_get(c, &got);
	ok(old == 77 && got == 5, "cell: replace returns the old value");
	ry_cell_free((struct ry_cell *)c);

	char init[8] = "hello";
	const struct ry_refcell *rc = ry_refcell_new(sizeof init, init);
	const void *s1, *s2;
	void *m;

	is_int(ry_refcell_try_borrow(rc, &s1), 0, "refcell: a shared borrow");
	is_int(ry_refcell_try_borrow(rc, &s2), 0, "refcell: a second shared borrow");
	is_int(ry_refcell_borrow_state(rc), 2, "refcell: two borrows live");
	is_str(s2, "hello", "refcell: borrow reads the value");
	is_int(ry_refcell_try_borrow_mut(rc, &m), RY_EBORROWMUT, "refcell: borrow_mut while borrowed is RY_EBORROWMUT");
	ry_refcell_release(rc);
	ry_refcell_release(rc);
	is_int(ry_refcell_try_borrow_mut(rc, &m), 0, "refcell: borrow_mut once released");
	strcpy(m, "hola");
	is_int(ry_refcell_borrow_state(rc), -1, "refcell: state -1 while mutably borrowed");
	is_int(ry_refcell_try_borrow(rc, &s1), RY_EBORROW, "refcell: borrow while mutably borrowed is RY_EBORROW");
	is_int(ry_refcell_try_borrow_mut(rc, &m), RY_EBORROWMUT, "refcell: a second borrow_mut is RY_EBORROWMUT");

	struct ry_outcome out;
	shared_cell = rc;
	is_int(ry_catch(borrow_conflict, NULL, &out), RY_EPANICKED, "refcell: a conflicting borrow panics");
	is_str(out.panic_msg, "already mutably borrowed: BorrowError", "with BorrowError");
	ry_refcell_release_mut(rc);
	is_str(ry_refcell_borrow(rc), "hola", "refcell: the mutable borrow's write is seen");
	is_int(ry_catch(borrow_mut_conflict, NULL, &out), RY_EPANICKED, "refcell: a conflicting borrow_mut panics");
	is_str(out.panic_msg, "already borrowed: BorrowMutError", "with BorrowMutError");
	ry_refcell_release(rc);
	is_int(ry_refcell_borrow_state(rc), 0, "refcell: nothing borrowed at the end");
	ry_refcell_free((struct ry_refcell *)rc);
	return done_testing();
}
