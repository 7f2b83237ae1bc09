/*
 * sweep_job: one copy's sweep (see sweep_job.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/sweep_job.h"
#include "util/time.h"

static void on_name(void *ctx, size_t i)
{
	struct ry_sweep_job *j = ctx;

	if (j->c.on_up)
		j->c.on_up(j->c.ctx, i);
}

static void job_up(void *ctx, size_t i, int64_t rtt)
{
	struct ry_sweep_job *j = ctx;

	(void)rtt;	/* in the results */
	if (j->rdns && ry_rdns_ask(j->rdns, i, &j->tl.v[i]) == 0)
		return;		/* on_up once the name is known */
	on_name(j, i);
}

static void job_down(void *ctx, size_t i)
{
	struct ry_sweep_job *j = ctx;

	if (j->c.on_down)
		j->c.on_down(j->c.ctx, i);
}

static void job_fail(void *ctx, size_t i, const char *why, const struct ry_ipaddr *from)
{
	struct ry_sweep_job *j = ctx;

	(void)why;	/* in the results, with the sender */
	(void)from;
	if (j->c.on_fail && j->res.fail[i])
		j->c.on_fail(j->c.ctx, i);
}

static void job_conflict(void *ctx, size_t i, const uint8_t first[6], const uint8_t other[6])
{
	struct ry_sweep_job *j = ctx;

	if (j->c.on_conflict)
		j->c.on_conflict(j->c.ctx, i, first, other);
}

static void job_round(void *ctx, size_t settled)
{
	struct ry_sweep_job *j = ctx;

	if (j->rdns)	/* names that came while the sweep ran; no wait */
		ry_rdns_poll(j->rdns);
	if (j->c.on_round)
		j->c.on_round(j->c.ctx, settled);
}

int ry_sweep_job_open(struct ry_sweep_job *j, const struct ry_sweep_job_config *c,
		      const struct ry_target_in *in, const char **why)
{
	memset(j, 0, sizeof *j);
	j->c = *c;
	struct ry_sweep_config *cfg = &j->c.sweep;
	cfg->ctx = j;
	cfg->on_up = cfg->count ? NULL : job_up;
	cfg->on_down = cfg->count ? NULL : job_down;
	cfg->on_fail = job_fail;
	cfg->on_conflict = job_conflict;
	cfg->on_progress = job_round;
	if (ry_sweep_plan_make(&c->plan, &in->all, in->names, in->nnames, &j->tl, &j->given, &j->plan) != 0)
		return j->plan.err.code ? RY_SWEEP_JOB_PLAN : -ENOMEM;
	if (ry_sweep_choose(cfg, j->tl.v, j->tl.n, &j->choice) != 0)
		return RY_SWEEP_JOB_METHOD;
	if (ry_sweep_results_init(&j->res, j->tl.n, cfg->count, c->each && cfg->count > 0) != 0)
		return -ENOMEM;
	if (c->rdns && !(j->rdns = ry_rdns_new(j->tl.n, cfg->timeout_ns, on_name, j, why)))
		return RY_SWEEP_JOB_RDNS;
	return 0;
}

int ry_sweep_job_run(struct ry_sweep_job *j)
{
	int64_t t0 = ry_now_ns();
	int rc = ry_sweep_run_into(j->tl.v, j->tl.n, &j->c.sweep, &j->res);

	if (rc == 0 && j->rdns)
		ry_rdns_finish(j->rdns, j->c.sweep.stop);
	j->secs_ns = ry_now_ns() - t0;
	return rc;
}

void ry_sweep_job_view(const struct ry_sweep_job *j, size_t i, bool stopped, struct ry_sweep_view *v)
{
	const struct ry_sweep_results *res = &j->res;
	const struct ry_sweep_method *by = res->by[i] ? res->by[i] : j->c.sweep.method;

	*v = (struct ry_sweep_view){
		.addr = &j->tl.v[i], .given = j->given ? j->given[i] : NULL,
		.rdns = j->rdns ? ry_rdns_name(j->rdns, i) : NULL,
		.state = ry_sweep_results_state(res, i, stopped), .up = res->up[i],
		.settled = res->settled[i], .rtt = res->rtt[i],
		.mac = res->up[i] && by->has_mac ? res->mac[i] : NULL, .method = by->name,
		.fail = res->fail[i], .sent = res->sent[i],
	};
	if (!res->count)
		return;
	v->recv = res->recv[i];
	v->loss_pct = v->sent ? (unsigned)((v->sent - v->recv) * 100ull / v->sent) : 0;
	if (v->recv) {
		v->rmin = res->rmin[i];
		v->rmax = res->rmax[i];
		v->ravg = res->rsum[i] / v->recv;
	}
	if (res->each) {
		v->each = &res->each[i * res->count];
		v->neach = v->sent < res->count ? v->sent : res->count;
	}
}

void ry_sweep_job_free(struct ry_sweep_job *j)
{
	ry_rdns_free(j->rdns);
	ry_sweep_results_free(&j->res);
	ry_sweep_plan_free(&j->plan);
	free(j->given);
	ry_target_free(&j->tl);
	memset(j, 0, sizeof *j);
}
