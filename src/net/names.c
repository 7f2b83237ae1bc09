/*
 * names: resolve's engine (see names.h).  Every name becomes an item;
 * an item is settled once its answer is final (counted, then handed out
 * at once or through the reorder buffer) and freed once handed out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/reorder.h"
#include "net/names.h"
#include "util/grow.h"

/* A name on its way through the engine. */
struct item {
	size_t index;
	struct ry_name_in nm;
	int status;
	const char *why;
	struct ry_dns_rrset rrs;	/* PTR names, records */
	bool has_addrs;			/* an address answer: */
	struct ry_lookup_result addrs;	/* as socket addresses */
};

struct run {
	const struct ry_names_config *cfg;
	const struct ry_names_sink *sink;
	struct ry_names_stats *st;
	struct ry_reorder *held;	/* keep_order: struct item * by index */
	struct item **all;		/* --system: every item not yet settled */
};

static void item_free(struct item *it)
{
	if (it->has_addrs)
		ry_lookup_result_free(&it->addrs);
	ry_dns_rrset_free(&it->rrs);
	ry_name_in_free(&it->nm);
	free(it);
}

static struct item *item_new(const struct run *r, const char *text, size_t len, size_t index)
{
	struct item *it = calloc(1, sizeof *it);

	if (!it || ry_name_in_init(&it->nm, text, len, r->cfg->reverse, r->cfg->ntypes > 0) != 0) {
		free(it);
		return NULL;
	}
	it->index = index;
	if (it->nm.bad) {
		it->status = RY_EBADADDR;
		it->why = it->nm.bad;
	}
	return it;
}

/* Records are asked for a host name when types were given (with types
 * an address is asked as written too: net/name_in). */
static bool wants_records(const struct run *r, const struct item *it)
{
	return r->cfg->ntypes && it->nm.kind == RY_NAME_FORWARD;
}

/* An address answer as socket addresses (the form both back ends give):
 * its status, an unknown service included, is the item's. */
static void take_addrs(struct item *it, struct ry_lookup_result *res)
{
	it->addrs = *res;
	it->has_addrs = true;
	it->status = res->status;
	it->why = res->why;
}

static void emit(void *ctx, size_t index, void *elem)
{
	struct run *r = ctx;
	struct item *it = *(struct item **)elem;
	struct ry_name_result res = { .index = index, .nm = &it->nm, .status = it->status, .why = it->why,
				      .rr = it->rrs.v, .nrr = it->rrs.n };
	static const struct ry_lookup_result none;

	if (it->nm.kind == RY_NAME_REVERSE)
		res.shape = RY_RESULT_PTRS;
	else if (wants_records(r, it))
		res.shape = RY_RESULT_RECORDS;
	else
		res.addrs = it->has_addrs ? &it->addrs : &none;
	r->st->finished++;
	r->sink->result(r->sink->ctx, &res);
	item_free(it);
}

/* The item's answer is final: out now, or held until its turn. */
static void settle(struct run *r, struct item *it)
{
	r->st->failed += it->status != 0;
	if (r->all)
		r->all[it->index] = NULL;
	if (ry_reorder_settle(r->held, it->index, &it, emit, r) != 0)
		r->st->unordered++;
}

static void drop(void *ctx, void *elem)
{
	(void)ctx;
	item_free(*(struct item **)elem);
}

static void fail(struct run *r, int err, const char *what, const char *detail)
{
	if (r->st->err)
		return;
	r->st->err = err;
	r->st->what = what;
	r->st->detail = detail;
}

/* ---- the DNS engine: names read as it has room ---- */

static void dns_done(void *ctx, void *user, struct ry_dns_answer *ans)
{
	struct run *r = ctx;
	struct item *it = user;

	if (it->nm.kind == RY_NAME_FORWARD && !wants_records(r, it)) {
		struct ry_lookup_result res;
		ry_name_in_addresses(&it->nm, ans, &res);
		take_addrs(it, &res);
	} else {
		it->status = ans->status;
		it->why = ans->why;
		it->rrs = ans->rrs;
		memset(&ans->rrs, 0, sizeof ans->rrs);	/* the item owns them now */
	}
	settle(r, it);
}

/* One name: settled at once (a bad name, or an endpoint, which
 * getaddrinfo makes without a query) or handed to the engine. */
static int dns_take(struct run *r, struct ry_dns *d, const char *text, size_t len)
{
	const struct ry_names_config *cfg = r->cfg;
	struct item *it = item_new(r, text, len, r->st->taken);

	if (!it)
		return -ENOMEM;
	r->st->taken++;
	const struct ry_hostport *hp = &it->nm.hp;
	if (it->nm.kind == RY_NAME_BAD) {
		settle(r, it);
		return 0;
	}
	if (it->nm.kind == RY_NAME_ENDPOINT) {
		struct ry_lookup lq = { .host = hp->host, .port = hp->port[0] ? hp->port : NULL,
					.family = cfg->family };
		struct ry_lookup_result res;
		ry_lookup_one(&lq, &res);
		take_addrs(it, &res);
		settle(r, it);
		return 0;
	}
	struct ry_dns_query q = {
		.name = hp->host, .reverse = it->nm.kind == RY_NAME_REVERSE, .family = cfg->family,
		.types = cfg->ntypes ? cfg->types : NULL, .ntypes = cfg->ntypes, .user = it,
	};
	int rc = ry_dns_submit(d, &q);
	if (rc != 0) {
		it->status = rc;
		it->why = rc == -ENOMEM ? "out of memory" : "cannot be looked up";
		settle(r, it);
	}
	return 0;
}

static int fill(void *ctx, struct ry_dns *d, bool readable)
{
	struct run *r = ctx;
	struct ry_linesrc *src = r->cfg->src;

	if (readable && (src->err = ry_linesrc_fill(src)) != 0) {
		fail(r, src->err, "cannot read names from stdin", NULL);
		return RY_DNS_FEED_END;
	}
	while (ry_dns_room(d) > 0) {
		char *text;
		size_t n;
		int got = ry_linesrc_next(src, &text, &n);
		r->st->read = src->items;
		if (got < 0)
			return RY_DNS_FEED_END;
		if (got == 0)
			return RY_DNS_FEED_WAIT;
		if (!ry_name_plan_take(r->cfg->plan, text, n))
			continue;	/* another copy's, or settled before */
		if (dns_take(r, d, text, n) != 0) {
			fail(r, -ENOMEM, "out of memory", NULL);
			return RY_DNS_FEED_END;
		}
	}
	return RY_DNS_FEED_MORE;
}

static void idle(void *ctx)
{
	struct run *r = ctx;

	if (r->sink->idle)
		r->sink->idle(r->sink->ctx, r->st);
}

static void run_dns(struct run *r)
{
	const struct ry_names_config *cfg = r->cfg;
	const struct ry_dns_config dc = { .servers = cfg->servers, .jobs = cfg->jobs,
					  .timeout_ns = cfg->timeout_ns };
	const char *why;
	struct ry_dns *d = ry_dns_new(&dc, dns_done, r, &why);

	if (!d) {
		fail(r, -EINVAL, "cannot start the DNS engine", why);
		return;
	}
	const struct ry_dns_feed feed = {
		.fill = fill, .idle = idle, .ctx = r, .fd = cfg->src->fd, .stop = cfg->stop,
	};
	int err = ry_dns_drive(d, &feed);
	if (err < 0)
		fail(r, err, "the DNS engine failed", NULL);
	ry_dns_stats(d, &r->st->dns);
	ry_dns_free(d);
}

/* ---- the pool: every name read first, then looked up in parallel ---- */

static bool stopped(const struct run *r)
{
	return r->cfg->stop && atomic_load(r->cfg->stop);
}

/* Every name of the source, this copy's as items in r->all. */
static int read_all(struct run *r, size_t *cap)
{
	struct ry_linesrc *src = r->cfg->src;
	char *text;
	size_t n;
	int got;

	while ((got = ry_linesrc_next_wait(src, &text, &n, r->cfg->stop)) > 0) {
		r->st->read = src->items;
		if (!ry_name_plan_take(r->cfg->plan, text, n))
			continue;
		struct item **v = ry_grow(r->all, cap, r->st->taken + 1, sizeof(struct item *), 64);
		if (!v || !(v[r->st->taken] = item_new(r, text, n, r->st->taken))) {
			if (v)
				r->all = v;
			fail(r, -ENOMEM, "out of memory", NULL);
			return -ENOMEM;
		}
		r->all = v;
		r->st->taken++;
	}
	if (got < 0 && got != -EINTR) {
		fail(r, got, "cannot read names from stdin", NULL);
		return got;
	}
	return 0;
}

static void run_pool(struct run *r)
{
	const struct ry_names_config *cfg = r->cfg;
	size_t cap = 0, nq = 0;

	if (read_all(r, &cap) != 0 || stopped(r) || !r->all)
		return;		/* an error, a stop, or no name of this copy's */
	size_t n = r->st->taken;
	struct ry_lookup *q = calloc(n ? n : 1, sizeof *q);
	size_t *slot = calloc(n ? n : 1, sizeof *slot);		/* query -> item */
	if (!q || !slot) {
		fail(r, -ENOMEM, "out of memory", NULL);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ry_name_in *nm = &r->all[i]->nm;
		if (nm->kind == RY_NAME_BAD)
			continue;
		q[nq] = (struct ry_lookup){ .host = nm->hp.host, .port = nm->hp.port, .family = cfg->family,
					    .reverse = nm->kind == RY_NAME_REVERSE };
		slot[nq++] = i;
	}
	/* Names that did not parse are results at once. */
	for (size_t i = 0; i < n; i++)
		if (r->all[i] && r->all[i]->nm.kind == RY_NAME_BAD)
			settle(r, r->all[i]);
	struct ry_resolver *rv = ry_resolver_start(q, nq, cfg->jobs, cfg->timeout_ns);
	if (!rv) {
		fail(r, errno ? -errno : -ENOMEM, "cannot start the resolver", NULL);
		goto out;
	}
	ry_resolver_set_stop(rv, cfg->stop);
	ry_resolver_set_idle(rv, idle, r);
	struct ry_lookup_result res;
	while (ry_resolver_next(rv, &res) == 0) {
		struct item *it = r->all[slot[res.index]];
		if (it->nm.kind == RY_NAME_REVERSE) {
			/* getnameinfo gives one name, as a PTR record. */
			it->status = res.status;
			it->why = res.why;
			if (res.name && ry_dns_rr_add(&it->rrs, RY_DNS_PTR, 0, res.name, strlen(res.name)) != 0) {
				it->status = -ENOMEM;
				it->why = "out of memory";
			}
			ry_lookup_result_free(&res);
		} else {
			take_addrs(it, &res);
		}
		settle(r, it);
	}
	/* Stuck lookups are left to end on their own; exit does not wait. */
	ry_resolver_free(rv);
out:
	free(q);
	free(slot);
}

int ry_names_run(const struct ry_names_config *cfg, const struct ry_names_sink *sink,
		 struct ry_names_stats *st)
{
	struct run r = { .cfg = cfg, .sink = sink, .st = st };

	*st = (struct ry_names_stats){ 0 };
	if (cfg->keep_order && !(r.held = ry_reorder_new(sizeof(struct item *)))) {
		fail(&r, -ENOMEM, "out of memory", NULL);
		return st->err;
	}
	if (cfg->system)
		run_pool(&r);
	else
		run_dns(&r);
	/* A stopped run's results still held, and names never settled. */
	struct item *left;
	ry_reorder_drain(r.held, &left, drop, NULL);
	ry_reorder_free(r.held);
	for (size_t i = 0; r.all && i < st->taken; i++)
		if (r.all[i])
			item_free(r.all[i]);
	free(r.all);
	return st->err;
}
