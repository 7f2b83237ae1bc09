/*
 * name_plan: which names of a list one copy of resolve looks up.
 *
 * --shard K/N puts a name in share hash(name) mod N, the hash taken of
 * its text with ASCII letters lowered (DNS names are case-blind), so
 * every copy agrees however the input is ordered or divided; --resume
 * FILE drops the names an earlier run of the same copy settled (read
 * through util/resume: a record of another shard, or of a name outside
 * this share, is refused naming its line).  The plan counts every name
 * it is shown, for the share's summary record: names read, in the share,
 * resumed as resolved or failed, and an order-free hash of the list.
 *
 * Records are keyed by "input" (the text as given, where it differs from
 * the host) or else "name", as resolve --json writes them.
 *
 * Ownership: the plan owns its resume keys (ry_name_plan_free).  Thread
 * safety: one thread; ry_name_plan_open may point stdout at the resume
 * file, so it runs before any output.
 */
#ifndef RY_NET_NAME_PLAN_H
#define RY_NET_NAME_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/out.h"
#include "util/resume.h"
#include "util/shard.h"

/* The record fields that key a name, for util/resume. */
#define RY_NAME_PLAN_KEY "input,name"

struct ry_name_plan {
	struct ry_shard shard;		/* n == 0: every name */
	const char *resume;		/* FILE, or NULL */
	struct ry_resume done;		/* names settled by the run resumed */
	uint64_t list_hash;		/* of every name shown, in any order */
	size_t seen;			/* names shown, in the share or not */
	size_t share;			/* of them, in this share */
	size_t prev_ok, prev_failed;	/* settled by the run resumed */
};

/* A name's place among shards: the same on every machine and build. */
uint64_t ry_name_hash(const char *s, size_t n);

/* Starts a plan for shard (n == 0: none) and resume (FILE, or NULL):
 * reads and rewrites FILE when given.  0, or a negative errno with
 * p->done.err saying why (ry_resume_message words it). */
int ry_name_plan_open(struct ry_name_plan *p, const struct ry_shard *shard, const char *resume);

/* Whether this copy looks up the name s[0..n): in its share and not
 * settled by the run resumed.  Counts it either way. */
bool ry_name_plan_take(struct ry_name_plan *p, const char *s, size_t n);

/* The share's summary record, JSON: shard, shards, names, done,
 * resolved, failed, resumed, interrupted, list_names, list_hash; ok and
 * failed are this run's, the resumed ones are added. */
void ry_name_plan_summary(const struct ry_name_plan *p, struct ry_rec *rec, size_t ok, size_t failed,
			  bool stopped);

void ry_name_plan_free(struct ry_name_plan *p);

#endif
