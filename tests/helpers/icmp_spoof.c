/*
 * icmp_spoof BASE N: a swept host that lies, for tests inside a network
 * namespace whose kernel ignores echo requests.  It watches the echo
 * requests sent to 127.0.0.BASE and answers each one itself (so that
 * host is up), then forges, for k = 1..N-1, the same reply as if it came
 * from 127.0.0.(BASE+k) with the probe's index field raised by k: what a
 * host that can spoof source addresses would send to mark its
 * neighbours up.  Prints "ready", runs until killed.  Loopback only.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/icmp.h"

static void reply_from(uint32_t src, uint32_t dst, uint8_t *icmp, size_t len)
{
	struct sockaddr_in from = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(src) };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(dst) };
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	if (fd < 0)
		return;
	if (bind(fd, (struct sockaddr *)&from, sizeof from) == 0) {
		icmp[0] = 0;	/* echo reply */
		icmp[2] = icmp[3] = 0;
		uint16_t c = ry_inet_checksum(icmp, len);
		icmp[2] = (uint8_t)(c >> 8);
		icmp[3] = (uint8_t)c;
		(void)sendto(fd, icmp, len, 0, (struct sockaddr *)&to, sizeof to);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	uint8_t buf[2048], copy[2048];
	int base, n, fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	if (argc != 3 || fd < 0) {
		fprintf(stderr, "usage: icmp_spoof BASE N (as root)\n");
		return 2;
	}
	base = atoi(argv[1]);
	n = atoi(argv[2]);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof buf, 0);
		if (len < 20)
			continue;
		size_t ihl = (size_t)(buf[0] & 15) * 4;
		uint32_t src, dst;
		memcpy(&src, buf + 12, 4);
		memcpy(&dst, buf + 16, 4);
		src = ntohl(src);
		dst = ntohl(dst);
		if ((size_t)len < ihl + 28 || buf[ihl] != 8 || dst != (0x7f000000u | (uint32_t)base))
			continue;
		size_t ilen = (size_t)len - ihl;
		for (int k = 0; k < n; k++) {
			memcpy(copy, buf + ihl, ilen);
			/* rustyc's payload: the target's index at bytes 12-15. */
			uint32_t index = (uint32_t)copy[12] << 24 | (uint32_t)copy[13] << 16 |
					 (uint32_t)copy[14] << 8 | copy[15];
			index += (uint32_t)k;
			copy[12] = (uint8_t)(index >> 24);
			copy[13] = (uint8_t)(index >> 16);
			copy[14] = (uint8_t)(index >> 8);
			copy[15] = (uint8_t)index;
			reply_from(dst + (uint32_t)k, src, copy, ilen);
		}
	}
}
