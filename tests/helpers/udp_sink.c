/*
 * udp_sink ADDR PORT: a black-hole server for tests.  Binds a UDP socket,
 * prints "ready", then reads and discards every datagram and never
 * answers, until killed.  A name server that never replies.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char buf[2048];
	int fd;

	if (argc != 3 || inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1) {
		fprintf(stderr, "usage: udp_sink IPV4 PORT\n");
		return 2;
	}
	sin.sin_port = htons((unsigned short)atoi(argv[2]));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0) {
		perror("udp_sink");
		return 2;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		if (recv(fd, buf, sizeof buf, 0) < 0)
			return 1;
}
