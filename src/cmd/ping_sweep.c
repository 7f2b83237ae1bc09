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
#include "net/dns.h"
#include "net/sweep.h"
#include "net/sweep_plan.h"
#include "net/target.h"
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
	const struct ry_target_list *tl;
	struct ry_sweep_results res;	/* what the engine learned, per target */
	struct ry_dns *dns;	/* -d: PTR lookups while the sweep runs */
	char **names;		/* -d: per target, its first PTR name */
	const char **given;	/* per target: the name it was given as, or NULL */
	bool name_column;	/* -d, or some target was a name */
	bool *shown;		/* per target: its line is out */
	const struct ry_sweep_plan *plan;
	bool dirty, tty_out;	/* dirty: printed since the last flush */
	struct ry_rec rec;
	struct ry_progress bar;
};

static void print_one(struct run *r, size_t i, bool up)
{
	const struct opts *o = r->o;
	char addr[64];

	ry_ipaddr_str(&r->tl->v[i], addr, sizeof addr);
	if (r->tty_out)
		ry_progress_clear(&r->bar);
	ry_rec_begin(&r->rec);
	ry_rec_cstr(&r->rec, "address", addr, 0);
	if (r->name_column) {
		/* Plain: one column, the name given, else the PTR name (-d),
		 * else "-", so that columns stay put.  JSON: both fields. */
		const char *given = r->given ? r->given[i] : NULL;
		const char *ptr = r->names ? r->names[i] : NULL;
		const char *shown = given ? given : ptr ? ptr : "-";
		ry_rec_str(&r->rec, "name", shown, strlen(shown), RY_REC_PLAIN);
		if (given)
			ry_rec_cstr(&r->rec, "name", given, RY_REC_JSON);
		else
			ry_rec_null(&r->rec, "name");
		if (r->dns && ptr)
			ry_rec_str(&r->rec, "rdns", ptr, strlen(ptr), RY_REC_JSON);
		else if (r->dns)
			ry_rec_null(&r->rec, "rdns");
	}
	/* A target a stop kept from being probed, or from being given
	 * up, is neither up nor down (--resume probes it again). */
	const char *state = up ? "up" : r->res.settled[i] ? "down" : !r->res.sent[i] ? "unprobed" :
			    ry_stop_status() ? "interrupted" : "down";
	ry_rec_bool(&r->rec, "alive", up, RY_REC_JSON);
	ry_rec_cstr(&r->rec, "state", state, o->all ? 0 : RY_REC_JSON);
	if (!up && r->res.fail[i])	/* "host unreachable from 10.0.0.254" */
		ry_rec_cstr(&r->rec, "error", r->res.fail[i], o->all ? 0 : RY_REC_JSON);
	if (up && r->res.rtt[i] >= 0)
		ry_rec_num(&r->rec, "rtt_ms", r->res.rtt[i] / 1e6, 3, " ms",
			   o->latency || o->all ? 0 : RY_REC_JSON);
	else
		ry_rec_null(&r->rec, "rtt_ms");
	/* ARP: the hardware address that answered (plain with -l/--all). */
	const struct ry_sweep_method *by = r->res.by[i] ? r->res.by[i] : o->cfg.method;
	if (up && by->has_mac) {
		char mac[RY_MAC_STR];
		ry_mac_str(r->res.mac[i], mac);
		ry_rec_cstr(&r->rec, "mac", mac, o->latency || o->all ? 0 : RY_REC_JSON);
	}
	ry_rec_cstr(&r->rec, "method", by->name, RY_REC_JSON);
	if (o->shard.n)
		ry_rec_int(&r->rec, "shard", (long long)o->shard.k, RY_REC_JSON);
	ry_rec_put(&r->rec);
	r->dirty = true;
	r->shown[i] = true;
}

static bool streaming(const struct opts *o)
{
	return !o->all && !o->sort && !o->unreachable;
}

/* -d: a live host's name came (or did not): its line goes out now. */
static void on_name(void *ctx, void *user, struct ry_dns_answer *ans)
{
	struct run *r = ctx;
	size_t i = (size_t)(uintptr_t)user;

	if (ans->status == 0 && ans->rrs.n > 0)
		r->names[i] = strdup(ans->rrs.v[0].text);	/* NULL: printed without */
	if (streaming(r->o))
		print_one(r, i, true);
}

/* A probe failed for a new reason (an ICMP error, a refused send; the
 * engine keeps it for the target's record): said on stderr as it
 * happens, as fping says it. */
static void on_fail(void *ctx, size_t i, const char *why, const struct ry_ipaddr *from)
{
	struct run *r = ctx;
	char addr[64];

	if (r->o->quiet || !r->res.fail[i])
		return;
	ry_ipaddr_str(&r->tl->v[i], addr, sizeof addr);
	if (r->tty_out)
		ry_progress_clear(&r->bar);
	ry_err("%s: %s", addr, r->res.fail[i]);
}

/* Two hardware addresses claim one target: say so, naming both. */
static void on_conflict(void *ctx, size_t i, const uint8_t first[6], const uint8_t other[6])
{
	struct run *r = ctx;
	char addr[64], a[RY_MAC_STR], b[RY_MAC_STR];

	if (r->o->quiet)
		return;
	ry_ipaddr_str(&r->tl->v[i], addr, sizeof addr);
	ry_mac_str(first, a);
	ry_mac_str(other, b);
	if (r->tty_out)
		ry_progress_clear(&r->bar);
	ry_err("%s: ARP conflict: answered from %s, then also from %s", addr, a, b);
}

/* A target given up: --json streams its record now, so that a killed
 * run leaves every settled target on record (for --resume). */
static void on_down(void *ctx, size_t i)
{
	struct run *r = ctx;

	if (r->o->json && streaming(r->o))
		print_one(r, i, false);
}

static void on_up(void *ctx, size_t i, int64_t rtt)
{
	struct run *r = ctx;

	if (r->dns) {
		char addr[64];
		ry_ipaddr_str(&r->tl->v[i], addr, sizeof addr);
		struct ry_dns_query q = { .name = addr, .reverse = true, .user = (void *)(uintptr_t)i };
		if (ry_dns_submit(r->dns, &q) == 0)
			return;		/* printed by on_name */
	}
	if (streaming(r->o))
		print_one(r, i, true);
}

/* Count mode: a target's statistics, fping -c's numbers:
 * "ADDR xmt/rcv/%loss = 3/3/0%, min/avg/max = 0.031/0.040/0.052"
 * (-C: then each probe's RTT, - for a lost one). */
static void print_count(struct run *r, size_t i)
{
	const struct opts *o = r->o;
	char addr[64], text[160];
	unsigned sent = r->res.sent[i], got = r->res.recv[i];
	unsigned loss = sent ? (unsigned)((sent - got) * 100ull / sent) : 0;

	ry_ipaddr_str(&r->tl->v[i], addr, sizeof addr);
	ry_rec_begin(&r->rec);
	ry_rec_cstr(&r->rec, "address", addr, 0);
	if (r->name_column) {
		const char *given = r->given ? r->given[i] : NULL;
		ry_rec_cstr(&r->rec, "name", given ? given : "-", RY_REC_PLAIN);
		if (given)
			ry_rec_cstr(&r->rec, "name", given, RY_REC_JSON);
		else
			ry_rec_null(&r->rec, "name");
	}
	ry_rec_int(&r->rec, "sent", sent, RY_REC_JSON);
	ry_rec_int(&r->rec, "received", got, RY_REC_JSON);
	ry_rec_int(&r->rec, "loss_pct", loss, RY_REC_JSON);
	snprintf(text, sizeof text, "xmt/rcv/%%loss = %u/%u/%u%%", sent, got, loss);
	ry_rec_cstr(&r->rec, "stats", text, RY_REC_PLAIN);
	if (got) {
		ry_rec_num(&r->rec, "rtt_min_ms", r->res.rmin[i] / 1e6, 3, NULL, RY_REC_JSON);
		ry_rec_num(&r->rec, "rtt_avg_ms", r->res.rsum[i] / 1e6 / got, 3, NULL, RY_REC_JSON);
		ry_rec_num(&r->rec, "rtt_max_ms", r->res.rmax[i] / 1e6, 3, NULL, RY_REC_JSON);
		snprintf(text, sizeof text, "min/avg/max = %.3f/%.3f/%.3f", r->res.rmin[i] / 1e6,
			 r->res.rsum[i] / 1e6 / got, r->res.rmax[i] / 1e6);
		ry_rec_cstr(&r->rec, "rtts", text, RY_REC_PLAIN);
	} else {
		ry_rec_null(&r->rec, "rtt_min_ms");
		ry_rec_null(&r->rec, "rtt_avg_ms");
		ry_rec_null(&r->rec, "rtt_max_ms");
	}
	if (r->res.each) {
		ry_rec_list_begin(&r->rec, "rtts_ms", 0);
		for (unsigned k = 0; k < sent && k < o->count; k++) {
			int64_t v = r->res.each[i * o->count + k];
			ry_rec_list_num(&r->rec, v / 1e6, 3, v < 0);
		}
		ry_rec_list_end(&r->rec);
	}
	ry_rec_cstr(&r->rec, "method", o->cfg.method->name, RY_REC_JSON);
	if (o->shard.n)
		ry_rec_int(&r->rec, "shard", (long long)o->shard.k, RY_REC_JSON);
	ry_rec_put(&r->rec);
	r->dirty = true;
	r->shown[i] = true;
}

/* Once per round of the engine's loop, before it sleeps: results
 * printed in the round go out together, into a pipe or a file alike. */
static void on_progress(void *ctx, size_t settled)
{
	struct run *r = ctx;

	if (r->dns)	/* answers that came while the sweep ran; no wait */
		(void)ry_dns_run(r->dns, 0, -1);
	if (r->dirty) {
		(void)ry_out_flush();	/* an error is kept for the end */
		r->dirty = false;
	}
	ry_progress_update(&r->bar, settled);
}

static const char *const methods[] = { "auto", "icmp", "arp", "exec", "tcp:", NULL };

static int parse(int argc, char **argv, struct opts *o, int *args)
{
	const struct ry_opt opts[] = {
		{ .short_name = 'm', .long_name = "method", .kind = RY_OPT_STRING, .dest = &o->method,
		  .arg = "M", .choices = methods,
		  .help = "auto (default: arp on a local network, icmp\n"
			  "elsewhere), icmp, arp, exec (the system ping, one\n"
			  "process per address) or tcp:PORTS (connect;\nrefused = up)" },
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

struct reading {
	const struct opts *o;
	struct ry_target_set *all;
	struct ry_target_name *names;
	size_t nnames, cap;
	size_t failed;		/* names that did not resolve */
};

static void where(char *buf, size_t len, size_t line)
{
	buf[0] = '\0';
	if (line)
		snprintf(buf, len, " (line %zu of stdin)", line);
}

static int keep_name(struct reading *rd, const char *text, size_t line)
{
	struct ry_target_name *v = ry_grow(rd->names, &rd->cap, rd->nnames + 1, sizeof *v, 16);

	if (!v)
		return -ENOMEM;
	rd->names = v;
	char *copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	rd->names[rd->nnames++] = (struct ry_target_name){ .text = copy, .line = line };
	return 0;
}

/* Adds one target's addresses, or keeps a name for later; 0, or 2
 * after a message naming it (and its line, for a target read from
 * stdin: line > 0). */
static int add_target(struct reading *rd, const char *text, size_t line)
{
	const struct opts *o = rd->o;
	const char *why = NULL;
	int rc = ry_target_expand(text, o->max_hosts, rd->all, &why);
	char at[48];

	if (rc == RY_ENONAME)
		rc = keep_name(rd, text, line);
	if (rc == 0)
		return 0;
	where(at, sizeof at, line);
	if (rc == -E2BIG)
		ry_err("'%s'%s: more than --max-hosts %lu addresses in all; raise --max-hosts to sweep them",
		       ry_quote(text), at, o->max_hosts);
	else if (rc == -ENOMEM)
		ry_err("'%s'%s: out of memory", ry_quote(text), at);
	else
		ry_err("invalid target '%s'%s: %s", ry_quote(text), at, why);
	return 2;
}

static int take_target(void *ctx, char *s, size_t n, size_t lineno)
{
	struct reading *rd = ctx;

	if (memchr(s, '\0', n)) {
		ry_err("invalid target '%s' (line %zu of stdin): it holds a NUL byte",
		       ry_quote_n(s, n), lineno);
		return 2;
	}
	return add_target(rd, s, lineno);
}

/* Every name target at once, on the DNS engine, within the sweep's -t
 * (at least a second): a name whose server never answers costs that,
 * whatever the count.  0, or 2 after a message. */
static int resolve_names(struct reading *rd)
{
	const struct opts *o = rd->o;
	const char *why;
	char at[48];
	int rc = ry_target_resolve_names(rd->names, rd->nnames, o->family,
					 (int64_t)((o->timeout > 1 ? o->timeout : 1) * 1e9), &why);

	if (rc != 0) {
		ry_err("cannot look up the target names: %s", why);
		return 2;
	}
	for (size_t i = 0; i < rd->nnames; i++) {
		const struct ry_target_name *nt = &rd->names[i];
		where(at, sizeof at, nt->line);
		if (!nt->found) {
			ry_err("'%s'%s: %s", ry_quote(nt->text), at, nt->why);
			rd->failed++;
		} else if (rd->all->n >= o->max_hosts) {
			ry_err("'%s'%s: more than --max-hosts %lu addresses in all; raise --max-hosts to sweep them",
			       ry_quote(nt->text), at, o->max_hosts);
			return 2;
		} else if (ry_target_set_add(rd->all, &nt->addr) != 0) {
			ry_err("out of memory");
			return 2;
		}
	}
	return 0;
}

/* The method for this share's targets (net/sweep decides; the words
 * are ours). */
static int choose_method(struct opts *o, const struct ry_target_list *tl)
{
	static const char no_icmp[] = "ICMP sockets are not permitted here (they need CAP_NET_RAW or "
				      "net.ipv4.ping_group_range)";
	struct ry_sweep_choice ch;

	if (ry_sweep_choose(&o->cfg, tl->v, tl->n, &ch) != 0) {
		if (ch.refused == RY_SWEEP_NO_PACKET)
			ry_err("--method arp needs packet sockets, which need CAP_NET_RAW (run as root, or "
			       "give rustyc the capability); --method exec and tcp:PORT need no privileges");
		else if (ch.refused == RY_SWEEP_NO_COUNT)
			ry_err("%s, and -c and -C need them", no_icmp);
		else
			ry_err("%s and there is no ping program for --method exec; --method tcp:PORT needs no "
			       "privileges", no_icmp);
		return 2;
	}
	if (ch.off_link && !o->quiet)
		ry_err("%zu target%s not on a directly connected IPv4 network: arp cannot probe %s",
		       ch.off_link, ch.off_link == 1 ? " is" : "s are", ch.off_link == 1 ? "it" : "them");
	if (ch.fell_back && !o->quiet)
		ry_err("%s; using --method exec", no_icmp);
	return 0;
}

static int gather(struct opts *o, int argc, char **argv, int args, struct reading *rd)
{
	struct cmd_operand_spec ops = { "targets", false, take_target, rd };
	int rc = cmd_operands(&ops, argc, argv, args);

	if (rc == 0)
		rc = resolve_names(rd);
	if (rc != 0)
		return rc;
	if (ry_target_set_unique(rd->all) != 0) {
		ry_err("out of memory");
		return 2;
	}
	return 0;
}

/* The methods that probed the targets, for the summary: "icmp", or
 * "arp+icmp" after auto split them. */
static int cmp_name(const void *a, const void *b)
{
	return strcmp((*(const struct ry_sweep_method *const *)a)->name,
		      (*(const struct ry_sweep_method *const *)b)->name);
}

static const char *methods_used(const struct run *r, size_t n)
{
	static char text[64];
	const struct ry_sweep_method *seen[8];
	size_t nseen = 0, used = 0;

	for (size_t i = 0; i < n; i++) {
		const struct ry_sweep_method *m = r->res.by[i] ? r->res.by[i] : r->o->cfg.method;
		size_t k = 0;
		while (k < nseen && seen[k] != m)
			k++;
		if (k == nseen && nseen < 8)
			seen[nseen++] = m;
	}
	if (nseen == 0)
		return r->o->cfg.method->name;
	qsort(seen, nseen, sizeof(const struct ry_sweep_method *), cmp_name);
	text[0] = '\0';
	for (size_t k = 0; k < nseen; k++) {
		int w = snprintf(text + used, sizeof text - used, "%s%s", used ? "+" : "", seen[k]->name);
		if (w > 0 && (size_t)w < sizeof text - used)
			used += (size_t)w;
	}
	return text;
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

static int sweep(struct opts *o, const struct ry_target_list *tl, struct run *r)
{
	const bool *up = r->res.up;

	o->cfg.on_up = o->count ? NULL : on_up;
	o->cfg.on_down = o->count ? NULL : on_down;
	o->cfg.on_progress = on_progress;
	o->cfg.on_fail = on_fail;
	o->cfg.on_conflict = on_conflict;
	o->cfg.ctx = r;
	r->tty_out = isatty(STDOUT_FILENO);
	ry_progress_init(&r->bar, tl->n, 1000, "hosts", o->quiet);

	int64_t t0 = ry_now_ns();
	int rc = ry_stop_catch();
	if (rc == 0)
		rc = ry_sweep_run_into(tl->v, tl->n, &o->cfg, &r->res);
	/* -d: the names still on their way, within their deadline. */
	while (rc == 0 && r->dns && ry_dns_pending(r->dns) > 0 && !atomic_load(&ry_stop_flag)) {
		if (ry_dns_run(r->dns, 100, -1) < 0)
			break;
	}
	/* Interrupted with names pending: those hosts are printed without. */
	for (size_t i = 0; rc == 0 && r->dns && streaming(o) && i < tl->n; i++)
		if (up[i] && !r->shown[i])
			print_one(r, i, true);
	double secs = (ry_now_ns() - t0) / 1e9;
	ry_progress_clear(&r->bar);
	if (rc != 0) {
		ry_err("sweep failed: %s", rc == -EPERM ? "ICMP sockets are not permitted here" :
			rc == -ENOENT ? "no ping program (--method exec needs one)" : ry_strerror(rc));
		return 2;
	}
	/* What was not streamed: --all lists all, -u the silent ones,
	 * --sort the live ones (and, for --json, the rest), and --json
	 * alone the silent ones.  Count mode: every target's statistics
	 * (-u: of the silent ones), in address order. */
	size_t nup = 0, settled = 0;
	for (size_t j = 0; j < tl->n; j++) {
		size_t i = r->plan->byaddr[j];
		nup += up[i];
		settled += up[i] || (r->res.sent[i] && (r->res.settled[i] || !ry_stop_status()));
		if (o->count) {
			if (!o->unreachable || !up[i])
				print_count(r, i);
		} else if (o->unreachable ? !up[i] && r->res.sent[i]
			   : o->all || (o->sort && (up[i] || o->json)) ||
			     (o->json && !o->sort && !up[i] && !r->shown[i])) {
			print_one(r, i, up[i]);
		}
	}
	const struct ry_sweep_plan *pl = r->plan;
	bool scaled = o->shard.n || o->resume;
	if (scaled && o->json) {
		/* The share's one summary record: a merge checks that every
		 * shard of one list (same list hash and seed) is complete. */
		ry_sweep_plan_summary(pl, &o->shard, &r->rec, settled, nup, ry_stop_status() != 0);
	}
	/* Results that did not reach stdout: no summary of success; main
	 * names the error. */
	rc = ry_out_flush();
	if (rc != 0 && rc != -EPIPE)
		return 2;
	if (!o->quiet && o->count) {
		unsigned long long sent = 0, got = 0;
		int64_t lo = INT64_MAX, hi = 0, sum = 0;
		for (size_t i = 0; i < tl->n; i++) {
			sent += r->res.sent[i];
			got += r->res.recv[i];
			sum += r->res.rsum[i];
			if (r->res.recv[i] && r->res.rmin[i] < lo)
				lo = r->res.rmin[i];
			if (r->res.recv[i] && r->res.rmax[i] > hi)
				hi = r->res.rmax[i];
		}
		fprintf(stderr, "%s%zu of %zu hosts up, %llu sent, %llu received, %llu%% loss", shard_text(o, pl), pl->prev_up + nup,
			pl->prev_done + tl->n, sent,
			got, sent ? (sent - got) * 100 / sent : 0);
		if (got)
			fprintf(stderr, ", min/avg/max %.3f/%.3f/%.3f ms", lo / 1e6, sum / 1e6 / (double)got,
				hi / 1e6);
		fprintf(stderr, ", %s, %.2f s%s\n", methods_used(r, tl->n), secs,
			ry_stop_status() ? " (interrupted)" : "");
	} else if (!o->quiet) {
		fprintf(stderr, "%s%zu of %zu hosts up, %s, %.2f s%s\n", shard_text(o, pl),
			pl->prev_up + nup, pl->prev_done + tl->n, methods_used(r, tl->n), secs,
			ry_stop_status() ? " (interrupted)" : "");
	}
	if (ry_stop_status())
		return ry_stop_status();
	nup += pl->prev_up;
	return o->any ? (nup ? 0 : 1) : nup == pl->prev_done + tl->n ? 0 : 1;
}

/* -d: the DNS engine of resolve, asked for one PTR name per live host;
 * a name gets at least a second, or the sweep's -t if longer. */
static struct ry_dns *start_rdns(const struct opts *o, struct run *r)
{
	const struct ry_dns_config cfg = {
		.jobs = 256, .timeout_ns = (int64_t)((o->timeout > 1 ? o->timeout : 1) * 1e9),
	};
	const char *why;
	struct ry_dns *d = ry_dns_new(&cfg, on_name, r, &why);

	if (!d)
		ry_err("cannot start the DNS engine for -d: %s", why);
	return d;
}

int cmd_ping_sweep(int argc, char **argv)
{
	struct opts o;
	struct ry_target_set all = { 0 };	/* the whole list, as spans */
	struct ry_target_list tl = { 0 };	/* this copy's share, one by one */
	int args, rc = parse(argc, argv, &o, &args);

	if (rc >= 0)
		return rc;
	/* Before any name is looked up or program spawned: a root run
	 * keeps CAP_NET_RAW (for raw ICMP sockets) and nothing else. */
	if ((rc = ry_priv_keep_net_raw()) != 0) {
		ry_err("cannot give up privileges: %s", ry_strerror(rc));
		return 2;
	}
	struct reading rd = { .o = &o, .all = &all };
	if ((rc = gather(&o, argc, argv, args, &rd)) != 0)
		goto out;
	if (all.n == 0) {	/* every target was a name that failed */
		rc = 2;
		goto out;
	}

	struct ry_sweep_plan pl = { 0 };
	const struct ry_sweep_plan_config pc = { o.shard, !o.no_shuffle, o.seed_given, o.seed, o.resume };
	struct run r = { .o = &o, .tl = &tl, .name_column = o.rdns || rd.nnames > rd.failed,
			 .plan = &pl };
	if (ry_sweep_plan_make(&pc, &all, rd.names, rd.nnames, &tl, &r.given, &pl) != 0) {
		char msg[512];
		if (pl.err.code)
			ry_resume_message(&pl.err, o.resume, msg, sizeof msg);
		else
			snprintf(msg, sizeof msg, "out of memory for %llu targets", (unsigned long long)all.n);
		ry_err("%s", msg);
		ry_sweep_plan_free(&pl);
		rc = 2;
		goto out;
	}
	/* The method, for this share's targets. */
	if ((rc = choose_method(&o, &tl)) != 0) {
		free(r.given);
		ry_sweep_plan_free(&pl);
		goto out;
	}
	r.shown = calloc(tl.n ? tl.n : 1, sizeof *r.shown);
	if (o.rdns)
		r.names = calloc(tl.n ? tl.n : 1, sizeof *r.names);
	ry_rec_init(&r.rec, o.json);
	if (ry_sweep_results_init(&r.res, tl.n, (unsigned)o.count, o.count_all && o.count > 0) != 0 ||
	    !r.shown || (o.rdns && !r.names)) {
		ry_err("out of memory for %zu targets", tl.n);
		rc = 2;
	} else if (o.rdns && !(r.dns = start_rdns(&o, &r))) {
		rc = 2;
	} else {
		rc = sweep(&o, &tl, &r);
	}
	ry_dns_free(r.dns);
	for (size_t i = 0; r.names && i < tl.n; i++)
		free(r.names[i]);
	free(r.names);
	free(r.shown);
	ry_sweep_results_free(&r.res);
	ry_sweep_plan_free(&pl);
	free(r.given);
	ry_rec_destroy(&r.rec);
	/* A name that did not resolve: 2, once the rest is swept (fping). */
	if (rd.failed && (rc == 0 || rc == 1))
		rc = 2;
out:
	for (size_t i = 0; i < rd.nnames; i++)
		free(rd.names[i].text);
	free(rd.names);
	ry_target_free(&tl);
	ry_target_set_free(&all);
	return rc;
}
