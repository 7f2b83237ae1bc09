/*
 * rustyc ping-sweep: which hosts of a range answer.  The tutorial ran
 * `ping -c1` through a shell per address; this sends ICMP itself
 * (net/sweep), keeps that method as --method exec, and adds TCP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "util/time.h"
#include "net/proc.h"
#include "net/resolve.h"
#include "net/sweep.h"
#include "net/target.h"
#include "util/diag.h"
#include "util/opt.h"
#include "util/out.h"
#include "util/progress.h"
#include "util/stop.h"

static const char usage[] =
"usage: rustyc ping-sweep [options] TARGET... | -\n"
"\n"
"Probes every address of the targets and prints each one that answers, as\n"
"it answers.  TARGET: 192.168.0 (.1-.254), 10.1.2.0/24, ::1/128 or an\n"
"IPv6 prefix down to /112, 10.1.2.10-20, 10.1.2.250-10.1.3.5, an address,\n"
"a host name, or - to read targets from stdin.\n"
"\n"
"  -m, --method M      icmp (default), exec (the system ping, one process\n"
"                      per address) or tcp:PORT (connect; refused = up)\n"
"  -t, --timeout SECS  wait for each reply (default 1)\n"
"  -r, --retries N     probes again to silent hosts (default 0)\n"
"      --rate PPS      probes per second (default 10000; 0: no limit)\n"
"  -j, --jobs N        exec and tcp: probes in flight (default 64)\n"
"  -l, --latency       add the round-trip time in ms\n"
"  -a, --all           list every target with up or down, at the end\n"
"      --sort          print in address order, at the end\n"
"      --json          one JSON object per target\n"
"      --max-hosts N   refuse sweeps of more addresses (default 65536)\n"
"  -q, --quiet         no summary on stderr\n"
"  -h, --help          show this help\n"
"\n"
"Exit status: 0 some host answered, 1 none did, 2 error, 130 interrupted\n"
"(143 after SIGTERM).\n";

struct opts {
	struct ry_sweep_config cfg;
	bool latency, all, sort, json, quiet;
	unsigned long max_hosts;
	const char *method_name;
};

struct run {
	const struct opts *o;
	const struct ry_target_list *tl;
	int64_t *rtt;		/* per target, -1 unknown */
	bool flush_each, tty_out;
	struct ry_buf b;
	struct ry_progress bar;
};


static void print_one(struct run *r, size_t i, bool up)
{
	const struct opts *o = r->o;
	char addr[64];

	ry_ipaddr_str(&r->tl->v[i], addr, sizeof addr);
	if (r->tty_out)
		ry_progress_clear(&r->bar);
	ry_buf_reset(&r->b);
	if (o->json) {
		ry_json_begin(&r->b);
		ry_json_cstr(&r->b, "address", addr);
		ry_json_bool(&r->b, "alive", up);
		if (up && r->rtt[i] >= 0)
			ry_buf_addf(&r->b, ",\"rtt_ms\":%.3f", r->rtt[i] / 1e6);
		else
			ry_json_null(&r->b, "rtt_ms");
		ry_json_cstr(&r->b, "method", o->method_name);
		ry_json_end(&r->b);
	} else {
		ry_buf_addf(&r->b, "%s", addr);
		if (o->all)
			ry_buf_addf(&r->b, " %s", up ? "up" : "down");
		if ((o->latency || o->all) && up && r->rtt[i] >= 0)
			ry_buf_addf(&r->b, " %.3f ms", r->rtt[i] / 1e6);
	}
	ry_buf_put_line(&r->b);
	if (r->flush_each)
		fflush(stdout);
}

static void on_up(void *ctx, size_t i, int64_t rtt)
{
	struct run *r = ctx;

	r->rtt[i] = rtt;
	if (!r->o->all && !r->o->sort)
		print_one(r, i, true);
}

static void on_progress(void *ctx, size_t settled)
{
	struct run *r = ctx;

	ry_progress_update(&r->bar, settled);
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "method", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "retries", required_argument, NULL, 'r' },
		{ "rate", required_argument, NULL, 'R' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "latency", no_argument, NULL, 'l' },
		{ "all", no_argument, NULL, 'a' },
		{ "sort", no_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'J' },
		{ "max-hosts", required_argument, NULL, 'M' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	unsigned long v;
	double secs = 1;
	int c;

	*o = (struct opts){ .max_hosts = 65536, .method_name = "icmp" };
	o->cfg = (struct ry_sweep_config){ .method = RY_SWEEP_ICMP, .rate = 10000, .jobs = 64, .stop = &ry_stop_flag };
	while ((c = ry_getopt(argc, argv, "m:t:r:j:laqh", longopts)) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "icmp")) {
				o->cfg.method = RY_SWEEP_ICMP;
			} else if (!strcmp(optarg, "exec")) {
				o->cfg.method = RY_SWEEP_EXEC;
			} else if (!strncmp(optarg, "tcp:", 4)) {
				if (ry_opt_ulong("-m/--method tcp:PORT", optarg + 4, 1, 65535, &v))
					return 2;
				o->cfg.method = RY_SWEEP_TCP;
				o->cfg.tcp_port = (unsigned)v;
			} else {
				ry_err("invalid value '%s' for -m/--method: must be icmp, exec or tcp:PORT",
				       ry_quote(optarg));
				return 2;
			}
			break;
		case 't':
			if (ry_opt_seconds("-t/--timeout", optarg, 0.001, 60, &secs))
				return 2;
			break;
		case 'r':
			if (ry_opt_ulong("-r/--retries", optarg, 0, 10, &v))
				return 2;
			o->cfg.retries = (unsigned)v;
			break;
		case 'R':
			if (ry_opt_ulong("--rate", optarg, 0, 10000000, &v))
				return 2;
			o->cfg.rate = (unsigned)v;
			break;
		case 'j':
			if (ry_opt_ulong("-j/--jobs", optarg, 1, 4096, &v))
				return 2;
			o->cfg.jobs = (unsigned)v;
			break;
		case 'l':
			o->latency = true;
			break;
		case 'a':
			o->all = true;
			break;
		case 'S':
			o->sort = true;
			break;
		case 'J':
			o->json = true;
			break;
		case 'M':
			if (ry_opt_ulong("--max-hosts", optarg, 1, 16777216, &o->max_hosts))
				return 2;
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
	o->cfg.timeout_ns = (int64_t)(secs * 1e9);
	if (optind == argc) {
		ry_err("no targets given (see 'rustyc ping-sweep --help')");
		return 2;
	}
	return -1;
}

/* Adds one target's addresses; 0, or 2 after a message naming it (and
 * its line, for a target read from stdin: line > 0). */
static int add_target(const struct opts *o, const char *text, size_t line, struct ry_target_list *tl)
{
	const char *why = NULL;
	int rc = ry_target_expand(text, o->max_hosts, tl, &why);
	const char *shown;
	char where[48] = "";

	if (rc == 0)
		return 0;
	shown = ry_quote(text);
	if (line)
		snprintf(where, sizeof where, " (line %zu of stdin)", line);
	if (rc == RY_TARGET_NAME) {
		struct ry_lookup q = { text, NULL, AF_UNSPEC };
		struct ry_lookup_result res;
		ry_lookup_one(&q, &res);
		if (res.status == 0 && res.naddrs > 0) {
			struct ry_ipaddr a;
			char addr[64];
			ry_ipaddr_from_sockaddr((struct sockaddr *)&res.addrs[0], &a);
			ry_ipaddr_str(&a, addr, sizeof addr);
			if (!o->quiet)
				ry_err("'%s' is %s", shown, addr);
			rc = tl->n < o->max_hosts ? ry_target_add(tl, &a) : -E2BIG;
			why = "more addresses than --max-hosts allows";
		} else {
			why = res.why ? res.why : "name not found";
			rc = RY_EBADADDR;
		}
		ry_lookup_result_free(&res);
		if (rc == 0)
			return 0;
	}
	if (rc == -E2BIG)
		ry_err("'%s'%s: more than --max-hosts %lu addresses in all; raise --max-hosts to sweep them",
		       shown, where, o->max_hosts);
	else if (rc == -ENOMEM)
		ry_err("'%s'%s: out of memory", shown, where);
	else
		ry_err("invalid target '%s'%s: %s", shown, where, why);
	return 2;
}

static int read_targets(const struct opts *o, FILE *f, struct ry_target_list *tl)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	int rc = 0;

	while (rc == 0 && (len = getline(&line, &cap, f)) != -1) {
		size_t n;
		char *s = ry_list_line(line, (size_t)len, &n);
		lineno++;
		if (!s)
			continue;
		if (memchr(s, '\0', n)) {
			ry_err("invalid target '%s' (line %zu of stdin): it holds a NUL byte",
			       ry_quote_n(s, n), lineno);
			rc = 2;
			break;
		}
		s[n] = '\0';
		rc = add_target(o, s, lineno, tl);
	}
	if (rc == 0 && ferror(f)) {
		ry_err("cannot read targets from stdin: %s", strerror(errno));
		rc = 2;
	}
	free(line);
	return rc;
}

/* ICMP needs privileges; fall back to the system ping when it has them. */
static int choose_method(struct opts *o, const struct ry_target_list *tl)
{
	bool v4 = false, v6 = false;

	if (o->cfg.method != RY_SWEEP_ICMP)
		return 0;
	for (size_t i = 0; i < tl->n; i++)
		*(tl->v[i].family == AF_INET ? &v4 : &v6) = true;
	if ((!v4 || ry_icmp_access(AF_INET) > 0) && (!v6 || ry_icmp_access(AF_INET6) > 0))
		return 0;
	if (ry_proc_exists("ping")) {
		if (!o->quiet)
			ry_err("ICMP sockets are not permitted here (they need CAP_NET_RAW or "
			       "net.ipv4.ping_group_range); using --method exec");
		o->cfg.method = RY_SWEEP_EXEC;
		return 0;
	}
	ry_err("ICMP sockets are not permitted here (they need CAP_NET_RAW or net.ipv4.ping_group_range) "
	       "and there is no ping program for --method exec; --method tcp:PORT needs no privileges");
	return 2;
}

int cmd_ping_sweep(int argc, char **argv)
{
	struct opts o;
	struct ry_target_list tl = { 0 };
	int rc = parse(argc, argv, &o);
	bool used_stdin = false;

	if (rc >= 0)
		return rc;
	for (int i = optind; i < argc; i++) {
		if (!strcmp(argv[i], "-")) {
			if (!used_stdin && (rc = read_targets(&o, stdin, &tl)) != 0)
				goto out;
			used_stdin = true;
		} else if ((rc = add_target(&o, argv[i], 0, &tl)) != 0) {
			goto out;
		}
	}
	ry_target_unique(&tl);
	if ((rc = choose_method(&o, &tl)) != 0)
		goto out;
	o.method_name = o.cfg.method == RY_SWEEP_ICMP ? "icmp" : o.cfg.method == RY_SWEEP_EXEC ? "exec" : "tcp";

	struct run r = { .o = &o, .tl = &tl };
	struct stat st;
	bool *up = calloc(tl.n ? tl.n : 1, sizeof *up);
	r.rtt = malloc((tl.n ? tl.n : 1) * sizeof *r.rtt);
	ry_buf_init(&r.b);
	if (!up || !r.rtt) {
		ry_err("out of memory for %zu targets", tl.n);
		rc = 2;
		goto out_free;
	}
	for (size_t i = 0; i < tl.n; i++)
		r.rtt[i] = -1;
	/* Stream each live host at once to a pipe or terminal (| while read);
	 * a file gets stdio's buffering. */
	r.flush_each = !(fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode));
	ry_stop_catch();
	o.cfg.on_up = on_up;
	o.cfg.on_progress = on_progress;
	o.cfg.ctx = &r;
	r.tty_out = isatty(STDOUT_FILENO);
	ry_progress_init(&r.bar, tl.n, 1000, "hosts");

	int64_t t0 = ry_now_ns();
	rc = ry_sweep_run(tl.v, tl.n, &o.cfg, up);
	double secs = (ry_now_ns() - t0) / 1e9;
	ry_progress_clear(&r.bar);
	if (rc != 0) {
		ry_err("sweep failed: %s", rc == -EPERM ? "ICMP sockets are not permitted here" :
			rc == -ENOENT ? "no ping program (--method exec needs one)" : ry_strerror(rc));
		rc = 2;
		goto out_free;
	}
	/* What was not streamed: -a lists all, --sort the live ones (and,
	 * for --json, the rest), and --json alone the silent ones. */
	size_t nup = 0;
	for (size_t i = 0; i < tl.n; i++) {
		nup += up[i];
		if (o.all || (o.sort && (up[i] || o.json)) || (o.json && !o.sort && !up[i]))
			print_one(&r, i, up[i]);
	}
	fflush(stdout);
	if (!o.quiet)
		fprintf(stderr, "%zu of %zu hosts up, %s, %.2f s%s\n", nup, tl.n, o.method_name, secs,
			ry_stop_status() ? " (interrupted)" : "");
	rc = ry_stop_status() ? ry_stop_status() : nup ? 0 : 1;
out_free:
	free(up);
	free(r.rtt);
	ry_buf_destroy(&r.b);
out:
	ry_target_free(&tl);
	return rc;
}
