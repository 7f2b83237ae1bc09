/*
 * names: resolve's engine.  Names in as the user wrote them (a line
 * source: operands and stdin), each this copy's share (a name plan),
 * results out through a callback, in completion order or, with
 * keep_order, in input order.
 *
 * Two back ends answer: the DNS engine (net/dns, c-ares on this thread,
 * names read as it has room, so millions stream through in bounded
 * memory) and, with `system`, getaddrinfo/getnameinfo on a thread pool
 * (net/gai: every name read first).  Which question a name asks is the
 * name's own (net/name_in): a bad name is a result at once, an address
 * with a port is made by getaddrinfo without a query, an address alone
 * asks for its PTR names, a host name for its addresses or, with types,
 * those records.
 *
 * A result's status depends on its own name alone and is final when it
 * is handed out: the finished/failed counts are the results', so a name
 * with an unknown service counts as failed exactly as it prints.
 *
 * Library code: nothing is printed.  A failure that ends the run is
 * returned with a reason in the stats; results that could not be held
 * for keep_order (no memory) are handed out early and counted.
 *
 * Ownership: the caller owns the config's source and plan; a result and
 * everything it points to is valid only during the callback.  Thread
 * safety: one thread runs the engine and gets every callback.
 */
#ifndef RY_NET_NAMES_H
#define RY_NET_NAMES_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/dns.h"
#include "net/gai.h"
#include "net/name_in.h"
#include "net/name_plan.h"
#include "util/linesrc.h"

struct ry_names_config {
	int family;			/* AF_UNSPEC, AF_INET, AF_INET6 */
	bool reverse;			/* -x: every name must be an address */
	const int *types;		/* record types instead of addresses */
	size_t ntypes;			/* 0: addresses */
	bool system;			/* getaddrinfo on a pool, not DNS */
	bool keep_order;		/* results in input order */
	const char *servers;		/* DNS: "ADDR[:PORT],...", or NULL */
	unsigned jobs;			/* names in flight (>= 1) */
	int64_t timeout_ns;		/* per name (> 0) */
	struct ry_linesrc *src;		/* the names */
	struct ry_name_plan *plan;	/* which of them are this copy's */
	const atomic_bool *stop;	/* set: stop at once; may be NULL */
};

enum ry_name_shape {
	RY_RESULT_ADDRS,		/* addrs: socket addresses */
	RY_RESULT_PTRS,			/* rr: the address's PTR names */
	RY_RESULT_RECORDS,		/* rr: records of the types asked */
};

struct ry_name_result {
	size_t index;			/* among this copy's names, from 0 */
	const struct ry_name_in *nm;
	enum ry_name_shape shape;
	int status;			/* 0, or why the name failed: */
	const char *why;		/* static text when status != 0 */
	const struct ry_lookup_result *addrs;	/* RY_RESULT_ADDRS */
	const struct ry_dns_rr *rr;		/* the others */
	size_t nrr;
};

struct ry_names_stats {
	size_t read;			/* names read, any copy's */
	size_t taken;			/* of them this copy's */
	size_t finished, failed;	/* results handed out */
	size_t unordered;		/* keep_order: handed out early */
	int err;			/* what ended the run early: */
	const char *what;		/* "cannot read names from stdin", ... */
	const char *detail;		/* static text, or NULL: see err */
	struct ry_dns_stats dns;	/* DNS engine: its counters */
};

struct ry_names_sink {
	void (*result)(void *ctx, const struct ry_name_result *res);
	/* Before the engine waits: the caller flushes, draws its bar.
	 * May be NULL. */
	void (*idle)(void *ctx, const struct ry_names_stats *st);
	void *ctx;
};

/* Resolves every name of cfg->src in cfg->plan's share.  0, or a
 * negative errno with st->what (and st->detail) saying what failed;
 * a stop is not an error (the caller reads its flag). */
int ry_names_run(const struct ry_names_config *cfg, const struct ry_names_sink *sink,
		 struct ry_names_stats *st);

#endif
