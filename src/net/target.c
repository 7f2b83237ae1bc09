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

static int grow(struct ry_target_list *l, size_t extra)
{
	if (l->n + extra <= l->cap)
		return 0;
	size_t cap = l->cap ? l->cap : 256;
	while (cap < l->n + extra)
		cap *= 2;
	struct ry_ipaddr *v = realloc(l->v, cap * sizeof *v);
	if (!v)
		return -ENOMEM;
	l->v = v;
	l->cap = cap;
	return 0;
}

static int add_v4_range(struct ry_target_list *l, uint32_t first, uint32_t last,
			size_t max, const char **why)
{
	uint64_t count = (uint64_t)last - first + 1;

	if (l->n + count > max) {
		*why = "more addresses than --max-hosts allows";
		return -E2BIG;
	}
	if (grow(l, (size_t)count))
		return -ENOMEM;
	for (uint64_t i = 0; i < count; i++) {
		struct ry_ipaddr *a = &l->v[l->n++];
		uint32_t v = htonl(first + (uint32_t)i);
		memset(a, 0, sizeof *a);
		a->family = AF_INET;
		memcpy(a->a, &v, 4);
	}
	return 0;
}

int ry_target_add(struct ry_target_list *l, const struct ry_ipaddr *a)
{
	if (grow(l, 1))
		return -ENOMEM;
	l->v[l->n++] = *a;
	return 0;
}

static int expand_v6(const char *text, size_t max, struct ry_target_list *l, const char **why)
{
	char buf[64];
	const char *slash = strchr(text, '/');
	size_t len = slash ? (size_t)(slash - text) : strlen(text);
	struct in6_addr in6;
	unsigned long prefix = 128;

	if (len >= sizeof buf) {
		*why = "not an IPv6 address";
		return RY_EBADADDR;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET6, buf, &in6) != 1) {
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
	if (l->n + count > max) {
		*why = "more addresses than --max-hosts allows";
		return -E2BIG;
	}
	if (grow(l, count))
		return -ENOMEM;
	/* Clear the host bits, then count through them (the low 16). */
	uint16_t low = (uint16_t)(in6.s6_addr[14] << 8 | in6.s6_addr[15]);
	uint16_t mask = prefix == 128 ? 0xffff : (uint16_t)(0xffffu << (128 - prefix));
	low &= mask;
	for (uint32_t i = 0; i < count; i++) {
		struct ry_ipaddr *a = &l->v[l->n++];
		uint16_t v = (uint16_t)(low + i);
		a->family = AF_INET6;
		memcpy(a->a, in6.s6_addr, 16);
		a->a[14] = (uint8_t)(v >> 8);
		a->a[15] = (uint8_t)v;
	}
	return 0;
}

int ry_target_expand(const char *text, size_t max, struct ry_target_list *l, const char **why)
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

static int cmp_void(const void *x, const void *y)
{
	return ry_ipaddr_cmp(x, y);
}

void ry_target_unique(struct ry_target_list *l)
{
	size_t w = 0;

	if (l->n == 0)
		return;
	qsort(l->v, l->n, sizeof *l->v, cmp_void);
	for (size_t r = 1; r < l->n; r++)
		if (ry_ipaddr_cmp(&l->v[w], &l->v[r]) != 0)
			l->v[++w] = l->v[r];
	l->n = w + 1;
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

size_t ry_target_find(const struct ry_target_list *l, const struct ry_ipaddr *a)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ry_ipaddr_cmp(&l->v[mid], a) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->n && ry_ipaddr_cmp(&l->v[lo], a) == 0 ? lo : l->n;
}
