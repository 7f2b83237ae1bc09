/* net/tcp: listen, connect (refused reported as such), the send helper
 * that stops when the socket is full, and the deadline-bounded line
 * read.  Loopback only. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/tcp.h"
#include "util/time.h"
#include "tap.h"

static socklen_t loopback(struct sockaddr_storage *ss, unsigned port)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof *ss);
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof *in;
}

int main(void)
{
	struct sockaddr_storage ss, bound;
	socklen_t len = loopback(&ss, 0);
	int lfd, cfd, sfd, rc;

	is_int(ry_tcp_listen((struct sockaddr *)&ss, len, 16, false, &lfd, &bound), 0, "listen on 127.0.0.1:0");
	unsigned port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
	ok(port != 0, "the bound address has the port chosen (%u)", port);

	is_int(ry_tcp_connect((struct sockaddr *)&bound, len, 2000000000, &cfd), 0, "connect within 2 s");
	sfd = accept(lfd, NULL, NULL);
	ok(sfd >= 0, "the listener accepts it");

	/* A line crosses, and a read stops at the newline. */
	int64_t deadline = ry_now_ns() + 2000000000;
	is_int(ry_tcp_write_all(cfd, "hello\nrest", 10, deadline), 0, "write_all sends every byte");
	struct ry_buf line;
	ry_buf_init(&line);
	is_int(ry_tcp_read_line(sfd, deadline, 100, &line), 0, "read_line returns at the newline");
	ok(line.len == 5 && memcmp(line.p, "hello", 5) == 0, "and the line is 'hello' without it");

	/* Nothing more comes: the deadline fires. */
	ry_buf_reset(&line);
	int64_t t0 = ry_now_ns();
	is_int(ry_tcp_read_line(cfd, t0 + 100000000, 100, &line), -ETIMEDOUT,
	       "read_line with nothing to read is -ETIMEDOUT at its deadline");
	ok(ry_now_ns() - t0 >= 100000000, "and not before it");

	/* The end of the stream before any byte is no reply at all; after
	 * some bytes it ends the line. */
	{
		int sp[2];
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0) {
			ry_buf_reset(&line);
			shutdown(sp[1], SHUT_WR);
			is_int(ry_tcp_read_line(sp[0], ry_now_ns() + 1000000000, 100, &line), -ENODATA,
			       "read_line: the end of the stream before a byte is -ENODATA");
			close(sp[0]);
			close(sp[1]);
		}
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0) {
			ry_buf_reset(&line);
			ok(write(sp[1], "ab", 2) == 2, "two bytes and no newline");
			shutdown(sp[1], SHUT_WR);
			is_int(ry_tcp_read_line(sp[0], ry_now_ns() + 1000000000, 100, &line), 0,
			       "read_line: the end after some bytes ends the line");
			ok(line.len == 2, "with those bytes");
			close(sp[0]);
			close(sp[1]);
		}
	}

	/* The peer does not read: send_some stops short instead of
	 * blocking, and reports how much went. */
	int small = 4096;
	setsockopt(cfd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
	static char big[8 << 20];
	ssize_t sent = ry_tcp_send_some(cfd, big, sizeof big);
	ok(sent > 0 && (size_t)sent < sizeof big, "send_some to a full socket returns a partial count (%zd)", sent);

	/* A closed peer: EPIPE or ECONNRESET, never SIGPIPE. */
	close(sfd);
	ssize_t k = 0;
	for (int i = 0; i < 100 && k >= 0; i++)
		k = ry_tcp_send_some(cfd, "x", 1), usleep(1000);
	ok(k == -EPIPE || k == -ECONNRESET, "sending to a closed peer is -EPIPE or -ECONNRESET (%zd)", k);
	close(cfd);

	/* A port nobody listens on: refused, from both forms. */
	close(lfd);
	rc = ry_tcp_connect((struct sockaddr *)&bound, len, 2000000000, &cfd);
	is_int(rc, -ECONNREFUSED, "connect to a closed port is -ECONNREFUSED");
	rc = ry_tcp_connect_start((struct sockaddr *)&bound, len, 0, &cfd);
	if (rc == -EINPROGRESS) {
		usleep(100000);
		rc = ry_tcp_connect_finish(cfd);
		close(cfd);
	}
	is_int(rc, -ECONNREFUSED, "start/finish reports the refusal too");
	ry_buf_destroy(&line);
	return done_testing();
}
