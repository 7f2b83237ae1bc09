/*
 * rustyc map-demo: the tutorial's pipeliner lesson,
 *     for result in (0..10).with_threads(4).map(|x| x + 1)
 * on core/pool: a function mapped over a sequence on N threads, results
 * printed as they finish, or in input order with -k.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cmd/cmd.h"
#include "core/pool.h"
#include "util/diag.h"
#include "util/opt.h"
#include "util/out.h"

static void *plus_one(size_t x, void *ctx)
{
	return (void *)(uintptr_t)(x + 1);
}

int cmd_map_demo(int argc, char **argv)
{
	unsigned long threads = 4, count = 10;
	bool keep_order = false;
	int args, rc;
	const struct ry_opt opts[] = {
		RY_OPT_N('j', "threads", &threads, "N", 1, 1000, "threads, as with_threads(N) (default 4)"),
		RY_OPT_N('n', "count", &count, "N", 0, 100000000, "map over 0..N (default 10)"),
		RY_OPT_F('k', "keep-order", &keep_order,
			 "print in input order (each as soon as all\nbefore it are done)"),
	};
	const struct ry_cmdline cl = {
		.synopsis = "",
		.about =
"Maps x -> x + 1 over 0..N on a pool of threads and prints each result as\n"
"it finishes, 'result: 1' ... 'result: 10' in whatever order the threads\n"
"finish, as the tutorial's (0..10).with_threads(4).map(|x| x + 1) does.\n",
		.opts = opts, .nopts = sizeof opts / sizeof opts[0], .max_args = 0,
	};
	struct ry_pool *p;
	struct ry_pool_result res;

	if ((rc = ry_opt_parse(&cl, argc, argv, &args)) >= 0)
		return rc;
	p = ry_pool_map((unsigned)threads, count, plus_one, NULL, keep_order ? RY_POOL_ORDERED : 0);
	if (!p) {
		ry_err("cannot start the pool: %s", ry_strerror(-errno));
		return 2;
	}
	while (ry_pool_next(p, &res) == 0)
		ry_out_printf("result: %zu\n", (size_t)(uintptr_t)res.out.value);
	ry_pool_free(p);
	return 0;
}
