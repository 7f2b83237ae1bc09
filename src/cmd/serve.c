/*
 * rustyc serve: a TCP server that prints the lines clients send, or
 * echoes them back.  The tutorial's server handled one client at a time;
 * this one holds thousands on a few threads (net/server).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/chan.h"
#include "core/thread.h"
#include "net/addr.h"
#include "net/server.h"
#include "net/tcp.h"
#include "util/diag.h"
#include "util/opt.h"
#include "util/out.h"

static const char usage[] =
"usage: rustyc serve [options] [ADDR:]PORT\n"
"\n"
"Listens on 127.0.0.1:PORT (PORT 0: any free port) and prints every line\n"
"clients send, one per output line, bytes that are not printable written\n"
"as \\xNN (and \\ as \\\\).  With --echo, sends every byte back instead.\n"
"\n"
"  -b, --bind ADDR       listen on ADDR (0.0.0.0, ::, ::1, ...)\n"
"      --echo            echo server: every byte back until the client closes\n"
"      --once            the tutorial's echo: one line back, then close\n"
"      --peer            prefix each printed line with the client's address\n"
"      --json            print {\"peer\":...,\"line\":...} objects\n"
"  -j, --workers N       event-loop threads (default: half the cores, at\n"
"                        least 1)\n"
"      --max-conns N     close new connections beyond N open ones\n"
"                        (default: the open-file limit less 64)\n"
"      --max-line SIZE   close a connection whose line exceeds SIZE (default 1M)\n"
"      --idle-timeout S  close a connection silent for S seconds (default\n"
"                        300; 0: never)\n"
"      --line-timeout S  close a connection whose line is not complete S\n"
"                        seconds after its first byte, so a client that\n"
"                        trickles bytes cannot hold a connection forever\n"
"                        (print and once modes; default 0: never)\n"
"  -v, --verbose         log connections opening and closing on stderr\n"
"  -q, --quiet           no listening line or summary on stderr\n"
"  -h, --help            show this help\n"
"\n"
"SIGTERM (exit 0) or SIGINT (exit 130): stop accepting, print the lines\n"
"already received, close connections, print a summary on stderr.\n";

struct opts {
	const char *bind;
	unsigned port;
	enum ry_serve_mode mode;
	bool peer, json, verbose, quiet;
	unsigned long workers, max_conns, max_line;
	double idle, line_timeout;
};

/* A line on its way to the printer thread. */
struct rec {
	size_t len;
	char peer[RY_ADDRSTR_MAX];
	char line[];
};

struct printer {
	const struct opts *o;
	struct ry_sender *tx;		/* cloned into on_line's context */
	struct ry_receiver *rx;
	bool stdout_gone;
};

static void on_line(void *ctx, const char *peer, const char *line, size_t len)
{
	struct printer *pr = ctx;
	struct rec *r = malloc(sizeof *r + len);

	if (!r)
		return;		/* counted as received; the printer never sees it */
	r->len = len;
	snprintf(r->peer, sizeof r->peer, "%s", peer);
	memcpy(r->line, line, len);
	/* Bounded: a slow stdout slows the clients, not our memory. */
	if (ry_chan_send(pr->tx, &r) != 0)
		free(r);
}

static void on_log(void *ctx, const char *msg)
{
	ry_err("%s", msg);
}

static void *print_lines(void *arg)
{
	struct printer *pr = arg;
	const struct opts *o = pr->o;
	struct ry_buf b;
	struct rec *r;

	ry_buf_init(&b);
	for (;;) {
		int rc = ry_chan_try_recv(pr->rx, &r);
		if (rc == -EAGAIN) {
			/* Idle: let readers see what we have. */
			if (fflush(stdout) != 0 && !pr->stdout_gone) {
				pr->stdout_gone = true;
				kill(getpid(), SIGUSR1);
			}
			rc = ry_chan_recv(pr->rx, &r);
		}
		if (rc != 0)
			break;
		if (!pr->stdout_gone) {
			ry_buf_reset(&b);
			if (o->json) {
				ry_json_begin(&b);
				ry_json_cstr(&b, "peer", r->peer);
				ry_json_str(&b, "line", r->line, r->len);
				ry_json_end(&b);
			} else {
				if (o->peer)
					ry_buf_addf(&b, "%s ", r->peer);
				ry_buf_escape(&b, r->line, r->len);
			}
			ry_buf_add(&b, "\n", 1);
			if (fwrite(b.p, 1, b.len, stdout) != b.len) {
				/* The reader left (| head): stop the server. */
				pr->stdout_gone = true;
				kill(getpid(), SIGUSR1);
			}
		}
		free(r);
	}
	fflush(stdout);
	ry_buf_destroy(&b);
	return NULL;
}

static int parse_target(const char *arg, struct opts *o)
{
	struct ry_hostport hp;
	const char *why;
	unsigned long port;

	/* A bare number is a port (0: any free one). */
	if (arg[0] && strspn(arg, "0123456789") == strlen(arg)) {
		if (ry_opt_ulong("PORT", arg, 0, 65535, &port) != 0)
			return -1;
		o->port = (unsigned)port;
		return 0;
	}
	if (ry_hostport_parse(arg, &hp, &why) != 0) {
		ry_err("invalid address '%s': %s", ry_quote(arg), why);
		return -1;
	}
	if (!hp.numeric_port) {
		ry_err("invalid address '%s': give a port number, as in 127.0.0.1:8000", ry_quote(arg));
		return -1;
	}
	/* parse runs once per process: a static copy needs no freeing. */
	static char host[sizeof hp.host];
	memcpy(host, hp.host, sizeof host);
	o->port = (unsigned)strtoul(hp.port, NULL, 10);
	o->bind = host;
	return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "bind", required_argument, NULL, 'b' },
		{ "echo", no_argument, NULL, 'E' },
		{ "once", no_argument, NULL, 'O' },
		{ "peer", no_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'J' },
		{ "workers", required_argument, NULL, 'j' },
		{ "max-conns", required_argument, NULL, 'C' },
		{ "max-line", required_argument, NULL, 'L' },
		{ "idle-timeout", required_argument, NULL, 'I' },
		{ "line-timeout", required_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *bind_opt = NULL;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int c;

	/* Half the cores: the kernel's TCP work for each request costs about
	 * as much CPU again as the event loop's, in softirq and in the peers'
	 * system calls.  Measured on 2 cores with the load generator on the
	 * same machine (make bench-serve): one worker serves 16 connections
	 * at the single-threaded epoll ceiling (~135k req/s, p99 250 us),
	 * two fall to 75-90k with p99 over 1 ms, and one is ahead at 256 and
	 * 1,000 connections too. */
	*o = (struct opts){ .bind = "127.0.0.1", .mode = RY_SERVE_PRINT,
			    .workers = cores > 1 ? (unsigned long)cores / 2 : 1,
			    .max_line = (size_t)1024 * 1024, .idle = 300 };
	while ((c = ry_getopt(argc, argv, "b:j:vqh", longopts)) != -1) {
		switch (c) {
		case 'b':
			bind_opt = optarg;
			break;
		case 'E':
		case 'O':
			if (o->mode != RY_SERVE_PRINT && o->mode != (c == 'E' ? RY_SERVE_ECHO : RY_SERVE_ONCE)) {
				ry_err("--echo and --once exclude each other");
				return 2;
			}
			o->mode = c == 'E' ? RY_SERVE_ECHO : RY_SERVE_ONCE;
			break;
		case 'P':
			o->peer = true;
			break;
		case 'J':
			o->json = true;
			break;
		case 'j':
			if (ry_opt_ulong("-j/--workers", optarg, 1, 256, &o->workers))
				return 2;
			break;
		case 'C':
			if (ry_opt_ulong("--max-conns", optarg, 1, 10000000, &o->max_conns))
				return 2;
			break;
		case 'L':
			if (ry_opt_size("--max-line", optarg, 1, 1UL << 30, &o->max_line))
				return 2;
			break;
		case 'I':
			if (ry_opt_seconds("--idle-timeout", optarg, 0, 31536000, &o->idle))
				return 2;
			break;
		case 'T':
			if (ry_opt_seconds("--line-timeout", optarg, 0, 31536000, &o->line_timeout))
				return 2;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc - 1) {
		ry_err(optind == argc ? "no port given (see 'rustyc serve --help')"
				      : "too many arguments (see 'rustyc serve --help')");
		return 2;
	}
	if (parse_target(argv[optind], o) != 0)
		return 2;
	if (bind_opt)
		o->bind = bind_opt;
	if (o->mode != RY_SERVE_PRINT && (o->peer || o->json)) {
		ry_err("--peer and --json describe printed lines: not with --echo or --once");
		return 2;
	}
	if (o->mode == RY_SERVE_ECHO && o->line_timeout > 0) {
		ry_err("--line-timeout is for lines: not with --echo, which echoes bytes");
		return 2;
	}
	return -1;
}

int cmd_serve(int argc, char **argv)
{
	struct opts o;
	struct ry_server_config cfg = { 0 };
	struct printer pr = { .o = &o };
	struct sockaddr_storage bound;
	char where[RY_ADDRSTR_MAX];
	sigset_t sigs;
	int lfd, sig, rc = parse(argc, argv, &o);

	if (rc >= 0)
		return rc;
	long nofile = ry_raise_nofile();
	if (o.max_conns == 0)
		o.max_conns = nofile > 128 ? (unsigned long)nofile - 64 : 64;
	rc = ry_tcp_listen(o.bind, o.port, 4096, &lfd, &bound);
	if (rc != 0) {
		ry_err("cannot listen on %s%s%s:%u: %s", strchr(o.bind, ':') ? "[" : "", o.bind,
		       strchr(o.bind, ':') ? "]" : "", o.port,
		       rc == RY_EBADADDR ? "not a numeric IPv4 or IPv6 address" : ry_strerror(rc));
		return 2;
	}
	ry_sockaddr_str((struct sockaddr *)&bound, true, where, sizeof where);

	/* Signals are taken by sigwait below, on this thread only: block
	 * them before any thread starts so every thread inherits the mask.
	 * SIGPIPE is ignored: a client or stdout going away is an error
	 * return, never a death. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	struct ry_thread *printer = NULL;
	struct ry_sender *tx = NULL;
	if (o.mode == RY_SERVE_PRINT) {
		if (ry_chan_new(sizeof(struct rec *), 4096, &tx, &pr.rx) != 0) {
			ry_err("out of memory");
			return 2;
		}
		pr.tx = tx;
		printer = ry_thread_spawn(print_lines, &pr, "serve-print");
		if (!printer) {
			ry_err("cannot start the printer thread: %s", strerror(errno));
			return 2;
		}
	}
	cfg.mode = o.mode;
	cfg.workers = (unsigned)o.workers;
	cfg.max_conns = o.max_conns;
	cfg.max_line = o.max_line;
	cfg.idle_timeout_ns = (int64_t)(o.idle * 1e9);
	cfg.line_timeout_ns = (int64_t)(o.line_timeout * 1e9);
	cfg.verbose = o.verbose;
	cfg.on_line = o.mode == RY_SERVE_PRINT ? on_line : NULL;
	cfg.log = on_log;
	cfg.ctx = &pr;
	struct ry_server *srv = ry_server_start(lfd, &cfg);
	if (!srv) {
		ry_err("cannot start the server: %s", strerror(errno));
		return 2;
	}
	if (!o.quiet)
		ry_err("listening on %s (%s, %lu worker%s)", where,
		       o.mode == RY_SERVE_PRINT ? "printing lines" :
		       o.mode == RY_SERVE_ECHO ? "echo" : "echo once", o.workers,
		       o.workers == 1 ? "" : "s");

	while (sigwait(&sigs, &sig) != 0)
		;
	ry_server_stop(srv);
	if (printer) {
		ry_sender_drop(tx);	/* the printer ends once it has drained */
		ry_thread_join(printer, NULL);
		ry_receiver_drop(pr.rx);
	}
	struct ry_server_stats st;
	ry_server_get_stats(srv, &st);
	ry_server_free(srv);
	if (!o.quiet) {
		if (st.refused)
			ry_err("%llu connections, %llu refused, %llu lines, %llu bytes",
			       (unsigned long long)st.conns, (unsigned long long)st.refused,
			       (unsigned long long)st.lines, (unsigned long long)st.bytes);
		else
			ry_err("%llu connections, %llu lines, %llu bytes", (unsigned long long)st.conns,
			       (unsigned long long)st.lines, (unsigned long long)st.bytes);
	}
	if (pr.stdout_gone) {
		/* The reader left on purpose (| head): end quietly, with
		 * nothing left for main's final flush to fail on. */
		__fpurge(stdout);
		clearerr(stdout);
		return 0;
	}
	return sig == SIGINT ? 130 : 0;
}
