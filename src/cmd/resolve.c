/*
 * rustyc resolve: parallel name resolution.  Two engines: the DNS engine
 * (net/dns, c-ares on one thread: thousands of names in flight, reverse
 * lookups, record types), the default; and with --system the tutorial's
 * ToSocketAddrs in a thread pool (net/resolve, getaddrinfo), for names
 * that only NSS knows.
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
#include "net/dns.h"
#include "net/idn.h"
#include "net/name_in.h"
#include "net/name_plan.h"
#include "net/gai.h"
#include "util/diag.h"
#include "util/linesrc.h"
#include "util/opt.h"
#include "util/out.h"
#include "util/priv.h"
#include "util/resume.h"
#include "util/progress.h"
#include "util/shard.h"
#include "util/stop.h"
#include "util/time.h"
#include "util/grow.h"

struct opts {
	int family;
	bool v4, v6, first, json, keep_order, quiet, system, reverse;
	unsigned long jobs;		/* 0: the engine's default */
	double timeout;
	struct ry_optlist servers, typelist;
	int types[RY_DNS_MAXTYPES];
	size_t ntypes;
	char *server_csv;
	const char *shard_text, *resume;
	struct ry_shard shard;		/* n == 0: not sharded */
};

/* --shard/--resume: the share's one summary record (JSON). */
static void plan_summary(const struct opts *o, const struct ry_name_plan *p, struct ry_rec *rec, size_t ok,
			 size_t failed, bool stopped)
{
	if (o->json && (o->shard.n || o->resume))
		ry_name_plan_summary(p, rec, ok, failed, stopped);
}

struct names {
	struct ry_name_in *v;
	size_t n, cap;
	bool only_reverse, with_types;	/* -x, --type */
};

static int add_name(struct names *ns, const char *text, size_t len)
{
	struct ry_name_in *v = ry_grow(ns->v, &ns->cap, ns->n + 1, sizeof *v, 64);

	if (!v)
		return -ENOMEM;
	ns->v = v;
	if (ry_name_in_init(&ns->v[ns->n], text, len, ns->only_reverse, ns->with_types) != 0)
		return -ENOMEM;
	ns->n++;
	return 0;
}

struct taking {
	struct names *ns;
	struct ry_name_plan *plan;
};

static int take_name(void *ctx, char *s, size_t n, size_t lineno)
{
	struct taking *tk = ctx;

	return ry_name_plan_take(tk->plan, s, n) ? add_name(tk->ns, s, n) : 0;
}

/* The name fields of a record.  Plain: the text as given.  JSON: "name"
 * is the host alone (its port is the "port" field), and "input" the text
 * as given wherever the two differ (a port, brackets, a bad name):
 * --resume keys records by input, else name (net/name_plan). */
static void name_fields(struct ry_rec *rec, const struct ry_name_in *nm)
{
	size_t hl = strlen(nm->hp.host);

	if (!rec->json || nm->bad || (hl == nm->len && memcmp(nm->hp.host, nm->text, hl) == 0)) {
		/* An international name is shown as given: it parsed, so
		 * IDNA accepted it (printable UTF-8, no control or bidi
		 * character). */
		if (!nm->bad && ry_idn_needed(nm->text))
			ry_rec_utf8(rec, "name", nm->text, nm->len, 0);
		else
			ry_rec_str(rec, "name", nm->text, nm->len, 0);
		return;
	}
	ry_rec_str(rec, "input", nm->text, nm->len, 0);
	ry_rec_str(rec, "name", nm->hp.host, hl, 0);
}

/* --shard: every JSON record says which share it is of. */
static void shard_field(const struct opts *o, struct ry_rec *rec)
{
	if (o->shard.n)
		ry_rec_int(rec, "shard", (long long)o->shard.k, RY_REC_JSON);
}

static void print_result(const struct opts *o, const struct ry_name_in *nm,
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
		name_fields(rec, nm);
		if (!o->json) {
			ry_sockaddr_str((const struct sockaddr *)&res->addrs[i], with_port, addr, sizeof addr);
			ry_rec_cstr(rec, "address", addr, 0);
			shard_field(o, rec);
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
		shard_field(o, rec);
		ry_rec_put(rec);
	}
	if (why)
		ry_err("'%s': %s", ry_quote_n(nm->text, nm->len), why);
}

/* Reverse: ADDR NAME per PTR name; JSON one object with a names list.
 * Both engines print through it. */
static void print_ptrs(const struct opts *o, struct ry_rec *rec, const struct ry_name_in *nm,
		       const struct ry_dns_rr *v, size_t n, const char *why)
{
	for (size_t i = 0; i < (o->json ? 1 : n); i++) {
		ry_rec_begin(rec);
		name_fields(rec, nm);
		if (!o->json) {
			ry_rec_text(rec, "ptr", v[i].text, v[i].len, 0);
			shard_field(o, rec);
			ry_rec_put(rec);
			continue;
		}
		ry_rec_list_begin(rec, "names", 0);
		for (size_t k = 0; k < n; k++)
			ry_rec_list_add_n(rec, v[k].text, v[k].len);
		ry_rec_list_end(rec);
		ry_rec_cstr(rec, "error", why, 0);
		shard_field(o, rec);
		ry_rec_put(rec);
	}
}

static int parse(int argc, char **argv, struct opts *o, int *args)
{
	const struct ry_opt opts[] = {
		RY_OPT_F('4', "ipv4", &o->v4, "IPv4 addresses only"),
		RY_OPT_F('6', "ipv6", &o->v6, "IPv6 addresses only"),
		RY_OPT_F('x', "reverse", &o->reverse, "every name is an address: look up its PTR names"),
		RY_OPT_L(0, "type", &o->typelist, "TYPE",
			 "records of TYPE instead of addresses (repeatable, or\n"
			 "TYPE,TYPE): A AAAA CNAME MX NS PTR SRV TXT SOA CAA"),
		RY_OPT_L(0, "server", &o->servers, "ADDR[:PORT]",
			 "ask this name server, not resolv.conf's (repeatable)"),
		RY_OPT_F(0, "system", &o->system, "the system resolver (getaddrinfo, getnameinfo: NSS)\n"
			 "on a thread pool instead of the DNS engine: no --type"),
		RY_OPT_F(0, "first", &o->first, "only the first address of each name"),
		RY_OPT_F(0, "json", &o->json, "JSON Lines: one object per name (per record with --type)"),
		RY_OPT_F('k', "keep-order", &o->keep_order, "print in input order (each as soon as it is next)"),
		RY_OPT_N('j', "jobs", &o->jobs, "N", 1, 100000,
			 "names in flight (default 256; 16 with --system)"),
		RY_OPT_SECS('t', "timeout", &o->timeout, 0.001, 3600,
			    "give up on a name SECS after its first query (default 5)"),
		RY_OPT_F('q', "quiet", &o->quiet, "no summary line on stderr"),
		RY_OPT_S(0, "shard", &o->shard_text, "K/N",
			 "look up share K (0 to N-1) of N, by a hash of each\n"
			 "name: copies with K = 0..N-1 cover every name once"),
		RY_OPT_S(0, "resume", &o->resume, "FILE",
			 "write JSON records to FILE; when it holds an\n"
			 "interrupted run's, continue it"),
	};
	const struct ry_cmdline cl = {
		.synopsis = "NAME[:PORT]... | -",
		.about =
"Resolves names in parallel and prints one line per address: NAME ADDR,\n"
"with ADDR as ip:port or [ip]:port when a port was given.  An address\n"
"given alone (or every name, with -x) is looked up in reverse: ADDR NAME\n"
"for each of its PTR names.  With --type, one line per record: NAME TYPE\n"
"VALUE.  Names come from the arguments, and from stdin for '-' (or with\n"
"no arguments when stdin is not a terminal), one per line, read as\n"
"lookups finish; blank lines and #comments are skipped.  Forms: host,\n"
"host:port, host:service, 1.2.3.4[:port], ::1, [::1]:port,\n"
"[fe80::1%lo]:port.  /etc/hosts is asked first, then DNS.\n",
		.opts = opts, .nopts = sizeof opts / sizeof opts[0], .max_args = -1,
		.footer = "Exit status: 0 all names resolved, 1 some did not, 2 usage error.\n",
	};
	int rc;

	*o = (struct opts){ .family = AF_UNSPEC, .timeout = 5 };
	if ((rc = ry_opt_parse(&cl, argc, argv, args)) >= 0)
		return rc;
	if (o->v4 && o->v6) {
		ry_err("-4 and -6 exclude each other");
		return 2;
	}
	o->family = o->v4 ? AF_INET : o->v6 ? AF_INET6 : AF_UNSPEC;
	const char *why;
	if (o->shard_text && ry_shard_parse(o->shard_text, &o->shard, &why) != 0) {
		ry_err("invalid value '%s' for --shard: %s", ry_quote(o->shard_text), why);
		return 2;
	}
	if (o->resume && (o->system || o->typelist.n)) {
		ry_err("--resume takes one record per name: not with %s", o->system ? "--system" : "--type");
		return 2;
	}
	if (o->resume)
		o->json = true;		/* FILE holds JSON records */
	for (size_t i = 0; i < o->typelist.n; i++) {
		int t = ry_dns_type_parse(o->typelist.v[i]);
		if (!t) {
			ry_err("invalid value '%s' for --type: one of %s", ry_quote(o->typelist.v[i]),
			       ry_dns_type_list());
			return 2;
		}
		if (o->ntypes == RY_DNS_MAXTYPES) {
			ry_err("too many types for --type (at most %d)", RY_DNS_MAXTYPES);
			return 2;
		}
		o->types[o->ntypes++] = t;
	}
	if (o->system && (o->ntypes || o->servers.n)) {
		ry_err("--system asks getaddrinfo and getnameinfo: it takes neither --type nor --server "
		       "(given: %s)", o->ntypes ? "--type" : "--server");
		return 2;
	}
	if (o->reverse && o->ntypes) {
		ry_err("-x and --type exclude each other (-x is --type PTR on an address)");
		return 2;
	}
	if (o->servers.n) {
		/* c-ares takes the list as one string of ADDR[:PORT] items. */
		struct ry_buf b;
		ry_buf_init(&b);
		for (size_t i = 0; i < o->servers.n; i++) {
			struct ry_hostport hp;
			struct ry_ipaddr ip;
			if (ry_hostport_parse(o->servers.v[i], &hp, &why) != 0 || ry_ipaddr_parse(hp.host, &ip) != 0 ||
			    (hp.port[0] && !hp.numeric_port)) {
				ry_err("invalid value '%s' for --server: give an address, optionally with a port "
				       "(127.0.0.1:53, [::1]:5353)", ry_quote(o->servers.v[i]));
				ry_buf_destroy(&b);
				return 2;
			}
			ry_buf_addf(&b, "%s%s", i ? "," : "", o->servers.v[i]);
		}
		o->server_csv = b.oom ? NULL : strndup(b.p, b.len);
		ry_buf_destroy(&b);
		if (!o->server_csv) {
			ry_err("out of memory");
			return 2;
		}
	}
	/* 16 lookups in flight for the thread pool: measured against a local
	 * dnsmasq on 2 cores (make bench-resolve), 16 reaches the bare
	 * getaddrinfo ceiling; past about 128 dnsmasq drops queries and
	 * glibc waits to retry.  The DNS engine's default: see the man page
	 * and bench/run-resolve.sh. */
	if (!o->jobs)
		o->jobs = o->system ? 16 : 256;
	else if (o->system && o->jobs > 1024) {
		ry_err("invalid value '%lu' for --jobs: must be from 1 to 1024 with --system", o->jobs);
		return 2;
	}
	return -1;
}

static void opts_free(struct opts *o)
{
	ry_optlist_free(&o->servers);
	ry_optlist_free(&o->typelist);
	free(o->server_csv);
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
	const struct ry_name_in *nm = &r->ns->v[i];
	if (nm->kind == RY_NAME_REVERSE) {
		/* getnameinfo gives one name, as the DNS engine's records. */
		struct ry_dns_rr one = { .type = RY_DNS_PTR, .text = res->name,
					 .len = res->name ? strlen(res->name) : 0 };
		print_ptrs(r->o, &r->rec, nm, &one, res->name ? 1 : 0, res->status ? res->why : NULL);
		if (res->status)
			ry_err("'%s': %s", ry_quote_n(nm->text, nm->len), res->why);
	} else {
		print_result(r->o, nm, res, &r->rec);
	}
	ry_lookup_result_free(res);
}

static void emit_cb(void *ctx, size_t i, void *res)
{
	emit(ctx, i, res);
}

/* A result for name i: printed now, or held until its turn (-k). */
static void settle(struct run *r, size_t i, struct ry_lookup_result *res)
{
	r->finished++;
	r->failed += res->status != 0;
	if (ry_reorder_settle(r->held, i, res, emit_cb, r) != 0)
		ry_err("out of memory holding results for --keep-order");
}

static void drop_result(void *ctx, void *res)
{
	ry_lookup_result_free(res);
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

static void summary(const struct opts *o, const struct ry_name_plan *p, size_t n, size_t ok, size_t failed,
		    int64_t t0, bool stopped)
{
	size_t prev = p->prev_ok + p->prev_failed;

	if (o->shard.n)
		fprintf(stderr, "shard %llu/%llu (%zu of %zu names): ", (unsigned long long)o->shard.k,
			(unsigned long long)o->shard.n, p->share, p->seen);
	if (prev)
		fprintf(stderr, "%zu resumed, ", prev);
	n += prev;
	fprintf(stderr, "%zu name%s, %zu resolved, %zu failed, %.2f s%s\n", n, n == 1 ? "" : "s",
		ok + p->prev_ok, failed + p->prev_failed, (ry_now_ns() - t0) / 1e9,
		stopped ? " (interrupted)" : "");
}

/* resolve needs no privilege: a root run gives up every capability
 * before it reads a byte from the network (after --resume has rewritten
 * its file, which may be another user's, with its owner kept).  0, or 2
 * after a message. */
static int drop_privileges(void)
{
	int rc = ry_priv_drop_all();

	if (rc != 0)
		ry_err("cannot give up privileges: %s", ry_strerror(rc));
	return rc ? 2 : 0;
}

/* --system: every name read first, then looked up on the pool. */
static int run_system(const struct opts *op, int argc, char **argv, int args)
{
	struct opts o = *op;
	struct names ns = { .only_reverse = op->reverse, .with_types = op->ntypes > 0 };
	int rc;

	int64_t t0 = ry_now_ns();
	struct ry_lookup *q = NULL;
	size_t *slot = NULL;			/* query -> name */
	struct ry_resolver *rv = NULL;
	struct run r = { .o = &o, .ns = &ns, .tty_out = isatty(STDOUT_FILENO) };

	if (drop_privileges() != 0)
		return 2;
	ry_rec_init(&r.rec, o.json);
	struct ry_name_plan plan;
	(void)ry_name_plan_open(&plan, &o.shard, NULL);	/* no file: cannot fail */
	struct taking tk = { &ns, &plan };
	struct cmd_operand_spec ops = { "names", true, take_name, &tk };
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
		const struct ry_name_in *nm = &ns.v[i];
		if (nm->kind == RY_NAME_BAD)
			continue;
		q[nq] = (struct ry_lookup){ .host = nm->hp.host, .port = nm->hp.port, .family = o.family,
					    .reverse = nm->kind == RY_NAME_REVERSE };
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
	plan_summary(&o, &plan, &r.rec, r.finished - r.failed, r.failed, stopped);
	if ((rc = ry_out_flush()) != 0 && rc != -EPIPE) {
		rc = 2;
		goto out;
	}
	if (!o.quiet)
		summary(&o, &plan, ns.n, r.finished - r.failed, r.failed, t0, stopped);
	rc = stopped ? ry_stop_status() : r.failed ? 1 : 0;
out:
	for (size_t i = 0; i < ns.n; i++)
		ry_name_in_free(&ns.v[i]);
	free(ns.v);
	free(q);
	free(slot);
	struct ry_lookup_result left;
	ry_reorder_drain(r.held, &left, drop_result, NULL);
	ry_reorder_free(r.held);
	ry_rec_destroy(&r.rec);
	return rc;
}

/* ---- the DNS engine: names streamed in, answers out as they come ---- */

/* A name on its way through the engine. */
struct item {
	size_t index;
	struct ry_name_in nm;
	struct ry_dns_answer ans;
	bool has_lit;			/* an address with a port: */
	struct ry_lookup_result lit;	/* what getaddrinfo made of it */
};

struct dns_run {
	const struct opts *o;
	struct ry_reorder *held;	/* -k: struct item * by index */
	struct ry_rec rec;
	struct ry_progress bar;		/* total: the names read so far */
	bool tty_out;
	size_t finished, failed, printed;
};

static void item_free(struct item *it)
{
	if (it->has_lit)
		ry_lookup_result_free(&it->lit);
	ry_dns_rrset_free(&it->ans.rrs);
	ry_name_in_free(&it->nm);
	free(it);
}

/* Addresses: the answer as the pool's result, so both engines print
 * through print_result. */
static void print_addresses(struct dns_run *r, struct item *it)
{
	struct ry_lookup_result res;

	if (it->has_lit) {
		print_result(r->o, &it->nm, &it->lit, &r->rec);
		return;
	}
	ry_name_in_addresses(&it->nm, &it->ans, &res);
	print_result(r->o, &it->nm, &res, &r->rec);
	ry_lookup_result_free(&res);
}

/* Reverse: ADDR NAME per PTR name; JSON one object with a names list. */
static void print_names(struct dns_run *r, struct item *it)
{
	print_ptrs(r->o, &r->rec, &it->nm, it->ans.rrs.v, it->ans.rrs.n, it->ans.why);
}

/* --type: NAME TYPE VALUE per record; JSON one object per record, or one
 * with the error. */
static void print_records(struct dns_run *r, struct item *it)
{
	const struct ry_dns_rrset *set = &it->ans.rrs;

	for (size_t i = 0; i < set->n; i++) {
		ry_rec_begin(&r->rec);
		name_fields(&r->rec, &it->nm);
		ry_dns_rr_fields(&r->rec, &set->v[i]);
		shard_field(r->o, &r->rec);
		ry_rec_put(&r->rec);
	}
	if (set->n == 0 && r->o->json) {
		ry_rec_begin(&r->rec);
		name_fields(&r->rec, &it->nm);
		ry_rec_null(&r->rec, "type");
		ry_rec_cstr(&r->rec, "error", it->ans.why, 0);
		shard_field(r->o, &r->rec);
		ry_rec_put(&r->rec);
	}
}

static void dns_emit(struct dns_run *r, struct item *it)
{
	if (r->tty_out)
		ry_progress_clear(&r->bar);
	if (it->nm.bad) {
		it->ans.status = RY_EBADADDR;
		it->ans.why = it->nm.bad;
	}
	bool records = r->o->ntypes && it->nm.kind != RY_NAME_BAD;
	if (it->nm.kind == RY_NAME_REVERSE)
		print_names(r, it);
	else if (records)
		print_records(r, it);
	else
		print_addresses(r, it);
	/* print_result names the failure of an address lookup itself. */
	if (it->ans.status && (it->nm.kind == RY_NAME_REVERSE || records))
		ry_err("'%s': %s", ry_quote_n(it->nm.text, it->nm.len), it->ans.why);
	r->printed++;
	item_free(it);
}

static void dns_emit_cb(void *ctx, size_t index, void *it)
{
	dns_emit(ctx, *(struct item **)it);
}

static void dns_settle(struct dns_run *r, struct item *it)
{
	r->finished++;
	r->failed += it->nm.bad || it->ans.status != 0;
	if (ry_reorder_settle(r->held, it->index, &it, dns_emit_cb, r) != 0)
		ry_err("out of memory holding results for --keep-order");
}

static void drop_item(void *ctx, void *it)
{
	item_free(*(struct item **)it);
}

static void dns_done(void *ctx, void *user, struct ry_dns_answer *ans)
{
	struct item *it = user;

	it->ans = *ans;
	memset(&ans->rrs, 0, sizeof ans->rrs);	/* the item owns them now */
	dns_settle(ctx, it);
}

/* Parses one name and hands it to the engine (or settles it at once:
 * a bad name, or an endpoint, which getaddrinfo makes without a query). */
static int dns_take(struct dns_run *r, struct ry_dns *d, const char *text, size_t len, size_t index)
{
	struct item *it = calloc(1, sizeof *it);

	if (!it || ry_name_in_init(&it->nm, text, len, r->o->reverse, r->o->ntypes > 0) != 0) {
		free(it);
		return -ENOMEM;
	}
	it->index = index;
	const struct ry_hostport *hp = &it->nm.hp;
	switch (it->nm.kind) {
	case RY_NAME_BAD:
		dns_settle(r, it);
		return 0;
	case RY_NAME_ENDPOINT: {
		struct ry_lookup lq = { .host = hp->host, .port = hp->port[0] ? hp->port : NULL,
					.family = r->o->family };
		ry_lookup_one(&lq, &it->lit);
		it->has_lit = true;
		it->ans.status = it->lit.status;
		it->ans.why = it->lit.why;
		dns_settle(r, it);
		return 0;
	}
	case RY_NAME_REVERSE:
	case RY_NAME_FORWARD:
		break;
	}
	struct ry_dns_query q = {
		.name = hp->host, .reverse = it->nm.kind == RY_NAME_REVERSE, .family = r->o->family,
		.types = r->o->ntypes ? r->o->types : NULL, .ntypes = r->o->ntypes, .user = it,
	};
	int rc = ry_dns_submit(d, &q);
	if (rc != 0) {
		it->ans.status = rc;
		it->ans.why = rc == -ENOMEM ? "out of memory" : "cannot be looked up";
		dns_settle(r, it);
	}
	return 0;
}

/* The names' way into the engine: read as it has room, each this copy's
 * (the plan) handed to dns_take. */
struct feeding {
	struct dns_run *r;
	struct ry_linesrc *src;
	struct ry_name_plan *plan;
	size_t index;			/* names taken */
	size_t printed;			/* r->printed at the last flush */
};

static int fill(void *ctx, struct ry_dns *d, bool readable)
{
	struct feeding *fd = ctx;
	struct ry_linesrc *src = fd->src;

	if (readable && (src->err = ry_linesrc_fill(src)) != 0) {
		ry_err("cannot read names from stdin: %s", ry_strerror(src->err));
		return RY_DNS_FEED_END;
	}
	while (ry_dns_room(d) > 0) {
		char *text;
		size_t n;
		int got = ry_linesrc_next(src, &text, &n);
		if (got < 0)
			return RY_DNS_FEED_END;
		if (got == 0)
			return RY_DNS_FEED_WAIT;
		if (!ry_name_plan_take(fd->plan, text, n))
			continue;	/* another copy's, or settled before */
		if (dns_take(fd->r, d, text, n, fd->index++) != 0) {
			ry_err("out of memory after %zu names", fd->index);
			src->err = -ENOMEM;
			return RY_DNS_FEED_END;
		}
	}
	return RY_DNS_FEED_MORE;
}

/* Each answer out as it comes (a pipe or a file alike), and the bar. */
static void idle(void *ctx)
{
	struct feeding *fd = ctx;
	struct dns_run *r = fd->r;

	if (r->printed != fd->printed) {
		(void)ry_out_flush();
		fd->printed = r->printed;
	}
	r->bar.total = fd->src->items;
	if (fd->src->items >= 500)
		ry_progress_idle(&r->bar, r->finished);
}

static int run_dns(const struct opts *o, int argc, char **argv, int args)
{
	struct ry_linesrc src;
	struct dns_run r = { .o = o, .tty_out = isatty(STDOUT_FILENO) };
	const struct ry_dns_config cfg = {
		.servers = o->server_csv, .jobs = (unsigned)o->jobs,
		.timeout_ns = (int64_t)(o->timeout * 1e9),
	};
	const char *why;
	int64_t t0 = ry_now_ns();
	int rc = 2;

	if (args == argc && isatty(STDIN_FILENO)) {
		ry_err("no names given (see 'rustyc resolve --help')");
		return 2;
	}
	struct ry_name_plan plan;
	if (ry_name_plan_open(&plan, &o->shard, o->resume) != 0) {
		char msg[512];
		ry_resume_message(&plan.done.err, o->resume, msg, sizeof msg);
		ry_err("%s", msg);
		return 2;
	}
	if (drop_privileges() != 0) {
		ry_name_plan_free(&plan);
		return 2;
	}
	ry_linesrc_init(&src, argv, argc, args, STDIN_FILENO);
	ry_rec_init(&r.rec, o->json);
	if (o->keep_order && !(r.held = ry_reorder_new(sizeof(struct item *)))) {
		ry_err("out of memory");
		goto out;
	}
	struct ry_dns *d = ry_dns_new(&cfg, dns_done, &r, &why);
	if (!d) {
		ry_err("cannot start the DNS engine: %s", why);
		goto out;
	}
	/* SIGINT or SIGTERM: stop, print what was resolved, 128+sig. */
	(void)ry_stop_catch();
	/* The bar counts against the names read so far (exact once stdin
	 * ends), and appears once there are 500 of them. */
	ry_progress_init(&r.bar, 0, 0, "names", o->quiet);
	struct feeding fd = { .r = &r, .src = &src, .plan = &plan };
	const struct ry_dns_feed feed = {
		.fill = fill, .idle = idle, .ctx = &fd, .fd = STDIN_FILENO, .stop = &ry_stop_flag,
	};
	int err = ry_dns_drive(d, &feed);
	if (err < 0) {
		ry_err("the DNS engine failed: %s", ry_strerror(err));
		src.err = err;
	}
	size_t index = fd.index;
	ry_progress_clear(&r.bar);
	bool stopped = ry_stop_status() != 0;
	if (getenv("RUSTYC_DNS_STATS")) {
		struct ry_dns_stats st;
		ry_dns_stats(d, &st);
		fprintf(stderr, "dns: %llu queries, %llu retries, %llu from hosts, window %u, batch %u, "
			"%llu cuts\n", (unsigned long long)st.queries, (unsigned long long)st.retries,
			(unsigned long long)st.from_hosts, st.window, st.max_batch,
			(unsigned long long)st.cuts);
	}
	ry_dns_free(d);
	if (src.items == 0 && !stopped && !src.err) {
		ry_err("no names given (see 'rustyc resolve --help')");
		goto out;
	}
	plan_summary(o, &plan, &r.rec, r.finished - r.failed, r.failed, stopped);
	rc = ry_out_flush();
	if (rc != 0 && rc != -EPIPE) {
		rc = 2;
		goto out;
	}
	if (!o->quiet)
		summary(o, &plan, index, r.finished - r.failed, r.failed, t0, stopped);
	rc = src.err ? 2 : stopped ? ry_stop_status() : r.failed + plan.prev_failed ? 1 : 0;
out:;
	struct item *left;	/* a stopped run's results still held (-k) */
	ry_reorder_drain(r.held, &left, drop_item, NULL);
	ry_reorder_free(r.held);
	ry_linesrc_free(&src);
	ry_rec_destroy(&r.rec);
	ry_name_plan_free(&plan);
	return rc;
}

int cmd_resolve(int argc, char **argv)
{
	struct opts o;
	int args, rc = parse(argc, argv, &o, &args);

	if (rc < 0)
		rc = o.system ? run_system(&o, argc, argv, args) : run_dns(&o, argc, argv, args);
	opts_free(&o);
	return rc;
}
