/*
 * priv: giving up privileges, as iputils ping and fping do.
 *
 * rustyc needs one privilege, for one subcommand: CAP_NET_RAW, to open
 * raw ICMP sockets in ping-sweep.  Everything else it does (name
 * lookups, parsing replies from the network, spawning ping) must not run
 * with more.  So:
 *
 *   - installed setuid or setgid, main calls ry_priv_drop_setid() before
 *     anything else: the process becomes the real user and group at once
 *     and for good (all of real, effective and saved ids), keeping only
 *     CAP_NET_RAW, and only when it was setuid root;
 *   - ping-sweep calls ry_priv_keep_net_raw() before it resolves a name
 *     or spawns a program: a process started as root (or with file
 *     capabilities) keeps at most CAP_NET_RAW, in its own sets and in the
 *     bounding set, so no program it spawns gets more either;
 *   - the sweep methods call ry_priv_drop_thread() once their sockets
 *     are open, on every thread that probes, before the first reply is
 *     read: from then on the run holds no capability at all (as iputils
 *     ping drops CAP_NET_RAW once its socket exists);
 *   - resolve calls ry_priv_drop_all() first: it needs no privilege.
 *
 * Linux capabilities through capget/capset and prctl; no library.
 *
 * Thread safety: call on the main thread before any other starts
 * (capabilities and ids are per thread in the kernel; glibc's setresuid
 * makes ids process-wide, capset does not).
 */
#ifndef RY_UTIL_PRIV_H
#define RY_UTIL_PRIV_H

#include <stdbool.h>

/* Drops a setuid or setgid start to the real ids (see above).  0, or a
 * negative errno: the caller must not go on. */
int ry_priv_drop_setid(void);

/* Keeps at most CAP_NET_RAW (see above).  0 or a negative errno. */
int ry_priv_keep_net_raw(void);

/* Gives up every capability (sets, bounding set, ambient), for a
 * subcommand that needs none: a root run of resolve parses answers from
 * the network with nothing to lose.  0 or a negative errno. */
int ry_priv_drop_all(void);

/* Gives up every capability of the calling thread: its effective,
 * permitted and inheritable sets and the ambient set (the kernel keeps
 * these per thread; the bounding set needs CAP_SETPCAP, already gone
 * after ry_priv_keep_net_raw()).  Any thread, any time; threads it
 * spawns later inherit the empty sets.  0 or a negative errno. */
int ry_priv_drop_thread(void);

/* Whether the process started with privileges: setuid or setgid, an
 * effective uid of 0, or any permitted capability.  Programs are then
 * looked up on a fixed PATH, never the caller's (net/proc). */
bool ry_priv_started_privileged(void);

#endif
