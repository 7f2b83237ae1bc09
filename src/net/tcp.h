/*
 * tcp: TCP sockets for the client, the server, the load generator and
 * the tcp sweep method: Rust's TcpListener and TcpStream, without the
 * blocking.  The one place rustyc connects, listens and sends.
 *
 * All sockets are created non-blocking and close-on-exec.  Connecting is
 * a start/finish pair for event loops (start, wait for writability in
 * the loop, finish), with ry_tcp_connect as the blocking-with-deadline
 * form built on it (Redis anet.c has the same shape).  Sends never raise
 * SIGPIPE (MSG_NOSIGNAL): a peer that left is -EPIPE.
 *
 * Functions return 0 (or a count) or a negative errno and never print;
 * the caller names the address in its message.  Blocking functions take
 * an absolute CLOCK_MONOTONIC deadline (util/time; 0: none) and wait in
 * poll(2) only.
 *
 * Thread safety: all functions are reentrant.
 */
#ifndef RY_NET_TCP_H
#define RY_NET_TCP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "util/error.h"
#include <stdbool.h>

#include "util/out.h"

/* Listens on sa (port 0: any free port) with SO_REUSEADDR and the given
 * backlog.  An IPv6 address listens on IPv6 only, except the wildcard ::
 * without v6only: it takes IPv4 clients too (as IPv4-mapped addresses),
 * as `ncat -l` and most servers do.  *fd gets the socket, *bound (may be
 * NULL) the address actually bound.  -EADDRINUSE, -EACCES,
 * -EADDRNOTAVAIL, ... */
int ry_tcp_listen(const struct sockaddr *sa, socklen_t len, int backlog, bool v6only, int *fd,
		  struct sockaddr_storage *bound);

#define RY_TCP_NODELAY 1u	/* ry_tcp_connect_start: no Nagle delay */

/* Starts connecting to sa; never blocks.  Returns 0 (connected at once,
 * as loopback may), -EINPROGRESS (pending: wait until *fd is writable,
 * then call ry_tcp_connect_finish), or another negative errno, with no
 * socket left open (-ECONNREFUSED, -ENETUNREACH, -EMFILE, ...).  *fd is
 * set for 0 and -EINPROGRESS; the caller closes it. */
int ry_tcp_connect_start(const struct sockaddr *sa, socklen_t len, unsigned flags, int *fd);

/* The outcome of a pending connect once fd is writable: 0, or the
 * negative errno of the failure (-ECONNREFUSED, -ETIMEDOUT, ...). */
int ry_tcp_connect_finish(int fd);

/* Connects to sa within timeout_ns (<= 0: no limit), with TCP_NODELAY.
 * *fd gets a connected non-blocking socket.  -ECONNREFUSED, -ETIMEDOUT,
 * ... */
int ry_tcp_connect(const struct sockaddr *sa, socklen_t len, int64_t timeout_ns, int *fd);

/* Sends from p until everything went or the socket is full; never
 * blocks.  Returns the bytes sent (0 to n; fewer than n: wait for
 * writability), or a negative errno (-EPIPE, -ECONNRESET, ...). */
ssize_t ry_tcp_send_some(int fd, const void *p, size_t n);

/* Sends all n bytes, waiting for room until the deadline.  0,
 * -ETIMEDOUT, or the send's negative errno. */
int ry_tcp_write_all(int fd, const void *p, size_t n, int64_t deadline_ns);

/* Reads up to the first '\n' (not kept), the end of the stream, or max
 * bytes, appending to line; waits until the deadline.  Bytes after the
 * newline in the same read are dropped (one request, one reply).  0,
 * -ENODATA when the stream ended before any byte (no reply at all),
 * -ETIMEDOUT, or the read's negative errno. */
int ry_tcp_read_line(int fd, int64_t deadline_ns, size_t max, struct ry_buf *line);

/* The peer of fd as text ("1.2.3.4:5", "[::1]:5"), or "?".  An IPv4
 * client of a dual-stack socket is shown as IPv4 (127.0.0.1:5000, not
 * [::ffff:127.0.0.1]:5000). */
void ry_tcp_peer_str(int fd, char *buf, size_t len);

#endif
