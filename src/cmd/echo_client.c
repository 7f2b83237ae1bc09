/*
 * rustyc echo-client: the tutorial's TCP client that checks an echo, and
 * a load generator that verifies every echoed byte (net/loadgen).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "util/time.h"
#include "core/thread.h"
#include "net/addr.h"
#include "net/loadgen.h"
#include "net/tcp.h"
#include "util/diag.h"
#include "util/opt.h"
#include "util/out.h"
#include "util/stop.h"

static const char usage[] =
"usage: rustyc echo-client [options] [HOST:]PORT [MESSAGE]\n"
"\n"
"Sends MESSAGE (default \"hello from the client!\") and a newline to an echo\n"
"server on HOST (default 127.0.0.1), prints the line that comes back, and\n"
"exits 0 if it matches, 1 if it does not.\n"
"\n"
"Load mode (any of -c, -n, -d, -P): every connection sends lines of -s\n"
"bytes and checks every echoed byte; prints requests, req/s, latency\n"
"percentiles, errors and mismatches.\n"
"  -c, --conns N       connections (default 1)\n"
"  -n, --requests N    requests in all (default 10000 unless -d)\n"
"  -d, --duration S    run for S seconds instead\n"
"  -s, --size SIZE     bytes per request, newline included (default 16)\n"
"  -P, --depth N       requests in flight per connection (default 1)\n"
"  -j, --threads N     client event loops (default 1)\n"
"      --json          the summary as one JSON object\n"
"  -t, --timeout S     connect and reply timeout (default 5)\n"
"  -h, --help          show this help\n"
"\n"
"Exit status: 0 echoes matched, 1 a mismatch or error, 2 no connection or\n"
"usage error.\n";

struct opts {
	const char *host, *port, *message;
	bool load, json;
	unsigned long conns, depth, threads, size;
	unsigned long long requests;
	double duration, timeout;
};

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "conns", required_argument, NULL, 'c' },
		{ "requests", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "size", required_argument, NULL, 's' },
		{ "depth", required_argument, NULL, 'P' },
		{ "threads", required_argument, NULL, 'j' },
		{ "json", no_argument, NULL, 'J' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	unsigned long v;
	int c;

	*o = (struct opts){ .host = "127.0.0.1", .message = "hello from the client!",
			    .conns = 1, .depth = 1, .threads = 1, .size = 16, .timeout = 5 };
	while ((c = ry_getopt(argc, argv, "c:n:d:s:P:j:t:h", longopts)) != -1) {
		switch (c) {
		case 'c':
			if (ry_opt_ulong("-c/--conns", optarg, 1, 100000, &o->conns))
				return 2;
			o->load = true;
			break;
		case 'n':
			if (ry_opt_ulong("-n/--requests", optarg, 1, 1000000000000UL, &v))
				return 2;
			o->requests = v;
			o->load = true;
			break;
		case 'd':
			if (ry_opt_seconds("-d/--duration", optarg, 0.001, 86400, &o->duration))
				return 2;
			o->load = true;
			break;
		case 's':
			if (ry_opt_size("-s/--size", optarg, 2, (size_t)16 * 1024 * 1024, &o->size))
				return 2;
			break;
		case 'P':
			if (ry_opt_ulong("-P/--depth", optarg, 1, 4096, &o->depth))
				return 2;
			o->load = true;
			break;
		case 'j':
			if (ry_opt_ulong("-j/--threads", optarg, 1, 256, &o->threads))
				return 2;
			break;
		case 'J':
			o->json = true;
			break;
		case 't':
			if (ry_opt_seconds("-t/--timeout", optarg, 0.001, 3600, &o->timeout))
				return 2;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			return 2;
		}
	}
	if (o->requests && o->duration > 0) {
		ry_err("-n and -d exclude each other: a run is bounded by one of them");
		return 2;
	}
	if (optind == argc || argc - optind > 2) {
		ry_err(optind == argc ? "no port given (see 'rustyc echo-client --help')"
				      : "too many arguments (see 'rustyc echo-client --help')");
		return 2;
	}
	if (argc - optind == 2) {
		if (o->load) {
			ry_err("a MESSAGE is for the single check; load mode sends -s byte lines");
			return 2;
		}
		o->message = argv[optind + 1];
		if (strchr(o->message, '\n')) {
			ry_err("the message must be one line");
			return 2;
		}
	}
	const char *target = argv[optind];
	if (target[0] && strspn(target, "0123456789") == strlen(target)) {
		if (ry_opt_ulong("PORT", target, 1, 65535, &v) != 0)
			return 2;
		o->port = target;
	} else {
		static struct ry_hostport hp;
		const char *why;
		if (ry_hostport_parse(target, &hp, &why) != 0) {
			ry_err("invalid address '%s': %s", ry_quote(target), why);
			return 2;
		}
		if (!hp.port[0]) {
			ry_err("invalid address '%s': no port", ry_quote(target));
			return 2;
		}
		o->host = hp.host;
		o->port = hp.port;
	}
	if (o->load && !o->requests && o->duration == 0)
		o->requests = 10000;
	if (o->threads > o->conns)
		o->threads = o->conns;
	return -1;
}

/* Reads one line (or to end of stream) within the deadline. */
static int read_line(int fd, int64_t deadline, struct ry_buf *got)
{
	char buf[4096];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n > 0) {
			char *nl = memchr(buf, '\n', (size_t)n);
			ry_buf_add(got, buf, nl ? (size_t)(nl - buf) : (size_t)n);
			if (nl || got->len > (size_t)1024 * 1024)
				return 0;
			continue;
		}
		if (n == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		int64_t left = deadline - ry_now_ns();
		if (left <= 0)
			return -ETIMEDOUT;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		(void)poll(&pfd, 1, (int)(left / 1000000) + 1);
	}
}

static int check_once(const struct opts *o, const char *where,
		      const struct sockaddr_storage *ss, socklen_t len)
{
	int64_t timeout = (int64_t)(o->timeout * 1e9);
	struct ry_buf msg, got, shown;
	int fd, rc = ry_tcp_connect((const struct sockaddr *)ss, len, timeout, &fd);

	if (rc != 0) {
		ry_err("cannot connect to %s: %s", where, ry_strerror(rc));
		return 2;
	}
	ry_buf_init(&msg);
	ry_buf_init(&got);
	ry_buf_init(&shown);
	ry_buf_addf(&msg, "%s\n", o->message);
	int64_t deadline = ry_now_ns() + timeout;
	for (size_t off = 0; off < msg.len;) {
		ssize_t n = send(fd, msg.p + off, msg.len - off, MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR) && ry_now_ns() < deadline) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };
			(void)poll(&pfd, 1, 100);
			continue;
		}
		rc = n < 0 && errno != EAGAIN ? -errno : -ETIMEDOUT;
		break;
	}
	if (rc == 0)
		rc = read_line(fd, deadline, &got);
	close(fd);
	if (rc != 0) {
		ry_err("no echo from %s: %s", where, ry_strerror(rc));
		rc = 2;
		goto out;
	}
	/* The echo is the peer's bytes: escaped before it reaches a
	 * terminal. */
	const char *echo = got.p ? got.p : "";	/* an empty buffer has none */
	ry_buf_escape(&shown, echo, got.len);
	printf("%s\n", shown.p ? shown.p : "");
	if (got.len == msg.len - 1 && memcmp(echo, msg.p, got.len) == 0) {
		rc = 0;
	} else {
		ry_buf_reset(&msg);
		ry_buf_escape(&msg, o->message, strlen(o->message));
		ry_err("echo mismatch: sent '%s', got '%s'", msg.p, shown.p ? shown.p : "");
		rc = 1;
	}
out:
	ry_buf_destroy(&msg);
	ry_buf_destroy(&got);
	ry_buf_destroy(&shown);
	return rc;
}

static void *wait_for_signal(void *arg)
{
	sigset_t *sigs = arg;
	int sig;

	if (sigwait(sigs, &sig) == 0)
		ry_stop_request(sig);
	return NULL;
}

static void print_summary(const struct opts *o, const struct ry_load_result *r)
{
	double rate = r->secs > 0 ? r->requests / r->secs : 0;
	const struct ry_hist *h = &r->lat_ns;
	double p50 = ry_hist_quantile(h, 0.50) / 1e3, p90 = ry_hist_quantile(h, 0.90) / 1e3;
	double p99 = ry_hist_quantile(h, 0.99) / 1e3, p999 = ry_hist_quantile(h, 0.999) / 1e3;
	double max = h->max / 1e3;

	if (o->json) {
		struct ry_buf b;
		ry_buf_init(&b);
		ry_json_begin(&b);
		ry_json_int(&b, "requests", (long long)r->requests);
		ry_buf_addf(&b, ",\"seconds\":%.3f,\"req_per_s\":%.0f", r->secs, rate);
		ry_buf_addf(&b, ",\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"max_us\":%.1f",
			    p50, p90, p99, p999, max);
		ry_json_int(&b, "errors", (long long)r->errors);
		ry_json_int(&b, "mismatches", (long long)r->mismatches);
		ry_json_int(&b, "failed_connections", (long long)r->failed_conns);
		ry_json_int(&b, "connections", (long long)o->conns);
		ry_json_int(&b, "size", (long long)o->size);
		ry_json_int(&b, "depth", (long long)o->depth);
		ry_json_end(&b);
		ry_buf_put_line(&b);
		ry_buf_destroy(&b);
		return;
	}
	printf("%llu requests in %.3f s, %.0f req/s (%lu connections, %lu bytes, depth %lu)\n",
	       (unsigned long long)r->requests, r->secs, rate, o->conns, o->size, o->depth);
	printf("latency us: p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f\n", p50, p90, p99, p999, max);
	printf("errors %llu, mismatches %llu, failed connections %llu\n",
	       (unsigned long long)r->errors, (unsigned long long)r->mismatches,
	       (unsigned long long)r->failed_conns);
}

static int load(const struct opts *o, const char *where, const struct sockaddr_storage *ss,
		socklen_t len)
{
	struct ry_load_config cfg = {
		.addrlen = len, .conns = (unsigned)o->conns, .threads = (unsigned)o->threads,
		.requests = o->requests, .duration_ns = (int64_t)(o->duration * 1e9),
		.size = o->size, .depth = (unsigned)o->depth,
		.io_timeout_ns = (int64_t)(o->timeout * 1e9), .stop = &ry_stop_flag,
	};
	struct ry_load_result *r = calloc(1, sizeof *r);
	sigset_t sigs;

	if (!r) {
		ry_err("out of memory");
		return 2;
	}
	memcpy(&cfg.addr, ss, len);
	ry_raise_nofile();	/* thousands of connections need the fds */
	/* SIGINT and SIGTERM end the run early, with its summary. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	struct ry_thread *sig = ry_thread_spawn(wait_for_signal, &sigs, "signals");
	if (sig)
		ry_thread_detach(sig);
	int rc = ry_load_run(&cfg, r);
	if (rc != 0) {
		ry_err("cannot run the load: %s", ry_strerror(rc));
		free(r);
		return 2;
	}
	if (r->connected == 0) {
		ry_err("cannot connect to %s: %s", where, ry_strerror(r->first_error ? r->first_error : -ECONNREFUSED));
		free(r);
		return 2;
	}
	print_summary(o, r);
	if (r->errors || r->failed_conns)
		ry_err("first error: %s", ry_strerror(r->first_error));
	rc = ry_stop_status() ? ry_stop_status() : (r->errors || r->mismatches || r->failed_conns) ? 1 : 0;
	free(r);
	return rc;
}

int cmd_echo_client(int argc, char **argv)
{
	struct opts o;
	struct sockaddr_storage ss;
	socklen_t len;
	char where[RY_ADDRSTR_MAX + 16];
	int rc = parse(argc, argv, &o);

	if (rc >= 0)
		return rc;
	snprintf(where, sizeof where, strchr(o.host, ':') ? "[%s]:%s" : "%s:%s", o.host, o.port);
	rc = ry_tcp_resolve(o.host, o.port, &ss, &len);
	if (rc != 0) {
		ry_err("cannot resolve '%s': %s", where, ry_strerror(rc));
		return 2;
	}
	return o.load ? load(&o, where, &ss, len) : check_once(&o, where, &ss, len);
}
