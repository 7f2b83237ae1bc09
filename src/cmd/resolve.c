/*
 * rustyc resolve: parallel name resolution, the tutorial's ToSocketAddrs
 * in a thread pool, with a deadline per name.
 */
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "util/time.h"
#include "net/addr.h"
#include "net/resolve.h"
#include "util/diag.h"
#include "util/opt.h"
#include "util/out.h"
#include "util/progress.h"
#include "util/stop.h"

static const char usage[] =
"usage: rustyc resolve [options] NAME[:PORT]... | -\n"
"\n"
"Resolves names in parallel and prints one line per address: NAME ADDR,\n"
"with ADDR as ip:port or [ip]:port when a port was given.  Names come\n"
"from the arguments, and from stdin for '-' (or with no arguments when\n"
"stdin is not a terminal), one per line; blank lines and #comments are\n"
"skipped.  Forms: host, host:port, host:service, 1.2.3.4[:port], ::1,\n"
"[::1]:port, [fe80::1%lo]:port.\n"
"\n"
"  -4, -6              IPv4 or IPv6 addresses only\n"
"      --first         only the first address of each name\n"
"      --json          one JSON object per name: name, port, addresses, error\n"
"  -k, --keep-order    print in input order (each as soon as it is next)\n"
"  -j, --jobs N        lookups in flight (default 16)\n"
"  -t, --timeout SECS  give up on a name after SECS (default 5)\n"
"  -q, --quiet         no summary line on stderr\n"
"  -h, --help          show this help\n"
"\n"
"Exit status: 0 all names resolved, 1 some did not, 2 usage error.\n";

struct opts {
	int family;
	bool first, json, keep_order, quiet;
	unsigned long jobs;
	double timeout;
};

/* One name as the user wrote it, and what parsing made of it. */
struct name {
	char *text;		/* trimmed input line or argument */
	size_t len;		/* of text, which may hold a NUL byte */
	struct ry_hostport hp;
	const char *bad;	/* parse error, or NULL */
};

struct names {
	struct name *v;
	size_t n, cap;
};

static int add_name(struct names *ns, const char *text, size_t len)
{
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 64;
		struct name *v = realloc(ns->v, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		ns->v = v;
		ns->cap = cap;
	}
	struct name *nm = &ns->v[ns->n];
	nm->text = malloc(len + 1);
	if (!nm->text)
		return -ENOMEM;
	memcpy(nm->text, text, len);
	nm->text[len] = '\0';
	nm->len = len;
	nm->bad = NULL;
	memset(&nm->hp, 0, sizeof nm->hp);	/* read for a bad name too */
	/* A NUL inside a line is not part of any name. */
	if (memchr(text, '\0', len))
		nm->bad = "character not allowed in a host name";
	else if (ry_hostport_parse(nm->text, &nm->hp, &nm->bad) == 0)
		nm->bad = NULL;
	ns->n++;
	return 0;
}

static int read_names(FILE *f, struct names *ns)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;

	while ((len = getline(&line, &cap, f)) != -1) {
		size_t n;
		char *s = ry_list_line(line, (size_t)len, &n);
		if (s && (rc = add_name(ns, s, n)) != 0)
			break;
	}
	if (rc == 0 && ferror(f))
		rc = -EIO;
	free(line);
	return rc;
}

static void print_error(const struct name *nm, const char *why)
{
	ry_err("'%s': %s", ry_quote_n(nm->text, nm->len), why);
}

static void print_result(const struct opts *o, const struct name *nm,
			 const struct ry_lookup_result *res, struct ry_buf *b)
{
	char addr[RY_ADDRSTR_MAX];
	bool with_port = nm->hp.port[0] != '\0';
	size_t count = o->first && res->naddrs > 1 ? 1 : res->naddrs;
	const char *why = nm->bad ? nm->bad : res->status ? res->why : NULL;

	if (o->json) {
		ry_buf_reset(b);
		ry_json_begin(b);
		ry_json_str(b, "name", nm->text, nm->len);
		if (res->naddrs > 0 && with_port) {
			/* The number, also when a service name was given. */
			ry_json_int(b, "port", ry_sockaddr_port((const struct sockaddr *)&res->addrs[0]));
		} else if (nm->hp.numeric_port) {
			ry_json_int(b, "port", atol(nm->hp.port));
		} else {
			ry_json_null(b, "port");
		}
		ry_json_array_begin(b, "addresses");
		for (size_t i = 0; i < count; i++) {
			ry_sockaddr_str((const struct sockaddr *)&res->addrs[i], false, addr, sizeof addr);
			ry_json_array_add(b, addr);
		}
		ry_json_array_end(b);
		ry_json_cstr(b, "error", why);
		ry_json_end(b);
		ry_buf_put_line(b);
	} else {
		for (size_t i = 0; i < count; i++) {
			ry_buf_reset(b);
			ry_buf_escape(b, nm->text, nm->len);
			ry_sockaddr_str((const struct sockaddr *)&res->addrs[i], with_port, addr, sizeof addr);
			ry_buf_addf(b, " %s", addr);
			ry_buf_put_line(b);
		}
	}
	if (why)
		print_error(nm, why);
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "first", no_argument, NULL, 'F' },
		{ "json", no_argument, NULL, 'J' },
		{ "keep-order", no_argument, NULL, 'k' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	/* 16 lookups in flight: measured against a local dnsmasq on 2 cores
	 * (make bench-resolve), 16 reaches the bare getaddrinfo ceiling,
	 * 32 is 5-10% slower, 64 10-15%, and past about 128 (two queries
	 * each) dnsmasq's socket buffer overflows and glibc waits 5 s to
	 * retry.  A slow remote resolver wants a larger -j. */
	*o = (struct opts){ .family = AF_UNSPEC, .jobs = 16, .timeout = 5 };
	while ((c = ry_getopt(argc, argv, "46kj:t:qh", longopts)) != -1) {
		switch (c) {
		case '4':
		case '6':
			if (o->family != AF_UNSPEC && o->family != (c == '4' ? AF_INET : AF_INET6)) {
				ry_err("-4 and -6 exclude each other");
				return 2;
			}
			o->family = c == '4' ? AF_INET : AF_INET6;
			break;
		case 'F':
			o->first = true;
			break;
		case 'J':
			o->json = true;
			break;
		case 'k':
			o->keep_order = true;
			break;
		case 'j':
			if (ry_opt_ulong("-j/--jobs", optarg, 1, 1024, &o->jobs))
				return 2;
			break;
		case 't':
			if (ry_opt_seconds("-t/--timeout", optarg, 0.001, 3600, &o->timeout))
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
	return -1;
}

static int gather(int argc, char **argv, struct names *ns)
{
	bool used_stdin = false;
	int rc = 0;

	if (optind == argc) {
		if (isatty(STDIN_FILENO)) {
			ry_err("no names given (see 'rustyc resolve --help')");
			return 2;
		}
		if ((rc = read_names(stdin, ns)) != 0) {
			ry_err("cannot read names from stdin: %s", ry_strerror(rc));
			return 2;
		}
		return 0;
	}
	for (int i = optind; i < argc && rc == 0; i++) {
		if (strcmp(argv[i], "-") == 0) {
			if (used_stdin)
				continue;
			used_stdin = true;
			rc = read_names(stdin, ns);
		} else {
			rc = add_name(ns, argv[i], strlen(argv[i]));
		}
	}
	if (rc) {
		ry_err("cannot read names: %s", ry_strerror(rc));
		return 2;
	}
	return 0;
}

/* glibc's resolver retries for 5 s x 2 per server unless told otherwise;
 * bound it by our own timeout so that abandoned lookups end too.  A
 * RES_OPTIONS the user set wins. */
static void bound_resolver_retries(double timeout)
{
	char opt[64];

	if (getenv("RES_OPTIONS"))
		return;

	int secs = (int)timeout;

	if (secs < timeout || secs == 0)
		secs++;		/* round up: glibc counts whole seconds */
	snprintf(opt, sizeof opt, "timeout:%d attempts:1", secs);
	setenv("RES_OPTIONS", opt, 1);
}


int cmd_resolve(int argc, char **argv)
{
	struct opts o;
	struct names ns = { 0 };
	int rc = parse(argc, argv, &o);

	if (rc >= 0)
		return rc;

	int64_t t0 = ry_now_ns();
	struct ry_lookup *q = NULL;
	size_t *slot = NULL;			/* query -> name */
	struct ry_lookup_result *held = NULL;
	bool *ready = NULL;
	struct ry_resolver *r = NULL;
	struct ry_buf b;

	ry_buf_init(&b);
	if ((rc = gather(argc, argv, &ns)) != 0)
		goto out;
	rc = 2;
	q = calloc(ns.n ? ns.n : 1, sizeof *q);
	slot = calloc(ns.n ? ns.n : 1, sizeof *slot);
	if (o.keep_order) {
		held = calloc(ns.n ? ns.n : 1, sizeof *held);
		ready = calloc(ns.n ? ns.n : 1, sizeof *ready);
	}
	if (!q || !slot || (o.keep_order && (!held || !ready))) {
		ry_err("out of memory for %zu names", ns.n);
		goto out;
	}
	size_t nq = 0;
	for (size_t i = 0; i < ns.n; i++) {
		if (ns.v[i].bad)
			continue;
		q[nq] = (struct ry_lookup){ ns.v[i].hp.host, ns.v[i].hp.port, o.family };
		slot[nq++] = i;
	}
	bound_resolver_retries(o.timeout);
	r = ry_resolver_start(q, nq, (unsigned)o.jobs, (int64_t)(o.timeout * 1e9));
	if (!r) {
		ry_err("cannot start the resolver: %s", strerror(errno));
		goto out;
	}
	/* SIGINT or SIGTERM: stop waiting, print what was resolved, 128+sig. */
	ry_stop_catch();
	ry_resolver_set_stop(r, &ry_stop_flag);

	struct ry_progress bar;
	struct ry_lookup_result res;
	size_t finished = 0, failed = 0, next_out = 0;
	bool tty_out = isatty(STDOUT_FILENO);

	ry_progress_init(&bar, ns.n, 500, "names");
	/* Names that did not parse are results too, at once. */
	for (size_t i = 0; i < ns.n; i++) {
		if (!ns.v[i].bad)
			continue;
		memset(&res, 0, sizeof res);
		res.status = RY_EBADADDR;
		if (o.keep_order) {
			held[i] = res;
			ready[i] = true;
		} else {
			print_result(&o, &ns.v[i], &res, &b);
		}
		failed++;
		finished++;
	}
	for (;;) {
		if (o.keep_order) {
			while (next_out < ns.n && ready[next_out]) {
				if (tty_out)
					ry_progress_clear(&bar);
				print_result(&o, &ns.v[next_out], &held[next_out], &b);
				ry_lookup_result_free(&held[next_out]);
				next_out++;
			}
		}
		ry_progress_update(&bar, finished);
		if (ry_resolver_next(r, &res) != 0)
			break;
		assert(res.index < nq);	/* the resolver's contract */
		size_t i = slot[res.index];
		finished++;
		failed += res.status != 0;
		if (o.keep_order) {
			held[i] = res;
			ready[i] = true;
			continue;
		}
		if (tty_out)
			ry_progress_clear(&bar);
		print_result(&o, &ns.v[i], &res, &b);
		ry_lookup_result_free(&res);
	}
	ry_progress_clear(&bar);
	/* Stuck lookups are left to end on their own; exit does not wait. */
	ry_resolver_free(r);
	bool stopped = ry_stop_status() != 0;
	if (!o.quiet)
		fprintf(stderr, "%zu names, %zu resolved, %zu failed, %.2f s%s\n", ns.n,
			finished - failed, failed, (ry_now_ns() - t0) / 1e9,
			stopped ? " (interrupted)" : "");
	rc = stopped ? ry_stop_status() : failed ? 1 : 0;
out:
	for (size_t i = 0; i < ns.n; i++)
		free(ns.v[i].text);
	free(ns.v);
	free(q);
	free(slot);
	free(held);
	free(ready);
	ry_buf_destroy(&b);
	return rc;
}
