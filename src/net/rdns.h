/*
 * rdns: the name of each live host of a sweep (ping-sweep -d), asked on
 * the DNS engine (net/dns: the hosts file, then one PTR query) while the
 * sweep goes on, so that names cost no time of their own.  Each name
 * gets at least a second, or the sweep's timeout if longer.
 *
 * The table holds one name per target (its first PTR name, or none);
 * `done` is called once for each target asked, when its name is known
 * or known to be missing, from within ry_rdns_ask, ry_rdns_poll or
 * ry_rdns_finish.
 *
 * Ownership: the table owns its names.  Thread safety: one thread.
 */
#ifndef RY_NET_RDNS_H
#define RY_NET_RDNS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"

struct ry_rdns;

typedef void ry_rdns_done_fn(void *ctx, size_t i);

/* A table for targets 0..n-1.  NULL with *why (static text). */
struct ry_rdns *ry_rdns_new(size_t n, int64_t timeout_ns, ry_rdns_done_fn *done, void *ctx,
			    const char **why);
void ry_rdns_free(struct ry_rdns *r);

/* Asks for a's name as target i: 0 (done follows), or -ENOMEM and the
 * like (the caller goes on without a name). */
int ry_rdns_ask(struct ry_rdns *r, size_t i, const struct ry_ipaddr *a);
/* Hands on the answers that came, without waiting. */
void ry_rdns_poll(struct ry_rdns *r);
/* Waits for every name asked, each within its deadline, or until *stop
 * (may be NULL); then calls done for the names still asked (without a
 * name), so that every target asked is done once. */
void ry_rdns_finish(struct ry_rdns *r, const atomic_bool *stop);
/* Target i's name, or NULL (none, or not known yet). */
const char *ry_rdns_name(const struct ry_rdns *r, size_t i);

#endif
