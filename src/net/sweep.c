#include "net/sweep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mutex.h"
#include "core/thread.h"
#include "net/icmp_sock.h"
#include "util/proc.h"
#include "net/sweep_impl.h"

/* The methods, in the order --help lists them. */
static const struct ry_sweep_method *const methods[] = {
	&ry_sweep_auto,
	&ry_sweep_icmp,
	&ry_sweep_arp,
	&ry_sweep_exec,
	&ry_sweep_tcp,
};

#define NMETHODS (sizeof methods / sizeof methods[0])

const struct ry_sweep_method *ry_sweep_method_find(const char *name)
{
	for (size_t i = 0; i < NMETHODS; i++)
		if (strcmp(methods[i]->name, name) == 0)
			return methods[i];
	return NULL;
}

const char *ry_sweep_method_list(void)
{
	static char list[128];

	/* Built once, on the main thread, from the table. */
	if (!list[0]) {
		size_t used = 0;
		for (size_t i = 0; i < NMETHODS && used < sizeof list; i++) {
			int w = snprintf(list + used, sizeof list - used, "%s%s%s",
					 i == 0 ? "" : i + 1 == NMETHODS ? " or " : ", ", methods[i]->name,
					 methods[i]->takes_port ? ":PORT" : "");
			if (w < 0)
				break;
			used += (size_t)w;
		}
	}
	return list;
}

int ry_sweep_method_parse(const char *text, struct ry_sweep_config *cfg, const char **why)
{
	const char *colon = strchr(text, ':');
	size_t len = colon ? (size_t)(colon - text) : strlen(text);

	for (size_t i = 0; i < NMETHODS; i++) {
		const struct ry_sweep_method *m = methods[i];
		if (strlen(m->name) != len || strncmp(m->name, text, len) != 0)
			continue;
		if (!m->takes_port && colon) {
			*why = "this method takes no port";
			return RY_EBADADDR;
		}
		if (m->takes_port && !colon) {
			*why = "give a port, as in tcp:22";
			return RY_EBADADDR;
		}
		if (m->takes_port) {
			/* A list: numbers and service names, comma-separated. */
			const char *p = colon + 1;
			unsigned n = 0;
			for (;;) {
				char item[RY_SERV_MAX];
				size_t ilen = strcspn(p, ",");
				unsigned long port;
				unsigned sport;
				if (ilen == 0 || ilen >= sizeof item) {
					*why = "give ports from 1 to 65535 or service names, comma-separated";
					return -ERANGE;
				}
				if (n == RY_SWEEP_MAXPORTS) {
					*why = "at most 16 ports";
					return -ERANGE;
				}
				memcpy(item, p, ilen);
				item[ilen] = 0;
				if (strspn(item, "0123456789") == ilen) {
					port = strtoul(item, NULL, 10);
					if (port < 1 || port > 65535) {
						*why = "must be from 1 to 65535";
						return -ERANGE;
					}
				} else if (ry_service_port(item, &sport) == 0) {
					port = sport;
				} else {
					*why = "not a port number or a known service name";
					return -ERANGE;
				}
				cfg->tcp_ports[n++] = (unsigned)port;
				if (!p[ilen])
					break;
				p += ilen + 1;
			}
			cfg->ntcp_ports = n;
		}
		cfg->method = m;
		return 0;
	}
	*why = NULL;	/* not a method: the caller lists them */
	return RY_EBADADDR;
}

int ry_sweep_usable(struct ry_sweep_config *cfg, const struct ry_ipaddr *t, size_t n,
		    bool *fell_back)
{
	bool v4 = false, v6 = false, raw;

	*fell_back = false;
	if (!cfg->method || !cfg->method->privileged || cfg->method == &ry_sweep_auto)
		return 0;	/* auto finds its way per target */
	if (cfg->method == &ry_sweep_arp)
		return ry_sweep_arp_access();
	for (size_t i = 0; i < n; i++)
		*(t[i].family == AF_INET ? &v4 : &v6) = true;
	if ((!v4 || ry_icmp_access(AF_INET, &raw) == 0) && (!v6 || ry_icmp_access(AF_INET6, &raw) == 0))
		return 0;
	if (!ry_proc_exists(cfg->ping ? cfg->ping : "ping"))
		return -EPERM;
	cfg->method = &ry_sweep_exec;
	*fell_back = true;
	return 0;
}

int ry_sweep_choose(struct ry_sweep_config *cfg, const struct ry_ipaddr *t, size_t n,
		    struct ry_sweep_choice *ch)
{
	*ch = (struct ry_sweep_choice){ RY_SWEEP_OK, false, 0 };
	/* Count mode counts echoes; auto without an on-link target or
	 * without packet sockets (so without raw ICMP either) is icmp, with
	 * its unprivileged socket and its fallback. */
	if (cfg->method == &ry_sweep_auto &&
	    (cfg->count || ry_sweep_arp_onlink(t, n, NULL) == 0 || ry_sweep_arp_access() != 0))
		cfg->method = &ry_sweep_icmp;
	if (cfg->method == &ry_sweep_arp) {
		if (ry_sweep_arp_access() != 0) {
			ch->refused = RY_SWEEP_NO_PACKET;
			return -EPERM;
		}
		ch->off_link = n - ry_sweep_arp_onlink(t, n, NULL);
		return 0;
	}
	if (ry_sweep_usable(cfg, t, n, &ch->fell_back) != 0) {
		ch->refused = RY_SWEEP_NO_ICMP;
		return -EPERM;
	}
	if (ch->fell_back && cfg->count) {
		ch->refused = RY_SWEEP_NO_COUNT;
		return -EPERM;
	}
	return 0;
}

int ry_sweep_run(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg, bool *up)
{
	if (!cfg->method)
		return -EINVAL;
	for (size_t i = 0; cfg->by && i < n; i++)
		cfg->by[i] = cfg->method;
	return cfg->method->run(t, n, cfg, up);
}

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
	.name = "auto", .has_rtt = true, .counts = true, .run = auto_sweep,
};
