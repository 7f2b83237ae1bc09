/*
 * sweep_impl: what the sweep method files share with sweep.c's table.
 * Not for use outside net/sweep*.c.
 */
#ifndef RY_NET_SWEEP_IMPL_H
#define RY_NET_SWEEP_IMPL_H

#include "net/sweep.h"
#include "util/priv.h"

extern const struct ry_sweep_method ry_sweep_auto;
extern const struct ry_sweep_method ry_sweep_icmp;
extern const struct ry_sweep_method ry_sweep_arp;
extern const struct ry_sweep_method ry_sweep_exec;
extern const struct ry_sweep_method ry_sweep_tcp;

/* Which of t[0..n) are on a directly connected IPv4 network (inside the
 * prefix of an up, ARP-capable interface's address): onlink[i] (onlink
 * may be NULL), and how many. */
size_t ry_sweep_arp_onlink(const struct ry_ipaddr *t, size_t n, bool *onlink);
/* 0 when this process may open packet sockets (CAP_NET_RAW), else
 * -EPERM.  Found out once per process (it costs a socket); any thread. */
int ry_sweep_arp_access(void);

/* The round-trip time in a ping summary, in microseconds, or -1
 * (sweep_exec.c; exposed for its unit test). */
long ry_sweep_exec_rtt(const char *out);

static inline bool ry_sweep_stopped(const struct ry_sweep_config *cfg)
{
	return cfg->stop && atomic_load(cfg->stop);
}

/* Called by a method once its sockets are open (exec and tcp: at once):
 * 0, or the negative errno that ends the run. */
static inline int ry_sweep_sockets_ready(const struct ry_sweep_config *cfg)
{
	return cfg->drop_privileges ? ry_priv_drop_thread() : 0;
}

#endif
