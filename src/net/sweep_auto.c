/*
 * sweep_auto: the default method.  ARP for the targets on a directly
 * connected IPv4 network (hosts that ignore ping answer it), ICMP (or
 * its fallback) for the rest, both at once on two threads, each
 * target's results reported as its own method found them.
 */
#include "net/sweep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mutex.h"
#include "core/thread.h"
#include "net/sweep_impl.h"

/* ---- auto: arp where it can, icmp (or its fallback) for the rest ----
 *
 * The two parts run at once, arp on a thread of its own, so that neither
 * waits behind the other's timeouts; every callback to the caller goes
 * through one mutex, so the caller still sees one call at a time. */

struct shared {
	const struct ry_sweep_config *outer;
	struct ry_mutex *lock;		/* serializes the outer callbacks */
	size_t settled[2];		/* per part */
};

struct part {
	struct shared *sh;
	int which;			/* 0 arp, 1 the rest */
	const size_t *map;		/* part index -> outer index */
	uint8_t (*mac)[6];		/* the part's, copied out at on_up */
	/* The run. */
	const struct ry_ipaddr *t;
	size_t n;
	const struct ry_sweep_method *m;
	bool *up;
	int rc;
};

static void part_up(void *ctx, size_t i, int64_t rtt)
{
	struct part *p = ctx;
	const struct ry_sweep_config *o = p->sh->outer;
	void *unused;

	(void)ry_mutex_lock(p->sh->lock, &unused);
	if (o->mac)
		memcpy(o->mac[p->map[i]], p->mac[i], 6);
	if (o->on_up)
		o->on_up(o->ctx, p->map[i], rtt);
	ry_mutex_unlock(p->sh->lock);
}

static void part_down(void *ctx, size_t i)
{
	struct part *p = ctx;
	const struct ry_sweep_config *o = p->sh->outer;
	void *unused;

	(void)ry_mutex_lock(p->sh->lock, &unused);
	if (o->on_down)
		o->on_down(o->ctx, p->map[i]);
	ry_mutex_unlock(p->sh->lock);
}

static void part_fail(void *ctx, size_t i, const char *why, const struct ry_ipaddr *from)
{
	struct part *p = ctx;
	const struct ry_sweep_config *o = p->sh->outer;
	void *unused;

	(void)ry_mutex_lock(p->sh->lock, &unused);
	if (o->on_fail)
		o->on_fail(o->ctx, p->map[i], why, from);
	ry_mutex_unlock(p->sh->lock);
}

static void part_conflict(void *ctx, size_t i, const uint8_t first[6], const uint8_t other[6])
{
	struct part *p = ctx;
	const struct ry_sweep_config *o = p->sh->outer;
	void *unused;

	(void)ry_mutex_lock(p->sh->lock, &unused);
	if (o->on_conflict)
		o->on_conflict(o->ctx, p->map[i], first, other);
	ry_mutex_unlock(p->sh->lock);
}

static void part_progress(void *ctx, size_t settled)
{
	struct part *p = ctx;
	const struct ry_sweep_config *o = p->sh->outer;
	void *unused;

	(void)ry_mutex_lock(p->sh->lock, &unused);
	p->sh->settled[p->which] = settled;
	if (o->on_progress)
		o->on_progress(o->ctx, p->sh->settled[0] + p->sh->settled[1]);
	ry_mutex_unlock(p->sh->lock);
}

static void *run_part(void *arg)
{
	struct part *p = arg;
	const struct ry_sweep_config *cfg = p->sh->outer;
	size_t n = p->n;
	struct ry_ipaddr *pt = calloc(n ? n : 1, sizeof *pt);
	bool *pup = calloc(n ? n : 1, sizeof *pup);
	unsigned *psent = calloc(n ? n : 1, sizeof *psent);
	uint8_t(*pmac)[6] = calloc(n ? n : 1, sizeof *pmac);

	p->rc = -ENOMEM;
	p->mac = pmac;
	if (pt && pup && psent && pmac) {
		struct ry_sweep_config c = *cfg;
		bool fell_back;
		for (size_t i = 0; i < n; i++)
			pt[i] = p->t[p->map[i]];
		c.method = p->m;
		c.ctx = p;
		c.on_up = part_up;
		c.on_down = cfg->on_down ? part_down : NULL;
		c.on_progress = part_progress;
		c.on_fail = part_fail;
		c.on_conflict = cfg->on_conflict ? part_conflict : NULL;
		c.sent = psent;
		c.mac = pmac;
		c.by = NULL;
		p->rc = ry_sweep_usable(&c, pt, n, &fell_back);
		for (size_t i = 0; cfg->by && i < n; i++)
			cfg->by[p->map[i]] = c.method;	/* known before any on_up */
		if (p->rc == 0)
			p->rc = c.method->run(pt, n, &c, pup);
		/* Distinct elements per part: no lock needed. */
		for (size_t i = 0; i < n; i++) {
			p->up[p->map[i]] = pup[i];
			if (cfg->sent)
				cfg->sent[p->map[i]] = psent[i];
		}
	}
	free(pt);
	free(pup);
	free(psent);
	free(pmac);
	return NULL;
}

static int auto_sweep(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg, bool *up)
{
	size_t *arp = malloc((n ? n : 1) * sizeof *arp), *rest = malloc((n ? n : 1) * sizeof *rest);
	size_t na = 0, nr = 0;
	struct shared sh = { cfg, ry_mutex_new(0, NULL), { 0, 0 } };
	int rc = -ENOMEM;

	bool *on = calloc(n ? n : 1, sizeof *on);
	if (!arp || !rest || !sh.lock || !on) {
		free(on);
		goto out;
	}
	/* On-link targets first: without any, no packet socket is needed
	 * (nor opened, to find out whether one may be). */
	if (ry_sweep_arp_onlink(t, n, on) > 0 && ry_sweep_arp_access() != 0)
		memset(on, 0, (n ? n : 1) * sizeof *on);
	for (size_t i = 0; i < n; i++) {
		bool on_link = on[i];
		if (on_link)
			arp[na++] = i;
		else
			rest[nr++] = i;
		if (cfg->by)	/* as planned, until a part knows better */
			cfg->by[i] = on_link ? &ry_sweep_arp : &ry_sweep_icmp;
	}
	free(on);
	struct part pa = { &sh, 0, arp, NULL, t, na, &ry_sweep_arp, up, 0 };
	struct part pr = { &sh, 1, rest, NULL, t, nr, &ry_sweep_icmp, up, 0 };
	struct ry_thread *th = NULL;
	/* Both parts: arp on a thread; one alone (or no thread): here. */
	if (na && (!nr || !(th = ry_thread_spawn(run_part, &pa, "sweep-arp"))))
		run_part(&pa);
	if (nr)
		run_part(&pr);
	if (th)
		(void)ry_thread_join(th, NULL);
	rc = pa.rc ? pa.rc : pr.rc;
out:
	ry_mutex_free(sh.lock);
	free(arp);
	free(rest);
	return rc;
}

const struct ry_sweep_method ry_sweep_auto = {
	.name = "auto", .help = "arp on a local network, else icmp", .has_rtt = true, .counts = true, .run = auto_sweep,
};
