/*
 * The exec sweep method: the system ping, once per target (plus
 * retries), `jobs` at a time on a thread pool, started without a shell
 * (net/proc); exit status 0 means up, and the round-trip time is read
 * from ping's summary ("rtt min/avg/max/mdev = 0.045/..."; busybox:
 * "round-trip min/avg/max = ...").  The tutorial's ping sweep, kept for
 * hosts where ICMP sockets are not permitted.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pool.h"
#include "util/proc.h"
#include "net/sweep_impl.h"

struct exec_ctx {
	const struct ry_ipaddr *t;
	const struct ry_sweep_config *cfg;
	atomic_int missing;		/* ping could not be started */
};

/* The RTT in ping's summary, in microseconds, or -1. */
long ry_sweep_exec_rtt(const char *out)
{
	const char *p = strstr(out, "min/avg/max");

	if (!p || !(p = strchr(p, '=')))
		return -1;
	char *end;
	double ms = strtod(p + 1, &end);	/* min: one probe, all equal */
	if (end == p + 1 || *end != '/' || !(ms >= 0) || ms > 3600e3)
		return -1;
	return (long)(ms * 1000 + 0.5);
}

static void *exec_one(size_t i, void *arg)
{
	struct exec_ctx *x = arg;
	const struct ry_sweep_config *cfg = x->cfg;
	char addr[64], wait[32];

	ry_ipaddr_str(&x->t[i], addr, sizeof addr);
	snprintf(wait, sizeof wait, "%.3f", cfg->timeout_ns / 1e9);
	const char *argv[] = { cfg->ping ? cfg->ping : "ping", "-n", "-q", "-c", "1", "-W", wait,
			       x->t[i].family == AF_INET6 ? "-6" : "-4", addr, NULL };
	char out[1024];
	for (unsigned k = 0; k <= cfg->retries; k++) {
		if (ry_sweep_stopped(cfg))
			break;
		int rc = ry_proc_run_capture(argv, out, sizeof out);
		if (rc == 0) {
			/* Up: 1 + the RTT in microseconds, or 1 when unknown. */
			long us = ry_sweep_exec_rtt(out);
			return (void *)(uintptr_t)(us >= 0 ? (unsigned long)us + 2 : 1);
		}
		if (rc < 0) {
			atomic_store(&x->missing, rc);
			break;
		}
	}
	return NULL;
}

static int exec_sweep(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg, bool *up)
{
	struct exec_ctx x = { t, cfg, 0 };
	struct ry_pool_result res;
	struct ry_pool *p;

	if (cfg->count)
		return -EINVAL;		/* count mode is icmp's */
	if (!ry_proc_exists(cfg->ping ? cfg->ping : "ping"))
		return -ENOENT;
	/* Before the pool's threads exist: they inherit the empty sets. */
	int rc = ry_sweep_sockets_ready(cfg);
	if (rc != 0)
		return rc;
	for (size_t i = 0; cfg->sent && i < n; i++)
		cfg->sent[i] = 0;
	p = ry_pool_map(cfg->jobs ? cfg->jobs : 1, n, exec_one, &x, 0);
	if (!p)
		return -errno;
	size_t settled = 0;
	while (ry_pool_next(p, &res) == 0) {
		if (cfg->sent)
			cfg->sent[res.index] = 1;	/* probed (once or more) */
		if (res.out.status == 0 && res.out.value) {
			up[res.index] = true;
			uintptr_t v = (uintptr_t)res.out.value;
			if (cfg->on_up)
				cfg->on_up(cfg->ctx, res.index, v >= 2 ? (int64_t)(v - 2) * 1000 : -1);
		} else if (res.out.status == 0 && cfg->on_down && !ry_sweep_stopped(cfg)) {
			cfg->on_down(cfg->ctx, res.index);
		}
		if (cfg->on_progress)
			cfg->on_progress(cfg->ctx, ++settled);
	}
	ry_pool_free(p);
	return atomic_load(&x.missing);
}

const struct ry_sweep_method ry_sweep_exec = {
	.name = "exec", .help = "the system ping, one process per address",
	.has_rtt = true, .run = exec_sweep,
};
