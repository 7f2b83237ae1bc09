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
#include <unistd.h>

#include "cmd/cmd.h"
#include "net/sweep.h"
#include "net/sweep_job.h"
#include "net/sweep_record.h"
#include "net/target.h"
#include "net/target_in.h"
#include "util/diag.h"
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
	struct ry_sweep_config cfg;
	bool latency, alive, unreachable, all, any, sort, json, quiet, rdns, v4, v6;
	int family;			/* of names: AF_UNSPEC, AF_INET, AF_INET6 */
	unsigned long max_hosts, retries, rate, jobs, count, count_all;
	double timeout, period;
	const char *method;
	/* Scale-out: --shard K/N, --seed, --no-shuffle, --resume FILE. */
	const char *shard_text, *seed_text, *resume;
	struct ry_shard shard;		/* n == 0: not sharded */
	bool seed_given, no_shuffle;
	uint64_t seed;
};

struct run {
	const struct opts *o;
	struct ry_sweep_job job;
	struct ry_sweep_record_form form;
	bool dirty, tty_out;	/* dirty: printed since the last flush */
	struct ry_rec rec;
	struct ry_progress bar;
};

/* Target i's record, now (the bar is cleared first on a terminal). */
static void print_target(struct run *r, size_t i, bool count)
{
	struct ry_sweep_view v;

	ry_sweep_job_view(&r->job, i, ry_stop_status() != 0, &v);
	if (r->tty_out)
		ry_progress_clear(&r->bar);
	if (count)
		ry_sweep_record_count(&r->rec, &v, &r->form);
	else
		ry_sweep_record_target(&r->rec, &v, &r->form);
	r->dirty = true;
}

static void print_one(struct run *r, size_t i)
{
	print_target(r, i, false);
}

static bool streaming(const struct opts *o)
{
	return !o->all && !o->sort && !o->unreachable;
}

/* Up (with its name, for -d): its line goes out now. */
static void on_up(void *ctx, size_t i)
{
	struct run *r = ctx;

	if (streaming(r->o))
		print_one(r, i);
}

/* A target given up: --json streams its record now, so that a killed
 * run leaves every settled target on record (for --resume). */
static void on_down(void *ctx, size_t i)
{
	struct run *r = ctx;

	if (r->o->json && streaming(r->o))
		print_one(r, i);
}

/* A probe failed for a new reason (an ICMP error, a refused send; kept
 * for the target's record): said on stderr as it happens, as fping
 * says it. */
static void on_fail(void *ctx, size_t i)
{
	struct run *r = ctx;
	struct ry_sweep_view v;
	char addr[RY_ADDRSTR_MAX];

	if (r->o->quiet)
		return;
	ry_sweep_job_view(&r->job, i, false, &v);
	ry_ipaddr_str(v.addr, addr, sizeof addr);
	if (r->tty_out)
		ry_progress_clear(&r->bar);
	ry_err("%s: %s", addr, v.fail);
}

/* Two hardware addresses claim one target: say so, naming both. */
static void on_conflict(void *ctx, size_t i, const uint8_t first[6], const uint8_t other[6])
{
	struct run *r = ctx;
	char addr[RY_ADDRSTR_MAX], a[RY_MAC_STR], b[RY_MAC_STR];

	if (r->o->quiet)
		return;
	ry_ipaddr_str(&r->job.tl.v[i], addr, sizeof addr);
	ry_mac_str(first, a);
	ry_mac_str(other, b);
	if (r->tty_out)
		ry_progress_clear(&r->bar);
	ry_err("%s: ARP conflict: answered from %s, then also from %s", addr, a, b);
}

/* Once per round of the engine's loop, before it sleeps: results
 * printed in the round go out together, into a pipe or a file alike. */
static void on_round(void *ctx, size_t settled)
{
	struct run *r = ctx;

	if (r->dirty) {
		(void)ry_out_flush();	/* an error is kept for the end */
		r->dirty = false;
	}
	ry_progress_update(&r->bar, settled);
}

static int parse(int argc, char **argv, struct opts *o, int *args)
{
	char method_help[600];

	snprintf(method_help, sizeof method_help, "how to probe:%s", ry_sweep_method_help());
	const struct ry_opt opts[] = {
		{ .short_name = 'm', .long_name = "method", .kind = RY_OPT_STRING, .dest = &o->method,
		  .arg = "M", .choices = ry_sweep_method_choices(), .help = method_help },
		RY_OPT_SECS('t', "timeout", &o->timeout, 0.001, 60, "wait for each reply (default 1)"),
		RY_OPT_N('r', "retries", &o->retries, "N", 0, 10, "probes again to silent hosts (default 0)"),
		RY_OPT_N(0, "rate", &o->rate, "PPS", 0, 10000000,
			 "probes per second (default 10000; 0: no limit)"),
		RY_OPT_N('j', "jobs", &o->jobs, "N", 1, 4096, "exec and tcp: probes in flight (default 64)"),
		RY_OPT_F('l', "latency", &o->latency, "add the round-trip time in ms"),
		RY_OPT_N('c', "count", &o->count, "N", 1, 10000,
			 "N probes to each target (icmp), then per-target\n"
			 "sent/received/loss and min/avg/max RTT"),
		RY_OPT_N('C', "vcount", &o->count_all, "N", 1, 10000, "as -c N, and list every probe's RTT (- lost)"),
		RY_OPT_SECS('p', "period", &o->period, 0.001, 3600,
			    "count mode: between probes to one target (default 1)"),
		RY_OPT_F('a', "alive", &o->alive, "show the targets that answer (the default)"),
		RY_OPT_F('u', "unreachable", &o->unreachable, "show the targets that do not answer, at the end"),
		RY_OPT_F(0, "all", &o->all, "list every target with up or down, at the end"),
		RY_OPT_F(0, "any", &o->any, "exit 0 when any target answered (default: all)"),
		RY_OPT_F('4', "ipv4", &o->v4, "names to their IPv4 address"),
		RY_OPT_F('6', "ipv6", &o->v6, "names to their IPv6 address"),
		RY_OPT_F('d', "rdns", &o->rdns, "add each live host's name (reverse DNS, looked up\n"
			 "while the sweep runs; - for none)"),
		RY_OPT_F(0, "sort", &o->sort, "print in address order, at the end"),
		RY_OPT_F(0, "json", &o->json, "one JSON object per target"),
		RY_OPT_N(0, "max-hosts", &o->max_hosts, "N", 1, 16777216,
			 "refuse sweeps of more addresses (default 65536)"),
		RY_OPT_F('q', "quiet", &o->quiet, "no summary on stderr"),
		RY_OPT_S(0, "shard", &o->shard_text, "K/N",
			 "sweep share K (0 to N-1) of N: identical command\n"
			 "lines with K = 0..N-1 cover every target once"),
		RY_OPT_S(0, "seed", &o->seed_text, "N",
			 "the probe order's seed (default: from the target\nlist, so copies agree)"),
		RY_OPT_F(0, "no-shuffle", &o->no_shuffle, "probe in address order (default: a seeded\n"
			 "pseudo-random order over the whole range)"),
		RY_OPT_S(0, "resume", &o->resume, "FILE",
			 "write JSON records to FILE; when it holds an\n"
			 "interrupted run's, continue it"),
	};
	const struct ry_cmdline cl = {
		.synopsis = "TARGET... | -",
		.about =
"Probes every address of the targets and prints each one that answers, as\n"
"it answers.  TARGET: 192.168.0 (.1-.254), 10.1.2.0/24, ::1/128 or an\n"
"IPv6 prefix down to /112, 10.1.2.10-20, 10.1.2.250-10.1.3.5, an address,\n"
"a host name, or - to read targets from stdin.\n",
		.opts = opts, .nopts = sizeof opts / sizeof opts[0],
		.min_args = 1, .max_args = -1, .missing = "no targets given",
		.footer =
"Exit status, as fping's: 0 every target answered (with --any: one did),\n"
"1 some did not, 2 a name did not resolve or an error, 130 interrupted\n"
"(143 after SIGTERM).\n",
	};
	const char *why;
	int rc;

	*o = (struct opts){ .max_hosts = 65536, .method = "auto", .rate = 10000, .jobs = 64,
			    .timeout = 1, .period = 1 };
	if ((rc = ry_opt_parse(&cl, argc, argv, args)) >= 0)
		return rc;
	if (o->v4 && o->v6) {
		ry_err("-4 and -6 exclude each other");
		return 2;
	}
	if ((o->alive && (o->unreachable || o->all)) || (o->unreachable && o->all)) {
		ry_err("-a, -u and --all exclude each other");
		return 2;
	}
	o->family = o->v4 ? AF_INET : o->v6 ? AF_INET6 : AF_UNSPEC;
	if (o->count && o->count_all) {
		ry_err("-c and -C exclude each other (-C N is -c N with every RTT)");
		return 2;
	}
	if (o->count_all)
		o->count = o->count_all;
	if (o->shard_text && ry_shard_parse(o->shard_text, &o->shard, &why) != 0) {
		ry_err("invalid value '%s' for --shard: %s", ry_quote(o->shard_text), why);
		return 2;
	}
	if (o->seed_text) {
		char *end;
		errno = 0;
		o->seed = strtoull(o->seed_text, &end, 10);
		if (errno || end == o->seed_text || *end || o->seed_text[0] == '-') {
			ry_err("invalid value '%s' for --seed: give a number from 0 to 18446744073709551615",
			       ry_quote(o->seed_text));
			return 2;
		}
		o->seed_given = true;
	}
	if (o->resume && (o->all || o->unreachable || o->sort)) {
		ry_err("--resume keeps records as targets settle: it does not take --all, -u or --sort");
		return 2;
	}
	if (o->resume)
		o->json = true;		/* FILE holds JSON records */
	o->cfg = (struct ry_sweep_config){ .rate = (unsigned)o->rate, .jobs = (unsigned)o->jobs,
					   .retries = (unsigned)o->retries,
					   .timeout_ns = (int64_t)(o->timeout * 1e9),
					   .count = (unsigned)o->count,
					   .period_ns = (int64_t)(o->period * 1e9),
					   .stop = &ry_stop_flag, .drop_privileges = true };
	if ((rc = ry_sweep_method_parse(o->method, &o->cfg, &why)) != 0) {
		if (rc == -ERANGE)
			ry_err("invalid value '%s' for -m/--method %s:PORT: %s",
			       ry_quote(strchr(o->method, ':') + 1),
			       ry_quote_n(o->method, (size_t)(strchr(o->method, ':') - o->method)), why);
		else if (why)
			ry_err("invalid value '%s' for -m/--method: %s", ry_quote(o->method), why);
		else
			ry_err("invalid value '%s' for -m/--method: must be %s", ry_quote(o->method),
			       ry_sweep_method_list());
		return 2;
	}
	if (o->count && !o->cfg.method->counts) {
		ry_err("-c and -C count ICMP echo replies: they take -m icmp only");
		return 2;
	}
	return -1;
}

/* " (line 7 of stdin)" for a target read from stdin, or "". */
static void where(char *buf, size_t len, size_t line)
{
	buf[0] = '\0';
	if (line)
		snprintf(buf, len, " (line %zu of stdin)", line);
}

static void too_many(const char *text, const char *at, unsigned long max_hosts)
{
	ry_err("'%s'%s: more than --max-hosts %lu addresses in all; raise --max-hosts to sweep them",
	       ry_quote(text), at, max_hosts);
}

/* One target read: 0, or 2 after a message naming it (and its line). */
static int take_target(void *ctx, char *s, size_t n, size_t lineno)
{
	struct ry_target_in *in = ctx;
	const char *why = NULL;
	char at[48];
	int rc = ry_target_in_add(in, s, n, lineno, &why);

	if (rc == 0)
		return 0;
	where(at, sizeof at, lineno);
	if (rc == -E2BIG)
		too_many(s, at, (unsigned long)in->max_hosts);
	else if (rc == -ENOMEM)
		ry_err("'%s'%s: out of memory", ry_quote_n(s, n), at);
	else
		ry_err("invalid target '%s'%s: %s", ry_quote_n(s, n), at, why);
	return 2;
}

/* Every target read and every name resolved (within the sweep's -t):
 * 0, or 2 after a message; a name that did not resolve is named here
 * and the rest is swept. */
static int gather(const struct opts *o, int argc, char **argv, int args, struct ry_target_in *in)
{
	struct cmd_operand_spec ops = { "targets", false, take_target, in };
	int rc = cmd_operands(&ops, argc, argv, args);
	const char *why = "out of memory";
	size_t bad = SIZE_MAX;
	char at[48];

	if (rc != 0)
		return rc;
	rc = ry_target_in_finish(in, o->family, (int64_t)(o->timeout * 1e9), &bad, &why);
	if (rc != 0 && rc != -E2BIG) {
		ry_err(rc == -ENOMEM ? "out of memory" : "cannot look up the target names: %s", why);
		return 2;
	}
	for (size_t i = 0; i < in->nnames && i <= bad; i++) {
		const struct ry_target_name *nt = &in->names[i];
		where(at, sizeof at, nt->line);
		if (i == bad) {
			too_many(nt->text, at, o->max_hosts);
			return 2;
		}
		if (!nt->found)
			ry_err("'%s'%s: %s", ry_quote(nt->text), at, nt->why);
	}
	return 0;
}

/* How the method was settled, in our words. */
static void method_words(const struct opts *o, const struct ry_sweep_choice *ch, bool refused)
{
	static const char no_icmp[] = "ICMP sockets are not permitted here (they need CAP_NET_RAW or "
				      "net.ipv4.ping_group_range)";

	if (refused) {
		if (ch->refused == RY_SWEEP_NO_PACKET)
			ry_err("--method arp needs packet sockets, which need CAP_NET_RAW (run as root, or "
			       "give rustyc the capability); --method exec and tcp:PORT need no privileges");
		else if (ch->refused == RY_SWEEP_NO_COUNT)
			ry_err("%s, and -c and -C need them", no_icmp);
		else
			ry_err("%s and there is no ping program for --method exec; --method tcp:PORT needs no "
			       "privileges", no_icmp);
		return;
	}
	if (ch->off_link && !o->quiet)
		ry_err("%zu target%s not on a directly connected IPv4 network: arp cannot probe %s",
		       ch->off_link, ch->off_link == 1 ? " is" : "s are", ch->off_link == 1 ? "it" : "them");
	if (ch->fell_back && !o->quiet)
		ry_err("%s; using --method exec", no_icmp);
}

/* "shard 1/4 (16384 of 65536), " for the summary line, or "". */
static const char *shard_text(const struct opts *o, const struct ry_sweep_plan *pl)
{
	static char text[96];

	text[0] = '\0';
	if (o->shard.n)
		snprintf(text, sizeof text, "shard %llu/%llu (%zu of %zu targets): ",
			 (unsigned long long)o->shard.k, (unsigned long long)o->shard.n, pl->share,
			 pl->total);
	if (pl->prev_done)
		snprintf(text + strlen(text), sizeof text - strlen(text), "%zu resumed, ",
			 pl->prev_done);
	return text;
}

/* The summary line on stderr (count mode: with fping -s's figures). */
static void summary(const struct opts *o, const struct run *r, const struct ry_sweep_totals *t)
{
	const struct ry_sweep_plan *pl = &r->job.plan;
	char used[64];

	ry_sweep_results_methods(&r->job.res, r->job.c.sweep.method, used, sizeof used);
	fprintf(stderr, "%s%zu of %zu hosts up", shard_text(o, pl), pl->prev_up + t->up,
		pl->prev_done + r->job.tl.n);
	if (o->count) {
		fprintf(stderr, ", %llu sent, %llu received, %llu%% loss", t->sent, t->recv,
			t->sent ? (t->sent - t->recv) * 100 / t->sent : 0);
		if (t->recv)
			fprintf(stderr, ", min/avg/max %.3f/%.3f/%.3f ms", t->rmin / 1e6,
				t->rsum / 1e6 / (double)t->recv, t->rmax / 1e6);
	}
	fprintf(stderr, ", %s, %.2f s%s\n", used, r->job.secs_ns / 1e9, ry_stop_status() ? " (interrupted)" : "");
}

/* What was not streamed: --all lists all, -u the silent ones, --sort
 * the live ones (and, for --json, the rest), and --json alone the ones
 * a stop left unsettled.  Count mode: every target's statistics (-u: of
 * the silent ones).  In address order. */
static void print_rest(struct run *r)
{
	const struct opts *o = r->o;
	const struct ry_sweep_results *res = &r->job.res;

	for (size_t j = 0; j < r->job.tl.n; j++) {
		size_t i = r->job.plan.byaddr[j];
		bool up = res->up[i];
		if (o->count) {
			if (!o->unreachable || !up)
				print_target(r, i, true);
		} else if (o->unreachable ? !up && res->sent[i]
			   : o->all || (o->sort && (up || o->json)) || (o->json && !o->sort && !res->settled[i])) {
			print_one(r, i);
		}
	}
}

static int sweep(struct run *r)
{
	const struct opts *o = r->o;
	struct ry_sweep_job *job = &r->job;

	r->tty_out = isatty(STDOUT_FILENO);
	ry_progress_init(&r->bar, job->tl.n, 1000, "hosts", o->quiet);
	int rc = ry_stop_catch();
	if (rc == 0)
		rc = ry_sweep_job_run(job);
	ry_progress_clear(&r->bar);
	if (rc != 0) {
		ry_err("sweep failed: %s", rc == -EPERM ? "ICMP sockets are not permitted here" :
			rc == -ENOENT ? "no ping program (--method exec needs one)" : ry_strerror(rc));
		return 2;
	}
	print_rest(r);
	bool stopped = ry_stop_status() != 0;
	struct ry_sweep_totals t;
	ry_sweep_results_totals(&job->res, stopped, &t);
	/* The share's one summary record: a merge checks that every shard
	 * of one list (same list hash and seed) is complete. */
	if ((o->shard.n || o->resume) && o->json)
		ry_sweep_plan_summary(&job->plan, &o->shard, &r->rec, t.settled, t.up, stopped);
	/* Results that did not reach stdout: no summary of success; main
	 * names the error. */
	rc = ry_out_flush();
	if (rc != 0 && rc != -EPIPE)
		return 2;
	if (!o->quiet)
		summary(o, r, &t);
	if (stopped)
		return ry_stop_status();
	size_t nup = t.up + job->plan.prev_up;
	return o->any ? (nup ? 0 : 1) : nup == job->plan.prev_done + job->tl.n ? 0 : 1;
}

int cmd_ping_sweep(int argc, char **argv)
{
	struct opts o;
	struct ry_target_in in;		/* the whole list, as spans */
	int args, rc = parse(argc, argv, &o, &args);

	if (rc >= 0)
		return rc;
	/* Before any name is looked up or program spawned: a root run
	 * keeps CAP_NET_RAW (for raw ICMP sockets) and nothing else. */
	if ((rc = ry_priv_keep_net_raw()) != 0) {
		ry_err("cannot give up privileges: %s", ry_strerror(rc));
		return 2;
	}
	ry_target_in_init(&in, o.max_hosts);
	if ((rc = gather(&o, argc, argv, args, &in)) != 0 || in.all.n == 0) {
		ry_target_in_free(&in);
		return rc ? rc : 2;	/* 2: every target was a name that failed */
	}
	struct run r = { .o = &o };
	r.form = (struct ry_sweep_record_form){
		.name_column = o.rdns || in.nnames > in.failed, .rdns = o.rdns, .state = o.all,
		.rtt = o.latency || o.all, .shard = o.shard.n > 0, .shard_k = o.shard.k,
	};
	const struct ry_sweep_job_config jc = {
		.sweep = o.cfg, .plan = { o.shard, !o.no_shuffle, o.seed_given, o.seed, o.resume },
		.rdns = o.rdns, .each = o.count_all > 0, .on_up = on_up, .on_down = on_down,
		.on_fail = on_fail, .on_conflict = on_conflict, .on_round = on_round, .ctx = &r,
	};
	const char *why = NULL;
	ry_rec_init(&r.rec, o.json);
	rc = ry_sweep_job_open(&r.job, &jc, &in, &why);
	if (rc == 0 || rc == RY_SWEEP_JOB_METHOD || rc == RY_SWEEP_JOB_RDNS)
		method_words(&o, &r.job.choice, rc == RY_SWEEP_JOB_METHOD);
	if (rc == RY_SWEEP_JOB_PLAN) {
		char msg[512];
		ry_resume_message(&r.job.plan.err, o.resume, msg, sizeof msg);
		ry_err("%s", msg);
	} else if (rc == RY_SWEEP_JOB_RDNS) {
		ry_err("cannot start the DNS engine for -d: %s", why);
	} else if (rc == -ENOMEM) {
		ry_err("out of memory for %llu targets", (unsigned long long)in.all.n);
	}
	rc = rc ? 2 : sweep(&r);
	/* A name that did not resolve: 2, once the rest is swept (fping). */
	if (in.failed && (rc == 0 || rc == 1))
		rc = 2;
	ry_sweep_job_free(&r.job);
	ry_rec_destroy(&r.rec);
	ry_target_in_free(&in);
	return rc;
}
