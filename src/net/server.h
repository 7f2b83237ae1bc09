/*
 * server: a TCP line server that holds many connections on a few threads.
 *
 * One acceptor thread takes connections and hands each to one of N worker
 * threads, round-robin, through a channel and an eventfd wake-up (the
 * memcached design).  Each worker runs an event loop over its connections,
 * so a connection lives on one thread for its whole life and its lines
 * keep their order.  A connection costs about 200 bytes plus what it has
 * buffered: a partial line (print mode, at most max_line) or echo bytes
 * the client has not read yet (echo mode, at most one 64 KiB read: the
 * worker stops reading from a client until its echoes have gone out).
 *
 * Modes:
 *   PRINT  every complete line is handed to on_line (without its '\n';
 *          net/lines does the cutting);
 *          a final line without one is handed over when the client
 *          closes; a line longer than max_line closes the connection.
 *   ECHO   every byte comes back in order until the client closes;
 *          after the client's half-close, pending echoes still go out.
 *   ONCE   the tutorial's echo: read one line, write it back, close.
 *
 * Limits: beyond max_conns open connections a new one is closed at once,
 * and so is one from an address that holds per_addr_max already (an
 * IPv4 address, or an IPv6 /64), or one from an address that holds any
 * when only `reserve` slots are left: those are kept for addresses that
 * hold none, so a flood from a few addresses cannot lock newcomers out;
 * a connection idle longer than idle_timeout_ns is closed, and so is one
 * whose line is not complete line_timeout_ns after its first byte (a
 * client that trickles a byte at a time is never idle); when the
 * process is out of file descriptors the acceptor sheds the connection
 * with a reserve descriptor and never spins.
 *
 * Memory: with mem_budget set, the bytes held in connection buffers
 * (partial lines, unsent echoes) are counted in *mem_used, which the
 * caller may share with what its on_line keeps (serve's printer queue).
 * Once the count reaches the budget, workers stop reading (each client's
 * TCP window fills and pushes back) and look again every 10 ms; they
 * never block.  The count can pass the budget by at most one read (64
 * KiB) per worker, and by what a stop drains.  A paused connection is
 * still subject to the idle and line timeouts.
 *
 * Callbacks run on worker threads (on_line) or any server thread (log),
 * concurrently: they must be thread-safe, and on_line may block to push
 * back on clients (serve's never does: it counts its queue in the
 * budget instead).  The library itself prints nothing.
 *
 * Stats: the counters may be read at any time; over_addr and held_back
 * only after ry_server_stop().
 *
 * ry_server_stop() stops accepting, reads what connected clients have
 * already sent (so every complete line that arrived is handed over),
 * closes every connection and joins the threads.  Call it once, from one
 * thread.
 */
#ifndef RY_NET_SERVER_H
#define RY_NET_SERVER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

enum ry_serve_mode { RY_SERVE_PRINT, RY_SERVE_ECHO, RY_SERVE_ONCE };

struct ry_server_config {
	enum ry_serve_mode mode;
	unsigned workers;		/* >= 1 */
	unsigned long max_conns;	/* >= 1 */
	unsigned long per_addr_max;	/* from one address; 0: no limit */
	unsigned long reserve;		/* slots for addresses holding none */
	size_t max_line;		/* print and once modes */
	int64_t idle_timeout_ns;	/* 0: none */
	int64_t line_timeout_ns;	/* print and once modes; 0: none */
	bool verbose;			/* log opens and closes too */
	size_t mem_budget;		/* bytes; 0: none */
	atomic_size_t *mem_used;	/* shared count, or NULL: the server's own */
	void (*on_line)(void *ctx, const char *peer, const char *line, size_t len);
	/* Called by each worker after each round of events, before it
	 * waits, and once more as it ends: on_line's batches go out there.
	 * May be NULL. */
	void (*on_round)(void *ctx);
	void (*log)(void *ctx, const char *msg);
	void *ctx;
};

struct ry_server_stats {
	uint64_t conns;		/* accepted and served */
	uint64_t refused;	/* closed at once: any limit, or no fds */
	uint64_t over_addr;	/* of refused: the per-address limit */
	uint64_t held_back;	/* of refused: the reserve */
	uint64_t lines;		/* print and once modes */
	uint64_t bytes;		/* received */
	uint64_t pauses;	/* connections paused by the memory budget */
};

struct ry_server;

/* Starts serving the listening socket lfd (which the server then owns).
 * NULL with errno set. */
struct ry_server *ry_server_start(int lfd, const struct ry_server_config *cfg);
/* Drains and stops; blocks until every server thread has ended. */
void ry_server_stop(struct ry_server *s);
void ry_server_get_stats(struct ry_server *s, struct ry_server_stats *st);
/* Frees a stopped server. */
void ry_server_free(struct ry_server *s);

#endif
