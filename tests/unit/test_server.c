/* net/server and net/loadgen together: a print-mode server hands over
 * every line once, in order, and a stop drains what had arrived; an echo
 * server passes a verified load with no mismatch.  Loopback only. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <unistd.h>

#include "net/loadgen.h"
#include "net/server.h"
#include "net/tcp.h"
#include "util/time.h"
#include "tap.h"

struct got {
	pthread_mutex_t lock;
	char text[256];
	size_t len, lines;
};

static void on_line(void *ctx, const char *peer, const char *line, size_t len)
{
	struct got *g = ctx;

	pthread_mutex_lock(&g->lock);
	if (g->len + len + 1 < sizeof g->text) {
		memcpy(g->text + g->len, line, len);
		g->len += len;
		g->text[g->len++] = '|';
	}
	g->lines++;
	pthread_mutex_unlock(&g->lock);
}

static void on_log(void *ctx, const char *msg)
{
}

static struct ry_server *start(enum ry_serve_mode mode, struct got *g, struct sockaddr_storage *bound)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	int lfd;

	memset(&ss, 0, sizeof ss);
	in->sin_family = AF_INET;
	in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (ry_tcp_listen((struct sockaddr *)&ss, sizeof *in, 64, false, &lfd, bound) != 0)
		return NULL;
	struct ry_server_config cfg = {
		.mode = mode, .workers = 2, .max_conns = 100, .max_line = 1024,
		.on_line = mode == RY_SERVE_PRINT ? on_line : NULL, .log = on_log, .ctx = g,
	};
	return ry_server_start(lfd, &cfg);
}

int main(void)
{
	struct got g = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct sockaddr_storage bound;
	struct ry_server_stats st;
	struct ry_server *s = start(RY_SERVE_PRINT, &g, &bound);
	int fd;

	ok(s != NULL, "a print server starts on loopback");
	if (!s)
		return done_testing();
	is_int(ry_tcp_connect((struct sockaddr *)&bound, sizeof(struct sockaddr_in), 2000000000, &fd), 0,
	       "a client connects");
	is_int(ry_tcp_write_all(fd, "one\ntwo\nthree\npartial", 21, ry_now_ns() + 2000000000), 0,
	       "and sends three lines and a partial one");
	/* The client closes: its unfinished line is a line too. */
	close(fd);
	for (int i = 0; i < 400; i++) {
		pthread_mutex_lock(&g.lock);
		size_t n = g.lines;
		pthread_mutex_unlock(&g.lock);
		if (n >= 4)
			break;
		usleep(5000);
	}
	ry_server_stop(s);
	ry_server_get_stats(s, &st);
	ry_server_free(s);
	g.text[g.len] = '\0';
	is_str(g.text, "one|two|three|partial|", "every line once, in order; the partial one at the close");

	/* A stop drains what has arrived: lines sent, then stop at once. */
	g.len = g.lines = 0;
	s = start(RY_SERVE_PRINT, &g, &bound);
	if (!s)
		return done_testing();
	ry_tcp_connect((struct sockaddr *)&bound, sizeof(struct sockaddr_in), 2000000000, &fd);
	ry_tcp_write_all(fd, "a\nb\n", 4, ry_now_ns() + 2000000000);
	usleep(50000);	/* in the server's socket buffer, maybe not yet read */
	ry_server_stop(s);
	ry_server_free(s);
	close(fd);
	g.text[g.len] = '\0';
	is_str(g.text, "a|b|", "a stop hands over the complete lines that had arrived");
	is_int(st.lines, 4, "stats count 4 lines");
	is_int(st.conns, 1, "and 1 connection");

	s = start(RY_SERVE_ECHO, &g, &bound);
	ok(s != NULL, "an echo server starts");
	if (!s)
		return done_testing();
	struct ry_load_config cfg = {
		.addrlen = sizeof(struct sockaddr_in), .conns = 4, .threads = 2, .requests = 2000,
		.size = 64, .depth = 4, .io_timeout_ns = 5000000000LL,
	};
	struct ry_load_result *r = calloc(1, sizeof *r);
	memcpy(&cfg.addr, &bound, sizeof(struct sockaddr_in));
	is_int(ry_load_run(&cfg, r), 0, "a load of 2000 requests runs");
	is_int(r->requests, 2000, "every request echoed and verified");
	ok(r->mismatches == 0 && r->errors == 0 && r->failed_conns == 0, "no mismatch, error or failed connection");
	is_int(r->lat_ns.count, 2000, "a latency per request");
	ry_server_stop(s);
	ry_server_free(s);

	/* Nobody listens now: every connection fails, and says why. */
	memset(r, 0, sizeof *r);
	cfg.requests = 10;
	is_int(ry_load_run(&cfg, r), 0, "a load against a closed port runs");
	ok(r->connected == 0 && r->first_error == -ECONNREFUSED, "and reports connection refused");
	free(r);
	return done_testing();
}
