/*
 * target_in: the targets a ping-sweep user gives, read into one set of
 * addresses.  Each target is added as it is read (ranges and prefixes
 * as spans, never expanded: net/target); host names are kept and then
 * resolved together on the DNS engine, within one deadline whatever
 * their count; a name that does not resolve is counted and the rest go
 * on (fping's way).  --max-hosts holds for the whole list.
 *
 * Library code: nothing is printed; every refusal is a code and static
 * text for the caller to word with the target and its line.
 *
 * Ownership: the reader owns its set and names.  Thread safety: one
 * thread.
 */
#ifndef RY_NET_TARGET_IN_H
#define RY_NET_TARGET_IN_H

#include <stddef.h>
#include <stdint.h>

#include "net/target.h"

struct ry_target_in {
	uint64_t max_hosts;
	struct ry_target_set all;	/* every address so far */
	struct ry_target_name *names;	/* host names, in the order given */
	size_t nnames, cap;
	size_t failed;			/* names that did not resolve */
};

void ry_target_in_init(struct ry_target_in *in, uint64_t max_hosts);
void ry_target_in_free(struct ry_target_in *in);

/* One target as written (len bytes; line: its line of stdin, or 0).
 * 0; RY_EBADADDR with *why (not a target, a NUL byte in it); -E2BIG
 * (more than max_hosts addresses in all); -ENOMEM. */
int ry_target_in_add(struct ry_target_in *in, const char *text, size_t len, size_t line, const char **why);

/* Resolves every name kept (family: of the addresses wanted), within
 * timeout_ns (at least a second), adds each one found and counts the rest in failed (their
 * names[i].why says why); then makes the set unique (sorted, no
 * duplicates).  0; -E2BIG with *at the name that went past max_hosts;
 * -ENOMEM; or another error with *why (the lookup could not start). */
int ry_target_in_finish(struct ry_target_in *in, int family, int64_t timeout_ns, size_t *at,
			const char **why);

#endif
