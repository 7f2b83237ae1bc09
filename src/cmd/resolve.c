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
#include "core/reorder.h"
#include "net/addr.h"
#include "net/resolve.h"
#include "util/diag.h"
#include "util/opt.h"
#include "util/out.h"
#include "util/progress.h"
#include "util/stop.h"
#include "util/time.h"

struct opts {
	int family;
	bool v4, v6, first, json, keep_order, quiet;
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

static int take_name(void *ctx, char *s, size_t n, size_t lineno)
{
	return add_name(ctx, s, n);
}

static void print_result(const struct opts *o, const struct name *nm,
			 const struct ry_lookup_result *res, struct ry_rec *rec)
{
	char addr[RY_ADDRSTR_MAX];
	bool with_port = nm->hp.port[0] != '\0';
	size_t count = o->first && res->naddrs > 1 ? 1 : res->naddrs;
	const char *why = nm->bad ? nm->bad : res->status ? res->why : NULL;

	/* JSON: one object per name, its addresses in a list; plain: one
	 * NAME ADDR line per address (none for a name that failed). */
	for (size_t i = 0; i < (o->json ? 1 : count); i++) {
		ry_rec_begin(rec);
		ry_rec_str(rec, "name", nm->text, nm->len, 0);
		if (!o->json) {
			ry_sockaddr_str((const struct sockaddr *)&res->addrs[i], with_port, addr, sizeof addr);
			ry_rec_cstr(rec, "address", addr, 0);
			ry_rec_put(rec);
			continue;
		}
		if (res->naddrs > 0 && with_port)	/* the number, also for a service */
			ry_rec_int(rec, "port", ry_sockaddr_port((const struct sockaddr *)&res->addrs[0]), 0);
		else if (nm->hp.numeric_port)
			ry_rec_int(rec, "port", atol(nm->hp.port), 0);
		else
			ry_rec_null(rec, "port");
		ry_rec_list_begin(rec, "addresses", 0);
		for (size_t k = 0; k < count; k++) {
			ry_sockaddr_str((const struct sockaddr *)&res->addrs[k], false, addr, sizeof addr);
			ry_rec_list_add(rec, addr);
		}
		ry_rec_list_end(rec);
		ry_rec_cstr(rec, "error", why, 0);
		ry_rec_put(rec);
	}
	if (why)
		ry_err("'%s': %s", ry_quote_n(nm->text, nm->len), why);
}

static int parse(int argc, char **argv, struct opts *o, int *args)
{
	const struct ry_opt opts[] = {
		RY_OPT_F('4', "ipv4", &o->v4, "IPv4 addresses only"),
		RY_OPT_F('6', "ipv6", &o->v6, "IPv6 addresses only"),
		RY_OPT_F(0, "first", &o->first, "only the first address of each name"),
		RY_OPT_F(0, "json", &o->json, "one JSON object per name: name, port, addresses, error"),
		RY_OPT_F('k', "keep-order", &o->keep_order, "print in input order (each as soon as it is next)"),
		RY_OPT_N('j', "jobs", &o->jobs, "N", 1, 1024, "lookups in flight (default 16)"),
		RY_OPT_SECS('t', "timeout", &o->timeout, 0.001, 3600, "give up on a name after SECS (default 5)"),
		RY_OPT_F('q', "quiet", &o->quiet, "no summary line on stderr"),
	};
	const struct ry_cmdline cl = {
		.synopsis = "NAME[:PORT]... | -",
		.about =
"Resolves names in parallel and prints one line per address: NAME ADDR,\n"
"with ADDR as ip:port or [ip]:port when a port was given.  Names come\n"
"from the arguments, and from stdin for '-' (or with no arguments when\n"
"stdin is not a terminal), one per line; blank lines and #comments are\n"
"skipped.  Forms: host, host:port, host:service, 1.2.3.4[:port], ::1,\n"
"[::1]:port, [fe80::1%lo]:port.\n",
		.opts = opts, .nopts = sizeof opts / sizeof opts[0], .max_args = -1,
		.footer = "Exit status: 0 all names resolved, 1 some did not, 2 usage error.\n",
	};
	int rc;

	/* 16 lookups in flight: measured against a local dnsmasq on 2 cores
	 * (make bench-resolve), 16 reaches the bare getaddrinfo ceiling,
	 * 32 is 5-10% slower, 64 10-15%, and past about 128 (two queries
	 * each) dnsmasq's socket buffer overflows and glibc waits 5 s to
	 * retry.  A slow remote resolver wants a larger -j. */
	*o = (struct opts){ .family = AF_UNSPEC, .jobs = 16, .timeout = 5 };
	if ((rc = ry_opt_parse(&cl, argc, argv, args)) >= 0)
		return rc;
	if (o->v4 && o->v6) {
		ry_err("-4 and -6 exclude each other");
		return 2;
	}
	o->family = o->v4 ? AF_INET : o->v6 ? AF_INET6 : AF_UNSPEC;
	return -1;
}

/* The state of one run: results arrive in completion order and leave
 * either at once or, with -k, through the reorder buffer. */
struct run {
	const struct opts *o;
	const struct names *ns;
	struct ry_reorder *held;	/* -k: results by name index */
	struct ry_rec rec;
	struct ry_progress bar;
	bool tty_out;
	size_t finished, failed;
};

static void emit(struct run *r, size_t i, struct ry_lookup_result *res)
{
	if (r->tty_out)
		ry_progress_clear(&r->bar);
	print_result(r->o, &r->ns->v[i], res, &r->rec);
	ry_lookup_result_free(res);
}

/* A result for name i: printed now, or held until its turn (-k). */
static void settle(struct run *r, size_t i, struct ry_lookup_result *res)
{
	r->finished++;
	r->failed += res->status != 0;
	if (!r->held) {
		emit(r, i, res);
		return;
	}
	if (ry_reorder_put(r->held, i, res) != 0) {
		ry_err("out of memory holding results for --keep-order");
		emit(r, i, res);	/* out of order rather than lost */
		return;
	}
	for (size_t next = ry_reorder_next(r->held); ry_reorder_pop(r->held, res); next++)
		emit(r, next, res);
}

/* Nothing else is ready: what was printed goes out now (a pipe or a
 * file alike: `tail -f` and `| while read` see each name as it ends). */
static void flush_results(void *ctx)
{
	struct run *r = ctx;

	(void)ry_out_flush();	/* an error is kept for the end */
	ry_progress_idle(&r->bar, r->finished);
}

static int lookup_all(struct run *r, struct ry_resolver *rv, const size_t *slot, size_t nq)
{
	const struct names *ns = r->ns;
	struct ry_lookup_result res;

	ry_progress_init(&r->bar, ns->n, 500, "names", r->o->quiet);
	/* Names that did not parse are results too, at once. */
	for (size_t i = 0; i < ns->n; i++) {
		if (!ns->v[i].bad)
			continue;
		memset(&res, 0, sizeof res);
		res.status = RY_EBADADDR;
		settle(r, i, &res);
	}
	for (;;) {
		ry_progress_update(&r->bar, r->finished);
		if (ry_resolver_next(rv, &res) != 0)
			break;
		assert(res.index < nq);	/* the resolver's contract */
		settle(r, slot[res.index], &res);
	}
	ry_progress_clear(&r->bar);
	return 0;
}

int cmd_resolve(int argc, char **argv)
{
	struct opts o;
	struct names ns = { 0 };
	int args, rc = parse(argc, argv, &o, &args);

	if (rc >= 0)
		return rc;

	int64_t t0 = ry_now_ns();
	struct ry_lookup *q = NULL;
	size_t *slot = NULL;			/* query -> name */
	struct ry_resolver *rv = NULL;
	struct run r = { .o = &o, .ns = &ns, .tty_out = isatty(STDOUT_FILENO) };

	ry_rec_init(&r.rec, o.json);
	struct cmd_operand_spec ops = { "names", true, take_name, &ns };
	if ((rc = cmd_operands(&ops, argc, argv, args)) != 0)
		goto out;
	rc = 2;
	q = calloc(ns.n ? ns.n : 1, sizeof *q);
	slot = calloc(ns.n ? ns.n : 1, sizeof *slot);
	if (o.keep_order)
		r.held = ry_reorder_new(sizeof(struct ry_lookup_result));
	if (!q || !slot || (o.keep_order && !r.held)) {
		ry_err("out of memory for %zu names", ns.n);
		goto out;
	}
	size_t nq = 0;
	for (size_t i = 0; i < ns.n; i++) {
		if (ns.v[i].bad)
			continue;
		q[nq] = (struct ry_lookup){ ns.v[i].hp.host, ns.v[i].hp.port, o.family, false };
		slot[nq++] = i;
	}
	rv = ry_resolver_start(q, nq, (unsigned)o.jobs, (int64_t)(o.timeout * 1e9));
	if (!rv) {
		ry_err("cannot start the resolver: %s", ry_strerror(-errno));
		goto out;
	}
	/* SIGINT or SIGTERM: stop waiting, print what was resolved, 128+sig. */
	(void)ry_stop_catch();
	ry_resolver_set_stop(rv, &ry_stop_flag);
	ry_resolver_set_idle(rv, flush_results, &r);
	lookup_all(&r, rv, slot, nq);
	/* Stuck lookups are left to end on their own; exit does not wait. */
	ry_resolver_free(rv);
	bool stopped = ry_stop_status() != 0;
	/* Results that did not reach stdout: no summary of success; main
	 * names the error. */
	rc = ry_out_flush();
	if (rc != 0 && rc != -EPIPE) {
		rc = 2;
		goto out;
	}
	if (!o.quiet)
		fprintf(stderr, "%zu name%s, %zu resolved, %zu failed, %.2f s%s\n", ns.n, ns.n == 1 ? "" : "s",
			r.finished - r.failed, r.failed, (ry_now_ns() - t0) / 1e9,
			stopped ? " (interrupted)" : "");
	rc = stopped ? ry_stop_status() : r.failed ? 1 : 0;
out:
	for (size_t i = 0; i < ns.n; i++)
		free(ns.v[i].text);
	free(ns.v);
	free(q);
	free(slot);
	if (r.held) {
		struct ry_lookup_result res;
		while (ry_reorder_pop(r.held, &res))
			ry_lookup_result_free(&res);
	}
	ry_reorder_free(r.held);
	ry_rec_destroy(&r.rec);
	return rc;
}
