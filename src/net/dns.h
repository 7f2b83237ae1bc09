/*
 * dns: the event-driven DNS engine behind resolve (and ping-sweep's
 * --rdns): thousands of names in flight on one thread.
 *
 * c-ares (1.18 or later) speaks DNS: resolv.conf's servers, search list
 * and ndots, the wire format, TCP when an answer is truncated, query ids
 * and question checks.  This module drives it from rustyc's own poller
 * (ARES_OPT_SOCK_STATE_CB, ares_process_fd) and adds what a bulk
 * resolver needs on top:
 *
 *  - /etc/hosts first (net/hosts, read once), as the system resolver's
 *    "files dns" order: a name the file knows is never sent.
 *  - A deadline per name, counted from its first query and kept by the
 *    engine's own clock (c-ares' timeouts are per attempt; the engine
 *    gives c-ares the whole deadline).  A name's fate depends on its own
 *    queries only: it fails when its deadline passes or a server gives a
 *    final answer, never because other names went unanswered.
 *  - Each try has a retransmission timer from the measured round trip
 *    (RFC 6298: srtt + 4 rttvar, at least 20 ms, at most a third of the
 *    deadline and 2 s; 250 ms until the first answer), doubling with each
 *    try of a name up to 16 x; a try whose timer fires is sent again
 *    while the deadline allows, and the first answer to any try counts.
 *  - A congestion window, in queries.  It starts at 64 and grows by one
 *    per answer (slow start, which also ends when answers come back much
 *    later than the fastest did) up to the cap (jobs x 2).  It is halved,
 *    once per round and not below 16, when a loss is confirmed: a try
 *    timed out and a later try of the same name was answered (a queue
 *    overflowing, as dnsmasq's does past about a hundred queries in
 *    flight).  A timer firing alone cuts nothing: names that a server
 *    never answers (a black-holed zone, a dead upstream) lose every try
 *    whatever the load; while answers come back as fast as ever, such a
 *    query grows the window as an answered one does.  Retries of names
 *    that lost one try go before new names (four queries of the window
 *    kept for new ones); names that lost two or more go after them.  At
 *    most 64 queries go out back to back.
 *  - No answer from any server for a whole deadline since the first
 *    query (a black hole, or a list whose first names all go to a zone
 *    nobody answers): names asked so far end at their deadlines, and each
 *    name after them is asked once, at once, beyond the window and jobs
 *    (up to 65,536 in flight), until some answer comes.  10,000 names
 *    against a black hole cost two deadlines, not 10,000 / jobs of them,
 *    and no name fails unasked.
 *  - No wait is unbounded while names are pending: a refused or
 *    unreachable server ends each name with "no name server reachable"
 *    within its deadline.
 *
 * Results are handed to a callback as each name completes (from within
 * ry_dns_submit for a name the hosts file answers, otherwise from within
 * ry_dns_run), in completion order.
 *
 * Ownership: queries are copied; an answer's records belong to the
 * engine unless the callback moves them out (it may take ans->rrs and
 * leave it zeroed).  ry_dns_free drops names still in flight without a
 * callback.
 *
 * Thread safety: one engine belongs to one thread.
 */
#ifndef RY_NET_DNS_H
#define RY_NET_DNS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"
#include "net/dns_rr.h"

#define RY_DNS_MAXTYPES 10

struct ry_dns_config {
	const char *servers;	/* "ADDR[:PORT],...", or NULL: resolv.conf's */
	unsigned jobs;		/* names in flight at most (>= 1) */
	int64_t timeout_ns;	/* deadline per name (> 0) */
	const char *hosts;	/* the hosts file; NULL: /etc/hosts */
};

struct ry_dns_query {
	const char *name;	/* a name; for reverse, an address */
	bool reverse;		/* PTR names of the address in name */
	int family;		/* addresses: AF_UNSPEC (A and AAAA), AF_INET, AF_INET6 */
	const int *types;	/* record types instead of addresses, or NULL */
	size_t ntypes;		/* at most RY_DNS_MAXTYPES */
	void *user;		/* handed back with the answer */
};

struct ry_dns_answer {
	int status;		/* 0 (some records), RY_ENONAME, -ETIMEDOUT, -EAGAIN, -EIO, ... */
	const char *why;	/* static text when status != 0 */
	struct ry_dns_rrset rrs;	/* records in answer order */
};

typedef void ry_dns_done_fn(void *ctx, void *user, struct ry_dns_answer *ans);

struct ry_dns_stats {
	uint64_t queries;	/* sent, retries included */
	uint64_t retries;	/* sent again after a lost attempt */
	uint64_t from_hosts;	/* names answered by the hosts file */
	uint64_t cuts;		/* times the window was halved */
	unsigned max_batch;	/* most datagrams read between two looks at
				 * the clock (at most 64: a flood cannot hold
				 * back the deadlines) */
	unsigned window;	/* queries in flight allowed now */
};

/* A new engine, or NULL with *why set (a bad --server list, no memory,
 * c-ares failing to start). */
struct ry_dns *ry_dns_new(const struct ry_dns_config *cfg, ry_dns_done_fn *done, void *ctx,
			  const char **why);
void ry_dns_free(struct ry_dns *d);

/* Queues one name; an international name is asked (and looked up in
 * the hosts file) in its ASCII form (net/idn).  0, or RY_EBADADDR (a
 * reverse query whose name is not an address; an empty type list; a
 * name IDNA refuses), or -ENOMEM. */
int ry_dns_submit(struct ry_dns *d, const struct ry_dns_query *q);

/* How many more names the engine takes before it has a full window: a
 * caller reading names as they come submits this many, then runs. */
size_t ry_dns_room(const struct ry_dns *d);
/* Names submitted and not yet answered. */
size_t ry_dns_pending(const struct ry_dns *d);

/* Sends what the window allows, waits up to timeout_ms (-1: until
 * something happens) for answers, timers or wait_fd (>= 0: the caller's
 * input) becoming readable, and handles what came.  The wait is never
 * longer than the next deadline or timer while names are pending, and
 * none at all when a name finished before it (so that the caller can
 * print it) or when nothing is pending and wait_fd < 0.  Returns 1 when
 * wait_fd is readable (always, for a regular file), 0 otherwise, or a
 * negative errno from the poller. */
int ry_dns_run(struct ry_dns *d, int timeout_ms, int wait_fd);

/* The input side of ry_dns_drive: the caller's names, pulled as the
 * engine has room. */
enum { RY_DNS_FEED_END, RY_DNS_FEED_MORE, RY_DNS_FEED_WAIT };
struct ry_dns_feed {
	/* Submits names while ry_dns_room(d) > 0 and names are at hand;
	 * readable: fd became readable since the last call (read it first).
	 * Returns RY_DNS_FEED_MORE (the engine is full: call again when it
	 * has room), RY_DNS_FEED_WAIT (no name at hand: call again once fd
	 * is readable) or RY_DNS_FEED_END (no more names, on an error too:
	 * the feed keeps its own). */
	int (*fill)(void *ctx, struct ry_dns *d, bool readable);
	/* After each round of answers, before the engine waits again: the
	 * caller flushes what it printed, draws its progress.  May be NULL. */
	void (*idle)(void *ctx);
	void *ctx;
	int fd;				/* the input fill waits on, or -1 */
	const atomic_bool *stop;	/* set: return at once; may be NULL */
};

/* Runs the engine over a feed until every name fed has its answer and
 * the feed has ended, or *stop is set.  0, or the poller's error. */
int ry_dns_drive(struct ry_dns *d, const struct ry_dns_feed *f);

void ry_dns_stats(const struct ry_dns *d, struct ry_dns_stats *st);

/* The reverse-lookup name of an address (4.3.2.1.in-addr.arpa, the
 * nibbles of ip6.arpa) in buf of at least 74 bytes. */
void ry_dns_arpa_name(const struct ry_ipaddr *a, char *buf, size_t len);

#endif
