/*
 * dns_rr: DNS answers turned into records, and records into text.
 *
 * ry_dns_rr_parse() reads the answer to one question (the raw message a
 * name server sent) with c-ares' own parsers for the record data and a
 * walk of the answer section for the TTLs (which most of c-ares 1.18's
 * parsers drop; CNAME has no parser there and is read by the walk
 * alone, with ares_expand_name).  It never trusts a length it was sent:
 * every answer, however malformed, gives records or a status
 * (tests/fuzz/fuzz_dns.c).
 *
 * Ownership: a set owns its records and their strings; ry_dns_rrset_free
 * releases them.  Thread safety: reentrant.
 */
#ifndef RY_NET_DNS_RR_H
#define RY_NET_DNS_RR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/out.h"

enum {
	RY_DNS_A = 1, RY_DNS_NS = 2, RY_DNS_CNAME = 5, RY_DNS_SOA = 6,
	RY_DNS_PTR = 12, RY_DNS_MX = 15, RY_DNS_TXT = 16, RY_DNS_AAAA = 28,
	RY_DNS_SRV = 33, RY_DNS_CAA = 257,
};

#define RY_DNS_NO_TTL UINT32_MAX	/* from /etc/hosts, or not matched */

struct ry_dns_rr {
	uint16_t type;
	uint32_t ttl;
	/* A, AAAA: the address as text; NS, CNAME, PTR: the name; MX: the
	 * exchange; SRV: the target; SOA: the primary server; TXT: the
	 * strings in wire form, each a length byte then its bytes (any
	 * byte); CAA: the tag.  Names are as dig shows them (\032 for a
	 * space, \. inside a label). */
	char *text;
	size_t len;
	/* SOA: the mailbox; CAA: the value; TXT: the strings as dig
	 * shows them (quoted, \" \\ and \DDD escapes: printable ASCII). */
	char *text2;
	size_t len2;
	/* MX: preference; SRV: priority, weight, port; SOA: serial,
	 * refresh, retry, expire, minimum; CAA: critical (0 or 1). */
	uint32_t num[5];
};

struct ry_dns_rrset {
	struct ry_dns_rr *v;
	size_t n, cap;
};

/* The type's number for a name ("MX", any case), or 0. */
int ry_dns_type_parse(const char *s);
/* The name of a type this module knows, or NULL. */
const char *ry_dns_type_name(int type);
/* The names of the supported types, space-separated (help, messages). */
const char *ry_dns_type_list(void);

/* Adds the records of type `type` in answer abuf[0..alen) to set.
 * Returns an ARES_* status: ARES_SUCCESS with at least one record
 * added, ARES_ENODATA when the answer holds none of that type,
 * ARES_EBADRESP for a malformed message, ARES_ENOMEM. */
int ry_dns_rr_parse(int type, const unsigned char *abuf, int alen, struct ry_dns_rrset *set);

/* Adds one record with text (and no TTL); 0 or -ENOMEM. */
int ry_dns_rr_add(struct ry_dns_rrset *set, int type, uint32_t ttl, const char *text, size_t len);

void ry_dns_rrset_free(struct ry_dns_rrset *set);

/* The value of a record as one field of text, much as dig prints it:
 * "10 mail.example", "0 issue \"ca.example\"", TXT strings each quoted.
 * Bytes from the answer are copied as they are: print the value with
 * ry_rec_str, which escapes it. */
void ry_dns_rr_value(struct ry_buf *b, const struct ry_dns_rr *rr);

/* The fields of a record on r (between ry_rec_begin and ry_rec_put):
 * type; in JSON ttl (null when unknown) and the fields of its type
 * (address; preference, exchange; priority, weight, port, target; text;
 * mname, rname, serial, refresh, retry, expire, minimum; flags, tag,
 * value; target for NS, CNAME and PTR); in the plain line the value as
 * ry_dns_rr_value writes it. */
void ry_dns_rr_fields(struct ry_rec *r, const struct ry_dns_rr *rr);

#endif
