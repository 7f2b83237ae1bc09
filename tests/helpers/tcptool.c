/*
 * tcptool: TCP clients and a server that misbehave on purpose, for the
 * serve and echo-client tests.  Loopback only: HOST must be 127.0.0.1 or
 * ::1 (it refuses anything else).
 *
 *   tcptool send [-h] [-r] [-R] [-s MS] [-k SECS] HOST PORT
 *       send stdin; -s: one byte every MS ms; -h: half-close after, then
 *       read to end of stream onto stdout; -r: read to end of stream
 *       without half-closing; -R: reset (RST) after sending; -k: stay
 *       connected SECS seconds after sending.
 *   tcptool hold [-b SRC] [-t MS] N SECS HOST PORT
 *       open N connections and hold them SECS seconds; prints how many
 *       connected and how many the server closed (and after how long),
 *       after a first line "dialed N" once every connect has returned.
 *       -b: connect from SRC (an IPv4 loopback address, 127.0.0.0/8);
 *       -t: send one byte ('x', never a newline) on each connection every
 *       MS ms, a slowloris that is never idle.
 *   tcptool partial N BYTES SECS HOST PORT
 *       open N connections and send each up to BYTES bytes of a line that
 *       never ends (no newline), never blocking, for SECS seconds; prints
 *       how many bytes the server took in all.
 *   tcptool flood SECS HOST PORT
 *       send without ever reading for SECS seconds; prints bytes sent.
 *   tcptool wrong-echo PORT
 *       serve on 127.0.0.1:PORT (0: any; prints "port N"), answering each
 *       line with its first byte changed.
 *   tcptool crlf-echo PORT
 *       the same, echoing each line with CRLF for its newline (as a
 *       server that writes network line endings).
 *   tcptool no-echo PORT
 *       the same, closing each connection once a line has come, without
 *       a byte in reply.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int dial_from(const char *host, const char *port, const char *src)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;

	if (strcmp(host, "127.0.0.1") == 0) {
		in->sin_family = AF_INET;
		in->sin_port = htons((unsigned short)atoi(port));
		inet_pton(AF_INET, host, &in->sin_addr);
		len = sizeof *in;
	} else if (strcmp(host, "::1") == 0) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((unsigned short)atoi(port));
		inet_pton(AF_INET6, host, &in6->sin6_addr);
		len = sizeof *in6;
	} else {
		fprintf(stderr, "tcptool: loopback only, not '%s'\n", host);
		exit(2);
	}
	int fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (src) {
		struct sockaddr_in from = { .sin_family = AF_INET };
		if (ss.ss_family != AF_INET || inet_pton(AF_INET, src, &from.sin_addr) != 1 ||
		    (ntohl(from.sin_addr.s_addr) >> 24) != 127) {
			fprintf(stderr, "tcptool: -b takes an IPv4 loopback address, not '%s'\n", src);
			exit(2);
		}
		if (bind(fd, (struct sockaddr *)&from, sizeof from) != 0) {
			close(fd);
			return -1;
		}
	}
	if (connect(fd, (struct sockaddr *)&ss, len) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int dial(const char *host, const char *port)
{
	return dial_from(host, port, NULL);
}

static void copy_out(int fd)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			exit(1);
	fflush(stdout);
}

static int cmd_send(int argc, char **argv)
{
	int half = 0, rd = 0, rst = 0, slow = 0, c;
	double keep = 0;

	while ((c = getopt(argc, argv, "hrRs:k:")) != -1) {
		switch (c) {
		case 'h': half = 1; break;
		case 'r': rd = 1; break;
		case 'R': rst = 1; break;
		case 's': slow = atoi(optarg); break;
		case 'k': keep = atof(optarg); break;
		default: return 2;
		}
	}
	if (argc - optind != 2)
		return 2;
	int fd = dial(argv[optind], argv[optind + 1]);
	if (fd < 0) {
		perror("tcptool: connect");
		return 1;
	}
	char buf[65536];
	ssize_t n;
	while ((n = read(0, buf, slow ? 1 : sizeof buf)) > 0) {
		if (send(fd, buf, (size_t)n, MSG_NOSIGNAL) != n) {
			perror("tcptool: send");
			return 1;
		}
		if (slow)
			usleep((useconds_t)slow * 1000);
	}
	if (rst) {
		struct linger lg = { 1, 0 };
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
		close(fd);
		return 0;
	}
	if (keep > 0)
		usleep((useconds_t)(keep * 1e6));
	if (half)
		shutdown(fd, SHUT_WR);
	if (half || rd)
		copy_out(fd);
	close(fd);
	return 0;
}

static int cmd_hold(int argc, char **argv)
{
	const char *src = NULL;
	int trickle_ms = 0, c;

	while ((c = getopt(argc, argv, "b:t:")) != -1) {
		switch (c) {
		case 'b': src = optarg; break;
		case 't': trickle_ms = atoi(optarg); break;
		default: return 2;
		}
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc != 5)
		return 2;
	int n = atoi(argv[1]), ok = 0, closed = 0;
	double secs = atof(argv[2]), t0 = now(), first_close = -1, next_byte = t0;
	struct pollfd *p = calloc((size_t)n, sizeof *p);
	struct rlimit rl;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	for (int i = 0; i < n; i++) {
		p[i].fd = dial_from(argv[3], argv[4], src);
		p[i].events = POLLIN;
		ok += p[i].fd >= 0;
	}
	printf("dialed %d\n", ok);
	fflush(stdout);
	while (now() - t0 < secs) {
		if (trickle_ms > 0 && now() >= next_byte) {
			for (int i = 0; i < n; i++)
				if (p[i].fd >= 0)
					(void)send(p[i].fd, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			next_byte += trickle_ms / 1000.0;
		}
		if (poll(p, (nfds_t)n, 50) <= 0)
			continue;
		for (int i = 0; i < n; i++) {
			if (p[i].fd >= 0 && p[i].revents) {
				char b[64];
				if (read(p[i].fd, b, sizeof b) <= 0) {
					close(p[i].fd);
					p[i].fd = -1;
					if (first_close < 0)
						first_close = now() - t0;
					closed++;
				}
			}
		}
	}
	printf("connected %d closed %d", ok, closed);
	if (first_close >= 0)
		printf(" first_close_ms %d", (int)(first_close * 1000));
	printf("\n");
	free(p);
	return 0;
}

static int cmd_partial(int argc, char **argv)
{
	if (argc != 6)
		return 2;
	int n = atoi(argv[1]);
	long want = atol(argv[2]);
	double secs = atof(argv[3]), t0 = now();
	int *fd = calloc((size_t)n, sizeof *fd);
	long *sent = calloc((size_t)n, sizeof *sent), total = 0;
	static char x[65536];

	memset(x, 'x', sizeof x);
	for (int i = 0; i < n; i++) {
		fd[i] = dial(argv[4], argv[5]);
		if (fd[i] >= 0)
			fcntl(fd[i], F_SETFL, O_NONBLOCK);
	}
	while (now() - t0 < secs) {
		int progress = 0;
		for (int i = 0; i < n; i++) {
			if (fd[i] < 0 || sent[i] >= want)
				continue;
			size_t chunk = (size_t)(want - sent[i]) < sizeof x ? (size_t)(want - sent[i]) : sizeof x;
			ssize_t k = send(fd[i], x, chunk, MSG_NOSIGNAL);
			if (k > 0) {
				sent[i] += k;
				total += k;
				progress = 1;
			}
		}
		if (!progress)
			usleep(20000);
	}
	printf("sent %ld\n", total);
	fflush(stdout);
	for (int i = 0; i < n; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	free(fd);
	free(sent);
	return 0;
}

static int cmd_flood(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	double secs = atof(argv[1]), t0 = now();
	int fd = dial(argv[2], argv[3]);
	static char buf[65536];
	long long sent = 0;

	if (fd < 0)
		return 1;
	memset(buf, 'x', sizeof buf);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	while (now() - t0 < secs) {
		ssize_t n = send(fd, buf, sizeof buf, MSG_NOSIGNAL);
		if (n > 0)
			sent += n;
		else
			usleep(10000);
	}
	printf("sent %lld\n", sent);
	close(fd);
	return 0;
}

enum echo_mode { WRONG, CRLF, NONE };

static int cmd_echo(int argc, char **argv, enum echo_mode mode)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof sin;
	int one = 1, lfd = socket(AF_INET, SOCK_STREAM, 0);

	if (argc != 2)
		return 2;
	sin.sin_port = htons((unsigned short)atoi(argv[1]));
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) != 0 || listen(lfd, 64) != 0) {
		perror("tcptool: listen");
		return 1;
	}
	getsockname(lfd, (struct sockaddr *)&sin, &len);
	signal(SIGCHLD, SIG_IGN);	/* no zombies from the per-client forks */
	printf("port %d\n", ntohs(sin.sin_port));
	fflush(stdout);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			continue;
		if (fork() == 0) {
			char buf[65536], out[2 * sizeof buf];
			ssize_t n;
			int start = 1;
			while ((n = read(fd, buf, sizeof buf)) > 0) {
				size_t o = 0;
				if (mode == NONE && memchr(buf, '\n', (size_t)n))
					break;
				for (ssize_t i = 0; i < n && mode != NONE; i++) {
					if (mode == WRONG && start && buf[i] != '\n')
						buf[i] ^= 1;
					start = buf[i] == '\n';
					if (mode == CRLF && buf[i] == '\n')
						out[o++] = '\r';
					out[o++] = buf[i];
				}
				if (o && write(fd, out, o) != (ssize_t)o)
					break;
			}
			_exit(0);
		}
		close(fd);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "send"))
		return cmd_send(argc - 1, argv + 1);
	if (!strcmp(argv[1], "hold"))
		return cmd_hold(argc - 1, argv + 1);
	if (!strcmp(argv[1], "partial"))
		return cmd_partial(argc - 1, argv + 1);
	if (!strcmp(argv[1], "flood"))
		return cmd_flood(argc - 1, argv + 1);
	if (!strcmp(argv[1], "wrong-echo"))
		return cmd_echo(argc - 1, argv + 1, WRONG);
	if (!strcmp(argv[1], "crlf-echo"))
		return cmd_echo(argc - 1, argv + 1, CRLF);
	if (!strcmp(argv[1], "no-echo"))
		return cmd_echo(argc - 1, argv + 1, NONE);
	return 2;
}
