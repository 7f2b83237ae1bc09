/*
 * addr: the text forms of hosts and ports that users type, and the text
 * forms of socket addresses that rustyc prints.  Rust's ToSocketAddrs,
 * the parsing half.
 *
 * ry_hostport_parse() accepts
 *     host   host:port   host:service   1.2.3.4   1.2.3.4:80
 *     ::1    [::1]   [::1]:80   [fe80::1%lo]:80
 * and rejects, with a reason, an empty host, an empty or out-of-range
 * port, unbalanced brackets, a bracketed host that is not IPv6, a name
 * longer than 253 characters or with an empty label or a label longer
 * than 63, and characters that no host name has.  It never resolves.
 *
 * Thread safety: all functions are reentrant.
 */
#ifndef RY_NET_ADDR_H
#define RY_NET_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include <errno.h>

#include "util/error.h"

#define RY_HOST_MAX 254		/* 253 characters and a NUL */
#define RY_SERV_MAX 33

struct ry_hostport {
	char host[RY_HOST_MAX + 64];	/* room for an IPv6 scope id */
	char port[RY_SERV_MAX];		/* "" when none was given */
	bool numeric_port;		/* port is digits (0-65535) */
	bool ipv6_literal;		/* host is an IPv6 address */
};

/* Parses s.  Returns 0, or RY_EBADADDR with *why (a static string) set
 * to the reason. */
int ry_hostport_parse(const char *s, struct ry_hostport *hp, const char **why);

/* Checks a host name (not an address): 0 or RY_EBADADDR with *why. */
int ry_hostname_check(const char *name, const char **why);

#define RY_ADDRSTR_MAX 64	/* "[ipv6%scope]:65535" fits */

/* Writes the address of sa as text: "1.2.3.4" or "::1", or with the
 * port, "1.2.3.4:80" or "[::1]:80".  Returns 0 or -EAFNOSUPPORT. */
int ry_sockaddr_str(const struct sockaddr *sa, bool with_port, char *buf, size_t len);

/* The port of an AF_INET or AF_INET6 address, host order; 0 otherwise. */
unsigned ry_sockaddr_port(const struct sockaddr *sa);

#endif
