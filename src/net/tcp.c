#define _GNU_SOURCE
#include "net/tcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "util/time.h"
#include "net/addr.h"

int ry_tcp_listen(const char *host, unsigned port, int backlog, int *fd,
		  struct sockaddr_storage *bound)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int s, one = 1, rc;

	if (port > 65535)
		return -EINVAL;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		len = sizeof *in;
	} else {
		struct addrinfo hints = { .ai_family = AF_INET6, .ai_flags = AI_NUMERICHOST }, *ai;
		/* getaddrinfo handles a scope id such as fe80::1%lo. */
		if (getaddrinfo(host, NULL, &hints, &ai) != 0)
			return RY_EBADADDR;
		memcpy(in6, ai->ai_addr, ai->ai_addrlen);
		freeaddrinfo(ai);
		in6->sin6_port = htons((uint16_t)port);
		len = sizeof *in6;
	}
	s = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	(void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (ss.ss_family == AF_INET6)
		(void)setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (bind(s, (struct sockaddr *)&ss, len) != 0 || listen(s, backlog) != 0) {
		rc = -errno;
		close(s);
		return rc;
	}
	if (bound) {
		socklen_t blen = sizeof *bound;
		getsockname(s, (struct sockaddr *)bound, &blen);
	}
	*fd = s;
	return 0;
}

int ry_tcp_connect(const struct sockaddr *sa, socklen_t len, int64_t timeout_ns, int *fd)
{
	int s = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int rc, one = 1;

	if (s < 0)
		return -errno;
	(void)setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(s, sa, len) != 0 && errno != EINPROGRESS) {
		rc = -errno;
		goto out_close;
	}
	int64_t deadline = timeout_ns > 0 ? ry_now_ns() + timeout_ns : 0;
	for (;;) {
		struct pollfd pfd = { .fd = s, .events = POLLOUT };
		int wait_ms = -1;
		if (deadline) {
			int64_t left = deadline - ry_now_ns();
			if (left <= 0) {
				rc = -ETIMEDOUT;
				goto out_close;
			}
			wait_ms = (int)((left + 999999) / 1000000);
		}
		rc = poll(&pfd, 1, wait_ms);
		if (rc > 0)
			break;
		if (rc < 0 && errno != EINTR) {
			rc = -errno;
			goto out_close;
		}
	}
	int err = 0;
	socklen_t elen = sizeof err;
	if (getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &elen) != 0)
		err = errno;
	if (err) {
		rc = -err;
		goto out_close;
	}
	*fd = s;
	return 0;

out_close:
	close(s);
	return rc;
}

int ry_tcp_resolve(const char *host, const char *port, struct sockaddr_storage *ss,
		   socklen_t *len)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	int rc = getaddrinfo(host, port, &hints, &ai);

	if (rc == EAI_NONAME || rc == EAI_NODATA)
		return RY_ENONAME;
	if (rc == EAI_SERVICE)
		return RY_EBADADDR;
	if (rc != 0)
		return -EIO;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

void ry_tcp_peer_str(int fd, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t slen = sizeof ss;

	if (getpeername(fd, (struct sockaddr *)&ss, &slen) != 0 ||
	    ry_sockaddr_str((struct sockaddr *)&ss, true, buf, len) != 0)
		snprintf(buf, len, "?");
}

long ry_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return -1;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	return (long)rl.rlim_cur;
}
