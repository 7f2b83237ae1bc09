#include "net/printer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/chan.h"
#include "core/thread.h"
#include "net/addr.h"
#include "util/out.h"
#include "util/time.h"

#define OUT_MAX ((size_t)64 * 1024)

/* A line on its way to the printer thread. */
struct rec {
	size_t len;
	char peer[RY_ADDRSTR_MAX];
	char line[];
};

struct ry_printer {
	struct ry_printer_config cfg;
	struct ry_sender *tx;		/* producers' side */
	struct ry_receiver *rx;		/* the printer thread's */
	struct ry_thread *thread;
	atomic_int failed;		/* a write failed: -EPIPE (the reader
					 * left) or another negative errno */
	atomic_bool done;		/* the thread has ended */
	_Atomic int64_t deadline;	/* finish: give up after it (0: none) */
	const atomic_bool *_Atomic hurry; /* finish: give up at once */
	atomic_uint_fast64_t delivered, undelivered;
	atomic_uint_fast64_t pending;	/* queued or buffered, not yet settled */
	/* Printer thread only. */
	char *out;
	size_t out_len, out_lines;
	struct ry_rec rec;
};

static size_t rec_size(size_t len)
{
	return sizeof(struct rec) + len;
}

static bool give_up(struct ry_printer *p)
{
	int64_t d = atomic_load(&p->deadline);
	const atomic_bool *h = atomic_load(&p->hurry);

	return atomic_load(&p->failed) || (h && atomic_load(h)) || (d && ry_now_ns() >= d);
}

/* Writes the buffer out: one write(2) for up to 64 KiB of lines.  It
 * may block while the reader does not read; workers never wait for it
 * (their memory budget does), and ry_printer_finish leaves a printer
 * stuck past the drain deadline behind.  On giving up, or a failed
 * write, the lines in the buffer count as undelivered. */
static void write_out(struct ry_printer *p)
{
	size_t off = 0;

	while (off < p->out_len && !give_up(p)) {
		ssize_t k = write(p->cfg.fd, p->out + off, p->out_len - off);
		if (k > 0) {
			off += (size_t)k;
		} else if (k < 0 && errno != EINTR) {
			int none = 0;
			atomic_compare_exchange_strong(&p->failed, &none, -errno);
		}
	}
	if (off == p->out_len)
		atomic_fetch_add(&p->delivered, p->out_lines);
	else
		atomic_fetch_add(&p->undelivered, p->out_lines);
	atomic_fetch_sub(&p->pending, p->out_lines);
	p->out_len = p->out_lines = 0;
}

static void take(struct ry_printer *p, struct rec *r)
{
	if (!give_up(p)) {
		ry_rec_begin(&p->rec);
		ry_rec_cstr(&p->rec, "peer", r->peer, p->cfg.json || p->cfg.peer ? 0 : RY_REC_JSON);
		size_t len = r->len;
		if (!p->cfg.json && !p->cfg.keep_cr && len > 0 && r->line[len - 1] == '\r')
			len--;
		ry_rec_str(&p->rec, "line", r->line, len, 0);
		ry_rec_end(&p->rec);
		struct ry_buf *b = &p->rec.b;
		if (b->oom || !b->p) {
			atomic_fetch_add(&p->undelivered, 1);
			atomic_fetch_sub(&p->pending, 1);
		} else {
			if (p->out_len + b->len + 1 > OUT_MAX)
				write_out(p);
			/* A record longer than the buffer goes out alone. */
			if (b->len + 1 > OUT_MAX) {
				char *keep = p->out;
				size_t keep_len = p->out_len;
				p->out = b->p;
				p->out_len = b->len;
				p->out[p->out_len++] = '\n';	/* over the NUL */
				p->out_lines = 1;
				write_out(p);
				p->out = keep;
				p->out_len = keep_len;
				ry_rec_begin(&p->rec);
			} else {
				memcpy(p->out + p->out_len, b->p, b->len);
				p->out_len += b->len;
				p->out[p->out_len++] = '\n';
				p->out_lines++;
			}
		}
	} else {
		atomic_fetch_add(&p->undelivered, 1);
		atomic_fetch_sub(&p->pending, 1);
	}
	atomic_fetch_sub(p->cfg.mem_used, rec_size(r->len));
	free(r);
}

static void *run(void *arg)
{
	struct ry_printer *p = arg;
	struct rec *r;

	for (;;) {
		int rc = ry_chan_try_recv(p->rx, &r);
		if (rc == -EAGAIN) {
			/* Idle: let readers see what we have. */
			if (p->out_len)
				write_out(p);
			rc = ry_chan_recv(p->rx, &r);
		}
		if (rc != 0)
			break;		/* every producer is done */
		take(p, r);
	}
	if (p->out_len)
		write_out(p);
	atomic_store(&p->done, true);
	return NULL;
}

struct ry_printer *ry_printer_start(const struct ry_printer_config *cfg)
{
	struct ry_printer *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->cfg = *cfg;
	p->out = malloc(OUT_MAX);
	ry_rec_init(&p->rec, cfg->json);
	if (!p->out || ry_chan_new(sizeof(struct rec *), RY_CHAN_UNBOUNDED, &p->tx, &p->rx) != 0)
		goto out_free;
	p->thread = ry_thread_spawn(run, p, "serve-print");
	if (!p->thread) {
		ry_sender_drop(p->tx);
		ry_receiver_drop(p->rx);
		goto out_free;
	}
	return p;

out_free:
	free(p->out);
	ry_rec_destroy(&p->rec);
	free(p);
	errno = ENOMEM;
	return NULL;
}

int ry_printer_line(struct ry_printer *p, const char *peer, const char *line, size_t len)
{
	struct rec *r = malloc(rec_size(len));

	if (!r) {
		atomic_fetch_add(&p->undelivered, 1);
		return -ENOMEM;
	}
	r->len = len;
	snprintf(r->peer, sizeof r->peer, "%s", peer);
	memcpy(r->line, line, len);
	atomic_fetch_add(p->cfg.mem_used, rec_size(len));
	atomic_fetch_add(&p->pending, 1);
	if (ry_chan_send(p->tx, &r) != 0) {
		atomic_fetch_sub(p->cfg.mem_used, rec_size(len));
		atomic_fetch_sub(&p->pending, 1);
		free(r);
		return -EPIPE;
	}
	return 0;
}

int ry_printer_status(struct ry_printer *p)
{
	return atomic_load(&p->failed);
}

void ry_printer_finish(struct ry_printer *p, int64_t deadline_ns, const atomic_bool *hurry,
		       struct ry_printer_stats *st)
{
	atomic_store(&p->hurry, hurry);
	atomic_store(&p->deadline, deadline_ns);
	ry_sender_drop(p->tx);	/* the thread ends once it has drained */
	/* The thread gives up between writes once the deadline passes; wait a
	 * little past it, then leave it behind rather than hang (a write
	 * that blocks after all, on a terminal stopped mid-page). */
	while (!atomic_load(&p->done) && ry_now_ns() < deadline_ns + 200000000 &&
	       !(hurry && atomic_load(hurry))) {
		struct timespec ts = { 0, 20000000 };
		nanosleep(&ts, NULL);
	}
	st->delivered = atomic_load(&p->delivered);
	if (atomic_load(&p->done)) {
		ry_thread_join(p->thread, NULL);
		st->undelivered = atomic_load(&p->undelivered);
		ry_receiver_drop(p->rx);
		free(p->out);
		ry_rec_destroy(&p->rec);
		free(p);
		return;
	}
	/* Stuck in a write: what is still queued or buffered is
	 * undelivered, and the thread and its state are left to the
	 * process's end. */
	st->undelivered = atomic_load(&p->undelivered) + atomic_load(&p->pending);
	ry_thread_detach(p->thread);
}
