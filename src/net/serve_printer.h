/*
 * serve_printer: lines from many threads to one file descriptor that may be
 * slow, stalled or gone, without ever blocking the threads that hand
 * them over.  serve's print mode: workers call ry_printer_line, one
 * printer thread formats (util/out records, plain or JSON) and writes.
 *
 * Memory: lines travel in per-thread batches of 32 KiB or more; each
 * batch is counted, allocation and all, in the caller's *mem_used until
 * it has been formatted into the printer's own 64 KiB buffer; the producers bound it (net/server stops reading at its
 * budget), so the queue never blocks and never grows past the budget.
 *
 * Writes go out 64 KiB at a time and may block while the reader does
 * not read (a paused terminal, a pipe nobody drains): only the printer
 * thread waits then.  When a write fails, lines are dropped from then on and
 * ry_printer_status() says why: -EPIPE, the reader left; another errno
 * (-ENOSPC, -EIO), stdout refused them.
 *
 * ry_printer_finish(): the producers are done; the printer delivers what
 * is queued until an absolute deadline, or until *hurry becomes true (a
 * second SIGINT), then drops the rest and counts it as undelivered.  It
 * returns within about 200 ms of the deadline, or at once on *hurry,
 * whatever the reader does: a printer blocked in a write is left behind
 * for the process's end.
 *
 * Thread safety: ry_printer_line from any thread; start, status and finish
 * from one controlling thread.
 */
#ifndef RY_NET_SERVE_PRINTER_H
#define RY_NET_SERVE_PRINTER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct ry_printer_config {
	int fd;				/* where lines go (stdout) */
	bool json;			/* {"peer":...,"line":...} objects */
	bool peer;			/* plain lines: "PEER LINE" */
	bool keep_cr;			/* plain lines: keep a final '\r' (telnet's
					 * and nc -C's CRLF is a line end otherwise;
					 * JSON always keeps every byte) */
	atomic_size_t *mem_used;	/* the shared count (see above) */
};

struct ry_printer_stats {
	uint64_t delivered;		/* lines written whole */
	uint64_t undelivered;		/* dropped: stop deadline, or a failed write */
};

struct ry_printer;

/* Starts the printer thread.  NULL with errno. */
struct ry_printer *ry_printer_start(const struct ry_printer_config *cfg);

/* Adds a copy of one line from peer to the calling thread's batch.
 * Never blocks.  0, -ENOMEM or -EMSGSIZE (the line is dropped and
 * counted undelivered). */
int ry_printer_line(struct ry_printer *p, const char *peer, const char *line, size_t len);

/* Hands the calling thread's batch to the printer: call at the end of
 * each round of work (net/server's on_round), so lines go out without
 * waiting for more.  0, or -EPIPE after finish (counted undelivered).
 * Batches are per thread, so one printer per process. */
int ry_printer_round(struct ry_printer *p);

/* 0 while writes succeed; then the negative errno of the first that
 * failed (-EPIPE: the reader left). */
int ry_printer_status(struct ry_printer *p);

/* Delivers what is queued until deadline_ns (CLOCK_MONOTONIC, absolute)
 * or *hurry, stops the thread, fills *st and frees the printer. */
void ry_printer_finish(struct ry_printer *p, int64_t deadline_ns, const atomic_bool *hurry,
		       struct ry_printer_stats *st);

#endif
