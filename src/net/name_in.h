/*
 * name_in: one name as a resolve user wrote it, and what it asks for.
 *
 * A line or argument of resolve is NAME, NAME:PORT, [ADDR]:PORT, an
 * address alone or an address with a scope.  ry_name_in_init parses it
 * once for both engines and decides its kind:
 *
 *   RY_NAME_BAD      it did not parse (bad says why; nothing is asked)
 *   RY_NAME_REVERSE  an address alone: its names (PTR), as getent does
 *   RY_NAME_ENDPOINT an address with a port or a scope: itself, as
 *                    getaddrinfo makes it (nothing leaves the machine)
 *   RY_NAME_FORWARD  a host name: its addresses, or with record types,
 *                    those records (the name asked as written)
 *
 * With `only_reverse` (-x) a name that is no address is bad.
 * ry_name_in_addresses turns an answer's address records into socket
 * addresses carrying the name's port (a service name looked up in
 * /etc/services), the form both engines print.
 *
 * Ownership: a ry_name_in owns its copy of the text (ry_name_in_free).
 * Thread safety: plain values; reentrant.
 */
#ifndef RY_NET_NAME_IN_H
#define RY_NET_NAME_IN_H

#include <stdbool.h>
#include <stddef.h>

#include "net/addr.h"
#include "net/dns.h"
#include "net/gai.h"

enum ry_name_kind { RY_NAME_BAD, RY_NAME_REVERSE, RY_NAME_ENDPOINT, RY_NAME_FORWARD };

struct ry_name_in {
	char *text;		/* the line or argument, trimmed (owned) */
	size_t len;		/* of text, which may hold a NUL byte */
	struct ry_hostport hp;
	enum ry_name_kind kind;
	const char *bad;	/* RY_NAME_BAD: why (static text) */
};

/* Copies and parses text[0..len).  with_types: record types were asked
 * for (--type), so an address is asked as written, not reversed.  0 or
 * -ENOMEM (a name that does not parse is RY_NAME_BAD, not an error). */
int ry_name_in_init(struct ry_name_in *nm, const char *text, size_t len, bool only_reverse, bool with_types);

void ry_name_in_free(struct ry_name_in *nm);

/* The address records of ans (A and AAAA, as text) as socket addresses
 * with nm's port, into res (res->addrs malloc'd; status and why from ans,
 * or RY_EBADADDR "unknown service", or -ENOMEM).  res is the caller's to
 * free (ry_lookup_result_free). */
void ry_name_in_addresses(const struct ry_name_in *nm, const struct ry_dns_answer *ans,
			  struct ry_lookup_result *res);

#endif
