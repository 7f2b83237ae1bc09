/*
 * sweep_plan: what one copy of a sweep probes, and in which order.
 *
 * From the whole normalized target list (sorted, unique: what every copy
 * of one command line builds alike) a plan takes the share of shard K/N
 * at positions K, K+N, ... of a seeded permutation (util/shard; address
 * order when not shuffled), less what an earlier run of the same copy
 * settled (--resume FILE, read through util/resume: records of another
 * shard or of a target outside this share are refused, naming the line).
 * The share comes out as an address list in probe order, built from
 * share positions (memory follows the share, not the list); byaddr
 * gives the address order back for output that wants it.  The seed, unless given,
 * is derived from the list's hash, so copies agree without being told.
 *
 * Ownership: the plan owns byaddr (ry_sweep_plan_free).  Thread safety:
 * one thread; ry_sweep_plan_make may point stdout at the resume file, so
 * it runs before any output.
 */
#ifndef RY_NET_SWEEP_PLAN_H
#define RY_NET_SWEEP_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/target.h"
#include "util/resume.h"
#include "util/shard.h"

/* The keys of a target's record (net/sweep_record writes them) that
 * --resume reads back. */
#define RY_SWEEP_KEY_ADDRESS "address"
#define RY_SWEEP_KEY_STATE "state"		/* "up", "down", ... */
#define RY_SWEEP_KEY_RECEIVED "received"	/* count mode */

struct ry_sweep_plan_config {
	struct ry_shard shard;		/* n == 0: the whole list */
	bool shuffle;
	bool seed_given;
	uint64_t seed;
	const char *resume;		/* FILE, or NULL */
};

struct ry_sweep_plan {
	uint64_t list_hash;	/* of the whole normalized target list */
	uint64_t seed;
	size_t total;		/* targets in the whole list */
	size_t share;		/* of them, this shard's */
	size_t *byaddr;		/* run index of each target, in address order */
	size_t prev_done, prev_up;	/* settled by the run resumed */
	struct ry_resume_error err;	/* why --resume failed (code 0: it did not) */
};

/* This copy's share of the whole list `all` (ry_target_set_unique'd),
 * in probe order, less what --resume finds settled, into *share (an
 * address list of the share's size: the whole list is never expanded);
 * *given, per share target, the name it was given as among
 * names[0..nnames) (the first, if several name one address), or NULL
 * when no name was given.  0; or a negative errno: pl->err says why when
 * --resume failed (its code set; ry_resume_message words it), else
 * -ENOMEM.  Prints nothing. */
int ry_sweep_plan_make(const struct ry_sweep_plan_config *c, const struct ry_target_set *all,
		       const struct ry_target_name *names, size_t nnames, struct ry_target_list *share,
		       const char ***given, struct ry_sweep_plan *pl);

/* The share's one summary record (JSON): targets, done and up, counting
 * what the run resumed; list_targets, list_hash and seed. */
struct ry_rec;
void ry_sweep_plan_summary(const struct ry_sweep_plan *pl, const struct ry_shard *shard, struct ry_rec *rec,
			   size_t settled, size_t up, bool stopped);

void ry_sweep_plan_free(struct ry_sweep_plan *pl);

#endif
