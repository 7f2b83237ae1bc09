/*
 * rustyc serve: a TCP server that prints the lines clients send, or
 * echoes them back.  The tutorial's server handled one client at a time;
 * this one holds thousands on a few threads (net/server).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "net/serve_printer.h"
#include "net/server.h"
#include "net/tcp.h"
#include "util/diag.h"
#include "util/opt.h"
#include "util/out.h"
#include "util/rlimit.h"
#include "util/stop.h"
#include "util/time.h"

struct opts {
	const char *bind;
	bool v6only;
	bool echo, once, peer, json, keep_cr, verbose, quiet;
	unsigned long workers, max_conns, max_line, max_memory, per_addr;
	double idle, line_timeout, drain;
};

static void on_line(void *ctx, const char *peer, const char *line, size_t len)
{
	(void)ry_printer_line(ctx, peer, line, len);
}

static void on_round(void *ctx)
{
	(void)ry_printer_round(ctx);
}

static void on_log(void *ctx, const char *msg)
{
	ry_err("%s", msg);
}

static int parse(int argc, char **argv, struct opts *o, int *args)
{
	const struct ry_opt opts[] = {
		RY_OPT_S('b', "bind", &o->bind, "ADDR",
			 "listen on ADDR (0.0.0.0, ::, ::1, a name, ...);\n"
			 ":: takes IPv4 clients too"),
		RY_OPT_F('6', "ipv6-only", &o->v6only, "with -b ::, IPv6 clients only"),
		RY_OPT_F(0, "echo", &o->echo, "echo server: every byte back until the client closes"),
		RY_OPT_F(0, "once", &o->once, "the tutorial's echo: one line back, then close"),
		RY_OPT_F(0, "peer", &o->peer, "prefix each printed line with the client's address"),
		RY_OPT_F(0, "json", &o->json, "print {\"peer\":...,\"line\":...} objects"),
		RY_OPT_F(0, "keep-cr", &o->keep_cr,
			 "print a line's final CR (\\x0d); by default CRLF\n"
			 "from telnet or nc -C ends a line like LF"),
		RY_OPT_N('j', "workers", &o->workers, "N", 1, 256,
			 "event-loop threads (default: half the cores, at\nleast 1)"),
		RY_OPT_N(0, "max-conns", &o->max_conns, "N", 1, 10000000,
			 "close new connections beyond N open ones\n(default: the open-file limit less 64)"),
		RY_OPT_N(0, "max-per-addr", &o->per_addr, "N", 0, 10000000,
			 "close new connections from an address that\n"
			 "holds N (an IPv6 address's /64 counts as one;\n"
			 "default: half of --max-conns; 0: no limit)"),
		RY_OPT_SZ(0, "max-line", &o->max_line, 1, 1UL << 30,
			  "close a connection whose line exceeds SIZE (default 1M)"),
		RY_OPT_SECS(0, "idle-timeout", &o->idle, 0, 31536000,
			    "close a connection silent for SECS (default\n300; 0: never)"),
		RY_OPT_SECS(0, "line-timeout", &o->line_timeout, 0, 31536000,
			    "close a connection whose line is not complete SECS\n"
			    "after its first byte, so a client that\n"
			    "trickles bytes cannot hold a connection forever\n"
			    "(print and once modes; default 60; 0: never)"),
		RY_OPT_SZ(0, "max-memory", &o->max_memory, 1, 1UL << 40,
			  "lines held in all (queued for stdout and\n"
			  "partial) before serve stops reading (default 64M)"),
		RY_OPT_SECS(0, "drain-timeout", &o->drain, 0, 3600,
			    "on stop, deliver queued lines for up to SECS\n"
			    "(default 5); a second signal stops at once"),
		RY_OPT_F('v', "verbose", &o->verbose, "log connections opening and closing on stderr"),
		RY_OPT_F('q', "quiet", &o->quiet, "no listening line or summary on stderr"),
	};
	const struct ry_cmdline cl = {
		.synopsis = "[ADDR:]PORT",
		.about =
"Listens on 127.0.0.1:PORT (PORT 0: any free port) and prints every line\n"
"clients send, one per output line, bytes that are not printable written\n"
"as \\xNN (and \\ as \\\\).  With --echo, sends every byte back instead.\n",
		.opts = opts, .nopts = sizeof opts / sizeof opts[0],
		.min_args = 1, .max_args = 1, .missing = "no port given",
		.footer =
"SIGTERM (exit 0) or SIGINT (exit 130): stop accepting, print the lines\n"
"already received, close connections, print a summary on stderr.\n",
	};
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int rc;

	/* Half the cores: the kernel's TCP work for each request costs about
	 * as much CPU again as the event loop's, in softirq and in the peers'
	 * system calls.  Measured on 2 cores with the load generator on the
	 * same machine (make bench-serve): one worker serves 16 connections
	 * at the single-threaded epoll ceiling (~135k req/s, p99 250 us),
	 * two fall to 75-90k with p99 over 1 ms, and one is ahead at 256 and
	 * 1,000 connections too. */
	*o = (struct opts){ .workers = cores > 1 ? (unsigned long)cores / 2 : 1,
			    .max_line = (size_t)1024 * 1024, .idle = 300,
			    .max_memory = (size_t)64 << 20, .drain = 5,
			    .line_timeout = -1, .per_addr = ULONG_MAX };	/* -1, MAX: not given */
	if ((rc = ry_opt_parse(&cl, argc, argv, args)) >= 0)
		return rc;
	if (o->echo && o->once) {
		ry_err("--echo and --once exclude each other");
		return 2;
	}
	if ((o->echo || o->once) && (o->peer || o->json)) {
		ry_err("--peer and --json describe printed lines: not with --echo or --once");
		return 2;
	}
	if (o->max_memory < 2 * o->max_line) {
		ry_err("--max-memory %lu is less than twice --max-line %lu: a long line could never "
		       "complete", o->max_memory, o->max_line);
		return 2;
	}
	if (o->echo && o->line_timeout > 0) {
		ry_err("--line-timeout is for lines: not with --echo, which echoes bytes");
		return 2;
	}
	/* A minute for a line, as nginx gives a request's header: a client
	 * that trickles a byte at a time is never idle, and without this it
	 * could hold its slot for good. */
	if (o->line_timeout < 0)
		o->line_timeout = o->echo ? 0 : 60;
	return -1;
}

static void summary(const struct ry_server_stats *st, const struct ry_printer_stats *ps)
{
	char extra[160] = "";

	if (st->over_addr || st->held_back)
		snprintf(extra, sizeof extra, ", %llu refused (%llu over --max-per-addr, %llu while the "
			 "last slots were kept for new addresses)", (unsigned long long)st->refused,
			 (unsigned long long)st->over_addr, (unsigned long long)st->held_back);
	else if (st->refused)
		snprintf(extra, sizeof extra, ", %llu refused", (unsigned long long)st->refused);
	ry_err("%llu connection%s%s, %llu line%s, %llu byte%s", (unsigned long long)st->conns,
	       st->conns == 1 ? "" : "s", extra, (unsigned long long)st->lines, st->lines == 1 ? "" : "s",
	       (unsigned long long)st->bytes, st->bytes == 1 ? "" : "s");
	if (st->pauses)
		ry_err("reading paused %llu times at the memory budget", (unsigned long long)st->pauses);
	if (ps->undelivered)
		ry_err("%llu lines not delivered: stdout did not take them in time",
		       (unsigned long long)ps->undelivered);
}

int cmd_serve(int argc, char **argv)
{
	struct opts o;
	struct cmd_endpoint ep;
	struct sockaddr_storage bound;
	char where[RY_ADDRSTR_MAX];
	atomic_size_t mem_used = 0;
	int args, lfd, rc = parse(argc, argv, &o, &args);

	if (rc >= 0)
		return rc;
	struct cmd_endpoint_spec spec = {
		.arg = argv[args], .host = o.bind, .host_opt = "-b/--bind",
		.default_host = "127.0.0.1", .numeric_port = true, .passive = true,
		.timeout_ns = 10000000000LL,
	};
	if ((rc = cmd_endpoint(&spec, &ep)) != 0)
		return rc;
	long nofile = ry_rlimit_raise_nofile();
	if (o.max_conns == 0)
		o.max_conns = nofile > 128 ? (unsigned long)nofile - 64 : 64;
	/* No one address may hold every slot, and the last sixteenth is
	 * kept for addresses that hold none (a flood from a few addresses
	 * leaves room for everyone else). */
	if (o.per_addr == ULONG_MAX)
		o.per_addr = (o.max_conns + 1) / 2;
	unsigned long reserve = o.max_conns / 16;
	rc = ry_tcp_listen((struct sockaddr *)&ep.ss, ep.len, 4096, o.v6only, &lfd, &bound);
	if (rc != 0) {
		ry_err("cannot listen on %s: %s", ep.shown, ry_strerror(rc));
		return 2;
	}
	ry_sockaddr_str((struct sockaddr *)&bound, true, where, sizeof where);
	/* A client or stdout going away is an error return (EPIPE), never a
	 * death; SIGINT and SIGTERM become a stop request. */
	if ((rc = ry_stop_catch()) != 0 || (rc = ry_stop_ignore_pipe()) != 0) {
		ry_err("cannot catch signals: %s", ry_strerror(rc));
		close(lfd);
		return 2;
	}

	enum ry_serve_mode mode = o.echo ? RY_SERVE_ECHO : o.once ? RY_SERVE_ONCE : RY_SERVE_PRINT;
	struct ry_printer *pr = NULL;
	if (mode == RY_SERVE_PRINT) {
		struct ry_printer_config pc = { STDOUT_FILENO, o.json, o.peer, o.keep_cr, &mem_used };
		/* Lines go out through the printer only: nothing in stdio. */
		fflush(stdout);
		if (!(pr = ry_printer_start(&pc))) {
			ry_err("cannot start the printer: %s", ry_strerror(-errno));
			close(lfd);
			return 2;
		}
	}
	struct ry_server_config cfg = {
		.mode = mode, .workers = (unsigned)o.workers, .max_conns = o.max_conns,
		.per_addr_max = o.per_addr, .reserve = reserve,
		.max_line = o.max_line, .idle_timeout_ns = (int64_t)(o.idle * 1e9),
		.line_timeout_ns = (int64_t)(o.line_timeout * 1e9), .verbose = o.verbose,
		.mem_budget = o.max_memory, .mem_used = &mem_used,
		.on_line = pr ? on_line : NULL, .on_round = pr ? on_round : NULL, .log = on_log, .ctx = pr,
	};
	struct ry_server *srv = ry_server_start(lfd, &cfg);
	if (!srv) {
		ry_err("cannot start the server: %s", ry_strerror(-errno));
		return 2;
	}
	if (!o.quiet)
		ry_err("listening on %s (%s, %lu worker%s)", where,
		       mode == RY_SERVE_PRINT ? "printing lines" :
		       mode == RY_SERVE_ECHO ? "echo" : "echo once", o.workers,
		       o.workers == 1 ? "" : "s");
	if (o.verbose)
		ry_err("limits: %lu connections, %lu per address (%lu kept for new addresses); "
		       "idle %g s, line %g s", o.max_conns, o.per_addr, reserve, o.idle, o.line_timeout);

	/* Until a signal, or stdout fails: its reader left (| head), or it
	 * refuses the lines (a full disk). */
	while (ry_stop_wait(ry_now_ns() + 200000000) != 0 && !(pr && ry_printer_status(pr)))
		;
	ry_server_stop(srv);
	struct ry_printer_stats ps = { 0 };
	int out = pr ? ry_printer_status(pr) : 0;
	bool gone = out == -EPIPE;
	if (pr)
		ry_printer_finish(pr, ry_now_ns() + (int64_t)(o.drain * 1e9), &ry_stop_now, &ps);
	if (out && !gone) {
		ry_err("cannot write results to stdout: %s", ry_strerror(out));
		ry_server_free(srv);
		return 2;
	}
	struct ry_server_stats st;
	ry_server_get_stats(srv, &st);
	ry_server_free(srv);
	if (gone)
		ps.undelivered = 0;	/* the reader left on purpose */
	if (!o.quiet)
		summary(&st, &ps);
	/* The reader left on purpose (| head): end quietly.  SIGTERM is
	 * serve's normal stop (exit 0, or 1 if lines were lost to a stdout
	 * that did not drain); SIGINT ends by the signal, as everywhere. */
	if (gone)
		return 0;
	if (ry_stop_status() == 130)
		return 130;
	return ps.undelivered ? 1 : 0;
}
