/*
 * target: the sweep target grammar, expanded into addresses.
 *
 *   192.168.0            three octets: .1 to .254
 *   10.1.2.0/24          CIDR; network and broadcast left out up to /30
 *   ::1/128, fd00::/112  IPv6 prefixes down to /112
 *   10.1.2.10-20         a range of the last octet
 *   10.1.2.250-10.1.3.5  a range between two addresses
 *   10.1.2.3, ::1        one address
 *
 * ry_target_expand() appends the addresses of one target to a list, or
 * says why the text is not a target.  A host name is not expanded here:
 * it returns RY_ENONAME so the caller can resolve it.  Nothing here
 * sends a packet or resolves a name.
 *
 * Thread safety: reentrant; a list belongs to one thread.
 */
#ifndef RY_NET_TARGET_H
#define RY_NET_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "net/addr.h"
#include "util/error.h"

struct ry_target_list {
	struct ry_ipaddr *v;
	size_t n, cap;
};


/* Appends the addresses of text.  Returns 0, RY_ENONAME (a host name), RY_EBADADDR
 * with *why, or -E2BIG (with *why) when the list would pass max_hosts,
 * or -ENOMEM.  The list is unchanged on any error. */
int ry_target_expand(const char *text, size_t max_hosts, struct ry_target_list *l,
		     const char **why);

/* The first address of a host name, looked up within timeout_ns
 * (net/resolve).  0, or the lookup's error code with *why. */
int ry_target_resolve(const char *name, int64_t timeout_ns, struct ry_ipaddr *a, const char **why);

/* Appends one address (a resolved name). */
int ry_target_add(struct ry_target_list *l, const struct ry_ipaddr *a);

/* Sorts by family then address and drops duplicates. */
void ry_target_unique(struct ry_target_list *l);

void ry_target_free(struct ry_target_list *l);

#endif
