/*
 * rdns: live hosts' names while a sweep runs (see rdns.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "net/dns.h"
#include "net/rdns.h"

struct ry_rdns {
	struct ry_dns *dns;
	char **names;
	bool *asked;		/* asked and not yet answered */
	size_t n;
	ry_rdns_done_fn *done;
	void *ctx;
};

static void on_answer(void *ctx, void *user, struct ry_dns_answer *ans)
{
	struct ry_rdns *r = ctx;
	size_t i = (size_t)(uintptr_t)user;

	if (ans->status == 0 && ans->rrs.n > 0)
		r->names[i] = strdup(ans->rrs.v[0].text);	/* NULL: shown without */
	r->asked[i] = false;
	r->done(r->ctx, i);
}

struct ry_rdns *ry_rdns_new(size_t n, int64_t timeout_ns, ry_rdns_done_fn *done, void *ctx,
			    const char **why)
{
	struct ry_rdns *r = calloc(1, sizeof *r);

	*why = "out of memory";
	if (!r || !(r->names = calloc(n ? n : 1, sizeof *r->names)) ||
	    !(r->asked = calloc(n ? n : 1, sizeof *r->asked))) {
		if (r)
			free(r->names);
		free(r);
		return NULL;
	}
	r->n = n;
	r->done = done;
	r->ctx = ctx;
	const struct ry_dns_config cfg = { .jobs = 256, .timeout_ns = timeout_ns > 1000000000 ? timeout_ns :
							 1000000000 };
	if (!(r->dns = ry_dns_new(&cfg, on_answer, r, why))) {
		free(r->asked);
		free(r->names);
		free(r);
		return NULL;
	}
	return r;
}

void ry_rdns_free(struct ry_rdns *r)
{
	if (!r)
		return;
	ry_dns_free(r->dns);
	for (size_t i = 0; i < r->n; i++)
		free(r->names[i]);
	free(r->names);
	free(r->asked);
	free(r);
}

int ry_rdns_ask(struct ry_rdns *r, size_t i, const struct ry_ipaddr *a)
{
	char addr[RY_ADDRSTR_MAX];

	ry_ipaddr_str(a, addr, sizeof addr);
	struct ry_dns_query q = { .name = addr, .reverse = true, .user = (void *)(uintptr_t)i };
	r->asked[i] = true;	/* before: the hosts file answers within submit */
	int rc = ry_dns_submit(r->dns, &q);
	if (rc != 0)
		r->asked[i] = false;
	return rc;
}

void ry_rdns_poll(struct ry_rdns *r)
{
	(void)ry_dns_run(r->dns, 0, -1);
}

void ry_rdns_finish(struct ry_rdns *r, const atomic_bool *stop)
{
	while (ry_dns_pending(r->dns) > 0 && !(stop && atomic_load(stop)))
		if (ry_dns_run(r->dns, 100, -1) < 0)
			break;
	/* Stopped, or the engine failed: the rest go without a name. */
	for (size_t i = 0; i < r->n; i++)
		if (r->asked[i]) {
			r->asked[i] = false;
			r->done(r->ctx, i);
		}
}

const char *ry_rdns_name(const struct ry_rdns *r, size_t i)
{
	return i < r->n ? r->names[i] : NULL;
}
