/*
 * rustyc barrier-demo: the tutorial's Barrier lesson.  Threads print
 * "before wait I", meet at a barrier, print "after wait I"; with several
 * rounds the same barrier is reused.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/barrier.h"
#include "core/thread.h"
#include "util/diag.h"
#include "util/opt.h"
#include "util/out.h"

struct shared {
	struct ry_barrier *barrier;
	unsigned long rounds;
	bool leader;
};

struct worker {
	const struct shared *s;
	unsigned long id;
};

static void *run(void *arg)
{
	const struct worker *w = arg;
	const struct shared *s = w->s;
	char round[32] = "";

	for (unsigned long r = 0; r < s->rounds; r++) {
		if (s->rounds > 1)
			snprintf(round, sizeof round, " round %lu", r);
		/* One printf per line: stdio locks the stream per call. */
		ry_out_printf("before wait %lu%s\n", w->id, round);
		bool leader = ry_barrier_wait(s->barrier);
		ry_out_printf("after wait %lu%s%s\n", w->id, round,
		       leader && s->leader ? " (leader)" : "");
		/* A second barrier wait keeps round r+1's 'before' lines
		 * after round r's 'after' lines, so each round reads whole. */
		if (s->rounds > 1)
			ry_barrier_wait(s->barrier);
	}
	return NULL;
}

int cmd_barrier_demo(int argc, char **argv)
{
	unsigned long nthreads = 5;
	/* Static: threads blocked at the barrier may outlive this call. */
	static struct shared s;
	struct ry_thread **threads;
	struct worker *workers;
	int args, rc;
	const struct ry_opt opts[] = {
		RY_OPT_N('j', "threads", &nthreads, "N", 1, 1000, "threads (default 5)"),
		RY_OPT_N('r', "rounds", &s.rounds, "N", 1, 1000000,
			 "rounds through the same barrier (default 1); lines\nthen end in ' round R'"),
		RY_OPT_F('L', "leader", &s.leader,
			 "mark the 'after' line of each round's leader\n(the one thread the barrier tells it led)"),
	};
	const struct ry_cmdline cl = {
		.synopsis = "",
		.about =
"Threads print 'before wait I', wait at a barrier until all have arrived,\n"
"then print 'after wait I'.  Every 'before' line of a round comes before\n"
"every 'after' line of that round.\n",
		.opts = opts, .nopts = sizeof opts / sizeof opts[0], .max_args = 0,
	};

	s.rounds = 1;
	if ((rc = ry_opt_parse(&cl, argc, argv, &args)) >= 0)
		return rc;
	s.barrier = ry_barrier_new((unsigned)nthreads);
	threads = calloc(nthreads, sizeof(struct ry_thread *));
	workers = calloc(nthreads, sizeof *workers);
	if (!s.barrier || !threads || !workers) {
		ry_err("out of memory");
		ry_barrier_free(s.barrier);
		free(threads);
		free(workers);
		return 2;
	}
	for (unsigned long i = 0; i < nthreads; i++) {
		workers[i] = (struct worker){ &s, i };
		threads[i] = ry_thread_spawn(run, &workers[i], "waiter");
		if (!threads[i]) {
			/* The ones started wait at the barrier for one that
			 * will never come: only the end of the process ends
			 * them, so what they use stays allocated (s is
			 * static for this). */
			ry_err("cannot start thread %lu: %s", i, ry_strerror(-errno));
			free(threads);	/* the waiting threads use workers, not this */
			return 2;
		}
	}
	for (unsigned long i = 0; i < nthreads; i++)
		ry_thread_join(threads[i], NULL);
	ry_barrier_free(s.barrier);
	free(threads);
	free(workers);
	return 0;
}
