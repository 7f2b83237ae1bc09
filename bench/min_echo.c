/*
 * min_echo PORT: the smallest reasonable epoll echo server, one thread,
 * for the serve benchmark's ceiling: whatever it reads it writes back at
 * once (a full socket buffer drops the rest: the load generator keeps
 * only a few requests in flight, so that never happens there).  Prints
 * "port N" once listening on 127.0.0.1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof sin;
	struct epoll_event ev = { .events = EPOLLIN }, evs[256];
	struct rlimit rl;
	static char buf[65536];
	int one = 1, lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), ep = epoll_create1(0);

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	sin.sin_port = htons((unsigned short)(argc > 1 ? atoi(argv[1]) : 0));
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) || listen(lfd, 4096)) {
		perror("min_echo");
		return 1;
	}
	getsockname(lfd, (struct sockaddr *)&sin, &len);
	printf("port %d\n", ntohs(sin.sin_port));
	fflush(stdout);
	ev.data.fd = lfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	for (;;) {
		int n = epoll_wait(ep, evs, 256, -1);
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			if (fd == lfd) {
				int c;
				while ((c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
					ev.data.fd = c;
					epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
				}
				continue;
			}
			ssize_t k = read(fd, buf, sizeof buf);
			if (k <= 0) {
				close(fd);
				continue;
			}
			if (write(fd, buf, (size_t)k) < 0)
				close(fd);
		}
	}
}
