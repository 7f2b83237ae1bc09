/*
 * poller: readiness notification for many sockets, the one Linux-only
 * piece of the event loops (epoll; poller_epoll.c).  A port to kqueue is
 * one file with these five functions.
 *
 * Events are level-triggered.  Each registered fd carries a pointer the
 * caller chooses (never NULL), handed back with its events.  Another
 * thread can wake a waiting poller with ry_poller_wake(); the wake-up is
 * reported as one event whose ptr is NULL.
 *
 * Thread safety: one poller belongs to one thread, except that add, mod,
 * del and wake may be called from any thread.
 */
#ifndef RY_NET_POLLER_H
#define RY_NET_POLLER_H

#include <stdint.h>

#define RY_POLL_IN   1u
#define RY_POLL_OUT  2u
#define RY_POLL_ERR  4u		/* error or hang-up: read to learn which */

struct ry_poller;

struct ry_poll_event {
	void *ptr;
	unsigned events;
};

/* NULL with errno set. */
struct ry_poller *ry_poller_new(void);
void ry_poller_free(struct ry_poller *p);

/* Register, change or remove fd.  0 or a negative errno. */
int ry_poller_add(struct ry_poller *p, int fd, unsigned events, void *ptr);
int ry_poller_mod(struct ry_poller *p, int fd, unsigned events, void *ptr);
int ry_poller_del(struct ry_poller *p, int fd);

/* Makes the poller's current or next wait return with a NULL event.
 * Async-signal-safe. */
void ry_poller_wake(struct ry_poller *p);

/* Waits up to timeout_ms (-1: no limit) and fills at most max events.
 * Returns the count (0 on timeout or a signal), or a negative errno. */
int ry_poller_wait(struct ry_poller *p, struct ry_poll_event *ev, int max, int timeout_ms);

/* As ry_poller_wait, with a timeout in nanoseconds (>= 0), for loops
 * that keep a schedule finer than a millisecond.  Where the system has
 * no such wait, the timeout is rounded up to whole milliseconds. */
int ry_poller_wait_ns(struct ry_poller *p, struct ry_poll_event *ev, int max, int64_t timeout_ns);

#endif
