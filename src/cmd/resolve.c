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
#include "net/names.h"
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

/* Addresses.  JSON: one object per name, its addresses in a list;
 * plain: one NAME ADDR line per address (none for a name that failed). */
static void print_addrs(const struct opts *o, struct ry_rec *rec, const struct ry_name_result *r)
{
	const struct ry_name_in *nm = r->nm;
	const struct ry_lookup_result *res = r->addrs;
	char addr[RY_ADDRSTR_MAX];
	bool with_port = nm->hp.port[0] != '\0';
	size_t count = o->first && res->naddrs > 1 ? 1 : res->naddrs;

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
		ry_rec_cstr(rec, "error", r->status ? r->why : NULL, 0);
		shard_field(o, rec);
		ry_rec_put(rec);
	}
}

/* Reverse: ADDR NAME per PTR name; JSON one object with a names list. */
static void print_ptrs(const struct opts *o, struct ry_rec *rec, const struct ry_name_result *r)
{
	for (size_t i = 0; i < (o->json ? 1 : r->nrr); i++) {
		ry_rec_begin(rec);
		name_fields(rec, r->nm);
		if (!o->json) {
			ry_rec_text(rec, "ptr", r->rr[i].text, r->rr[i].len, 0);
			shard_field(o, rec);
			ry_rec_put(rec);
			continue;
		}
		ry_rec_list_begin(rec, "names", 0);
		for (size_t k = 0; k < r->nrr; k++)
			ry_rec_list_add_n(rec, r->rr[k].text, r->rr[k].len);
		ry_rec_list_end(rec);
		ry_rec_cstr(rec, "error", r->status ? r->why : NULL, 0);
		shard_field(o, rec);
		ry_rec_put(rec);
	}
}

/* --type: NAME TYPE VALUE per record; JSON one object per record, or one
 * with the error. */
static void print_records(const struct opts *o, struct ry_rec *rec, const struct ry_name_result *r)
{
	for (size_t i = 0; i < r->nrr; i++) {
		ry_rec_begin(rec);
		name_fields(rec, r->nm);
		ry_dns_rr_fields(rec, &r->rr[i]);
		shard_field(o, rec);
		ry_rec_put(rec);
	}
	if (r->nrr == 0 && o->json) {
		ry_rec_begin(rec);
		name_fields(rec, r->nm);
		ry_rec_null(rec, "type");
		ry_rec_cstr(rec, "error", r->why, 0);
		shard_field(o, rec);
		ry_rec_put(rec);
	}
}

static int parse(int argc, char **argv, struct opts *o, int *args)
{
	char type_help[160];

	snprintf(type_help, sizeof type_help, "records of TYPE instead of addresses (repeatable, or\n"
		 "TYPE,TYPE): %s", ry_dns_type_list());
	const struct ry_opt opts[] = {
		RY_OPT_F('4', "ipv4", &o->v4, "IPv4 addresses only"),
		RY_OPT_F('6', "ipv6", &o->v6, "IPv6 addresses only"),
		RY_OPT_F('x', "reverse", &o->reverse, "every name is an address: look up its PTR names"),
		RY_OPT_L(0, "type", &o->typelist, "TYPE", type_help),
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


/* What the results print through: the bar, and what was flushed. */
struct printer {
	const struct opts *o;
	struct ry_rec rec;
	struct ry_progress bar;		/* total: the names read so far */
	bool tty_out;
	size_t printed, flushed;
};

static void on_result(void *ctx, const struct ry_name_result *r)
{
	struct printer *p = ctx;

	if (p->tty_out)
		ry_progress_clear(&p->bar);
	switch (r->shape) {
	case RY_RESULT_ADDRS:
		print_addrs(p->o, &p->rec, r);
		break;
	case RY_RESULT_PTRS:
		print_ptrs(p->o, &p->rec, r);
		break;
	case RY_RESULT_RECORDS:
		print_records(p->o, &p->rec, r);
		break;
	}
	if (r->status)
		ry_err("'%s': %s", ry_quote_n(r->nm->text, r->nm->len), r->why);
	p->printed++;
}

/* Nothing else is ready: what was printed goes out now (a pipe or a
 * file alike: `tail -f` and `| while read` see each name as it ends);
 * the bar counts against the names read so far (exact once the input
 * ends) and appears once there are 500 of them. */
static void on_idle(void *ctx, const struct ry_names_stats *st)
{
	struct printer *p = ctx;

	if (p->printed != p->flushed) {
		(void)ry_out_flush();	/* an error is kept for the end */
		p->flushed = p->printed;
	}
	p->bar.total = st->read;
	if (st->read >= 500)
		ry_progress_idle(&p->bar, st->finished);
}

static void summary(const struct opts *o, const struct ry_name_plan *p, const struct ry_names_stats *st,
		    int64_t t0, bool stopped)
{
	size_t prev = p->prev_ok + p->prev_failed, n = st->taken + prev;

	if (o->shard.n)
		fprintf(stderr, "shard %llu/%llu (%zu of %zu names): ", (unsigned long long)o->shard.k,
			(unsigned long long)o->shard.n, p->share, p->seen);
	if (prev)
		fprintf(stderr, "%zu resumed, ", prev);
	fprintf(stderr, "%zu name%s, %zu resolved, %zu failed, %.2f s%s\n", n, n == 1 ? "" : "s",
		st->finished - st->failed + p->prev_ok, st->failed + p->prev_failed,
		(ry_now_ns() - t0) / 1e9, stopped ? " (interrupted)" : "");
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

static int run(const struct opts *o, int argc, char **argv, int args)
{
	struct ry_linesrc src;
	struct ry_name_plan plan;
	struct printer p = { .o = o, .tty_out = isatty(STDOUT_FILENO) };
	struct ry_names_stats st;
	int64_t t0 = ry_now_ns();
	int rc;

	if (args == argc && isatty(STDIN_FILENO)) {
		ry_err("no names given (see 'rustyc resolve --help')");
		return 2;
	}
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
	ry_rec_init(&p.rec, o->json);
	const struct ry_names_config cfg = {
		.family = o->family, .reverse = o->reverse, .types = o->types, .ntypes = o->ntypes,
		.system = o->system, .keep_order = o->keep_order, .servers = o->server_csv,
		.jobs = (unsigned)o->jobs, .timeout_ns = (int64_t)(o->timeout * 1e9), .src = &src,
		.plan = &plan, .stop = &ry_stop_flag,
	};
	const struct ry_names_sink sink = { on_result, on_idle, &p };
	/* SIGINT or SIGTERM: stop, print what was resolved, 128+sig. */
	(void)ry_stop_catch();
	ry_progress_init(&p.bar, 0, 0, "names", o->quiet);
	int err = ry_names_run(&cfg, &sink, &st);
	ry_progress_clear(&p.bar);
	bool stopped = ry_stop_status() != 0;
	if (err)
		ry_err("%s: %s", st.what, st.detail ? st.detail : ry_strerror(err));
	if (st.unordered)
		ry_err("out of memory holding results for --keep-order: %zu printed out of order", st.unordered);
	rc = 2;
	if (st.read == 0 && !stopped && !err) {
		ry_err("no names given (see 'rustyc resolve --help')");
		goto out;
	}
	/* --shard/--resume: the share's one summary record (JSON). */
	if (o->json && (o->shard.n || o->resume))
		ry_name_plan_summary(&plan, &p.rec, st.finished - st.failed, st.failed, stopped);
	/* Results that did not reach stdout: no summary of success; main
	 * names the error. */
	rc = ry_out_flush();
	if (rc != 0 && rc != -EPIPE) {
		rc = 2;
		goto out;
	}
	if (!o->quiet)
		summary(o, &plan, &st, t0, stopped);
	if (getenv("RUSTYC_DNS_STATS") && !o->system)
		fprintf(stderr, "dns: %llu queries, %llu retries, %llu from hosts, window %u, batch %u, "
			"%llu cuts\n", (unsigned long long)st.dns.queries, (unsigned long long)st.dns.retries,
			(unsigned long long)st.dns.from_hosts, st.dns.window, st.dns.max_batch,
			(unsigned long long)st.dns.cuts);
	rc = err ? 2 : stopped ? ry_stop_status() : st.failed + plan.prev_failed ? 1 : 0;
out:
	ry_linesrc_free(&src);
	ry_rec_destroy(&p.rec);
	ry_name_plan_free(&plan);
	return rc;
}

int cmd_resolve(int argc, char **argv)
{
	struct opts o;
	int args, rc = parse(argc, argv, &o, &args);

	if (rc < 0)
		rc = run(&o, argc, argv, args);
	opts_free(&o);
	return rc;
}
