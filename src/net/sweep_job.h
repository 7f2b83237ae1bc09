/*
 * sweep_job: one copy's sweep, from its target list to what it learned
 * of each target.  It takes the list read (net/target_in), makes this
 * copy's share and probe order (net/sweep_plan: shards, the seeded
 * shuffle, --resume), settles the method for those targets
 * (ry_sweep_choose), runs it keeping every result (net/sweep_results),
 * and with rdns looks up each live host's name while the sweep goes on
 * (net/rdns), so that a host is reported up once its name is known.
 *
 * The caller words the refusals, prints from the callbacks and from
 * ry_sweep_job_view, and writes the summary; it never sees a method's
 * or a plan's internals.
 *
 * Ownership: the job owns its share, plan, results and names; the
 * target list read must outlive it (the names given point into it).
 * Thread safety: one thread; the callbacks come one at a time on the
 * thread that runs the job (auto's two parts are serialized).
 */
#ifndef RY_NET_SWEEP_JOB_H
#define RY_NET_SWEEP_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/rdns.h"
#include "net/sweep.h"
#include "net/sweep_plan.h"
#include "net/target_in.h"

struct ry_sweep_job_config {
	struct ry_sweep_config sweep;	/* its callbacks are the job's own */
	struct ry_sweep_plan_config plan;
	bool rdns;			/* live hosts' names, before on_up */
	bool each;			/* count mode: keep every probe's RTT */
	/* The caller's callbacks (any may be NULL), with ctx: */
	void (*on_up)(void *ctx, size_t i);	/* up; its name known (rdns) */
	void (*on_down)(void *ctx, size_t i);	/* given up */
	void (*on_fail)(void *ctx, size_t i);	/* a new reason, in the view */
	void (*on_conflict)(void *ctx, size_t i, const uint8_t first[6], const uint8_t other[6]);
	void (*on_round)(void *ctx, size_t settled);	/* before each wait */
	void *ctx;
};

struct ry_sweep_job {
	struct ry_sweep_job_config c;
	struct ry_target_list tl;	/* the share, in probe order */
	struct ry_sweep_plan plan;	/* byaddr: the share in address order */
	const char **given;		/* per target: the name given, or NULL */
	struct ry_sweep_results res;
	struct ry_rdns *rdns;
	struct ry_sweep_choice choice;	/* how the method was settled */
	int64_t secs_ns;		/* the run's duration */
};

enum ry_sweep_job_refusal {
	RY_SWEEP_JOB_PLAN = 1,		/* --resume: plan.err says why */
	RY_SWEEP_JOB_METHOD,		/* choice.refused says why */
	RY_SWEEP_JOB_RDNS,		/* *why: the DNS engine did not start */
};

/* Makes the share, settles the method and makes room for the results.
 * 0; -ENOMEM; or a refusal above.  ry_sweep_job_free in every case. */
int ry_sweep_job_open(struct ry_sweep_job *j, const struct ry_sweep_job_config *c,
		      const struct ry_target_in *in, const char **why);

/* Runs the sweep, then waits for the names still asked (within their
 * deadline, or until the stop flag).  0, or the method's error. */
int ry_sweep_job_run(struct ry_sweep_job *j);

/* One target as the caller prints it. */
struct ry_sweep_view {
	const struct ry_ipaddr *addr;
	const char *given;		/* the name it was given as, or NULL */
	const char *rdns;		/* rdns: its name, or NULL */
	const char *state;		/* ry_sweep_results_state */
	bool up, settled;
	int64_t rtt;			/* ns, -1 unknown */
	const uint8_t *mac;		/* up, by a method that learns it */
	const char *method;		/* the method that probed it */
	const char *fail;		/* the last failure's reason, or NULL */
	/* Count mode: */
	unsigned sent, recv, loss_pct;
	int64_t rmin, ravg, rmax;	/* ns, when recv > 0 */
	const int64_t *each;		/* each probe's RTT (-1 lost), or NULL */
	unsigned neach;
};
void ry_sweep_job_view(const struct ry_sweep_job *j, size_t i, bool stopped, struct ry_sweep_view *v);

void ry_sweep_job_free(struct ry_sweep_job *j);

#endif
