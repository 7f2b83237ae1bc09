#include "net/sweep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/icmp_sock.h"
#include "net/proc.h"
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

int ry_sweep_run(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg, bool *up)
{
	if (!cfg->method)
		return -EINVAL;
	for (size_t i = 0; cfg->by && i < n; i++)
		cfg->by[i] = cfg->method;
	return cfg->method->run(t, n, cfg, up);
}

/* ---- auto: arp where it can, icmp (or its fallback) for the rest ---- */

struct part {
	const struct ry_sweep_config *outer;
	const size_t *map;		/* part index -> outer index */
	size_t base;			/* settled in parts run before */
	uint8_t (*mac)[6];		/* the part's, copied out at on_up */
};

static void part_up(void *ctx, size_t i, int64_t rtt)
{
	const struct part *p = ctx;

	if (p->outer->mac)
		memcpy(p->outer->mac[p->map[i]], p->mac[i], 6);
	if (p->outer->on_up)
		p->outer->on_up(p->outer->ctx, p->map[i], rtt);
}

static void part_progress(void *ctx, size_t settled)
{
	const struct part *p = ctx;

	if (p->outer->on_progress)
		p->outer->on_progress(p->outer->ctx, p->base + settled);
}

static int run_part(const struct ry_ipaddr *t, const size_t *map, size_t n, size_t base,
		    const struct ry_sweep_method *m, const struct ry_sweep_config *cfg, bool *up)
{
	struct ry_ipaddr *pt = calloc(n ? n : 1, sizeof *pt);
	bool *pup = calloc(n ? n : 1, sizeof *pup);
	unsigned *psent = calloc(n ? n : 1, sizeof *psent);
	uint8_t(*pmac)[6] = calloc(n ? n : 1, sizeof *pmac);
	struct part p = { cfg, map, base, pmac };
	int rc = -ENOMEM;

	if (pt && pup && psent && pmac) {
		struct ry_sweep_config c = *cfg;
		bool fell_back;
		for (size_t i = 0; i < n; i++)
			pt[i] = t[map[i]];
		c.method = m;
		c.ctx = &p;
		c.on_up = part_up;
		c.on_progress = part_progress;
		c.sent = psent;
		c.mac = pmac;
		c.by = NULL;
		rc = ry_sweep_usable(&c, pt, n, &fell_back);
		for (size_t i = 0; cfg->by && i < n; i++)
			cfg->by[map[i]] = c.method;	/* known before any on_up */
		if (rc == 0)
			rc = c.method->run(pt, n, &c, pup);
		for (size_t i = 0; i < n; i++) {
			up[map[i]] = pup[i];
			if (cfg->sent)
				cfg->sent[map[i]] = psent[i];
		}
	}
	free(pt);
	free(pup);
	free(psent);
	free(pmac);
	return rc;
}

static int auto_sweep(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg, bool *up)
{
	size_t *arp = malloc((n ? n : 1) * sizeof *arp), *rest = malloc((n ? n : 1) * sizeof *rest);
	size_t na = 0, nr = 0;
	bool may_arp = ry_sweep_arp_access() == 0;
	int rc = -ENOMEM;

	if (!arp || !rest)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (may_arp && ry_sweep_arp_onlink(&t[i]))
			arp[na++] = i;
		else
			rest[nr++] = i;
	}
	rc = 0;
	if (na)
		rc = run_part(t, arp, na, 0, &ry_sweep_arp, cfg, up);
	if (rc == 0 && nr && !ry_sweep_stopped(cfg))
		rc = run_part(t, rest, nr, na, &ry_sweep_icmp, cfg, up);
out:
	free(arp);
	free(rest);
	return rc;
}

const struct ry_sweep_method ry_sweep_auto = {
	.name = "auto", .has_rtt = true, .run = auto_sweep,
};
