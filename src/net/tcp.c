#define _GNU_SOURCE
#include "net/tcp.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "net/addr.h"
#include "util/time.h"

int ry_tcp_listen(const struct sockaddr *sa, socklen_t len, int backlog, bool v6only, int *fd,
		  struct sockaddr_storage *bound)
{
	int s, one = 1, rc;

	s = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	(void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		int only = v6only || !IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr);
		(void)setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof only);
	}
	if (bind(s, sa, len) != 0 || listen(s, backlog) != 0) {
		rc = -errno;
		close(s);
		return rc;
	}
	if (bound) {
		socklen_t blen = sizeof *bound;
		if (getsockname(s, (struct sockaddr *)bound, &blen) != 0)
			memcpy(bound, sa, len);
	}
	*fd = s;
	return 0;
}

int ry_tcp_connect_start(const struct sockaddr *sa, socklen_t len, unsigned flags, int *fd)
{
	int s = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1, rc;

	if (s < 0)
		return -errno;
	if (flags & RY_TCP_NODELAY)
		(void)setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(s, sa, len) == 0) {
		*fd = s;
		return 0;
	}
	rc = -errno;
	if (rc == -EINPROGRESS) {
		*fd = s;
		return rc;
	}
	close(s);
	return rc;
}

int ry_tcp_connect_finish(int fd)
{
	int err = 0;
	socklen_t elen = sizeof err;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0)
		return -errno;
	return -err;
}

/* Waits until fd has the events or the deadline passes.  0 ready,
 * -ETIMEDOUT, or poll's negative errno. */
static int wait_for(int fd, short events, int64_t deadline_ns)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = events };
		int wait_ms = -1, rc;

		if (deadline_ns) {
			int64_t left = deadline_ns - ry_now_ns();
			if (left <= 0)
				return -ETIMEDOUT;
			wait_ms = (int)((left + 999999) / 1000000);
		}
		rc = poll(&pfd, 1, wait_ms);
		if (rc > 0)
			return 0;
		if (rc < 0 && errno != EINTR)
			return -errno;
	}
}

int ry_tcp_connect(const struct sockaddr *sa, socklen_t len, int64_t timeout_ns, int *fd)
{
	int64_t deadline = timeout_ns > 0 ? ry_now_ns() + timeout_ns : 0;
	int s = -1, rc = ry_tcp_connect_start(sa, len, RY_TCP_NODELAY, &s);

	if (rc == -EINPROGRESS) {
		rc = wait_for(s, POLLOUT, deadline);
		if (rc == 0)
			rc = ry_tcp_connect_finish(s);
		if (rc != 0)
			close(s);
	}
	if (rc == 0)
		*fd = s;
	return rc;
}

ssize_t ry_tcp_send_some(int fd, const void *p, size_t n)
{
	const char *b = p;
	size_t off = 0;

	while (off < n) {
		ssize_t k = send(fd, b + off, n - off, MSG_NOSIGNAL);
		if (k >= 0) {
			off += (size_t)k;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			break;
		return -errno;
	}
	return (ssize_t)off;
}

int ry_tcp_write_all(int fd, const void *p, size_t n, int64_t deadline_ns)
{
	const char *b = p;

	for (;;) {
		ssize_t k = ry_tcp_send_some(fd, b, n);
		if (k < 0)
			return (int)k;
		b += k;
		n -= (size_t)k;
		if (n == 0)
			return 0;
		int rc = wait_for(fd, POLLOUT, deadline_ns);
		if (rc != 0)
			return rc;
	}
}

int ry_tcp_read_line(int fd, int64_t deadline_ns, size_t max, struct ry_buf *line)
{
	char buf[4096];
	size_t got = 0;

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n > 0) {
			char *nl = memchr(buf, '\n', (size_t)n);
			size_t take = nl ? (size_t)(nl - buf) : (size_t)n;
			if (take > max - got)
				take = max - got;
			ry_buf_add(line, buf, take);
			got += take;
			if (nl || got >= max)
				return 0;
			continue;
		}
		if (n == 0)
			return got ? 0 : -ENODATA;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		int rc = wait_for(fd, POLLIN, deadline_ns);
		if (rc != 0)
			return rc;
	}
}

void ry_tcp_peer_str(int fd, char *buf, size_t len)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t slen = sizeof ss;

	if (getpeername(fd, (struct sockaddr *)&ss, &slen) != 0) {
		snprintf(buf, len, "?");
		return;
	}
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;
	if (ss.ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
		/* A dual-stack listener's IPv4 client, shown as IPv4. */
		struct sockaddr_in in4 = { .sin_family = AF_INET, .sin_port = in6->sin6_port };
		memcpy(&in4.sin_addr, &in6->sin6_addr.s6_addr[12], 4);
		memcpy(&ss, &in4, sizeof in4);
	}
	if (ry_sockaddr_str((struct sockaddr *)&ss, true, buf, len) != 0)
		snprintf(buf, len, "?");
}
