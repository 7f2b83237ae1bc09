/*
 * hosts: /etc/hosts as two sorted arrays, by name and by address.
 */
#include "net/hosts.h"
#include "util/grow.h"
#include "util/search.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct entry {
	char *name;		/* lowercase, no trailing dot */
	struct ry_ipaddr addr;
	size_t line;		/* file order, for stable results */
};

struct ry_hosts {
	struct entry *by_name;	/* owns the names */
	struct entry *by_addr;	/* shares them */
	size_t n;
};

static int cmp_name(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : x->line < y->line ? -1 : x->line > y->line;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = ry_ipaddr_cmp(&x->addr, &y->addr);

	return c ? c : x->line < y->line ? -1 : x->line > y->line;
}

/* The name as the table keeps it, in buf. */
static const char *fold(const char *name, char *buf, size_t len)
{
	size_t n = strlen(name);

	if (n >= len)
		return NULL;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	if (n > 1 && buf[n - 1] == '.')
		n--;
	buf[n] = '\0';
	return buf;
}

static int add(struct ry_hosts *h, size_t *cap, const char *name, const struct ry_ipaddr *a)
{
	char buf[RY_HOST_MAX + 1];
	const char *key = fold(name, buf, sizeof buf);

	if (!key)
		return 0;	/* longer than any name: never asked */
	struct entry *v = ry_grow(h->by_name, cap, h->n + 1, sizeof *v, 32);
	if (!v)
		return -1;
	h->by_name = v;
	char *copy = strdup(key);
	if (!copy)
		return -1;
	struct entry *e = &h->by_name[h->n];
	e->name = copy;
	e->addr = *a;
	e->line = h->n++;
	return 0;
}

struct ry_hosts *ry_hosts_load(const char *path)
{
	struct ry_hosts *h = calloc(1, sizeof *h);
	FILE *f;
	char *line = NULL;
	size_t lcap = 0, cap = 0;
	int bad = 0;

	if (!h)
		return NULL;
	f = fopen(path ? path : "/etc/hosts", "re");
	while (f && !bad && getline(&line, &lcap, f) >= 0) {
		char *hash = strchr(line, '#'), *save = NULL, *tok;
		struct ry_ipaddr a;
		if (hash)
			*hash = '\0';
		tok = strtok_r(line, " \t\r\n", &save);
		if (!tok || ry_ipaddr_parse(tok, &a) != 0)
			continue;
		while (!bad && (tok = strtok_r(NULL, " \t\r\n", &save)))
			bad = add(h, &cap, tok, &a);
	}
	free(line);
	if (f)
		fclose(f);
	if (!bad && h->n) {
		h->by_addr = malloc(h->n * sizeof *h->by_addr);
		bad = !h->by_addr;
	}
	if (bad) {
		ry_hosts_free(h);
		return NULL;
	}
	if (h->n) {
		memcpy(h->by_addr, h->by_name, h->n * sizeof *h->by_addr);
		qsort(h->by_name, h->n, sizeof *h->by_name, cmp_name);
		qsort(h->by_addr, h->n, sizeof *h->by_addr, cmp_addr);
	}
	return h;
}

void ry_hosts_free(struct ry_hosts *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		free(h->by_name[i].name);
	free(h->by_name);
	free(h->by_addr);
	free(h);
}

struct name_search {
	const struct ry_hosts *h;
	const char *key;
};

static bool name_before(const void *ctx, size_t i)
{
	const struct name_search *q = ctx;

	return strcmp(q->h->by_name[i].name, q->key) < 0;
}

struct addr_search {
	const struct ry_hosts *h;
	const struct ry_ipaddr *a;
};

static bool addr_before(const void *ctx, size_t i)
{
	const struct addr_search *q = ctx;

	return ry_ipaddr_cmp(&q->h->by_addr[i].addr, q->a) < 0;
}

int ry_hosts_addrs(const struct ry_hosts *h, const char *name, int family,
		   void (*fn)(void *ctx, const struct ry_ipaddr *a), void *ctx)
{
	char buf[RY_HOST_MAX + 1];
	const char *key = fold(name, buf, sizeof buf);

	if (!key)
		return 0;
	struct name_search q = { h, key };
	size_t lo = ry_partition_point(h->n, name_before, &q);	/* the first not below key */
	int known = 0;
	for (size_t i = lo; i < h->n && strcmp(h->by_name[i].name, key) == 0; i++) {
		known = 1;
		if (family == AF_UNSPEC || family == h->by_name[i].addr.family)
			fn(ctx, &h->by_name[i].addr);
	}
	return known;
}

int ry_hosts_names(const struct ry_hosts *h, const struct ry_ipaddr *a,
		   void (*fn)(void *ctx, const char *name), void *ctx)
{
	struct addr_search q = { h, a };
	size_t lo = ry_partition_point(h->n, addr_before, &q);
	int any = 0;
	for (size_t i = lo; i < h->n && ry_ipaddr_cmp(&h->by_addr[i].addr, a) == 0; i++) {
		any = 1;
		fn(ctx, h->by_addr[i].name);
	}
	return any;
}
