#include "net/icmp_sock.h"

#include <errno.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

int ry_icmp_open(int family, int *fd, bool *raw)
{
	int proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int big = 16 << 20;	/* root: 32 MiB as the kernel counts it */
	int s;

	*raw = true;
	s = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (s < 0 && (errno == EPERM || errno == EACCES)) {
		*raw = false;
		s = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	}
	if (s < 0)
		return errno == EACCES ? -EPERM : -errno;
	/* A fast sweep's replies arrive in a burst: a large receive buffer
	 * keeps them (FORCE works for root, the plain one up to rmem_max). */
	if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) != 0)
		(void)setsockopt(s, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	/* A raw socket gets every ICMP message of the host, our own echo
	 * requests too when they go over loopback: at full speed, half of
	 * what it queued was requests and the queue overflowed (a --rate 0
	 * sweep of a live /16 lost 40% of its replies).  The kernel drops
	 * all but replies and the errors that quote a probe, as iputils
	 * ping asks it to. */
	if (family == AF_INET && *raw) {
		struct icmp_filter f = { ~((1u << ICMP_ECHOREPLY) | (1u << ICMP_DEST_UNREACH) |
					  (1u << ICMP_TIME_EXCEEDED)) };
		(void)setsockopt(s, SOL_RAW, ICMP_FILTER, &f, sizeof f);
	}
	if (family == AF_INET6 && *raw) {
		struct icmp6_filter f;
		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
		(void)setsockopt(s, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof f);
	}
	*fd = s;
	return 0;
}

int ry_icmp_access(int family, bool *raw)
{
	int fd = -1, rc = ry_icmp_open(family, &fd, raw);

	if (rc == 0)
		close(fd);
	return rc;
}
