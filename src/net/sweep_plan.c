#include "net/sweep_plan.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util/resume.h"

/* --resume: which records of the file are this share's settled ones. */
struct resume_ctx {
	const struct ry_sweep_plan_config *c;
	const struct ry_target_list *tl;	/* the whole list, sorted */
	const bool *mine;			/* per tl index: in this share */
	bool *done;				/* per tl index: settled before */
	size_t prev_done, prev_up;
};

static int resume_check(void *ctx, const char *line, size_t len, const char **why)
{
	struct resume_ctx *c = ctx;
	const struct ry_sweep_plan_config *cfg = c->c;
	size_t n;
	const char *v;
	char text[RY_ADDRSTR_MAX];
	struct ry_ipaddr a;

	if (ry_resume_is_summary(line, len))
		return 0;	/* an interrupted run's summary: a new one follows */
	if (!(v = ry_json_field(line, len, "address", &n)) || n >= sizeof text) {
		*why = "not a ping-sweep --json record";
		return -1;
	}
	memcpy(text, v, n);
	text[n] = '\0';
	if (!ry_resume_shard_is(line, len, &cfg->shard)) {
		*why = "a record of another --shard";
		return -1;
	}
	size_t lo = ry_ipaddr_parse(text, &a) == 0 ? ry_target_find(c->tl, &a) : c->tl->n;
	if (lo >= c->tl->n || !c->mine[lo]) {
		*why = "an address that is not in this share of these targets";
		return -1;
	}
	/* Settled: up or down (fping-style count records: all of them). */
	bool up = (v = ry_json_field(line, len, "state", &n)) && n == 2 && memcmp(v, "up", 2) == 0;
	bool down = v && n == 4 && memcmp(v, "down", 4) == 0;
	size_t rn;
	const char *rv = ry_json_field(line, len, "received", &rn);
	bool counted = !v && rv;
	if (counted)
		up = !(rn == 1 && rv[0] == '0');
	if (!(up || down || counted) || c->done[lo])
		return 0;
	c->done[lo] = true;
	c->prev_done++;
	c->prev_up += up;
	return 1;
}

/* The whole list's fingerprint: copies of one command line must agree
 * on it (the summary record shows it, so a merge can check). */
static uint64_t list_hash(const struct ry_target_list *tl)
{
	uint64_t h = RY_SHARD_HASH_INIT;

	for (size_t i = 0; i < tl->n; i++) {
		h = ry_shard_hash(h, &tl->v[i].family, 1);
		h = ry_shard_hash(h, tl->v[i].a, tl->v[i].family == AF_INET ? 4 : 16);
	}
	return h;
}

/* This copy's targets, in probe order: the shard's share of the
 * (shuffled) whole list, less what --resume finds settled.  tl and
 * *given are replaced by the share's.  0, or 2 after a message. */
int ry_sweep_plan_make(const struct ry_sweep_plan_config *cfg, struct ry_target_list *tl,
		       const char ***given, struct ry_sweep_plan *pl)
{
	size_t n = tl->n, cap = (size_t)ry_shard_share(n, &cfg->shard) + 1;
	size_t *sel = malloc(cap * sizeof *sel);
	bool *mine = calloc(n ? n : 1, sizeof *mine), *done = calloc(n ? n : 1, sizeof *done);
	struct ry_ipaddr *v = NULL;
	const char **g = NULL;
	int rc = -ENOMEM;

	pl->err = (struct ry_resume_error){ 0 };
	pl->list_hash = list_hash(tl);
	pl->seed = cfg->seed_given ? cfg->seed : ry_shard_mix(pl->list_hash);
	pl->total = n;
	if (!sel || !mine || !done)
		goto out;
	size_t m = ry_shard_select(n, &cfg->shard, cfg->shuffle, pl->seed, sel);
	pl->share = m;
	for (size_t j = 0; j < m; j++)
		mine[sel[j]] = true;
	if (cfg->resume) {
		struct resume_ctx c = { cfg, tl, mine, done, 0, 0 };
		struct ry_resume rs;
		if ((rc = ry_resume_open(&rs, cfg->resume, "address", resume_check, &c)) != 0) {
			pl->err = rs.err;
			goto out;
		}
		rc = -ENOMEM;
		ry_resume_free(&rs);	/* done[] holds what it found */
		pl->prev_done = c.prev_done;
		pl->prev_up = c.prev_up;
	}
	size_t k = 0;
	v = malloc((m ? m : 1) * sizeof *v);
	g = given && *given ? calloc(m ? m : 1, sizeof *g) : NULL;
	pl->byaddr = malloc((m ? m : 1) * sizeof *pl->byaddr);
	if (!v || !pl->byaddr || (given && *given && !g))
		goto out;
	for (size_t j = 0; j < m; j++) {
		if (done[sel[j]])
			continue;
		v[k] = tl->v[sel[j]];
		if (g)
			g[k] = (*given)[sel[j]];
		sel[k++] = sel[j];
	}
	/* Address order of the run's targets: by their place in the sorted
	 * whole list. */
	size_t *at = calloc(n ? n : 1, sizeof *at);
	if (!at)
		goto out;
	for (size_t j = 0; j < k; j++)
		at[sel[j]] = j + 1;
	for (size_t i = 0, q = 0; i < n; i++)
		if (at[i])
			pl->byaddr[q++] = at[i] - 1;
	free(at);
	free(tl->v);
	tl->v = v;
	tl->n = tl->cap = k;
	v = NULL;
	if (given) {
		free((void *)*given);
		*given = g;
		g = NULL;
	}
	rc = 0;
out:
	free(v);
	free((void *)g);
	free(sel);
	free(mine);
	free(done);
	return rc;
}


void ry_sweep_plan_free(struct ry_sweep_plan *pl)
{
	free(pl->byaddr);
	pl->byaddr = NULL;
}
