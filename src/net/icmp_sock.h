/*
 * icmp_sock: opening ICMP sockets, the Linux-only half of ICMP (net/icmp
 * builds and checks the packets).
 *
 * A raw socket when the process has CAP_NET_RAW, else the unprivileged
 * datagram "ping" socket where net.ipv4.ping_group_range allows it.  A
 * raw ICMPv6 socket is filtered to what a sweep reads (echo replies and
 * the errors that answer a probe).  Sockets are non-blocking,
 * close-on-exec, with a large receive buffer for a burst of replies.
 *
 * Thread safety: reentrant.
 */
#ifndef RY_NET_ICMP_SOCK_H
#define RY_NET_ICMP_SOCK_H

#include <stdbool.h>

#include "util/error.h"

/* Opens an ICMP socket for family (AF_INET or AF_INET6).  *fd gets it,
 * *raw whether it is raw (replies then carry the IPv4 header, and every
 * ICMP message of the host arrives).  0, -EPERM (neither kind is
 * permitted) or another negative errno. */
int ry_icmp_open(int family, int *fd, bool *raw);

/* Whether this process may open an ICMP socket for family, and *raw of
 * which kind: 0 or -EPERM, as ry_icmp_open. */
int ry_icmp_access(int family, bool *raw);

#endif
