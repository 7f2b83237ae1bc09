/*
 * sweep_results: the per-target record of a sweep, filled from the
 * method's callbacks before the caller's own see them (net/sweep.h).
 */
#include "net/sweep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ry_sweep_results_init(struct ry_sweep_results *res, size_t n, unsigned count, bool each)
{
	size_t m = n ? n : 1;

	*res = (struct ry_sweep_results){ .n = n, .count = count };
	res->up = calloc(m, sizeof *res->up);
	res->settled = calloc(m, sizeof *res->settled);
	res->rtt = malloc(m * sizeof *res->rtt);
	res->sent = calloc(m, sizeof *res->sent);
	res->mac = calloc(m, sizeof *res->mac);
	res->by = calloc(m, sizeof(const struct ry_sweep_method *));
	res->fail = calloc(m, sizeof *res->fail);
	bool ok = res->up && res->settled && res->rtt && res->sent && res->mac && res->by && res->fail;
	if (ok && count) {
		res->recv = calloc(m, sizeof *res->recv);
		res->rmin = calloc(m, sizeof *res->rmin);
		res->rmax = calloc(m, sizeof *res->rmax);
		res->rsum = calloc(m, sizeof *res->rsum);
		ok = res->recv && res->rmin && res->rmax && res->rsum;
		/* calloc: it checks the multiplication. */
		if (ok && each && (res->each = calloc(m, count * sizeof *res->each)) == NULL)
			ok = false;
		for (size_t k = 0; res->each && k < m * count; k++)
			res->each[k] = -1;
	}
	for (size_t i = 0; ok && i < n; i++)
		res->rtt[i] = -1;
	if (!ok) {
		ry_sweep_results_free(res);
		return -ENOMEM;
	}
	return 0;
}

void ry_sweep_results_free(struct ry_sweep_results *res)
{
	for (size_t i = 0; res->fail && i < res->n; i++)
		free(res->fail[i]);
	free(res->fail);
	free(res->up);
	free(res->settled);
	free(res->rtt);
	free(res->sent);
	free(res->mac);
	free((void *)res->by);
	free(res->recv);
	free(res->rmin);
	free(res->rmax);
	free(res->rsum);
	free(res->each);
	memset(res, 0, sizeof *res);
}

/* The caller's config, and where its results go. */
struct keeper {
	const struct ry_sweep_config *outer;
	struct ry_sweep_results *res;
};

static void kept_up(void *ctx, size_t i, int64_t rtt)
{
	struct keeper *k = ctx;

	k->res->settled[i] = true;
	k->res->rtt[i] = rtt;
	if (k->outer->on_up)
		k->outer->on_up(k->outer->ctx, i, rtt);
}

static void kept_down(void *ctx, size_t i)
{
	struct keeper *k = ctx;

	k->res->settled[i] = true;
	if (k->outer->on_down)
		k->outer->on_down(k->outer->ctx, i);
}

static void kept_reply(void *ctx, size_t i, unsigned probe, int64_t rtt)
{
	struct keeper *k = ctx;
	struct ry_sweep_results *res = k->res;

	if (res->recv[i]++ == 0 || rtt < res->rmin[i])
		res->rmin[i] = rtt;
	if (rtt > res->rmax[i])
		res->rmax[i] = rtt;
	res->rsum[i] += rtt;
	if (res->each && probe < res->count)
		res->each[i * res->count + probe] = rtt;
	if (k->outer->on_reply)
		k->outer->on_reply(k->outer->ctx, i, probe, rtt);
}

static void kept_fail(void *ctx, size_t i, const char *why, const struct ry_ipaddr *from)
{
	struct keeper *k = ctx;
	char sender[64], text[160];

	if (from) {
		ry_ipaddr_str(from, sender, sizeof sender);
		snprintf(text, sizeof text, "%s from %s", why, sender);
	} else {
		snprintf(text, sizeof text, "%s", why);
	}
	/* The same reason again (each retry's error) is no news. */
	if (k->res->fail[i] && strcmp(k->res->fail[i], text) == 0)
		return;
	free(k->res->fail[i]);
	k->res->fail[i] = strdup(text);	/* NULL: the record goes without */
	if (k->outer->on_fail)
		k->outer->on_fail(k->outer->ctx, i, why, from);
}

static void kept_conflict(void *ctx, size_t i, const uint8_t first[6], const uint8_t other[6])
{
	struct keeper *k = ctx;

	if (k->outer->on_conflict)
		k->outer->on_conflict(k->outer->ctx, i, first, other);
}

static void kept_progress(void *ctx, size_t settled)
{
	struct keeper *k = ctx;

	if (k->outer->on_progress)
		k->outer->on_progress(k->outer->ctx, settled);
}

int ry_sweep_run_into(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg,
		      struct ry_sweep_results *res)
{
	struct keeper k = { cfg, res };
	struct ry_sweep_config c = *cfg;

	c.ctx = &k;
	c.on_up = kept_up;
	c.on_down = kept_down;
	c.on_reply = cfg->count ? kept_reply : NULL;
	c.on_fail = kept_fail;
	c.on_conflict = kept_conflict;
	c.on_progress = kept_progress;
	c.sent = res->sent;
	c.mac = res->mac;
	c.by = res->by;
	return ry_sweep_run(t, n, &c, res->up);
}

const char *ry_sweep_results_state(const struct ry_sweep_results *res, size_t i, bool stopped)
{
	if (res->up[i])
		return "up";
	if (res->settled[i])
		return "down";
	if (!res->sent[i])
		return "unprobed";
	return stopped ? "interrupted" : "down";
}

void ry_sweep_results_totals(const struct ry_sweep_results *res, bool stopped, struct ry_sweep_totals *t)
{
	*t = (struct ry_sweep_totals){ .rmin = INT64_MAX };
	for (size_t i = 0; i < res->n; i++) {
		t->up += res->up[i];
		t->settled += res->up[i] || (res->sent[i] && (res->settled[i] || !stopped));
		t->sent += res->sent[i];
		if (!res->recv || !res->recv[i])
			continue;
		t->recv += res->recv[i];
		t->rsum += res->rsum[i];
		if (res->rmin[i] < t->rmin)
			t->rmin = res->rmin[i];
		if (res->rmax[i] > t->rmax)
			t->rmax = res->rmax[i];
	}
	if (!t->recv)
		t->rmin = 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp((*(const struct ry_sweep_method *const *)a)->name,
		      (*(const struct ry_sweep_method *const *)b)->name);
}

void ry_sweep_results_methods(const struct ry_sweep_results *res, const struct ry_sweep_method *dflt,
			      char *buf, size_t len)
{
	const struct ry_sweep_method *seen[8];
	size_t nseen = 0, used = 0;

	for (size_t i = 0; i < res->n; i++) {
		const struct ry_sweep_method *m = res->by[i] ? res->by[i] : dflt;
		size_t k = 0;
		while (k < nseen && seen[k] != m)
			k++;
		if (k == nseen && nseen < 8)
			seen[nseen++] = m;
	}
	if (nseen == 0)
		seen[nseen++] = dflt;
	qsort(seen, nseen, sizeof(const struct ry_sweep_method *), cmp_name);
	buf[0] = '\0';
	for (size_t k = 0; k < nseen; k++) {
		int w = snprintf(buf + used, len - used, "%s%s", used ? "+" : "", seen[k]->name);
		if (w > 0 && (size_t)w < len - used)
			used += (size_t)w;
	}
}
