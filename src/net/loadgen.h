/*
 * loadgen: an echo load generator that verifies every byte.
 *
 * Opens `conns` connections to an echo server over `threads` event loops
 * and keeps `depth` requests in flight on each.  A request is a line of
 * `size` bytes (the newline included) that carries its sequence number,
 * so each echoed byte is checked against what that request sent; a
 * connection whose echo differs counts a mismatch and is closed.  Each
 * request's latency, from its send to the last byte of its echo, goes
 * into a histogram.
 *
 * Constant rate (`rate` > 0, requests per second in all, as wrk2): each
 * connection's requests are due on a fixed schedule (the connections of
 * a thread take turns, evenly spaced), a request is sent when it is due
 * and the connection has room for it, and its latency runs from when it
 * was due, not from when it went out: a server that stalls cannot hide
 * the requests that queued behind the stall (coordinated omission).
 *
 * A run is always bounded: by `requests` in all (shared out between the
 * connections), or by `duration_ns`, after which no new request is sent
 * and those in flight are awaited.  `io_timeout_ns` bounds each wait for
 * progress.  In a run bounded by time, a connection that is lost (reset,
 * closed, timed out, refused) dials again 100 ms later, as wrk does,
 * until the time is up: its requests in flight count as one error and
 * are sent again; a run bounded by a count ends such a connection.  *stop (may be NULL), set from another thread, ends a run
 * early in the same way.
 *
 * Thread safety: ry_load_run blocks its caller and runs its own threads.
 */
#ifndef RY_NET_LOADGEN_H
#define RY_NET_LOADGEN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "util/error.h"
#include "util/hist.h"

struct ry_load_config {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	unsigned conns;			/* >= 1 */
	unsigned threads;		/* >= 1, <= conns */
	uint64_t requests;		/* 0: run for duration_ns */
	int64_t duration_ns;
	size_t size;			/* >= 2 */
	unsigned depth;			/* >= 1 */
	double rate;			/* requests per second in all; 0: as fast as echoed */
	int64_t io_timeout_ns;		/* > 0 */
	atomic_bool *stop;
};

struct ry_load_result {
	uint64_t requests;		/* echoed and verified */
	uint64_t mismatches;		/* echoes that differed */
	uint64_t errors;		/* resets, timeouts, early closes */
	uint64_t failed_conns;		/* could not connect (each attempt) */
	uint64_t connected;		/* connects that succeeded */
	uint64_t reconnects;		/* of them, after a connection was lost */
	double secs;
	struct ry_hist lat_ns;
	int first_error;		/* negative errno of the first failure */
};

/* Runs the load; fills *res.  0, or a negative errno when no thread could
 * start. */
int ry_load_run(const struct ry_load_config *cfg, struct ry_load_result *res);

/* The tutorial's single check: connects to addr, sends message and a
 * newline, reads one line back (at most 1 MiB), each step within
 * timeout_ns.  0 with *echo holding the line (without its newline; the
 * peer's bytes, unescaped) and *match set (trim: the echo's trailing
 * white space is not compared, as the tutorial's trim_right, so a CRLF
 * echo matches); or a negative errno (-ENODATA: the server closed
 * without a byte), with *connected saying whether it failed connecting
 * or waiting for the echo. */
struct ry_buf;
int ry_load_check(const struct sockaddr *addr, socklen_t len, const char *message, int64_t timeout_ns,
		  bool trim, struct ry_buf *echo, bool *match, bool *connected);

/* The request line of sequence seq, as loadgen sends it (for tests):
 * size bytes into buf. */
void ry_load_request(uint64_t seq, size_t size, char *buf);

#endif
