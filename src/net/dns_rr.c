/*
 * dns_rr: answers to records (c-ares' parsers plus a walk for TTLs),
 * records to text and JSON fields.
 */
#include "net/dns_rr.h"
#include "util/grow.h"

#include <arpa/inet.h>
#include <ares.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	int type;
	const char *name;
} types[] = {
	{ RY_DNS_A, "A" }, { RY_DNS_AAAA, "AAAA" }, { RY_DNS_CNAME, "CNAME" },
	{ RY_DNS_MX, "MX" }, { RY_DNS_NS, "NS" }, { RY_DNS_PTR, "PTR" },
	{ RY_DNS_SRV, "SRV" }, { RY_DNS_TXT, "TXT" }, { RY_DNS_SOA, "SOA" },
	{ RY_DNS_CAA, "CAA" },
};

int ry_dns_type_parse(const char *s)
{
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcasecmp(s, types[i].name) == 0)
			return types[i].type;
	return 0;
}

const char *ry_dns_type_name(int type)
{
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (types[i].type == type)
			return types[i].name;
	return NULL;
}

static char type_list[sizeof types / sizeof types[0] * 6];
static pthread_once_t type_list_once = PTHREAD_ONCE_INIT;

static void type_list_make(void)
{
	size_t off = 0;

	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		off += (size_t)snprintf(type_list + off, sizeof type_list - off, "%s%s", i ? " " : "",
					types[i].name);
}

const char *ry_dns_type_list(void)
{
	(void)pthread_once(&type_list_once, type_list_make);
	return type_list;
}

static struct ry_dns_rr *rr_new(struct ry_dns_rrset *set, int type, uint32_t ttl)
{
	struct ry_dns_rr *v = ry_grow(set->v, &set->cap, set->n + 1, sizeof *v, 4);

	if (!v)
		return NULL;
	set->v = v;
	struct ry_dns_rr *rr = &set->v[set->n];
	memset(rr, 0, sizeof *rr);
	rr->type = (uint16_t)type;
	rr->ttl = ttl;
	return rr;
}

static char *dup_n(const void *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* One character-string as dig prints it: in double quotes, with " and \
 * escaped by a backslash and any byte outside printable ASCII as \DDD
 * (decimal), so no string can fake another's boundary. */
static void present_string(struct ry_buf *b, const unsigned char *s, size_t n)
{
	ry_buf_add(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			ry_buf_addf(b, "\\%c", s[i]);
		else if (s[i] < 0x20 || s[i] > 0x7e)
			ry_buf_addf(b, "\\%03u", s[i]);
		else
			ry_buf_add(b, &s[i], 1);
	}
	ry_buf_add(b, "\"", 1);
}

/* A name from ares_expand_name (which escapes . \ " ( ) ; @ $ in a label
 * and other bytes as \DDD) with the space escaped too, as dig does:
 * \032.  A space would otherwise split a plain line's fields. */
static int add_name(struct ry_dns_rrset *set, int type, uint32_t ttl, const char *name)
{
	struct ry_buf b;
	int rc;

	ry_buf_init(&b);
	for (const char *c = name; *c; c++) {
		if (*c == ' ')
			ry_buf_add(&b, "\\032", 4);
		else
			ry_buf_add(&b, c, 1);
	}
	rc = b.oom ? -ENOMEM : ry_dns_rr_add(set, type, ttl, b.p ? b.p : "", b.len);
	ry_buf_destroy(&b);
	return rc;
}

int ry_dns_rr_add(struct ry_dns_rrset *set, int type, uint32_t ttl, const char *text, size_t len)
{
	char *t = dup_n(text, len);
	struct ry_dns_rr *rr = t ? rr_new(set, type, ttl) : NULL;

	if (!rr) {
		free(t);
		return -ENOMEM;
	}
	rr->text = t;
	rr->len = len;
	set->n++;
	return 0;
}

void ry_dns_rrset_free(struct ry_dns_rrset *set)
{
	for (size_t i = 0; i < set->n; i++) {
		free(set->v[i].text);
		free(set->v[i].text2);
	}
	free(set->v);
	memset(set, 0, sizeof *set);
}

/* ---- the walk: TTLs in answer order, and CNAME targets ---- */

#define MAX_WALK 4096		/* records of one type read from one answer */

struct walk {
	uint32_t ttl[MAX_WALK];
	size_t n;
	struct ry_dns_rrset *cnames;	/* CNAME, PTR: the targets go here */
};

static unsigned get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Skips the name at *p; ARES_SUCCESS or ARES_EBADRESP. */
static int skip_name(const unsigned char **p, const unsigned char *abuf, int alen)
{
	char *name;
	long len;

	if (ares_expand_name(*p, abuf, alen, &name, &len) != ARES_SUCCESS)
		return ARES_EBADRESP;
	ares_free_string(name);
	*p += len;
	return ARES_SUCCESS;
}

static int walk(const unsigned char *abuf, int alen, int type, struct walk *w)
{
	const unsigned char *p = abuf + 12, *end = abuf + alen;

	w->n = 0;
	if (alen < 12)
		return ARES_EBADRESP;
	unsigned qd = get16(abuf + 4), an = get16(abuf + 6);
	for (unsigned i = 0; i < qd; i++) {
		if (skip_name(&p, abuf, alen) != ARES_SUCCESS || end - p < 4)
			return ARES_EBADRESP;
		p += 4;
	}
	for (unsigned i = 0; i < an; i++) {
		const unsigned char *rd;
		if (skip_name(&p, abuf, alen) != ARES_SUCCESS || end - p < 10)
			return ARES_EBADRESP;
		unsigned t = get16(p), cls = get16(p + 2), rdlen = get16(p + 8);
		uint32_t ttl = get32(p + 4);
		rd = p + 10;
		if (end - rd < (long)rdlen)
			return ARES_EBADRESP;
		p = rd + rdlen;
		if ((int)t != type || cls != 1 /* IN */ || w->n == MAX_WALK)
			continue;
		if (ttl > 0x7fffffffu)	/* RFC 2181: read as zero */
			ttl = 0;
		if (w->cnames) {
			char *name;
			long len;
			/* The target must lie inside this record's data. */
			if (ares_expand_name(rd, abuf, (int)(p - abuf), &name, &len) != ARES_SUCCESS)
				return ARES_EBADRESP;
			int rc = add_name(w->cnames, type, ttl, name);
			ares_free_string(name);
			if (rc != 0)
				return ARES_ENOMEM;
		}
		w->ttl[w->n++] = ttl;
	}
	return ARES_SUCCESS;
}

/* The TTL of the i-th record of the parsed list, if the walk saw as
 * many records as the parser gave. */
static uint32_t ttl_of(const struct walk *w, size_t i, size_t parsed)
{
	return w->n == parsed && i < w->n ? w->ttl[i] : RY_DNS_NO_TTL;
}

/* ---- one parser per type ---- */

static int parse_addrs(int type, const unsigned char *abuf, int alen, struct ry_dns_rrset *set)
{
	int n = alen / 16 + 1, rc;
	char text[INET6_ADDRSTRLEN];

	if (type == RY_DNS_A) {
		struct ares_addrttl *v = calloc((size_t)n, sizeof *v);
		if (!v)
			return ARES_ENOMEM;
		rc = ares_parse_a_reply(abuf, alen, NULL, v, &n);
		for (int i = 0; rc == ARES_SUCCESS && i < n; i++) {
			inet_ntop(AF_INET, &v[i].ipaddr, text, sizeof text);
			if (ry_dns_rr_add(set, type, v[i].ttl < 0 ? 0 : (uint32_t)v[i].ttl, text, strlen(text)))
				rc = ARES_ENOMEM;
		}
		free(v);
	} else {
		struct ares_addr6ttl *v = calloc((size_t)n, sizeof *v);
		if (!v)
			return ARES_ENOMEM;
		rc = ares_parse_aaaa_reply(abuf, alen, NULL, v, &n);
		for (int i = 0; rc == ARES_SUCCESS && i < n; i++) {
			inet_ntop(AF_INET6, &v[i].ip6addr, text, sizeof text);
			if (ry_dns_rr_add(set, type, v[i].ttl < 0 ? 0 : (uint32_t)v[i].ttl, text, strlen(text)))
				rc = ARES_ENOMEM;
		}
		free(v);
	}
	if (rc == ARES_SUCCESS && n == 0)
		rc = ARES_ENODATA;
	return rc;
}

/* NS and PTR: c-ares returns a hostent whose aliases (NS: all of them;
 * PTR: all of them, h_name the first) are the names. */
static int parse_names(int type, const unsigned char *abuf, int alen, const struct walk *w,
		       struct ry_dns_rrset *set)
{
	struct hostent *h = NULL;
	static const unsigned char any[16];
	int rc = type == RY_DNS_NS ? ares_parse_ns_reply(abuf, alen, &h)
				   : ares_parse_ptr_reply(abuf, alen, any, 4, AF_INET, &h);
	size_t n = 0;

	if (rc != ARES_SUCCESS)
		return rc;
	char **names = h->h_aliases;
	char *only[2] = { h->h_name, NULL };
	if (!names || !names[0])
		names = only;
	while (names[n])
		n++;
	for (size_t i = 0; i < n && rc == ARES_SUCCESS; i++)
		if (ry_dns_rr_add(set, type, ttl_of(w, i, n), names[i], strlen(names[i])))
			rc = ARES_ENOMEM;
	ares_free_hostent(h);
	return rc;
}

static int parse_mx(const unsigned char *abuf, int alen, const struct walk *w, struct ry_dns_rrset *set)
{
	struct ares_mx_reply *mx = NULL;
	int rc = ares_parse_mx_reply(abuf, alen, &mx);
	size_t n = 0, i = 0;

	for (struct ares_mx_reply *m = mx; m; m = m->next)
		n++;
	for (struct ares_mx_reply *m = mx; m && rc == ARES_SUCCESS; m = m->next, i++) {
		if (ry_dns_rr_add(set, RY_DNS_MX, ttl_of(w, i, n), m->host, strlen(m->host)))
			rc = ARES_ENOMEM;
		else
			set->v[set->n - 1].num[0] = m->priority;
	}
	if (mx)
		ares_free_data(mx);
	return rc == ARES_SUCCESS && n == 0 ? ARES_ENODATA : rc;
}

static int parse_srv(const unsigned char *abuf, int alen, const struct walk *w, struct ry_dns_rrset *set)
{
	struct ares_srv_reply *srv = NULL;
	int rc = ares_parse_srv_reply(abuf, alen, &srv);
	size_t n = 0, i = 0;

	for (struct ares_srv_reply *s = srv; s; s = s->next)
		n++;
	for (struct ares_srv_reply *s = srv; s && rc == ARES_SUCCESS; s = s->next, i++) {
		if (ry_dns_rr_add(set, RY_DNS_SRV, ttl_of(w, i, n), s->host, strlen(s->host))) {
			rc = ARES_ENOMEM;
		} else {
			uint32_t *num = set->v[set->n - 1].num;
			num[0] = s->priority;
			num[1] = s->weight;
			num[2] = s->port;
		}
	}
	if (srv)
		ares_free_data(srv);
	return rc == ARES_SUCCESS && n == 0 ? ARES_ENODATA : rc;
}

/* TXT: one record per RR; text holds its strings in wire form (each a
 * length byte, then its bytes), text2 the strings as dig shows them. */
static int parse_txt(const unsigned char *abuf, int alen, const struct walk *w, struct ry_dns_rrset *set)
{
	struct ares_txt_ext *txt = NULL;
	int rc = ares_parse_txt_reply_ext(abuf, alen, &txt);
	size_t n = 0, i = 0;
	struct ry_buf wire, shown;

	for (struct ares_txt_ext *t = txt; t; t = t->next)
		n += t->record_start != 0 || t == txt;
	ry_buf_init(&wire);
	ry_buf_init(&shown);
	for (struct ares_txt_ext *t = txt; t && rc == ARES_SUCCESS; i++) {
		ry_buf_reset(&wire);
		ry_buf_reset(&shown);
		do {
			unsigned char len = (unsigned char)(t->length > 255 ? 255 : t->length);
			if (shown.len)
				ry_buf_add(&shown, " ", 1);
			present_string(&shown, t->txt, len);
			ry_buf_add(&wire, &len, 1);
			ry_buf_add(&wire, t->txt, len);
			t = t->next;
		} while (t && !t->record_start);
		char *q = shown.oom ? NULL : dup_n(shown.p, shown.len);
		if (!q || wire.oom || ry_dns_rr_add(set, RY_DNS_TXT, ttl_of(w, i, n), wire.p ? wire.p : "", wire.len)) {
			free(q);
			rc = ARES_ENOMEM;
			break;
		}
		set->v[set->n - 1].text2 = q;
		set->v[set->n - 1].len2 = shown.len;
	}
	ry_buf_destroy(&wire);
	ry_buf_destroy(&shown);
	if (txt)
		ares_free_data(txt);
	return rc == ARES_SUCCESS && n == 0 ? ARES_ENODATA : rc;
}

static int parse_soa(const unsigned char *abuf, int alen, const struct walk *w, struct ry_dns_rrset *set)
{
	struct ares_soa_reply *soa = NULL;
	int rc = ares_parse_soa_reply(abuf, alen, &soa);

	if (rc != ARES_SUCCESS)
		return rc;
	char *mbox = dup_n(soa->hostmaster, strlen(soa->hostmaster));
	if (!mbox || ry_dns_rr_add(set, RY_DNS_SOA, ttl_of(w, 0, 1), soa->nsname, strlen(soa->nsname))) {
		free(mbox);
		rc = ARES_ENOMEM;
	} else {
		struct ry_dns_rr *rr = &set->v[set->n - 1];
		rr->text2 = mbox;
		rr->len2 = strlen(mbox);
		rr->num[0] = soa->serial;
		rr->num[1] = soa->refresh;
		rr->num[2] = soa->retry;
		rr->num[3] = soa->expire;
		rr->num[4] = soa->minttl;
	}
	ares_free_data(soa);
	return rc;
}

static int parse_caa(const unsigned char *abuf, int alen, const struct walk *w, struct ry_dns_rrset *set)
{
	struct ares_caa_reply *caa = NULL;
	int rc = ares_parse_caa_reply(abuf, alen, &caa);
	size_t n = 0, i = 0;

	for (struct ares_caa_reply *c = caa; c; c = c->next)
		n++;
	for (struct ares_caa_reply *c = caa; c && rc == ARES_SUCCESS; c = c->next, i++) {
		char *value = dup_n(c->value, c->length);
		if (!value || ry_dns_rr_add(set, RY_DNS_CAA, ttl_of(w, i, n), (const char *)c->property,
					    c->plength)) {
			free(value);
			rc = ARES_ENOMEM;
			break;
		}
		struct ry_dns_rr *rr = &set->v[set->n - 1];
		rr->text2 = value;
		rr->len2 = c->length;
		rr->num[0] = c->critical != 0;
	}
	if (caa)
		ares_free_data(caa);
	return rc == ARES_SUCCESS && n == 0 ? ARES_ENODATA : rc;
}

int ry_dns_rr_parse(int type, const unsigned char *abuf, int alen, struct ry_dns_rrset *set)
{
	struct walk *w;
	int rc;

	if (type == RY_DNS_A || type == RY_DNS_AAAA)
		return parse_addrs(type, abuf, alen, set);
	w = malloc(sizeof *w);
	if (!w)
		return ARES_ENOMEM;
	/* CNAME and PTR targets are read by the walk: c-ares' PTR parser
	 * refuses a name with a byte a host name may not hold, where dig
	 * prints it escaped. */
	w->cnames = type == RY_DNS_CNAME || type == RY_DNS_PTR ? set : NULL;
	size_t before = set->n;
	rc = walk(abuf, alen, type, w);
	if (rc == ARES_SUCCESS) {
		switch (type) {
		case RY_DNS_CNAME:
		case RY_DNS_PTR:
			rc = set->n > before ? ARES_SUCCESS : ARES_ENODATA;
			break;
		case RY_DNS_NS:
			rc = parse_names(type, abuf, alen, w, set);
			break;
		case RY_DNS_MX:
			rc = parse_mx(abuf, alen, w, set);
			break;
		case RY_DNS_SRV:
			rc = parse_srv(abuf, alen, w, set);
			break;
		case RY_DNS_TXT:
			rc = parse_txt(abuf, alen, w, set);
			break;
		case RY_DNS_SOA:
			rc = parse_soa(abuf, alen, w, set);
			break;
		case RY_DNS_CAA:
			rc = parse_caa(abuf, alen, w, set);
			break;
		default:
			rc = ARES_ENOTIMP;
		}
	}
	free(w);
	return rc;
}

/* ---- records out ---- */

void ry_dns_rr_value(struct ry_buf *b, const struct ry_dns_rr *rr)
{
	switch (rr->type) {
	case RY_DNS_MX:
		ry_buf_addf(b, "%u ", (unsigned)rr->num[0]);
		break;
	case RY_DNS_SRV:
		ry_buf_addf(b, "%u %u %u ", (unsigned)rr->num[0], (unsigned)rr->num[1], (unsigned)rr->num[2]);
		break;
	case RY_DNS_CAA:
		ry_buf_addf(b, "%u ", rr->num[0] ? 128u : 0u);
		break;
	case RY_DNS_TXT:
		ry_buf_add(b, rr->text2, rr->len2);
		return;
	default:
		break;
	}
	ry_buf_add(b, rr->text, rr->len);
	switch (rr->type) {
	case RY_DNS_SOA:
		ry_buf_add(b, " ", 1);
		ry_buf_add(b, rr->text2, rr->len2);
		ry_buf_addf(b, " %lu %lu %lu %lu %lu", (unsigned long)rr->num[0], (unsigned long)rr->num[1],
			    (unsigned long)rr->num[2], (unsigned long)rr->num[3], (unsigned long)rr->num[4]);
		break;
	case RY_DNS_CAA:
		ry_buf_add(b, " ", 1);
		present_string(b, (const unsigned char *)rr->text2, rr->len2);
		break;
	default:
		break;
	}
}

void ry_dns_rr_fields(struct ry_rec *r, const struct ry_dns_rr *rr)
{
	const char *type = ry_dns_type_name(rr->type);
	const unsigned J = RY_REC_JSON;

	ry_rec_cstr(r, "type", type ? type : "?", 0);
	if (rr->ttl == RY_DNS_NO_TTL)
		ry_rec_null(r, "ttl");
	else
		ry_rec_int(r, "ttl", rr->ttl, J);
	switch (rr->type) {
	case RY_DNS_A:
	case RY_DNS_AAAA:
		ry_rec_str(r, "address", rr->text, rr->len, J);
		break;
	case RY_DNS_MX:
		ry_rec_int(r, "preference", rr->num[0], J);
		ry_rec_str(r, "exchange", rr->text, rr->len, J);
		break;
	case RY_DNS_SRV:
		ry_rec_int(r, "priority", rr->num[0], J);
		ry_rec_int(r, "weight", rr->num[1], J);
		ry_rec_int(r, "port", rr->num[2], J);
		ry_rec_str(r, "target", rr->text, rr->len, J);
		break;
	case RY_DNS_TXT:
		/* The strings apart, as they were sent. */
		ry_rec_list_begin(r, "text", J);
		for (size_t k = 0; k < rr->len; k += 1 + (unsigned char)rr->text[k]) {
			size_t l = (unsigned char)rr->text[k];
			ry_rec_list_add_n(r, rr->text + k + 1, l <= rr->len - k - 1 ? l : rr->len - k - 1);
		}
		ry_rec_list_end(r);
		break;
	case RY_DNS_SOA:
		ry_rec_str(r, "mname", rr->text, rr->len, J);
		ry_rec_str(r, "rname", rr->text2, rr->len2, J);
		ry_rec_int(r, "serial", rr->num[0], J);
		ry_rec_int(r, "refresh", rr->num[1], J);
		ry_rec_int(r, "retry", rr->num[2], J);
		ry_rec_int(r, "expire", rr->num[3], J);
		ry_rec_int(r, "minimum", rr->num[4], J);
		break;
	case RY_DNS_CAA:
		ry_rec_int(r, "flags", rr->num[0] ? 128 : 0, J);
		ry_rec_str(r, "tag", rr->text, rr->len, J);
		ry_rec_str(r, "value", rr->text2, rr->len2, J);
		break;
	default:	/* NS, CNAME, PTR */
		ry_rec_str(r, "target", rr->text, rr->len, J);
		break;
	}
	/* The plain line: NAME TYPE VALUE, the value as dig shows it. */
	struct ry_buf v;
	ry_buf_init(&v);
	ry_dns_rr_value(&v, rr);
	ry_rec_text(r, "value", v.p ? v.p : "", v.len, RY_REC_PLAIN);
	if (v.oom)
		r->b.oom = true;
	ry_buf_destroy(&v);
}
