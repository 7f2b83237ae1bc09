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
#include <stdint.h>
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

/* An endpoint as serve and echo-client take one: PORT, HOST:PORT or
 * [IPV6]:PORT.  A bare number is a port with an empty hp->host (the
 * caller's default).  *port gets the port, or 0 for a service name
 * (hp->numeric_port false: the caller resolves or refuses it).  Returns
 * 0; -ERANGE for a bare number outside [min_port, 65535]; RY_EBADADDR
 * with *why for anything else that is not an endpoint (no port, a bad
 * host, a port under min_port). */
int ry_endpoint_parse(const char *s, unsigned min_port, struct ry_hostport *hp,
		      unsigned *port, const char **why);

/* The TCP port of a service name ("https") from /etc/services, host
 * order: 0, or RY_EBADADDR for an unknown service. */
int ry_service_port(const char *service, unsigned *port);

/* Checks a host name (not an address): 0 or RY_EBADADDR with *why. */
int ry_hostname_check(const char *name, const char **why);

/* An IPv4 or IPv6 address; a small value type, public so that lists of
 * thousands are plain arrays. */
struct ry_ipaddr {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t a[16];		/* IPv4 in the first 4 bytes */
};

#define RY_ADDRSTR_MAX 64	/* "[ipv6%scope]:65535" fits */

/* Writes the address of sa as text: "1.2.3.4" or "::1", or with the
 * port, "1.2.3.4:80" or "[::1]:80".  Returns 0 or -EAFNOSUPPORT. */
int ry_sockaddr_str(const struct sockaddr *sa, bool with_port, char *buf, size_t len);

/* The port of an AF_INET or AF_INET6 address, host order; 0 otherwise. */
unsigned ry_sockaddr_port(const struct sockaddr *sa);

/* An address in text ("1.2.3.4", "::1"; no scope, no brackets): 0, or
 * RY_EBADADDR for anything else. */
int ry_ipaddr_parse(const char *s, struct ry_ipaddr *a);
/* The IPv6 address in the first n bytes of s, written without brackets,
 * scope or prefix (the caller cuts at '%' or '/'): 0, or RY_EBADADDR.
 * The one IPv6 text parser of the targets and the endpoints. */
struct in6_addr;
int ry_ipv6_parse_n(const char *s, size_t n, struct in6_addr *a);
/* Text of an address ("1.2.3.4", "::1"); buf of at least 46 bytes. */
void ry_ipaddr_str(const struct ry_ipaddr *a, char *buf, size_t len);

/* A hardware (Ethernet) address as text: "02:00:5e:10:00:01". */
#define RY_MAC_STR 18
void ry_mac_str(const uint8_t mac[6], char buf[RY_MAC_STR]);
/* To and from socket addresses (port 0). */
socklen_t ry_ipaddr_to_sockaddr(const struct ry_ipaddr *a, struct sockaddr_storage *ss);
int ry_ipaddr_from_sockaddr(const struct sockaddr *sa, struct ry_ipaddr *a);
int ry_ipaddr_cmp(const struct ry_ipaddr *x, const struct ry_ipaddr *y);

/* Sets the port of an AF_INET or AF_INET6 address (host order). */
void ry_sockaddr_set_port(struct sockaddr_storage *ss, unsigned port);

#endif
