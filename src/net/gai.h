/*
 * gai: many name lookups in parallel, each bounded by a deadline.
 *
 * ry_resolver_start() copies the queries and looks them up with getaddrinfo
 * on up to `jobs` threads at a time; ry_resolver_next() hands back results
 * as lookups finish.  getaddrinfo has no timeout of its own, so a lookup
 * still running `timeout` after it began is reported as -ETIMEDOUT and its
 * thread is abandoned: it finishes on its own (its result is dropped) while
 * a fresh thread takes its place, up to 4 x jobs threads alive in all.
 * glibc's own retries would outlast the deadline (5 s x 2 per server), so
 * ry_resolver_start bounds them through RES_OPTIONS ("timeout:T
 * attempts:1", T the deadline rounded up to whole seconds, plus one, so our deadline
 * always fires first and a silent server is always "timed out") unless the
 * user set RES_OPTIONS: abandoned threads then end too.  It sets the
 * environment, so start the first resolver before any other thread.
 *
 * Ownership: queries are copied; each result's address array belongs to
 * the caller (ry_lookup_result_free).  ry_resolver_free() may be called with
 * lookups still running: it detaches their threads, which free the shared
 * state when the last one ends.
 *
 * Thread safety: start, next and free from one thread; the lookups run on
 * the resolver's own threads.
 */
#ifndef RY_NET_GAI_H
#define RY_NET_GAI_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "util/error.h"

struct ry_lookup {
	const char *host;	/* a name or an address literal */
	const char *port;	/* digits, a service name, or NULL */
	int family;		/* AF_UNSPEC, AF_INET or AF_INET6 */
	bool passive;		/* an address to bind: no host means any */
	bool reverse;		/* host is an address: its name (getnameinfo,
				 * as getent hosts ADDR asks NSS) */
};

struct ry_lookup_result {
	size_t index;			/* into the queries given to start */
	int status;			/* 0, RY_ENONAME, -ETIMEDOUT, ... */
	const char *why;		/* static text when status != 0 */
	size_t naddrs;
	struct sockaddr_storage *addrs;	/* resolver order, duplicates removed */
	char *name;			/* reverse: the address's name (malloc'd) */
};

struct ry_resolver;

/* Starts looking up q[0..n).  jobs >= 1; timeout_ns > 0.  NULL with errno
 * set (ENOMEM, EAGAIN). */
struct ry_resolver *ry_resolver_start(const struct ry_lookup *q, size_t n,
				      unsigned jobs, int64_t timeout_ns);

/* Blocks for the next result.  0, -EPIPE once all n are delivered, or
 * -EINTR once *stop (see ry_resolver_set_stop) is set. */
int ry_resolver_next(struct ry_resolver *r, struct ry_lookup_result *res);

/* A flag (set from a signal handler, say) that makes next give up within
 * 50 ms.  NULL: none. */
void ry_resolver_set_stop(struct ry_resolver *r, const atomic_bool *stop);

/* A function next calls just before it blocks for a result (none is
 * ready): the caller flushes its output there, so every result is out
 * as soon as no other is waiting, into a pipe or a file alike.  NULL:
 * none. */
void ry_resolver_set_idle(struct ry_resolver *r, void (*fn)(void *ctx), void *ctx);

void ry_resolver_free(struct ry_resolver *r);
void ry_lookup_result_free(struct ry_lookup_result *res);

/* One lookup on the calling thread, no deadline.  Fills res (index 0). */
void ry_lookup_one(const struct ry_lookup *q, struct ry_lookup_result *res);

/* One lookup bounded by timeout_ns (> 0), on a resolver thread: the
 * first address goes to *ss and *len.  Returns 0 or the lookup's status
 * (RY_ENONAME, -ETIMEDOUT, -EAGAIN, ...), with *why its text. */
int ry_lookup_first(const struct ry_lookup *q, int64_t timeout_ns, struct sockaddr_storage *ss,
		    socklen_t *len, const char **why);

/* The status and text of a getaddrinfo error code (EAI_*), the one
 * table of them: RY_ENONAME for a name with no address, -EAGAIN for a
 * name server that did not answer, RY_EBADADDR for an unknown service,
 * -EIO otherwise. */
int ry_gai_status(int eai, const char **why);

#endif
