#include "net/target.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "net/addr.h"
#include "net/dns.h"
#include "util/grow.h"
#include "util/search.h"

/* A decimal octet 0-255 at *p, advancing it.  No sign, at most 3 digits. */
static bool octet(const char **p, unsigned *out)
{
	unsigned v = 0, digits = 0;

	while (isdigit((unsigned char)**p) && digits < 4) {
		v = v * 10 + (unsigned)(**p - '0');
		(*p)++;
		digits++;
	}
	if (digits == 0 || digits > 3 || v > 255)
		return false;
	*out = v;
	return true;
}

/* Exactly `parts` dotted octets from *p; stops at the first other char. */
static bool dotted(const char **p, int parts, uint32_t *out)
{
	uint32_t v = 0;
	unsigned o;

	for (int i = 0; i < parts; i++) {
		if (i > 0 && *(*p)++ != '.')
			return false;
		if (!octet(p, &o))
			return false;
		v = v << 8 | o;
	}
	*out = v;
	return true;
}

static bool numeric_looking(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && *s != '.' && *s != '/' && *s != '-')
			return false;
	return true;
}

static int grow(struct ry_target_set *s)
{
	struct ry_target_span *v = ry_grow(s->span, &s->cap, s->nspan + 1, sizeof *v, 16);

	if (!v)
		return -ENOMEM;
	s->span = v;
	return 0;
}

/* Appends a span of count addresses from first, within max in all. */
static int add_span(struct ry_target_set *s, const struct ry_ipaddr *first, uint64_t count, uint64_t max,
		    const char **why)
{
	if (s->n + count > max) {
		*why = "more addresses than --max-hosts allows";
		return -E2BIG;
	}
	if (grow(s))
		return -ENOMEM;
	s->span[s->nspan++] = (struct ry_target_span){ *first, count };
	s->n += count;
	s->unique = false;
	return 0;
}

static int add_v4_range(struct ry_target_set *s, uint32_t first, uint32_t last, uint64_t max,
			const char **why)
{
	struct ry_ipaddr a = { .family = AF_INET };
	uint32_t v = htonl(first);

	memcpy(a.a, &v, 4);
	return add_span(s, &a, (uint64_t)last - first + 1, max, why);
}

int ry_target_set_add(struct ry_target_set *s, const struct ry_ipaddr *a)
{
	const char *why;

	return add_span(s, a, 1, UINT64_MAX, &why);
}

int ry_target_add(struct ry_target_list *l, const struct ry_ipaddr *a)
{
	struct ry_ipaddr *v = ry_grow(l->v, &l->cap, l->n + 1, sizeof *v, 256);

	if (!v)
		return -ENOMEM;
	l->v = v;
	l->v[l->n++] = *a;
	return 0;
}

static int expand_v6(const char *text, uint64_t max, struct ry_target_set *l, const char **why)
{
	const char *slash = strchr(text, '/');
	struct in6_addr in6;
	unsigned long prefix = 128;

	if (ry_ipv6_parse_n(text, slash ? (size_t)(slash - text) : strlen(text), &in6) != 0) {
		*why = "not an IPv6 address";
		return RY_EBADADDR;
	}
	if (slash) {
		char *end;
		if (!isdigit((unsigned char)slash[1])) {
			*why = "bad prefix length";
			return RY_EBADADDR;
		}
		prefix = strtoul(slash + 1, &end, 10);
		if (*end || prefix > 128) {
			*why = "prefix length over 128";
			return RY_EBADADDR;
		}
		if (prefix < 112) {
			*why = "IPv6 prefixes shorter than /112 are too large to sweep";
			return RY_EBADADDR;
		}
	}
	uint32_t count = 1u << (128 - prefix);
	/* Clear the host bits (the low 16 at most): the span counts up
	 * through them and never past them. */
	uint16_t low = (uint16_t)(in6.s6_addr[14] << 8 | in6.s6_addr[15]);
	uint16_t mask = prefix == 128 ? 0xffff : (uint16_t)(0xffffu << (128 - prefix));
	struct ry_ipaddr a = { .family = AF_INET6 };
	low &= mask;
	memcpy(a.a, in6.s6_addr, 16);
	a.a[14] = (uint8_t)(low >> 8);
	a.a[15] = (uint8_t)low;
	return add_span(l, &a, count, max, why);
}

int ry_target_expand(const char *text, uint64_t max, struct ry_target_set *l, const char **why)
{
	const char *p = text;
	uint32_t first, last;
	unsigned o;

	if (!*text) {
		*why = "empty target";
		return RY_EBADADDR;
	}
	const char *colon = strchr(text, ':');
	if (colon && !strchr(colon + 1, ':') && text[0] != '[') {
		/* One colon: HOST:PORT, which is no sweep target. */
		*why = "a port is not part of a sweep target (to probe a TCP port, use -m tcp:PORT)";
		return RY_EBADADDR;
	}
	if (colon)
		return expand_v6(text, max, l, why);
	if (!numeric_looking(text)) {
		const char *hwhy;
		if (ry_hostname_check(text, &hwhy) == 0) {
			*why = "a host name: resolve it to an address first";
			return RY_ENONAME;
		}
		*why = "neither an address, a range nor a host name";
		return RY_EBADADDR;
	}
	/* Three octets: a /24 without network and broadcast. */
	if (dotted(&p, 3, &first) && *p == '\0')
		return add_v4_range(l, first << 8 | 1, first << 8 | 254, max, why);
	p = text;
	if (!dotted(&p, 4, &first)) {
		*why = "not an IPv4 address (four numbers 0-255 with dots)";
		return RY_EBADADDR;
	}
	if (*p == '\0')
		return add_v4_range(l, first, first, max, why);
	if (*p == '/') {
		char *end;
		p++;
		if (!isdigit((unsigned char)*p)) {
			*why = "bad prefix length";
			return RY_EBADADDR;
		}
		unsigned long prefix = strtoul(p, &end, 10);
		if (*end || prefix > 32) {
			*why = "prefix length over 32";
			return RY_EBADADDR;
		}
		uint32_t mask = prefix ? 0xffffffffu << (32 - prefix) : 0;
		first &= mask;
		last = first | ~mask;
		if (prefix <= 30) {	/* leave out network and broadcast */
			first++;
			last--;
		}
		return add_v4_range(l, first, last, max, why);
	}
	if (*p == '-') {
		p++;
		const char *q = p;
		if (dotted(&q, 4, &last) && *q == '\0') {
			/* a.b.c.d-e.f.g.h */
		} else if (q = p, octet(&q, &o) && *q == '\0') {
			last = (first & 0xffffff00u) | o;
		} else {
			*why = "bad range end";
			return RY_EBADADDR;
		}
		if (last < first) {
			*why = "range runs backwards";
			return RY_EBADADDR;
		}
		return add_v4_range(l, first, last, max, why);
	}
	*why = "not an IPv4 address (four numbers 0-255 with dots)";
	return RY_EBADADDR;
}

/* ---- the set: sorted, disjoint spans ---- */

/* A span's addresses as numbers within their block: IPv4 the whole
 * address, IPv6 the low 16 bits (a span never leaves its /112). */
static uint64_t span_lo(const struct ry_target_span *sp)
{
	const uint8_t *a = sp->first.a;

	if (sp->first.family == AF_INET)
		return (uint64_t)a[0] << 24 | (uint64_t)a[1] << 16 | (uint64_t)a[2] << 8 | a[3];
	return (uint64_t)a[14] << 8 | a[15];
}

/* Whether b's addresses can join a's: one family, one block (IPv6: the
 * same upper 112 bits), and b starts at most one past a's end. */
static bool joins(const struct ry_target_span *a, const struct ry_target_span *b)
{
	if (a->first.family != b->first.family)
		return false;
	if (a->first.family == AF_INET6 && memcmp(a->first.a, b->first.a, 14) != 0)
		return false;
	return span_lo(b) <= span_lo(a) + a->count;
}

static int cmp_span(const void *x, const void *y)
{
	const struct ry_target_span *a = x, *b = y;
	int c = ry_ipaddr_cmp(&a->first, &b->first);

	/* The longer first, so the merge below starts from it. */
	return c ? c : a->count > b->count ? -1 : a->count < b->count;
}

int ry_target_set_unique(struct ry_target_set *s)
{
	size_t w = 0;

	if (s->nspan > 0) {
		qsort(s->span, s->nspan, sizeof *s->span, cmp_span);
		for (size_t r = 1; r < s->nspan; r++) {
			struct ry_target_span *cur = &s->span[w];
			const struct ry_target_span *nx = &s->span[r];
			if (joins(cur, nx)) {
				uint64_t end = span_lo(nx) + nx->count;
				if (end > span_lo(cur) + cur->count)
					cur->count = end - span_lo(cur);
			} else {
				s->span[++w] = *nx;
			}
		}
		s->nspan = w + 1;
	}
	free(s->start);
	s->start = malloc((s->nspan ? s->nspan : 1) * sizeof *s->start);
	if (!s->start)
		return -ENOMEM;
	s->n = 0;
	for (size_t i = 0; i < s->nspan; i++) {
		s->start[i] = s->n;
		s->n += s->span[i].count;
	}
	s->unique = true;
	return 0;
}

struct pos_search {
	const struct ry_target_set *s;
	uint64_t pos;
	const struct ry_ipaddr *a;
};

static bool starts_by_pos(const void *ctx, size_t i)
{
	const struct pos_search *q = ctx;

	return q->s->start[i] <= q->pos;
}

static bool starts_by_addr(const void *ctx, size_t i)
{
	const struct pos_search *q = ctx;

	return ry_ipaddr_cmp(&q->s->span[i].first, q->a) <= 0;
}

void ry_target_set_at(const struct ry_target_set *s, uint64_t pos, struct ry_ipaddr *out)
{
	struct pos_search q = { s, pos, NULL };
	/* The last span that starts at or before pos (span 0 starts at 0). */
	size_t lo = ry_partition_point(s->nspan, starts_by_pos, &q) - 1;
	const struct ry_target_span *sp = &s->span[lo];
	uint64_t v = span_lo(sp) + (pos - s->start[lo]);
	*out = sp->first;
	if (out->family == AF_INET) {
		out->a[0] = (uint8_t)(v >> 24);
		out->a[1] = (uint8_t)(v >> 16);
		out->a[2] = (uint8_t)(v >> 8);
		out->a[3] = (uint8_t)v;
	} else {
		out->a[14] = (uint8_t)(v >> 8);
		out->a[15] = (uint8_t)v;
	}
}

uint64_t ry_target_set_find(const struct ry_target_set *s, const struct ry_ipaddr *a)
{
	struct pos_search q = { s, 0, a };
	/* The first span that starts after a; a is in the one before. */
	size_t lo = ry_partition_point(s->nspan, starts_by_addr, &q);

	if (lo == 0)
		return s->n;
	const struct ry_target_span *sp = &s->span[lo - 1];
	struct ry_target_span one = { *a, 1 };
	if (sp->first.family != a->family ||
	    (a->family == AF_INET6 && memcmp(sp->first.a, a->a, 14) != 0) ||
	    span_lo(&one) >= span_lo(sp) + sp->count)
		return s->n;
	return s->start[lo - 1] + (span_lo(&one) - span_lo(sp));
}

void ry_target_set_free(struct ry_target_set *s)
{
	free(s->span);
	free(s->start);
	memset(s, 0, sizeof *s);
}

void ry_target_free(struct ry_target_list *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

static void on_address(void *ctx, void *user, struct ry_dns_answer *ans)
{
	struct ry_target_name *nt = (struct ry_target_name *)ctx + (size_t)(uintptr_t)user;

	/* The first address of the family asked (A before AAAA). */
	if (ans->status == 0 && ans->rrs.n > 0 && ry_ipaddr_parse(ans->rrs.v[0].text, &nt->addr) == 0) {
		nt->found = true;
		return;
	}
	nt->why = ans->status ? ans->why : "no address";
}

int ry_target_resolve_names(struct ry_target_name *names, size_t n, int family, int64_t timeout_ns,
			    const char **why)
{
	const struct ry_dns_config cfg = { .jobs = 256, .timeout_ns = timeout_ns };
	struct ry_dns *d;
	int rc = 0;

	if (n == 0)
		return 0;
	if (!(d = ry_dns_new(&cfg, on_address, names, why)))
		return -EIO;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct ry_dns_query q = { .name = names[i].text, .family = family, .user = (void *)(uintptr_t)i };
		names[i].found = false;
		names[i].why = NULL;
		if ((rc = ry_dns_submit(d, &q)) != 0)
			*why = "out of memory";
	}
	while (rc == 0 && ry_dns_pending(d) > 0) {
		if ((rc = ry_dns_run(d, -1, -1)) < 0)
			*why = ry_strerror(rc);
		else
			rc = 0;
	}
	ry_dns_free(d);
	return rc;
}
