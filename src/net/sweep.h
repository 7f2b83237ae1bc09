/*
 * sweep: which hosts answer, by ICMP echo, by running ping, or by a TCP
 * connect.  Rust tutorial's ping sweep grown into an engine.
 *
 * ICMP: one socket per family (raw when the process has CAP_NET_RAW, else
 * the unprivileged datagram "ping" socket where net.ipv4.ping_group_range
 * allows it), sending at `rate` probes a second while replies are read
 * between sends; replies are matched by our payload's magic and index and
 * by the source address.  A probe that has no reply `timeout` after it
 * was sent is retried, up to `retries` times, so a sweep of silent hosts
 * takes about timeout x (retries + 1) plus the sending time.
 *
 * EXEC: the system ping, once per target (plus retries), `jobs` at a
 * time, started without a shell; exit status 0 means up.
 *
 * TCP: a connect to `tcp_port`, `jobs` in flight; an accepted or a
 * refused connection both mean the host is up (nmap's idea), a timeout
 * or an unreachable error means down.
 *
 * on_up is called on the caller's thread as each host answers, with the
 * round-trip time (-1 when unknown: exec).  *stop (may be NULL), set from
 * a signal handler or another thread, ends the sweep early.
 *
 * Thread safety: ry_sweep_run blocks its caller (exec uses a thread pool
 * internally).  Targets must stay valid during the run.
 */
#ifndef RY_NET_SWEEP_H
#define RY_NET_SWEEP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/target.h"
#include "util/error.h"

enum ry_sweep_method { RY_SWEEP_ICMP, RY_SWEEP_EXEC, RY_SWEEP_TCP };

struct ry_sweep_config {
	enum ry_sweep_method method;
	unsigned tcp_port;
	int64_t timeout_ns;
	unsigned retries;
	unsigned rate;			/* probes per second; 0: no limit */
	unsigned jobs;			/* exec and tcp: probes in flight */
	const char *ping;		/* exec: program name (default "ping") */
	atomic_bool *stop;
	void (*on_up)(void *ctx, size_t index, int64_t rtt_ns);
	/* Called now and then with how many targets are settled (answered,
	 * or given up on); may be NULL. */
	void (*on_progress)(void *ctx, size_t settled);
	void *ctx;
};

/* Sweeps t[0..n); up[i] becomes true for each host that answered.
 * Returns 0, -EPERM (ICMP sockets not permitted), -ENOENT (no ping
 * program), or another negative errno. */
int ry_sweep_run(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg,
		 bool *up);

/* Which ICMP socket this process may open for family: 1 raw, 2 datagram,
 * or -EPERM. */
int ry_icmp_access(int family);

#endif
