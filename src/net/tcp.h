/*
 * tcp: sockets for the TCP client and server, Rust's TcpListener and
 * TcpStream, without the blocking.
 *
 * All sockets are created non-blocking and close-on-exec.  Functions
 * return 0 or a negative errno and never print; the caller names the
 * address in its message.
 *
 * Thread safety: all functions are reentrant.
 */
#ifndef RY_NET_TCP_H
#define RY_NET_TCP_H

#include <stdint.h>
#include <sys/socket.h>

#include "util/error.h"

/* Listens on the numeric address host:port (port 0: any free port) with
 * SO_REUSEADDR and the given backlog; IPv6 addresses listen on IPv6 only.
 * *fd gets the socket, *bound (may be NULL) the address actually bound.
 * -EADDRINUSE, -EACCES, -EADDRNOTAVAIL, RY_EBADADDR (host is not a
 * numeric address), ... */
int ry_tcp_listen(const char *host, unsigned port, int backlog, int *fd,
		  struct sockaddr_storage *bound);

/* Connects to sa within timeout_ns (<= 0: no limit).  *fd gets a
 * connected non-blocking socket.  -ECONNREFUSED, -ETIMEDOUT, ... */
int ry_tcp_connect(const struct sockaddr *sa, socklen_t len, int64_t timeout_ns, int *fd);

/* Resolves host:port numerically or through the resolver, first address. */
int ry_tcp_resolve(const char *host, const char *port, struct sockaddr_storage *ss,
		   socklen_t *len);

/* The peer of fd as text ("1.2.3.4:5", "[::1]:5"), or "?" */
void ry_tcp_peer_str(int fd, char *buf, size_t len);

/* Raises the open-file soft limit to the hard limit; returns the new
 * soft limit. */
long ry_raise_nofile(void);

#endif
