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

static const char usage[] =
"usage: rustyc barrier-demo [options]\n"
"\n"
"Threads print 'before wait I', wait at a barrier until all have arrived,\n"
"then print 'after wait I'.  Every 'before' line of a round comes before\n"
"every 'after' line of that round.\n"
"\n"
"  -j, --threads N   threads (default 5)\n"
"  -r, --rounds N    rounds through the same barrier (default 1); lines\n"
"                    then end in ' round R'\n"
"  -L, --leader      mark the 'after' line of each round's leader\n"
"                    (the one thread the barrier tells it led)\n"
"  -h, --help        show this help\n";

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
		printf("before wait %lu%s\n", w->id, round);
		bool leader = ry_barrier_wait(s->barrier);
		printf("after wait %lu%s%s\n", w->id, round,
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
	static const struct option longopts[] = {
		{ "threads", required_argument, NULL, 'j' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "leader", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	unsigned long nthreads = 5;
	struct shared s = { .rounds = 1 };
	struct ry_thread **threads;
	struct worker *workers;
	int c;

	while ((c = ry_getopt(argc, argv, "j:r:Lh", longopts)) != -1) {
		switch (c) {
		case 'j':
			if (ry_opt_ulong("-j/--threads", optarg, 1, 1000, &nthreads))
				return 2;
			break;
		case 'r':
			if (ry_opt_ulong("-r/--rounds", optarg, 1, 1000000, &s.rounds))
				return 2;
			break;
		case 'L':
			s.leader = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			return 2;
		}
	}
	if (optind < argc) {
		ry_err("unexpected argument '%s' (see 'rustyc barrier-demo --help')", argv[optind]);
		return 2;
	}
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
			 * will never come: only exiting ends them. */
			ry_err("cannot start thread %lu: %s", i, strerror(errno));
			exit(2);
		}
	}
	for (unsigned long i = 0; i < nthreads; i++)
		ry_thread_join(threads[i], NULL);
	ry_barrier_free(s.barrier);
	free(threads);
	free(workers);
	return 0;
}
