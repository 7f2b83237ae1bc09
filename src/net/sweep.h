/*
 * sweep: which hosts answer, by one of several methods, each a row of a
 * table and a file of its own:
 *
 *   auto      arp for on-link IPv4 targets when packet sockets are
 *             permitted, icmp for the rest (sweep.c)
 *   icmp      echo requests from one socket per family (sweep_icmp.c)
 *   arp       ARP requests on the target's local network (sweep_arp.c)
 *   exec      the system ping, one process per probe (sweep_exec.c)
 *   tcp:PORTS a TCP connect to each port (22,80,443; ssh); accepted or
 *             refused both mean up, any port will do (sweep_tcp.c,
 *             nmap's idea)
 *
 * A new method is one file with its run function and one row in
 * sweep.c's table.  Every method probes each target, retries a silent
 * one `retries` times `timeout` after its last probe, and settles every
 * target exactly once: up (on_up is called, on the caller's thread, with
 * the round-trip time, or -1 where the method has none) or given up.  A
 * reply that comes after a target was given up is not counted: the host
 * stays down, as fping reports a reply after its timeout.  *stop (may be
 * NULL), set from a signal handler or another thread, ends the sweep
 * early.
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

#include "net/addr.h"
#include "util/error.h"

struct ry_sweep_config;

#define RY_SWEEP_MAXPORTS 16
/* Packets a method takes from one socket before it looks at its clock
 * again: a flood of replies (forged or not) cannot hold back the
 * timeouts (a security review measured a 0.2 s sweep taking 2.5-5.7 s
 * under a flood from a neighbour namespace with no bound, 0.37-0.50 s
 * with one). */
#define RY_SWEEP_RECV_BUDGET 256

struct ry_sweep_method {
	const char *name;		/* as -m takes it: "icmp", "tcp" */
	const char *help;		/* what it sends, for --help (43 columns) */
	bool takes_port;		/* written NAME:PORT */
	bool privileged;		/* needs ICMP sockets (see net/icmp_sock) */
	bool has_rtt;
	bool has_mac;			/* learns the hardware address (arp) */
	bool counts;			/* has count mode (-c, -C; auto: as icmp) */
	/* Sweeps t[0..n); up[i] becomes true for each host that answered.
	 * 0, -EPERM (not permitted), -ENOENT (no ping program), or another
	 * negative errno. */
	int (*run)(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg,
		   bool *up);
};

struct ry_sweep_config {
	const struct ry_sweep_method *method;
	unsigned tcp_ports[RY_SWEEP_MAXPORTS];	/* tcp: up when any answers */
	unsigned ntcp_ports;
	int64_t timeout_ns;
	unsigned retries;
	unsigned rate;			/* probes per second; 0: no limit */
	unsigned jobs;			/* exec and tcp: probes in flight */
	const char *ping;		/* exec: program name (default "ping") */
	atomic_bool *stop;
	void (*on_up)(void *ctx, size_t index, int64_t rtt_ns);
	/* May be NULL: a target was given up (silent after its last try,
	 * or failed for a reason), on the caller's thread, once, as it
	 * happens (not for targets a stop kept from being settled; not in
	 * count mode). */
	void (*on_down)(void *ctx, size_t index);
	/* Called once per round of the method's loop, after that round's
	 * on_up calls and before it waits, with how many targets are
	 * settled (answered, or given up on): never more than n.  May be
	 * NULL. */
	void (*on_progress)(void *ctx, size_t settled);
	void *ctx;
	/* Count mode (icmp only; others refuse it with -EINVAL): `count`
	 * probes to every target, `period_ns` apart, each with its own
	 * `timeout_ns`; retries do not apply.  on_reply (may be NULL) is
	 * called for every probe answered in time; on_up still once per
	 * target, at its first reply. */
	unsigned count;
	int64_t period_ns;
	void (*on_reply)(void *ctx, size_t index, unsigned probe, int64_t rtt_ns);
	/* May be NULL: filled with the probes sent to each target (0: not
	 * probed, as after a stop). */
	unsigned *sent;
	/* May be NULL: a probe that failed for a reason, at once: an ICMP
	 * error that quotes it (why: "host unreachable"; from: its sender;
	 * raw ICMP sockets only), or a send the kernel refused (from NULL;
	 * why: "network unreachable", ...).  Called on the caller's thread;
	 * the target is given up at once when it has no retry left. */
	void (*on_fail)(void *ctx, size_t index, const char *why, const struct ry_ipaddr *from);
	/* May be NULL: arp fills in the hardware address of each target
	 * that answered. */
	uint8_t (*mac)[6];
	/* May be NULL: arp heard a second hardware address (other) claim a
	 * target that first answered from `first`: two machines hold one
	 * address, or one lies.  Once per target, on the caller's thread,
	 * after its on_up; the target stays up with its first address. */
	void (*on_conflict)(void *ctx, size_t index, const uint8_t first[6], const uint8_t other[6]);
	/* Give up every capability once the method's sockets are open, on
	 * each thread that probes, before any reply is read (util/priv:
	 * ry_priv_drop_thread); exec and tcp, which open no raw socket, at
	 * once.  A failure to drop ends the run with its error. */
	bool drop_privileges;
	/* May be NULL: the method that probed each target (auto picks one
	 * per target; every other method fills in itself). */
	const struct ry_sweep_method **by;
};

/* The method of a -m value ("icmp", "exec", "tcp:22", "tcp:22,80,ssh"):
 * sets cfg->method (and cfg->tcp_ports).  0, -ERANGE (a port after the
 * colon is not 1-65535, or an unknown service) or RY_EBADADDR, with
 * *why (NULL: no such method). */
int ry_sweep_method_parse(const char *text, struct ry_sweep_config *cfg, const char **why);

/* The method called name, or NULL. */
const struct ry_sweep_method *ry_sweep_method_find(const char *name);

/* "icmp, exec or tcp:PORT": the methods for a message or --help. */
const char *ry_sweep_method_list(void);
/* For -m's --help: one line per method, "\n  NAME  what it sends". */
const char *ry_sweep_method_help(void);
/* -m's values for completion: "auto", ..., "tcp:" (NULL-terminated). */
const char *const *ry_sweep_method_choices(void);

/* Whether cfg->method may run here over t[0..n): a privileged method
 * needs ICMP sockets for every family among the targets.  0 when it
 * may; when it may not but the system ping exists, cfg->method becomes
 * exec, *fell_back is set and 0 is returned; else -EPERM. */
int ry_sweep_usable(struct ry_sweep_config *cfg, const struct ry_ipaddr *t, size_t n,
		    bool *fell_back);

/* How ry_sweep_choose settled the method, for the caller to say. */
enum ry_sweep_refusal {
	RY_SWEEP_OK,
	RY_SWEEP_NO_ICMP,	/* ICMP sockets not permitted, no ping either */
	RY_SWEEP_NO_PACKET,	/* arp: packet sockets not permitted */
	RY_SWEEP_NO_COUNT,	/* count mode, and ICMP sockets not permitted */
};
struct ry_sweep_choice {
	enum ry_sweep_refusal refused;
	bool fell_back;		/* icmp not permitted: the system ping (exec) */
	size_t off_link;	/* arp: targets off every directly connected
				 * IPv4 network, which it cannot probe */
};

/* Settles cfg->method for this run's targets t[0..n): auto becomes icmp
 * in count mode, or when no target is on a directly connected IPv4
 * network or packet sockets are not permitted (auto then needs no
 * packet socket); a privileged method that may not run here falls back
 * to exec where it can (ry_sweep_usable).  0, or -EPERM with
 * ch->refused saying why. */
int ry_sweep_choose(struct ry_sweep_config *cfg, const struct ry_ipaddr *t, size_t n,
		    struct ry_sweep_choice *ch);

/* Runs cfg->method over t[0..n), as its run function says. */
int ry_sweep_run(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg,
		 bool *up);

/* What a sweep learned of each target, kept by the engine so that the
 * caller only prints: arrays of n, by target index.  In count mode
 * (count > 0) recv and rmin/rmax/rsum hold each target's replies, and
 * with each (fping's -C) each probe's RTT at i * count + k (-1: lost). */
struct ry_sweep_results {
	size_t n;
	unsigned count;
	bool *up;
	bool *settled;		/* up, or given up (not cut short by a stop) */
	int64_t *rtt;		/* the first reply's, -1 unknown */
	unsigned *sent;		/* probes sent (0: never probed) */
	uint8_t (*mac)[6];	/* arp: who answered */
	const struct ry_sweep_method **by;	/* the method that probed it */
	char **fail;		/* why a probe failed ("host unreachable
				 * from 192.0.2.1"), or NULL */
	unsigned *recv;		/* count mode */
	int64_t *rmin, *rmax, *rsum, *each;
};

/* Room for n targets (count: probes each in count mode, with `each` to
 * keep every RTT).  0 or -ENOMEM (then nothing is left to free). */
int ry_sweep_results_init(struct ry_sweep_results *res, size_t n, unsigned count, bool each);
void ry_sweep_results_free(struct ry_sweep_results *res);

/* ry_sweep_run, keeping what it learns in res (from
 * ry_sweep_results_init with the same n): cfg's sent, mac and by are
 * res's, and its callbacks are called after res holds what they report
 * (on_fail only when a target's reason changes; res->fail has the text,
 * with the sender when an ICMP error named one). */
int ry_sweep_run_into(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg,
		      struct ry_sweep_results *res);

/* Target i's state: "up", "down" (given up), "unprobed" (a stop came
 * first) or, stopped while its probes were out, "interrupted" (neither:
 * --resume probes it again). */
const char *ry_sweep_results_state(const struct ry_sweep_results *res, size_t i, bool stopped);

/* The sums over every target: up, settled (up or given up, or probed
 * in a run that was not stopped), and the count-mode figures (rmin and
 * rmax 0 when nothing was received). */
struct ry_sweep_totals {
	size_t up, settled;
	unsigned long long sent, recv;
	int64_t rmin, rmax, rsum;
};
void ry_sweep_results_totals(const struct ry_sweep_results *res, bool stopped, struct ry_sweep_totals *t);

/* The methods that probed the targets, by name, into buf: "icmp", or
 * "arp+icmp" after auto split them (dflt: for targets none probed). */
void ry_sweep_results_methods(const struct ry_sweep_results *res, const struct ry_sweep_method *dflt,
			      char *buf, size_t len);

#endif
