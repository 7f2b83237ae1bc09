/*
 * hosts: the hosts file (/etc/hosts), read once, for the DNS engine.
 *
 * The system resolver asks "files" before "dns"; so does resolve's
 * engine, through this table: a name or address the file holds is
 * answered from it, and no query is sent for it.  Lookups are by binary
 * search, so a blocklist-sized file costs a sort, not a scan per name.
 * Names compare without regard to case; a trailing dot is ignored.
 *
 * Ownership: the table owns its copies; ry_hosts_free releases them.
 * Thread safety: load on one thread, then look up from any.
 */
#ifndef RY_NET_HOSTS_H
#define RY_NET_HOSTS_H

#include <stddef.h>

#include "net/addr.h"

struct ry_hosts;

/* Reads path (NULL: /etc/hosts).  A missing or unreadable file gives an
 * empty table.  NULL only when out of memory. */
struct ry_hosts *ry_hosts_load(const char *path);
void ry_hosts_free(struct ry_hosts *h);

/* Calls fn for each address of name of the given family (AF_UNSPEC:
 * both), in file order.  Returns whether the file knows the name at
 * all (in any family): a known name is not asked of DNS. */
int ry_hosts_addrs(const struct ry_hosts *h, const char *name, int family,
		   void (*fn)(void *ctx, const struct ry_ipaddr *a), void *ctx);

/* Calls fn for each name (canonical first, then aliases) of address a.
 * Returns whether there was any. */
int ry_hosts_names(const struct ry_hosts *h, const struct ry_ipaddr *a,
		   void (*fn)(void *ctx, const char *name), void *ctx);

#endif
