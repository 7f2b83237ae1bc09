/*
 * min_load PORT CONNS SECS SIZE: the smallest reasonable epoll echo load
 * generator, one thread, for the load benchmark's ceiling.  CONNS
 * connections to 127.0.0.1:PORT each keep one SIZE-byte line (newline
 * included) in flight; a request's latency runs from its send to the
 * last byte of its echo, read with clock_gettime.  No checking beyond
 * the byte count.  After SECS it prints
 *   requests N secs S req_per_s R p50_us A p99_us B
 * with percentiles from the sorted latencies themselves (up to 20
 * million kept; exact, not bucketed).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXLAT 20000000

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc != 5)
		return 2;
	int port = atoi(argv[1]), conns = atoi(argv[2]);
	double secs = atof(argv[3]);
	size_t size = (size_t)atoi(argv[4]);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	int ep = epoll_create1(0), one = 1;
	int64_t *sent = calloc((size_t)conns, sizeof *sent);
	size_t *got = calloc((size_t)conns, sizeof *got);
	uint32_t *lat = malloc(MAXLAT * sizeof *lat);
	char *req = malloc(size), buf[65536];
	size_t nlat = 0;
	uint64_t requests = 0;

	if (!sent || !got || !lat || !req)
		return 1;
	memset(req, 'x', size);
	req[size - 1] = '\n';
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	for (int i = 0; i < conns; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0) {
			perror("min_load: connect");
			return 1;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = ((uint64_t)i << 32) | (uint32_t)fd };
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
		sent[i] = now_ns();
		if (write(fd, req, size) != (ssize_t)size)
			return 1;
	}
	int64_t t0 = now_ns(), end = t0 + (int64_t)(secs * 1e9), t;
	int live = conns;
	struct epoll_event evs[256];
	while (live > 0) {
		int n = epoll_wait(ep, evs, 256, 100);
		t = now_ns();
		for (int k = 0; k < n; k++) {
			int i = (int)(evs[k].data.u64 >> 32), fd = (int)(uint32_t)evs[k].data.u64;
			ssize_t r = read(fd, buf, sizeof buf);
			if (r <= 0) {
				close(fd);
				live--;
				continue;
			}
			got[i] += (size_t)r;
			if (got[i] < size)
				continue;
			got[i] = 0;
			requests++;
			if (nlat < MAXLAT)
				lat[nlat++] = (uint32_t)((t - sent[i]) / 10);	/* 10 ns units */
			if (t >= end) {
				close(fd);
				live--;
				continue;
			}
			sent[i] = t;
			if (write(fd, req, size) != (ssize_t)size)
				return 1;
		}
	}
	double s = (now_ns() - t0) / 1e9;
	qsort(lat, nlat, sizeof *lat, cmp);
	printf("requests %llu secs %.3f req_per_s %.0f p50_us %.1f p99_us %.1f\n", (unsigned long long)requests,
	       s, requests / s, nlat ? lat[nlat / 2] / 100.0 : 0, nlat ? lat[(size_t)(nlat * 0.99)] / 100.0 : 0);
	return 0;
}
