#define _GNU_SOURCE
#include "net/name_in.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int ry_name_in_init(struct ry_name_in *nm, const char *text, size_t len, bool only_reverse, bool with_types)
{
	struct ry_ipaddr ip;

	memset(nm, 0, sizeof *nm);	/* hp is read for a bad name too */
	nm->text = malloc(len + 1);
	if (!nm->text)
		return -ENOMEM;
	memcpy(nm->text, text, len);
	nm->text[len] = '\0';
	nm->len = len;
	nm->kind = RY_NAME_BAD;
	/* A NUL inside a line is not part of any name. */
	if (memchr(text, '\0', len)) {
		nm->bad = "character not allowed in a host name";
		return 0;
	}
	if (ry_hostport_parse(nm->text, &nm->hp, &nm->bad) != 0)
		return 0;
	nm->bad = NULL;
	bool scoped = strchr(nm->hp.host, '%') != NULL;
	bool literal = ry_ipaddr_parse(nm->hp.host, &ip) == 0 || scoped;
	if (only_reverse && !literal) {
		nm->bad = "not an address (-x looks up addresses)";
		return 0;
	}
	/* With record types the name is asked as written, an address too. */
	nm->kind = RY_NAME_FORWARD;
	if (literal && !with_types)
		nm->kind = nm->hp.port[0] || scoped ? RY_NAME_ENDPOINT : RY_NAME_REVERSE;
	return 0;
}

void ry_name_in_free(struct ry_name_in *nm)
{
	free(nm->text);
	nm->text = NULL;
}

void ry_name_in_addresses(const struct ry_name_in *nm, const struct ry_dns_answer *ans,
			  struct ry_lookup_result *res)
{
	const struct ry_dns_rrset *set = &ans->rrs;
	unsigned port = 0;

	*res = (struct ry_lookup_result){ .status = ans->status, .why = ans->why };
	if (nm->kind != RY_NAME_BAD && nm->hp.port[0]) {
		if (nm->hp.numeric_port) {
			port = (unsigned)atoi(nm->hp.port);
		} else if (ry_service_port(nm->hp.port, &port) != 0 && res->status == 0) {
			res->status = RY_EBADADDR;
			res->why = "unknown service";
		}
	}
	if (res->status != 0 || set->n == 0)
		return;
	if (!(res->addrs = calloc(set->n, sizeof *res->addrs))) {
		res->status = -ENOMEM;
		res->why = "out of memory";
		return;
	}
	for (size_t i = 0; i < set->n; i++) {
		struct ry_ipaddr a;
		if (ry_ipaddr_parse(set->v[i].text, &a) != 0)
			continue;
		ry_ipaddr_to_sockaddr(&a, &res->addrs[res->naddrs]);
		ry_sockaddr_set_port(&res->addrs[res->naddrs], port);
		res->naddrs++;
	}
}
