/*
 * mmsg_sweep A.B.C.D COUNT: the kernel's speed for a ping sweep, as a
 * yardstick for `make bench-sweep`.  The smallest sweeper we could
 * write: one raw ICMP socket that takes only echo replies (ICMP_FILTER),
 * echo requests to COUNT consecutive IPv4 addresses from A.B.C.D sent
 * with sendmmsg in batches of 64, replies drained with recvmmsg between
 * batches, a reply counted once per address; it ends when every
 * address answered or 1 s after the last send.  No retries, no rate, no
 * checks beyond the id: what is left is system calls and the network
 * stack.  Prints "secs=S up=N" on stderr.  Needs CAP_NET_RAW.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/icmp.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint16_t csum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		s += (uint32_t)b[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons((uint16_t)~s);
}

int main(int argc, char **argv)
{
	struct in_addr base;
	if (argc != 3 || inet_pton(AF_INET, argv[1], &base) != 1) {
		fprintf(stderr, "usage: mmsg_sweep A.B.C.D COUNT\n");
		return 2;
	}
	uint32_t count = (uint32_t)strtoul(argv[2], NULL, 10), first = ntohl(base.s_addr);
	int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK, IPPROTO_ICMP);
	if (fd < 0) {
		perror("socket");
		return 2;
	}
	struct icmp_filter filt = { ~(1u << ICMP_ECHOREPLY) };
	int rcv = 16 << 20;
	setsockopt(fd, SOL_RAW, ICMP_FILTER, &filt, sizeof filt);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof rcv);
	uint16_t id = (uint16_t)getpid();
	uint8_t *seen = calloc(count ? count : 1, 1);
	static uint8_t pkt[BATCH][16], rx[BATCH][128];
	static struct sockaddr_in to[BATCH];
	static struct iovec tiov[BATCH], riov[BATCH];
	static struct mmsghdr tm[BATCH], rm[BATCH];
	uint32_t next = 0, up = 0;
	int64_t t0 = now_ns(), last = t0;

	for (int k = 0; k < BATCH; k++) {
		riov[k] = (struct iovec){ rx[k], sizeof rx[k] };
		rm[k].msg_hdr = (struct msghdr){ .msg_iov = &riov[k], .msg_iovlen = 1 };
	}
	while (up < count && now_ns() - last < 1000000000) {
		int k = 0;
		for (; k < BATCH && next < count; k++, next++) {
			uint8_t *p = pkt[k];
			memset(p, 0, sizeof pkt[k]);
			p[0] = ICMP_ECHO;
			memcpy(p + 4, &id, 2);
			p[6] = (uint8_t)(next >> 8);
			p[7] = (uint8_t)next;
			memcpy(p + 8, &next, 4);
			uint16_t c = csum(p, sizeof pkt[k]);
			memcpy(p + 2, &c, 2);
			to[k] = (struct sockaddr_in){ .sin_family = AF_INET, .sin_addr.s_addr = htonl(first + next) };
			tiov[k] = (struct iovec){ p, sizeof pkt[k] };
			tm[k].msg_hdr = (struct msghdr){ .msg_name = &to[k], .msg_namelen = sizeof to[k],
							 .msg_iov = &tiov[k], .msg_iovlen = 1 };
		}
		for (int done = 0; done < k;) {
			int m = sendmmsg(fd, tm + done, (unsigned)(k - done), 0);
			if (m <= 0) {
				struct pollfd pw = { fd, POLLOUT, 0 };
				poll(&pw, 1, 1);
				continue;
			}
			done += m;
			last = now_ns();
		}
		int got;
		while ((got = recvmmsg(fd, rm, BATCH, MSG_DONTWAIT, NULL)) > 0) {
			for (int j = 0; j < got; j++) {
				const uint8_t *p = rx[j];
				size_t hl = (size_t)(p[0] & 0x0f) * 4;
				uint32_t idx;
				if (rm[j].msg_len < hl + 12 || p[hl] != ICMP_ECHOREPLY || memcmp(p + hl + 4, &id, 2) != 0)
					continue;
				memcpy(&idx, p + hl + 8, 4);
				if (idx < count && !seen[idx]) {
					seen[idx] = 1;
					up++;
				}
			}
		}
		if (next >= count) {
			struct pollfd pr = { fd, POLLIN, 0 };
			poll(&pr, 1, 10);
		}
	}
	fprintf(stderr, "secs=%.3f up=%u\n", (now_ns() - t0) / 1e9, up);
	free(seen);
	close(fd);
	return 0;
}
