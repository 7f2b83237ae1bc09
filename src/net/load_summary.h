/*
 * load_summary: a load run's --json summary, written and read back.
 *
 * ry_load_summary_json writes one run's summary (or merged runs') as a
 * JSON object with its whole latency histogram; ry_load_merge_add reads
 * such an object back and adds it to a merge: counts summed (checked
 * for overflow), histograms added bucket by bucket, the longest run's
 * seconds, the rates summed.  Both go through one table of the count
 * keys, so what is written is what is read.
 *
 * Thread safety: plain values; reentrant.
 */
#ifndef RY_NET_LOAD_SUMMARY_H
#define RY_NET_LOAD_SUMMARY_H

#include <stdio.h>

#include <stdbool.h>
#include <stddef.h>

#include "net/loadgen.h"

struct ry_rec;

/* What a single run was asked for (not written for merged runs). */
struct ry_load_shape {
	unsigned long conns, size, depth;
	unsigned long rate;		/* 0: as fast as echoed (JSON null) */
};

/* A merge in progress: start zeroed (force: merge runs of different
 * shapes). */
struct ry_load_merge {
	struct ry_load_result r;
	double rate;			/* the runs' req/s, summed */
	bool interrupted;		/* any run was */
	unsigned long runs;
	bool force;
	bool shaped;			/* shape: the first single run's */
	struct ry_load_shape shape;
};

/* One object for one run (shape given, runs 0) or a merge (shape NULL,
 * runs > 0), rate its requests per second. */
void ry_load_summary_json(struct ry_rec *rec, const struct ry_load_result *r, double rate,
			  const struct ry_load_shape *shape, unsigned long runs, bool interrupted);

/* Adds the summary line[0..len) to m.  0, or -EINVAL with *why: the
 * merge has failed (a histogram refused part way may be half added).
 * Single runs must have one shape (connections, size, depth, rate), the
 * first one's, unless m->force: percentiles of runs asked for different
 * loads describe no load; -EINVAL then names the field.  An earlier
 * merge's summary has no shape and is taken as it is. */
int ry_load_merge_add(struct ry_load_merge *m, const char *line, size_t len, const char **why);

/* Every summary line of f added to m (blank lines skipped).  0; -EINVAL
 * with *why and *lineno (the line's number in f); or a read error's
 * negative errno. */
int ry_load_merge_read(struct ry_load_merge *m, FILE *f, size_t *lineno, const char **why);

#endif
