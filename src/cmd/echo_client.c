/*
 * rustyc echo-client: the tutorial's TCP client that checks an echo, and
 * a load generator that verifies every echoed byte (net/loadgen).
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "net/load_summary.h"
#include "net/loadgen.h"
#include "net/tcp.h"
#include "util/diag.h"
#include "util/opt.h"
#include "util/out.h"
#include "util/resume.h"
#include "util/rlimit.h"
#include "util/stop.h"
#include "util/time.h"

struct opts {
	const char *message;
	bool nc_style;			/* HOST PORT as two operands */
	char hostport[RY_HOST_MAX + 80];
	bool load, json, merge, force, trim, got_conns, got_requests, got_duration, got_depth, got_rate;
	unsigned long conns, depth, threads, size, requests, rate;
	double duration, timeout;
};

static int parse(int argc, char **argv, struct opts *o, int *args)
{
	const struct ry_opt opts[] = {
		{ .short_name = 'c', .long_name = "conns", .kind = RY_OPT_ULONG, .dest = &o->conns,
		  .arg = "N", .min = 1, .max = 100000, .given = &o->got_conns,
		  .help = "connections (default 1)" },
		{ .short_name = 'n', .long_name = "requests", .kind = RY_OPT_ULONG, .dest = &o->requests,
		  .arg = "N", .min = 1, .max = 1000000000000UL, .given = &o->got_requests,
		  .help = "requests in all (default 10000 unless -d;\nwith -R: -d 10)" },
		{ .short_name = 'd', .long_name = "duration", .kind = RY_OPT_SECONDS,
		  .dest = &o->duration, .arg = "SECS", .fmin = 0.001, .fmax = 86400,
		  .given = &o->got_duration, .help = "run for SECS instead" },
		RY_OPT_SZ('s', "size", &o->size, 2, (size_t)16 * 1024 * 1024,
			  "bytes per request, newline included (default 16)"),
		{ .short_name = 'P', .long_name = "depth", .kind = RY_OPT_ULONG, .dest = &o->depth,
		  .arg = "N", .min = 1, .max = 4096, .given = &o->got_depth,
		  .help = "requests in flight per connection (default 1)" },
		RY_OPT_N('j', "threads", &o->threads, "N", 1, 256, "client event loops (default 1)"),
		{ .short_name = 'R', .long_name = "rate", .kind = RY_OPT_ULONG, .dest = &o->rate,
		  .arg = "RATE", .min = 1, .max = 100000000, .given = &o->got_rate,
		  .help = "constant rate: RATE requests per second in all,\n"
			  "each timed from when it was due (as wrk2)" },
		RY_OPT_F(0, "json", &o->json, "the result as one JSON object: the load's\n"
			 "summary with its latency histogram, or sent,\nreceived and match"),
		RY_OPT_F(0, "merge", &o->merge, "FILE...: add up the histograms of --json runs\n"
			 "and print the combined counts and percentiles"),
		RY_OPT_F(0, "force", &o->force, "--merge: add up runs of different shapes too"),
		RY_OPT_F(0, "trim", &o->trim, "single check: ignore the echo's trailing blanks\n"
			 "(the tutorial's trim_right: a CRLF echo matches)"),
		RY_OPT_SECS('t', "timeout", &o->timeout, 0.001, 3600,
			    "connect, name lookup and reply timeout (default 5)"),
	};
	const struct ry_cmdline cl = {
		.synopsis = "[HOST:]PORT [MESSAGE]\nHOST PORT [MESSAGE]\n--merge FILE...",
		.about =
"Sends MESSAGE (default \"hello from the client!\") and a newline to an echo\n"
"server on HOST (default 127.0.0.1), prints the line that comes back, and\n"
"exits 0 if it matches, 1 if it does not.  As with nc, HOST and PORT may\n"
"also be two arguments.\n"
"\n"
"Load mode (any of -c, -n, -d, -P, -R): every connection sends lines of\n"
"-s bytes and checks every echoed byte; prints requests, req/s, latency\n"
"percentiles, errors and mismatches.  -R sends at a constant rate and\n"
"times each request from when it was due.\n"
"\n"
"--merge FILE...: the --json summaries of runs (on many machines, say)\n"
"added up: counts summed, percentiles from the summed histograms.\n",
		.opts = opts, .nopts = sizeof opts / sizeof opts[0], .max_args = -1,
		.footer =
"Exit status: 0 echoes matched, 1 a mismatch or error, 2 no connection or\n"
"usage error.\n",
	};
	int rc;

	*o = (struct opts){ .message = "hello from the client!", .conns = 1, .depth = 1,
			    .threads = 1, .size = 16, .timeout = 5 };
	if ((rc = ry_opt_parse(&cl, argc, argv, args)) >= 0)
		return rc;
	if (*args == argc) {
		ry_err("%s (see 'rustyc echo-client --help')", o->merge ? "no files given for --merge" : "no port given");
		return 2;
	}
	if (o->force && !o->merge) {
		ry_err("--force is for --merge");
		return 2;
	}
	if (o->merge) {
		if (o->got_conns || o->got_requests || o->got_duration || o->got_depth || o->got_rate) {
			ry_err("--merge reads the results of earlier runs: it takes no load options");
			return 2;
		}
		return -1;	/* the operands are files */
	}
	if (argc - *args > 3) {
		ry_err("too many arguments (see 'rustyc echo-client --help')");
		return 2;
	}
	o->load = o->got_conns || o->got_requests || o->got_duration || o->got_depth || o->got_rate;
	if (o->got_requests && o->got_duration) {
		ry_err("-n and -d exclude each other: a run is bounded by one of them");
		return 2;
	}
	o->nc_style = false;
	/* nc's HOST PORT: a first operand without a port and a second that
	 * is a number (a message follows, if any). */
	const char *h = argv[*args], *c = strchr(h, ':');
	bool v6 = c && strchr(c + 1, ':') && h[0] != '[';	/* a bare IPv6 address */
	if (argc - *args >= 2 && argv[*args + 1][0] &&
	    strspn(argv[*args + 1], "0123456789") == strlen(argv[*args + 1]) &&
	    (!c || v6) && strspn(h, "0123456789") != strlen(h)) {
		o->nc_style = true;
		snprintf(o->hostport, sizeof o->hostport, v6 ? "[%s]:%s" : "%s:%s", h, argv[*args + 1]);
		(*args)++;
	} else if (argc - *args == 3) {
		ry_err("too many arguments (see 'rustyc echo-client --help')");
		return 2;
	}
	if (o->trim && o->load) {
		ry_err("--trim is for the single check: load mode checks every echoed byte");
		return 2;
	}
	if (argc - *args == 2) {
		if (o->load) {
			ry_err("a MESSAGE is for the single check; load mode sends -s byte lines");
			return 2;
		}
		o->message = argv[*args + 1];
		if (strchr(o->message, '\n')) {
			ry_err("the message must be one line");
			return 2;
		}
	}
	/* Bounded by default: 10,000 requests, or at a constant rate (whose
	 * count would say nothing of how long) 10 seconds. */
	if (o->load && !o->got_requests && !o->got_duration && o->got_rate)
		o->duration = 10;
	else if (o->load && !o->got_requests && !o->got_duration)
		o->requests = 10000;
	if (o->threads > o->conns)
		o->threads = o->conns;
	return -1;
}

/* --json when there is no result: one object that says why, so that a
 * script reading stdout sees the failure too. */
static void error_record(const struct opts *o, const struct cmd_endpoint *ep, const char *what, const char *why)
{
	struct ry_rec rec;
	char text[320];

	snprintf(text, sizeof text, "%s: %s", what, why);
	ry_rec_init(&rec, true);
	ry_rec_begin(&rec);
	ry_rec_cstr(&rec, "address", ep->shown, 0);
	if (!o->load) {
		ry_rec_cstr(&rec, "sent", o->message, 0);
		ry_rec_null(&rec, "received");
		ry_rec_bool(&rec, "match", false, 0);
	}
	ry_rec_cstr(&rec, "error", text, 0);
	ry_rec_put(&rec);
	ry_rec_destroy(&rec);
}

static int check_once(const struct opts *o, const struct cmd_endpoint *ep)
{
	struct ry_buf got, shown;
	bool match, connected;
	int rc;

	ry_buf_init(&got);
	ry_buf_init(&shown);
	rc = ry_load_check((const struct sockaddr *)&ep->ss, ep->len, o->message, (int64_t)(o->timeout * 1e9),
			   o->trim, &got, &match, &connected);
	if (rc != 0) {
		const char *why = rc == -ENODATA ? "it closed the connection without a reply" : ry_strerror(rc);
		ry_err(connected ? "no echo from %s: %s" : "cannot connect to %s: %s", ep->shown, why);
		if (o->json)
			error_record(o, ep, connected ? "no echo" : "cannot connect", why);
		rc = 2;
		goto out;
	}
	/* The echo is the peer's bytes: escaped before it reaches a
	 * terminal. */
	const char *echo = got.p ? got.p : "";	/* an empty buffer has none */
	if (o->json) {
		struct ry_rec rec;
		ry_rec_init(&rec, true);
		ry_rec_begin(&rec);
		ry_rec_cstr(&rec, "sent", o->message, 0);
		ry_rec_str(&rec, "received", echo, got.len, 0);
		ry_rec_bool(&rec, "match", match, 0);
		ry_rec_put(&rec);
		ry_rec_destroy(&rec);
	} else {
		ry_buf_escape(&shown, echo, got.len);
		ry_buf_put_line(&shown);
	}
	rc = match ? 0 : 1;
	if (!match)
		ry_err("echo mismatch: sent '%s', got '%s'", ry_quote(o->message), ry_quote_n(echo, got.len));
out:
	ry_buf_destroy(&got);
	ry_buf_destroy(&shown);
	return rc;
}

/* rate: the requests per second achieved (for merged runs, the sum of
 * theirs); runs: how many were merged, 0 for a run of this process. */
static void print_summary(const struct opts *o, const struct ry_load_result *r, double rate,
			  unsigned long runs, bool interrupted)
{
	const struct ry_hist *h = &r->lat_ns;
	double p50 = ry_hist_quantile(h, 0.50) / 1e3, p90 = ry_hist_quantile(h, 0.90) / 1e3;
	double p99 = ry_hist_quantile(h, 0.99) / 1e3, p999 = ry_hist_quantile(h, 0.999) / 1e3;
	double max = h->max / 1e3;

	if (o->json) {
		struct ry_load_shape shape = { o->conns, o->size, o->depth, o->got_rate ? o->rate : 0 };
		struct ry_rec rec;
		ry_rec_init(&rec, true);
		ry_load_summary_json(&rec, r, rate, runs ? NULL : &shape, runs, interrupted);
		ry_rec_destroy(&rec);
		return;
	}
	if (runs)
		printf("%llu requests from %lu runs, %.0f req/s together (the longest %.3f s)%s\n",
		       (unsigned long long)r->requests, runs, rate, r->secs,
		       interrupted ? " (one was interrupted)" : "");
	else if (o->got_rate)
		printf("%llu requests in %.3f s, %.0f req/s of %lu asked (%lu connection%s, %lu bytes, "
		       "depth %lu)%s\n", (unsigned long long)r->requests, r->secs, rate, o->rate, o->conns,
		       o->conns == 1 ? "" : "s", o->size, o->depth, interrupted ? " (interrupted)" : "");
	else
		printf("%llu requests in %.3f s, %.0f req/s (%lu connection%s, %lu bytes, depth %lu)%s\n",
		       (unsigned long long)r->requests, r->secs, rate, o->conns, o->conns == 1 ? "" : "s",
		       o->size, o->depth, interrupted ? " (interrupted)" : "");
	printf("latency us: p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f\n", p50, p90, p99, p999, max);
	printf("errors %llu, mismatches %llu, failed connections %llu", (unsigned long long)r->errors,
	       (unsigned long long)r->mismatches, (unsigned long long)r->failed_conns);
	if (r->reconnects)	/* a timed run dials lost connections again */
		printf(", reconnects %llu", (unsigned long long)r->reconnects);
	printf("\n");
}

static int load(const struct opts *o, const struct cmd_endpoint *ep)
{
	struct ry_load_config cfg = {
		.addrlen = ep->len, .conns = (unsigned)o->conns, .threads = (unsigned)o->threads,
		.requests = o->requests, .duration_ns = (int64_t)(o->duration * 1e9),
		.size = o->size, .depth = (unsigned)o->depth,
		.io_timeout_ns = (int64_t)(o->timeout * 1e9), .stop = &ry_stop_flag,
		.rate = o->got_rate ? (double)o->rate : 0,
	};
	struct ry_load_result *r = calloc(1, sizeof *r);
	int rc;

	if (!r) {
		ry_err("out of memory");
		return 2;
	}
	memcpy(&cfg.addr, &ep->ss, ep->len);
	/* Thousands of connections need the descriptors: the soft limit is
	 * raised to the hard one, and a load that still cannot have one per
	 * connection (and a few of its own) is refused before it starts,
	 * not run with connections that fail ("Too many open files"). */
	long nofile = ry_rlimit_raise_nofile();
	unsigned long need = o->conns + o->threads + 16;
	if (nofile > 0 && (unsigned long)nofile < need) {
		ry_err("-c %lu needs about %lu open files, and this process may have %ld (ulimit -n, the hard "
		       "limit): raise the limit or use fewer connections", o->conns, need, nofile);
		free(r);
		return 2;
	}
	/* SIGINT and SIGTERM end the run early, with its summary. */
	if ((rc = ry_stop_catch()) == 0)
		rc = ry_load_run(&cfg, r);
	if (rc != 0) {
		ry_err("cannot run the load: %s", ry_strerror(rc));
		free(r);
		return 2;
	}
	if (r->connected == 0) {
		const char *why = ry_strerror(r->first_error ? r->first_error : -ECONNREFUSED);
		ry_err("cannot connect to %s: %s", ep->shown, why);
		if (o->json)
			error_record(o, ep, "cannot connect", why);
		free(r);
		return 2;
	}
	double rate = r->secs > 0 ? r->requests / r->secs : 0;
	print_summary(o, r, rate, 0, ry_stop_status() != 0);
	/* A constant rate that was not reached: the figures describe a
	 * lighter load than asked (wrk2 says so too). */
	if (o->got_rate && !ry_stop_status() && rate < 0.95 * (double)o->rate)
		ry_err("the rate asked was not reached: %.0f of %lu requests/s (%.0f%%); the server or this "
		       "client is the limit (more -c, -P or -j may help)", rate, o->rate, 100 * rate / (double)o->rate);
	if (r->errors || r->failed_conns)
		ry_err("first error: %s", ry_strerror(r->first_error));
	rc = ry_stop_status() ? ry_stop_status() : (r->errors || r->mismatches || r->failed_conns) ? 1 : 0;
	free(r);
	return rc;
}

/* The earlier operand that names the file f is open on (argv[i]), or
 * -1: '-' twice, or one file by two names (a link, ./x and x). */
static int same_file(FILE *f, int argc, char **argv, int args, int i)
{
	struct stat st, other;

	if (fstat(fileno(f), &st) != 0)
		return -1;
	for (int k = args; k < i && k < argc; k++) {
		bool dash = strcmp(argv[k], "-") == 0;
		if (dash ? fstat(STDIN_FILENO, &other) != 0 : stat(argv[k], &other) != 0)
			continue;
		if (other.st_dev == st.st_dev && other.st_ino == st.st_ino)
			return k;
	}
	return -1;
}

/* --merge FILE...: every summary line of every file added up. */
static int merge(const struct opts *o, int argc, char **argv, int args)
{
	struct ry_load_merge *m = calloc(1, sizeof *m);
	int rc = 0;

	if (!m) {
		ry_err("out of memory");
		return 2;
	}
	m->force = o->force;
	for (int i = args; i < argc && rc == 0; i++) {
		bool std_in = strcmp(argv[i], "-") == 0;
		FILE *f = std_in ? stdin : fopen(argv[i], "re");
		size_t lineno = 0;
		if (!f) {
			ry_err("cannot read '%s': %s", ry_quote(argv[i]), ry_strerror(-errno));
			rc = 2;
			break;
		}
		/* The same run twice would count its requests twice. */
		int twin = same_file(f, argc, argv, args, i);
		if (twin >= 0) {
			ry_err("'%s' is given twice (as '%s'): each run counts once", ry_quote(argv[i]),
			       ry_quote(argv[twin]));
			if (!std_in)
				fclose(f);
			rc = 2;
			break;
		}
		const char *why;
		int err = ry_load_merge_read(m, f, &lineno, &why);
		if (err == -EINVAL)
			ry_err("'%s' line %zu: %s", ry_quote(argv[i]), lineno, why);
		else if (err)
			ry_err("cannot read '%s': %s", ry_quote(argv[i]), ry_strerror(err));
		rc = err ? 2 : 0;
		if (!std_in)
			fclose(f);
	}
	if (rc == 0 && m->runs == 0) {
		ry_err("no summaries to merge in %s", argc - args == 1 ? "that file" : "those files");
		rc = 2;
	}
	if (rc == 0) {
		print_summary(o, &m->r, m->rate, m->runs, m->interrupted);
		rc = (m->r.errors || m->r.mismatches || m->r.failed_conns) ? 1 : 0;
	}
	free(m);
	return rc;
}

int cmd_echo_client(int argc, char **argv)
{
	struct opts o;
	struct cmd_endpoint ep;
	int args, rc = parse(argc, argv, &o, &args);

	if (rc >= 0)
		return rc;
	if (o.merge)
		return merge(&o, argc, argv, args);
	struct cmd_endpoint_spec spec = {
		.arg = o.nc_style ? o.hostport : argv[args], .default_host = "127.0.0.1", .min_port = 1,
		.timeout_ns = (int64_t)(o.timeout * 1e9),
	};
	if ((rc = cmd_endpoint(&spec, &ep)) != 0)
		return rc;
	return o.load ? load(&o, &ep) : check_once(&o, &ep);
}
