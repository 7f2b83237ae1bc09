/*
 * target: the sweep target grammar, read into spans of addresses.
 *
 *   192.168.0            three octets: .1 to .254
 *   10.1.2.0/24          CIDR; network and broadcast left out up to /30
 *   ::1/128, fd00::/112  IPv6 prefixes down to /112
 *   10.1.2.10-20         a range of the last octet
 *   10.1.2.250-10.1.3.5  a range between two addresses
 *   10.1.2.3, ::1        one address
 *
 * ry_target_expand() appends the addresses of one target to a set, or
 * says why the text is not a target.  A host name is not expanded here:
 * it returns RY_ENONAME so the caller can collect the names and resolve
 * them together (ry_target_resolve_names, the one function here that
 * sends: DNS queries).
 *
 * Thread safety: reentrant; a list belongs to one thread.
 */
#ifndef RY_NET_TARGET_H
#define RY_NET_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "net/addr.h"
#include "util/error.h"

/* The whole target list: sorted, disjoint spans of addresses (after
 * ry_target_set_unique), never expanded, so a /8 costs a few bytes and
 * a position maps to its address in O(log spans).  An IPv4 span is any
 * run of addresses; an IPv6 one stays inside one /112. */
struct ry_target_span {
	struct ry_ipaddr first;
	uint64_t count;
};
struct ry_target_set {
	struct ry_target_span *span;
	size_t nspan, cap;
	uint64_t n;		/* addresses (duplicates counted until unique) */
	uint64_t *start;	/* after unique: each span's first position */
	bool unique;
};

/* Addresses one by one: a copy's share, in probe order. */
struct ry_target_list {
	struct ry_ipaddr *v;
	size_t n, cap;
};

/* Appends the addresses of text as a span.  Returns 0, RY_ENONAME (a
 * host name), RY_EBADADDR with *why, or -E2BIG (with *why) when the set
 * would pass max_hosts addresses, or -ENOMEM.  The set is unchanged on
 * any error. */
int ry_target_expand(const char *text, uint64_t max_hosts, struct ry_target_set *s, const char **why);

/* Appends one address (a resolved name). */
int ry_target_set_add(struct ry_target_set *s, const struct ry_ipaddr *a);

/* Sorts by family then address, merges overlapping and adjacent spans
 * (so duplicates go) and numbers the positions.  0 or -ENOMEM. */
int ry_target_set_unique(struct ry_target_set *s);

/* The address at position pos (< s->n) of a unique set. */
void ry_target_set_at(const struct ry_target_set *s, uint64_t pos, struct ry_ipaddr *out);

/* The position of a in a unique set, or s->n. */
uint64_t ry_target_set_find(const struct ry_target_set *s, const struct ry_ipaddr *a);

void ry_target_set_free(struct ry_target_set *s);

/* A target given as a host name. */
struct ry_target_name {
	char *text;		/* the name (the caller's) */
	size_t line;		/* of stdin, or 0 (the caller's) */
	struct ry_ipaddr addr;	/* its first address, when found */
	bool found;
	const char *why;	/* static text, when not found */
};

/* Looks up names[0..n) all at once on the DNS engine (net/dns:
 * /etc/hosts, then DNS), each within timeout_ns, as family (AF_UNSPEC:
 * A before AAAA): sets addr and found, or why.  0, or a negative code
 * with *why when the engine itself failed. */
int ry_target_resolve_names(struct ry_target_name *names, size_t n, int family, int64_t timeout_ns,
			    const char **why);

/* Appends one address to a list. */
int ry_target_add(struct ry_target_list *l, const struct ry_ipaddr *a);

void ry_target_free(struct ry_target_list *l);

#endif
