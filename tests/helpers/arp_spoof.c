/*
 * arp_spoof IFACE SECS FIRST LAST TPA THA SHA: ARP replies that no
 * request asked for, for tests inside network namespaces of their own.
 * For every IPv4 address from FIRST to LAST it sends a reply claiming
 * that address, with TPA and THA as its target fields (the frame goes
 * to THA: ff:ff:ff:ff:ff:ff is broadcast) and SHA as its sender hardware
 * address ("self": the interface's own, which the frame comes from), in
 * rounds 0.2 ms apart, for SECS seconds (at most 10) and at most a
 * million frames.  With a last argument "flood": no pause between
 * rounds, and at most five million frames.  Prints "ready" once the
 * socket is open.
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct arp_pkt {
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	uint16_t op;
	uint8_t sha[6], spa[4], tha[6], tpa[4];
} __attribute__((packed));

static int mac(const char *s, uint8_t m[6])
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		m[i] = (uint8_t)v[i];
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct in_addr first, last, tpa;
	uint8_t tha[6], sha[6], self[6];
	struct ifreq ifr = { 0 };

	bool flood = argc == 9 && strcmp(argv[8], "flood") == 0;

	if ((argc != 8 && !flood) || inet_pton(AF_INET, argv[3], &first) != 1 || inet_pton(AF_INET, argv[4], &last) != 1 ||
	    inet_pton(AF_INET, argv[5], &tpa) != 1 || mac(argv[6], tha) != 0) {
		fprintf(stderr, "usage: arp_spoof IFACE SECS FIRST LAST TPA THA SHA|self [flood]\n");
		return 2;
	}
	double secs = atof(argv[2]);
	if (!(secs > 0) || secs > 10)
		secs = 10;
	int fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ARP));
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", argv[1]);
	if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr) != 0) {
		perror("arp_spoof");
		return 2;
	}
	memcpy(self, ifr.ifr_hwaddr.sa_data, 6);
	if (strcmp(argv[7], "self") == 0)
		memcpy(sha, self, 6);
	else if (mac(argv[7], sha) != 0)
		return 2;
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP),
				  .sll_ifindex = (int)if_nametoindex(argv[1]), .sll_halen = 6 };
	memcpy(to.sll_addr, tha, 6);
	printf("ready\n");
	fflush(stdout);
	double end = now() + secs;
	long sent = 0, most = flood ? 5000000 : 1000000;
	while (now() < end && sent < most) {
		for (uint32_t a = ntohl(first.s_addr); a <= ntohl(last.s_addr); a++, sent++) {
			struct arp_pkt p = { htons(1), htons(ETH_P_IP), 6, 4, htons(2), { 0 }, { 0 }, { 0 }, { 0 } };
			uint32_t spa = htonl(a);
			memcpy(p.sha, sha, 6);
			memcpy(p.spa, &spa, 4);
			memcpy(p.tha, tha, 6);
			memcpy(p.tpa, &tpa, 4);
			(void)sendto(fd, &p, sizeof p, 0, (struct sockaddr *)&to, sizeof to);
		}
		struct timespec pause = { 0, 200000 };	/* 0.2 ms between rounds */
		if (!flood)
			nanosleep(&pause, NULL);
	}
	close(fd);
	return 0;
}
